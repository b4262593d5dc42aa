"""The outgoing circuit: review steps, draft versions and comments, recipients."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.documents import Document, RegisterEntry
from vanphong.documents.models.files import DocumentFile
from vanphong.orgs.models import Organization, Person


class ReviewKind(models.TextChoices):
    DEPARTMENT = "department", _("Lãnh đạo phòng cho ý kiến")
    APPRAISAL_CONTENT = "appraisal_content", _("Thẩm định nội dung")
    APPRAISAL_FORMAT = "appraisal_format", _("Kiểm tra thể thức, kỹ thuật trình bày")
    SIGN = "sign", _("Ký ban hành")


class ReviewDecision(models.TextChoices):
    PENDING = "pending", _("Đang chờ")
    APPROVED = "approved", _("Đồng ý")
    RETURNED = "returned", _("Trả lại")


class ReviewStep(models.Model):
    """One step of an outgoing document's approval circuit. Steps with the same ``stage``
    run in parallel; stages run in order."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="review_steps", verbose_name=_("văn bản")
    )
    stage = models.PositiveSmallIntegerField(_("bước"))
    kind = models.CharField(_("nội dung"), max_length=20, choices=ReviewKind.choices)
    reviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người duyệt")
    )
    decision = models.CharField(
        _("kết quả"), max_length=10, choices=ReviewDecision.choices, default=ReviewDecision.PENDING
    )
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_at = models.DateTimeField(_("thời điểm"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("lượt trình"), default=1)

    class Meta:
        ordering = ["document", "round", "stage", "id"]
        verbose_name = _("bước duyệt")
        verbose_name_plural = _("bước duyệt")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.reviewer}"


class DraftVersion(models.Model):
    """A version of an outgoing draft, with its file and a note of what changed."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("văn bản")
    )
    number = models.PositiveSmallIntegerField(_("phiên bản"))
    body = models.TextField(_("nội dung"), blank=True)
    file = models.ForeignKey(
        DocumentFile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tệp"),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người soạn")
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("phiên bản dự thảo")
        verbose_name_plural = _("phiên bản dự thảo")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_version_unique"),
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class DraftComment(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="comments", verbose_name=_("văn bản")
    )
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người góp ý")
    )
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "created_at"]
        verbose_name = _("góp ý dự thảo")
        verbose_name_plural = _("góp ý dự thảo")

    def __str__(self) -> str:
        return self.text[:60]


class Recipient(models.Model):
    """A recipient of an outgoing document. Hosted organisations get it registered in their
    incoming register on issue (``delivered_entry``); external ones through the exchange."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("văn bản")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("nơi nhận")
    )
    purpose = models.CharField(
        _("để"), max_length=60, blank=True, help_text=_("Ví dụ: để thực hiện, để báo cáo.")
    )
    delivered_entry = models.ForeignKey(
        RegisterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    delivered_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("nơi nhận")
        verbose_name_plural = _("nơi nhận")
        constraints = [
            models.UniqueConstraint(fields=["document", "organization"], name="documents_recipient_unique"),
        ]

    def __str__(self) -> str:
        return str(self.organization)
