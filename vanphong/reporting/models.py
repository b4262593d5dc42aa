"""The reporting regime: report requests to lower levels, their submissions and indicators.

A request (``ReportRequest``) is made by an organisation to organisations below it, once or
periodically, with a template: narrative sections (headings) and indicators (numbers with a
unit, optionally bounded). Each recipient's report for each period is one ``ReportSubmission``
row, made together with its task of the task engine (``task``); the row then holds the
recipient's draft or submitted numbers (``ReportValue``), texts and files."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import Organization, Person


class Frequency(models.TextChoices):
    ONCE = "once", _("Một lần")
    WEEKLY = "weekly", _("Hằng tuần")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")
    DAILY = "daily", _("Hằng ngày")
    HOURLY = "hourly", _("Theo giờ")


class ReportRequest(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="report_requests",
        verbose_name=_("cơ quan yêu cầu"),
    )
    title = models.CharField(_("tên báo cáo"), max_length=500)
    frequency = models.CharField(_("tần suất"), max_length=20, choices=Frequency.choices)
    due_day = models.PositiveSmallIntegerField(_("ngày hạn trong kỳ"), null=True, blank=True)
    due_date = models.DateField(_("hạn nộp"), null=True, blank=True)
    # Rapid situation reporting (a storm, an epidemic): an urgent request answered daily or every
    # ``interval_hours`` hours between ``starts_on`` and ``ends_on`` (or until it is closed).
    urgent = models.BooleanField(_("báo cáo nhanh khẩn"), default=False)
    interval_hours = models.PositiveSmallIntegerField(_("số giờ mỗi lần báo cáo"), null=True, blank=True)
    starts_on = models.DateField(_("báo cáo từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("báo cáo đến ngày"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    closed_reason = models.TextField(_("lý do kết thúc"), blank=True)
    sections = models.JSONField(_("các phần nội dung"), default=list, blank=True)
    recipients = models.ManyToManyField(
        Organization, related_name="report_requests_received", verbose_name=_("nơi báo cáo")
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("yêu cầu báo cáo")
        verbose_name_plural = _("yêu cầu báo cáo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(frequency="once", due_date__isnull=False))
                | models.Q(frequency="daily")
                | models.Q(frequency="hourly", interval_hours__isnull=False)
                | (~models.Q(frequency__in=["once", "daily", "hourly"]) & models.Q(due_day__isnull=False)),
                name="reporting_request_due",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    min_value = models.DecimalField(_("tối thiểu"), max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField(_("tối đa"), max_digits=20, decimal_places=4, null=True, blank=True)
    # A figure of another module the reporter's form is prefilled with (a code of
    # ``petitions.selectors.stats_figure_labels``, e.g. "kind.to_cao"); blank: typed by hand.
    # The codes belong to that module, so the database holds no choices.
    source = models.CharField(_("lấy số liệu từ"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["request", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "code"], name="reporting_indicator_code")]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class SubmissionState(models.TextChoices):
    PENDING = "pending", _("Chưa nộp")
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")


class ReportSubmission(models.Model):
    """One recipient's report for one period (``period`` is blank for a one-off request)."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="submissions")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="report_submissions",
        verbose_name=_("nơi báo cáo"),
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=16, blank=True)
    due_date = models.DateField(_("hạn nộp"))
    task = models.OneToOneField(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="report_submission"
    )
    state = models.CharField(
        _("tình trạng"), max_length=20, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    late = models.BooleanField(_("nộp muộn"), default=False)
    text = models.JSONField(_("nội dung"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người gửi")
    )
    returned_at = models.DateTimeField(_("trả lại lúc"), null=True, blank=True)
    returned_reason = models.TextField(_("lý do trả lại"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["request", "period", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "period", "organization"], name="reporting_submission_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return f"{self.request} – {self.period or 'một lần'} – {self.organization}"


class ReportValue(models.Model):
    submission = models.ForeignKey(ReportSubmission, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("giá trị"), max_digits=20, decimal_places=4)

    class Meta:
        verbose_name = _("số liệu")
        verbose_name_plural = _("số liệu")
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator"], name="reporting_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.value}"


class SubmissionFile(models.Model):
    submission = models.ForeignKey(ReportSubmission, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to="reports/%Y/%m/", max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp báo cáo")
        verbose_name_plural = _("tệp báo cáo")
        ordering = ["submission", "id"]

    def __str__(self) -> str:
        return self.original_name


class ReportSummary(models.Model):
    """The draft outgoing document summarising one period of a request (one per period)."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="summaries")
    period = models.CharField(_("kỳ báo cáo"), max_length=16, blank=True)
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("báo cáo tổng hợp")
        verbose_name_plural = _("báo cáo tổng hợp")
        constraints = [models.UniqueConstraint(fields=["request", "period"], name="reporting_summary_unique")]

    def __str__(self) -> str:
        return f"{self.request} – {self.period or 'một lần'}"


# --- Information products for the leaders ---------------------------------------------------


class ProductKind(models.TextChoices):
    DAILY = "daily", _("Báo cáo ngày")
    WEEKLY = "weekly", _("Bản tin tuần")
    THEMATIC = "thematic", _("Báo cáo chuyên đề giữa tháng")


class ItemSource(models.TextChoices):
    """Where an item of a product comes from; ``NOTE`` is text written by the editor."""

    SUBMISSION = "submission", _("Báo cáo của cấp dưới")
    INCOMING = "incoming", _("Văn bản đến đáng chú ý")
    MEETING = "meeting", _("Cuộc họp")
    EVENT = "event", _("Lịch công tác")
    OVERDUE = "overdue", _("Nhiệm vụ quá hạn")
    NOTE = "note", _("Nội dung biên tập")


class ProductTemplate(models.Model):
    """How the office composes one kind of information product for its committee: the title,
    the opening and closing text and the sections (each a heading and the source it draws its
    candidate items from), the document type and the usual distribution list. Edited by the
    Văn phòng; a product copies what it needs when it is made, so editing a template never
    changes a product already composed."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="product_templates", verbose_name=_("cơ quan")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=ProductKind.choices)
    name = models.CharField(_("tên mẫu"), max_length=200)
    title = models.CharField(_("tiêu đề"), max_length=500)
    doc_type = models.CharField(_("loại văn bản"), max_length=10, default="BC")
    intro = models.TextField(_("phần mở đầu"), blank=True)
    sections = models.JSONField(_("các mục"), default=list)
    closing = models.TextField(_("phần kết"), blank=True)
    recipients = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("nơi nhận thường xuyên")
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu sản phẩm thông tin")
        verbose_name_plural = _("mẫu sản phẩm thông tin")
        ordering = ["organization", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "name"], name="reporting_template_name")
        ]

    def __str__(self) -> str:
        return self.name


class InfoProduct(models.Model):
    """A daily report, weekly bulletin or thematic report of ``organization`` for the days
    ``period_start``–``period_end``: the chosen items, edited, then drafted as an outgoing
    document (``document``) that the outgoing flow approves, numbers and issues to
    ``recipients``."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="info_products", verbose_name=_("cơ quan")
    )
    template = models.ForeignKey(ProductTemplate, on_delete=models.PROTECT, related_name="products")
    kind = models.CharField(_("loại"), max_length=20, choices=ProductKind.choices)
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    title = models.CharField(_("tiêu đề"), max_length=500)
    doc_type = models.CharField(_("loại văn bản"), max_length=10, default="BC")
    intro = models.TextField(_("phần mở đầu"), blank=True)
    closing = models.TextField(_("phần kết"), blank=True)
    sections = models.JSONField(_("các mục"), default=list)
    recipients = models.ManyToManyField(
        Organization, blank=True, related_name="+", verbose_name=_("nơi nhận")
    )
    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="info_product"
    )
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sản phẩm thông tin")
        verbose_name_plural = _("sản phẩm thông tin")
        ordering = ["-period_end", "-id"]
        indexes = [models.Index(fields=["organization", "kind", "-period_end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="reporting_product_period"
            ),
            # One product per template and span (``products.product_create``).
            models.UniqueConstraint(fields=["template", "period_start"], name="reporting_product_once"),
        ]

    def __str__(self) -> str:
        return self.title


class ProductItem(models.Model):
    """One chosen item of a product, in section ``section`` (index into the product's
    sections), with the editor's text; ``object_id`` names the submission, document, meeting,
    calendar event or task it was drawn from (none for a note)."""

    product = models.ForeignKey(InfoProduct, on_delete=models.CASCADE, related_name="items")
    section = models.PositiveSmallIntegerField(_("mục"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("nguồn"), max_length=20, choices=ItemSource.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.TextField(_("nội dung"))

    class Meta:
        verbose_name = _("mục tin")
        verbose_name_plural = _("mục tin")
        ordering = ["product", "section", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "source", "object_id"],
                condition=models.Q(object_id__isnull=False),
                name="reporting_item_once",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]
