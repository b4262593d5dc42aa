"""The office's calendar of days off and worked days (``CalendarDay``): the Government's yearly
decisions — bridges, days off in lieu, Saturdays worked — entered on the "Lịch ngày nghỉ"
page. Each change is audited, and moves the working-day due date of the open tasks around the
changed days (the ``CalendarDay`` receivers call ``effective_due_refresh``).

Who may: the calendar is one for the whole installation, so it is kept at the top — the
administrators of the provincial committee (MANAGE_PEOPLE there) and whoever directs in its
Văn phòng (DIRECT: the office's leaders, and the committee's leaders, whose reach covers it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from vanphong.audit.services import audit_record
from vanphong.orgs.access import Capability, can
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization, OrgKind
from vanphong.tasks.models import CalendarDay, DayKind

NAME_MAX_LENGTH = CalendarDay._meta.get_field("name").max_length or 120


def top_committee() -> Organization | None:
    """The provincial committee: the highest hosted Party committee."""
    return (
        Organization.objects.filter(hosted=True, active=True, kind=OrgKind.COMMITTEE)
        .order_by("depth", "order", "pk")
        .first()
    )


def may_keep_calendar(user: Actor | None) -> bool:
    """Whether ``user`` may enter, change and delete the days of the office calendar."""
    if user is None or not user.is_authenticated:
        return False
    committee = top_committee()
    if committee is None:
        return False
    if can(user, Capability.MANAGE_PEOPLE, committee):
        return True
    offices = Organization.objects.filter(parent=committee, is_office=True, active=True)
    return any(can(user, Capability.DIRECT, office) for office in offices)


def _snapshot(day: CalendarDay) -> dict[str, Any]:
    return {"date": day.date.isoformat(), "kind": day.kind, "name": day.name}


def _check(actor: Actor) -> None:
    if not may_keep_calendar(actor):
        raise PermissionDenied("Bạn không có quyền cập nhật lịch ngày nghỉ, ngày làm bù.")


def calendar_day_save(
    *, actor: Actor, date: dt.date, kind: str, name: str, day: CalendarDay | None = None
) -> tuple[CalendarDay, int]:
    """Add a day (``day`` None) or change one. Returns the row and how many open tasks had
    their working-day due date moved."""
    _check(actor)
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in DayKind.values:
        errors["kind"] = ["Loại ngày không hợp lệ."]
    if not name:
        errors["name"] = ["Vui lòng nhập lý do (tên ngày nghỉ, căn cứ thông báo)."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"Lý do dài tối đa {NAME_MAX_LENGTH} ký tự."]
    taken = CalendarDay.objects.filter(date=date)
    if day is not None:
        taken = taken.exclude(pk=day.pk)
    if taken.exists():
        errors["date"] = [f"Ngày {date:%d/%m/%Y} đã có trong lịch: sửa dòng đã có."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        before = _snapshot(day) if day is not None else None
        row = day or CalendarDay()
        row.date, row.kind, row.name = date, kind, name
        row.save()  # the receivers refresh the open tasks' due dates
        moved = getattr(row, "_tasks_moved", 0)
        audit_record(
            actor=actor,
            action="calendar_day.update" if before else "calendar_day.create",
            target=row,
            before=before,
            after={**_snapshot(row), "tasks_moved": moved},
        )
    return row, moved


def calendar_day_delete(*, actor: Actor, day: CalendarDay) -> int:
    """Remove a day from the calendar; returns how many open tasks moved."""
    _check(actor)
    with transaction.atomic():
        before = _snapshot(day)
        pk = day.pk
        day.delete()  # the receivers refresh the open tasks' due dates
        moved = getattr(day, "_tasks_moved", 0)
        audit_record(
            actor=actor,
            action="calendar_day.delete",
            target_type=CalendarDay._meta.label_lower,
            target_id=pk,
            target_repr=str(day),
            before=before,
            after={"tasks_moved": moved},
        )
    return moved
