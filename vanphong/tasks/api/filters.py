"""Query parameters of the task API (see docs/api.md, "Tasks").

The filter sets only parse and validate (and describe the parameters in the OpenAPI schema);
``selectors.task_list`` and ``selectors.counts`` apply them, with access, in one query."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError

from vanphong.orgs.api.filters import IdFilter
from vanphong.tasks.models import SourceKind, Task
from vanphong.tasks.selectors import STATUS_FILTERS, TaskFilters

ORDERINGS = {
    "newest": "Giao gần đây nhất trước (mặc định)",
    "due": "Hạn (theo ngày làm việc) sớm nhất trước; với status=overdue là quá hạn lâu nhất trước",
}


class TaskListFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=list(STATUS_FILTERS.items()),
        label=(
            "Tình trạng (tính từ ngày, không nhập tay): in_progress (đang thực hiện, trong hạn), not_due, "
            "due_soon, overdue, done (đã hoàn thành), done_on_time, done_late, cancelled"
        ),
    )
    organization = IdFilter(label="Id cơ quan: cơ quan giao, chủ trì hoặc phối hợp")
    lead_organization = IdFilter(label="Id cơ quan chủ trì")
    giver = IdFilter(label="Id cơ quan giao nhiệm vụ")
    unit = IdFilter(label="Id phòng chủ trì hoặc phối hợp")
    assignee = IdFilter(label="Id cán bộ chủ trì hoặc phối hợp")
    issued_by = IdFilter(label="Id lãnh đạo giao nhiệm vụ")
    source = django_filters.ChoiceFilter(
        field_name="source_kind", choices=SourceKind.choices, label="Nguồn giao"
    )
    source_document = IdFilter(label="Id văn bản nguồn")
    parent = IdFilter(label="Id nhiệm vụ cha: các nhiệm vụ con của nó")
    due_from = django_filters.DateFilter(label="Hạn (theo ngày làm việc) từ ngày (YYYY-MM-DD)")
    due_to = django_filters.DateFilter(label="Hạn (theo ngày làm việc) đến ngày (YYYY-MM-DD)")
    q = django_filters.CharFilter(label="Tìm trong tên nhiệm vụ và văn bản, sự kiện giao")
    ordering = django_filters.ChoiceFilter(choices=list(ORDERINGS.items()), label="Thứ tự")

    class Meta:
        model = Task
        fields = [
            "status",
            "organization",
            "lead_organization",
            "giver",
            "unit",
            "assignee",
            "issued_by",
            "source",
            "source_document",
            "parent",
            "due_from",
            "due_to",
            "q",
            "ordering",
        ]


def _stats_filter_class() -> type[django_filters.FilterSet]:
    # "from" is a Python keyword: the filter set is built with ``type``.
    attrs: dict[str, Any] = {
        "organization": IdFilter(
            label="Id cơ quan chủ trì: số liệu các nhiệm vụ cơ quan này chủ trì (mặc định: mọi nhiệm vụ "
            "người gọi được xem)"
        ),
        "from": django_filters.DateFilter(
            label="Kỳ thống kê từ ngày (YYYY-MM-DD): theo hạn ban đầu, hoặc ngày giao khi không có hạn"
        ),
        "to": django_filters.DateFilter(label="Kỳ thống kê đến ngày (YYYY-MM-DD)"),
        "Meta": type("Meta", (), {"model": Task, "fields": ["organization", "from", "to"]}),
    }
    return type("TaskStatsFilter", (django_filters.FilterSet,), attrs)


TaskStatsFilter = _stats_filter_class()


def list_filters(params: dict[str, Any]) -> tuple[TaskFilters, str]:
    """The parsed list parameters as ``TaskFilters``, and the ordering asked for."""
    params = dict(params)
    ordering = params.pop("ordering", "newest")
    if "source" in params:
        params["source_kind"] = params.pop("source")
    return TaskFilters(**params), ordering


def stats_period(params: dict[str, Any]) -> tuple[Any, Any]:
    start, end = params.get("from"), params.get("to")
    if start is not None and end is not None and end < start:
        raise ValidationError({"to": "Ngày cuối kỳ không được trước ngày đầu kỳ."})
    return start, end
