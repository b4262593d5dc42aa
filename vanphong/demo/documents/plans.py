"""The demo year's documents as plans: who sends what, when, about what, with which symbol."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from vanphong.documents.models import (
    Register,
    RegisterKind,
    Style,
    Urgency,
)
from vanphong.documents.numbering import series_for
from vanphong.orgs.models import Classification, Organization

SEED_ACTOR = "seed-demo"
DAYS = 365  # the demo year: the DAYS days that end the day before the seed runs
RECENT_DAYS = 3  # arrivals of the last working days still wait to be presented (chờ trình)
PAGE_DAYS = 30  # documents of the last days have a file: their first page as a PDF
BATCH = 10_000
TERM_STARTS = {"committee": dt.date(2025, 10, 15), "subordinate": dt.date(2025, 8, 1)}
# Documents per scale unit: the Tỉnh ủy and each subordinate committee.
PROVINCE_IN, PROVINCE_OUT = 520, 300
SUBORDINATE_IN, SUBORDINATE_OUT = 8, 7


@dataclass(frozen=True)
class Central:
    symbol: str
    number: int
    doc_type: str
    date: dt.date
    subject: str
    issuer_name: str = "Bộ Chính trị"


# Central documents, registered as incoming at the Tỉnh ủy before the demo year's own.
CENTRAL = (
    Central(
        "57-NQ/TW",
        57,
        "NQ",
        dt.date(2024, 12, 22),
        "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
    ),
    Central("59-NQ/TW", 59, "NQ", dt.date(2025, 1, 24), "Nghị quyết về hội nhập quốc tế trong tình hình mới"),
    Central(
        "66-NQ/TW",
        66,
        "NQ",
        dt.date(2025, 4, 30),
        "Nghị quyết về đổi mới công tác xây dựng và thi hành pháp luật đáp ứng yêu cầu phát triển đất nước "
        "trong kỷ nguyên mới",
    ),
    Central("68-NQ/TW", 68, "NQ", dt.date(2025, 5, 4), "Nghị quyết về phát triển kinh tế tư nhân"),
    Central(
        "18-NQ/TW",
        18,
        "NQ",
        dt.date(2017, 10, 25),
        "Nghị quyết một số vấn đề về tiếp tục đổi mới, sắp xếp tổ chức bộ máy của hệ thống chính trị "
        "tinh gọn, hoạt động hiệu lực, hiệu quả",
        "Ban Chấp hành Trung ương",
    ),
    Central(
        "39-NQ/TW",
        39,
        "NQ",
        dt.date(2015, 4, 17),
        "Nghị quyết về tinh giản biên chế và cơ cấu lại đội ngũ cán bộ, công chức, viên chức",
    ),
    Central(
        "45-CT/TW",
        45,
        "CT",
        dt.date(2025, 4, 14),
        "Chỉ thị về đại hội đảng bộ các cấp tiến tới Đại hội XIV của Đảng",
    ),
)

TOPICS = (
    "phát triển kinh tế - xã hội",
    "chuyển đổi số trong các cơ quan đảng",
    "công tác xây dựng Đảng và hệ thống chính trị",
    "công tác cán bộ",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "công tác dân vận",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "bảo đảm quốc phòng, an ninh",
    "phát triển du lịch gắn với bảo tồn văn hóa",
    "phòng, chống thiên tai, sạt lở đất mùa mưa bão",
    "xây dựng nông thôn mới",
    "phát triển cây cà phê bền vững",
    "giảm nghèo bền vững vùng đồng bào dân tộc thiểu số",
    "cải cách hành chính",
    "công tác tuyên truyền kỷ niệm các ngày lễ lớn",
    "sắp xếp đơn vị hành chính cấp xã",
    "kết nạp đảng viên mới",
    "công tác bảo vệ bí mật nhà nước",
    "phát triển hạ tầng giao thông",
)
QUARTERS = ("quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "năm")


@dataclass
class Plan:
    """One document to write."""

    organization: Organization  # the committee registering it
    kind: str  # RegisterKind.INCOMING / OUTGOING
    day: dt.date
    doc_type: str
    style: str
    symbol: str
    subject: str
    issuer: Organization | None
    issuer_name: str
    classification: int
    urgency: str
    cites: Central | None = None
    signer: str = ""


class Numbers:
    """Counts numbers per register series exactly as ``take_number`` would."""

    def __init__(self) -> None:
        self.last: dict[tuple[int, str], int] = {}
        # series_for reads the terms from the database; within the demo year a series
        # depends only on the year (no term starts or ends inside it), so it is asked once.
        self._series: dict[tuple[int, str, int, int], str] = {}

    def take(self, register: Register, *, doc_type: str, classification: int, on: dt.date) -> tuple[str, int]:
        cache_key = (register.pk, doc_type, classification, on.year)
        series = self._series.get(cache_key)
        if series is None:
            series = series_for(register, doc_type=doc_type, classification=classification, on=on)
            self._series[cache_key] = series
        key = (register.pk, series)
        self.last[key] = self.last.get(key, 0) + 1
        return series, self.last[key]


def _urgency(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.01:
        return Urgency.FLASH
    if roll < 0.05:
        return Urgency.VERY_URGENT
    if roll < 0.15:
        return Urgency.URGENT
    return Urgency.NORMAL


def _classification(rng: random.Random) -> int:
    roll = rng.random()
    if roll < 0.005:
        return Classification.TOI_MAT
    if roll < 0.035:
        return Classification.MAT
    return Classification.NONE


def _year_of(day: dt.date) -> int:
    return day.year


def _subject(rng: random.Random, doc_type: str, day: dt.date, cites: Central | None) -> str:
    topic = rng.choice(TOPICS)
    year = _year_of(day)
    citation = (
        f"Nghị quyết số {cites.symbol}, ngày {cites.date:%d/%m/%Y} của {cites.issuer_name}" if cites else ""
    )
    if cites and cites.doc_type == "CT":
        citation = f"Chỉ thị số {cites.symbol}, ngày {cites.date:%d/%m/%Y} của {cites.issuer_name}"
    templates: dict[str, tuple[str, ...]] = {
        "NQ": (f"Nghị quyết về {topic} giai đoạn 2026 - 2030", f"Nghị quyết về lãnh đạo {topic} năm {year}"),
        "KL": (
            f"Kết luận của Ban Thường vụ Tỉnh ủy về {topic}",
            f"Kết luận về kết quả {topic} {rng.choice(QUARTERS)}",
        ),
        "CTr": (
            f"Chương trình hành động thực hiện {citation}" if cites else f"Chương trình công tác năm {year}",
            f"Chương trình kiểm tra, giám sát năm {year}",
        ),
        "KH": (
            f"Kế hoạch triển khai thực hiện {citation}"
            if cites
            else f"Kế hoạch thực hiện {topic} năm {year}",
            f"Kế hoạch tổ chức hội nghị sơ kết {topic}",
        ),
        "TB": (
            f"Thông báo kết luận của Thường trực Tỉnh ủy về {topic}",
            f"Thông báo ý kiến của Ban Thường vụ về {topic}",
        ),
        "BC": (
            f"Báo cáo kết quả {topic} {rng.choice(QUARTERS)} năm {year}",
            f"Báo cáo sơ kết {citation}" if cites else f"Báo cáo tình hình {topic}",
        ),
        "CV": (f"Công văn về việc {topic}", f"Về việc góp ý dự thảo văn bản về {topic}"),
        "QĐ": (f"Quyết định thành lập Ban Chỉ đạo {topic}", f"Quyết định ban hành Quy chế về {topic}"),
        "HD": (f"Hướng dẫn thực hiện {topic}", f"Hướng dẫn tổ chức đại hội chi bộ trực thuộc năm {year}"),
        "CT": (f"Chỉ thị về tăng cường lãnh đạo {topic}", f"Chỉ thị về tổ chức Tết Nguyên đán năm {year}"),
        "TTr": (f"Tờ trình về {topic}", f"Tờ trình đề nghị phê duyệt đề án {topic}"),
        "GM": (f"Giấy mời dự hội nghị về {topic}", f"Giấy mời họp Ban Chỉ đạo {topic}"),
    }
    return rng.choice(templates.get(doc_type, templates["CV"]))


_BODY_SENTENCES = (
    "Thực hiện {cite}, {issuer} đề nghị các cơ quan, đơn vị quán triệt, triển khai nghiêm túc về {topic}.",
    "Các cấp ủy, tổ chức đảng xây dựng kế hoạch cụ thể, phân công rõ người, rõ việc, rõ thời gian.",
    "Ban Tuyên giáo và Dân vận chủ trì, phối hợp với các cơ quan liên quan tuyên truyền sâu rộng về {topic}.",
    "Định kỳ hằng quý báo cáo kết quả thực hiện về Văn phòng để tổng hợp, báo cáo Ban Thường vụ.",
    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời phản ánh để xem xét, giải quyết.",
    "Kết quả {topic} năm {year} có nhiều chuyển biến tích cực; vẫn còn một số hạn chế cần khắc phục.",
    "Tiếp tục đẩy mạnh ứng dụng công nghệ thông tin, số hóa hồ sơ, tài liệu, liên thông văn bản điện tử.",
    "Ủy ban Kiểm tra các cấp tăng cường kiểm tra, giám sát việc tổ chức thực hiện ở cơ sở.",
)


def body_lines(rng: random.Random, plan: Plan) -> list[str]:
    """The lines of a few paragraphs of extracted text (``with_text``, for the benchmark)."""
    cite = (
        f"{plan.cites.doc_type == 'CT' and 'Chỉ thị' or 'Nghị quyết'} số {plan.cites.symbol}"
        if plan.cites
        else "chỉ đạo của cấp trên"
    )
    sentences = rng.sample(_BODY_SENTENCES, 5)
    values = {"cite": cite, "issuer": plan.issuer_name, "topic": rng.choice(TOPICS), "year": plan.day.year}
    return [sentence.format(**values) for sentence in sentences]


# Senders of incoming documents at the Tỉnh ủy: (organisation key, style, weights of types).
_PROVINCE_SENDERS = (
    ("tw", Style.PARTY, ("KL", "CT", "HD", "TB", "CV"), 2),
    ("vptw", Style.PARTY, ("CV", "HD", "TB"), 2),
    ("ubnd", Style.STATE, ("BC", "CV", "TTr", "KH", "QĐ"), 4),
    ("mttq", Style.STATE, ("BC", "CV", "KH"), 1),
    ("cat", Style.STATE, ("BC", "CV"), 1),
    ("commune", Style.PARTY, ("BC", "TTr", "CV", "KH"), 4),
)
_PROVINCE_OWN = ("NQ", "KL", "CTr", "KH", "TB", "BC", "CV", "CV", "CV", "QĐ", "HD", "GM", "TB", "BC")
_SUBORDINATE_OWN = ("NQ", "KH", "BC", "BC", "CV", "CV", "TB", "GM", "CTr")
_CITING_TYPES = frozenset({"KH", "CTr", "BC"})


class _Symbols:
    """Numbers of the senders' own documents (which we do not keep books for), per type and year."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str, int], int] = {}

    def next(self, issuer: str, doc_type: str, year: int) -> int:
        key = (issuer, doc_type, year)
        self.last[key] = self.last.get(key, 0) + 1
        return self.last[key]


def _sender_symbol(style: str, number: int, doc_type: str, abbreviation: str) -> str:
    if style == Style.PARTY:
        return f"{number:02d}-{doc_type}/{abbreviation}"
    if doc_type == "CV":
        return f"{number:02d}/{abbreviation}-VP"
    return f"{number:02d}/{doc_type}-{abbreviation}"


@dataclass(frozen=True)
class Year:
    """The demo year, seen from the day the seed runs: it ends the day before ``today``;
    its last ``RECENT_DAYS`` working days are ``recent``."""

    today: dt.date

    @property
    def first_day(self) -> dt.date:
        return self.today - dt.timedelta(days=DAYS)

    @property
    def last_day(self) -> dt.date:
        return self.today - dt.timedelta(days=1)

    @property
    def recent(self) -> list[dt.date]:
        days: list[dt.date] = []
        day = self.today
        while len(days) < RECENT_DAYS:
            day -= dt.timedelta(days=1)
            if day.weekday() < 5:
                days.append(day)
        return sorted(days)

    @property
    def pages_from(self) -> dt.date:
        return self.today - dt.timedelta(days=PAGE_DAYS)


def _days(rng: random.Random, count: int, first: dt.date, last: dt.date) -> list[dt.date]:
    """``count`` working days from ``first`` to ``last``, sorted."""
    days: list[dt.date] = []
    span = (last - first).days + 1
    while len(days) < count:
        day = first + dt.timedelta(days=rng.randrange(span))
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _arrivals(rng: random.Random, count: int, recent: int, year: Year) -> list[dt.date]:
    """``count`` days of arrival: ``recent`` of them in the last working days (still waiting
    to be presented), the others over the rest of the year."""
    recent = min(recent, count)
    earlier = _days(rng, count - recent, year.first_day, year.recent[0] - dt.timedelta(days=1))
    return earlier + sorted(rng.choice(year.recent) for _ in range(recent))


def make_plans(
    orgs: dict[str, Organization],
    subordinates: list[Organization],
    scale: int,
    rng: random.Random,
    year: Year,
) -> Iterator[Plan]:
    """Every document of the demo year, in date order per committee."""
    committee = orgs["tinhuy"]
    senders = _Symbols()
    own = _Symbols()
    weighted = [s for s in _PROVINCE_SENDERS for _ in range(s[3])]
    # Incoming at the Tỉnh ủy: a handful arrived in the last days.
    for day in _arrivals(rng, PROVINCE_IN * scale, rng.randint(6, 10) * scale, year):
        key, style, types, _weight = rng.choice(weighted)
        sender = rng.choice(subordinates) if key == "commune" else orgs[key]
        doc_type = rng.choice(types)
        abbreviation = sender.abbreviation
        if key == "tw" and doc_type in ("HD", "TB"):
            abbreviation = "BTCTW" if doc_type == "HD" else "TW"
        number = senders.next(f"{sender.pk}:{abbreviation}", doc_type, day.year)
        cites = rng.choice(CENTRAL) if doc_type in _CITING_TYPES and rng.random() < 0.3 else None
        yield Plan(
            organization=committee,
            kind=RegisterKind.INCOMING,
            day=day,
            doc_type=doc_type,
            style=style,
            symbol=_sender_symbol(style, number, doc_type, abbreviation),
            subject=_subject(rng, doc_type, day, cites),
            issuer=sender,
            issuer_name=sender.name,
            classification=_classification(rng),
            urgency=_urgency(rng),
            cites=cites,
        )
    # Issued by the Tỉnh ủy (numbers per type within the term, like the register's).
    for day in _days(rng, PROVINCE_OUT * scale, year.first_day, year.last_day):
        doc_type = rng.choice(_PROVINCE_OWN)
        cites = rng.choice(CENTRAL) if doc_type in _CITING_TYPES and rng.random() < 0.4 else None
        yield Plan(
            organization=committee,
            kind=RegisterKind.OUTGOING,
            day=day,
            doc_type=doc_type,
            style=Style.PARTY,
            symbol="",  # from the register number, below
            subject=_subject(rng, doc_type, day, cites),
            issuer=committee,
            issuer_name=committee.name,
            classification=_classification(rng),
            urgency=_urgency(rng),
            cites=cites,
            signer=rng.choice(("Phạm Quang Vinh", "Nguyễn Thị Thu Hà", "Lê Văn Khánh")),
        )
    for sub in subordinates:
        for day in _arrivals(rng, SUBORDINATE_IN * scale, rng.randint(1, 3) * scale, year):
            doc_type = rng.choice(("NQ", "KH", "CV", "TB", "HD", "CTr"))
            number = own.next("tu", doc_type, day.year)
            cites = rng.choice(CENTRAL) if doc_type in _CITING_TYPES and rng.random() < 0.3 else None
            yield Plan(
                organization=sub,
                kind=RegisterKind.INCOMING,
                day=day,
                doc_type=doc_type,
                style=Style.PARTY,
                symbol=_sender_symbol(Style.PARTY, number + 500, doc_type, "TU"),
                subject=_subject(rng, doc_type, day, cites),
                issuer=committee,
                issuer_name=committee.name,
                classification=_classification(rng),
                urgency=_urgency(rng),
                cites=cites,
            )
        for day in _days(rng, SUBORDINATE_OUT * scale, year.first_day, year.last_day):
            doc_type = rng.choice(_SUBORDINATE_OWN)
            yield Plan(
                organization=sub,
                kind=RegisterKind.OUTGOING,
                day=day,
                doc_type=doc_type,
                style=Style.PARTY,
                symbol="",
                subject=_subject(rng, doc_type, day, None).replace("Tỉnh ủy", "Đảng ủy"),
                issuer=sub,
                issuer_name=sub.name,
                classification=_classification(rng),
                urgency=_urgency(rng),
            )
