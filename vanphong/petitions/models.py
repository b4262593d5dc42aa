"""Citizen reception and petitions (tiếp công dân, xử lý đơn thư): FACTS.md §4.

A ``Petition`` is one letter (đơn) received by an organisation and entered in its book with a
number per organisation and year (``PetitionCounter``, taken under a lock). Its petitioners
(``Petitioner``, none when anonymous) are kept apart so that the identity of a denouncer
(``to_cao``) can be withheld from everyone but the people handling it. Each deadline is a task
of the task engine (``process_task``, ``resolve_task``). A ``Reception`` is one visit of
citizens to a reception session (sổ tiếp công dân), possibly giving rise to a petition."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

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
    outcome = models.TextField(_("kết quả tiếp"), blank=True)
    petition = models.ForeignKey(
        Petition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receptions",
        verbose_name=_("đơn liên quan"),
    )
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
