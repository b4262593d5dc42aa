"""Every change to people, roles, delegations and staff quotas.

Each service checks the actor's right in the access layer, validates, changes the rows and
writes its audit entry inside one transaction: either all of it happens or none of it.
``actor`` is the signed-in account (a ``User``); errors are ``PermissionDenied`` (no right)
or ``ValidationError`` with Vietnamese messages keyed by field where a field is at fault.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Field, Q
from django.utils import timezone

from vanphong.audit.services import audit_record, changed, snapshot
from vanphong.orgs.access import ROLE_CAPABILITIES, Capability, can, forget_scope
from vanphong.orgs.actors import Actor, person_of
from vanphong.orgs.models import (
    Classification,
    Delegation,
    Organization,
    Person,
    Position,
    Role,
    RoleAssignment,
    StaffQuota,
    Unit,
)

PERSON_FIELDS = frozenset(
    {"full_name", "organization", "unit", "position", "clearance", "email", "phone", "counts_toward_quota"}
)


# --- Checks shared by the services -------------------------------------------------------------


def _max_length(field: Field[Any, Any]) -> int:
    """The length limit of a text column, for the checks that name it."""
    assert field.max_length is not None  # every CharField declares one
    return field.max_length


def _require_manage(actor: Actor, organization: Organization) -> None:
    if not can(actor, Capability.MANAGE_PEOPLE, organization):
        raise PermissionDenied("Bạn không có quyền quản lý cán bộ của tổ chức này.")


def _actor_clearance(actor: Actor) -> int:
    person = person_of(actor)
    return person.clearance if person is not None and person.active else Classification.NONE


def _check_unit(errors: dict[str, list[str]], unit: Unit | None, organization: Organization) -> None:
    if unit is not None and unit.organization_id != organization.pk:
        errors.setdefault("unit", []).append(f"Phòng “{unit}” không thuộc {organization.name}.")


def _check_person_values(errors: dict[str, list[str]], values: dict[str, Any], actor: Actor) -> None:
    full_name = values["full_name"]
    if not full_name:
        errors.setdefault("full_name", []).append("Vui lòng nhập họ và tên.")
    elif len(full_name) > _max_length(Person._meta.get_field("full_name")):
        errors.setdefault("full_name", []).append("Họ và tên dài quá 120 ký tự.")
    organization: Organization = values["organization"]
    if not organization.hosted or not organization.active:
        errors.setdefault("organization", []).append(
            "Chỉ thêm cán bộ cho tổ chức đang hoạt động và dùng hệ thống này."
        )
    _check_unit(errors, values["unit"], organization)
    clearance = values["clearance"]
    if clearance not in Classification.values:
        errors.setdefault("clearance", []).append("Mức tiếp cận bí mật không hợp lệ.")
    elif clearance > _actor_clearance(actor):
        # Otherwise an administrator could create an account cleared above themself and
        # sign in with it: nobody grants more than they hold.
        errors.setdefault("clearance", []).append(
            "Bạn không thể cấp mức tiếp cận bí mật cao hơn mức của chính mình."
        )
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            errors.setdefault("email", []).append("Địa chỉ thư điện tử không hợp lệ.")
    if len(values["phone"]) > _max_length(Person._meta.get_field("phone")):
        errors.setdefault("phone", []).append("Số điện thoại dài quá 30 ký tự.")


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


# --- People ------------------------------------------------------------------------------------


def person_create(
    *,
    actor: Actor,
    full_name: str,
    organization: Organization,
    unit: Unit | None = None,
    position: Position | None = None,
    clearance: int = Classification.NONE,
    email: str = "",
    phone: str = "",
    username: str | None = None,
    password: str | None = None,
) -> Person:
    """Add a member of staff, and their sign-in account when ``username`` is given.

    A password set here is temporary: the account must change it at first sign-in. Without
    one the account cannot sign in until an administrator resets its password."""
    _require_manage(actor, organization)
    values: dict[str, Any] = {
        "full_name": (full_name or "").strip(),
        "organization": organization,
        "unit": unit,
        "position": position,
        "clearance": int(clearance),
        "email": (email or "").strip(),
        "phone": (phone or "").strip(),
    }
    errors: dict[str, list[str]] = {}
    _check_person_values(errors, values, actor)
    user_model = get_user_model()
    username = (username or "").strip() or None
    new_user = None
    if username is not None:
        try:
            user_model._meta.get_field("username").run_validators(username)
        except ValidationError:
            errors.setdefault("username", []).append(
                "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các ký tự @ . + - _ (tối đa 150 ký tự)."
            )
        if len(username) > 150:
            errors.setdefault("username", []).append("Tên đăng nhập dài quá 150 ký tự.")
        if user_model.objects.filter(username__iexact=username).exists():
            errors.setdefault("username", []).append(f"Tên đăng nhập “{username}” đã có người dùng.")
        new_user = user_model(username=username, email=values["email"], is_active=True)
        if password:
            try:
                validate_password(password, user=new_user)
            except ValidationError as exc:
                errors.setdefault("password", []).extend(exc.messages)
    elif password:
        errors.setdefault("password", []).append("Chỉ đặt mật khẩu khi có tên đăng nhập.")
    _raise(errors)

    with transaction.atomic():
        if new_user is not None:
            if password:
                new_user.set_password(password)
                new_user.must_change_password = True
            else:
                new_user.set_unusable_password()
            new_user.save()
        person = Person.objects.create(user=new_user, **values)
        after = snapshot(person)
        if new_user is not None:
            after["username"] = new_user.username
        audit_record(actor=actor, action="person.create", target=person, after=after)
    return person


def person_update(*, actor: Actor, person: Person, **fields: Any) -> Person:
    """Change a person's details (name, organisation, unit, position, clearance, contacts)."""
    unknown = set(fields) - PERSON_FIELDS
    if unknown:
        raise TypeError(f"person_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _require_manage(actor, person.organization)
    values: dict[str, Any] = {
        "full_name": person.full_name,
        "organization": person.organization,
        "unit": person.unit,
        "position": person.position,
        "clearance": person.clearance,
        "email": person.email,
        "phone": person.phone,
        "counts_toward_quota": person.counts_toward_quota,
    }
    for key, value in fields.items():
        values[key] = value.strip() if isinstance(value, str) else value
    values["clearance"] = int(values["clearance"])
    if values["organization"].pk != person.organization_id:
        _require_manage(actor, values["organization"])
    errors: dict[str, list[str]] = {}
    if not person.active:
        errors.setdefault("__all__", []).append("Cán bộ này đã thôi công tác, không sửa được nữa.")
    _check_person_values(errors, values, actor)
    if values["clearance"] == person.clearance:
        # Keeping a clearance someone else granted is not granting it.
        errors.pop("clearance", None)
    _raise(errors)

    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        before = snapshot(locked)
        for key, value in values.items():
            setattr(locked, key, value)
        locked.save()
        old, new = changed(before, snapshot(locked))
        if new:
            audit_record(actor=actor, action="person.update", target=locked, before=old, after=new)
    for key, value in values.items():
        setattr(person, key, value)
    return person


def person_deactivate(*, actor: Actor, person: Person) -> Person:
    """The person leaves (thôi công tác): their account is disabled, their roles end today
    and every delegation they gave or received is revoked."""
    _require_manage(actor, person.organization)
    if not person.active:
        raise ValidationError("Cán bộ này đã thôi công tác.")
    own = person_of(actor)
    if own is not None and own.pk == person.pk:
        raise ValidationError("Bạn không thể tự cho mình thôi công tác.")
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        locked.active = False
        locked.save(update_fields=["active"])
        if locked.user_id is not None:
            get_user_model().objects.filter(pk=locked.user_id).update(is_active=False)
        current = RoleAssignment.objects.filter(person=locked).exclude(ends_on__lt=today)
        # Roles not started yet are withdrawn; an end before the start would mean nothing.
        withdrawn = list(current.filter(starts_on__gt=today).values_list("pk", flat=True))
        RoleAssignment.objects.filter(pk__in=withdrawn).delete()
        ended = list(current.exclude(pk__in=withdrawn).values_list("pk", flat=True))
        RoleAssignment.objects.filter(pk__in=ended).update(ends_on=today)
        revoked = list(
            Delegation.objects.filter(revoked_at__isnull=True, ends_at__gt=now)
            .filter(Q(role_assignment__person=locked) | Q(delegate=locked))
            .values_list("pk", flat=True)
        )
        Delegation.objects.filter(pk__in=revoked).update(revoked_at=now)
        audit_record(
            actor=actor,
            action="person.deactivate",
            target=locked,
            before={"active": True},
            after={
                "active": False,
                "roles_ended": ended,
                "roles_withdrawn": withdrawn,
                "delegations_revoked": revoked,
            },
        )
    person.active = False
    forget_scope(actor)
    return person


# --- Roles -------------------------------------------------------------------------------------


def role_assign(
    *,
    actor: Actor,
    person: Person,
    organization: Organization,
    role: str,
    unit: Unit | None = None,
    title: str = "",
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
) -> RoleAssignment:
    """Give ``person`` a role in ``organization`` from ``starts_on`` (today by default).

    Nobody gives a role to themself: an administrator, whose role deliberately carries no
    right over documents, could otherwise hand themself a leader's."""
    _require_manage(actor, organization)
    _require_manage(actor, person.organization)
    own = person_of(actor)
    if own is not None and own.pk == person.pk:
        raise PermissionDenied(
            "Không thể tự giao vai trò cho chính mình: việc này do người quản trị khác thực hiện."
        )
    starts_on = starts_on or timezone.localdate()
    title = (title or "").strip()
    errors: dict[str, list[str]] = {}
    if not person.active:
        errors.setdefault("person", []).append("Cán bộ này đã thôi công tác, không giao vai trò được.")
    if role not in Role.values:
        errors.setdefault("role", []).append("Vai trò không hợp lệ.")
    if not organization.hosted or not organization.active:
        errors.setdefault("organization", []).append(
            "Chỉ giao vai trò tại tổ chức đang hoạt động và dùng hệ thống này."
        )
    _check_unit(errors, unit, organization)
    if len(title) > _max_length(RoleAssignment._meta.get_field("title")):
        errors.setdefault("title", []).append("Chức danh dài quá 120 ký tự.")
    if ends_on is not None and ends_on < starts_on:
        errors.setdefault("ends_on", []).append("Ngày kết thúc phải sau hoặc trùng ngày bắt đầu.")
    _raise(errors)

    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()  # one assigner at a time
        overlapping = RoleAssignment.objects.filter(
            person=person, organization=organization, role=role, unit=unit
        ).exclude(ends_on__lt=starts_on)
        if ends_on is not None:
            overlapping = overlapping.filter(starts_on__lte=ends_on)
        if overlapping.exists():
            raise ValidationError(
                {
                    "role": [
                        f"{person.full_name} đã giữ vai trò này tại {organization.name} trong thời gian đó."
                    ]
                }
            )
        assignment = RoleAssignment.objects.create(
            person=person,
            organization=organization,
            role=role,
            unit=unit,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(actor=actor, action="role.assign", target=assignment, after=snapshot(assignment))
    forget_scope(actor)
    return assignment


def role_end(*, actor: Actor, assignment: RoleAssignment, on: dt.date | None = None) -> RoleAssignment:
    """End a role on ``on`` (today by default; the role still counts on that day)."""
    _require_manage(actor, assignment.organization)
    on = on or timezone.localdate()
    own = person_of(actor)
    if (
        own is not None
        and assignment.person_id == own.pk
        and Capability.MANAGE_PEOPLE in ROLE_CAPABILITIES.get(assignment.role, frozenset())
    ):
        raise ValidationError("Bạn không thể tự kết thúc vai trò quản trị của mình.")
    if assignment.ends_on is not None and assignment.ends_on <= on:
        raise ValidationError({"on": [f"Vai trò này đã kết thúc ngày {assignment.ends_on:%d/%m/%Y}."]})
    if on < assignment.starts_on:
        raise ValidationError(
            {"on": [f"Ngày kết thúc không được trước ngày bắt đầu ({assignment.starts_on:%d/%m/%Y})."]}
        )
    with transaction.atomic():
        locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
        before = {"ends_on": locked.ends_on}
        locked.ends_on = on
        locked.save(update_fields=["ends_on"])
        revoked: list[int] = []
        if on <= timezone.localdate():
            # Delegations of a role that is over would show as current: revoke them with it.
            now = timezone.now()
            revoked = list(
                locked.delegations.filter(revoked_at__isnull=True, ends_at__gt=now).values_list(
                    "pk", flat=True
                )
            )
            Delegation.objects.filter(pk__in=revoked).update(revoked_at=now)
        audit_record(
            actor=actor,
            action="role.end",
            target=locked,
            before=before,
            after={"ends_on": on, "delegations_revoked": revoked},
        )
    assignment.ends_on = on
    forget_scope(actor)
    return assignment


# --- Delegations (ủy quyền) --------------------------------------------------------------------


def _may_delegate(actor: Actor, role_assignment: RoleAssignment) -> bool:
    own = person_of(actor)
    if own is not None and own.active and own.pk == role_assignment.person_id:
        return True
    return can(actor, Capability.MANAGE_PEOPLE, role_assignment.organization)


def delegation_create(
    *,
    actor: Actor,
    role_assignment: RoleAssignment,
    delegate: Person,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    reason: str,
) -> Delegation:
    """While the holder of ``role_assignment`` is away, ``delegate`` holds that role.

    Allowed for the holder themself or for whoever manages people of the organisation."""
    if not _may_delegate(actor, role_assignment):
        raise PermissionDenied("Bạn không có quyền ủy quyền vai trò này.")
    creator = person_of(actor)
    if creator is None:
        raise PermissionDenied("Tài khoản của bạn chưa gắn với cán bộ nào nên không lập được ủy quyền.")
    reason = (reason or "").strip()
    now = timezone.now()
    organization = role_assignment.organization
    errors: dict[str, list[str]] = {}
    if role_assignment.ends_on is not None and role_assignment.ends_on < timezone.localdate():
        errors.setdefault("role_assignment", []).append("Vai trò này đã kết thúc, không ủy quyền được.")
    if not delegate.active:
        errors.setdefault("delegate", []).append("Người được ủy quyền đã thôi công tác.")
    elif delegate.pk == role_assignment.person_id:
        errors.setdefault("delegate", []).append("Không thể ủy quyền cho chính người giữ vai trò.")
    elif delegate.pk == creator.pk:
        errors.setdefault("delegate", []).append(
            "Không thể tự lập ủy quyền cho chính mình: người giữ vai trò hoặc quản trị khác lập ủy quyền này."
        )
    elif not delegate.organization.path.startswith(organization.path):
        errors.setdefault("delegate", []).append(
            f"Người được ủy quyền phải công tác tại {organization.name} hoặc tổ chức trực thuộc."
        )
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("starts_at and ends_at must be timezone-aware")
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append("Thời điểm kết thúc phải sau thời điểm bắt đầu.")
    elif ends_at <= now:
        errors.setdefault("ends_at", []).append("Thời điểm kết thúc đã qua.")
    if not reason:
        errors.setdefault("reason", []).append("Vui lòng ghi lý do ủy quyền.")
    elif len(reason) > _max_length(Delegation._meta.get_field("reason")):
        errors.setdefault("reason", []).append("Lý do dài quá 255 ký tự.")
    _raise(errors)

    with transaction.atomic():
        # Lock the role so that two overlapping delegations cannot both pass the check.
        RoleAssignment.objects.select_for_update().filter(pk=role_assignment.pk).first()
        clash = (
            Delegation.objects.filter(role_assignment=role_assignment, revoked_at__isnull=True)
            .filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("delegate")
            .first()
        )
        if clash is not None:
            local_start = timezone.localtime(clash.starts_at)
            local_end = timezone.localtime(clash.ends_at)
            raise ValidationError(
                {
                    "starts_at": [
                        f"Vai trò này đã được ủy quyền cho {clash.delegate.full_name} "
                        f"từ {local_start:%H:%M %d/%m/%Y} đến {local_end:%H:%M %d/%m/%Y}; "
                        "hai lần ủy quyền không được trùng thời gian."
                    ]
                }
            )
        delegation = Delegation.objects.create(
            role_assignment=role_assignment,
            delegate=delegate,
            starts_at=starts_at,
            ends_at=ends_at,
            reason=reason,
            created_by=creator,
        )
        audit_record(
            actor=actor,
            action="delegation.create",
            target=delegation,
            organization_id=organization.pk,
            after=snapshot(delegation),
        )
    return delegation


def delegation_revoke(*, actor: Actor, delegation: Delegation) -> Delegation:
    """Withdraw a delegation before it ends."""
    if not _may_delegate(actor, delegation.role_assignment):
        raise PermissionDenied("Bạn không có quyền thu hồi ủy quyền này.")
    now = timezone.now()
    if delegation.revoked_at is not None:
        raise ValidationError("Ủy quyền này đã được thu hồi.")
    if delegation.ends_at <= now:
        raise ValidationError("Ủy quyền này đã hết hạn.")
    with transaction.atomic():
        locked = Delegation.objects.select_for_update().get(pk=delegation.pk)
        if locked.revoked_at is not None:
            raise ValidationError("Ủy quyền này đã được thu hồi.")
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="delegation.revoke",
            target=locked,
            organization_id=delegation.role_assignment.organization_id,
            before={"revoked_at": None},
            after={"revoked_at": now},
        )
    delegation.revoked_at = now
    return delegation


# --- Staff quotas (biên chế) -------------------------------------------------------------------


def staff_quota_set(
    *,
    actor: Actor,
    organization: Organization,
    unit: Unit | None = None,
    approved: int,
    decision: str = "",
) -> StaffQuota:
    """Record the approved staff number of an organisation, or of one of its units."""
    _require_manage(actor, organization)
    decision = (decision or "").strip()
    errors: dict[str, list[str]] = {}
    _check_unit(errors, unit, organization)
    if isinstance(approved, bool) or not isinstance(approved, int):
        errors.setdefault("approved", []).append("Biên chế được giao phải là một số nguyên.")
    elif approved < 0:
        errors.setdefault("approved", []).append("Biên chế được giao không được âm.")
    elif approved > 100_000:
        errors.setdefault("approved", []).append("Biên chế được giao quá lớn.")
    if len(decision) > _max_length(StaffQuota._meta.get_field("decision")):
        errors.setdefault("decision", []).append("Số, ký hiệu văn bản dài quá 255 ký tự.")
    _raise(errors)

    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=organization.pk).first()
        quota = StaffQuota.objects.filter(organization=organization, unit=unit).first()
        before = snapshot(quota, ["approved", "decision"]) if quota is not None else None
        if quota is None:
            quota = StaffQuota.objects.create(
                organization=organization, unit=unit, approved=approved, decision=decision
            )
        else:
            quota.approved, quota.decision = approved, decision
            quota.save(update_fields=["approved", "decision"])
        audit_record(
            actor=actor,
            action="staff_quota.set",
            target=quota,
            before=before,
            after={"approved": approved, "decision": decision, "unit": unit.pk if unit else None},
        )
    return quota
