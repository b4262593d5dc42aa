"""Shared services (quản trị, hậu cần) that a committee's Văn phòng runs for all the committee's
agencies: the pooled cars and their drivers, and the trips the agencies ask for.

A ``Vehicle`` is held by an organisation (its ``organization``: the Văn phòng for the pool, an
agency for a car of its own) and is ``shared`` when the pool dispatches it. A ``Driver`` is
one of the Văn phòng's people (or a contracted driver, by name) with a licence. A ``Trip``
is an agency's request (purpose, passengers, from, to, times), approved by the pool's
operator (``pool``: the organisation whose cars it asks for) and given a car and a driver; two
trips never hold one car or one driver at overlapping times (a driver's rest between trips
counts), which ``services.trip_assign`` decides under row locks so that two dispatchers
assigning at once cannot both win. A completed trip keeps its log (odometer, fuel)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.orgs.models import Organization, Person


class VehicleKind(models.TextChoices):
    CAR = "car", _("Xe con (4–5 chỗ)")
    SEVEN = "seven", _("Xe 7 chỗ")
    VAN = "van", _("Xe 16 chỗ")
    BUS = "bus", _("Xe khách (từ 29 chỗ)")
    PICKUP = "pickup", _("Xe bán tải")
    SPECIAL = "special", _("Xe chuyên dùng")


class Vehicle(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="vehicles", verbose_name=_("cơ quan quản lý")
    )
    plate = models.CharField(_("biển số"), max_length=20, unique=True)
    kind = models.CharField(_("loại xe"), max_length=10, choices=VehicleKind.choices, default=VehicleKind.CAR)
    seats = models.PositiveSmallIntegerField(_("số chỗ ngồi"))
    make_model = models.CharField(_("nhãn hiệu, đời xe"), max_length=120, blank=True)
    shared = models.BooleanField(
        _("xe dùng chung"), default=True, help_text=_("Do Văn phòng điều hành cho các cơ quan.")
    )
    odometer = models.PositiveIntegerField(_("số km đã đi"), default=0)
    inspection_until = models.DateField(_("hạn đăng kiểm"), null=True, blank=True)
    insurance_until = models.DateField(_("hạn bảo hiểm"), null=True, blank=True)
    active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        ordering = ["organization", "plate"]
        verbose_name = _("xe ô tô")
        verbose_name_plural = _("xe ô tô")

    def __str__(self) -> str:
        return f"{self.plate} ({self.seats} chỗ)"


class LicenceClass(models.TextChoices):
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"


class Driver(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="drivers", verbose_name=_("cơ quan quản lý")
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="driver",
        verbose_name=_("cán bộ"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    licence_class = models.CharField(_("hạng giấy phép lái xe"), max_length=2, choices=LicenceClass.choices)
    licence_number = models.CharField(_("số giấy phép lái xe"), max_length=30, blank=True)
    licence_until = models.DateField(_("giấy phép có giá trị đến"), null=True, blank=True)
    active = models.BooleanField(_("đang làm việc"), default=True)

    class Meta:
        ordering = ["organization", "full_name"]
        verbose_name = _("lái xe")
        verbose_name_plural = _("lái xe")

    def __str__(self) -> str:
        return self.full_name


class TripState(models.TextChoices):
    REQUESTED = "requested", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ bố trí xe")
    ASSIGNED = "assigned", _("Đã bố trí xe")
    COMPLETED = "completed", _("Đã đi xong")
    REFUSED = "refused", _("Không bố trí được")
    CANCELLED = "cancelled", _("Đã hủy")


# The states in which a trip holds its car and driver.
HOLDING = (TripState.ASSIGNED, TripState.COMPLETED)


class Trip(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="trips", verbose_name=_("cơ quan đề nghị")
    )
    pool = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="pool_trips", verbose_name=_("đơn vị điều xe")
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    purpose = models.CharField(_("nội dung công tác"), max_length=500)
    passengers = models.PositiveSmallIntegerField(_("số người đi"))
    passenger_names = models.CharField(_("thành phần đi"), max_length=1000, blank=True)
    from_place = models.CharField(_("nơi đi"), max_length=300)
    to_place = models.CharField(_("nơi đến"), max_length=300)
    start = models.DateTimeField(_("đi lúc"))
    end = models.DateTimeField(_("về lúc"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=TripState.choices, default=TripState.REQUESTED
    )
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reason = models.CharField(_("lý do không bố trí, hủy"), max_length=500, blank=True)
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.PROTECT, null=True, blank=True, related_name="trips", verbose_name=_("xe")
    )
    driver = models.ForeignKey(
        Driver,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trips",
        verbose_name=_("lái xe"),
    )
    assigned_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người điều xe"),
    )
    assigned_at = models.DateTimeField(_("điều xe lúc"), null=True, blank=True)
    odometer_start = models.PositiveIntegerField(_("số km lúc đi"), null=True, blank=True)
    odometer_end = models.PositiveIntegerField(_("số km lúc về"), null=True, blank=True)
    fuel_litres = models.DecimalField(
        _("nhiên liệu (lít)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    completed_at = models.DateTimeField(_("ghi nhật trình lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("đề nghị lúc"), default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("chuyến công tác")
        verbose_name_plural = _("chuyến công tác")
        indexes = [
            models.Index(fields=["vehicle", "start"], name="logistics_trip_vehicle_start"),
            models.Index(fields=["driver", "start"], name="logistics_trip_driver_start"),
            models.Index(fields=["pool", "state", "start"], name="logistics_trip_pool_state"),
            models.Index(fields=["organization", "start"], name="logistics_trip_org_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="logistics_trip_end_after_start"),
            models.CheckConstraint(
                condition=Q(odometer_end__isnull=True)
                | Q(odometer_start__isnull=True)
                | Q(odometer_end__gte=F("odometer_start")),
                name="logistics_trip_odometer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_place} → {self.to_place} ({self.start:%d/%m/%Y %H:%M})"

    @property
    def km(self) -> int | None:
        if self.odometer_start is None or self.odometer_end is None:
            return None
        return self.odometer_end - self.odometer_start


class BookingState(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")


class RoomBooking(models.Model):
    """A meeting room (the programmes' register, ``programs.Room``) booked for something other
    than a meeting of the calendar (a reception, a training, an agency's own meeting). A room is
    never held by two bookings, nor by a booking and a meeting, at once: both lock the room's row
    and look at both (``services.room_book``; the meetings' side asks through
    ``programs.services.meetings.register_room_holder``)."""

    room = models.ForeignKey(
        "programs.Room", on_delete=models.PROTECT, related_name="bookings", verbose_name=_("phòng họp")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="room_bookings", verbose_name=_("cơ quan đặt")
    )
    title = models.CharField(_("nội dung"), max_length=300)
    start = models.DateTimeField(_("từ"))
    end = models.DateTimeField(_("đến"))
    attendees = models.PositiveSmallIntegerField(_("số người"), default=0)
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=BookingState.choices, default=BookingState.BOOKED
    )
    booked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đặt")
    )
    cancel_reason = models.CharField(_("lý do hủy"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("đặt lúc"), default=timezone.now)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("lịch đặt phòng")
        verbose_name_plural = _("lịch đặt phòng")
        indexes = [models.Index(fields=["room", "start"], name="logistics_booking_room_start")]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="logistics_booking_end_after_start")
        ]

    def __str__(self) -> str:
        return self.title


class AssetState(models.TextChoices):
    IN_USE = "in_use", _("Đang sử dụng")
    REPAIRING = "repairing", _("Đang sửa chữa")
    UNUSED = "unused", _("Chưa sử dụng, chờ điều chuyển")
    LIQUIDATED = "liquidated", _("Đã thanh lý")
    LOST = "lost", _("Mất, thiếu khi kiểm kê")


class Asset(models.Model):
    """A fixed asset (tài sản cố định) in the register of the agency holding it: its value and
    the date it was put in use give its wear (hao mòn) by the category's rate
    (``depreciation.CATEGORIES``, or ``rate`` when the office approved another)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="assets", verbose_name=_("cơ quan sử dụng")
    )
    code = models.CharField(_("mã tài sản"), max_length=40, unique=True)
    name = models.CharField(_("tên tài sản"), max_length=300)
    category = models.CharField(_("loại tài sản"), max_length=40)
    value = models.PositiveBigIntegerField(_("nguyên giá (đồng)"))
    in_use_on = models.DateField(_("ngày đưa vào sử dụng"))
    rate = models.DecimalField(
        _("tỷ lệ hao mòn riêng (%/năm)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sử dụng"),
    )
    location = models.CharField(_("nơi đặt"), max_length=200, blank=True)
    vehicle = models.OneToOneField(
        Vehicle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="asset",
        verbose_name=_("xe ô tô"),
    )
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=AssetState.choices, default=AssetState.IN_USE
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("ghi sổ lúc"), default=timezone.now)

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = _("tài sản")
        verbose_name_plural = _("tài sản")
        indexes = [models.Index(fields=["organization", "state"], name="logistics_asset_org_state")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssetTransfer(models.Model):
    """Điều chuyển tài sản: from one agency (and holder) to another, with its handover record."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="transfers", verbose_name=_("tài sản")
    )
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("bên giao")
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("bên nhận")
    )
    to_holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người nhận sử dụng"),
    )
    on = models.DateField(_("ngày bàn giao"))
    decision = models.CharField(_("theo quyết định"), max_length=300, blank=True)
    remaining_value = models.BigIntegerField(_("giá trị còn lại khi bàn giao (đồng)"))
    condition = models.CharField(_("tình trạng khi bàn giao"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("điều chuyển tài sản")
        verbose_name_plural = _("điều chuyển tài sản")

    def __str__(self) -> str:
        return f"{self.asset} → {self.to_organization} ({self.on:%d/%m/%Y})"


class RepairState(models.TextChoices):
    REQUESTED = "requested", _("Chờ xử lý")
    IN_PROGRESS = "in_progress", _("Đang sửa chữa")
    DONE = "done", _("Đã sửa xong")
    REFUSED = "refused", _("Không sửa")


class RepairRequest(models.Model):
    """A repair asked for an asset, tracked to completion as a task of the unit that repairs."""

    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="repairs", verbose_name=_("tài sản")
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    description = models.CharField(_("hư hỏng, đề nghị"), max_length=1000)
    state = models.CharField(
        _("tình trạng"), max_length=12, choices=RepairState.choices, default=RepairState.REQUESTED
    )
    task = models.ForeignKey(
        "tasks.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nhiệm vụ"),
    )
    cost = models.PositiveBigIntegerField(_("chi phí (đồng)"), null=True, blank=True)
    result = models.CharField(_("kết quả"), max_length=1000, blank=True)
    done_on = models.DateField(_("ngày xong"), null=True, blank=True)
    created_at = models.DateTimeField(_("đề nghị lúc"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("đề nghị sửa chữa")
        verbose_name_plural = _("đề nghị sửa chữa")

    def __str__(self) -> str:
        return f"{self.asset}: {self.description[:60]}"


class StockTakeState(models.TextChoices):
    OPEN = "open", _("Đang kiểm kê")
    CLOSED = "closed", _("Đã khóa sổ kiểm kê")


class StockTake(models.Model):
    """Kiểm kê tài sản: every asset of an organisation counted on a day; the differences recorded."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="stock_takes", verbose_name=_("cơ quan")
    )
    on = models.DateField(_("ngày kiểm kê"))
    state = models.CharField(
        _("tình trạng"), max_length=8, choices=StockTakeState.choices, default=StockTakeState.OPEN
    )
    members = models.CharField(_("tổ kiểm kê"), max_length=1000, blank=True)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người lập")
    )
    closed_at = models.DateTimeField(_("khóa sổ lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("đợt kiểm kê")
        verbose_name_plural = _("đợt kiểm kê")

    def __str__(self) -> str:
        return f"Kiểm kê {self.on:%d/%m/%Y}"


class StockTakeLine(models.Model):
    stock_take = models.ForeignKey(StockTake, on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="+", verbose_name=_("tài sản"))
    book_value = models.BigIntegerField(_("giá trị còn lại theo sổ (đồng)"))
    found = models.BooleanField(_("có khi kiểm kê"), null=True)
    condition = models.CharField(_("tình trạng thực tế"), max_length=300, blank=True)
    note = models.CharField(_("chênh lệch, ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["stock_take", "asset__code"]
        constraints = [
            models.UniqueConstraint(fields=["stock_take", "asset"], name="logistics_stocktake_asset")
        ]

    def __str__(self) -> str:
        return f"{self.stock_take}: {self.asset}"


class SpendingKind(models.Model):
    """One kind of spending in the internal spending rule (quy chế chi tiêu nội bộ) an office
    applies to its committee's agencies, with its limit per claim (``per`` says per what:
    "người/ngày", "chuyến", "tháng"...)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="spending_kinds", verbose_name=_("quy chế của")
    )
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("nội dung chi"), max_length=200)
    limit = models.PositiveBigIntegerField(_("mức chi tối đa (đồng)"), null=True, blank=True)
    per = models.CharField(
        _("tính theo"), max_length=60, blank=True, help_text=_("Ví dụ: người/ngày, chuyến.")
    )
    active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["organization", "code"]
        verbose_name = _("nội dung chi theo quy chế")
        verbose_name_plural = _("nội dung chi theo quy chế")
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="logistics_kind_code")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """A line of an agency's budget for a year (dự toán được giao)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("cơ quan")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("mã"), max_length=20)
    name = models.CharField(_("nội dung dự toán"), max_length=200)
    amount = models.PositiveBigIntegerField(_("dự toán (đồng)"))

    class Meta:
        ordering = ["organization", "-year", "code"]
        verbose_name = _("dòng dự toán")
        verbose_name_plural = _("dòng dự toán")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "code"], name="logistics_budget_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.year})"


class ExpenseState(models.TextChoices):
    REQUESTED = "requested", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt chi")
    REFUSED = "refused", _("Không duyệt")
    PAID = "paid", _("Đã thanh toán")


class Expense(models.Model):
    """A spending request or claim (giấy đề nghị thanh toán) against a budget line, under a kind
    of the spending rule: ``amount`` may not exceed the kind's limit × ``quantity``."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("cơ quan")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("dòng dự toán")
    )
    kind = models.ForeignKey(
        SpendingKind, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("nội dung chi")
    )
    description = models.CharField(_("diễn giải"), max_length=500)
    quantity = models.PositiveIntegerField(_("số lượng"), default=1)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    spent_on = models.DateField(_("ngày chi"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=ExpenseState.choices, default=ExpenseState.REQUESTED
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("người đề nghị")
    )
    decided_by = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người duyệt"),
    )
    decided_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    reason = models.CharField(_("lý do không duyệt"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("đề nghị lúc"), default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name = _("khoản chi")
        verbose_name_plural = _("khoản chi")
        indexes = [models.Index(fields=["budget_line", "state"], name="logistics_expense_line_state")]

    def __str__(self) -> str:
        return f"{self.description[:60]} ({self.amount})"
