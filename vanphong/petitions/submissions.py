"""The letters citizens send through the public form (/cong-dan/gui-don/), and the officers'
queue where they wait to be entered in the book.

* ``submission_create`` keeps a letter from the public form, with its attachments (at most
  ``MAX_FILES``, PDF, JPEG or PNG), under a tracking code (``DT-XXXX-XXXX``, 40 random bits in
  Crockford's base 32: no 0/O or 1/I/L to misread). Nothing is numbered yet: a flood of forms
  takes no number of the book. Everything is kept, or nothing (the files too).
* ``submission_register`` enters it in the book (``services.petition_register``, channel
  online) and moves its files to the petition; ``submission_reject`` refuses it, with the
  reason the citizen reads when following the code.
* ``tracking_status`` is what the holder of a tracking code may read: dates, kind, state in
  words — never an officer's name nor anyone else's data.
* The public form and the lookup are held back per client address (and the form per
  organisation and day) in the cache: ``RateLimited`` (the pages answer 429).

The queue is read by those who may register the letters (WRITE or REGISTER in the
organisation, ``services.may_write``): they see the sender, even of a denunciation, since
they are the ones entering it; opening a denunciation is audited (``submission_read``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions
from vanphong.audit.context import RequestContext
from vanphong.audit.services import audit_record
from vanphong.core.files import JPEG, PDF, PNG, Upload
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, OrgKind, Person
from vanphong.petitions import filestore, selectors, services
from vanphong.petitions.models import (
    Kind,
    Petition,
    PetitionFile,
    PetitionSubmission,
    Result,
    State,
    SubmissionState,
)
from vanphong.petitions.services import ID_NUMBER, PHONE, PetitionConflict, PetitionerSpec

register_actions(
    {
        "petition.submission": _("Nhận đơn gửi trực tuyến"),
        "petition.submission_register": _("Vào sổ đơn gửi trực tuyến"),
        "petition.submission_reject": _("Không vào sổ đơn gửi trực tuyến"),
        "petition.submission_read": _("Xem đơn tố cáo gửi trực tuyến"),
    }
)

MAX_FILES = 3


def max_file_bytes() -> int:
    """The largest file the public form takes (``VANPHONG_PUBLIC_PETITION_MAX_FILE_MB``): far
    below the officers' upload limit — anyone may post here."""
    return int(getattr(settings, "VANPHONG_PUBLIC_PETITION_MAX_FILE_MB", 10)) * 1024 * 1024


def max_body_bytes() -> int:
    """The largest request the form reads: its files and a margin for the fields."""
    return MAX_FILES * max_file_bytes() + 1024 * 1024


def too_large_message() -> str:
    mb = max_file_bytes() // (1024 * 1024)
    return f"Mỗi tệp gửi kèm không quá {mb} MB, tối đa {MAX_FILES} tệp."


ACCEPTED_TYPES = frozenset({PDF, JPEG, PNG})
MIN_CONTENT = 20
MAX_CONTENT = 10_000
MAX_REASON = 1000
# Crockford's base 32: 32 symbols, none of 0/O, 1/I/L read for another (I, L, O, U left out).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_PREFIX = "DT"
CODE_GROUPS = 2
CODE_GROUP_LENGTH = 4  # 8 symbols of 5 bits: 40 bits
CODE_ATTEMPTS = 5

KIND_HELP = {
    Kind.KHIEU_NAI: "Đề nghị xem xét lại quyết định, việc làm của cơ quan, người có thẩm quyền khi cho rằng "
    "đã xâm phạm quyền, lợi ích hợp pháp của mình.",
    Kind.TO_CAO: "Báo cho cơ quan có thẩm quyền biết hành vi vi phạm của cán bộ, đảng viên, tổ chức "
    "đảng. Danh tính người tố cáo được giữ bí mật.",
    Kind.KIEN_NGHI: "Đề xuất, góp ý về chủ trương, chính sách, công việc của cơ quan, tổ chức.",
    Kind.PHAN_ANH: "Cung cấp thông tin, báo cho cơ quan biết một sự việc, tình trạng cần xem xét.",
}


class SubmissionConflict(PetitionConflict):
    """The submission was entered or refused meanwhile (by another officer)."""


class RateLimited(Exception):
    """Too many forms or lookups from this address (or to this organisation today); the
    message says when to try again, in Vietnamese."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


# --- Rate limits ----------------------------------------------------------------------------

DEFAULT_LIMITS = {
    "per_hour": 5,  # forms from one client address in a clock hour
    "per_day": 20,  # forms from one client address in a day
    "per_organization_day": 300,  # forms to one organisation in a day, from everyone
    "lookups_per_hour": 30,  # tracking lookups from one client address in a clock hour
}
_PREFIX = "vanphong:petitions:public"
_clock = time.time  # replaced in tests to move into the next window


def limits() -> dict[str, int]:
    """The limits of ``settings.VANPHONG_PUBLIC_PETITION_LIMITS`` over ``DEFAULT_LIMITS``."""
    configured = getattr(settings, "VANPHONG_PUBLIC_PETITION_LIMITS", None) or {}
    return {**DEFAULT_LIMITS, **{k: int(v) for k, v in configured.items() if k in DEFAULT_LIMITS}}


@dataclass(frozen=True)
class _Window:
    key: str
    limit: int
    ends_at: float  # epoch seconds
    what: str  # the Vietnamese words of the refusal


def _hour(name: str, subject: str, limit: int, what: str) -> _Window:
    now = _clock()
    start = int(now // 3600)
    return _Window(f"{_PREFIX}:{name}:{subject}:h{start}", limit, (start + 1) * 3600.0, what)


def _day(name: str, subject: str, limit: int, what: str) -> _Window:
    now = _clock()
    local = timezone.localtime(dt.datetime.fromtimestamp(now, tz=dt.UTC))
    midnight = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return _Window(f"{_PREFIX}:{name}:{subject}:d{local.date():%Y%m%d}", limit, midnight.timestamp(), what)


def _refusal(window: _Window) -> RateLimited:
    retry_after = max(1, math.ceil(window.ends_at - _clock()))
    at = timezone.localtime(dt.datetime.fromtimestamp(window.ends_at, tz=dt.UTC))
    minutes = max(1, math.ceil(retry_after / 60))
    return RateLimited(
        f"{window.what} Vui lòng thử lại sau {at:%H:%M} ngày {at:%d/%m/%Y} (khoảng {minutes} phút nữa).",
        retry_after,
    )


def _take(windows: Sequence[_Window]) -> None:
    """Count one use in every window, atomically (``cache.add`` then ``cache.incr``); over a
    limit, the counts just taken are given back and ``RateLimited`` is raised."""
    taken: list[_Window] = []
    for window in windows:
        timeout = max(60, math.ceil(window.ends_at - _clock()) + 60)
        cache.add(window.key, 0, timeout)
        try:
            count = int(cache.incr(window.key))
        except ValueError:  # expired between add and incr
            cache.set(window.key, 1, timeout)
            count = 1
        taken.append(window)
        if count > window.limit:
            _give_back(taken)
            raise _refusal(window)


def _give_back(windows: Sequence[_Window]) -> None:
    for window in windows:
        with contextlib.suppress(ValueError):  # expired meanwhile: nothing to give back
            cache.decr(window.key)


def _submission_windows(client_address: str, organization_id: int) -> list[_Window]:
    limit = limits()
    return [
        _hour(
            "form",
            client_address,
            limit["per_hour"],
            f"Từ địa chỉ mạng này đã gửi {limit['per_hour']} đơn trong giờ này.",
        ),
        _day(
            "form",
            client_address,
            limit["per_day"],
            f"Từ địa chỉ mạng này đã gửi {limit['per_day']} đơn trong ngày hôm nay.",
        ),
        _day(
            "org",
            str(organization_id),
            limit["per_organization_day"],
            "Hôm nay cơ quan đã nhận quá nhiều đơn trực tuyến; hệ thống tạm ngừng nhận để bảo đảm xử lý.",
        ),
    ]


def check_submission_limit(client_address: str) -> None:
    """Refuse the form at once (before reading it) when this address is already over its
    limits; the organisation's cap is checked when the letter is kept."""
    for window in _submission_windows(client_address, 0)[:2]:
        if int(cache.get(window.key) or 0) >= window.limit:
            raise _refusal(window)


def take_lookup(client_address: str) -> None:
    """Count one tracking lookup from ``client_address`` (guessing codes is held back)."""
    limit = limits()["lookups_per_hour"]
    _take(
        [
            _hour(
                "lookup",
                client_address,
                limit,
                f"Từ địa chỉ mạng này đã tra cứu {limit} lần trong giờ này.",
            )
        ]
    )


# --- Keeping a letter -----------------------------------------------------------------------


def accepting_organizations() -> QuerySet[Organization]:
    """The organisations the public form offers: the active Party committees hosted here (a
    committee's agencies receive through it; external bodies are not hosted)."""
    return Organization.objects.filter(kind=OrgKind.COMMITTEE, active=True, hosted=True).order_by("path")


def new_tracking_code() -> str:
    symbols = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    groups = [symbols[i : i + CODE_GROUP_LENGTH] for i in range(0, len(symbols), CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_code(raw: str) -> str | None:
    """The code as stored, from what a citizen types (any case, spaces or dashes, O for 0,
    I or L for 1), or None when it cannot be one."""
    text = re.sub(r"[\s\-_.]", "", (raw or "").upper())
    if text.startswith(CODE_PREFIX):
        text = text[len(CODE_PREFIX) :]
    text = text.translate(_READ_AS)
    size = CODE_GROUPS * CODE_GROUP_LENGTH
    if len(text) != size or any(c not in CODE_ALPHABET for c in text):
        return None
    groups = [text[i : i + CODE_GROUP_LENGTH] for i in range(0, size, CODE_GROUP_LENGTH)]
    return "-".join([CODE_PREFIX, *groups])


def _clean(text: str | None) -> str:
    return " ".join(str(text or "").split())


def _check(
    *,
    organization: Organization | None,
    kind: str,
    full_name: str,
    address: str,
    id_number: str,
    phone: str,
    email: str,
    respondent: str,
    locality: str,
    content: str,
    files: Sequence[Upload],
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if organization is None or not accepting_organizations().filter(pk=organization.pk).exists():
        errors["organization"] = ["Hãy chọn cơ quan nhận đơn trong danh sách."]
    if kind not in Kind.values:
        errors["kind"] = ["Hãy chọn loại đơn: khiếu nại, tố cáo, kiến nghị hoặc phản ánh."]
    # Luật Khiếu nại 2011 (Điều 8) and Luật Tố cáo 2018 (Điều 23): the letter names its sender
    # and their address; an anonymous one is not handled.
    if not full_name:
        errors["full_name"] = ["Hãy nhập họ và tên người gửi đơn (đơn không ghi tên không được xem xét)."]
    elif len(full_name) > 200:
        errors["full_name"] = ["Họ và tên dài quá 200 ký tự."]
    if not address:
        errors["address"] = ["Hãy nhập địa chỉ của người gửi đơn (để cơ quan trả lời)."]
    elif len(address) > 500:
        errors["address"] = ["Địa chỉ dài quá 500 ký tự."]
    if id_number and not ID_NUMBER.match(id_number):
        errors["id_number"] = ["Số định danh cá nhân chỉ gồm chữ số, chữ cái (tối đa 20 ký tự)."]
    if phone and not PHONE.match(phone):
        errors["phone"] = ["Số điện thoại không hợp lệ."]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = ["Địa chỉ thư điện tử không hợp lệ."]
    if kind in (Kind.KHIEU_NAI, Kind.TO_CAO) and not respondent:
        errors["respondent"] = ["Đơn khiếu nại, tố cáo cần ghi rõ người, cơ quan bị khiếu nại, tố cáo."]
    elif len(respondent) > 500:
        errors["respondent"] = ["Người, cơ quan bị khiếu nại, tố cáo: dài quá 500 ký tự."]
    if len(locality) > 200:
        errors["locality"] = ["Địa bàn dài quá 200 ký tự."]
    if len(content) < MIN_CONTENT:
        errors["content"] = [f"Hãy trình bày nội dung đơn (ít nhất {MIN_CONTENT} ký tự)."]
    elif len(content) > MAX_CONTENT:
        errors["content"] = [f"Nội dung dài quá {MAX_CONTENT} ký tự; phần còn lại hãy gửi kèm thành tệp."]
    if len(files) > MAX_FILES:
        errors["files"] = [f"Gửi kèm nhiều nhất {MAX_FILES} tệp."]
    return errors


def submission_create(
    *,
    organization: Organization | None,
    kind: str,
    full_name: str,
    address: str,
    id_number: str = "",
    phone: str = "",
    email: str = "",
    respondent: str = "",
    locality: str = "",
    content: str,
    files: Sequence[Upload] = (),
    client_address: str,
) -> PetitionSubmission:
    """Keep a letter from the public form (see the module's docstring). Raises
    ``ValidationError`` keyed by the form's fields, or ``RateLimited``."""
    full_name = _clean(full_name)
    address = _clean(address)
    id_number = re.sub(r"\s+", "", id_number or "")
    phone = _clean(phone)
    email = (email or "").strip()
    respondent = _clean(respondent)
    locality = _clean(locality)
    content = (content or "").strip()
    files = list(files)
    errors = _check(
        organization=organization,
        kind=kind,
        full_name=full_name,
        address=address,
        id_number=id_number,
        phone=phone,
        email=email,
        respondent=respondent,
        locality=locality,
        content=content,
        files=files,
    )
    if errors:
        raise ValidationError(errors)
    assert organization is not None  # checked above
    spooled = filestore.spool_all(files, limit=MAX_FILES)
    windows = _submission_windows(client_address, organization.pk)
    try:
        refused = [s.original_name for s in spooled if s.content_type not in ACCEPTED_TYPES]
        if refused:
            raise ValidationError(
                {"files": [f"Chỉ nhận tệp PDF hoặc ảnh JPEG, PNG; không nhận: {', '.join(refused)}."]}
            )
        big = [s.original_name for s in spooled if s.size > max_file_bytes()]
        if big:
            raise ValidationError({"files": [too_large_message() + f" Tệp quá lớn: {', '.join(big)}."]})
        _take(windows)
        try:
            with filestore.storing() as stored, transaction.atomic():
                submission = _keep(
                    organization=organization,
                    kind=kind,
                    full_name=full_name,
                    address=address,
                    id_number=id_number,
                    phone=phone,
                    email=email,
                    respondent=respondent,
                    locality=locality,
                    content=content,
                )
                filestore.store(spooled, stored, uploaded_by=None, submission=submission)
                audit_record(
                    actor=None,
                    action="petition.submission",
                    target=submission,
                    organization_id=organization.pk,
                    # Never the name; and for a denunciation not even the address it came from.
                    context=RequestContext() if kind == Kind.TO_CAO else None,
                    after={"kind": kind, "files": len(spooled), "content_length": len(content)},
                )
        except BaseException:
            _give_back(windows)
            raise
    finally:
        filestore.discard(spooled)
    return submission


def _keep(**values: str | Organization) -> PetitionSubmission:
    """The submission under a fresh tracking code; a code already taken (one chance in 10¹²)
    is drawn again."""
    for attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return PetitionSubmission.objects.create(tracking_code=new_tracking_code(), **values)
        except IntegrityError:
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


# --- The officers' queue ----------------------------------------------------------------------


def submissions_for(user: Actor | None) -> QuerySet[PetitionSubmission]:
    """The submissions of the organisations ``user`` may register petitions for."""
    scope = scope_for(user)
    q = scope.org_q(Capability.WRITE, prefix="organization__") | scope.org_q(
        Capability.REGISTER, prefix="organization__"
    )
    return PetitionSubmission.objects.filter(q).select_related("organization")


def pending_for(user: Actor | None) -> QuerySet[PetitionSubmission]:
    return submissions_for(user).filter(state=SubmissionState.PENDING).order_by("submitted_at", "id")


def identity_shown(user: Actor | None, submission: PetitionSubmission) -> bool:
    """Whether ``user`` (who reaches the queue) sees the sender and the files. Once the letter
    is in the book, as its petition shows it (a denunciation's identity to its handlers only,
    ``selectors``; the kind is the one entered, which may differ from the citizen's choice).
    Before, a denunciation's sender is shown only to those who enter letters (REGISTER: the
    văn thư, not every specialist writing for the committee); a refused one only to the
    officer who refused it."""
    if submission.state == SubmissionState.REGISTERED:
        if submission.petition_id is None:
            return False
        petition = selectors.petitions_visible_to(user).filter(pk=submission.petition_id).only("pk").first()
        return bool(getattr(petition, "identity_visible", False))
    if submission.kind != Kind.TO_CAO:
        return True
    if user is None:
        return False
    if submission.state == SubmissionState.REJECTED:
        person = acting_person(user)
        return person is not None and submission.decided_by_id == person.pk
    return can(user, Capability.REGISTER, submission.organization)


def submission_read(*, actor: Actor, submission: PetitionSubmission) -> None:
    """Audit the opening of a denunciation sent online whose sender is shown to ``actor``."""
    if submission.kind == Kind.TO_CAO and identity_shown(actor, submission):
        audit_record(
            actor=actor,
            action="petition.submission_read",
            target=submission,
            organization_id=submission.organization_id,
            after={"state": submission.state},
        )


def _lock_pending(submission: PetitionSubmission, field: str) -> PetitionSubmission:
    locked = PetitionSubmission.objects.select_for_update().get(pk=submission.pk)
    if locked.state == SubmissionState.REGISTERED:
        raise SubmissionConflict({field: ["Đơn này đã được vào sổ (có thể bởi cán bộ khác)."]})
    if locked.state == SubmissionState.REJECTED:
        raise SubmissionConflict({field: ["Đơn này đã được xử lý không vào sổ."]})
    return locked


def submission_register(
    *,
    actor: Actor,
    submission: PetitionSubmission,
    kind: str | None = None,
    content: str | None = None,
    respondent: str | None = None,
    locality: str | None = None,
    field: str = "",
    complex_case: bool = False,
    remote_area: bool = False,
    against_party_member: bool = False,
    handler: Person | None = None,
    today: dt.date | None = None,
) -> Petition:
    """Enter an online submission in the book (``services.petition_register``, channel
    online, received on the day it was sent), its attachments becoming the petition's. The
    officer may correct the kind, the summary, the respondent and the locality. Under a lock
    on the submission: a second clerk gets ``SubmissionConflict``."""
    if not services.may_write(actor, submission.organization):
        raise PermissionDenied("Bạn không có quyền vào sổ đơn thư của cơ quan này.")
    with transaction.atomic():
        locked = _lock_pending(submission, "state")
        petition = services.petition_register(
            actor=actor,
            organization=submission.organization,
            received_date=timezone.localdate(locked.submitted_at),
            channel="online",
            kind=locked.kind if kind is None else kind,
            content=locked.content if content is None else content,
            petitioners=[PetitionerSpec(locked.full_name, locked.address, locked.id_number, locked.phone)],
            respondent=locked.respondent if respondent is None else respondent,
            locality=locked.locality if locality is None else locality,
            field=field,
            complex_case=complex_case,
            remote_area=remote_area,
            against_party_member=against_party_member,
            handler=handler,
            today=today,
        )
        moved = PetitionFile.objects.filter(submission=locked).update(petition=petition)
        locked.state = SubmissionState.REGISTERED
        locked.petition = petition
        locked.kind = petition.kind  # as entered: a letter found to be a denunciation is masked as one
        locked.decided_by = acting_person(actor)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "petition", "kind", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="petition.submission_register",
            target=locked,
            organization_id=locked.organization_id,
            before={"state": SubmissionState.PENDING},
            after={"state": locked.state, "petition": petition.pk, "files": moved},
        )
    submission.refresh_from_db()
    return petition


def submission_reject(*, actor: Actor, submission: PetitionSubmission, reason: str) -> PetitionSubmission:
    """Refuse an online submission (spam, no content, not for this committee …) with the
    reason the sender reads when following the tracking code."""
    if not services.may_write(actor, submission.organization):
        raise PermissionDenied("Bạn không có quyền xử lý đơn thư của cơ quan này.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ["Hãy nêu lý do không vào sổ (ví dụ: thư rác, không có nội dung, gửi nhầm cơ quan)."]}
        )
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [f"Lý do dài quá {MAX_REASON} ký tự."]})
    with transaction.atomic():
        locked = _lock_pending(submission, "reason")
        locked.state = SubmissionState.REJECTED
        locked.reason = reason
        locked.decided_by = acting_person(actor)
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="petition.submission_reject",
            target=locked,
            organization_id=locked.organization_id,
            before={"state": SubmissionState.PENDING},
            after={"state": locked.state, "reason_length": len(reason)},
        )
    submission.refresh_from_db()
    return submission


# --- What the sender may read -------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingStatus:
    code: str
    organization: str
    submitted_on: dt.date
    kind: str
    state: str
    number: str = ""  # "12/2026" once entered in the book
    result: str = ""


def _petition_words(petition: Petition) -> tuple[str, str]:
    number = f"{petition.number}/{petition.year}"
    if petition.state == State.RECEIVED:
        return f"Đã vào sổ số {number}, đang xử lý (hạn xử lý {petition.process_by:%d/%m/%Y}).", ""
    if petition.state == State.ACCEPTED:
        due = f" (hạn giải quyết {petition.resolve_by:%d/%m/%Y})" if petition.resolve_by else ""
        return f"Đã vào sổ số {number}. {State.ACCEPTED.label}{due}.", ""
    if petition.state == State.TRANSFERRED and petition.to_organization is not None:
        return f"Đã vào sổ số {number}. Đã chuyển đơn đến {petition.to_organization.name}.", ""
    result = Result(petition.result).label if petition.result else ""
    return f"Đã vào sổ số {number}. {petition.get_state_display()}.", str(result)


def tracking_status(code: str) -> TrackingStatus | None:
    """What the holder of ``code`` may read about their letter, or None for no such code."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    submission = (
        PetitionSubmission.objects.filter(tracking_code=normalized)
        .select_related("organization", "petition__to_organization")
        .first()
    )
    if submission is None:
        return None
    number = result = ""
    if submission.state == SubmissionState.PENDING:
        state = "Đã nhận, chờ vào sổ."
    elif submission.state == SubmissionState.REJECTED:
        state = f"Không vào sổ: {submission.reason}"
    elif submission.petition is not None:
        petition = submission.petition
        number = f"{petition.number}/{petition.year}"
        state, result = _petition_words(petition)
    else:
        state = "Đã vào sổ."
    return TrackingStatus(
        code=submission.tracking_code,
        organization=submission.organization.name,
        submitted_on=timezone.localdate(submission.submitted_at),
        kind=str(Kind(submission.kind).label),
        state=state,
        number=number,
        result=result,
    )
