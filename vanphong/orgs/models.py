from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Classification(models.IntegerChoices):
    """Độ mật. Stored as an ordered integer so that "at most my clearance" is one SQL
    comparison; the API speaks the codes in ``CODES``."""

    NONE = 0, _("Thường")
    MAT = 1, _("Mật")
    TOI_MAT = 2, _("Tối mật")
    TUYET_MAT = 3, _("Tuyệt mật")


# Keyed by the level as stored (an int); the members are ints too.
CLASSIFICATION_CODES: dict[int, str] = {
    Classification.NONE: "none",
    Classification.MAT: "mat",
    Classification.TOI_MAT: "toi_mat",
    Classification.TUYET_MAT: "tuyet_mat",
}
CLASSIFICATION_BY_CODE = {code: value for value, code in CLASSIFICATION_CODES.items()}


class OrgLevel(models.Model):
    """A level of the tree (Trung ương, tỉnh, huyện, xã ...). Levels are data: the 2025
    reorganisation removed the district level, but archives still hold it."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên cấp"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), help_text=_("0 là cấp cao nhất."))
    in_use = models.BooleanField(
        _("đang sử dụng"),
        default=True,
        help_text=_("Bỏ chọn với cấp chỉ còn trong hồ sơ lưu trữ (cấp huyện)."),
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("cấp tổ chức")
        verbose_name_plural = _("cấp tổ chức")

    def __str__(self) -> str:
        return self.name


class OrgKind(models.TextChoices):
    COMMITTEE = "cap_uy", _("Cấp ủy, tổ chức đảng")
    AGENCY = "co_quan", _("Cơ quan tham mưu, giúp việc")
    STATE = "nha_nuoc", _("Cơ quan nhà nước")
    FRONT = "mat_tran", _("Mặt trận, đoàn thể")
    OTHER = "khac", _("Khác")


class OrganizationQuerySet(models.QuerySet["Organization"]):
    def hosted(self) -> OrganizationQuerySet:
        return self.filter(hosted=True)

    def subtree_of(self, org: Organization) -> OrganizationQuerySet:
        return self.filter(path__startswith=org.path)


class Organization(models.Model):
    """Any body that sends or receives documents: a Party committee, one of its agencies,
    or an external correspondent (``hosted=False``: state bodies, Mặt trận, the centre)."""

    PATH_STEP = 6  # digits per level in ``path``: "000001.000007."

    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=120)
    abbreviation = models.CharField(
        _("chữ viết tắt trong ký hiệu"), max_length=30, help_text=_("Ví dụ: TU, HU, ĐU, BTCTU, UBKTTU, UBND.")
    )
    kind = models.CharField(_("loại"), max_length=20, choices=OrgKind.choices, default=OrgKind.COMMITTEE)
    level = models.ForeignKey(
        OrgLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("cấp"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("trực thuộc"),
    )
    path = models.CharField(_("đường dẫn cây"), max_length=255, editable=False, db_index=True)
    depth = models.PositiveSmallIntegerField(_("độ sâu"), default=0, editable=False)
    hosted = models.BooleanField(
        _("dùng hệ thống này"),
        default=True,
        help_text=_("Bỏ chọn với cơ quan bên ngoài chỉ gửi, nhận văn bản."),
    )
    slug = models.SlugField(_("mã ngắn"), max_length=60, unique=True, null=True, blank=True)
    place_name = models.CharField(
        _("địa danh"), max_length=120, blank=True, help_text=_("Dùng khi ghi nơi ban hành.")
    )
    electronic_id = models.CharField(_("mã định danh điện tử"), max_length=40, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    is_office = models.BooleanField(
        _("là Văn phòng cấp ủy"),
        default=False,
        help_text=_(
            "Văn phòng tham mưu, giúp việc cấp ủy cấp trên trực tiếp: theo dõi, đôn đốc việc thực hiện "
            "các nhiệm vụ cấp ủy giao."
        ),
    )
    active = models.BooleanField(_("đang hoạt động"), default=True)
    dissolved_on = models.DateField(_("ngày giải thể, sáp nhập"), null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("tổ chức, cơ quan")
        verbose_name_plural = _("tổ chức, cơ quan")
        indexes = [
            models.Index(fields=["hosted", "active"], name="orgs_org_hosted_active"),
            # The symbol reader looks the issuer up by its code as the clerk types.
            models.Index(fields=["abbreviation"], name="orgs_org_abbreviation"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep the materialised ``path`` true: subtree access is computed from it in SQL
        with one indexed prefix match."""
        old_path = self.path
        parent_path = ""
        if self.parent_id is not None:
            parent_path = Organization.objects.values_list("path", flat=True).get(pk=self.parent_id)
            if old_path and parent_path.startswith(old_path):
                raise ValidationError(_("Không thể chuyển một tổ chức vào bên trong chính nó."))
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = f"{parent_path}{self.pk:0{self.PATH_STEP}d}."
            if new_path == old_path:
                return
            Organization.objects.filter(pk=self.pk).update(path=new_path, depth=new_path.count(".") - 1)
            if old_path:  # moved: carry the descendants along
                for child in Organization.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    moved = new_path + child.path[len(old_path) :]
                    Organization.objects.filter(pk=child.pk).update(path=moved, depth=moved.count(".") - 1)
            self.path, self.depth = new_path, new_path.count(".") - 1

    def is_ancestor_of(self, other: Organization) -> bool:
        return other.path.startswith(self.path) and other.pk != self.pk

    def ancestors(self) -> OrganizationQuerySet:
        step = self.PATH_STEP + 1
        prefixes = [self.path[: i + step] for i in range(0, len(self.path) - step, step)]
        return Organization.objects.filter(path__in=prefixes)


class Unit(models.Model):
    """An internal department (phòng) of an organisation."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="units", verbose_name=_("cơ quan")
    )
    name = models.CharField(_("tên phòng"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=60, blank=True)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=20, blank=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ["organization", "order", "name"]
        verbose_name = _("phòng, đơn vị")
        verbose_name_plural = _("phòng, đơn vị")
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="orgs_unit_name_unique")]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post (chức vụ): Bí thư, Chánh Văn phòng, Trưởng phòng, Chuyên viên ..."""

    name = models.CharField(_("chức vụ"), max_length=120, unique=True)
    is_leadership = models.BooleanField(_("là chức vụ lãnh đạo"), default=False)
    rank = models.PositiveSmallIntegerField(_("thứ bậc"), default=100)

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")

    def __str__(self) -> str:
        return self.name


class StaffQuota(models.Model):
    """Approved staff numbers (biên chế được giao) for an organisation or one of its units."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="staff_quotas", verbose_name=_("cơ quan")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_quotas",
        verbose_name=_("phòng"),
    )
    approved = models.PositiveIntegerField(_("biên chế được giao"))
    decision = models.CharField(_("theo văn bản"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("biên chế")
        verbose_name_plural = _("biên chế")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"], condition=Q(unit__isnull=True), name="orgs_quota_one_per_org"
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(unit__isnull=False), name="orgs_quota_one_per_unit"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit or self.organization}: {self.approved}"


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(active=True)


class Person(models.Model):
    """A member of staff. ``clearance`` is the highest classification they may read."""

    full_name = models.CharField(_("họ và tên"), max_length=120)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="people", verbose_name=_("cơ quan công tác")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="people", verbose_name=_("phòng")
    )
    position = models.ForeignKey(
        Position,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("chức vụ"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("tài khoản"),
    )
    clearance = models.PositiveSmallIntegerField(
        _("được tiếp cận bí mật"), choices=Classification.choices, default=Classification.NONE
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    counts_toward_quota = models.BooleanField(_("tính vào biên chế"), default=True)
    active = models.BooleanField(_("đang công tác"), default=True)

    objects = PersonQuerySet.as_manager()
    # Set by ``orgs.selectors.current_roles_prefetch`` (``to_attr``) where it is prefetched.
    current_roles: list[RoleAssignment]

    class Meta:
        ordering = ["organization__path", "full_name"]
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        indexes = [models.Index(fields=["organization", "active"], name="orgs_person_org_active")]

    def __str__(self) -> str:
        return self.full_name


class PartyTarget(models.Model):
    """Who is named to act — exactly one organisation, unit or person — on a task
    (``tasks.TaskParty``), a direction's assignment (``documents.Assignment``) and whatever a
    later module names. The database holds the "exactly one" with a check constraint; who may
    be named by whom is ``orgs.selectors.party_refusal``'s."""

    organization = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phòng"),
    )
    person = models.ForeignKey(
        "orgs.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ"),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organization__isnull=False, unit__isnull=True, person__isnull=True)
                    | Q(organization__isnull=True, unit__isnull=False, person__isnull=True)
                    | Q(organization__isnull=True, unit__isnull=True, person__isnull=False)
                ),
                name="%(app_label)s_%(class)s_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.target}"  # type: ignore[attr-defined]

    @property
    def target(self) -> Organization | Unit | Person:
        return self.organization or self.unit or self.person  # type: ignore[return-value]


class Role(models.TextChoices):
    VAN_THU = "van_thu", _("Văn thư")
    VAN_THU_MAT = "van_thu_mat", _("Văn thư mật (cơ yếu)")
    CHUYEN_VIEN = "chuyen_vien", _("Chuyên viên")
    LANH_DAO_PHONG = "lanh_dao_phong", _("Lãnh đạo phòng")
    LANH_DAO_VAN_PHONG = "lanh_dao_van_phong", _("Lãnh đạo Văn phòng")
    LANH_DAO_CAP_UY = "lanh_dao_cap_uy", _("Lãnh đạo cấp ủy")
    QUAN_TRI = "quan_tri", _("Quản trị hệ thống")


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: dt.datetime | None = None) -> RoleAssignmentQuerySet:
        today = timezone.localdate(on) if on else timezone.localdate()
        return self.filter(Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today))


class RoleAssignment(models.Model):
    """A role held by a person in an organisation, for a period."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="roles", verbose_name=_("cán bộ")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("tại tổ chức")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("phòng"),
        help_text=_("Với lãnh đạo phòng: phòng mình phụ trách."),
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    title = models.CharField(
        _("chức danh"), max_length=120, blank=True, help_text=_("Ví dụ: Phó Bí thư Thường trực.")
    )
    starts_on = models.DateField(_("từ ngày"), default=timezone.localdate)
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["organization__path", "role"]
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        indexes = [models.Index(fields=["person", "ends_on"], name="orgs_role_person_ends")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="orgs_role_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} — {self.organization.short_name}"


class DelegationQuerySet(models.QuerySet["Delegation"]):
    def current(self, at: dt.datetime | None = None) -> DelegationQuerySet:
        now = at or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now, revoked_at__isnull=True)


class Delegation(models.Model):
    """Ủy quyền: while ``delegator`` is away, ``delegate`` holds one of their roles."""

    role_assignment = models.ForeignKey(
        RoleAssignment,
        on_delete=models.CASCADE,
        related_name="delegations",
        verbose_name=_("vai trò được ủy quyền"),
    )
    delegate = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="delegations_received",
        verbose_name=_("người được ủy quyền"),
    )
    starts_at = models.DateTimeField(_("từ"))
    ends_at = models.DateTimeField(_("đến"))
    reason = models.CharField(_("lý do"), max_length=255)
    created_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="delegations_created", verbose_name=_("người lập")
    )
    created_at = models.DateTimeField(_("lập lúc"), default=timezone.now)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="orgs_delegation_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_assignment} → {self.delegate}"
