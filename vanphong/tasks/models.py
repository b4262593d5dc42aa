"""The task engine's data: what must be done, by whom, by when, and what came of it.

A task's *state* is its lifecycle (assigned → accepted → in progress → completed →
confirmed, or cancelled), changed only by the services. Its *status* (chưa đến hạn, sắp
đến hạn, quá hạn, hoàn thành đúng hạn, hoàn thành quá hạn) is never stored as typed: it is
derived in SQL from the dates (``selectors.with_status``), against the working-day calendar
kept here as data.

Two columns are kept by the services so that counting stays in indexes at millions of
rows: ``effective_due`` (the due date moved to the next working day when it falls on a
holiday or a weekend, Bộ luật Dân sự Art. 148) and ``outcome`` (open, on time, late,
cancelled — fixed when the task is completed). ``TaskTally`` holds the counts per lead
organisation, month of the *original* due date and outcome, maintained in the same
transaction as every change.
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import Classification, Organization, PartyTarget, Person, Unit


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ (lễ, Tết, nghỉ bù)")
    WORKING = "working", _("Ngày làm việc (làm bù vào ngày nghỉ cuối tuần)")


class CalendarDay(models.Model):
    """An exception to the ordinary week: a holiday on a working day, or a working day on a
    weekend (the Saturday worked to bridge a holiday). Which weekdays are the weekend is a
    setting (``VANPHONG_WEEKEND_DAYS``); the holidays change every year (lunar Tết, Giỗ Tổ,
    the bridges the Government announces), so they are rows an administrator keeps."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=10, choices=DayKind.choices, default=DayKind.HOLIDAY)
    name = models.CharField(_("tên"), max_length=120)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"


class SourceKind(models.TextChoices):
    DIRECTION = "direction", _("Ý kiến chỉ đạo trên văn bản đến")
    CONCLUSION = "conclusion", _("Kết luận cuộc họp, thông báo kết luận")
    RESOLUTION = "resolution", _("Nghị quyết, chương trình hành động")
    PROGRAM = "program", _("Chương trình công tác")
    REPORT_REQUEST = "report_request", _("Yêu cầu báo cáo")
    PETITION = "petition", _("Đơn thư")
    RECORD = "record", _("Hồ sơ, lưu trữ")
    LOGISTICS = "logistics", _("Quản trị, hậu cần")
    MANUAL = "manual", _("Giao trực tiếp")


class Priority(models.IntegerChoices):
    NORMAL = 0, _("Bình thường")
    HIGH = 1, _("Quan trọng")
    URGENT = 2, _("Khẩn")


class TaskState(models.TextChoices):
    ASSIGNED = "assigned", _("Mới giao")
    ACCEPTED = "accepted", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    COMPLETED = "completed", _("Đã hoàn thành, chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận hoàn thành")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATES = (TaskState.ASSIGNED, TaskState.ACCEPTED, TaskState.IN_PROGRESS)
DONE_STATES = (TaskState.COMPLETED, TaskState.CONFIRMED)


class Outcome(models.IntegerChoices):
    """What became of a task, fixed when it is completed (and undone when it is returned)."""

    OPEN = 0, _("Đang thực hiện")
    ON_TIME = 1, _("Hoàn thành đúng hạn")
    LATE = 2, _("Hoàn thành quá hạn")
    CANCELLED = 3, _("Đã hủy")


class Status(models.TextChoices):
    """The derived status shown everywhere; computed, never stored."""

    NOT_DUE = "not_due", _("Chưa đến hạn")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    DONE_ON_TIME = "done_on_time", _("Hoàn thành đúng hạn")
    DONE_LATE = "done_late", _("Hoàn thành quá hạn")
    CANCELLED = "cancelled", _("Đã hủy")


class Frequency(models.IntegerChoices):
    """How often a recurring task comes back, in months."""

    MONTHLY = 1, _("Hằng tháng")
    QUARTERLY = 3, _("Hằng quý")
    HALF_YEARLY = 6, _("6 tháng một lần")
    YEARLY = 12, _("Hằng năm")


class TaskSeries(models.Model):
    """A recurring task: the rule from which one task per period is made (a monthly report
    due on the 20th, a quarterly review due on the 15th of the last month of the quarter).
    The occurrences are ordinary tasks with ``series`` set; each is tracked on its own."""

    frequency = models.PositiveSmallIntegerField(_("chu kỳ"), choices=Frequency.choices)
    day_of_month = models.PositiveSmallIntegerField(
        _("ngày trong tháng"),
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_("Ngày 29–31 được hiểu là ngày cuối tháng với tháng ngắn hơn."),
    )
    month_in_period = models.PositiveSmallIntegerField(
        _("tháng thứ mấy trong kỳ"),
        default=0,
        help_text=_("0: tháng cuối kỳ; 1: tháng đầu kỳ... (với chu kỳ quý, 6 tháng, năm)."),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)
    active = models.BooleanField(_("đang áp dụng"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nhiệm vụ định kỳ")
        verbose_name_plural = _("nhiệm vụ định kỳ")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()}, ngày {self.day_of_month}"


class Task(models.Model):
    title = models.CharField(_("tên nhiệm vụ"), max_length=500)
    content = models.TextField(_("nội dung"), blank=True)

    # Where it came from: a kind, a readable label, and a link back when the source is a row.
    source_kind = models.CharField(
        _("nguồn giao"), max_length=20, choices=SourceKind.choices, default=SourceKind.MANUAL
    )
    source_label = models.CharField(_("văn bản, sự kiện giao"), max_length=500, blank=True)
    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    source_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("văn bản nguồn"),
    )

    # Who gave it, in the name of which organisation.
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assigned_tasks", verbose_name=_("cơ quan giao")
    )
    issued_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_tasks",
        verbose_name=_("lãnh đạo giao"),
    )
    created_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhập"),
    )

    # Who must do it (chủ trì). Cooperating parties are TaskParty rows.
    lead_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("cơ quan chủ trì")
    )
    lead_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("phòng chủ trì"),
    )
    lead_person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("cán bộ chủ trì"),
    )

    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("nhiệm vụ cha"),
    )
    series = models.ForeignKey(
        TaskSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("định kỳ"),
    )

    priority = models.PositiveSmallIntegerField(
        _("mức độ"), choices=Priority.choices, default=Priority.NORMAL
    )
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Classification.choices, default=Classification.NONE
    )

    assigned_on = models.DateField(_("ngày giao"), default=timezone.localdate)
    original_due_date = models.DateField(_("hạn ban đầu"), null=True, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    effective_due = models.DateField(_("hạn tính theo ngày làm việc"), null=True, blank=True, editable=False)

    state = models.CharField(
        _("trạng thái xử lý"), max_length=12, choices=TaskState.choices, default=TaskState.ASSIGNED
    )
    outcome = models.PositiveSmallIntegerField(_("kết quả"), choices=Outcome.choices, default=Outcome.OPEN)
    progress = models.PositiveSmallIntegerField(
        _("tiến độ (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    completed_at = models.DateTimeField(_("báo hoàn thành lúc"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận"),
    )
    result = models.TextField(_("kết quả thực hiện"), blank=True)
    result_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("văn bản kết quả"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Not a column: the pages set it on the rows they show (``selectors.days_late``).
    days_late: int

    class Meta:
        ordering = ["-id"]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        indexes = [
            # Lists and counts per lead organisation, by outcome and due date.
            models.Index(
                fields=["lead_organization", "outcome", "effective_due"], name="task_lead_outcome_due"
            ),
            models.Index(fields=["organization", "outcome", "effective_due"], name="task_org_outcome_due"),
            models.Index(fields=["lead_unit", "outcome", "effective_due"], name="task_unit_outcome_due"),
            models.Index(fields=["issued_by", "outcome", "effective_due"], name="task_issuer_outcome_due"),
            models.Index(fields=["lead_person", "outcome"], name="task_person_outcome"),
            # The open tasks by due date: overdue lists, reminders, the "overdue" count. After
            # the two it is ordered by, it carries the columns the access rule and the period
            # filters read, so that counting overdue tasks — a reader's, or per month for a
            # dashboard — never visits the table (benchmark: 216 → 38 ms at 2,000,000 tasks).
            # Key columns rather than INCLUDE: SQLite covers with them too (and warns on INCLUDE).
            models.Index(
                fields=[
                    *("effective_due", "lead_organization"),
                    *("organization", "classification", "lead_person", "issued_by", "created_by"),
                    *("original_due_date", "assigned_on", "id"),
                ],
                name="task_open_due",
                condition=Q(outcome=0),
            ),
            # The open tasks newest first: the first page of a list filtered to open tasks
            # (in progress, due soon, not yet due) without sorting them all (842 → 20 ms at 2M).
            models.Index(fields=["-id"], name="task_open_newest", condition=Q(outcome=0)),
            # The tasks given and not yet accepted, newest first: the home page's "new" group
            # walks these few thousand instead of every task led by the reader's organisation.
            models.Index(fields=["-assigned_on", "-id"], name="task_new", condition=Q(state="assigned")),
            models.Index(fields=["source_type", "source_id"], name="task_source"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__gte=0, progress__lte=100), name="task_progress_0_100"
            ),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in DONE_STATES], completed_on__isnull=False)
                | ~Q(state__in=[s.value for s in DONE_STATES]),
                name="task_done_has_date",
            ),
            models.UniqueConstraint(
                fields=["series", "original_due_date"],
                name="task_one_per_period",
                condition=Q(series__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title[:120]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def extended(self) -> bool:
        return self.original_due_date is not None and self.due_date != self.original_due_date


class PartyRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COOPERATE = "cooperate", _("Phối hợp")


class TaskParty(PartyTarget):
    """One organisation, unit or person named on a task, as lead (chủ trì, mirrored in the
    task's ``lead_*`` columns) or cooperating (phối hợp)."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("vai trò"), max_length=10, choices=PartyRole.choices)

    class Meta(PartyTarget.Meta):
        ordering = ["task", "role", "id"]
        verbose_name = _("đơn vị thực hiện")
        verbose_name_plural = _("đơn vị thực hiện")
        indexes = [models.Index(fields=["organization", "task"], name="taskparty_org_task")]


class TaskAccess(models.Model):
    """Who a task reaches, one row per organisation or person, written with the task (giver,
    lead, parties and their units' organisations; lead, giver, author and named people) and
    never changed after (those columns are fixed at creation). The access rule is one EXISTS
    on this table (``tasks.access``): an index serves it from the reader's organisations for
    a narrow reader and from the task for a broad one, where an OR across the task, its
    parties and their units made every count read the whole task table."""

    # Served by the (task, holder, giver) index below.
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+", db_index=False)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    # The organisation gave the task: its Văn phòng follows it up too (``access.followed_up_by``).
    giver = models.BooleanField(default=False)
    # Who the row reaches as one number: the organisation's id, or the person's id negated.
    # The access rule asks for "my organisations or me" as one IN on this column, which an
    # index answers alone (an OR across two columns made PostgreSQL read the table's rows).
    holder = models.GeneratedField(
        expression=Coalesce(F("organization"), F("person") * -1),
        output_field=models.BigIntegerField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("phạm vi tiếp cận nhiệm vụ")
        verbose_name_plural = _("phạm vi tiếp cận nhiệm vụ")
        indexes = [
            # From the reader's organisations and self (a commune), and from the task (the
            # province's list walked by id): both index-only.
            models.Index(fields=["holder", "task", "giver"], name="taskaccess_holder_task"),
            models.Index(fields=["task", "holder", "giver"], name="taskaccess_task_holder"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False, person__isnull=True)
                | Q(organization__isnull=True, person__isnull=False),
                name="taskaccess_org_or_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id} → {self.organization_id or f'person {self.person_id}'}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Giao nhiệm vụ")
    ACCEPTED = "accepted", _("Tiếp nhận")
    PROGRESS = "progress", _("Báo cáo tiến độ")
    COMPLETED = "completed", _("Báo cáo hoàn thành")
    CONFIRMED = "confirmed", _("Xác nhận hoàn thành")
    RETURNED = "returned", _("Trả lại, yêu cầu thực hiện tiếp")
    EXTENSION_REQUESTED = "ext_requested", _("Xin gia hạn")
    EXTENSION_APPROVED = "ext_approved", _("Đồng ý gia hạn")
    EXTENSION_REFUSED = "ext_refused", _("Không đồng ý gia hạn")
    CANCELLED = "cancelled", _("Hủy nhiệm vụ")
    CHANGED = "changed", _("Điều chỉnh")


class TaskEvent(models.Model):
    """The task's history, one row per step: who, when, what they wrote, the percent they
    reported, and the documents they attached as evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=16, choices=EventKind.choices)
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    text = models.TextField(_("nội dung"), blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), null=True, blank=True)
    documents = models.ManyToManyField(
        "documents.Document", blank=True, related_name="+", verbose_name=_("minh chứng")
    )

    class Meta:
        ordering = ["task", "at", "id"]
        verbose_name = _("diễn biến nhiệm vụ")
        verbose_name_plural = _("diễn biến nhiệm vụ")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%d/%m/%Y})"


class EvidenceFile(models.Model):
    """A file attached to a progress report or a completion when the evidence is not a
    registered document (a photo, a spreadsheet, a scan). Kept as its exact bytes with
    their hash, like every stored file."""

    event = models.ForeignKey(TaskEvent, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("tệp"), upload_to="tasks/%Y/%m/", max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")

    def __str__(self) -> str:
        return self.original_name


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    APPROVED = "approved", _("Đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class ExtensionRequest(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="extensions")
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người xin")
    )
    requested_at = models.DateTimeField(default=timezone.now)
    current_due_date = models.DateField(_("hạn hiện tại"), null=True, blank=True)
    new_due_date = models.DateField(_("hạn đề nghị"))
    reason = models.TextField(_("lý do"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        ordering = ["task", "requested_at", "id"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        constraints = [
            models.UniqueConstraint(
                fields=["task"], condition=Q(state="pending"), name="extension_one_pending_per_task"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.new_due_date:%d/%m/%Y}"


class TaskTally(models.Model):
    """How many tasks each lead organisation (``organization``) has from each giving one
    (``giver``), per month of the original due date and outcome. Kept in step by the services
    (``tally.move``) so that dashboards over millions of tasks read a few hundred rows;
    ``vanphong tasks-recount`` rebuilds it from the tasks."""

    giver = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(
        help_text="First day of the month of the original due date (or of the day given, with none)."
    )
    outcome = models.PositiveSmallIntegerField(choices=Outcome.choices)
    count = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("số liệu nhiệm vụ")
        verbose_name_plural = _("số liệu nhiệm vụ")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "giver", "month", "outcome"], name="tasktally_key"
            ),
        ]
        indexes = [models.Index(fields=["giver", "month"], name="tasktally_giver_month")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.month:%m/%Y} {self.get_outcome_display()}: {self.count}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("Nhắc trước hạn")
    DUE = "due", _("Nhắc đến hạn")
    OVERDUE = "overdue", _("Nhắc quá hạn")
    ESCALATE_HEAD = "escalate_head", _("Báo lãnh đạo đơn vị chủ trì")
    ESCALATE_OFFICE = "escalate_office", _("Báo Văn phòng")


class ReminderLog(models.Model):
    """One reminder sent: the unique key makes a job that runs twice send once."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lần nhắc việc")
        verbose_name_plural = _("nhật ký nhắc việc")
        constraints = [
            models.UniqueConstraint(fields=["task", "person", "kind", "day"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:%d/%m/%Y}"
