"""Every change of the petitions book, as plain functions taking explicit arguments. Each one
checks who may do it, validates with Vietnamese messages (``ValidationError`` keyed by field),
writes its rows, its tasks and its audit entry in one transaction.

* ``petition_register`` enters a letter: its number (per organisation and year, gapless, taken
  under a lock), its petitioners, the earlier letters of the same person on the same matter
  (``matching``), and the processing task (``process_by``, ``deadlines.PROCESSING``).
* ``petition_decide`` records the handling decision (accept, transfer, guide, file), produces
  its letter from the organisation's template (``letters``) and completes the processing
  task; accepting a complaint or a denunciation sets ``resolve_by`` and gives the resolution
  task.
* ``petition_result`` records the outcome of an accepted petition and completes the
  resolution task.
* ``petition_assign`` (re)assigns the handler and hands them the open deadlines' tasks: by
  the organisation's leaders (``ASSIGNING``), never to the person the letter is against.
* ``petition_extend`` extends the resolution time as the kind's rule allows; ``petition_attach``
  adds files.
* ``reception_record`` enters one visit in the reception book; ``reception_link`` links it to
  its petition afterwards.
* ``petition_task_guard`` is the task engine's question before a petition's task is completed or
  cancelled from the task pages (registered in ``apps.py``): only in step with the petition.

Who writes: those holding WRITE or REGISTER in the petition's organisation (its Văn phòng's
staff for a committee, by the office model of ``orgs.access``), and the assigned handler. The
tasks are the organisation's own work (lead: the organisation), so the engine's check of who
may give work in its name is this module's: ``check_access=False``."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.files import Spooled, Upload
from vanphong.core.textfold import fold, fold_query
from vanphong.orgs.access import Capability, can, compute_scope
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person
from vanphong.petitions import deadlines, filestore, letters, matching, selectors
from vanphong.petitions.models import (
    Action,
    Channel,
    Kind,
    Petition,
    PetitionCounter,
    Petitioner,
    PetitionFile,
    Reception,
    ReceptionSession,
    Result,
    State,
)
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import OPEN_STATES, SourceKind, Task
from vanphong.tasks.services import TaskSource, extension_grant, task_complete, task_create, task_hand_to
from vanphong.tasks.services.guards import CANCEL, COMPLETE

MAX_CONTENT = 20_000
MAX_TEXT = 5000
MAX_FIELD = 200
MAX_RESPONDENT = 500
MAX_PETITIONERS = 50
MAX_CITIZENS = 10_000
FIRST_YEAR = 2000
ID_NUMBER = re.compile(r"^[0-9A-Za-z]{1,20}$")
PHONE = re.compile(r"^[0-9+().\s-]{1,30}$")


class PetitionConflict(ValidationError):
    """The petition is past the step asked for (the API answers 409 ``conflict``)."""


@dataclass(frozen=True)
class PetitionerSpec:
    full_name: str
    address: str = ""
    id_number: str = ""
    phone: str = ""


def _clean(text: Any) -> str:
    return " ".join(str(text or "").split())


def may_write(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization) or can(actor, Capability.REGISTER, organization)


def may_work_on(actor: Actor, petition: Petition) -> bool:
    """WRITE or DIRECT in the petition's organisation, or its assigned handler while they still
    hold a role there (``selectors.handler_q``: a handler who left no longer works on it)."""
    if can(actor, Capability.WRITE, petition.organization) or can(
        actor, Capability.DIRECT, petition.organization
    ):
        return True
    person = acting_person(actor)
    return (
        person is not None
        and petition.handler_id == person.pk
        and Petition.objects.filter(selectors.handler_q(actor), pk=petition.pk).exists()
    )


def _check_petitioners(specs: Iterable[PetitionerSpec], errors: dict[str, list[str]]) -> list[PetitionerSpec]:
    cleaned: list[PetitionerSpec] = []
    problems: list[str] = []
    specs = list(specs)
    if len(specs) > MAX_PETITIONERS:
        errors["petitioners"] = [f"Một đơn ghi nhiều nhất {MAX_PETITIONERS} người gửi (đơn đông người)."]
        return []
    for n, spec in enumerate(specs, start=1):
        name = _clean(spec.full_name)
        address = _clean(spec.address)
        id_number = re.sub(r"\s+", "", spec.id_number or "")
        phone = _clean(spec.phone)
        if not name:
            problems.append(f"Người gửi thứ {n}: hãy nhập họ và tên.")
        elif len(name) > 200:
            problems.append(f"Người gửi thứ {n}: họ và tên dài quá 200 ký tự.")
        if len(address) > 500:
            problems.append(f"Người gửi thứ {n}: địa chỉ dài quá 500 ký tự.")
        if id_number and not ID_NUMBER.match(id_number):
            problems.append(
                f"Người gửi thứ {n}: số định danh cá nhân chỉ gồm chữ số, chữ cái (tối đa 20 ký tự)."
            )
        if phone and not PHONE.match(phone):
            problems.append(f"Người gửi thứ {n}: số điện thoại không hợp lệ.")
        cleaned.append(PetitionerSpec(name, address, id_number, phone))
    if problems:
        errors["petitioners"] = problems
    return cleaned


def _check_text(value: str, field: str, label: str, limit: int, errors: dict[str, list[str]]) -> None:
    if len(value) > limit:
        errors[field] = [f"{label} dài quá {limit} ký tự."]


def _take_number(organization: Organization, year: int) -> int:
    """The next number of ``organization``'s book for ``year``, under a row lock (call inside
    the transaction that writes the petition)."""
    PetitionCounter.objects.get_or_create(organization=organization, year=year)
    counter = PetitionCounter.objects.select_for_update().get(organization=organization, year=year)
    counter.last_number = F("last_number") + 1
    counter.save(update_fields=["last_number"])
    counter.refresh_from_db(fields=["last_number"])
    return counter.last_number


def earlier_matches(
    organization: Organization, specs: Iterable[PetitionerSpec], content: str, *, exclude: int | None = None
) -> list[Petition]:
    """Earlier petitions of ``organization`` from the same person on the same matter."""
    specs = list(specs)
    names = {fold(s.full_name) for s in specs if s.full_name}
    if not names:
        return []
    rows = (
        Petitioner.objects.filter(petition__organization=organization, folded_name__in=names)
        .select_related("petition")
        .order_by("petition_id", "order")
    )
    found: dict[int, Petition] = {}
    for row in rows:
        petition = row.petition
        if petition.pk == exclude or petition.pk in found:
            continue
        person = any(
            matching.same_person(
                s.full_name, s.id_number, s.address, row.full_name, row.id_number, row.address
            )
            for s in specs
        )
        if person and matching.same_matter(content, petition.content):
            found[petition.pk] = petition
    return sorted(found.values(), key=lambda p: p.pk)


def _source(petition: Petition) -> TaskSource:
    return TaskSource(
        kind=SourceKind.PETITION,
        label=f"{petition.get_kind_display()} số {petition.number}/{petition.year}"[:500],
        obj=petition,
    )


def named_in(person: Person, respondent: str) -> bool:
    """Whether ``respondent`` (free text: the petition names the accused in words, not by a
    link to a person) names ``person``, by their folded full name as whole words."""
    name = " ".join(matching.words(person.full_name))
    return bool(name) and f" {name} " in " " + " ".join(matching.words(respondent)) + " "


def _check_handler(
    handler: Person | None, organization: Organization, respondent: str, errors: dict[str, list[str]]
) -> None:
    if handler is None:
        return
    if not handler.active or not compute_scope(handler).reaches(Capability.WRITE, organization):
        errors["handler"] = [f"{handler.full_name} không phải cán bộ xử lý đơn của {organization.name}."]
    elif named_in(handler, respondent):
        errors["handler"] = [
            f"{handler.full_name} là người bị khiếu nại, tố cáo trong đơn: không được giao xử lý đơn này."
        ]


def petition_register(
    *,
    actor: Actor,
    organization: Organization,
    received_date: dt.date | None,
    channel: str,
    kind: str,
    content: str,
    petitioners: Iterable[PetitionerSpec] = (),
    respondent: str = "",
    field: str = "",
    locality: str = "",
    complex_case: bool = False,
    remote_area: bool = False,
    against_party_member: bool = False,
    handler: Person | None = None,
    files: Sequence[Upload] = (),
    today: dt.date | None = None,
) -> Petition:
    """Enter a letter in ``organization``'s book (see the module's docstring), with the files
    that came with it (all kept, or none: a refused file refuses the registration)."""
    if not may_write(actor, organization):
        raise PermissionDenied("Bạn không có quyền tiếp nhận đơn thư của cơ quan này.")
    person = acting_person(actor)
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not organization.active:
        errors["organization"] = ["Cơ quan này không còn hoạt động."]
    if received_date is None:
        errors["received_date"] = ["Hãy nhập ngày nhận đơn."]
    elif received_date > today:
        errors["received_date"] = ["Ngày nhận đơn không được sau hôm nay."]
    elif received_date.year < FIRST_YEAR:
        errors["received_date"] = [f"Ngày nhận đơn phải từ năm {FIRST_YEAR}."]
    if channel not in Channel.values:
        errors["channel"] = ["Nguồn đơn không hợp lệ (post, in_person, transferred, online, email)."]
    if kind not in Kind.values:
        errors["kind"] = ["Loại đơn không hợp lệ (khieu_nai, to_cao, kien_nghi, phan_anh)."]
    content = (content or "").strip()
    if not content:
        errors["content"] = ["Hãy nhập nội dung tóm tắt của đơn."]
    _check_text(content, "content", "Nội dung đơn", MAX_CONTENT, errors)
    respondent = _clean(respondent)
    field = _clean(field)
    locality = _clean(locality)
    _check_text(respondent, "respondent", "Người, cơ quan bị khiếu nại, tố cáo", MAX_RESPONDENT, errors)
    _check_text(field, "field", "Lĩnh vực", MAX_FIELD, errors)
    _check_text(locality, "locality", "Địa bàn", MAX_FIELD, errors)
    specs = _check_petitioners(petitioners, errors)
    if against_party_member and kind != Kind.TO_CAO:
        errors["against_party_member"] = ["Chỉ đơn tố cáo mới có thể là tố cáo đảng viên, tổ chức đảng."]
    _check_handler(handler, organization, respondent, errors)
    if errors:
        raise ValidationError(errors)
    assert received_date is not None  # checked above
    calendar = WorkCalendar.load()
    due = deadlines.process_by(kind, received_date, calendar)
    spooled = filestore.spool_all(files)
    try:
        with filestore.storing() as stored, transaction.atomic():
            petition = _register(
                actor=actor,
                person=person,
                organization=organization,
                received_date=received_date,
                channel=channel,
                kind=kind,
                content=content,
                specs=specs,
                respondent=respondent,
                field=field,
                locality=locality,
                complex_case=complex_case,
                remote_area=remote_area,
                against_party_member=against_party_member,
                handler=handler,
                due=due,
                calendar=calendar,
                spooled=spooled,
                stored=stored,
            )
    finally:
        filestore.discard(spooled)
    return petition


def _register(
    *,
    actor: Actor,
    person: Person | None,
    organization: Organization,
    received_date: dt.date,
    channel: str,
    kind: str,
    content: str,
    specs: list[PetitionerSpec],
    respondent: str,
    field: str,
    locality: str,
    complex_case: bool,
    remote_area: bool,
    against_party_member: bool,
    handler: Person | None,
    due: dt.date,
    calendar: WorkCalendar,
    spooled: Sequence[Spooled],
    stored: list[str],
) -> Petition:
    """The writes of ``petition_register``, inside its transaction."""
    # Everything that only reads comes before the number, so the book's counter stays
    # locked for the shortest time (the rest of this transaction).
    related = earlier_matches(organization, specs, content)
    number = _take_number(organization, received_date.year)
    petition = Petition.objects.create(
        organization=organization,
        year=received_date.year,
        number=number,
        received_date=received_date,
        channel=channel,
        kind=kind,
        field=field,
        locality=locality,
        respondent=respondent,
        content=content,
        folded_text=fold_query(
            " ".join([f"{number}/{received_date.year}", content, respondent, field, locality])
        ),
        complex=bool(complex_case),
        remote_area=bool(remote_area),
        against_party_member=bool(against_party_member),
        handler=handler,
        registered_by=person,
        process_by=due,
    )
    Petitioner.objects.bulk_create(
        [
            Petitioner(
                petition=petition,
                order=n,
                full_name=s.full_name,
                address=s.address,
                id_number=s.id_number,
                phone=s.phone,
                folded_name=fold(s.full_name),
                folded_address=fold(s.address)[:500],
            )
            for n, s in enumerate(specs, start=1)
        ]
    )
    if related:
        petition.related.set(related)
        Petition.objects.filter(pk__in=[p.pk for p in related]).update(
            duplicate_count=F("duplicate_count") + 1
        )
    petition.process_task = task_create(
        actor=actor,
        organization=organization,
        title=f"Xử lý đơn số {number}/{petition.year} ({petition.get_kind_display().lower()})",
        lead=organization,
        content=(
            f"Xử lý đơn (thụ lý, chuyển, hướng dẫn hoặc lưu đơn) trước ngày {due:%d/%m/%Y}: "
            f"{deadlines.processing_rule(kind).source}."
        ),
        due_date=due,
        source=_source(petition),
        assigned_on=received_date,
        calendar=calendar,
        check_access=False,
        created_by=person,
    )
    petition.save(update_fields=["process_task"])
    if handler is not None:
        task_hand_to(actor=actor, task=petition.process_task, person=handler, check_access=False)
    attached = filestore.store(spooled, stored, uploaded_by=person, petition=petition)
    audit_record(
        actor=actor,
        action="petition.register",
        target=petition,
        organization_id=organization.pk,
        after={
            "number": number,
            "year": petition.year,
            "received_date": received_date,
            "channel": channel,
            "kind": kind,
            "field": field,
            "petitioners": len(specs),  # never the names: the audit trail has other readers
            "process_by": due,
            # How many, never which: the ids would link a denouncer to their other letters; and
            # not even how many where a denunciation is on either side (the audit trail has
            # readers who may not see its identity).
            "related": None
            if kind == Kind.TO_CAO or any(p.kind == Kind.TO_CAO for p in related)
            else len(related),
            "handler": handler.pk if handler else None,
            "files": [f.sha256 for f in attached],
        },
    )
    return petition


def _not_to_be_accepted(petition: Petition) -> str | None:
    """Why a denunciation may not be accepted for handling: an anonymous one (Luật Tố cáo 2018,
    Điều 25), or one against a Party member or organisation signed by two or more people
    (QĐ 30-QĐ/TW: not handled). Such a letter is filed (lưu đơn) with the reason."""
    if petition.kind != Kind.TO_CAO:
        return None
    signers = petition.petitioners.count()
    if signers == 0:
        return (
            "Đơn tố cáo nặc danh (không rõ người tố cáo) không được thụ lý giải quyết: "
            "hãy lưu đơn (file), nêu lý do."
        )
    if petition.against_party_member and signers >= 2:
        return (
            "Đơn tố cáo đảng viên, tổ chức đảng có từ hai người trở lên cùng ký không được xem xét "
            "giải quyết (Quy định 30-QĐ/TW): hãy lưu đơn (file), nêu lý do."
        )
    return None


def _complete(actor: Actor, task: Task | None, text: str) -> None:
    if task is not None and task.state in OPEN_STATES:
        task_complete(actor=actor, task=task, text=text[:1000])


def petition_decide(
    *,
    actor: Actor,
    petition: Petition,
    action: str,
    to_organization: Organization | None = None,
    reason: str = "",
    today: dt.date | None = None,
) -> Petition:
    """Record how the petition is handled and complete its processing task. ``transfer``
    needs the competent organisation, ``file`` a reason; ``accept`` gives the resolution
    task for a complaint or a denunciation."""
    if not may_work_on(actor, petition):
        raise PermissionDenied("Bạn không có quyền xử lý đơn thư của cơ quan này.")
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if action not in Action.values:
        errors["action"] = ["Hướng xử lý không hợp lệ (accept, transfer, guide, file)."]
    if action == Action.TRANSFER:
        if to_organization is None:
            errors["to_organization"] = ["Hãy chọn cơ quan, tổ chức có thẩm quyền nhận đơn chuyển."]
        elif to_organization.pk == petition.organization_id:
            errors["to_organization"] = ["Không chuyển đơn cho chính cơ quan đang xử lý."]
        elif not to_organization.active:
            errors["to_organization"] = ["Cơ quan nhận đơn chuyển không còn hoạt động."]
    elif to_organization is not None:
        errors["to_organization"] = ["Chỉ khi chuyển đơn mới chọn cơ quan nhận."]
    if action == Action.ACCEPT:
        refusal = _not_to_be_accepted(petition)
        if refusal:
            errors["action"] = [refusal]
    if action == Action.FILE and not reason:
        errors["reason"] = ["Hãy nêu lý do lưu đơn (ví dụ: đơn trùng, nặc danh, không đủ điều kiện xử lý)."]
    _check_text(reason, "reason", "Lý do", MAX_TEXT, errors)
    if errors:
        raise ValidationError(errors)
    calendar = WorkCalendar.load()
    state = {
        Action.ACCEPT: State.ACCEPTED,
        Action.TRANSFER: State.TRANSFERRED,
        Action.GUIDE: State.GUIDED,
        Action.FILE: State.FILED,
    }[Action(action)]
    with filestore.storing() as stored, transaction.atomic():
        locked = Petition.objects.select_for_update().select_related("organization").get(pk=petition.pk)
        if locked.state != State.RECEIVED:
            raise PetitionConflict(
                {"action": [f"Đơn đã được xử lý ({locked.get_state_display().lower()}), không xử lý lại."]}
            )
        resolve_by = None
        if action == Action.ACCEPT:
            resolve_by = deadlines.resolve_by(
                locked.kind,
                received=locked.received_date,
                accepted=today,
                calendar=calendar,
                complex_case=locked.complex,
                remote_area=locked.remote_area,
                against_party_member=locked.against_party_member,
            )
        locked.state = state
        locked.action = action
        locked.to_organization = to_organization
        locked.reason = reason
        locked.decided_on = today
        locked.decided_by = acting_person(actor)
        locked.resolve_by = resolve_by
        locked.save()
        _complete(
            actor,
            locked.process_task,
            f"Đã xử lý đơn số {locked.number}/{locked.year}: {Action(action).label.lower()}.",
        )
        if resolve_by is not None:
            rule = deadlines.resolution_rule(
                locked.kind,
                complex_case=locked.complex,
                remote_area=locked.remote_area,
                against_party_member=locked.against_party_member,
            )
            source = rule.source if rule else ""
            locked.resolve_task = task_create(
                actor=actor,
                organization=locked.organization,
                title=(
                    f"Giải quyết đơn số {locked.number}/{locked.year} ({locked.get_kind_display().lower()})"
                ),
                lead=locked.organization,
                content=f"Giải quyết đơn đã thụ lý trước ngày {resolve_by:%d/%m/%Y}: {source}.",
                due_date=resolve_by,
                source=_source(locked),
                assigned_on=min(today, resolve_by),
                calendar=calendar,
                check_access=False,
                created_by=acting_person(actor),
            )
            locked.save(update_fields=["resolve_task"])
            if locked.handler is not None:
                task_hand_to(actor=actor, task=locked.resolve_task, person=locked.handler, check_access=False)
        audit_record(
            actor=actor,
            action="petition.decide",
            target=locked,
            before={"state": State.RECEIVED},
            after={
                "state": state,
                "action": action,
                "to_organization": to_organization.pk if to_organization else None,
                "reason_length": len(reason),  # free text may name people: its length only
                "resolve_by": resolve_by,
            },
        )
        # The letter the decision produces, from the organisation's template (``letters``):
        # kept with the decision, or not at all.
        letter = letters.letter_produce(actor=actor, petition=locked, today=today)
        stored.append(letter.file.name)
    return locked


def petition_result(
    *,
    actor: Actor,
    petition: Petition,
    result: str,
    summary: str = "",
    document: Any = None,
    today: dt.date | None = None,
) -> Petition:
    """Record the outcome of an accepted petition (and the reply or conclusion document) and
    complete its resolution task."""
    if not may_work_on(actor, petition):
        raise PermissionDenied("Bạn không có quyền ghi kết quả giải quyết đơn thư của cơ quan này.")
    today = today or timezone.localdate()
    summary = (summary or "").strip()
    errors: dict[str, list[str]] = {}
    if result not in Result.values:
        errors["result"] = ["Kết quả không hợp lệ (dung, dung_mot_phan, sai, da_tra_loi, rut_don)."]
    _check_text(summary, "summary", "Tóm tắt kết quả", MAX_TEXT, errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Petition.objects.select_for_update().select_related("organization").get(pk=petition.pk)
        if locked.state == State.RESOLVED:
            raise PetitionConflict({"result": ["Đơn đã có kết quả giải quyết."]})
        if locked.state != State.ACCEPTED:
            raise ValidationError({"result": ["Chỉ ghi kết quả giải quyết cho đơn đã thụ lý."]})
        locked.state = State.RESOLVED
        locked.result = result
        locked.result_summary = summary
        locked.result_document = document
        locked.resolved_on = today
        locked.save()
        _complete(
            actor,
            locked.resolve_task,
            f"Đã giải quyết đơn số {locked.number}/{locked.year}: {Result(result).label.lower()}.",
        )
        audit_record(
            actor=actor,
            action="petition.result",
            target=locked,
            before={"state": State.ACCEPTED},
            after={
                "state": State.RESOLVED,
                "result": result,
                "summary_length": len(summary),
                "document": document.pk if document is not None else None,
            },
        )
    return locked


OPEN_TO_ASSIGN = (State.RECEIVED, State.ACCEPTED)
# Giving a letter to an officer is routine direction: the organisation's leaders, and for a
# committee the leaders of its Văn phòng, who direct its routine matters (orgs.access).
ASSIGNING = (Capability.DIRECT, Capability.DIRECT_ROUTINE)


def may_assign(actor: Actor, organization: Organization) -> bool:
    return any(can(actor, capability, organization) for capability in ASSIGNING)


def petition_assign(*, actor: Actor, petition: Petition, handler: Person | None) -> Petition:
    """Assign (or reassign) the officer handling ``petition``: by the leaders of its organisation
    (DIRECT, or DIRECT_ROUTINE: a committee's Văn phòng leaders), to an active officer of that
    organisation who is not the person the letter is against (FACTS §4.2: the accused may not
    lead the handling). The handler sees the denouncer's identity (``selectors.handler_q``);
    the one replaced no longer does."""
    if not may_assign(actor, petition.organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan tiếp nhận đơn mới giao cán bộ xử lý đơn.")
    errors: dict[str, list[str]] = {}
    if handler is None:
        errors["handler"] = ["Hãy chọn cán bộ xử lý đơn."]
    else:
        _check_handler(handler, petition.organization, petition.respondent, errors)
    if errors:
        raise ValidationError(errors)
    assert handler is not None  # checked above
    with transaction.atomic():
        locked = Petition.objects.select_for_update().select_related("organization").get(pk=petition.pk)
        if locked.state not in OPEN_TO_ASSIGN:
            raise PetitionConflict(
                {"handler": [f"Đơn đã kết thúc ({locked.get_state_display().lower()}), không giao lại."]}
            )
        before = locked.handler_id
        locked.handler = handler
        locked.save(update_fields=["handler"])
        # The open deadlines become the handler's own (their home page, their reminders).
        for task in Task.objects.filter(
            pk__in=[locked.process_task_id, locked.resolve_task_id], state__in=OPEN_STATES
        ):
            task_hand_to(actor=actor, task=task, person=handler, check_access=False)
        audit_record(
            actor=actor,
            action="petition.assign",
            target=locked,
            organization_id=locked.organization_id,
            before={"handler": before},
            after={"handler": handler.pk},
        )
    return locked


def petition_extend(
    *, actor: Actor, petition: Petition, reason: str, today: dt.date | None = None
) -> Petition:
    """Extend the resolution time of an accepted petition as its rule allows (Luật Tố cáo 2018
    Đ.30: a complex denunciation once, an especially complex one twice, 30 days each; QĐ
    30-QĐ/TW Đ.32: a denunciation against a Party member once, 30 working days). Decided by
    the organisation's leaders (the one who resolves sets the time); extending a denunciation
    marks it complex. The resolution task moves with it (an approved extension in the engine:
    the original due date stays for the statistics)."""
    if not can(actor, Capability.DIRECT, petition.organization):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan giải quyết đơn mới gia hạn giải quyết.")
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Hãy nêu lý do gia hạn (vụ việc phức tạp, cần xác minh thêm…)."]
    _check_text(reason, "reason", "Lý do", MAX_TEXT, errors)
    if errors:
        raise ValidationError(errors)
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    with transaction.atomic():
        locked = Petition.objects.select_for_update().select_related("organization").get(pk=petition.pk)
        if locked.state != State.ACCEPTED or locked.resolve_by is None:
            raise PetitionConflict(
                {"reason": ["Chỉ gia hạn đơn đã thụ lý, đang giải quyết và có hạn giải quyết."]}
            )
        complex_case = locked.complex or (locked.kind == Kind.TO_CAO and not locked.against_party_member)
        rule = deadlines.resolution_rule(
            locked.kind,
            complex_case=complex_case,
            remote_area=locked.remote_area,
            against_party_member=locked.against_party_member,
        )
        if rule is None or locked.extensions >= rule.max_extensions:
            allowed = rule.max_extensions if rule else 0
            message = (
                f"Đơn đã gia hạn {locked.extensions} lần, là số lần tối đa ({allowed}) theo {rule.source}."
                if rule is not None and allowed
                else "Loại đơn này không được gia hạn thời hạn giải quyết"
                + (f" ({rule.source})." if rule is not None else ".")
            )
            raise ValidationError({"reason": [message]})
        new_due = deadlines.resolve_by(
            locked.kind,
            received=locked.received_date,
            accepted=locked.decided_on or today,
            calendar=calendar,
            complex_case=complex_case,
            remote_area=locked.remote_area,
            against_party_member=locked.against_party_member,
            extensions=locked.extensions + 1,
        )
        assert new_due is not None  # a rule exists
        before = {"resolve_by": locked.resolve_by, "extensions": locked.extensions}
        locked.complex = complex_case
        locked.extensions += 1
        locked.extension_reasons = [*locked.extension_reasons, {"on": today.isoformat(), "reason": reason}]
        locked.resolve_by = new_due
        locked.save(update_fields=["complex", "extensions", "extension_reasons", "resolve_by"])
        task = locked.resolve_task
        if task is not None and task.state in OPEN_STATES and task.due_date and new_due > task.due_date:
            # The task's readers and its notifications reach further than the petition's
            # handlers: a neutral reason there, the officer's own words on the petition.
            extension_grant(
                actor=actor,
                task=task,
                new_due_date=new_due,
                reason=f"Gia hạn giải quyết lần {locked.extensions} theo {rule.source}.",
                calendar=calendar,
                check_access=False,
            )
        audit_record(
            actor=actor,
            action="petition.extend",
            target=locked,
            organization_id=locked.organization_id,
            before=before,
            after={"resolve_by": new_due, "extensions": locked.extensions, "reason_length": len(reason)},
        )
    return locked


def petition_attach(*, actor: Actor, petition: Petition, files: Sequence[Upload]) -> list[PetitionFile]:
    """Add files to a petition's record (a supplement the petitioner brought, the verification
    record…), by those who work on it, while it is open or after."""
    if not may_work_on(actor, petition):
        raise PermissionDenied("Bạn không có quyền bổ sung tài liệu cho đơn này.")
    if not files:
        raise ValidationError({"files": ["Hãy chọn tệp cần bổ sung."]})
    spooled = filestore.spool_all(files)
    try:
        with filestore.storing() as stored, transaction.atomic():
            locked = Petition.objects.select_for_update().get(pk=petition.pk)
            rows = filestore.store(spooled, stored, uploaded_by=acting_person(actor), petition=locked)
            audit_record(
                actor=actor,
                action="petition.attach",
                target=locked,
                organization_id=locked.organization_id,
                after={"files": [r.sha256 for r in rows]},
            )
    finally:
        filestore.discard(spooled)
    return rows


PROCESS_COMPLETE_REFUSAL = (
    "Việc này hoàn thành khi đơn được xử lý (thụ lý, chuyển, hướng dẫn hoặc lưu đơn): "
    "mở đơn số {number}/{year} để quyết định xử lý."
)
RESOLVE_COMPLETE_REFUSAL = (
    "Việc này hoàn thành khi ghi kết quả giải quyết đơn: mở đơn số {number}/{year} để ghi kết quả."
)
CANCEL_REFUSAL = (
    "Việc này theo đơn số {number}/{year}: không hủy trên trang nhiệm vụ; đơn không xử lý thì "
    "mở đơn để lưu đơn (nêu lý do)."
)


def petition_task_guard(task: Task, action: str) -> str | None:
    """The engine's question before a petition's task is completed, returned or cancelled from
    the task pages (registered for ``SourceKind.PETITION`` when the app starts): the
    processing task completes with the petition's decision, the resolution task with its
    result, and neither is cancelled apart from the petition."""
    petition = (
        Petition.objects.filter(Q(process_task_id=task.pk) | Q(resolve_task_id=task.pk))
        .only("pk", "number", "year", "state", "process_task_id", "resolve_task_id")
        .first()
    )
    if petition is None:
        return None
    words = {"number": petition.number, "year": petition.year}
    if action == CANCEL:
        return CANCEL_REFUSAL.format(**words)
    if action != COMPLETE:
        return None
    if petition.process_task_id == task.pk and petition.state == State.RECEIVED:
        return PROCESS_COMPLETE_REFUSAL.format(**words)
    if petition.resolve_task_id == task.pk and petition.state != State.RESOLVED:
        return RESOLVE_COMPLETE_REFUSAL.format(**words)
    return None


def reception_record(
    *,
    actor: Actor,
    organization: Organization,
    date: dt.date | None,
    receiving_person: Person | None,
    citizens: Iterable[PetitionerSpec],
    content: str,
    outcome: str = "",
    citizen_count: int | None = None,
    petition: Petition | None = None,
    documents_received: str = "",
    session: ReceptionSession | None = None,
    confidential: bool = False,
    today: dt.date | None = None,
) -> Reception:
    """One visit in the reception book; ``citizen_count`` (default: the citizens named) of
    ``Reception.GROUP_SIZE`` or more makes it a group visit (đoàn đông người). A visit to
    denounce is ``confidential`` (its citizens named only to those who received or wrote it
    down and to the denunciation's handlers: ``browse.citizens_shown_q``), by choice or because
    its petition is a tố cáo."""
    if not may_write(actor, organization):
        raise PermissionDenied("Bạn không có quyền ghi sổ tiếp công dân của cơ quan này.")
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = ["Hãy nhập ngày tiếp công dân."]
    elif date > today:
        errors["date"] = ["Ngày tiếp không được sau hôm nay."]
    elif date.year < FIRST_YEAR:
        errors["date"] = [f"Ngày tiếp phải từ năm {FIRST_YEAR}."]
    if receiving_person is None:
        errors["receiving_person"] = ["Hãy chọn người tiếp công dân."]
    elif not receiving_person.active:
        errors["receiving_person"] = [f"{receiving_person.full_name} không còn công tác."]
    elif not any(
        compute_scope(receiving_person).reaches(capability, organization)
        for capability in (Capability.READ, Capability.WRITE)
    ):
        errors["receiving_person"] = [
            f"{receiving_person.full_name} không phải cán bộ của {organization.name}."
        ]
    specs = _check_petitioners(citizens, errors)
    if "petitioners" in errors:
        errors["citizens"] = errors.pop("petitioners")
    if not specs and "citizens" not in errors:
        errors["citizens"] = ["Hãy ghi ít nhất một công dân đến (người đại diện của đoàn)."]
    count = len(specs) if citizen_count is None else citizen_count
    if not isinstance(count, int) or isinstance(count, bool) or not len(specs) <= count <= MAX_CITIZENS:
        errors["citizen_count"] = [
            f"Số người phải từ số công dân được ghi tên ({len(specs)}) đến {MAX_CITIZENS}."
        ]
    content = (content or "").strip()
    outcome = (outcome or "").strip()
    if not content:
        errors["content"] = ["Hãy nhập nội dung công dân trình bày."]
    _check_text(content, "content", "Nội dung", MAX_CONTENT, errors)
    _check_text(outcome, "outcome", "Kết quả tiếp", MAX_TEXT, errors)
    documents_received = (documents_received or "").strip()
    _check_text(documents_received, "documents_received", "Tài liệu công dân cung cấp", MAX_TEXT, errors)
    if petition is not None and petition.organization_id != organization.pk:
        errors["petition"] = ["Đơn này thuộc sổ của cơ quan khác."]
    if session is not None:
        if session.organization_id != organization.pk:
            errors["session"] = ["Buổi tiếp này thuộc lịch của cơ quan khác."]
        elif session.cancelled:
            errors["session"] = ["Buổi tiếp này đã hủy."]
        elif date is not None and session.date != date:
            errors["session"] = [f"Buổi tiếp này là ngày {session.date:%d/%m/%Y}, khác ngày tiếp đã nhập."]
    if errors:
        raise ValidationError(errors)
    assert receiving_person is not None and date is not None  # checked above
    confidential = bool(confidential) or (petition is not None and petition.kind == Kind.TO_CAO)
    with transaction.atomic():
        reception = Reception.objects.create(
            organization=organization,
            date=date,
            receiving_person=receiving_person,
            citizens=[
                {"full_name": s.full_name, "address": s.address, "id_number": s.id_number, "phone": s.phone}
                for s in specs
            ],
            citizen_count=count,
            content=content,
            outcome=outcome,
            documents_received=documents_received,
            session=session,
            petition=petition,
            confidential=confidential,
            created_by=acting_person(actor),
        )
        audit_record(
            actor=actor,
            action="reception.record",
            target=reception,
            organization_id=organization.pk,
            after={
                "date": date,
                "receiving_person": receiving_person.pk,
                "citizen_count": count,
                "group": reception.group,
                "petition": petition.pk if petition else None,
                "session": session.pk if session else None,
                "confidential": confidential,
            },
        )
    return reception


def reception_link(*, actor: Actor, reception: Reception, petition: Petition) -> Reception:
    """Link a visit to the petition it gave rise to, once the letter is in the book (the
    visit was recorded before it). Linking it to a tố cáo makes it confidential; a
    confidential visit stays so whatever it is linked to next."""
    if not may_write(actor, reception.organization):
        raise PermissionDenied("Bạn không có quyền ghi sổ tiếp công dân của cơ quan này.")
    if petition.organization_id != reception.organization_id:
        raise ValidationError({"petition": ["Đơn này thuộc sổ của cơ quan khác."]})
    with transaction.atomic():
        locked = Reception.objects.select_for_update().get(pk=reception.pk)
        before = {"petition": locked.petition_id, "confidential": locked.confidential}
        locked.petition = petition
        locked.confidential = locked.confidential or petition.kind == Kind.TO_CAO
        locked.save(update_fields=["petition", "confidential"])
        audit_record(
            actor=actor,
            action="reception.link",
            target=locked,
            organization_id=locked.organization_id,
            before=before,
            after={"petition": petition.pk, "confidential": locked.confidential},
        )
    return locked
