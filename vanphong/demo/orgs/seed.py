"""Writing the demo province through the services, with its staff quotas and accounts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _

from vanphong.audit.services import audit_record
from vanphong.demo.orgs.province import (
    DEFAULT_PASSWORD,
    EMAIL_DOMAIN,
    LEVELS,
    MAX_SCALE,
    ORGANIZATIONS,
    PEOPLE,
    POSITIONS,
    QUOTA_DECISION,
    SEED_ACTOR,
    DemoDataExists,
    PersonSpec,
    _extra_staff,
)
from vanphong.orgs.models import (
    Organization,
    OrgLevel,
    Person,
    Position,
    Role,
    RoleAssignment,
    StaffQuota,
    Unit,
)

# --- Writing -----------------------------------------------------------------------------------


@dataclass
class SeedResult:
    counts: dict[str, int]
    password: str
    featured: list[str] = field(default_factory=list)


def _split_name(full_name: str) -> tuple[str, str]:
    family, _sep, given = full_name.rpartition(" ")
    return family, given


def _unit_title(p: PersonSpec, units: dict[str, Unit]) -> str:
    """ "Trưởng phòng Hành chính - Lưu trữ" for the head of a unit."""
    if p.role != Role.LANH_DAO_PHONG or not p.unit:
        return ""
    return f"{p.position} {units[p.unit].name.removeprefix('Phòng ')}"


def seed_demo(*, scale: int = 1, password: str = DEFAULT_PASSWORD) -> SeedResult:
    """Build the demo province in one transaction. Refuses (``DemoDataExists``) when any
    organisation or any demo username is already there, so nothing is ever duplicated."""
    if not 1 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 1 and {MAX_SCALE}")
    people = [*PEOPLE, *_extra_staff(scale)]
    User = get_user_model()
    with transaction.atomic():
        # The national bodies installed by the migrations (orgs.national) are not in the way.
        existing = Organization.objects.count()
        if Organization.objects.filter(hosted=True).exists():
            raise DemoDataExists(
                _("Cơ sở dữ liệu đã có %(count)d tổ chức: dữ liệu mẫu chỉ được tạo trên cơ sở dữ liệu trống.")
                % {"count": existing}
            )
        taken = list(
            User.objects.filter(username__in=[p.username for p in people]).values_list("username", flat=True)[
                :5
            ]
        )
        if taken:
            raise DemoDataExists(
                _("Đã có tài khoản trùng tên với tài khoản mẫu: %(names)s.")
                % {"names": ", ".join(sorted(taken))}
            )

        levels = {}
        for level in LEVELS:
            levels[level.code] = OrgLevel.objects.create(
                code=level.code, name=level.name, rank=level.rank, in_use=level.in_use
            )

        # save(), not bulk_create: save() computes the materialised path from the parent.
        orgs: dict[str, Organization] = {}
        for order, spec in enumerate(ORGANIZATIONS, start=1):
            org = Organization(
                name=spec.name,
                short_name=spec.short_name,
                abbreviation=spec.abbreviation,
                kind=spec.kind,
                is_office=spec.is_office,
                level=levels[spec.level],
                parent=orgs[spec.parent] if spec.parent else None,
                hosted=spec.hosted,
                slug=spec.slug,
                place_name=spec.place_name,
                order=order,
                active=spec.active,
                dissolved_on=spec.dissolved_on,
            )
            installed = (
                None
                if spec.hosted
                else Organization.objects.filter(hosted=False, abbreviation=spec.abbreviation, name=spec.name)
                .order_by("pk")
                .first()
            )
            if installed is not None:  # a national body the migrations installed: reuse its row
                org.pk, org.path = installed.pk, installed.path
                org.place_name = org.place_name or installed.place_name
            org.save()
            orgs[spec.key] = org

        unit_specs = [(spec, u) for spec in ORGANIZATIONS for u in spec.units]
        created_units = Unit.objects.bulk_create(
            [
                Unit(
                    organization=orgs[spec.key],
                    name=u.name,
                    short_name=u.name.removeprefix("Phòng "),
                    abbreviation=u.abbreviation,
                    order=i,
                )
                for i, (spec, u) in enumerate(unit_specs, start=1)
            ]
        )
        units = {u.key: unit for (_spec, u), unit in zip(unit_specs, created_units, strict=True)}

        positions = {
            p.name: p
            for p in Position.objects.bulk_create(
                [Position(name=name, is_leadership=lead, rank=rank) for name, lead, rank in POSITIONS]
            )
        }

        quotas = [
            StaffQuota(organization=orgs[spec.key], approved=spec.quota, decision=QUOTA_DECISION)
            for spec in ORGANIZATIONS
            if spec.quota is not None
        ]
        quotas += [
            StaffQuota(
                organization=orgs[spec.key], unit=units[u.key], approved=u.quota, decision=QUOTA_DECISION
            )
            for spec, u in unit_specs
        ]
        StaffQuota.objects.bulk_create(quotas)

        # One hash for every demo account: the password is printed for all to read anyway,
        # and hashing thousands of accounts one by one would take minutes at --scale 100.
        password_hash = make_password(password)
        users = User.objects.bulk_create(
            [
                User(
                    username=p.username,
                    password=password_hash,
                    first_name=_split_name(p.full_name)[1],
                    last_name=_split_name(p.full_name)[0],
                    email=f"{p.username}@{EMAIL_DOMAIN}",
                    is_staff=p.superuser,
                    is_superuser=p.superuser,
                )
                for p in people
            ],
            batch_size=500,
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    full_name=p.full_name,
                    organization=orgs[p.org],
                    unit=units[p.unit] if p.unit else None,
                    position=positions[p.position],
                    user=user,
                    clearance=p.clearance,
                    email=user.email,
                    counts_toward_quota=p.org != "tinhuy",
                )
                for p, user in zip(people, users, strict=True)
            ],
            batch_size=500,
        )
        starts_on = dt.date(2025, 7, 1)
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    person=person,
                    organization=orgs[p.role_org or p.org],
                    unit=units[p.unit] if p.role == Role.LANH_DAO_PHONG and p.unit else None,
                    role=p.role,
                    title=p.title or _unit_title(p, units),
                    starts_on=starts_on,
                )
                for p, person in zip(people, persons, strict=True)
            ],
            batch_size=500,
        )

        counts = {
            "levels": len(levels),
            "organizations": len(orgs),
            "units": len(units),
            "positions": len(positions),
            "staff_quotas": len(quotas),
            "people": len(persons),
            "accounts": len(users),
            "role_assignments": len(persons),
        }
        audit_record(
            actor=None, actor_username=SEED_ACTOR, action="demo.seed", after={**counts, "scale": scale}
        )
    return SeedResult(counts=counts, password=password, featured=[p.username for p in PEOPLE if p.featured])
