"""Filters of the audit trail page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import action_label
from vanphong.audit.labels import target_type_label
from vanphong.audit.models import AuditEvent
from vanphong.audit.selectors import AuditFilters, known_actions, known_target_types
from vanphong.orgs.access import Capability, organizations_with
from vanphong.orgs.actors import Actor
from vanphong.orgs.models import Organization

DATE_INPUT_FORMATS = ["%d/%m/%Y"]
DATE_ERROR = _("Ngày không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 25/12/2026.")


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organization) -> str:
        return obj.name


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Tài khoản"), required=False, max_length=150)
    action = forms.CharField(label=_("Hành động"), required=False, max_length=60, widget=forms.Select)
    target_type = forms.CharField(
        label=_("Loại đối tượng"), required=False, max_length=60, widget=forms.Select
    )
    organization = OrganizationChoiceField(
        label=_("Tổ chức"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
        error_messages={"invalid_choice": _("Tổ chức không có trong danh sách bạn được xem.")},
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        error_messages={"invalid": DATE_ERROR},
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    q = forms.CharField(label=_("Tìm theo tên đối tượng"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["organization"]).queryset = organizations_with(
            user, Capability.VIEW_AUDIT
        ).order_by("path")
        self.fields["action"].widget.choices = [("", _("Tất cả"))] + [
            (a, action_label(a)) for a in known_actions()
        ]
        self.fields["target_type"].widget.choices = [("", _("Tất cả"))] + [
            (t, target_type_label(t)) for t in known_target_types()
        ]

    def clean_action(self) -> str:
        action = self.cleaned_data["action"].strip()
        # The list is cached for a few minutes; a name missing from it is looked up directly.
        if action and action not in known_actions() and not AuditEvent.objects.filter(action=action).exists():
            raise forms.ValidationError(_("Hành động không có trong nhật ký."))
        return action

    def clean_target_type(self) -> str:
        target_type = self.cleaned_data["target_type"].strip()
        if (
            target_type
            and target_type not in known_target_types()
            and not AuditEvent.objects.filter(target_type=target_type).exists()
        ):
            raise forms.ValidationError(_("Loại đối tượng không có trong nhật ký."))
        return target_type

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None  # Form.clean returns cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
        return data

    def filters(self) -> AuditFilters:
        """The filters from the fields that are valid; a field with an error is left out
        (and its error shown) rather than emptying the whole list."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        data = self.cleaned_data
        organization = data.get("organization")
        return AuditFilters(
            actor=(data.get("actor") or "").strip(),
            action=data.get("action") or "",
            target_type=data.get("target_type") or "",
            organization_id=organization.pk if organization else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            q=(data.get("q") or "").strip(),
        )
