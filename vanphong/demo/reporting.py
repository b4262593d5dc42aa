"""A year of the reporting regime of the demo Tỉnh ủy: a monthly and a quarterly report request
from the Tỉnh ủy (entered by the Văn phòng's specialist) to every committee directly under it
that has a văn thư (``vanthu.<slug>``), carried through the reporting services as the offices
would: each committee's report of each period is a task of the engine; most past reports were
sent on time, some late, a few never, some returned for correction (and most of those sent
again); the current period is still to send, with a few drafts begun — so the committees'
văn thư find the reports on their home page with their other tasks.

And one recent urgent request: storm no. 9 (bão số 9), reported every four hours since
yesterday morning by the communes (the Đảng ủy at commune level), until the day after
tomorrow: most slots sent within the slot, some late, a few missing, the slot under way half
answered — the live board of the request page and the communes' home pages show it.

The services act today. The past is then written in as it happened: the time each report was
sent (and the completion of its task, counted in the engine's tally) is set back to that day,
as the demo's own seed of the task engine writes its history (``demo.tasks.bulk``).

Runs after the demo tasks (their seed wants an empty task table)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.orgs.models import Organization, Person
from vanphong.reporting import periods, services
from vanphong.reporting.models import ReportRequest, ReportSubmission
from vanphong.reporting.services import IndicatorSpec
from vanphong.tasks import tally
from vanphong.tasks.models import Outcome, Task

SEED = 20261207
MONTHLY_TITLE = "Báo cáo tình hình công tác xây dựng Đảng và hệ thống chính trị hằng tháng"
QUARTERLY_TITLE = "Báo cáo công tác kiểm tra, giám sát và thi hành kỷ luật đảng hằng quý"
MONTHLY_INDICATORS = [
    IndicatorSpec("dang_vien_moi", "Số đảng viên mới kết nạp", "người", Decimal(0), Decimal(200)),
    IndicatorSpec("luot_tiep_dan", "Số lượt tiếp công dân", "lượt", Decimal(0), None),
    IndicatorSpec("don_thu", "Số đơn thư tiếp nhận", "đơn", Decimal(0), None, source="total"),
    IndicatorSpec("van_ban_den", "Số văn bản đến", "văn bản", Decimal(0), None),
]
MONTHLY_SECTIONS = [
    "Tình hình chung",
    "Kết quả thực hiện nhiệm vụ trọng tâm",
    "Phương hướng, nhiệm vụ tháng tới",
    "Kiến nghị, đề xuất",
]
QUARTERLY_INDICATORS = [
    IndicatorSpec("cuoc_kiem_tra", "Số cuộc kiểm tra", "cuộc", Decimal(0), None),
    IndicatorSpec("cuoc_giam_sat", "Số cuộc giám sát", "cuộc", Decimal(0), None),
    IndicatorSpec("dang_vien_ky_luat", "Số đảng viên bị thi hành kỷ luật", "người", Decimal(0), None),
]
QUARTERLY_SECTIONS = ["Kết quả kiểm tra, giám sát", "Thi hành kỷ luật đảng", "Kiến nghị, đề xuất"]
TEXTS = {
    "Tình hình chung": "Tình hình chính trị, trật tự an toàn xã hội trên địa bàn ổn định; cán bộ, đảng viên "
    "và nhân dân đồng thuận với chủ trương sắp xếp tổ chức bộ máy.",
    "Kết quả thực hiện nhiệm vụ trọng tâm": "Triển khai kịp thời các văn bản của cấp trên; tổ chức sinh hoạt "
    "chi bộ định kỳ đúng quy định; đẩy mạnh chuyển đổi số trong hoạt động của Đảng ủy.",
    "Phương hướng, nhiệm vụ tháng tới": "Tiếp tục kiện toàn tổ chức cơ sở đảng; chuẩn bị sơ kết quý; "
    "giải quyết dứt điểm đơn thư tồn đọng.",
    "Kiến nghị, đề xuất": "Đề nghị Tỉnh ủy quan tâm bồi dưỡng nghiệp vụ văn thư, lưu trữ cho cơ sở.",
    "Kết quả kiểm tra, giám sát": "Hoàn thành chương trình kiểm tra, giám sát của quý theo kế hoạch; "
    "kết luận rõ ưu điểm, hạn chế và yêu cầu khắc phục.",
    "Thi hành kỷ luật đảng": "Xem xét, thi hành kỷ luật đúng nguyên tắc, thủ tục; không có khiếu nại.",
}
STORM_TITLE = "Báo cáo nhanh tình hình mưa lũ, thiệt hại do bão số 9 và công tác ứng phó"
STORM_HOURS = 4
STORM_INDICATORS = [
    IndicatorSpec("ho_so_tan", "Số hộ đã sơ tán", "hộ", Decimal(0), None),
    IndicatorSpec("nguoi_chet_mat_tich", "Số người chết, mất tích", "người", Decimal(0), None),
    IndicatorSpec("nguoi_bi_thuong", "Số người bị thương", "người", Decimal(0), None),
    IndicatorSpec("nha_hu_hong", "Số nhà bị sập, tốc mái, hư hỏng", "nhà", Decimal(0), None),
    IndicatorSpec("lua_hoa_mau_ngap", "Diện tích lúa, hoa màu bị ngập", "ha", Decimal(0), None),
]
STORM_SECTION = "Tình hình thiệt hại và công tác ứng phó"
STORM_TEXTS = (
    "Mưa lớn kéo dài, một số tuyến đường liên xã bị ngập cục bộ; lực lượng xung kích đã hỗ trợ "
    "người dân di dời tài sản đến nơi an toàn.",
    "Đã kích hoạt Ban Chỉ huy phòng chống thiên tai; trực 24/24 giờ, thông tin kịp thời đến từng "
    "thôn, tổ dân phố.",
    "Nước rút chậm ở vùng trũng; đang tổ chức cứu trợ lương thực, nước uống cho các hộ phải sơ tán.",
    "Chưa ghi nhận thiệt hại mới về người; tiếp tục kiểm tra, gia cố các công trình xung yếu.",
)
RETURN_REASONS = (
    "Số đơn thư tiếp nhận chưa khớp với sổ tiếp công dân; đề nghị rà soát, báo cáo lại.",
    "Thiếu phần phương hướng, nhiệm vụ kỳ tới; đề nghị bổ sung.",
    "Số đảng viên kết nạp chưa khớp với báo cáo của Ban Tổ chức; đề nghị kiểm tra lại.",
)


def _person(username: str) -> Person:
    return Person.objects.select_related("user", "organization").get(user__username=username)


def _user(person: Person) -> Any:
    assert person.user is not None  # the demo's people all sign in
    return person.user


def _committees(tinhuy: Organization) -> list[tuple[Organization, Person]]:
    """The committees under the Tỉnh ủy with their văn thư."""
    found = []
    for org in Organization.objects.filter(parent=tinhuy, is_office=False, active=True).order_by("path"):
        clerk = Person.objects.select_related("user").filter(user__username=f"vanthu.{org.slug}").first()
        if clerk is not None:
            found.append((org, clerk))
    return found


def _values(rng: random.Random, request: ReportRequest, size: float) -> dict[str, int]:
    if request.frequency == "monthly":
        return {
            "dang_vien_moi": rng.randint(0, 6),
            "luot_tiep_dan": int(rng.randint(8, 40) * size),
            "don_thu": int(rng.randint(2, 18) * size),
            "van_ban_den": int(rng.randint(60, 160) * size),
        }
    return {
        "cuoc_kiem_tra": rng.randint(1, 6),
        "cuoc_giam_sat": rng.randint(1, 5),
        "dang_vien_ky_luat": rng.choice((0, 0, 0, 1, 1, 2)),
    }


def _texts(request: ReportRequest) -> dict[str, str]:
    return {s: TEXTS[s] for s in request.sections if s in TEXTS}


def _as_of(submission: ReportSubmission, when: dt.datetime) -> None:
    """Write the history: the report (and its task's completion) as sent at ``when``."""
    late = when.date() > submission.due_date
    ReportSubmission.objects.filter(pk=submission.pk).update(submitted_at=when, late=late)
    task = Task.objects.filter(pk=submission.task_id).first() if submission.task_id else None
    if task is None or task.outcome not in (Outcome.ON_TIME, Outcome.LATE):
        return
    before = tally.bucket(task)
    task.completed_on = when.date()
    task.completed_at = when
    task.outcome = (
        Outcome.LATE if task.effective_due and when.date() > task.effective_due else Outcome.ON_TIME
    )
    task.save(update_fields=["completed_on", "completed_at", "outcome"])
    tally.move(before, tally.bucket(task))


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(7, 16), rng.randint(0, 59))))


def seed_reporting(*, today: dt.date | None = None, now: dt.datetime | None = None) -> dict[str, int]:
    """The two requests, a year of their reports, and this period's pending ones; the storm's
    urgent request and its reports; answers counts."""
    now = now or timezone.now()
    today = today or timezone.localtime(now).date()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    tinhuy = Organization.objects.get(slug="tinhuy")
    specialist, chanhvp = _person("chuyenvien"), _person("chanhvp")
    committees = _committees(tinhuy)
    clerks = {org.pk: clerk for org, clerk in committees}
    start = today.replace(day=1) - dt.timedelta(days=365)
    counts = {
        "requests": 0,
        "reports": 0,
        "on_time": 0,
        "late": 0,
        "missing": 0,
        "returned": 0,
        "drafts": 0,
        "storm_reports": 0,
        "storm_late": 0,
        "storm_missing": 0,
    }
    with transaction.atomic():
        requests = [
            services.request_create(
                actor=_user(specialist),
                organization=tinhuy,
                title=MONTHLY_TITLE,
                frequency="monthly",
                due_day=20,
                recipients=[org for org, _ in committees],
                indicators=MONTHLY_INDICATORS,
                sections=MONTHLY_SECTIONS,
                today=start,
            ),
            services.request_create(
                actor=_user(specialist),
                organization=tinhuy,
                title=QUARTERLY_TITLE,
                frequency="quarterly",
                due_day=15,
                recipients=[org for org, _ in committees],
                indicators=QUARTERLY_INDICATORS,
                sections=QUARTERLY_SECTIONS,
                today=start,
            ),
        ]
        counts["requests"] = len(requests)
        # The daily job, day by day of the year (a week at a time is enough to catch every period).
        day = start
        while day <= today:
            for request in requests:
                services.periods_ensure(request, today=day)
            day += dt.timedelta(days=7)
        for request in requests:
            services.periods_ensure(request, today=today)
        sizes = {org.pk: rng.uniform(0.6, 1.6) for org, _ in committees}
        reports = ReportSubmission.objects.filter(request__in=requests).select_related(
            "request", "organization"
        )
        for submission in reports.order_by("due_date", "organization__path"):
            counts["reports"] += 1
            clerk = clerks[submission.organization_id]
            values = _values(rng, submission.request, sizes[submission.organization_id])
            if submission.due_date >= today:  # this period: still to send, a few drafts begun
                if rng.random() < 0.25:
                    services.submission_save(
                        actor=_user(clerk), submission=submission, values=dict(list(values.items())[:2])
                    )
                    counts["drafts"] += 1
                continue
            roll = rng.random()
            if roll < 0.08:
                counts["missing"] += 1
                continue
            services.submission_save(
                actor=_user(clerk),
                submission=submission,
                values=values,
                text=_texts(submission.request),
                submit=True,
            )
            late = roll > 0.80
            sent = submission.due_date + dt.timedelta(days=rng.randint(1, 12) if late else -rng.randint(0, 6))
            sent = min(sent, today)
            _as_of(submission, _at(sent, rng))
            counts["late" if sent > submission.due_date else "on_time"] += 1
            if rng.random() < 0.08:
                services.submission_return(
                    actor=_user(chanhvp), submission=submission, reason=rng.choice(RETURN_REASONS)
                )
                counts["returned"] += 1
                recent = submission.due_date >= today - dt.timedelta(days=45)
                if not recent:  # corrected and sent again (late, by then)
                    services.submission_save(actor=_user(clerk), submission=submission, submit=True)
                    again = min(sent + dt.timedelta(days=rng.randint(2, 7)), today)
                    _as_of(submission, _at(again, rng))
        if today == timezone.localtime(now).date():
            _seed_storm(rng, tinhuy, specialist, committees, now, counts)
    return counts


def _storm_values(rng: random.Random, size: float, progress: float) -> dict[str, int | str]:
    """A commune's figures so far: they grow as the storm goes on (``progress`` 0 → 1)."""
    return {
        "ho_so_tan": int(rng.randint(40, 60) * size * (0.3 + 0.7 * progress)),
        "nguoi_chet_mat_tich": 1 if size > 1.45 and progress > 0.5 else 0,
        "nguoi_bi_thuong": int(rng.randint(0, 3) * progress * size),
        "nha_hu_hong": int(rng.randint(5, 25) * size * progress),
        "lua_hoa_mau_ngap": f"{rng.uniform(8, 40) * size * progress:.1f}".replace(".", ","),
    }


def _storm_as_of(submission: ReportSubmission, slot: periods.Slot, when: dt.datetime) -> None:
    """Write the history: the storm report (and its task's completion) as sent at ``when``."""
    ReportSubmission.objects.filter(pk=submission.pk).update(submitted_at=when, late=when > slot.ends_at)
    task = Task.objects.filter(pk=submission.task_id).first() if submission.task_id else None
    if task is None or task.outcome not in (Outcome.ON_TIME, Outcome.LATE):
        return
    before = tally.bucket(task)
    day = timezone.localtime(when).date()
    task.completed_on, task.completed_at = day, when
    task.outcome = Outcome.LATE if task.effective_due and day > task.effective_due else Outcome.ON_TIME
    task.save(update_fields=["completed_on", "completed_at", "outcome"])
    tally.move(before, tally.bucket(task))


def _seed_storm(
    rng: random.Random,
    tinhuy: Organization,
    specialist: Person,
    committees: list[tuple[Organization, Person]],
    now: dt.datetime,
    counts: dict[str, int],
) -> None:
    """Storm no. 9: an urgent request made yesterday at 06:00 to the communes, every four
    hours until the day after tomorrow; the hourly job run every four hours since; each slot
    over answered (most within it, some late, a few not), the slot under way half answered."""
    communes = [(org, clerk) for org, clerk in committees if org.level is not None and org.level.code == "xa"]
    if not communes:
        return
    today = timezone.localtime(now).date()
    made_at = periods.at(today - dt.timedelta(days=1), 6)  # half the 04–08 slot left: it is given
    request = services.request_create(
        actor=_user(specialist),
        organization=tinhuy,
        title=STORM_TITLE,
        frequency="hourly",
        interval_hours=STORM_HOURS,
        urgent=True,
        starts_on=made_at.date(),
        ends_on=today + dt.timedelta(days=2),
        recipients=[org for org, _ in communes],
        indicators=STORM_INDICATORS,
        sections=[STORM_SECTION],
        now=made_at,
    )
    ReportRequest.objects.filter(pk=request.pk).update(created_at=made_at)
    request.created_at = made_at
    counts["requests"] += 1
    moment = made_at
    while moment <= now:  # the hourly job, as it ran
        services.periods_ensure(request, now=min(moment, now))
        moment += dt.timedelta(hours=STORM_HOURS)
    services.periods_ensure(request, now=now)
    clerks = {org.pk: clerk for org, clerk in communes}
    sizes = {org.pk: rng.uniform(0.6, 1.6) for org, _ in communes}
    first = periods.slot_at(made_at, STORM_HOURS)
    span = (periods.slot_at(now, STORM_HOURS).ends_at - first.starts_at).total_seconds() or 1.0
    rows = request.submissions.select_related("request", "organization").order_by(
        "period", "organization__path"
    )
    for submission in rows:
        slot = periods.parse("hourly", submission.period, hours=STORM_HOURS)
        assert isinstance(slot, periods.Slot)
        if slot.starts_at > now:
            continue  # the next slot: given ahead
        current = slot.ends_at > now
        roll = rng.random()
        if current and roll < 0.55:
            continue  # still to send in the slot under way
        if not current and roll < 0.07:
            counts["storm_missing"] += 1
            continue
        late = not current and roll > 0.82
        if late:
            when = slot.ends_at + dt.timedelta(minutes=rng.randint(20, 150))
        else:
            latest = min(slot.ends_at - dt.timedelta(minutes=5), now)
            earliest = min(slot.starts_at + dt.timedelta(minutes=50), latest)
            when = earliest + (latest - earliest) * rng.random()
        if when > now:
            counts["storm_missing"] += 1  # late, and not sent yet
            continue
        progress = (when - first.starts_at).total_seconds() / span
        services.submission_save(
            actor=_user(clerks[submission.organization_id]),
            submission=submission,
            values=_storm_values(rng, sizes[submission.organization_id], min(progress, 1.0)),
            text={STORM_SECTION: rng.choice(STORM_TEXTS)},
            submit=True,
        )
        _storm_as_of(submission, slot, when)
        counts["storm_reports"] += 1
        counts["storm_late"] += int(when > slot.ends_at)


def summary(counts: dict[str, Any]) -> str:
    text = (
        f"{counts['requests']} yêu cầu báo cáo, {counts['reports']} báo "
        f"cáo các kỳ ({counts['on_time']} đúng hạn, "
        f"{counts['late']} muộn, {counts['missing']} không gửi, {counts['returned']} bị trả lại, "
        f"{counts['drafts']} đang soạn)"
    )
    if counts.get("storm_reports"):
        text += (
            f"; báo cáo nhanh bão số 9: {counts['storm_reports']} báo cáo 4 giờ một lần "
            f"({counts['storm_late']} muộn, {counts['storm_missing']} chưa gửi)"
        )
    return text
