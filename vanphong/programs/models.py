"""Work programmes and their items, the leaders' weekly calendar, meetings and the rooms they
are held in; a meeting's agenda (with the meeting pack), minutes and conclusions, each
conclusion followed as a task of the engine.

A programme item carries down from the longer programme into the shorter ones (``parent``)
and a moved item is a new item in the later programme (``moved_from``); the states roll back
up the ``parent`` chain (``services.work_programs``). A calendar week is composed, approved
and published; an event changed after publication is marked and its people are told.

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
    minutes_file = models.FileField(
        _("tệp biên bản"), upload_to="meetings/%Y/%m/", blank=True, max_length=300
    )
    program_item = models.ForeignKey(
        "programs.ProgramItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("nội dung chương trình"),
    )
    cancel_reason = models.CharField(_("lý do hủy, hoãn"), max_length=500, blank=True)
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


class ProgramBody(models.TextChoices):
    BAN_CHAP_HANH = "ban_chap_hanh", _("Ban Chấp hành")
    BAN_THUONG_VU = "ban_thuong_vu", _("Ban Thường vụ")
    THUONG_TRUC = "thuong_truc", _("Thường trực")
    BAN_CHI_DAO = "ban_chi_dao", _("Ban Chỉ đạo")


class ProgramPeriod(models.TextChoices):
    """The horizons from the longest to the shortest: an item carries down only to a shorter one."""

    TERM = "term", _("Toàn khóa")
    YEAR = "year", _("Năm")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")
    WEEK = "week", _("Tuần")


PERIOD_RANK = {value: rank for rank, value in enumerate(ProgramPeriod.values)}


class ProgramState(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã duyệt")
    ISSUED = "issued", _("Đã ban hành")


class Program(models.Model):
    """A work programme (chương trình công tác) of one of a committee's bodies for a period."""

    organization = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="programs", verbose_name=_("cơ quan")
    )
    body = models.CharField(_("cơ quan thực hiện"), max_length=20, choices=ProgramBody.choices)
    steering_name = models.CharField(_("tên Ban Chỉ đạo"), max_length=300, blank=True)
    period = models.CharField(_("thời kỳ"), max_length=10, choices=ProgramPeriod.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    title = models.CharField(_("tên chương trình"), max_length=500)
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=ProgramState.choices, default=ProgramState.DRAFT
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản ban hành"),
    )
    approved_by = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("người tạo")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization", "-start", "id"]
        verbose_name = _("chương trình công tác")
        verbose_name_plural = _("chương trình công tác")
        indexes = [
            models.Index(fields=["organization", "period", "start"], name="programs_program_org_period")
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="programs_program_end_after_start"),
            models.UniqueConstraint(
                fields=["organization", "body", "period", "start", "steering_name"],
                name="programs_program_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemState(models.TextChoices):
    PLANNED = "planned", _("Dự kiến")
    DONE = "done", _("Đã thực hiện")
    MOVED = "moved", _("Chuyển kỳ sau")
    DROPPED = "dropped", _("Không thực hiện")


class ProgramItem(models.Model):
    """One matter of a programme: what, who prepares it, which leader is in charge, when
    (a day, a week or a month), before which kind of meeting, and what became of it."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    content = models.TextField(_("nội dung"))
    preparing_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chuẩn bị"),
    )
    leader = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lãnh đạo phụ trách"),
    )
    planned_date = models.DateField(_("ngày dự kiến"), null=True, blank=True)
    planned_week = models.DateField(_("tuần dự kiến (thứ Hai)"), null=True, blank=True)
    planned_month = models.DateField(_("tháng dự kiến (ngày 1)"), null=True, blank=True)
    meeting_kind = models.CharField(
        _("hình thức xem xét"), max_length=20, choices=MeetingKind.choices, blank=True
    )
    state = models.CharField(
        _("kết quả"), max_length=10, choices=ItemState.choices, default=ItemState.PLANNED
    )
    reason = models.CharField(_("lý do"), max_length=1000, blank=True)
    done_on = models.DateField(_("ngày thực hiện"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("từ chương trình dài hơn"),
    )
    moved_from = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moved_to",
        verbose_name=_("chuyển từ"),
    )
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["program", "order"]
        verbose_name = _("nội dung chương trình")
        verbose_name_plural = _("nội dung chương trình")
        indexes = [models.Index(fields=["preparing_organization", "state"], name="programs_item_prep_state")]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="programs_item_order"),
            models.CheckConstraint(
                condition=(
                    Q(planned_date__isnull=True, planned_week__isnull=True)
                    | Q(planned_date__isnull=True, planned_month__isnull=True)
                    | Q(planned_week__isnull=True, planned_month__isnull=True)
                ),
                name="programs_item_one_time",
            ),
        ]

    def __str__(self) -> str:
        return " ".join(self.content.split())[:80]


class CalendarState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    APPROVED = "approved", _("Đã duyệt")
    PUBLISHED = "published", _("Đã công bố")


class CalendarWeek(models.Model):
    """The leaders' weekly calendar (lịch công tác tuần của Thường trực) of an organisation."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="calendar_weeks",
        verbose_name=_("cơ quan"),
    )
    week_start = models.DateField(_("tuần từ thứ Hai"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=CalendarState.choices, default=CalendarState.DRAFT
    )
    note = models.TextField(_("ghi chú"), blank=True)
    approved_by = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("người soạn")
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization", "-week_start"]
        verbose_name = _("lịch công tác tuần")
        verbose_name_plural = _("lịch công tác tuần")
        constraints = [
            models.UniqueConstraint(fields=["organization", "week_start"], name="programs_week_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — tuần {self.week_start:%d/%m/%Y}"


class CalendarEvent(models.Model):
    """One line of the weekly calendar: day and time, content, the leaders attending, the
    participants, the place and the agency that prepares it; from a programme item, a meeting
    or a request. ``changed_after_publication`` marks what changed once the week was out."""

    week = models.ForeignKey(CalendarWeek, on_delete=models.CASCADE, related_name="events")
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    title = models.CharField(_("nội dung"), max_length=500)
    kind = models.CharField(_("loại"), max_length=20, choices=MeetingKind.choices, default=MeetingKind.KHAC)
    leaders = models.ManyToManyField(
        "orgs.Person", blank=True, related_name="calendar_events", verbose_name=_("lãnh đạo dự")
    )
    participants = models.CharField(_("thành phần"), max_length=1000, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    preparing_organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chuẩn bị"),
    )
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendar_events",
        verbose_name=_("cuộc họp"),
    )
    program_item = models.ForeignKey(
        ProgramItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="calendar_events",
        verbose_name=_("nội dung chương trình"),
    )
    cancelled = models.BooleanField(_("đã hủy"), default=False)
    changed_after_publication = models.BooleanField(_("thay đổi sau khi công bố"), default=False)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    sequence = models.PositiveIntegerField(_("lần sửa"), default=0)
    updated_at = models.DateTimeField(_("sửa lúc"), default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("sự kiện lịch tuần")
        verbose_name_plural = _("sự kiện lịch tuần")
        indexes = [models.Index(fields=["week", "start"], name="programs_event_week_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="programs_event_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CalendarFeed(models.Model):
    """A secret, revocable subscription link to a person's or an organisation's calendar
    (iCalendar): the token is the only credential, so it is long, random and stored hashed."""

    owner = models.ForeignKey(
        "orgs.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("người tạo")
    )
    person = models.ForeignKey(
        "orgs.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lịch của cán bộ"),
    )
    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lịch của cơ quan"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đường dẫn đăng ký lịch")
        verbose_name_plural = _("đường dẫn đăng ký lịch")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, organization__isnull=True)
                | Q(person__isnull=True, organization__isnull=False),
                name="programs_feed_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"Lịch của {self.person or self.organization}"


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
