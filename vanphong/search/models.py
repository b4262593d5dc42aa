"""The search index: one row per document with the filterable facts copied from it and its
text folded for matching (``textfold.fold_query``: lower case, no diacritics, đ → d,
punctuation as spaces). The full-text structure over ``head`` and ``body`` is
vendor-specific and lives outside the model (see ``backends.py`` and docs/search.md)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models import Document
from vanphong.orgs.models import Classification, Organization

# At most this many characters of a document's extracted text are indexed.
MAX_BODY_CHARS = 200_000


class ResultKind(models.TextChoices):
    INCOMING = "incoming", _("Văn bản đến")
    OUTGOING = "outgoing", _("Văn bản đi")
    COPY = "copy", _("Bản sao")


class SearchEntry(models.Model):
    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, related_name="search_entry", verbose_name=_("văn bản")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan quản lý")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=ResultKind.choices)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NONE
    )
    doc_type = models.CharField(_("loại văn bản"), max_length=12, blank=True)
    issuer = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan ban hành"),
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=12)
    issued_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    head = models.TextField(_("số ký hiệu, trích yếu, cơ quan ban hành, người ký (đã bỏ dấu)"))
    body = models.TextField(_("nội dung trích xuất (đã bỏ dấu)"), blank=True)
    indexed_at = models.DateTimeField(_("lập chỉ mục lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("mục chỉ mục tra cứu")
        verbose_name_plural = _("chỉ mục tra cứu")
        indexes = [
            models.Index(fields=["organization", "year"], name="search_entry_org_year"),
            models.Index(fields=["doc_type", "year"], name="search_entry_type_year"),
            models.Index(fields=["-issued_date"], name="search_entry_date"),
        ]

    def __str__(self) -> str:
        return f"#{self.document_id}"
