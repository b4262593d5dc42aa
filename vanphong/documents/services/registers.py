"""Configuring an organisation's books (sổ văn bản) and its Party committee terms.

Who may configure: the books are the Văn phòng's, so a register or a term is set up by the
Chánh Văn phòng — a role holding both REGISTER and DIRECT in the organisation
(``lanh_dao_van_phong``) — or by an administrator of the organisation (MANAGE_PEOPLE).
A clerk keeps the books but does not change their rules; a committee leader directs but
does not keep books.

The numbering policy of a register (kind, classified, reset, per_type, secret_series) is
frozen once the register holds an entry: changing it would renumber or re-series the
numbers already given. The office opens a new register instead and closes the old one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field, Q, QuerySet

from vanphong.audit.services import audit_record, changed, snapshot
from vanphong.documents.doctypes import name_of
from vanphong.documents.models import NumberReset, Register, RegisterEntry, RegisterKind, Style, Term
from vanphong.documents.numbering import term_for
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.orgs.access import Capability, scope_for
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization


def _max_length(field: Field[Any, Any]) -> int:
    """The length limit of a text column, for the checks that name it."""
    assert field.max_length is not None  # every CharField declares one
    return field.max_length


POLICY_FIELDS = ("kind", "classified", "reset", "per_type", "secret_series")
EDITABLE_FIELDS = ("name", "style", "order", *POLICY_FIELDS)
NAME_MAX = _max_length(Register._meta.get_field("name"))
TERM_NAME_MAX = _max_length(Term._meta.get_field("name"))


def may_configure(actor: Actor, organization: Organization) -> bool:
    """Whether ``actor`` may configure the books and terms of ``organization``: an
    administrator reaching it, or one role reaching it with both REGISTER and DIRECT."""
    scope = scope_for(actor)
    if scope.reaches(Capability.MANAGE_PEOPLE, organization):
        return True
    for grant in scope.grants:
        caps = grant.capabilities
        keeps_and_directs = Capability.REGISTER in caps and Capability.DIRECT in caps
        reaches = grant.organization_id == organization.pk or (
            grant.subtree and organization.path.startswith(grant.path)
        )
        if keeps_and_directs and reaches:
            return True
    return False


def _require_configure(actor: Actor, organization: Organization) -> None:
    if not may_configure(actor, organization):
        raise PermissionDenied(
            "Chỉ Chánh Văn phòng hoặc quản trị hệ thống của cơ quan mới được thiết lập sổ văn bản, nhiệm kỳ."
        )


def _check_values(values: dict[str, Any], organization: Organization, *, exclude_pk: int | None) -> None:
    errors: dict[str, list[str]] = {}
    name = values["name"]
    if not name:
        errors.setdefault("name", []).append("Vui lòng nhập tên sổ.")
    elif len(name) > NAME_MAX:
        errors.setdefault("name", []).append(f"Tên sổ dài quá {NAME_MAX} ký tự.")
    elif (
        Register.objects.filter(organization=organization, name__iexact=name).exclude(pk=exclude_pk).exists()  # type: ignore[misc]  # pk=None excludes nothing
    ):
        errors.setdefault("name", []).append(f"{organization.short_name} đã có sổ tên “{name}”.")
    if values["kind"] not in RegisterKind.values:
        errors.setdefault("kind", []).append("Loại sổ không hợp lệ.")
    if values["reset"] not in NumberReset.values:
        errors.setdefault("reset", []).append("Cách đánh số lại không hợp lệ.")
    if values["style"] not in Style.values:
        errors.setdefault("style", []).append("Thể thức không hợp lệ.")
    if values["secret_series"] and values["classified"]:
        errors.setdefault("secret_series", []).append(
            "Sổ văn bản mật chỉ ghi văn bản mật: không cần dãy số riêng cho văn bản mật."
        )
    if errors:
        raise ValidationError(errors)


def _values(
    *,
    kind: str,
    name: str,
    classified: bool,
    reset: str,
    per_type: bool,
    secret_series: bool,
    style: str,
    order: int,
) -> dict[str, Any]:
    return {
        "kind": kind,
        "name": " ".join((name or "").split()),
        "classified": bool(classified),
        "reset": reset,
        "per_type": bool(per_type),
        "secret_series": bool(secret_series),
        "style": style,
        "order": int(order),
    }


def register_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    name: str,
    classified: bool = False,
    reset: str = NumberReset.YEARLY,
    per_type: bool = False,
    secret_series: bool = False,
    style: str = Style.PARTY,
    order: int = 0,
) -> Register:
    """Open a new register in ``organization`` with its numbering policy."""
    _require_configure(actor, organization)
    values = _values(
        kind=kind,
        name=name,
        classified=classified,
        reset=reset,
        per_type=per_type,
        secret_series=secret_series,
        style=style,
        order=order,
    )
    _check_values(values, organization, exclude_pk=None)
    with transaction.atomic():
        register = Register.objects.create(organization=organization, **values)
        audit_record(
            actor=actor,
            action="register.create",
            target=register,
            after=snapshot(register),
        )
    return register


def register_update(
    *,
    actor: Actor,
    register: Register,
    name: str,
    kind: str,
    classified: bool,
    reset: str,
    per_type: bool,
    secret_series: bool,
    style: str,
    order: int = 0,
) -> Register:
    """Rename, reorder or restyle a register; change its numbering policy only while it
    holds no entry."""
    _require_configure(actor, register.organization)
    values = _values(
        kind=kind,
        name=name,
        classified=classified,
        reset=reset,
        per_type=per_type,
        secret_series=secret_series,
        style=style,
        order=order,
    )
    _check_values(values, register.organization, exclude_pk=register.pk)
    with transaction.atomic():
        locked = Register.objects.select_for_update().get(pk=register.pk)
        policy_changed = [f for f in POLICY_FIELDS if getattr(locked, f) != values[f]]
        if policy_changed and RegisterEntry.objects.filter(register=locked).exists():
            raise ValidationError(
                {
                    policy_changed[0]: (
                        f"Sổ “{locked.name}” đã có văn bản vào sổ nên không thể thay đổi loại sổ "
                        "hoặc cách đánh số: các số đã cấp sẽ không còn đúng. Hãy mở một sổ mới "
                        "với cách đánh số mới và đóng sổ này lại."
                    )
                }
            )
        before = snapshot(locked, list(EDITABLE_FIELDS))
        for field, value in values.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(EDITABLE_FIELDS))
        before, after = changed(before, snapshot(locked, list(EDITABLE_FIELDS)))
        if after:
            audit_record(actor=actor, action="register.update", target=locked, before=before, after=after)
    return locked


def register_close(*, actor: Actor, register: Register) -> Register:
    """Stop using a register: no new entry goes into it; its entries stay as they are."""
    _require_configure(actor, register.organization)
    with transaction.atomic():
        locked = Register.objects.select_for_update().get(pk=register.pk)
        if not locked.active:
            raise ValidationError(f"Sổ “{locked.name}” đã được đóng từ trước.")
        locked.active = False
        locked.save(update_fields=["active"])
        audit_record(
            actor=actor,
            action="register.close",
            target=locked,
            before={"active": True},
            after={"active": False},
        )
    return locked


def registers_open_defaults(
    *,
    actor: Actor,
    organization: Organization,
    style: str = Style.PARTY,
    term_name: str = "",
    term_start: dt.date | None = None,
) -> list[Register]:
    """ "Mở sổ mặc định": the books an office keeps by default (see
    ``registering.registers_provision_defaults``), those missing created. A Party-style
    office whose committee has no term yet must give the first one."""
    _require_configure(actor, organization)
    if style not in Style.values:
        raise ValidationError({"style": "Thể thức không hợp lệ."})
    term_name = " ".join((term_name or "").split())
    errors: dict[str, str] = {}
    if term_start is not None and not term_name:
        errors["term_name"] = "Vui lòng nhập tên nhiệm kỳ, ví dụ 2025 - 2030."
    if term_name and term_start is None:
        errors["term_start"] = "Vui lòng nhập ngày bắt đầu nhiệm kỳ."
    if len(term_name) > TERM_NAME_MAX:
        errors["term_name"] = f"Tên nhiệm kỳ dài quá {TERM_NAME_MAX} ký tự."
    if errors:
        raise ValidationError(errors)
    candidates = [organization.pk, *organization.ancestors().values_list("pk", flat=True)]
    has_term = Term.objects.filter(organization_id__in=candidates).exists()
    if style == Style.PARTY and term_start is None and not has_term:
        raise ValidationError(
            {
                "term_start": (
                    "Sổ văn bản đi của cấp ủy đánh số theo nhiệm kỳ: vui lòng khai báo nhiệm kỳ "
                    "(tên và ngày bắt đầu) để mở sổ."
                )
            }
        )
    with transaction.atomic():
        existing = set(Register.objects.filter(organization=organization).values_list("pk", flat=True))
        term = None
        if (
            style == Style.PARTY
            and term_start is not None
            and not Term.objects.filter(organization=organization, name__iexact=term_name).exists()
        ):
            term = _term_insert(actor=actor, organization=organization, name=term_name, starts_on=term_start)
        registers = registers_provision_defaults(
            organization=organization, style=style, term_name=term_name or "2025 - 2030", term_start=None
        )
        created = [r for r in registers if r.pk not in existing]
        audit_record(
            actor=actor,
            action="register.open_defaults",
            target=organization,
            organization_id=organization.pk,
            after={"style": style, "created": [r.pk for r in created], "term": term.pk if term else None},
        )
    return registers


# --- Terms -------------------------------------------------------------------------------------


def _term_insert(*, actor: Actor, organization: Organization, name: str, starts_on: dt.date) -> Term:
    """Inside the caller's transaction: check, close the term before, create, audit."""
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Vui lòng nhập tên nhiệm kỳ, ví dụ 2025 - 2030."
    elif len(name) > TERM_NAME_MAX:
        errors["name"] = f"Tên nhiệm kỳ dài quá {TERM_NAME_MAX} ký tự."
    elif Term.objects.filter(organization=organization, name__iexact=name).exists():
        errors["name"] = f"{organization.short_name} đã có nhiệm kỳ “{name}”."
    if errors:
        raise ValidationError(errors)
    terms = Term.objects.select_for_update().filter(organization=organization).order_by("-starts_on")
    latest = terms.first()
    if latest is not None and latest.starts_on >= starts_on:
        raise ValidationError(
            {
                "starts_on": (
                    f"Nhiệm kỳ {latest.name} bắt đầu ngày {latest.starts_on:%d/%m/%Y}: nhiệm kỳ mới phải "
                    "bắt đầu sau ngày đó (các nhiệm kỳ không được chồng lên nhau)."
                )
            }
        )
    if latest is not None and (latest.ends_on is None or latest.ends_on >= starts_on):
        # Numbers already given in the old term after the new one starts would sit in the
        # wrong series: refuse rather than leave the books inconsistent.
        in_old_series = Q(series=f"t{latest.pk}") | Q(series__startswith=f"t{latest.pk}|")
        late = (
            RegisterEntry.objects.filter(in_old_series, registered_at__date__gte=starts_on)
            .order_by("registered_at")
            .first()
        )
        if late is not None:
            raise ValidationError(
                {
                    "starts_on": (
                        f"Đã có văn bản được đánh số theo nhiệm kỳ {latest.name} vào ngày "
                        f"{late.registered_at:%d/%m/%Y}, sau ngày bắt đầu nhiệm kỳ mới. Hãy chọn ngày "
                        "bắt đầu sau ngày đó."
                    )
                }
            )
        old_end = latest.ends_on
        latest.ends_on = starts_on - dt.timedelta(days=1)
        latest.save(update_fields=["ends_on"])
        audit_record(
            actor=actor,
            action="term.close",
            target=latest,
            before={"ends_on": old_end},
            after={"ends_on": latest.ends_on},
        )
    term = Term.objects.create(organization=organization, name=name, starts_on=starts_on)
    audit_record(actor=actor, action="term.create", target=term, after=snapshot(term))
    return term


def term_create(*, actor: Actor, organization: Organization, name: str, starts_on: dt.date) -> Term:
    """Declare a new committee term. The previous term ends the day before this one starts;
    terms never overlap, and a new term starts after every earlier one."""
    _require_configure(actor, organization)
    with transaction.atomic():
        return _term_insert(
            actor=actor, organization=organization, name=" ".join((name or "").split()), starts_on=starts_on
        )


# --- Reads and words (shared by the pages and the API) ---------------------------------------


def registers_visible_to(user: Actor) -> QuerySet[Register]:
    """Registers of the organisations ``user`` may read; a classified register only for its
    keepers and leaders (``classified_keeper_q``), as for the classified entries in it."""
    scope = scope_for(user)
    ordinary = Q(classified=False) & scope.org_q(Capability.READ, prefix="organization__")
    keeper = scope.classified_keeper_q(prefix="organization__")
    return Register.objects.filter(ordinary | (Q(classified=True) & keeper))


def current_term(organization: Organization, on: dt.date) -> Term | None:
    """The term numbering of ``organization`` follows on ``on`` (its own or its committee's)."""
    probe = Register(organization=organization, name="", reset=NumberReset.TERM)
    try:
        return term_for(probe, on)
    except ValidationError:
        return None


def current_series_key(register: Register, on: dt.date, term: Term | None) -> str | None:
    """The leading part of the series keys in use on ``on`` ("2026", "t3", "all")."""
    if register.reset == NumberReset.YEARLY:
        return str(on.year)
    if register.reset == NumberReset.TERM:
        return f"t{term.pk}" if term is not None else None
    return "all"


def policy_words(register: Register, term: Term | None) -> str:
    """The numbering policy in words: "Đánh số theo từng loại văn bản trong nhiệm kỳ 2025 -
    2030; văn bản mật chung dãy số"."""
    if register.reset == NumberReset.TERM:
        period = (
            f"trong nhiệm kỳ {term.name}" if term is not None else "trong nhiệm kỳ (chưa khai báo nhiệm kỳ)"
        )
    elif register.reset == NumberReset.YEARLY:
        period = "từ số 01 mỗi năm"
    else:
        period = "một dãy số liên tục, không đánh lại"
    if register.per_type:
        text = f"Đánh số theo từng loại văn bản {period}"
    else:
        text = f"Một dãy số chung cho mọi loại văn bản, {period}"
    if register.classified:
        return f"{text}; sổ riêng cho văn bản mật"
    secret = "văn bản mật có dãy số riêng" if register.secret_series else "văn bản mật chung dãy số"
    return f"{text}; {secret}"


def series_words(register: Register, series: str) -> str:
    """A counter's series for people: "Nghị quyết", "Công văn (mật)", "" for the only one."""
    parts = series.split("|")[1:]
    words = []
    for part in parts:
        if part == "M":
            words.append("mật")
        else:
            words.append(name_of(part, register.style) or part)
    if not words:
        return ""
    if words[-1] == "mật" and len(words) > 1:
        return f"{' '.join(words[:-1])} (mật)"
    return " ".join(words).capitalize() if words == ["mật"] else " ".join(words)
