"""Demo documents: a year of a province's correspondence (01/11/2025 – 31/10/2026).

Each hosted Party committee receives documents (from the Centre, the provincial People's
Committee, the Front, the police, its own subordinate committees) and issues its own
(Nghị quyết, Kết luận, Chương trình, Kế hoạch, Thông báo, Báo cáo, Công văn ...), with
Vietnamese subjects built from templates, references to real central documents (which are
themselves registered, so the links resolve), some classified, some urgent, and the leader's
direction on part of the incoming ones.

A bulk load (``--scale 1000`` reaches a million documents: about two minutes on SQLite,
two and a half on PostgreSQL): rows go straight into the tables in batches (``_Rows``: COPY on PostgreSQL,
executemany on SQLite, no model instances), all in ONE transaction — the whole year or
nothing. Register numbers are counted here exactly as ``numbering.take_number`` would (same
``series_for``), in date order, going on from any counter already there, and each
``RegisterCounter`` ends on the last number given — no number repeats or is skipped. The
search entries are computed in the same batches (the same ``search.services`` functions as
the indexer, folding each repeated subject, name and sentence once), and the full-text index
over them is built once at the end (``Backend.bulk_loading``) instead of row by row.
Deterministic: the same scale gives the same documents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.core.textfold import fold_query
from vanphong.documents.models import (
    Assignment,
    AssignmentRole,
    Direction,
    Document,
    DocumentFile,
    DocumentLink,
    DocumentState,
    EntryStatus,
    ExtractionState,
    FileKind,
    LinkKind,
    Register,
    RegisterCounter,
    RegisterEntry,
    RegisterKind,
    Style,
    Urgency,
)
from vanphong.documents.numbering import series_for
from vanphong.documents.services.registering import register_for, registers_provision_defaults
from vanphong.orgs.models import Classification, Organization, OrgKind, Person

SEED_ACTOR = "seed-demo"
FIRST_DAY = dt.date(2025, 11, 1)
DAYS = 365
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


class _Numbers:
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


def _body(rng: random.Random, plan: Plan) -> list[str]:
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


def _days(rng: random.Random, count: int) -> list[dt.date]:
    """``count`` working days of the demo year, sorted."""
    days = []
    while len(days) < count:
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        if day.weekday() < 5:
            days.append(day)
    return sorted(days)


def _plans(
    orgs: dict[str, Organization], subordinates: list[Organization], scale: int, rng: random.Random
) -> Iterator[Plan]:
    """Every document of the demo year, in date order per committee."""
    committee = orgs["tinhuy"]
    senders = _Symbols()
    own = _Symbols()
    weighted = [s for s in _PROVINCE_SENDERS for _ in range(s[3])]
    # Incoming at the Tỉnh ủy.
    for day in _days(rng, PROVINCE_IN * scale):
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
    for day in _days(rng, PROVINCE_OUT * scale):
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
        for day in _days(rng, SUBORDINATE_IN * scale):
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
        for day in _days(rng, SUBORDINATE_OUT * scale):
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


@lru_cache(maxsize=4096)
def _aware(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


_REQUIRED = object()
# Fields whose Python value both drivers take as it is.
_PLAIN_FIELDS = (
    models.AutoField, models.BigAutoField, models.IntegerField, models.CharField, models.TextField,
    models.BooleanField, models.ForeignKey, models.FileField,
)  # fmt: skip


class _Rows:
    """Rows written straight into the tables — PostgreSQL ``COPY``, SQLite ``executemany`` —
    without model instances or the ORM's INSERT compiler, which is what costs the time in
    ``bulk_create`` at a million rows. A row is a dict of column attnames; a column not given
    takes the field's default (``auto_now`` fields: the time of the load).

    Rows that others point at get their primary keys up front (``ids``): on PostgreSQL from
    the table's own sequence (unique whatever else runs), on SQLite after the highest id
    ever given, inside the write transaction (SQLite has one writer at a time)."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.postgres = connection.vendor == "postgresql"
        self._layouts: dict[tuple[type[Model], bool], tuple[str, Callable[[dict], tuple], list[Any]]] = {}
        self._last_id: dict[str, int] = {}

    def ids(self, model: type[Model], count: int) -> list[int]:
        table, pk = model._meta.db_table, model._meta.pk.column
        if count == 0:
            return []
        with self.connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, pk, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self._last_id:
                cursor.execute(
                    f'SELECT MAX(COALESCE(MAX("{pk}"), 0), '  # noqa: S608 (names from our models)
                    f'COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0)) FROM "{table}"',
                    [table],
                )
                self._last_id[table] = cursor.fetchone()[0]
        first = self._last_id[table] + 1
        self._last_id[table] += count
        return list(range(first, first + count))

    def _layout(self, model: type[Model], with_pk: bool) -> tuple[str, Callable[[dict], tuple], list[Any]]:
        key = (model, with_pk)
        if key not in self._layouts:
            ops, now = self.connection.ops, timezone.now()
            fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
            defaults: dict[str, Any] = {}
            adapters: list[Any] = []
            for index, f in enumerate(fields):
                if f.primary_key:
                    defaults[f.attname] = _REQUIRED
                elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    defaults[f.attname] = now
                elif f.has_default() or f.null or f.empty_strings_allowed:
                    defaults[f.attname] = f.get_default()
                else:
                    defaults[f.attname] = _REQUIRED
                if isinstance(f, models.DateField):  # DateTimeField too
                    if not self.postgres:  # sqlite3 stores dates and times as Django's text
                        adapt = (
                            ops.adapt_datetimefield_value
                            if isinstance(f, models.DateTimeField)
                            else ops.adapt_datefield_value
                        )
                        adapters.append((index, lru_cache(maxsize=65536)(adapt)))
                elif not isinstance(f, _PLAIN_FIELDS):  # anything else: as the ORM would save it
                    adapters.append((index, partial(f.get_db_prep_save, connection=self.connection)))
            qn = self.connection.ops.quote_name
            columns = ", ".join(qn(f.column) for f in fields)
            if self.postgres:
                sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
            else:
                marks = ", ".join("?" * len(fields))
                sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
            pick = itemgetter(*[f.attname for f in fields])

            def values(row: dict[str, Any]) -> tuple:
                return pick({**defaults, **row})

            self._layouts[key] = (sql, values, adapters)
        return self._layouts[key]

    def write(self, model: type[Model], rows: list[dict[str, Any]]) -> int:
        if not rows:
            return 0
        sql, values, adapters = self._layout(model, with_pk="id" in rows[0])
        tuples = [values(row) for row in rows]
        if _REQUIRED in tuples[0]:
            raise ValueError(f"{model.__name__}: a required column has no value")
        if adapters:
            tuples = [list(t) for t in tuples]
            for index, adapt in adapters:
                for t in tuples:
                    if t[index] is not None:
                        t[index] = adapt(t[index])
        with self.connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(sql) as copy:
                    for t in tuples:
                        copy.write_row(t)
            else:
                cursor.cursor.executemany(sql, tuples)
        return len(rows)

    def check(self) -> None:
        """Run the foreign key checks PostgreSQL deferred to the commit (Django's foreign keys
        are DEFERRABLE INITIALLY DEFERRED): a million rows would otherwise queue millions of
        pending checks in the server's memory. SQLite counts violations instead of queuing."""
        if self.postgres:
            self.connection.check_constraints()


@dataclass
class _Context:
    registers: dict[tuple[int, str, bool], Register]
    clerks: dict[int, Person | None]
    leaders: dict[int, Person | None]
    agencies: list[Organization]
    central_ids: dict[str, int]
    numbers: _Numbers
    rows: _Rows
    with_text: bool = False


def _register(ctx: _Context, org: Organization, kind: str, classification: int) -> Register:
    key = (org.pk, kind, classification > 0)
    if key not in ctx.registers:
        ctx.registers[key] = register_for(organization=org, kind=kind, classification=classification)
    return ctx.registers[key]


def _pk(person: Person | None) -> int | None:
    return person.pk if person is not None else None


# Folding the demo's texts for the index: subjects, names and sentences repeat, so each is
# folded once (``search.services.fold_parts`` gives the same result as folding the whole).
_fold = lru_cache(maxsize=200_000)(fold_query)


def _search_row(document: dict[str, Any], *, sentences: list[str], now: dt.datetime) -> dict[str, Any]:
    from vanphong.search.services import entry_fields, fold_parts, head_parts, kind_for

    parts = head_parts(
        symbol=document["symbol"],
        doc_type=document["doc_type"],
        style=document["style"],
        subject=document["subject"],
        issuer_name=document["issuer_name"],
        signer_name=document.get("signer_name", ""),
    )
    return {
        "document_id": document["id"],
        **entry_fields(
            organization_id=document["organization_id"],
            kind=kind_for(state=document["state"], original_id=None),
            classification=document["classification"],
            doc_type=document["doc_type"],
            issuer_id=document["issuer_id"],
            state=document["state"],
            issued_date=document["issued_date"],
            created_at=document["created_at"],
            head=fold_parts(parts, fold=_fold),
            body=fold_parts(sentences, fold=_fold),
            indexed_at=now,
        ),
    }


def _write_batch(plans: list[Plan], ctx: _Context, rng: random.Random) -> dict[str, int]:
    from vanphong.search.models import SearchEntry

    rows, now = ctx.rows, timezone.now()
    documents: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = []
    directed: list[tuple[Plan, dict[str, Any]]] = []
    links: list[dict[str, Any]] = []
    files: list[dict[str, Any]] = []
    search_rows: list[dict[str, Any]] = []
    document_ids = rows.ids(Document, len(plans))
    entry_ids = rows.ids(RegisterEntry, len(plans))
    for plan, document_id, entry_id in zip(plans, document_ids, entry_ids, strict=True):
        org = plan.organization
        register = _register(ctx, org, plan.kind, plan.classification)
        series, number = ctx.numbers.take(
            register, doc_type=plan.doc_type, classification=plan.classification, on=plan.day
        )
        incoming = plan.kind == RegisterKind.INCOMING
        document = {
            "id": document_id,
            "organization_id": org.pk,
            "state": DocumentState.RECEIVED if incoming else DocumentState.ISSUED,
            "style": plan.style,
            "doc_type": plan.doc_type,
            "number": None if incoming else number,
            "symbol": plan.symbol if incoming else f"{number:02d}-{plan.doc_type}/{org.abbreviation}",
            "issuer_id": plan.issuer.pk if plan.issuer else None,
            "issuer_name": plan.issuer_name,
            "issued_date": plan.day,
            "issued_place": "Lâm Đồng",
            "subject": plan.subject,
            "signer_name": plan.signer,
            "urgency": plan.urgency,
            "classification": plan.classification,
            "created_by_id": _pk(ctx.clerks.get(org.pk)),
            "created_at": _aware(plan.day),
        }
        documents.append(document)
        leader = ctx.leaders.get(org.pk)
        is_directed = incoming and leader is not None and rng.random() < 0.3
        done = is_directed and plan.day < FIRST_DAY + dt.timedelta(days=DAYS - 45) and rng.random() < 0.8
        if done:
            status = EntryStatus.DONE
        elif is_directed:
            status = EntryStatus.DIRECTED
        else:
            status = EntryStatus.REGISTERED if incoming else EntryStatus.FILED
        entry = {
            "id": entry_id,
            "register_id": register.pk,
            "organization_id": org.pk,
            "document_id": document_id,
            "series": series,
            "number": number,
            "classification": plan.classification,
            "status": status,
            "processed_at": _aware(plan.day + dt.timedelta(days=20), 16) if done else None,
            "received_at": _aware(plan.day + dt.timedelta(days=rng.randint(0, 2)), 9) if incoming else None,
            "registered_at": _aware(plan.day + dt.timedelta(days=rng.randint(0, 2)), 10),
            "registered_by_id": _pk(ctx.clerks.get(org.pk)),
            "channel": rng.choice(("điện tử", "điện tử", "giấy", "liên thông")) if incoming else "nội bộ",
        }
        entries.append(entry)
        if is_directed:
            directed.append((plan, entry))
        if plan.cites is not None:
            cites = plan.cites
            links.append(
                {
                    "source_id": document_id,
                    "target_id": ctx.central_ids.get(cites.symbol),
                    "kind": LinkKind.REFERENCES,
                    "symbol": cites.symbol,
                    "doc_type": cites.doc_type,
                    "referenced_date": cites.date,
                    "quote": f"{'Chỉ thị' if cites.doc_type == 'CT' else 'Nghị quyết'} số {cites.symbol}, "
                    f"ngày {cites.date:%d/%m/%Y}",
                    "created_at": now,
                }
            )
        sentences = _body(rng, plan) if ctx.with_text else []
        if sentences:
            text = "\n".join(sentences)
            files.append(
                {
                    "document_id": document_id,
                    "kind": FileKind.ORIGINAL,
                    "file": f"demo/{document_id}.txt",  # no bytes behind it: benchmark data only
                    "original_name": f"{document_id}.txt",
                    "content_type": "text/plain",
                    "size": len(text.encode()),
                    "sha256": hashlib.sha256(text.encode()).hexdigest(),
                    "extraction": ExtractionState.DONE,
                    "text": text,
                    "uploaded_at": document["created_at"],
                }
            )
        search_rows.append(_search_row(document, sentences=sentences, now=now))

    direction_ids = rows.ids(Direction, len(directed))
    directions: list[dict[str, Any]] = []
    assignments: list[dict[str, Any]] = []
    for (plan, entry), direction_id in zip(directed, direction_ids, strict=True):
        org = plan.organization
        unit = rng.choice(ctx.agencies) if org.pk == ctx.agencies[0].parent_id else None
        text = (
            f"Giao {unit.name} chủ trì, tham mưu triển khai; báo cáo kết quả trước ngày "
            f"{plan.day + dt.timedelta(days=30):%d/%m/%Y}."
            if unit
            else "Giao Văn phòng Đảng ủy tham mưu triển khai, báo cáo Thường trực."
        )
        directions.append(
            {
                "id": direction_id,
                "entry_id": entry["id"],
                "author_id": _pk(ctx.leaders[org.pk]),
                "text": text,
                "given_at": _aware(plan.day, 15),
            }
        )
        assignments.append(
            {
                "direction_id": direction_id,
                "entry_id": entry["id"],
                "role": AssignmentRole.LEAD,
                "organization_id": (unit or org).pk,
                "due_date": plan.day + dt.timedelta(days=30),
                "created_at": _aware(plan.day, 15),
            }
        )

    rows.write(Document, documents)
    rows.write(RegisterEntry, entries)
    rows.write(Direction, directions)
    rows.write(Assignment, assignments)
    rows.write(DocumentLink, links)
    rows.write(DocumentFile, files)
    rows.write(SearchEntry, search_rows)
    rows.check()
    return {
        "documents": len(documents),
        "entries": len(entries),
        "directions": len(directions),
        "links": len(links),
    }


def _central_documents(ctx: _Context, committee: Organization, centre: Organization) -> int:
    """The central documents the demo year cites, registered at the Tỉnh ủy first, so that
    every citation links to its document."""
    from vanphong.search.models import SearchEntry

    rows, now = ctx.rows, timezone.now()
    register = _register(ctx, committee, RegisterKind.INCOMING, 0)
    centrals = sorted(CENTRAL, key=lambda c: c.date)
    document_ids = rows.ids(Document, len(centrals))
    documents, entries, search_rows = [], [], []
    for central, document_id in zip(centrals, document_ids, strict=True):
        document = {
            "id": document_id,
            "organization_id": committee.pk,
            "state": DocumentState.RECEIVED,
            "style": Style.PARTY,
            "doc_type": central.doc_type,
            "number": central.number,
            "symbol": central.symbol,
            "issuer_id": centre.pk,
            "issuer_name": central.issuer_name,
            "issued_date": central.date,
            "issued_place": "Hà Nội",
            "subject": central.subject,
            "classification": Classification.NONE,
            "created_at": _aware(FIRST_DAY),
            "created_by_id": _pk(ctx.clerks.get(committee.pk)),
        }
        documents.append(document)
        series, number = ctx.numbers.take(register, doc_type=central.doc_type, classification=0, on=FIRST_DAY)
        entries.append(
            {
                "register_id": register.pk,
                "organization_id": committee.pk,
                "document_id": document_id,
                "series": series,
                "number": number,
                "status": EntryStatus.FILED,
                "received_at": _aware(FIRST_DAY),
                "registered_at": _aware(FIRST_DAY),
                "registered_by_id": _pk(ctx.clerks.get(committee.pk)),
                "channel": "điện tử",
            }
        )
        search_rows.append(_search_row(document, sentences=[], now=now))
        ctx.central_ids[central.symbol] = document_id
    rows.write(Document, documents)
    rows.write(RegisterEntry, entries)
    rows.write(SearchEntry, search_rows)
    return len(documents)


@contextmanager
def _sqlite_cache(connection: BaseDatabaseWrapper, kib: int) -> Iterator[None]:
    """A larger page cache for SQLite while loading (the default 2 MB makes a large
    transaction spill to the WAL page by page); put back afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def seed_documents(
    *,
    scale: int = 1,
    progress: Callable[[int], None] | None = None,
    seed: int = 2026,
    with_text: bool = False,
) -> dict[str, int]:
    """Write the demo year (× ``scale``) for the demo province built by ``orgs.demo``, in
    one transaction: all of it or nothing. ``with_text`` adds a file record with a few
    paragraphs of extracted text to every document (the benchmark's data: the record has
    no bytes behind it). ``progress`` is called with the number of documents written
    after every batch."""
    from vanphong.search.backends import backend_for

    rng = random.Random(seed)  # noqa: S311 (demo data, not secrets)
    hosted = Organization.objects.filter(hosted=True, active=True).order_by("path")
    orgs = {o.slug or o.abbreviation.lower(): o for o in Organization.objects.all()}
    committee = Organization.objects.get(slug="tinhuy")
    external = {
        key: Organization.objects.get(hosted=False, abbreviation=abbreviation)
        for key, abbreviation in (
            ("tw", "TW"), ("vptw", "VPTW"), ("ubnd", "UBND"), ("mttq", "MTTQ"), ("cat", "CAT"),
        )
    }  # fmt: skip
    orgs.update(external)
    orgs["tinhuy"] = committee
    subordinates = [o for o in hosted if o.parent_id == committee.pk and o.kind == OrgKind.COMMITTEE]
    agencies = [o for o in hosted if o.parent_id == committee.pk and o.kind == OrgKind.AGENCY]

    people = (
        Person.objects.filter(user__username__in=["vanthu", "bithu"])
        | Person.objects.filter(user__username__startswith="vanthu.")
        | Person.objects.filter(user__username__startswith="bithu.")
    )
    by_username = {p.user.username: p for p in people.select_related("user")}
    clerks = {committee.pk: by_username.get("vanthu")}
    leaders = {committee.pk: by_username.get("bithu")}
    for sub in subordinates:
        clerks[sub.pk] = by_username.get(f"vanthu.{sub.slug}")
        leaders[sub.pk] = by_username.get(f"bithu.{sub.slug}")
    counts = {"documents": 0, "entries": 0, "directions": 0, "links": 0}

    with transaction.atomic(), _sqlite_cache(connection, 256 * 1024):
        registers_provision_defaults(organization=committee, term_start=TERM_STARTS["committee"])
        for org in [*agencies, *subordinates]:
            start = TERM_STARTS["subordinate"] if org.kind == OrgKind.COMMITTEE else None
            registers_provision_defaults(organization=org, term_start=start)
        numbers = _Numbers()
        # Go on from any number already taken, so that none is ever given twice.
        numbers.last.update({(c.register_id, c.series): c.last_number for c in RegisterCounter.objects.all()})
        ctx = _Context(
            registers={},
            clerks=clerks,
            leaders=leaders,
            agencies=agencies,
            central_ids={},
            numbers=numbers,
            rows=_Rows(connection),
            with_text=with_text,
        )
        with backend_for(connection).bulk_loading(connection):
            central = _central_documents(ctx, committee, external["tw"])
            counts["documents"] += central
            counts["entries"] += central
            batch: list[Plan] = []
            for plan in _plans(orgs, subordinates, scale, rng):
                batch.append(plan)
                if len(batch) >= BATCH:
                    for key, value in _write_batch(batch, ctx, rng).items():
                        counts[key] += value
                    batch = []
                    if progress:
                        progress(counts["documents"])
            for key, value in _write_batch(batch, ctx, rng).items():
                counts[key] += value
        RegisterCounter.objects.bulk_create(
            [
                RegisterCounter(register_id=register_id, series=series, last_number=last)
                for (register_id, series), last in numbers.last.items()
            ],
            update_conflicts=True,
            unique_fields=["register", "series"],
            update_fields=["last_number"],
        )
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner: a million rows it has never sampled would
            # otherwise be planned as an empty table until autovacuum comes round.
            with connection.cursor() as cursor:
                tables = [m._meta.db_table for m in (Document, RegisterEntry, Direction, Assignment)]
                tables += [DocumentLink._meta.db_table, DocumentFile._meta.db_table, "search_searchentry"]
                cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        audit_record(
            actor=None,
            actor_username=SEED_ACTOR,
            action="demo.seed_documents",
            after={**counts, "scale": scale},
        )
    if progress:
        progress(counts["documents"])
    return counts


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def summary(counts: dict[str, Any]) -> str:
    return (
        f"{_n(counts['documents'])} văn bản, {_n(counts['entries'])} mục sổ, "
        f"{_n(counts['directions'])} ý kiến chỉ đạo, {_n(counts['links'])} dẫn chiếu"
    )
