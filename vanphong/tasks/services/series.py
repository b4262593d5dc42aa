"""Recurring tasks: a series and its occurrences, made ahead by the daily job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vanphong.orgs.actors import Actor
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import (
    EventKind,
    Frequency,
    Outcome,
    PartyRole,
    Task,
    TaskSeries,
)
from vanphong.tasks.services.common import (
    _announce,
    _audit,
    _event,
    _require_manage,
)
from vanphong.tasks.services.create import TaskSource, task_create


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _day_in(year: int, month: int, day: int) -> dt.date:
    nxt_y, nxt_m = _month_add(year, month, 1)
    last = (dt.date(nxt_y, nxt_m, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day, last))


def occurrence_dates(series: TaskSeries, start: dt.date, end: dt.date) -> list[dt.date]:
    """The due dates of ``series`` within [start, end] (and within the series' own span).
    Periods are calendar months, quarters (Jan–Mar …), halves or years; the occurrence
    falls on ``day_of_month`` of the period's last month, or of its ``month_in_period``-th."""
    step = int(series.frequency)
    first = max(start, series.starts_on)
    last = min(end, series.ends_on) if series.ends_on else end
    if first > last:
        return []
    offset = step - 1 if series.month_in_period in (0, None) else min(series.month_in_period, step) - 1
    dates = []
    period_start_month = ((first.month - 1) // step) * step + 1
    year, month = first.year, period_start_month
    while True:
        y, m = _month_add(year, month, offset)
        day = _day_in(y, m, series.day_of_month)
        if day > last:
            break
        if day >= first:
            dates.append(day)
        year, month = _month_add(year, month, step)
    return dates


def series_create(
    *,
    actor: Actor,
    frequency: int,
    day_of_month: int,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    month_in_period: int = 0,
    **task_fields: Any,
) -> TaskSeries:
    """A recurring task: the rule, and its first occurrence (the first due date on or after
    ``starts_on`` and today), made with ``task_create``'s checks. Later occurrences are made ahead by
    ``series_generate`` (a daily job), as copies of the latest one."""
    errors: dict[str, str] = {}
    if frequency not in Frequency.values:
        errors["frequency"] = _("Chu kỳ không hợp lệ.")
    if not isinstance(day_of_month, int) or not 1 <= day_of_month <= 31:
        errors["day_of_month"] = _("Ngày trong tháng từ 1 đến 31.")
    if frequency in Frequency.values and not 0 <= (month_in_period or 0) <= int(frequency):
        errors["month_in_period"] = _("Tháng trong kỳ không hợp lệ.")
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
    if errors:
        raise ValidationError(errors)
    task_fields.pop("due_date", None)
    with transaction.atomic():
        series = TaskSeries.objects.create(
            frequency=frequency,
            day_of_month=day_of_month,
            month_in_period=month_in_period or 0,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        first = max(starts_on, timezone.localdate())  # no occurrence made already late
        dates = occurrence_dates(series, first, ends_on or first + dt.timedelta(days=2 * 366))
        if not dates:
            raise ValidationError({"ends_on": _("Khoảng thời gian không có kỳ nào đến hạn.")})
        task_create(actor=actor, series=series, due_date=dates[0], **task_fields)
    return series


def series_generate(
    series: TaskSeries, *, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> list[Task]:
    """Make the occurrences of ``series`` due within the horizon that do not exist yet, as
    copies of its latest one. Running it twice makes nothing more."""
    from django.conf import settings

    today = today or timezone.localdate()
    if not series.active:
        return []
    latest = series.tasks.order_by("-original_due_date", "-id").first()
    if latest is None or latest.original_due_date is None:
        return []
    horizon = today + dt.timedelta(days=settings.VANPHONG_TASK_SERIES_HORIZON_DAYS)
    dates = occurrence_dates(series, latest.original_due_date + dt.timedelta(days=1), horizon)
    if not dates:
        return []
    calendar = calendar or WorkCalendar.load()
    made = []
    cooperating = [
        p.target
        for p in latest.parties.filter(role=PartyRole.COOPERATE).select_related(
            "organization", "unit", "person"
        )
    ]
    lead = latest.lead_person or latest.lead_unit or latest.lead_organization
    for due in dates:
        if Task.objects.filter(series=series, original_due_date=due).exists():
            continue
        try:
            with transaction.atomic():
                made.append(
                    task_create(
                        actor=None,
                        organization=latest.organization,
                        title=latest.title,
                        content=latest.content,
                        lead=lead,
                        cooperating=cooperating,
                        due_date=due,
                        priority=latest.priority,
                        classification=latest.classification,
                        source=TaskSource(
                            kind=latest.source_kind,
                            obj=latest.source,
                            document=latest.source_document,
                            label=latest.source_label,
                        ),
                        issued_by=latest.issued_by,
                        parent=latest.parent
                        if latest.parent and latest.parent.outcome == Outcome.OPEN
                        else None,
                        series=series,
                        assigned_on=min(today, due),
                        calendar=calendar,
                        check_access=False,
                        created_by=latest.created_by,
                    )
                )
        except IntegrityError:  # made meanwhile by another run: the unique (series, due) holds
            continue
    return made


def series_end(*, actor: Actor, task: Task, reason: str) -> TaskSeries:
    """Stop a recurring task: no occurrence is made after today (those already made stay,
    to be done or cancelled one by one)."""
    _require_manage(actor, task)
    reason = (reason or "").strip()
    if task.series_id is None:
        raise ValidationError(_("Đây không phải nhiệm vụ định kỳ."))
    if not reason:
        raise ValidationError({"reason": _("Hãy nêu lý do dừng nhiệm vụ định kỳ.")})
    with transaction.atomic():
        series = TaskSeries.objects.select_for_update().get(pk=task.series_id)
        if not series.active:
            raise ValidationError(_("Nhiệm vụ định kỳ này đã dừng."))
        series.active = False
        series.ends_on = timezone.localdate()
        series.save(update_fields=["active", "ends_on"])
        event = _event(task, EventKind.CHANGED, actor, text=_("Dừng nhiệm vụ định kỳ: %(r)s") % {"r": reason})
        _audit(
            actor,
            "task.series_end",
            task,
            {"series": series.pk, "active": True},
            {"active": False, "reason": reason},
        )
        _announce(task, event, actor)
    return series


def series_generate_all(*, today: dt.date | None = None) -> int:
    calendar = WorkCalendar.load()
    return sum(
        len(series_generate(s, today=today, calendar=calendar))
        for s in TaskSeries.objects.filter(active=True)
    )
