"""Documents and the books they enter.

A ``Document`` is one text with its symbol, type, issuer, date, subject and files. It enters
an organisation's books through a ``RegisterEntry`` in one of its ``Register``s (sổ đến, sổ
đi, sổ sao, the classified series), which carries the register number. The same document can
sit in many registers: issued by the Tỉnh ủy, received by ten Đảng ủy.

Numbering rules differ (NĐ 30: per year, secret documents in their own series; Party
committees: per document type within a term, secret documents in the same series; a congress:
one series for all types), so a register's policy is data, and numbers come from
``RegisterCounter`` rows taken under a row lock in the same transaction as the entry.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import Classification, Organization, PartyTarget, Person


class Urgency(models.TextChoices):
    NORMAL = "thuong", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


class Style(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng")
    STATE = "state", _("Văn bản hành chính nhà nước")


class Term(models.Model):
    """A Party committee's term (nhiệm kỳ), within which its documents are numbered."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="terms", verbose_name=_("cấp ủy")
    )
    name = models.CharField(_("nhiệm kỳ"), max_length=40, help_text=_("Ví dụ: 2025 - 2030."))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["organization", "-starts_on"]
        verbose_name = _("nhiệm kỳ")
        verbose_name_plural = _("nhiệm kỳ")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="documents_term_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.short_name} {self.name}"


class RegisterKind(models.TextChoices):
    INCOMING = "den", _("Sổ văn bản đến")
    OUTGOING = "di", _("Sổ văn bản đi")
    COPY = "sao", _("Sổ văn bản sao")


class NumberReset(models.TextChoices):
    YEARLY = "year", _("Từ 01 vào ngày 01/01 mỗi năm")
    TERM = "term", _("Từ 01 trong mỗi nhiệm kỳ")
    NEVER = "never", _("Một dãy số liên tục (đại hội, sự kiện)")


class Register(models.Model):
    """A book (sổ) of an organisation, with its numbering policy."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="registers", verbose_name=_("cơ quan")
    )
    kind = models.CharField(_("loại sổ"), max_length=10, choices=RegisterKind.choices)
    name = models.CharField(_("tên sổ"), max_length=150)
    classified = models.BooleanField(
        _("sổ văn bản mật"),
        default=False,
        help_text=_("Dùng cho văn bản mật khi cơ quan đăng ký văn bản mật vào sổ riêng."),
    )
    reset = models.CharField(_("đánh số lại"), max_length=10, choices=NumberReset.choices)
    per_type = models.BooleanField(
        _("dãy số riêng cho từng loại văn bản"),
        default=False,
        help_text=_("Văn bản của cấp ủy: mỗi loại văn bản một dãy số trong nhiệm kỳ."),
    )
    secret_series = models.BooleanField(
        _("văn bản mật có dãy số riêng"),
        default=False,
        help_text=_("Văn bản hành chính nhà nước: văn bản mật được cấp hệ thống số riêng."),
    )
    style = models.CharField(_("thể thức ký hiệu"), max_length=10, choices=Style.choices, default=Style.PARTY)
    active = models.BooleanField(_("đang sử dụng"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["organization", "kind", "order", "name"]
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="documents_register_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.organization.short_name}"


class RegisterCounter(models.Model):
    """The last number taken in one series of a register. Taken under SELECT ... FOR UPDATE
    in the transaction that writes the entry, so a number is never shared, and never skipped:
    a rolled-back registration rolls the counter back with it."""

    register = models.ForeignKey(Register, on_delete=models.CASCADE, related_name="counters")
    series = models.CharField(max_length=80)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số")
        verbose_name_plural = _("bộ đếm số")
        constraints = [
            models.UniqueConstraint(fields=["register", "series"], name="documents_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.register_id}:{self.series}={self.last_number}"


class DocumentState(models.TextChoices):
    RECEIVED = "received", _("Văn bản đến")
    DRAFT = "draft", _("Dự thảo")
    IN_REVIEW = "in_review", _("Đang trình duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")
    WITHDRAWN = "withdrawn", _("Đã hủy")


class Document(models.Model):
    """One document (văn bản). ``organization`` is the body that owns this record: the
    issuing body for our own documents, the first receiving body for an incoming one."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="documents", verbose_name=_("cơ quan quản lý")
    )
    state = models.CharField(_("trạng thái"), max_length=12, choices=DocumentState.choices)
    style = models.CharField(_("thể thức"), max_length=10, choices=Style.choices, default=Style.PARTY)
    doc_type = models.CharField(_("loại văn bản"), max_length=12, blank=True, db_index=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=100, blank=True, db_index=True)
    issuer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_documents",
        verbose_name=_("cơ quan ban hành"),
    )
    issuer_name = models.CharField(_("tên cơ quan ban hành"), max_length=255, blank=True)
    issued_date = models.DateField(_("ngày văn bản"), null=True, blank=True, db_index=True)
    issued_place = models.CharField(_("địa danh"), max_length=120, blank=True)
    subject = models.TextField(_("trích yếu nội dung"))
    signer = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người ký")
    )
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signing_authority = models.CharField(
        _("thẩm quyền ký"), max_length=10, blank=True, help_text=_("TM, KT, TL, TUQ, Q. hoặc để trống.")
    )
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NONE
    )
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("bản gốc (với bản sao)"),
    )
    recipients_text = models.TextField(_("nơi nhận"), blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        indexes = [
            models.Index(fields=["organization", "state", "-created_at"], name="documents_doc_org_state"),
            models.Index(fields=["issuer", "symbol", "issued_date"], name="documents_doc_dedup"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol or _('(chưa có số)')} — {self.subject[:80]}"


class EntryStatus(models.TextChoices):
    REGISTERED = "registered", _("Đã vào sổ")
    PRESENTED = "presented", _("Đã trình")
    DIRECTED = "directed", _("Đã có ý kiến chỉ đạo")
    PROCESSING = "processing", _("Đang xử lý")
    DONE = "done", _("Đã xử lý xong")
    FILED = "filed", _("Lưu, để biết")


class RegisterEntry(models.Model):
    """A document's place in one register of one organisation, with its number."""

    register = models.ForeignKey(
        Register, on_delete=models.PROTECT, related_name="entries", verbose_name=_("sổ")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="register_entries", verbose_name=_("cơ quan")
    )
    document = models.ForeignKey(
        Document, on_delete=models.PROTECT, related_name="entries", verbose_name=_("văn bản")
    )
    series = models.CharField(_("dãy số"), max_length=80)
    number = models.PositiveIntegerField(_("số"))
    # Denormalised from the document so that register lists and their access filter never
    # need the (wide) document row.
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NONE
    )
    status = models.CharField(
        _("tình trạng xử lý"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.REGISTERED
    )
    received_at = models.DateTimeField(_("ngày đến"), null=True, blank=True)
    registered_at = models.DateTimeField(_("vào sổ lúc"), default=timezone.now)
    registered_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người vào sổ"),
    )
    channel = models.CharField(
        _("hình thức nhận, gửi"),
        max_length=20,
        blank=True,
        help_text=_("giấy, điện tử, thư điện tử, liên thông, nội bộ"),
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("trùng với"),
    )
    source_entry = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliveries",
        verbose_name=_("chuyển từ sổ đi"),
        help_text=_("Với văn bản nội bộ: mục sổ đi của cơ quan gửi."),
    )
    copies_count = models.PositiveSmallIntegerField(_("số lượng bản"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    presented_to = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("trình"),
    )
    presented_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    processed_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-registered_at"]
        verbose_name = _("mục sổ văn bản")
        verbose_name_plural = _("mục sổ văn bản")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "series", "number"], name="documents_entry_number_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "register", "-registered_at"], name="documents_entry_org_reg"
            ),
            models.Index(fields=["organization", "status"], name="documents_entry_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.register.name} số {self.number}"


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

    class Meta:
        ordering = ["document", "uploaded_at"]
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")

    def __str__(self) -> str:
        return self.original_name


class LinkKind(models.TextChoices):
    REFERENCES = "references", _("Dẫn chiếu")
    REPLIES_TO = "replies_to", _("Trả lời")
    REPLACES = "replaces", _("Thay thế")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    IMPLEMENTS = "implements", _("Triển khai thực hiện")


class DocumentLink(models.Model):
    """A link from one document to another: a reference found in its text, or a reply,
    replacement or amendment stated by a person. ``target`` stays empty while the referenced
    document is not registered here; ``symbol`` lets it be linked later."""

    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("văn bản")
    )
    target = models.ForeignKey(
        Document,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="links_in",
        verbose_name=_("văn bản được dẫn"),
    )
    kind = models.CharField(
        _("quan hệ"), max_length=12, choices=LinkKind.choices, default=LinkKind.REFERENCES
    )
    symbol = models.CharField(_("số, ký hiệu được dẫn"), max_length=100, blank=True, db_index=True)
    doc_type = models.CharField(_("loại"), max_length=12, blank=True)
    referenced_date = models.DateField(_("ngày"), null=True, blank=True)
    quote = models.CharField(_("đoạn dẫn chiếu"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = _("liên kết văn bản")
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "symbol"], name="documents_link_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.symbol}"


class Direction(models.Model):
    """A leader's direction (bút phê, ý kiến chỉ đạo) on an incoming document."""

    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="directions", verbose_name=_("văn bản đến")
    )
    author = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người chỉ đạo")
    )
    text = models.TextField(_("ý kiến chỉ đạo"))
    given_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        ordering = ["entry", "given_at"]
        verbose_name = _("ý kiến chỉ đạo")
        verbose_name_plural = _("ý kiến chỉ đạo")

    def __str__(self) -> str:
        return self.text[:80]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")
    INFORM = "inform", _("Để biết")


class Assignment(PartyTarget):
    """Who must act on a direction: a lead, cooperating or for-information organisation,
    unit or person, with a due date. The lead and cooperating ones are followed as one task of
    the task engine, made by the direction service in the same transaction (``task``)."""

    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("ý kiến chỉ đạo")
    )
    entry = models.ForeignKey(
        RegisterEntry, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("văn bản đến")
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=AssignmentRole.choices)
    due_date = models.DateField(_("hạn xử lý"), null=True, blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("nhiệm vụ"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(PartyTarget.Meta):
        ordering = ["entry", "role", "id"]
        verbose_name = _("phân công xử lý")
        verbose_name_plural = _("phân công xử lý")


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


class ReaderGrant(models.Model):
    """A named person allowed to read a classified document (need to know), beyond the
    register keepers and leaders of the organisations holding it and its assignees."""

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="reader_grants", verbose_name=_("văn bản")
    )
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("người được đọc")
    )
    granted_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người cho phép")
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("người được đọc văn bản mật")
        verbose_name_plural = _("người được đọc văn bản mật")
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="documents_reader_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.document_id}"


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

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("văn bản chờ vào sổ")
        verbose_name_plural = _("văn bản chờ vào sổ")
        indexes = [
            models.Index(fields=["organization", "state", "-received_at"], name="documents_arrival_queue")
        ]

    def __str__(self) -> str:
        return self.original_name
