"""The task engine in Django's admin, for IT staff. The holiday calendar is kept here (every
change audited, and the open tasks' working-day due dates follow it at once). Tasks, their
history and the tally are read-only: tasks change only through the services, so that the
history, the counts and the audit trail stay whole."""

from __future__ import annotations

from django.contrib import admin

from vanphong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from vanphong.tasks.models import CalendarDay, ExtensionRequest, Task, TaskEvent, TaskSeries, TaskTally


class ReadOnlyAuditedAdmin(ReadOnlyModelAdmin, AuditedModelAdmin):
    """Visible, never editable."""


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedModelAdmin):
    list_display = ("date", "kind", "name")
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("name",)


@admin.register(Task)
class TaskAdmin(ReadOnlyAuditedAdmin):
    list_display = ("id", "title", "organization", "lead_organization", "due_date", "state", "outcome")
    list_filter = ("state", "outcome", "source_kind", "classification")
    search_fields = ("title", "source_label")
    raw_id_fields = ("parent", "source_document", "result_document")


@admin.register(TaskEvent)
class TaskEventAdmin(ReadOnlyAuditedAdmin):
    list_display = ("task", "kind", "actor", "at", "percent")
    list_filter = ("kind",)


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAuditedAdmin):
    list_display = ("task", "new_due_date", "state", "requested_at", "decided_at")
    list_filter = ("state",)


@admin.register(TaskSeries)
class TaskSeriesAdmin(AuditedModelAdmin):
    list_display = ("id", "frequency", "day_of_month", "month_in_period", "starts_on", "ends_on", "active")
    fields = ("active", "ends_on")  # the rule itself is set when the series is made


@admin.register(TaskTally)
class TaskTallyAdmin(ReadOnlyAuditedAdmin):
    list_display = ("organization", "month", "outcome", "count")
    list_filter = ("outcome",)
