"""The document, its entries in the books, links between documents, and the readers granted a
classified one."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.kinds import Style, Urgency
from vanphong.documents.models.registers import Register
from vanphong.orgs.models import Classification, Organization, Person


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
    # The optional boxes an outgoing document prints when they are given (NĐ 30 PL I §III.2c
    # and §III.3, boxes 11 and 12; HD 36 boxes 11a and 12; FACTS §1.4, §2.5). The number of
    # copies is ``copies_count`` because ``copies`` names the copies (sao) of a document.
    circulation = models.CharField(
        _("phạm vi lưu hành"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Lưu hành nội bộ; Xem xong trả lại; Xong hội nghị xin gửi lại."),
    )
    typist_initials = models.CharField(_("ký hiệu người đánh máy"), max_length=10, blank=True)
    copies_count = models.PositiveSmallIntegerField(_("số lượng bản"), null=True, blank=True)
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
    # The register order of the lists (``INCOMING_ORDER``), kept on the entry so that one
    # index serves it and a page of a province's list stops after its rows instead of sorting
    # every visible entry: the local date of registration and whether the book is the
    # classified one. Both are fixed when the entry is written (``save``).
    registered_on = models.DateField(_("ngày vào sổ"), editable=False)
    in_classified_book = models.BooleanField(_("trong sổ mật"), default=False, editable=False)
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
            models.Index(
                fields=["-registered_on", "in_classified_book", "-number", "-id"],
                name="documents_entry_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.register.name} số {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            self.registered_on = timezone.localdate(self.registered_at)
            self.in_classified_book = self.register.classified
        super().save(*args, **kwargs)


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
