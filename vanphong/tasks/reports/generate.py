"""Making a report for a person: who may, the checks, the file, the audit entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify

from vanphong.audit.services import audit_record
from vanphong.core.dbrouter import reading_from_replica
from vanphong.core.textfold import fold
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import OrgKind
from vanphong.tasks.models import SourceKind
from vanphong.tasks.reports.data import (
    DEFAULT_SIGNER_TITLE,
    DOCX_TYPE,
    MAX_PERIOD_DAYS,
    XLSX_TYPE,
    Format,
    ReportScope,
    ScopeKind,
    may_report,
    report_data,
)
from vanphong.tasks.reports.docx import build_docx
from vanphong.tasks.reports.xlsx import build_xlsx
from vanphong.tasks.selectors import (
    Today,
)

# --- Generating, for a person ---------------------------------------------------------------


@dataclass(frozen=True)
class ReportOutput:
    content: bytes
    filename: str
    content_type: str


def report_generate(
    *,
    actor: Actor,
    scope: ReportScope,
    date_from: dt.date,
    date_to: dt.date,
    fmt: Format | str,
    proposals: str = "",
    signer_title: str = DEFAULT_SIGNER_TITLE,
    signer_name: str = "",
    recipients: str = "",
    today: Today | None = None,
) -> ReportOutput:
    """The report on ``scope`` for ``actor`` (their visible tasks only), audited as
    ``task.report``."""
    errors: dict[str, str] = {}
    if date_to < date_from:
        errors["date_to"] = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    elif (date_to - date_from).days > MAX_PERIOD_DAYS:
        errors["date_from"] = "Kỳ báo cáo dài quá 5 năm; vui lòng chọn khoảng thời gian ngắn hơn."
    if scope.source_kind and scope.source_kind not in SourceKind.values:
        errors["source_kind"] = "Nguồn giao không hợp lệ."
    try:
        fmt = Format(fmt)
    except ValueError:
        errors["fmt"] = "Định dạng không hợp lệ."
    organization = scope.organization
    if not organization.hosted:
        errors["organization"] = "Cơ quan này không dùng hệ thống, không có nhiệm vụ để báo cáo."
    elif scope.kind == ScopeKind.PROVINCE and organization.kind != OrgKind.COMMITTEE:
        errors["organization"] = "Báo cáo toàn tỉnh là báo cáo về nhiệm vụ do cấp ủy giao."
    if errors:
        raise ValidationError(errors)
    assert isinstance(fmt, Format)  # made one above, or refused
    if not may_report(actor, organization):
        raise PermissionDenied(f"Bạn không có quyền lập báo cáo về nhiệm vụ của {organization.name}.")

    with reading_from_replica():  # a read-only walk over many tasks: the replica, when there is one
        data = report_data(actor, scope, date_from, date_to, today=today)
    if fmt == Format.DOCX:
        content = build_docx(
            data,
            proposals=proposals,
            signature_lines=(signer_title or DEFAULT_SIGNER_TITLE).splitlines(),
            signer_name=signer_name,
            recipients=recipients,
        )
        content_type = DOCX_TYPE
    else:
        content = build_xlsx(data)
        content_type = XLSX_TYPE
    # Built first, outside any write transaction (a long list takes a while), then recorded.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="task.report",
            target=organization,
            organization_id=organization.pk,
            after={
                "scope": scope.kind.value,
                "organization": organization.pk,
                "source_kind": scope.source_kind,
                "from": date_from,
                "to": date_to,
                "format": fmt.value,
                "as_of": data.today.day,
                "counts": data.counts.as_dict(),
                "classification": data.classification,
            },
        )
    name = organization.short_name or organization.name
    stem = slugify(fold(f"bao cao nhiem vu {name} {date_from:%Y%m%d}-{date_to:%Y%m%d}"))
    return ReportOutput(content=content, filename=f"{stem}.{fmt.value}", content_type=content_type)
