"""Files kept as their exact bytes (documents' files and arrivals waiting to be registered)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.documents import Document, RegisterEntry
from vanphong.orgs.models import Organization, Person


class FileKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính (điện tử, có chữ ký số)")
    SCAN = "scan", _("Bản quét")
    ATTACHMENT = "attachment", _("Phụ lục, tài liệu kèm theo")
    DRAFT = "draft", _("Dự thảo")


class ExtractionState(models.TextChoices):
    PENDING = "pending", _("Đang chờ trích xuất")
    DONE = "done", _("Đã trích xuất")
    UNAVAILABLE = "unavailable", _("Không trích xuất được")
    FAILED = "failed", _("Lỗi trích xuất")


class StoredFile(models.Model):
    """What every stored file carries: its exact bytes' identity (name, type, size, SHA-256,
    recorded on upload and never rewritten) and the text read from it."""

    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, db_index=True)
    extraction = models.CharField(
        _("trích xuất nội dung"),
        max_length=12,
        choices=ExtractionState.choices,
        default=ExtractionState.PENDING,
    )
    extraction_note = models.CharField(_("ghi chú trích xuất"), max_length=255, blank=True)
    ocr = models.BooleanField(_("nhận dạng ký tự (OCR)"), default=False)
    text = models.TextField(_("nội dung trích xuất"), blank=True)
    # The reading's job (documents/jobs.py): when it was last queued (on upload, then by the
    # sweep), and which job took the reading of this row and when. One job reads a row.
    extraction_queued_at = models.DateTimeField(_("xếp hàng đọc nội dung lúc"), default=timezone.now)
    extraction_claimed_at = models.DateTimeField(_("bắt đầu đọc nội dung lúc"), null=True, blank=True)
    extraction_claim = models.CharField(_("mã lần đọc nội dung"), max_length=64, blank=True)

    class Meta:
        abstract = True


def document_file_path(instance: DocumentFile, filename: str) -> str:
    now = timezone.now()
    return f"documents/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class DocumentFile(StoredFile):
    """A file of a document, kept as its exact original bytes (``sha256`` recorded on
    upload, never rewritten). Extracted text, OCR output and previews are derived copies."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="files", verbose_name=_("văn bản")
    )
    kind = models.CharField(_("loại tệp"), max_length=12, choices=FileKind.choices, default=FileKind.ORIGINAL)
    file = models.FileField(_("tệp"), upload_to=document_file_path, max_length=300)
    derived = models.FileField(_("bản chuyển đổi"), upload_to="derived/", max_length=300, blank=True)
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now)
    # The digital signatures of a PDF, verified when the file is read (documents/jobs.py) against
    # the configured trust roots: one dict per signature (``vanphong.core.signatures``). Empty
    # when the file carries none; ``signatures_checked_at`` empty until it has been checked.
    signatures = models.JSONField(_("chữ ký số"), default=list, blank=True)
    signatures_checked_at = models.DateTimeField(_("kiểm tra chữ ký số lúc"), null=True, blank=True)

    class Meta:
        ordering = ["document", "uploaded_at"]
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")

    def __str__(self) -> str:
        return self.original_name


class ArrivalState(models.TextChoices):
    WAITING = "waiting", _("Chờ vào sổ")
    REGISTERED = "registered", _("Đã vào sổ")
    DISCARDED = "discarded", _("Đã loại bỏ")


def arrival_file_path(instance: Arrival, filename: str) -> str:
    now = timezone.now()
    return f"arrivals/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class Arrival(StoredFile):
    """Something received and not yet registered: an uploaded or scanned file, a file from
    the e-mail drop folder, later an exchange package. Its text is read and the
    registration form prefilled (``proposal``) for the clerk to confirm."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="arrivals", verbose_name=_("cơ quan nhận")
    )
    channel = models.CharField(
        _("nguồn"), max_length=20, help_text=_("tải lên, quét, thư điện tử, liên thông")
    )
    sender = models.CharField(_("người, nơi gửi"), max_length=255, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), default=timezone.now)
    file = models.FileField(_("tệp"), upload_to=arrival_file_path, max_length=300)
    proposal = models.JSONField(_("đề xuất thông tin đăng ký"), default=dict, blank=True)
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=ArrivalState.choices, default=ArrivalState.WAITING
    )
    entry = models.ForeignKey(
        RegisterEntry,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đã vào sổ"),
    )
    created_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    # An exchange package arrives as a document already described (every field of the package,
    # its files attached): registering the arrival enters that document in the book instead of
    # making a new one from the form (``services.incoming.register``). ``file`` is its main file.
    document = models.OneToOneField(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="arrival",
        verbose_name=_("văn bản đã mô tả sẵn"),
    )

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("văn bản chờ vào sổ")
        verbose_name_plural = _("văn bản chờ vào sổ")
        indexes = [
            models.Index(fields=["organization", "state", "-received_at"], name="documents_arrival_queue")
        ]

    def __str__(self) -> str:
        return self.original_name
