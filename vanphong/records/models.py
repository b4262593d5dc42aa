"""Records and archive (lập hồ sơ, lưu trữ cơ quan): FACTS.md §1.10 and §6.

Each organisation approves a yearly ``FilePlan`` (danh mục hồ sơ) whose ``PlanItem`` rows name
the files (hồ sơ) it expects to make, with a code, a title, a retention and who makes them.
A ``Record`` is one hồ sơ: opened from a plan item (or outside the plan), filled with
``RecordItem`` rows (a document of any kind, a meeting, a petition) while the work goes on,
closed when its matter ends — its retention then counts from the year it closed — handed to
the agency archive by a ``Transfer`` (nộp lưu), read or borrowed through an
``ArchiveRequest`` (phiếu yêu cầu khai thác), and finally destroyed only by a ``Disposal``
that records the council's decision, never when permanent or held. What is destroyed keeps
its metadata: the record row and its items' descriptions stay, their content goes.

A retention of ``None`` years is permanent (vĩnh viễn) throughout."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models import Document
from vanphong.documents.models.files import StoredFile
from vanphong.orgs.models import Classification, Organization, Person, Unit

PERMANENT_LABEL = "Vĩnh viễn"

# Retention periods offered in the forms (TT 10/2022/TT-BNV; FACTS §6): permanent or a number of
# years; any other number of years may be typed.
RETENTION_CHOICES = (None, 70, 50, 30, 20, 15, 10, 5, 2)


def retention_label(years: int | None) -> str:
    return PERMANENT_LABEL if years is None else f"{years} năm"


class PlanState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã ban hành")


class FilePlan(models.Model):
    """Danh mục hồ sơ: one organisation's list of files for one year, approved by its head at
    the start of the year (NĐ 30 Điều 28), usually carried over from the previous year's."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="file_plans", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=PlanState.choices, default=PlanState.DRAFT
    )
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lập từ")
    )
    approved_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization", "-year"]
        verbose_name = _("danh mục hồ sơ")
        verbose_name_plural = _("danh mục hồ sơ")
        constraints = [models.UniqueConstraint(fields=["organization", "year"], name="records_plan_org_year")]

    def __str__(self) -> str:
        return f"Danh mục hồ sơ năm {self.year} — {self.organization.short_name}"


class PlanItem(models.Model):
    """One line of a file plan: a file to be made (số và ký hiệu, tiêu đề, thời hạn bảo quản,
    người lập), under a large heading (numbered in Roman numerals in print)."""

    plan = models.ForeignKey(
        FilePlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("danh mục")
    )
    order = models.PositiveIntegerField(_("thứ tự"))
    heading = models.CharField(_("đề mục lớn"), max_length=200, blank=True)
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản (năm)"), null=True, blank=True, help_text=_("Để trống: vĩnh viễn.")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đơn vị lập")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập"),
    )
    construction = models.BooleanField(
        _("hồ sơ xây dựng cơ bản"), default=False, help_text=_("Nộp lưu trong 3 tháng sau quyết toán.")
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["plan", "order", "id"]
        verbose_name = _("hồ sơ trong danh mục")
        verbose_name_plural = _("hồ sơ trong danh mục")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="records_planitem_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def retention_text(self) -> str:
        return retention_label(self.retention_years)


class RecordState(models.TextChoices):
    OPEN = "open", _("Đang lập")
    CLOSED = "closed", _("Đã kết thúc")
    ARCHIVED = "archived", _("Đã nộp lưu")
    DISPOSED = "disposed", _("Đã hủy")


class Record(models.Model):
    """Hồ sơ: the documents of one matter, kept together. ``code`` is its number and symbol
    (FileNotation); its file code for the archive is ``electronic_id.year.code``."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="records", verbose_name=_("cơ quan")
    )
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("theo danh mục"),
    )
    year = models.PositiveSmallIntegerField(_("năm hình thành"))
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    retention_years = models.PositiveSmallIntegerField(
        _("thời hạn bảo quản (năm)"), null=True, blank=True, help_text=_("Để trống: vĩnh viễn.")
    )
    construction = models.BooleanField(_("hồ sơ xây dựng cơ bản"), default=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đơn vị lập")
    )
    creator = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người lập hồ sơ"),
    )
    classification = models.PositiveSmallIntegerField(
        _("độ mật"),
        choices=Classification.choices,
        default=Classification.NONE,
        help_text=_("Cao nhất trong các văn bản của hồ sơ."),
    )
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=RecordState.choices, default=RecordState.OPEN
    )
    language = models.CharField(_("ngôn ngữ"), max_length=50, default="Tiếng Việt")
    keywords = models.CharField(_("từ khóa"), max_length=500, blank=True)
    description = models.CharField(_("chú giải"), max_length=500, blank=True)
    start_date = models.DateField(_("ngày bắt đầu"), default=timezone.localdate)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người kết thúc"),
    )
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closing_note = models.TextField(_("chứng từ kết thúc"), blank=True)
    retention_until = models.DateField(
        _("hết thời hạn bảo quản"),
        null=True,
        blank=True,
        help_text=_("Ngày cuối của năm hết hạn; trống với hồ sơ vĩnh viễn hoặc chưa kết thúc."),
    )
    transfer_due = models.DateField(_("hạn nộp lưu"), null=True, blank=True)
    transfer_task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ nộp lưu"),
    )
    transfer = models.ForeignKey(
        "Transfer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("đợt nộp lưu"),
    )
    disposal = models.ForeignKey(
        "Disposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("quyết định hủy"),
    )
    hold_reason = models.CharField(
        _("lý do phong tỏa"),
        max_length=500,
        blank=True,
        help_text=_("Hồ sơ đang bị phong tỏa (thanh tra, tố tụng…) không được hủy."),
    )
    hold_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phong tỏa"),
    )
    imported = models.BooleanField(_("nhập từ gói lưu trữ"), default=False)
    page_total = models.PositiveIntegerField(_("số tờ, trang"), null=True, blank=True)
    folded_text = models.TextField(_("nội dung tìm kiếm"), blank=True, editable=False)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người mở")
    )
    created_at = models.DateTimeField(_("mở lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization", "-year", "code"]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "code"], name="records_record_code"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="records_record_period",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "state", "year"], name="records_record_org_state"),
            models.Index(fields=["state", "retention_until"], name="records_record_retention"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def permanent(self) -> bool:
        return self.retention_years is None

    @property
    def retention_text(self) -> str:
        return retention_label(self.retention_years)

    @property
    def file_code(self) -> str:
        """FileCode of NĐ 30 PL VI: the organisation's identifier, the year, the notation."""
        organ = self.organization.electronic_id or (self.organization.slug or str(self.organization_id))
        return f"{organ}.{self.year}.{self.code}"

    def retention_runs_out(self, on: dt.date) -> bool:
        return self.retention_until is not None and self.retention_until < on


class ItemKind(models.TextChoices):
    DOCUMENT = "document", _("Văn bản")
    MEETING = "meeting", _("Cuộc họp (biên bản, tài liệu)")
    PETITION = "petition", _("Đơn thư")
    ARCHIVED = "archived", _("Tài liệu lưu trữ")


class RecordItem(models.Model):
    """One entry of a record's index (mục lục văn bản): what was filed, and the description it
    keeps when the thing itself is gone (destroyed, or imported from a package)."""

    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="items", verbose_name=_("hồ sơ")
    )
    ordinal = models.PositiveSmallIntegerField(_("số thứ tự trong hồ sơ"))
    kind = models.CharField(_("loại"), max_length=10, choices=ItemKind.choices, default=ItemKind.DOCUMENT)
    document = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_items",
        verbose_name=_("văn bản"),
    )
    meeting = models.ForeignKey(
        "programs.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cuộc họp"),
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn thư"),
    )
    type_name = models.CharField(_("tên loại"), max_length=100, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issued_date = models.DateField(_("ngày tháng"), null=True, blank=True)
    issuer_name = models.CharField(_("tác giả"), max_length=255, blank=True)
    subject = models.TextField(_("trích yếu nội dung"))
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NONE
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    folded_text = models.TextField(_("nội dung tìm kiếm"), blank=True, editable=False)
    added_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người đưa vào"),
    )
    added_at = models.DateTimeField(_("đưa vào lúc"), default=timezone.now)

    class Meta:
        ordering = ["record", "ordinal"]
        verbose_name = _("văn bản trong hồ sơ")
        verbose_name_plural = _("văn bản trong hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["record", "ordinal"], name="records_item_ordinal"),
            models.UniqueConstraint(
                fields=["record", "document"],
                condition=Q(document__isnull=False),
                name="records_item_document",
            ),
            models.UniqueConstraint(
                fields=["record", "meeting"], condition=Q(meeting__isnull=False), name="records_item_meeting"
            ),
            models.UniqueConstraint(
                fields=["record", "petition"],
                condition=Q(petition__isnull=False),
                name="records_item_petition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.symbol} {self.subject[:60]}"


def record_file_path(instance: RecordFile, filename: str) -> str:
    return f"records/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class RecordFile(StoredFile):
    """A file kept by the archive itself: the content of an item imported from a preservation
    package (its exact bytes), removed when the record is destroyed."""

    item = models.ForeignKey(
        RecordItem, on_delete=models.CASCADE, related_name="files", verbose_name=_("văn bản")
    )
    path = models.CharField(_("đường dẫn trong gói"), max_length=500, blank=True)
    file = models.FileField(_("tệp"), upload_to=record_file_path, max_length=300)

    class Meta:
        ordering = ["item", "id"]
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")


class TransferState(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    HANDED_OVER = "handed_over", _("Đã giao nhận")


class Transfer(models.Model):
    """Nộp lưu: closed files handed by a unit to the agency archive, with the transfer list
    (mục lục hồ sơ nộp lưu) and the hand-over minutes (biên bản giao nhận)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="record_transfers", verbose_name=_("cơ quan")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("đơn vị nộp")
    )
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=TransferState.choices, default=TransferState.DRAFT
    )
    handed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người giao"),
    )
    received_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận"),
    )
    handed_over_at = models.DateTimeField(_("giao nhận lúc"), null=True, blank=True)
    boxes = models.PositiveSmallIntegerField(_("số hộp (cặp)"), default=0)
    condition = models.CharField(_("tình trạng tài liệu"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đợt nộp lưu")
        verbose_name_plural = _("đợt nộp lưu")

    def __str__(self) -> str:
        return f"Nộp lưu #{self.pk} — {self.organization.short_name}"


class RequestMode(models.TextChoices):
    READ = "read", _("Đọc tại chỗ")
    COPY = "copy", _("Sao chụp")
    BORROW = "borrow", _("Mượn")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REFUSED = "refused", _("Từ chối")
    RETURNED = "returned", _("Đã trả")


class ArchiveRequest(models.Model):
    """Phiếu yêu cầu khai thác: a request to read, copy or borrow archived files, approved by
    the organisation's leaders; a loan's return date is a task of the borrower."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="archive_requests",
        verbose_name=_("cơ quan lưu trữ"),
    )
    requester = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người yêu cầu")
    )
    records = models.ManyToManyField(Record, related_name="requests", verbose_name=_("hồ sơ"))
    purpose = models.CharField(_("mục đích khai thác"), max_length=500)
    mode = models.CharField(
        _("hình thức"), max_length=10, choices=RequestMode.choices, default=RequestMode.READ
    )
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING
    )
    return_due = models.DateField(_("hạn trả"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=500, blank=True)
    return_task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ trả hồ sơ"),
    )
    returned_at = models.DateTimeField(_("trả lúc"), null=True, blank=True)
    received_back_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận lại"),
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("phiếu yêu cầu khai thác")
        verbose_name_plural = _("phiếu yêu cầu khai thác")
        indexes = [models.Index(fields=["organization", "state"], name="records_request_org_state")]

    def __str__(self) -> str:
        return f"Phiếu khai thác #{self.pk}"


class Disposal(models.Model):
    """Hủy tài liệu hết giá trị: the council's decision and the list it approved. Each record
    destroyed keeps its row (state ``disposed``) and its items' descriptions; ``listing`` keeps
    the list as it was decided, file names and checksums included."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="record_disposals", verbose_name=_("cơ quan")
    )
    decision = models.CharField(_("quyết định hủy (số, ngày, người ký)"), max_length=300)
    decided_on = models.DateField(_("ngày quyết định"))
    council = models.TextField(_("hội đồng xác định giá trị tài liệu"), blank=True)
    listing = models.JSONField(_("danh mục tài liệu hủy"), default=list)
    created_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    created_at = models.DateTimeField(_("thực hiện lúc"), default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        verbose_name = _("đợt hủy tài liệu")
        verbose_name_plural = _("đợt hủy tài liệu")

    def __str__(self) -> str:
        return self.decision
