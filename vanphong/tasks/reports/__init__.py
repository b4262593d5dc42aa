"""The periodic report to the Standing Committee: "Báo cáo tình hình thực hiện các kết luận,
ý kiến chỉ đạo" of the Thường trực and Ban Thường vụ, for a period and a scope, as a .docx
laid out by the Party's presentation rules (HD 36-HD/VPTW; ``core.docx``) and as an Excel
workbook.

*Scope*: the whole province (every task given by the provincial committee), one giving
organisation, or one lead organisation; optionally one kind of source. *Period*: a task
counts in the period when its original due date — which no extension moves — falls in it,
or the day it was given when it has none (``selectors.period_q``, the rule of the tallies).
The statuses are those of the day the report is made ("Số liệu tính đến ngày ...").

Every number comes from ``selectors`` (``counts``, ``counts_by_lead_organization``,
``overdue_list``, ``task_list``) with the reader's access applied — the same numbers as the
dashboards; the lists are streamed from SQL. ``data`` gathers them, ``docx`` and ``xlsx``
build the files from explicit arguments, ``generate`` checks who may, validates, builds and
audits.
"""

from vanphong.tasks.reports.data import (
    DEFAULT_SIGNER_TITLE,
    DOCX_TYPE,
    FORMAT_LABELS,
    SCOPE_LABELS,
    XLSX_TYPE,
    Format,
    ReportData,
    ReportScope,
    ScopeKind,
    may_report,
    province_committee,
    report_data,
    reportable_organizations,
)
from vanphong.tasks.reports.docx import build_docx
from vanphong.tasks.reports.generate import ReportOutput, report_generate
from vanphong.tasks.reports.xlsx import build_xlsx

__all__ = [
    "DEFAULT_SIGNER_TITLE",
    "DOCX_TYPE",
    "FORMAT_LABELS",
    "Format",
    "ReportData",
    "ReportOutput",
    "ReportScope",
    "SCOPE_LABELS",
    "ScopeKind",
    "XLSX_TYPE",
    "build_docx",
    "build_xlsx",
    "may_report",
    "province_committee",
    "report_data",
    "report_generate",
    "reportable_organizations",
]
