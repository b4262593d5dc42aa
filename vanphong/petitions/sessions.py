"""The leaders' reception schedule (lịch tiếp công dân): the office plans the days, the public
page (/cong-dan/lich-tiep/) shows the published ones.

QĐ 11-QĐi/TW (2019) as amended by KL 215-KL/TW: the secretary of a committee receives
citizens on regular days — at least one day a month at the provincial level, at least two
at the commune level (``MIN_DAYS_A_MONTH``) — and ad hoc when a case calls for it. A regular
day that falls on a day off moves to the next working day of the office's calendar.

Who plans: the holders of WRITE on the organisation (its Văn phòng's staff for a committee,
by the office model of ``orgs.access``). Who receives: a leader of the organisation (a
current ``LANH_DAO_CAP_UY`` role there)."""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vanphong.audit.actions import register_actions
from vanphong.audit.services import audit_record
from vanphong.orgs.access import Capability, can, scope_for
from vanphong.orgs.actors import Actor, acting_person
from vanphong.orgs.models import Organization, Person, Role, RoleAssignment
from vanphong.petitions.models import ReceptionSession, SessionKind
from vanphong.petitions.services import PetitionConflict
from vanphong.tasks.calendar import WorkCalendar

register_actions(
    {
        "reception_session.create": _("Lập buổi tiếp công dân"),
        "reception_session.plan": _("Lập lịch tiếp công dân định kỳ cả năm"),
        "reception_session.cancel": _("Hủy buổi tiếp công dân"),
    }
)

# The fewest regular days a month a secretary receives citizens, by the level's code.
MIN_DAYS_A_MONTH = {"xa": 2, "huyen": 2}
MAX_PLACE = 300
MAX_NOTE = 500


def min_days_a_month(organization: Organization) -> int:
    code = organization.level.code if organization.level_id and organization.level else ""
    return MIN_DAYS_A_MONTH.get(code, 1)


def leaders_of(organization: Organization) -> QuerySet[Person]:
    """The people leading ``organization`` today, who may receive citizens in its name."""
    ids = (
        RoleAssignment.objects.current()
        .filter(organization=organization, role=Role.LANH_DAO_CAP_UY, person__active=True)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def may_plan(actor: Actor, organization: Organization) -> bool:
    return can(actor, Capability.WRITE, organization)


def planning_organizations(user: Actor) -> QuerySet[Organization]:
    """The organisations whose schedule ``user`` plans."""
    return Organization.objects.filter(
        scope_for(user).org_q(Capability.WRITE), active=True, is_office=False
    ).order_by("path")


def published_sessions(today: dt.date | None = None) -> QuerySet[ReceptionSession]:
    """The schedule the public page shows: published, not cancelled, from today on."""
    today = today or timezone.localdate()
    return (
        ReceptionSession.objects.filter(published=True, cancelled=False, date__gte=today)
        .filter(organization__active=True)
        .select_related("organization", "leader__position")
        .order_by("organization__path", "date", "start", "id")
    )


def _require(actor: Actor, organization: Organization) -> None:
    if not may_plan(actor, organization):
        raise PermissionDenied("Bạn không có quyền lập lịch tiếp công dân của cơ quan này.")


def _check_leader(leader: Person | None, organization: Organization, errors: dict[str, list[str]]) -> None:
    if leader is None:
        errors["leader"] = ["Hãy chọn lãnh đạo tiếp công dân."]
    elif not leaders_of(organization).filter(pk=leader.pk).exists():
        errors["leader"] = [f"{leader.full_name} không phải lãnh đạo của {organization.name}."]


def _check_hours(
    start: dt.time | None, end: dt.time | None, place: str, errors: dict[str, list[str]]
) -> None:
    if start is None:
        errors["start"] = ["Hãy nhập giờ bắt đầu."]
    if end is None:
        errors["end"] = ["Hãy nhập giờ kết thúc."]
    elif start is not None and end <= start:
        errors["end"] = ["Giờ kết thúc phải sau giờ bắt đầu."]
    if not place:
        errors["place"] = ["Hãy nhập địa điểm tiếp công dân."]
    elif len(place) > MAX_PLACE:
        errors["place"] = [f"Địa điểm dài quá {MAX_PLACE} ký tự."]


def session_create(
    *,
    actor: Actor,
    organization: Organization,
    leader: Person | None,
    date: dt.date | None,
    start: dt.time | None,
    end: dt.time | None,
    place: str,
    kind: str = SessionKind.REGULAR,
    note: str = "",
    published: bool = True,
    today: dt.date | None = None,
) -> ReceptionSession:
    """One reception day of a leader in ``organization``'s schedule."""
    _require(actor, organization)
    today = today or timezone.localdate()
    place = " ".join((place or "").split())
    note = " ".join((note or "").split())
    errors: dict[str, list[str]] = {}
    _check_leader(leader, organization, errors)
    if date is None:
        errors["date"] = ["Hãy nhập ngày tiếp."]
    elif date < today:
        errors["date"] = ["Ngày tiếp đã qua: lịch chỉ lập cho hôm nay trở đi."]
    _check_hours(start, end, place, errors)
    if kind not in SessionKind.values:
        errors["kind"] = ["Hình thức không hợp lệ (regular, adhoc)."]
    if len(note) > MAX_NOTE:
        errors["note"] = [f"Ghi chú dài quá {MAX_NOTE} ký tự."]
    if errors:
        raise ValidationError(errors)
    assert leader is not None and date is not None and start is not None and end is not None
    if ReceptionSession.objects.filter(leader=leader, date=date, start=start).exists():
        raise ValidationError({"date": ["Lãnh đạo này đã có buổi tiếp công dân cùng ngày, cùng giờ."]})
    try:
        with transaction.atomic():
            session = ReceptionSession.objects.create(
                organization=organization,
                leader=leader,
                date=date,
                start=start,
                end=end,
                place=place,
                kind=kind,
                note=note,
                published=bool(published),
                created_by=acting_person(actor),
            )
            audit_record(
                actor=actor,
                action="reception_session.create",
                target=session,
                organization_id=organization.pk,
                after={
                    "leader": leader.pk,
                    "date": date,
                    "start": start,
                    "end": end,
                    "kind": kind,
                    "published": bool(published),
                },
            )
    except IntegrityError:  # the same leader, day and hour, saved meanwhile
        raise ValidationError(
            {"date": ["Lãnh đạo này đã có buổi tiếp công dân cùng ngày, cùng giờ."]}
        ) from None
    return session


def session_cancel(*, actor: Actor, session: ReceptionSession, reason: str) -> ReceptionSession:
    """Cancel a session (it leaves the public schedule), with the reason kept in its note."""
    _require(actor, session.organization)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": ["Hãy nêu lý do hủy buổi tiếp."]})
    if len(reason) > 300:
        raise ValidationError({"reason": ["Lý do dài quá 300 ký tự."]})
    with transaction.atomic():
        locked = ReceptionSession.objects.select_for_update().get(pk=session.pk)
        if locked.cancelled:
            raise PetitionConflict({"reason": ["Buổi tiếp này đã hủy."]})
        locked.cancelled = True
        locked.note = f"Đã hủy: {reason}"[:MAX_NOTE]
        locked.save(update_fields=["cancelled", "note"])
        audit_record(
            actor=actor,
            action="reception_session.cancel",
            target=locked,
            organization_id=locked.organization_id,
            before={"cancelled": False},
            after={"cancelled": True, "reason": reason},
        )
    return locked


def regular_days(
    year: int, days_of_month: Sequence[int], calendar: WorkCalendar, *, today: dt.date
) -> list[dt.date]:
    """The year's regular days from ``today`` on: each day of the month (the month's last day
    when it has fewer), moved to the next working day; two that land on one day count once."""
    found: list[dt.date] = []
    for month in range(1, 13):
        last = month_calendar.monthrange(year, month)[1]
        for day in sorted(set(days_of_month)):
            worked = calendar.next_working_day(dt.date(year, month, min(day, last)))
            if worked >= today and worked not in found:
                found.append(worked)
    return sorted(found)


def plan_regular(
    *,
    actor: Actor,
    organization: Organization,
    leader: Person | None,
    year: int,
    days_of_month: Sequence[int],
    start: dt.time | None,
    end: dt.time | None,
    place: str,
    published: bool = True,
    calendar: WorkCalendar | None = None,
    today: dt.date | None = None,
) -> list[ReceptionSession]:
    """Create the year's regular sessions of ``leader`` on ``days_of_month`` (moved to
    working days), skipping the days already in the schedule and those past. The number of
    days a month must meet the rule (``MIN_DAYS_A_MONTH``)."""
    _require(actor, organization)
    today = today or timezone.localdate()
    place = " ".join((place or "").split())
    days = sorted({int(d) for d in days_of_month})
    errors: dict[str, list[str]] = {}
    _check_leader(leader, organization, errors)
    if not today.year <= year <= today.year + 1:
        errors["year"] = [f"Chỉ lập lịch cho năm {today.year} hoặc {today.year + 1}."]
    required = min_days_a_month(organization)
    if not days:
        errors["days_of_month"] = ["Hãy nhập các ngày tiếp trong tháng (ví dụ: 15 hoặc 5, 20)."]
    elif any(not 1 <= d <= 31 for d in days):
        errors["days_of_month"] = ["Ngày trong tháng phải từ 1 đến 31."]
    elif len(days) < required:
        errors["days_of_month"] = [
            f"Bí thư {organization.name} tiếp công dân định kỳ ít nhất {required} ngày mỗi tháng "
            "(Quy định 11-QĐi/TW, sửa đổi theo Kết luận 215-KL/TW): hãy nhập đủ số ngày."
        ]
    _check_hours(start, end, place, errors)
    if errors:
        raise ValidationError(errors)
    assert leader is not None and start is not None and end is not None
    dates = regular_days(year, days, calendar or WorkCalendar.load(), today=today)
    person = acting_person(actor)
    try:
        return _plan(actor, organization, leader, year, days, dates, start, end, place, published, person)
    except IntegrityError:  # another officer planned the same days at the same moment
        raise ValidationError(
            {
                "days_of_month": [
                    "Lịch tiếp vừa được người khác lập cho những ngày này: hãy tải lại trang để xem."
                ]
            }
        ) from None


def _plan(
    actor: Actor,
    organization: Organization,
    leader: Person,
    year: int,
    days: Sequence[int],
    dates: list[dt.date],
    start: dt.time,
    end: dt.time,
    place: str,
    published: bool,
    person: Person | None,
) -> list[ReceptionSession]:
    with transaction.atomic():
        taken = set(
            ReceptionSession.objects.filter(leader=leader, date__in=dates)
            .filter(cancelled=False)
            .values_list("date", flat=True)
        ) | set(
            ReceptionSession.objects.filter(leader=leader, date__in=dates, start=start).values_list(
                "date", flat=True
            )
        )
        created = ReceptionSession.objects.bulk_create(
            [
                ReceptionSession(
                    organization=organization,
                    leader=leader,
                    date=day,
                    start=start,
                    end=end,
                    place=place,
                    kind=SessionKind.REGULAR,
                    published=bool(published),
                    created_by=person,
                )
                for day in dates
                if day not in taken
            ]
        )
        audit_record(
            actor=actor,
            action="reception_session.plan",
            target=organization,
            organization_id=organization.pk,
            after={
                "leader": leader.pk,
                "year": year,
                "days_of_month": days,
                "created": [s.date for s in created],
                "skipped": sorted(taken),
            },
        )
    return created
