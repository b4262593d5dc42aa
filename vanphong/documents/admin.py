"""The documents models in Django's admin, for IT staff. Every change made here is audited
(``AuditedModelAdmin``). Register entries, counters and files are read-only: numbers are
only taken by ``services.registering`` (never typed in), and a file's bytes and hash are
never rewritten. Day-to-day work goes through the application's own pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from vanphong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyModelAdmin
from vanphong.documents.models import (
    Arrival,
    Assignment,
    Direction,
    Document,
    DocumentFile,
    DocumentLink,
    DraftComment,
    DraftVersion,
    OfficeDirectionRule,
    ReaderGrant,
    Recipient,
    Register,
    RegisterCounter,
    RegisterEntry,
    ReviewStep,
    Term,
    Urgency,
)


class ReadOnlyAuditedAdmin(ReadOnlyModelAdmin, AuditedModelAdmin):
    """Visible, never editable (nothing to audit but kept on the audited base)."""


@admin.register(Term)
class TermAdmin(AuditedModelAdmin):
    list_display = ("organization", "name", "starts_on", "ends_on")
    list_filter = ("organization",)
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)


@admin.register(Register)
class RegisterAdmin(AuditedModelAdmin):
    list_display = (
        "name",
        "organization",
        "kind",
        "reset",
        "per_type",
        "secret_series",
        "classified",
        "active",
    )
    list_filter = ("kind", "reset", "classified", "active", "style")
    search_fields = ("name", "organization__name")
    autocomplete_fields = ("organization",)
    list_select_related = ("organization",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The numbering policy of a register that holds entries must not change.
        if obj is not None and obj.pk is not None and RegisterEntry.objects.filter(register=obj).exists():
            return ("organization", "kind", "classified", "reset", "per_type", "secret_series")
        return ()


@admin.register(RegisterCounter)
class RegisterCounterAdmin(ReadOnlyAuditedAdmin):
    list_display = ("register", "series", "last_number")
    list_filter = ("register__organization",)
    search_fields = ("register__name", "series")
    list_select_related = ("register__organization",)

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.register.organization_id


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ReadOnlyAuditedAdmin):
    list_display = ("register", "number", "series", "document", "classification", "status", "registered_at")
    list_filter = ("register__kind", "status", "classification")
    search_fields = ("document__symbol", "register__name")
    list_select_related = ("register__organization", "document")
    date_hierarchy = "registered_at"
    show_full_result_count = False


@admin.register(DocumentFile)
class DocumentFileAdmin(ReadOnlyAuditedAdmin):
    list_display = ("original_name", "document", "kind", "size", "sha256", "extraction", "uploaded_at")
    list_filter = ("kind", "extraction", "ocr")
    search_fields = ("original_name", "sha256")
    exclude = ("text",)
    list_select_related = ("document",)
    show_full_result_count = False

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.document.organization_id


class _DocumentChildAdmin(AuditedModelAdmin):
    def audit_organization_id(self, obj: Any) -> int | None:
        document = getattr(obj, "document", None) or getattr(obj, "source", None)
        return document.organization_id if document is not None else None


@admin.register(Document)
class DocumentAdmin(AuditedModelAdmin):
    list_display = ("symbol", "subject", "organization", "state", "doc_type", "classification", "issued_date")
    list_filter = ("state", "style", "classification", "urgency")
    search_fields = ("symbol", "subject", "issuer_name")
    raw_id_fields = ("organization", "issuer", "signer", "original", "created_by")
    list_select_related = ("organization",)
    date_hierarchy = "created_at"
    show_full_result_count = False
    # Denormalised onto the register entries (and their access filter): changed only by services.
    readonly_fields = ("classification",)


@admin.register(DocumentLink)
class DocumentLinkAdmin(_DocumentChildAdmin):
    list_display = ("source", "kind", "symbol", "target")
    list_filter = ("kind",)
    search_fields = ("symbol",)
    raw_id_fields = ("source", "target")


@admin.register(Direction)
class DirectionAdmin(AuditedModelAdmin):
    list_display = ("entry", "author", "given_at")
    raw_id_fields = ("entry", "author")

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.entry.organization_id


class OfficeDirectionRuleForm(forms.ModelForm):
    """Types typed as a comma-separated list of codes (kept as written: CTr, QĐi), urgencies
    ticked."""

    doc_types = forms.CharField(
        label="Loại văn bản",
        required=False,
        help_text="Mã loại văn bản, cách nhau bởi dấu phẩy, ví dụ: CV, GM, TB, BC. Để trống: mọi loại.",
    )
    urgencies = forms.MultipleChoiceField(
        label="Độ khẩn",
        required=False,
        choices=Urgency.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: mọi độ khẩn.",
    )

    class Meta:
        model = OfficeDirectionRule
        fields = ("committee", "doc_types", "urgencies", "note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["doc_types"] = ", ".join(self.instance.doc_types)

    def clean_doc_types(self) -> list[str]:
        raw = self.cleaned_data.get("doc_types") or ""
        return list(dict.fromkeys(code.strip() for code in raw.split(",") if code.strip()))


@admin.register(OfficeDirectionRule)
class OfficeDirectionRuleAdmin(AuditedModelAdmin):
    form = OfficeDirectionRuleForm
    list_display = ("committee", "doc_types", "urgencies", "note")
    raw_id_fields = ("committee",)

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.committee_id


@admin.register(Assignment)
class AssignmentAdmin(AuditedModelAdmin):
    list_display = ("entry", "role", "organization", "unit", "person", "due_date")
    list_filter = ("role",)
    raw_id_fields = ("direction", "entry", "organization", "unit", "person")

    def audit_organization_id(self, obj: Any) -> int | None:
        return obj.entry.organization_id


@admin.register(ReviewStep)
class ReviewStepAdmin(_DocumentChildAdmin):
    list_display = ("document", "round", "stage", "kind", "reviewer", "decision")
    list_filter = ("kind", "decision")
    raw_id_fields = ("document", "reviewer")


@admin.register(DraftVersion)
class DraftVersionAdmin(_DocumentChildAdmin):
    list_display = ("document", "number", "created_by", "created_at")
    raw_id_fields = ("document", "file", "created_by")


@admin.register(DraftComment)
class DraftCommentAdmin(_DocumentChildAdmin):
    list_display = ("document", "author", "created_at")
    raw_id_fields = ("document", "version", "author")


@admin.register(Recipient)
class RecipientAdmin(_DocumentChildAdmin):
    list_display = ("document", "organization", "purpose", "delivered_at")
    raw_id_fields = ("document", "organization", "delivered_entry")


@admin.register(ReaderGrant)
class ReaderGrantAdmin(_DocumentChildAdmin):
    list_display = ("document", "person", "granted_by", "granted_at")
    raw_id_fields = ("document", "person", "granted_by")


@admin.register(Arrival)
class ArrivalAdmin(AuditedModelAdmin):
    list_display = ("original_name", "organization", "channel", "state", "received_at")
    list_filter = ("state", "channel", "extraction")
    search_fields = ("original_name", "sha256", "sender")
    exclude = ("text",)
    raw_id_fields = ("organization", "entry", "created_by")
    show_full_result_count = False
