"""Meetings and the rooms they are held in; their agenda (with the meeting pack), minutes
and conclusions, each conclusion followed as a task of the engine.

Rooms are one register (shared with the logistics module later) with one booking rule: a
room holds one meeting at a time. The rule is kept by the booking service, which locks the
room's row before it looks for an overlap (``services.meetings._book``), so two concurrent
bookings of one room are serialised on both engines."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import PartyTarget


class Room(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="rooms", verbose_name=_("cơ quan quản lý")
    )
    name = models.CharField(_("tên phòng"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("sức chứa (người)"), default=0)
    equipment = models.CharField(_("trang thiết bị"), max_length=500, blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = _("phòng họp")
        verbose_name_plural = _("phòng họp")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="programs_room_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingKind(models.TextChoices):
    HOI_NGHI_BCH = "hoi_nghi_bch", _("Hội nghị Ban Chấp hành")
    HOP_BAN_THUONG_VU = "hop_ban_thuong_vu", _("Họp Ban Thường vụ")
    HOP_THUONG_TRUC = "hop_thuong_truc", _("Họp Thường trực")
    GIAO_BAN = "giao_ban", _("Giao ban")
    LAM_VIEC = "lam_viec", _("Làm việc với địa phương, đơn vị")
    KHAC = "khac", _("Khác")


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("Đã lên lịch")
    HELD = "held", _("Đã họp")
    CANCELLED = "cancelled", _("Đã hủy")


class Meeting(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("cơ quan")
    )
    kind = models.CharField(_("loại cuộc họp"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("tên cuộc họp"), max_length=500)
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"))
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("phòng họp"),
    )
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    chair = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("chủ trì")
    )
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    minutes = models.TextField(_("biên bản"), blank=True)
    notice = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thông báo kết luận"),
    )
    created_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("cuộc họp")
        verbose_name_plural = _("cuộc họp")
        indexes = [
            models.Index(fields=["organization", "start"], name="programs_meeting_org_start"),
            models.Index(fields=["room", "start"], name="programs_meeting_room_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="programs_meeting_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Thành phần")
    GUEST = "guest", _("Khách mời")


class Attendance(models.TextChoices):
    INVITED = "invited", _("Được mời")
    PRESENT = "present", _("Có mặt")
    ABSENT = "absent", _("Vắng không lý do")
    EXCUSED = "excused", _("Vắng có lý do")


class MeetingParticipant(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="meeting_seats", verbose_name=_("cán bộ")
    )
    role = models.CharField(
        _("vai trò"), max_length=12, choices=ParticipantRole.choices, default=ParticipantRole.PARTICIPANT
    )
    attendance = models.CharField(
        _("tham dự"), max_length=10, choices=Attendance.choices, default=Attendance.INVITED
    )
    reason = models.CharField(_("lý do vắng"), max_length=300, blank=True)

    class Meta:
        ordering = ["meeting", "role", "id"]
        verbose_name = _("thành phần dự họp")
        verbose_name_plural = _("thành phần dự họp")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="programs_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()})"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    title = models.CharField(_("nội dung"), max_length=500)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("tài liệu")
    )

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("nội dung cuộc họp")
        verbose_name_plural = _("nội dung cuộc họp")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="programs_agenda_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"


class Conclusion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung kết luận"))
    due_date = models.DateField(_("thời hạn"), null=True, blank=True)
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ"),
    )
    created_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("người ghi")
    )
    created_at = models.DateTimeField(_("ghi lúc"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("kết luận")
        verbose_name_plural = _("kết luận")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="programs_conclusion_order"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.text[:80]}"


class ConclusionRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")


class ConclusionParty(PartyTarget):
    """Who a conclusion names to act: one lead and any cooperating parties, as the task made
    from it names them."""

    conclusion = models.ForeignKey(Conclusion, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("vai trò"), max_length=10, choices=ConclusionRole.choices)

    class Meta(PartyTarget.Meta):
        ordering = ["conclusion", "role", "id"]
        verbose_name = _("nơi thực hiện kết luận")
        verbose_name_plural = _("nơi thực hiện kết luận")

    def __str__(self) -> str:
        return str(self.target)
