"""A year of the demo Tỉnh ủy's petitions book and reception book, carried through the
petitions services as the Văn phòng would: the văn thư enters each letter (post, in person,
transferred, e-mail); the Chánh Văn phòng gives most of them to a specialist; each is handled
within its time (accepted, transferred to the competent body, the petitioner guided, or filed)
and the accepted complaints and denunciations resolved — a few late, a few still open, one
denunciation extended. The same people write again on the same matter (linked as duplicates),
some letters are anonymous. The Bí thư receives citizens on his regular day each month (the
schedule planned and published for the year ahead too); the visits are in the reception book, a
group visit among them. Three letters came through the public form this morning and wait to be
entered. Two communes keep their own books.

Recent letters are still to handle: the specialist's home shows "Đơn thư đồng chí đang xử
lý", the Chánh Văn phòng's and the Bí thư's "Đơn thư chưa giao cán bộ xử lý", the văn thư's
the online letters to enter and the letters' processing deadlines among their tasks.

The services act today; the past is then written in as it happened (the completion of each
deadline's task set back to the day of the decision or result), as ``demo.reporting`` does."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from vanphong.orgs.models import Organization, Person
from vanphong.petitions import services, sessions, submissions
from vanphong.petitions.models import Kind, Petition, State
from vanphong.petitions.services import PetitionerSpec
from vanphong.tasks import tally
from vanphong.tasks.calendar import WorkCalendar
from vanphong.tasks.models import Outcome, Task

SEED = 20261208


@dataclass(frozen=True)
class Matter:
    kind: str
    field: str
    content: str
    respondent: str = ""
    against_party_member: bool = False


MATTERS = (
    Matter(
        Kind.KHIEU_NAI,
        "Đất đai",
        "Khiếu nại quyết định thu hồi đất nông nghiệp của gia đình để làm đường, mức bồi thường, hỗ trợ "
        "không thỏa đáng so với giá thị trường",
        "Ủy ban nhân dân xã {place}",
    ),
    Matter(
        Kind.KHIEU_NAI,
        "Chế độ chính sách",
        "Khiếu nại việc không được xem xét hưởng chế độ trợ cấp đối với người tham gia kháng chiến",
        "Phòng Lao động - Thương binh và Xã hội",
    ),
    Matter(
        Kind.KHIEU_NAI,
        "Xây dựng",
        "Khiếu nại quyết định xử phạt vi phạm hành chính và buộc tháo dỡ nhà tạm trên đất vườn",
        "Chủ tịch Ủy ban nhân dân xã {place}",
    ),
    Matter(
        Kind.TO_CAO,
        "Cán bộ, đảng viên",
        "Tố cáo cán bộ địa chính xã nhận tiền của người dân để làm hồ sơ cấp giấy chứng nhận quyền sử dụng "
        "đất sai quy định",
        "Cán bộ địa chính xã {place}",
    ),
    Matter(
        Kind.TO_CAO,
        "Kỷ luật Đảng",
        "Tố cáo đảng viên là trưởng thôn vi phạm những điều đảng viên không được làm, lợi dụng chức vụ "
        "để trục lợi trong hỗ trợ nhà ở",
        "Trưởng thôn Đông, xã {place}",
        against_party_member=True,
    ),
    Matter(
        Kind.TO_CAO,
        "Môi trường",
        "Tố cáo doanh nghiệp khai thác cát trái phép trên sông, gây sạt lở đất canh tác của người dân",
        "Công ty khai thác khoáng sản trên địa bàn xã {place}",
    ),
    Matter(
        Kind.KIEN_NGHI,
        "Giao thông",
        "Kiến nghị sửa chữa tuyến đường liên xã bị sạt lở sau mưa lớn, đi lại nguy hiểm cho học sinh",
    ),
    Matter(
        Kind.KIEN_NGHI,
        "Đất đai",
        "Kiến nghị xem xét cấp giấy chứng nhận quyền sử dụng đất cho các hộ định cư ổn định từ trước năm "
        "1993",
    ),
    Matter(
        Kind.KIEN_NGHI,
        "Giáo dục",
        "Kiến nghị đầu tư xây dựng điểm trường mầm non cho thôn vùng sâu, trẻ phải đi học xa",
    ),
    Matter(
        Kind.PHAN_ANH,
        "Môi trường",
        "Phản ánh cơ sở sơ chế cà phê xả nước thải chưa qua xử lý ra suối, gây ô nhiễm nguồn nước sinh hoạt",
        "Cơ sở sơ chế cà phê tại xã {place}",
    ),
    Matter(
        Kind.PHAN_ANH,
        "Cải cách hành chính",
        "Phản ánh thái độ làm việc thiếu trách nhiệm và việc trễ hẹn trả kết quả tại bộ phận một cửa",
        "Bộ phận tiếp nhận và trả kết quả xã {place}",
    ),
)

NAMES = (
    "Nguyễn Văn Hùng",
    "Trần Thị Mai",
    "Lê Văn Tám",
    "Phạm Thị Hồng",
    "Hoàng Văn Sơn",
    "K'Brơi",
    "Ka Hoa",
    "Đặng Văn Lợi",
    "Bùi Thị Thu",
    "Võ Văn Kiệt Anh",
    "Ngô Thị Lan",
    "Dương Văn Phú",
    "Lâm Thị Bích",
    "Huỳnh Văn Tài",
    "Trịnh Thị Nga",
    "Ya Thuận",
)
PLACES = ("Đức Trọng", "Di Linh", "Lạc Dương", "Tuy Phong", "Bảo Lộc 1", "Phan Thiết", "Bắc Gia Nghĩa")
CHANNELS = ("post", "post", "post", "in_person", "in_person", "transferred", "email")
LETTERS_IN_YEAR = 64
RECENT = 6  # letters of the last days, still to be handled
PLACE = "Trụ sở Tiếp công dân tỉnh, số 36 Trần Phú, Đà Lạt"


def _user(username: str) -> Any:
    return Person.objects.select_related("user").get(user__username=username).user


def _petitioner(index: int) -> PetitionerSpec:
    """The same person for the same ``index``: name, address, ID number and phone."""
    rng = random.Random(index)  # noqa: S311 (demo data)
    name = NAMES[index % len(NAMES)]
    place = PLACES[index % len(PLACES)]
    return PetitionerSpec(
        name,
        f"Thôn {rng.choice(('Đông', 'Tây', 'Trung', 'Hạ', 'Thượng'))}, xã {place}, tỉnh Lâm Đồng",
        f"068{rng.randint(100000000, 999999999)}",
        f"09{rng.randint(10000000, 99999999)}",
    )


def _completed(task_id: int | None, day: dt.date) -> None:
    """Write the history: the deadline's task completed on ``day``."""
    task = Task.objects.filter(pk=task_id).first() if task_id else None
    if task is None or task.outcome not in (Outcome.ON_TIME, Outcome.LATE):
        return
    before = tally.bucket(task)
    task.completed_on = day
    task.completed_at = timezone.make_aware(dt.datetime.combine(day, dt.time(15, 30)))
    task.outcome = Outcome.LATE if task.effective_due and day > task.effective_due else Outcome.ON_TIME
    task.save(update_fields=["completed_on", "completed_at", "outcome"])
    tally.move(before, tally.bucket(task))


def _received_days(rng: random.Random, today: dt.date, calendar: WorkCalendar) -> list[dt.date]:
    days = []
    for _ in range(LETTERS_IN_YEAR):
        days.append(calendar.next_working_day(today - dt.timedelta(days=rng.randint(20, 360))))
    days += [calendar.add_working_days(today, -n) for n in range(1, RECENT + 1)]
    return sorted(days)


def _decide(
    actor: Any, petition: Petition, rng: random.Random, day: dt.date, transfer_to: Organization
) -> Petition:
    anonymous = not petition.petitioners.exists()
    if petition.kind == Kind.TO_CAO and (anonymous or petition.against_party_member and rng.random() < 0.2):
        reason = (
            "Đơn tố cáo nặc danh, không có căn cứ xác minh: lưu đơn." if anonymous else "Không đủ điều kiện."
        )
        return services.petition_decide(
            actor=actor, petition=petition, action="file", reason=reason, today=day
        )
    if petition.related.exists() and rng.random() < 0.7:
        return services.petition_decide(
            actor=actor,
            petition=petition,
            action="file",
            reason="Đơn trùng nội dung với đơn đã thụ lý, đang giải quyết: lưu đơn, theo dõi chung.",
            today=day,
        )
    roll = rng.random()
    if petition.kind in (Kind.KIEN_NGHI, Kind.PHAN_ANH) and roll < 0.6:
        return services.petition_decide(
            actor=actor,
            petition=petition,
            action="transfer",
            to_organization=transfer_to,
            reason=(
                "Nội dung thuộc thẩm quyền giải quyết của chính quyền: chuyển đơn, đề nghị trả lời công dân."
            ),
            today=day,
        )
    if petition.kind == Kind.KHIEU_NAI and roll < 0.3:
        return services.petition_decide(
            actor=actor,
            petition=petition,
            action="guide",
            reason=(
                "Hướng dẫn công dân gửi đơn đến Chủ tịch Ủy ban nhân dân xã, người có thẩm quyền giải "
                "quyết khiếu nại lần đầu."
            ),
            today=day,
        )
    return services.petition_decide(actor=actor, petition=petition, action="accept", today=day)


RESULTS = ("dung", "dung_mot_phan", "sai", "sai", "da_tra_loi")


def seed_petitions(*, today: dt.date | None = None) -> dict[str, int]:
    """The year's letters and visits; answers counts."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    calendar = WorkCalendar.load()
    tinhuy = Organization.objects.get(slug="tinhuy")
    ubnd = Organization.objects.get(name="Ủy ban nhân dân tỉnh Lâm Đồng")
    clerk = _user("vanthu")
    chief = _user("chanhvp")
    secretary = _user("bithu")
    handlers = [Person.objects.get(user__username=u) for u in ("chuyenvien", "cv.th")]
    counts = {
        "petitions": 0,
        "decided": 0,
        "resolved": 0,
        "extended": 0,
        "receptions": 0,
        "communes": 0,
        "online": 0,
    }

    for index, received in enumerate(_received_days(rng, today, calendar)):
        matter = MATTERS[rng.randrange(len(MATTERS))]
        place = PLACES[rng.randrange(len(PLACES))]
        repeat = index % 9 == 4  # the same person, the same matter, again
        person_index = 0 if repeat else index
        if repeat:
            matter = MATTERS[0]
        anonymous = matter.kind == Kind.TO_CAO and rng.random() < 0.25
        petitioners = [] if anonymous else [_petitioner(person_index)]
        if matter.against_party_member and not anonymous and rng.random() < 0.3:
            petitioners.append(_petitioner(person_index + 1))
        petition = services.petition_register(
            actor=clerk,
            organization=tinhuy,
            received_date=received,
            channel=rng.choice(CHANNELS),
            kind=matter.kind,
            content=matter.content,
            petitioners=petitioners,
            respondent=matter.respondent.format(place=place),
            field=matter.field,
            locality=f"Xã {place}",
            complex_case=rng.random() < 0.15,
            remote_area=place in ("Lạc Dương", "Di Linh") and rng.random() < 0.5,
            against_party_member=matter.against_party_member,
        )
        counts["petitions"] += 1
        recent = received > today - dt.timedelta(days=15)
        if recent and index % 3 == 0:
            continue  # no handler yet: the leaders' home shows it
        services.petition_assign(actor=chief, petition=petition, handler=handlers[index % len(handlers)])
        if recent:
            continue
        decided_on = min(calendar.add_working_days(received, rng.randint(2, 11)), today)
        petition = _decide(chief, petition, rng, decided_on, ubnd)
        _completed(petition.process_task_id, decided_on)
        counts["decided"] += 1
        if petition.state != State.ACCEPTED or petition.resolve_by is None:
            continue
        if (
            petition.kind == Kind.TO_CAO
            and petition.resolve_by < today + dt.timedelta(days=10)
            and not counts["extended"]
        ):
            petition = services.petition_extend(
                actor=secretary, petition=petition, reason="Vụ việc phức tạp, cần xác minh tại hai địa bàn."
            )
            counts["extended"] += 1
        late = rng.random() < 0.12
        due = petition.resolve_by
        assert due is not None  # an accepted complaint or denunciation (checked above)
        resolved_on = (
            due + dt.timedelta(days=rng.randint(1, 8))
            if late
            else due - dt.timedelta(days=rng.randint(0, 12))
        )
        if resolved_on >= today:
            continue  # still being resolved
        services.petition_result(
            actor=chief,
            petition=petition,
            result=rng.choice(RESULTS),
            summary="Đã xác minh, kết luận và trả lời bằng văn bản cho người gửi đơn.",
            today=max(resolved_on, decided_on),
        )
        _completed(petition.resolve_task_id, max(resolved_on, decided_on))
        counts["resolved"] += 1

    counts["receptions"] = _receptions(rng, tinhuy, secretary, clerk, today, calendar)
    counts["communes"] = _communes(rng, tinhuy, today, calendar)
    counts["online"] = _submissions(tinhuy)
    return counts


def _receptions(
    rng: random.Random,
    tinhuy: Organization,
    secretary: Any,
    clerk: Any,
    today: dt.date,
    calendar: WorkCalendar,
) -> int:
    """The Bí thư's regular reception day each month (the 15th, or the next working day), with
    two or three visits each; one group visit (đoàn đông người) about land clearance."""
    made = 0
    for months_ago in range(11, -1, -1):
        first = (today.replace(day=1) - dt.timedelta(days=months_ago * 30)).replace(day=15)
        day = calendar.next_working_day(first)
        if day > today:
            continue
        session = sessions.session_create(
            actor=clerk,
            organization=tinhuy,
            leader=secretary.person,
            date=day,
            start=dt.time(7, 30),
            end=dt.time(11, 30),
            place=PLACE,
            today=day,  # written as it was planned, on the day
        )
        for visit in range(rng.randint(2, 3)):
            group = months_ago == 3 and visit == 0
            citizen = _petitioner(100 + made)
            matter = rng.choice(MATTERS)
            services.reception_record(
                actor=clerk,
                organization=tinhuy,
                date=day,
                receiving_person=secretary.person,
                citizens=[citizen] if not group else [citizen, _petitioner(200 + made)],
                citizen_count=17 if group else None,
                content=(
                    "Đoàn 17 hộ dân thôn Đông phản ánh việc bồi thường, hỗ trợ tái định cư dự án hồ chứa nước"
                    if group
                    else matter.content
                ),
                # Someone who came to denounce: kept secret (shown to the Bí thư and the văn thư).
                confidential=not group and matter.kind == Kind.TO_CAO,
                documents_received="Đơn và bản sao các giấy tờ liên quan" if visit else "",
                session=session,
                outcome=(
                    "Bí thư Tỉnh ủy trực tiếp trả lời, giao Ban Cán sự đảng UBND tỉnh chỉ đạo kiểm tra, "
                    "báo cáo trước ngày 30 của tháng."
                    if group
                    else "Tiếp nhận đơn, giao Văn phòng Tỉnh ủy xử lý theo quy định."
                ),
            )
            made += 1
    # The year ahead is planned and published (the public schedule shows it).
    for year in sorted({today.year, (today + dt.timedelta(days=60)).year}):
        sessions.plan_regular(
            actor=clerk,
            organization=tinhuy,
            leader=secretary.person,
            year=year,
            days_of_month=[15],
            start=dt.time(7, 30),
            end=dt.time(11, 30),
            place=PLACE,
            today=today,
        )
    return made


SUBMITTED = (
    (
        Kind.PHAN_ANH,
        "Trần Văn Bình",
        "Phản ánh xe tải chở đất làm rơi vãi, gây bụi trên đường vào khu dân cư",
    ),
    (Kind.KIEN_NGHI, "Lê Thị Hoa", "Kiến nghị lắp đèn chiếu sáng đoạn đường qua trường tiểu học"),
    (
        Kind.TO_CAO,
        "Phạm Văn Đức",
        "Tố cáo cán bộ thu tiền ngoài quy định khi làm thủ tục đăng ký hộ kinh doanh",
    ),
)


def _submissions(tinhuy: Organization) -> int:
    """Letters sent through the public form this morning, waiting for the văn thư (their home
    shows them; each has its tracking code)."""
    for n, (kind, name, content) in enumerate(SUBMITTED):
        submissions.submission_create(
            organization=tinhuy,
            kind=kind,
            full_name=name,
            address=f"Tổ {n + 3}, phường Xuân Hương - Đà Lạt, tỉnh Lâm Đồng",
            phone=f"09{n}8123456",
            respondent="Cán bộ bộ phận một cửa phường" if kind == Kind.TO_CAO else "",
            content=content,
            client_address=f"198.51.100.{n + 1}",  # documentation addresses: each its own limit
        )
    return len(SUBMITTED)


def _communes(rng: random.Random, tinhuy: Organization, today: dt.date, calendar: WorkCalendar) -> int:
    """Two communes' own books: a few recent letters still to handle (their văn thư's home)."""
    made = 0
    books = 0
    for org in Organization.objects.filter(parent=tinhuy, is_office=False, active=True).order_by("path"):
        clerk = Person.objects.select_related("user").filter(user__username=f"vanthu.{org.slug}").first()
        if clerk is None or clerk.user is None:
            continue
        books += 1
        if books > 2:
            break
        for n, matter in enumerate((MATTERS[6], MATTERS[9], MATTERS[0])):
            services.petition_register(
                actor=clerk.user,
                organization=org,
                received_date=calendar.add_working_days(today, -(n + 1) * 2),
                channel="in_person",
                kind=matter.kind,
                content=matter.content,
                petitioners=[_petitioner(300 + made)],
                respondent=matter.respondent.format(place=org.place_name or ""),
                field=matter.field,
                locality=org.short_name,
            )
            made += 1
    return made


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['petitions']} đơn thư của Tỉnh ủy ({counts['decided']} đã xử lý, "
        f"{counts['resolved']} đã có kết quả, {counts['extended']} gia hạn), "
        f"{counts['receptions']} lượt tiếp công dân, {counts['communes']} đơn của các đảng ủy xã, "
        f"{counts['online']} đơn trực tuyến chờ vào sổ"
    )
