"""The periodic report page (/nhiem-vu/bao-cao/): a form (scope, period, source, format, the
proposals and the signature) and the download. Who may and what is counted are the rules of
``reports``; this page reads the input and hands back the file."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from vanphong.orgs.actors import Actor
from vanphong.orgs.forms import BaseForm
from vanphong.orgs.models import Organization
from vanphong.tasks import reports
from vanphong.tasks.forms import date_field
from vanphong.tasks.models import SourceKind

NAV = "task_dashboard"


class ReportForm(BaseForm):
    scope = forms.ChoiceField(label="Phạm vi báo cáo", widget=forms.RadioSelect)
    organization = forms.TypedChoiceField(
        label="Cơ quan",
        coerce=int,
        required=False,
        help_text="Cơ quan giao hoặc cơ quan chủ trì, theo phạm vi đã chọn "
        "(không cần với báo cáo toàn tỉnh).",
    )
    source_kind = forms.ChoiceField(
        label="Nguồn giao", required=False, choices=[("", "Tất cả các nguồn"), *SourceKind.choices]
    )
    date_from = date_field(
        "Từ ngày",
        required=True,
        help_text="Nhiệm vụ tính vào kỳ theo hạn hoàn thành ban đầu (chưa tính gia hạn), "
        "hoặc theo ngày giao với nhiệm vụ không có hạn.",
    )
    date_to = date_field("Đến ngày", required=True)
    fmt = forms.ChoiceField(
        label="Định dạng",
        choices=[(f.value, reports.FORMAT_LABELS[f]) for f in reports.Format],
        widget=forms.RadioSelect,
        initial=reports.Format.DOCX.value,
    )
    proposals = forms.CharField(
        label="Đề xuất, kiến nghị",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Mục IV của báo cáo (tệp Word); để trống nếu không có. Mỗi đoạn một dòng.",
    )
    signer_title = forms.CharField(
        label="Chức vụ người ký",
        max_length=200,
        initial=reports.DEFAULT_SIGNER_TITLE,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Mỗi dòng một dòng của khối chữ ký, ví dụ “K/T CHÁNH VĂN PHÒNG” rồi “PHÓ CHÁNH VĂN PHÒNG”.",
    )
    signer_name = forms.CharField(label="Họ tên người ký", max_length=120, required=False)
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi nơi một dòng; để trống: Thường trực, Ban Thường vụ cấp ủy và lưu Văn phòng.",
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.province = reports.province_committee()
        self.organizations = {o.pk: o for o in reports.reportable_organizations(user)}
        scopes = [(k.value, reports.SCOPE_LABELS[k]) for k in reports.ScopeKind]
        if self.province is None or not reports.may_report(user, self.province):
            scopes = [(value, label) for value, label in scopes if value != reports.ScopeKind.PROVINCE]
        if not self.organizations:
            scopes = [(value, label) for value, label in scopes if value == reports.ScopeKind.PROVINCE]
        scope_field = cast(forms.ChoiceField, self.fields["scope"])
        scope_field.choices = scopes
        scope_field.initial = scopes[0][0] if scopes else None
        cast(forms.ChoiceField, self.fields["organization"]).choices = [("", "— Chọn cơ quan —")] + [
            (o.pk, "\u00a0\u00a0" * max(0, o.depth - 1) + o.name) for o in self.organizations.values()
        ]
        today = timezone.localdate()
        self.fields["date_from"].initial = dt.date(today.year, 1, 1)
        self.fields["date_to"].initial = today

    @property
    def usable(self) -> bool:
        return bool(cast(forms.ChoiceField, self.fields["scope"]).choices)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        kind = data.get("scope")
        if kind == reports.ScopeKind.PROVINCE:
            data["organization_obj"] = self.province
        elif kind:
            organization: Organization | None = self.organizations.get(data.get("organization") or 0)
            if organization is None and "organization" not in self.errors:
                self.add_error("organization", "Vui lòng chọn cơ quan.")
            data["organization_obj"] = organization
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
        return data

    def scope_value(self) -> reports.ReportScope:
        data = self.cleaned_data
        return reports.ReportScope(
            kind=reports.ScopeKind(data["scope"]),
            organization=data["organization_obj"],
            source_kind=data.get("source_kind") or "",
        )


def _page(request: HttpRequest, form: ReportForm, *, status: int = 200) -> HttpResponse:
    if not form.usable:
        raise PermissionDenied("Bạn không có quyền lập báo cáo tình hình thực hiện nhiệm vụ.")
    context = {"form": form, "nav_active": NAV}
    return render(request, "tasks/report_form.html", context, status=status)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    return _page(request, ReportForm(user=request.user))


@require_POST
def report_download(request: HttpRequest) -> HttpResponseBase:
    form = ReportForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            output = reports.report_generate(
                actor=request.user,
                scope=form.scope_value(),
                date_from=data["date_from"],
                date_to=data["date_to"],
                fmt=data["fmt"],
                proposals=data["proposals"],
                signer_title=data["signer_title"],
                signer_name=data["signer_name"],
                recipients=data["recipients"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return FileResponse(
                io.BytesIO(output.content),
                as_attachment=True,
                filename=output.filename,
                content_type=output.content_type,
            )
    return _page(request, form, status=400)
