"""Citizen reception and petitions (tiếp công dân, xử lý đơn thư): FACTS.md §4.

A ``Petition`` is one letter (đơn) received by an organisation and entered in its book with a
number per organisation and year (``PetitionCounter``, taken under a lock). Its petitioners
(``Petitioner``, none when anonymous) are kept apart so that the identity of a denouncer
(``to_cao``) can be withheld from everyone but the people handling it. Each deadline is a task
of the task engine (``process_task``, ``resolve_task``). A ``Reception`` is one visit of
citizens to a reception session (sổ tiếp công dân), possibly giving rise to a petition."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.documents.models.files import StoredFile
from vanphong.orgs.models import Organization, Person


class Channel(models.TextChoices):
    POST = "post", _("Qua bưu chính")
    IN_PERSON = "in_person", _("Trực tiếp")
    TRANSFERRED = "transferred", _("Cơ quan khác chuyển đến")
    ONLINE = "online", _("Trực tuyến")
    EMAIL = "email", _("Thư điện tử")


class Kind(models.TextChoices):
    KHIEU_NAI = "khieu_nai", _("Khiếu nại")
    TO_CAO = "to_cao", _("Tố cáo")
    KIEN_NGHI = "kien_nghi", _("Kiến nghị")
    PHAN_ANH = "phan_anh", _("Phản ánh")


class Action(models.TextChoices):
    ACCEPT = "accept", _("Thụ lý giải quyết")
    TRANSFER = "transfer", _("Chuyển cơ quan có thẩm quyền")
    GUIDE = "guide", _("Hướng dẫn người gửi đơn")
    FILE = "file", _("Lưu đơn")


class LetterKind(models.TextChoices):
    """The letters an organisation may reword (``LetterTemplate.action``): one per handling
    decision, and ``REVIEW`` — the acceptance of a kiến nghị or phản ánh, which is received and
    looked into, not "thụ lý" (a term of the complaint and denunciation laws)."""

    ACCEPT = "accept", _("Thụ lý giải quyết")
    REVIEW = "review", _("Tiếp nhận, xem xét đơn kiến nghị, phản ánh")
    TRANSFER = "transfer", _("Chuyển cơ quan có thẩm quyền")
    GUIDE = "guide", _("Hướng dẫn người gửi đơn")
    FILE = "file", _("Lưu đơn")


class State(models.TextChoices):
    RECEIVED = "received", _("Đã tiếp nhận, chờ xử lý")
    ACCEPTED = "accepted", _("Đã thụ lý, đang giải quyết")
    TRANSFERRED = "transferred", _("Đã chuyển đơn")
    GUIDED = "guided", _("Đã hướng dẫn")
    FILED = "filed", _("Đã lưu đơn")
    RESOLVED = "resolved", _("Đã giải quyết")


class Result(models.TextChoices):
    DUNG = "dung", _("Đúng")
    DUNG_MOT_PHAN = "dung_mot_phan", _("Đúng một phần")
    SAI = "sai", _("Sai")
    DA_TRA_LOI = "da_tra_loi", _("Đã trả lời, giải thích")
    RUT_DON = "rut_don", _("Người gửi rút đơn")


class PetitionCounter(models.Model):
    """The last number taken in one organisation's book for one year. Taken under SELECT …
    FOR UPDATE in the transaction that writes the petition, so a number is never shared and
    never skipped: a rolled-back registration rolls the counter back with it."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("bộ đếm số đơn")
        verbose_name_plural = _("bộ đếm số đơn")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="petitions_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.year}={self.last_number}"


class Petition(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="petitions", verbose_name=_("cơ quan tiếp nhận")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số đơn"))
    received_date = models.DateField(_("ngày nhận"))
    channel = models.CharField(_("nguồn đơn"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("loại đơn"), max_length=20, choices=Kind.choices)
    field = models.CharField(_("lĩnh vực"), max_length=200, blank=True)
    locality = models.CharField(_("địa bàn"), max_length=200, blank=True)
    respondent = models.CharField(_("người, cơ quan bị khiếu nại, tố cáo"), max_length=500, blank=True)
    content = models.TextField(_("nội dung tóm tắt"))
    complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa, đi lại khó khăn"), default=False)
    against_party_member = models.BooleanField(_("tố cáo đảng viên, tổ chức đảng"), default=False)
    handler = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions_handled",
        verbose_name=_("cán bộ xử lý"),
    )
    registered_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người vào sổ"),
    )
    state = models.CharField(_("tình trạng"), max_length=20, choices=State.choices, default=State.RECEIVED)
    process_by = models.DateField(_("hạn xử lý đơn"))
    resolve_by = models.DateField(_("hạn giải quyết"), null=True, blank=True)
    extensions = models.PositiveSmallIntegerField(_("số lần gia hạn giải quyết"), default=0)
    extension_reasons = models.JSONField(_("lý do gia hạn"), default=list, blank=True)
    action = models.CharField(_("hướng xử lý"), max_length=20, choices=Action.choices, blank=True)
    to_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="petitions_transferred_in",
        verbose_name=_("chuyển đến"),
    )
    reason = models.TextField(_("lý do, ghi chú xử lý"), blank=True)
    decided_on = models.DateField(_("ngày xử lý"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    result = models.CharField(_("kết quả giải quyết"), max_length=20, choices=Result.choices, blank=True)
    result_summary = models.TextField(_("tóm tắt kết quả"), blank=True)
    result_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản trả lời, kết luận"),
    )
    resolved_on = models.DateField(_("ngày có kết quả"), null=True, blank=True)
    process_task = models.OneToOneField(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="petition_processed"
    )
    resolve_task = models.OneToOneField(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="petition_resolved"
    )
    related = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="later", verbose_name=_("đơn trước cùng nội dung")
    )
    duplicate_count = models.PositiveIntegerField(_("số đơn trùng"), default=0)
    # The number, content, respondent, field and locality folded (``textfold.fold_query``) for
    # the book's accent-insensitive search in SQL; the petitioners' names are matched on their
    # own folded column, only where the reader sees the identity (``browse.search_q``).
    folded_text = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(_("vào sổ lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("đơn thư")
        verbose_name_plural = _("đơn thư")
        ordering = ["-received_date", "-id"]
        indexes = [models.Index(fields=["organization", "-received_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "number"], name="petitions_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Đơn số {self.number}/{self.year}"

    @property
    def protects_identity(self) -> bool:
        """A denouncer's identity is withheld from all but the handlers (Luật Tố cáo 2018;
        QĐ 30-QĐ/TW)."""
        return self.kind == Kind.TO_CAO


class Petitioner(models.Model):
    """One person who signed the letter; ``folded_*`` are the accent-free forms matched when
    looking for earlier letters of the same person."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="petitioners")
    order = models.PositiveSmallIntegerField(default=0)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    id_number = models.CharField(_("số định danh cá nhân, CCCD"), max_length=20, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    folded_name = models.CharField(max_length=200, db_index=True)
    folded_address = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("người gửi đơn")
        verbose_name_plural = _("người gửi đơn")
        ordering = ["petition", "order", "id"]

    def __str__(self) -> str:
        # Never the name: a denouncer's identity must not leak through logs, admin or errors.
        return f"Người gửi thứ {self.order} của đơn {self.petition_id}"


class Reception(models.Model):
    """One visit to a reception session (sổ tiếp công dân). A group visit (đoàn đông người)
    has ``citizen_count`` of at least ``GROUP_SIZE``."""

    GROUP_SIZE = 5

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("cơ quan tiếp")
    )
    date = models.DateField(_("ngày tiếp"))
    receiving_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="receptions", verbose_name=_("người tiếp")
    )
    citizens = models.JSONField(_("công dân đến"), default=list)
    citizen_count = models.PositiveIntegerField(_("số người"))
    content = models.TextField(_("nội dung"))
    documents_received = models.TextField(_("tài liệu công dân cung cấp"), blank=True)
    session = models.ForeignKey(
        "ReceptionSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("buổi tiếp"),
    )
    outcome = models.TextField(_("kết quả tiếp"), blank=True)
    petition = models.ForeignKey(
        Petition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
        verbose_name=_("đơn liên quan"),
    )
    # A visit to denounce: its citizens are shown only to those who received or wrote it down
    # and to the handlers of its denunciation (``browse.citizens_shown_q``), even before the
    # letter is in the book. Set by hand, and by linking the visit to a tố cáo.
    confidential = models.BooleanField(_("tố cáo: giữ bí mật người đến"), default=False)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người ghi")
    )
    created_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Tiếp công dân {self.date:%d/%m/%Y}"

    @property
    def group(self) -> bool:
        return self.citizen_count >= self.GROUP_SIZE


class SessionKind(models.TextChoices):
    REGULAR = "regular", _("Tiếp định kỳ")
    ADHOC = "adhoc", _("Tiếp đột xuất")


class ReceptionSession(models.Model):
    """One reception day of a leader in the published schedule (lịch tiếp công dân): the
    secretary's regular days (QĐ 11-QĐi/TW as amended by KL 215-KL/TW: at least one day a
    month for a province, two for a commune) and ad-hoc sessions."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="reception_sessions", verbose_name=_("cơ quan")
    )
    leader = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="reception_sessions", verbose_name=_("lãnh đạo tiếp")
    )
    date = models.DateField(_("ngày tiếp"))
    start = models.TimeField(_("từ giờ"))
    end = models.TimeField(_("đến giờ"))
    place = models.CharField(_("địa điểm"), max_length=300)
    kind = models.CharField(
        _("hình thức"), max_length=10, choices=SessionKind.choices, default=SessionKind.REGULAR
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    published = models.BooleanField(_("công bố công khai"), default=True)
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("buổi tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")
        ordering = ["date", "start", "id"]
        indexes = [models.Index(fields=["organization", "date"])]
        constraints = [
            models.UniqueConstraint(fields=["leader", "date", "start"], name="petitions_session_unique"),
        ]

    def __str__(self) -> str:
        return f"Tiếp công dân {self.date:%d/%m/%Y}"


class LetterTemplate(models.Model):
    """The office's own wording of the letter a handling decision produces (thông báo thụ lý,
    thông báo tiếp nhận đơn kiến nghị, phản ánh, phiếu chuyển đơn, văn bản hướng dẫn, phiếu lưu
    đơn: ``LetterKind``), replacing the default of
    ``letters.DEFAULTS`` for one organisation. ``version`` guards against overwriting another
    editor's save."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("cơ quan")
    )
    action = models.CharField(_("loại văn bản"), max_length=20, choices=LetterKind.choices)
    title = models.CharField(_("tên văn bản"), max_length=300)
    body = models.TextField(_("nội dung mẫu"))
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("người sửa")
    )
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản xử lý đơn")
        verbose_name_plural = _("mẫu văn bản xử lý đơn")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "action"], name="petitions_letter_template_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}:{self.action}"


class SubmissionState(models.TextChoices):
    PENDING = "pending", _("Chờ vào sổ")
    REGISTERED = "registered", _("Đã vào sổ")
    REJECTED = "rejected", _("Không vào sổ")


class PetitionSubmission(models.Model):
    """A letter sent through the public form, waiting for an officer to enter it in the book
    (``services.submission_register``): nothing is numbered until then, so a flood of forms
    consumes no number. The citizen follows it with ``tracking_code``."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan nhận")
    )
    tracking_code = models.CharField(_("mã tra cứu"), max_length=20, unique=True)
    submitted_at = models.DateTimeField(_("gửi lúc"), default=timezone.now)
    kind = models.CharField(_("loại đơn"), max_length=20, choices=Kind.choices)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    address = models.CharField(_("địa chỉ"), max_length=500)
    id_number = models.CharField(_("số định danh cá nhân, CCCD"), max_length=20, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    respondent = models.CharField(_("người, cơ quan bị khiếu nại, tố cáo"), max_length=500, blank=True)
    locality = models.CharField(_("địa bàn"), max_length=200, blank=True)
    content = models.TextField(_("nội dung"))
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    petition = models.OneToOneField(
        Petition, on_delete=models.SET_NULL, null=True, blank=True, related_name="submission"
    )
    reason = models.TextField(_("lý do không vào sổ"), blank=True)
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    decided_at = models.DateTimeField(_("xử lý lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("đơn gửi trực tuyến")
        verbose_name_plural = _("đơn gửi trực tuyến")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["organization", "state", "-submitted_at"])]

    def __str__(self) -> str:
        # Never the name (see ``Petitioner.__str__``).
        return f"Đơn trực tuyến {self.pk}"


class PetitionFileKind(models.TextChoices):
    ATTACHMENT = "attachment", _("Tài liệu kèm đơn")
    LETTER = "letter", _("Văn bản xử lý đơn")


def petition_file_path(instance: PetitionFile, filename: str) -> str:
    now = timezone.now()
    return f"petitions/{now:%Y/%m}/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class PetitionFile(StoredFile):
    """A file of a petition: what came with the letter (or with an online submission, before
    it is entered), or the letter a handling decision produced (``action``). A denunciation's
    files name the denouncer: they are read only where the identity is shown."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    submission = models.ForeignKey(
        PetitionSubmission, on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    kind = models.CharField(
        _("loại tệp"), max_length=12, choices=PetitionFileKind.choices, default=PetitionFileKind.ATTACHMENT
    )
    action = models.CharField(_("hướng xử lý"), max_length=20, choices=Action.choices, blank=True)
    file = models.FileField(_("tệp"), upload_to=petition_file_path, max_length=300)
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
        verbose_name = _("tệp đơn thư")
        verbose_name_plural = _("tệp đơn thư")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(petition__isnull=False) | models.Q(submission__isnull=False),
                name="petitions_file_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
