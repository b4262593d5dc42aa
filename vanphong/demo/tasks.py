"""Demo tasks for the demo province (``orgs.demo``), in two modes.

**The demo** (``seed_tasks(today=...)``): a few hundred tasks of a provincial Party
committee's year, each given and carried through *the services* — so the history events,
the tally, the audit trail, the roll-up of subtasks and the recurring series are exactly
what real use would leave:

* tasks born of the leaders' directions on incoming documents (the seeded directions and
  their assignments when ``documents.demo`` ran, whose ``task_id`` is then filled; else tasks
  linked to the incoming documents; else with a readable source only);
* the conclusions of the Standing Committee's meetings (Thông báo kết luận), several tasks
  each, with cooperating organisations;
* two action programmes implementing central resolutions, broken down into tasks and
  subtasks (the parent's progress rolls up);
* monthly, quarterly and half-yearly report requests as recurring series, their
  occurrences made by ``series_generate`` as the daily job would have made them;
* a few petitions (đơn thư), some classified, and tasks given by hand.

They are spread over the past year and the coming months and end in every state: done on
time or late (most confirmed), overdue, due soon, not yet due, in progress with reports,
extended (the original due date kept), extension refused or pending, returned, cancelled.
The services stamp events with the present time; the demo then moves each event (and the
task's ``created_at`` … ``confirmed_at``, the extension request's dates) to the day the story
puts it on, so that histories read naturally. The audit trail is left as written: it records
that the seed ran now.

**Bulk** (``seed_tasks(scale=N)``, ``N ≥ 1``: ``N × 2,000`` tasks, so 1,000 gives two million):
for load tests and the benchmark. Rows are written directly — PostgreSQL ``COPY`` (psycopg
``cursor.copy``) or ``bulk_create`` in large batches, whichever ``method`` says (COPY is the
default on PostgreSQL, measured faster) — with a lead ``TaskParty`` row for every task and
cooperating organisations on about a quarter of them, realistic outcomes and due dates
(about 5% still open), ``effective_due`` from the working-day calendar, and then one
``tally.recount()``. No service runs per row, so bulk tasks have **no history events, no
audit entries and no notifications**; one audit entry records the load.

Both refuse (``TasksExist``) when the database already holds tasks, unless ``force``.
Deterministic: the same ``seed``, ``today`` and data give the same tasks.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from vanphong.audit.services import audit_record
from vanphong.orgs.models import Classification, Organization, OrgKind, Person, Unit
from vanphong.tasks import services, tally
from vanphong.tasks.access import may_backdate, may_work
from vanphong.tasks.calendar import WorkCalendar, due_soon_until
from vanphong.tasks.models import (
    ExtensionRequest,
    Frequency,
    Outcome,
    PartyRole,
    Priority,
    SourceKind,
    Task,
    TaskEvent,
    TaskParty,
    TaskSeries,
    TaskState,
    TaskTally,
)
from vanphong.tasks.services import TaskSource

SEED_ACTOR = "seed-demo"
TASKS_PER_SCALE = 2000
MAX_SCALE = 1000
BULK_BATCH = 20_000
BULK_SPAN_DAYS = 3 * 365  # bulk tasks were given over the last three years
DEMO_SPAN_DAYS = 365


class TasksExist(Exception):
    """The database already holds tasks: seeding again would duplicate them."""


class NoDemoProvince(Exception):
    """The demo province (``vanphong seed-demo``) is not in the database."""


# --- The cast ----------------------------------------------------------------------------------

# Agency key → (head, specialist) usernames in ``orgs.demo``.
AGENCY_PEOPLE = {
    "vptu": ("chanhvp", "chuyenvien"),
    "btctu": ("truongban.btc", "cv.btc"),
    "btgdvtu": ("truongban.btgdv", "cv.btgdv"),
    "ubkttu": ("truongban.ubkt", "cv.ubkt"),
    "bnctu": ("truongban.bnc", "cv.bnc"),
    "bcscltu": ("truongban.bcscl", "cv.bcscl"),
}
# Heads of the Văn phòng's units, by unit abbreviation.
OFFICE_UNIT_HEADS = {
    "TH": "truongphong.th",
    "HCLT": "truongphong.hclt",
    "TCQT": "truongphong.tcqt",
    "CY-CNTT": "truongphong.cntt",
    "ĐV": "truongphong.dv",
}
PROVINCE_LEADERS = ("bithu", "thuongtruc", "phobithu1", "phobithu2")


@dataclass
class Cast:
    """The demo province as the tasks need it: organisations by key ("tinhuy", "vptu",
    "btctu" … and the communes' slugs), units by (organisation key, abbreviation), people."""

    committee: Organization
    orgs: dict[str, Organization]
    units: dict[tuple[str, str], Unit]
    people: dict[str, Person]
    agencies: list[str]
    communes: list[str]

    @classmethod
    def load(cls) -> Cast:
        committee = Organization.objects.filter(slug="tinhuy").first()
        if committee is None:
            raise NoDemoProvince(
                "Chưa có dữ liệu mẫu Tỉnh ủy Lâm Đồng: "
                "hãy chạy `vanphong seed-demo` trước khi tạo nhiệm vụ mẫu."
            )
        orgs: dict[str, Organization] = {"tinhuy": committee}
        agencies, communes = [], []
        hosted = Organization.objects.filter(parent=committee, hosted=True, active=True).order_by(
            "order", "pk"
        )
        for org in hosted:
            key = org.slug or org.abbreviation.lower()
            orgs[key] = org
            (agencies if org.kind == OrgKind.AGENCY else communes).append(key)
        by_pk = {o.pk: k for k, o in orgs.items()}
        units = {
            (by_pk[u.organization_id], u.abbreviation): u
            for u in Unit.objects.filter(organization__in=orgs.values(), active=True)
        }
        people = {
            p.user.username: p
            for p in Person.objects.filter(organization__in=orgs.values(), user__isnull=False).select_related(
                "user", "unit", "organization"
            )
        }
        missing = [u for u in ("bithu", "chanhvp", *AGENCY_PEOPLE["btctu"]) if u not in people]
        if missing or not communes or "vptu" not in orgs:
            raise NoDemoProvince(
                "Dữ liệu tổ chức, cán bộ mẫu không đầy đủ: hãy tạo lại bằng `vanphong seed-demo`."
            )
        return cls(committee, orgs, units, people, agencies, communes)

    def person(self, username: str) -> Person | None:
        return self.people.get(username)

    def head_of(self, key: str) -> Person:
        """Who signs for an organisation: its head (the Bí thư of a commune)."""
        if key == "tinhuy":
            return self.people["bithu"]
        if key in AGENCY_PEOPLE:
            return self.people.get(AGENCY_PEOPLE[key][0]) or self.people["chanhvp"]
        return self.people.get(f"bithu.{key}") or self.people["bithu"]

    def staff_of(self, key: str) -> Person:
        """Who writes the progress reports: a specialist (the commune's văn thư)."""
        if key in AGENCY_PEOPLE:
            return self.people.get(AGENCY_PEOPLE[key][1]) or self.head_of(key)
        return self.people.get(f"vanthu.{key}") or self.head_of(key)

    def key_of(self, org_id: int) -> str:
        for key, org in self.orgs.items():
            if org.pk == org_id:
                return key
        return "tinhuy"


# --- Words -------------------------------------------------------------------------------------

TOPICS = (
    "chuyển đổi số trong các cơ quan đảng",
    "công tác xây dựng Đảng và hệ thống chính trị",
    "công tác cán bộ",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
    "phòng, chống tham nhũng, lãng phí, tiêu cực",
    "công tác dân vận",
    "bảo vệ nền tảng tư tưởng của Đảng",
    "phát triển du lịch gắn với bảo tồn văn hóa",
    "phòng, chống thiên tai, sạt lở đất mùa mưa bão",
    "xây dựng nông thôn mới",
    "phát triển cây cà phê bền vững",
    "giảm nghèo bền vững vùng đồng bào dân tộc thiểu số",
    "cải cách hành chính",
    "sắp xếp đơn vị hành chính cấp xã",
    "kết nạp đảng viên mới",
    "công tác bảo vệ bí mật nhà nước",
    "phát triển hạ tầng giao thông",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
)

# Items a Standing Committee meeting concludes on: (title, lead, cooperating). Leads and
# cooperating are organisation keys, "unit:<org>:<abbr>", or "commune" (one picked per meeting).
CONCLUSION_ITEMS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Tham mưu Ban Thường vụ Tỉnh ủy ban hành kế hoạch kiện toàn tổ chức bộ máy các cơ quan "
        "tham mưu, giúp việc Tỉnh ủy sau hợp nhất",
        "btctu",
        ("vptu",),
    ),
    (
        "Rà soát, bổ sung quy hoạch cán bộ lãnh đạo, quản lý diện Ban Thường vụ Tỉnh ủy quản lý "
        "nhiệm kỳ 2025 - 2030",
        "btctu",
        ("ubkttu",),
    ),
    (
        "Xây dựng Đề án chuyển đổi số trong các cơ quan đảng của tỉnh giai đoạn 2026 - 2030",
        "unit:vptu:CY-CNTT",
        ("btctu", "bcscltu"),
    ),
    (
        "Tổ chức các hoạt động tuyên truyền kỷ niệm 97 năm Ngày thành lập Đảng Cộng sản Việt Nam",
        "btgdvtu",
        ("vptu",),
    ),
    ("Kiểm tra việc thực hiện Quy chế làm việc của Ban Chấp hành Đảng bộ", "ubkttu", ("commune",)),
    ("Giám sát chuyên đề việc kê khai tài sản, thu nhập năm 2026", "ubkttu", ("btctu",)),
    ("Tham mưu xử lý dứt điểm vụ việc khiếu nại đông người liên quan đến đất đai", "bnctu", ("commune",)),
    (
        "Đôn đốc tiến độ xử lý các vụ án, vụ việc tham nhũng, tiêu cực thuộc diện Ban Chỉ đạo tỉnh theo dõi",
        "bnctu",
        (),
    ),
    (
        "Nghiên cứu, đề xuất cơ chế, chính sách phát triển cây cà phê bền vững gắn với chế biến sâu",
        "bcscltu",
        ("commune",),
    ),
    (
        "Tham mưu sơ kết một năm thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị",
        "bcscltu",
        ("vptu",),
    ),
    (
        "Chuẩn bị nội dung, tài liệu Hội nghị Ban Chấp hành Đảng bộ tỉnh cuối năm",
        "unit:vptu:TH",
        ("btctu", "btgdvtu"),
    ),
    (
        "Chỉ đạo khắc phục hậu quả sạt lở đất, ổn định đời sống Nhân dân vùng bị ảnh hưởng",
        "commune",
        ("bcscltu",),
    ),
    (
        "Hoàn thành việc bố trí, sử dụng trụ sở làm việc, tài sản công dôi dư sau sắp xếp đơn vị hành chính",
        "commune",
        ("unit:vptu:TCQT",),
    ),
    ("Rà soát, hoàn thiện hồ sơ kết nạp đảng viên là người đồng bào dân tộc thiểu số", "commune", ("btctu",)),
    ("Tổ chức hội nghị đối thoại giữa người đứng đầu cấp ủy với Nhân dân", "commune", ("btgdvtu",)),
    (
        "Xây dựng kế hoạch thực hiện Chỉ thị số 45-CT/TW về đại hội đảng bộ các cấp tiến tới Đại hội XIV",
        "btctu",
        (),
    ),
    (
        "Tăng cường công tác bảo vệ bí mật nhà nước trong các cơ quan đảng",
        "unit:vptu:CY-CNTT",
        ("bnctu",),
    ),
    ("Tham mưu tổng kết công tác dân vận năm 2026, phương hướng năm 2027", "btgdvtu", ()),
    (
        "Đánh giá tình hình tư tưởng cán bộ, đảng viên sau sắp xếp tổ chức bộ máy",
        "btgdvtu",
        ("btctu",),
    ),
    (
        "Thẩm định Đề án phát triển du lịch gắn với bảo tồn văn hóa các dân tộc",
        "bcscltu",
        ("btgdvtu",),
    ),
    (
        "Rà soát các quy chế, quy định của Tỉnh ủy đã hết hiệu lực, đề xuất sửa đổi, bổ sung",
        "unit:vptu:TH",
        ("bnctu", "btctu"),
    ),
)

# Action programmes: (title, central document symbol, [(item, lead, [(subtask, lead)])]).
PROGRAMMES: tuple[tuple[str, str, tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]], ...] = (
    (
        "Chương trình hành động của Tỉnh ủy thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị về đột phá "
        "phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia",
        "57-NQ/TW",
        (
            (
                "Số hóa hồ sơ, tài liệu lưu trữ của các cơ quan đảng",
                "vptu",
                (
                    ("Số hóa hồ sơ lưu trữ giai đoạn 2015 - 2020", "unit:vptu:HCLT"),
                    ("Số hóa hồ sơ lưu trữ giai đoạn 2021 - 2025", "unit:vptu:HCLT"),
                    ("Xây dựng kho dữ liệu số, bảo đảm an toàn thông tin", "unit:vptu:CY-CNTT"),
                ),
            ),
            (
                "Triển khai văn phòng số dùng chung đến các đảng ủy cấp xã",
                "unit:vptu:CY-CNTT",
                (
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                    ("Triển khai văn phòng số tại {commune}", "commune"),
                ),
            ),
            (
                "Bồi dưỡng kỹ năng số cho cán bộ, đảng viên",
                "btctu",
                (
                    ("Mở lớp bồi dưỡng kỹ năng số đợt 1 cho cán bộ cơ quan đảng tỉnh", "btctu"),
                    ("Mở lớp bồi dưỡng kỹ năng số đợt 2 cho cán bộ cấp xã", "btctu"),
                ),
            ),
            (
                "Tuyên truyền về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
                "btgdvtu",
                (
                    ("Xây dựng chuyên mục chuyển đổi số trên Cổng thông tin điện tử Đảng bộ tỉnh", "btgdvtu"),
                    ("Tổ chức cuộc thi tìm hiểu về chuyển đổi số trong cán bộ, đảng viên", "btgdvtu"),
                ),
            ),
        ),
    ),
    (
        "Kế hoạch của Ban Thường vụ Tỉnh ủy thực hiện Nghị quyết số 68-NQ/TW của Bộ Chính trị về phát "
        "triển kinh tế tư nhân",
        "68-NQ/TW",
        (
            (
                "Rà soát, đề xuất tháo gỡ khó khăn, vướng mắc cho doanh nghiệp tư nhân",
                "bcscltu",
                (
                    ("Khảo sát khó khăn của doanh nghiệp tư nhân tại {commune}", "commune"),
                    ("Khảo sát khó khăn của doanh nghiệp tư nhân tại {commune}", "commune"),
                ),
            ),
            (
                "Phát triển tổ chức đảng, đảng viên trong doanh nghiệp tư nhân",
                "btctu",
                (("Hướng dẫn thành lập chi bộ trong doanh nghiệp tư nhân", "unit:btctu:TCĐ-ĐV"),),
            ),
            (
                "Tuyên truyền, tôn vinh doanh nhân, doanh nghiệp tiêu biểu",
                "btgdvtu",
                (),
            ),
        ),
    ),
)

# Recurring report requests: (title, frequency, day, lead, cooperating).
SERIES: tuple[tuple[str, int, int, str, tuple[str, ...]], ...] = (
    (
        "Báo cáo tổng hợp tình hình thực hiện các kết luận, ý kiến chỉ đạo của Thường trực Tỉnh ủy",
        Frequency.MONTHLY,
        25,
        "unit:vptu:TH",
        (),
    ),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:0", ()),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:3", ()),
    ("Báo cáo tình hình thực hiện nhiệm vụ công tác tháng", Frequency.MONTHLY, 20, "commune:6", ()),
    ("Báo cáo kết quả công tác kiểm tra, giám sát quý", Frequency.QUARTERLY, 15, "ubkttu", ()),
    (
        "Báo cáo tình hình an ninh chính trị, trật tự an toàn xã hội và công tác nội chính quý",
        Frequency.QUARTERLY,
        10,
        "bnctu",
        ("btgdvtu",),
    ),
    ("Báo cáo sơ kết 6 tháng công tác xây dựng Đảng", Frequency.HALF_YEARLY, 15, "btctu", ("vptu",)),
)

PETITIONS: tuple[tuple[str, str, int], ...] = (
    (
        "Giải quyết đơn của ông Nguyễn Văn Tâm phản ánh việc cấp giấy chứng nhận quyền sử dụng đất chậm",
        "commune",
        Classification.NONE,
    ),
    (
        "Xác minh đơn tố cáo cán bộ, đảng viên vi phạm quy định về những điều đảng viên không được làm",
        "ubkttu",
        Classification.MAT,
    ),
    (
        "Giải quyết đơn kiến nghị của hộ dân về bồi thường, hỗ trợ giải phóng mặt bằng dự án giao thông",
        "bnctu",
        Classification.NONE,
    ),
    (
        "Xem xét đơn phản ánh của bà Lê Thị Hoa về việc thu các khoản đóng góp tại thôn",
        "commune",
        Classification.NONE,
    ),
    (
        "Xác minh nội dung đơn tố cáo liên quan đến công tác cán bộ",
        "ubkttu",
        Classification.MAT,
    ),
    (
        "Trả lời kiến nghị của cử tri về sạt lở bờ suối gây ảnh hưởng đến nhà ở",
        "commune",
        Classification.NONE,
    ),
    (
        "Tiếp nhận, chuyển đơn khiếu nại đông người về tranh chấp đất rẫy đến cơ quan có thẩm quyền",
        "unit:bnctu:TCD",
        Classification.NONE,
    ),
    (
        "Xác minh đơn phản ánh về việc kê khai tài sản, thu nhập không trung thực",
        "ubkttu",
        Classification.TOI_MAT,
    ),
)

# Tasks the Văn phòng gives by hand: (title, lead, days to due, fate) — one for each status.
SHOWCASE: tuple[tuple[str, str, int, int, str], ...] = (
    # (title, lead, assigned days ago, due in days from today, fate)
    ("Chuẩn bị tài liệu phục vụ hội nghị Ban Thường vụ Tỉnh ủy tháng này", "unit:vptu:TH", 12, 0, "open"),
    ("Tổng hợp ý kiến góp ý dự thảo Quy chế làm việc của Tỉnh ủy", "unit:vptu:TH", 20, 2, "open"),
    (
        "Rà soát danh mục hồ sơ nộp lưu vào Lưu trữ lịch sử năm 2026",
        "unit:vptu:HCLT",
        40,
        -9,
        "overdue",
    ),
    ("Kiểm tra an toàn thông tin mạng nội bộ các cơ quan đảng", "unit:vptu:CY-CNTT", 60, -30, "late"),
    (
        "Lập dự toán kinh phí hoạt động năm 2027 của các cơ quan đảng tỉnh",
        "unit:vptu:TCQT",
        70,
        -25,
        "on_time",
    ),
    ("Chuẩn bị chương trình làm việc với đoàn công tác của Trung ương", "unit:vptu:TH", 30, -5, "cancel"),
    ("Xây dựng Quy chế quản lý, sử dụng chữ ký số trong cơ quan", "unit:vptu:CY-CNTT", 45, -3, "extend_open"),
    ("Hoàn thiện hồ sơ thi đua, khen thưởng năm 2026 của Văn phòng", "unit:vptu:ĐV", 35, 10, "return_open"),
    ("Xây dựng kế hoạch công tác năm 2027 của Văn phòng Tỉnh ủy", "unit:vptu:TH", 6, 40, "open"),
    ("Tổng kết công tác văn thư, lưu trữ năm 2026", "unit:vptu:HCLT", 15, 55, "early"),
)

PROGRESS_TEXTS = (
    "Đã xây dựng kế hoạch triển khai, phân công cán bộ phụ trách.",
    "Đã tổ chức họp triển khai với các cơ quan phối hợp.",
    "Đang tổng hợp số liệu, xây dựng dự thảo báo cáo.",
    "Đã hoàn thành dự thảo, đang lấy ý kiến các cơ quan liên quan.",
    "Đã tiếp thu ý kiến góp ý, hoàn chỉnh dự thảo trình lãnh đạo.",
    "Đã khảo sát thực tế tại cơ sở, đang tổng hợp kết quả.",
    "Đang phối hợp với các cơ quan liên quan xác minh, làm rõ nội dung.",
)
RESULT_TEXTS = (
    "Đã hoàn thành, báo cáo kết quả bằng văn bản.",
    "Đã tham mưu ban hành văn bản triển khai; báo cáo kết quả thực hiện.",
    "Đã hoàn thành các nội dung được giao, gửi báo cáo về Văn phòng Tỉnh ủy.",
    "Đã tổ chức thực hiện xong; kết quả được tổng hợp trong báo cáo định kỳ.",
)
EXTENSION_REASONS = (
    "Nội dung phức tạp, cần thêm thời gian lấy ý kiến các cơ quan liên quan.",
    "Chờ số liệu từ các đảng ủy cấp xã để tổng hợp.",
    "Trùng thời điểm chuẩn bị hội nghị, đề nghị lùi thời hạn.",
)
RETURN_REASONS = (
    "Báo cáo chưa đủ số liệu so sánh cùng kỳ, đề nghị bổ sung.",
    "Chưa nêu rõ kết quả cụ thể, đề nghị hoàn chỉnh lại.",
)
CANCEL_REASONS = (
    "Nội dung đã được lồng ghép vào nhiệm vụ khác.",
    "Không còn phù hợp sau sắp xếp tổ chức bộ máy.",
)
FATES = (
    "on_time",
    "late",
    "overdue",
    "open",
    "early",
    "cancel",
    "extend_done",
    "extend_open",
    "return_done",
    "return_open",
)


def _aware(day: dt.date, hour: int = 8, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(min(hour, 23), minute)))


# --- The demo through the services ------------------------------------------------------------


@dataclass
class _Story:
    """Gives and plays out the demo tasks, each step through a service, and puts each step
    on the day the story says it happened."""

    cast: Cast
    today: dt.date
    rng: random.Random
    calendar: WorkCalendar
    soon_until: dt.date
    tasks: list[Task] = field(default_factory=list)
    _hour: dict[int, int] = field(default_factory=dict)

    # --- plumbing

    def _stamp(self, task: Task, day: dt.date) -> dt.datetime:
        """A time on ``day`` later than the task's previous steps on the same day."""
        step = self._hour.get(task.pk, 0) + 1
        self._hour[task.pk] = step
        return _aware(day, 8) + dt.timedelta(minutes=7 * step)

    def _last_event(self) -> int:
        return TaskEvent.objects.aggregate(m=Max("id"))["m"] or 0

    def _backdate(self, task: Task, since: int, day: dt.date, **task_fields: str) -> dt.datetime:
        when = self._stamp(task, day)
        TaskEvent.objects.filter(id__gt=since).update(at=when)
        if task_fields:
            Task.objects.filter(pk=task.pk).update(**{f: when for f in task_fields})
        return when

    def target(self, spec: str, commune: str | None = None) -> Organization | Unit | Person:
        if spec.startswith("unit:"):
            _prefix, org, abbreviation = spec.split(":", 2)
            return self.cast.units[(org, abbreviation)]
        if spec == "commune":
            return self.cast.orgs[commune or self.rng.choice(self.cast.communes)]
        if spec.startswith("commune:"):
            communes = self.cast.communes
            return self.cast.orgs[communes[int(spec.split(":")[1]) % len(communes)]]
        return self.cast.orgs[spec]

    def _lead_key(self, task: Task) -> str:
        return self.cast.key_of(task.lead_organization_id)

    def _cleared(self, task: Task, *candidates: Person | None) -> Person:
        """The first candidate cleared for the task's classification (else the Bí thư)."""
        for person in candidates:
            if person is not None and person.clearance >= task.classification:
                return person
        return self.cast.people["bithu"]

    def doer(self, task: Task, *, head: bool) -> Person:
        if task.lead_person_id:
            return task.lead_person  # type: ignore[return-value]
        key = self._lead_key(task)
        head_person = self.cast.head_of(key)
        if key == "vptu" and task.lead_unit_id:
            unit_head = OFFICE_UNIT_HEADS.get(task.lead_unit.abbreviation)  # type: ignore[union-attr]
            head_person = self.cast.people.get(unit_head or "", head_person)
        if head:
            return self._cleared(task, head_person)
        return self._cleared(task, self.cast.staff_of(key), head_person)

    def manager(self, task: Task) -> Person:
        key = self.cast.key_of(task.organization_id)
        if key == "tinhuy":
            return self._cleared(task, self.cast.people.get("phochanhvp1"), self.cast.people["chanhvp"])
        return self._cleared(task, self.cast.head_of(key))

    def between(self, low: dt.date, high: dt.date) -> dt.date:
        if high <= low:
            return low
        return low + dt.timedelta(days=self.rng.randint(0, (high - low).days))

    # --- giving

    def give(
        self,
        *,
        actor: Person,
        organization: Organization,
        title: str,
        lead: Any,
        assigned_on: dt.date,
        due: dt.date | None,
        cooperating: list[Any] | None = None,
        **fields: Any,
    ) -> Task:
        since = self._last_event()
        task = services.task_create(
            actor=actor.user,
            organization=organization,
            title=title,
            lead=lead,
            cooperating=cooperating or [],
            due_date=due,
            assigned_on=assigned_on,
            calendar=self.calendar,
            **fields,
        )
        self._backdate(task, since, assigned_on, created_at="created_at")
        self.tasks.append(task)
        return task

    # --- the steps

    def accept(self, task: Task, day: dt.date) -> None:
        if task.state != TaskState.ASSIGNED:
            return
        since = self._last_event()
        services.task_accept(actor=self.doer(task, head=False).user, task=task)
        self._backdate(task, since, day, accepted_at="accepted_at")

    def report(self, task: Task, day: dt.date, percent: int | None) -> None:
        since = self._last_event()
        has_children = task.children.exclude(outcome=Outcome.CANCELLED).exists()
        services.task_report_progress(
            actor=self.doer(task, head=False).user,
            task=task,
            text=self.rng.choice(PROGRESS_TEXTS),
            percent=None if has_children else percent,
        )
        self._backdate(task, since, day)

    def progress(self, task: Task, start: dt.date, end: dt.date, reports: int) -> None:
        """``reports`` progress reports between ``start`` and ``end``, percents rising from
        the task's present progress (none past 90: 100% is a completion)."""
        if reports <= 0 or end < start:
            return
        above = list(range(task.progress // 10 * 10 + 10, 100, 10))
        percents: list[int | None] = sorted(self.rng.sample(above, min(reports, len(above))))  # type: ignore[assignment]
        percents += [None] * (reports - len(percents))
        days = sorted(self.between(start, end) for _ in percents)
        for day, percent in zip(days, percents, strict=True):
            self.report(task, day, percent)

    def completer(self, task: Task, day: dt.date) -> tuple[Person, str]:
        """Who reports the completion, and how. On the day itself, the lead. A completion
        dated earlier is recorded by the assigner's side from the lead's report (the services
        let no doer date their own completion back): the first of the manager, the issuing
        leader, the giver's head and the Bí thư who may both work on and backdate the task."""
        text = self.rng.choice(RESULT_TEXTS)
        doer = self.doer(task, head=True)
        if day >= timezone.localdate():
            return doer, text
        candidates = [
            self.manager(task),
            task.issued_by,
            self.cast.head_of(self.cast.key_of(task.organization_id)),
        ]
        for person in [*candidates, self.cast.people["bithu"]]:
            if (
                person is not None
                and person.clearance >= task.classification
                and may_work(person.user, task)
                and may_backdate(person.user, task)
            ):
                lead = task.lead_person or task.lead_unit or task.lead_organization
                return person, f"Ghi nhận theo báo cáo của {lead}: {text[0].lower()}{text[1:]}"
        return doer, text

    def complete(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        person, text = self.completer(task, day)
        services.task_complete(actor=person.user, task=task, text=text, on=day)
        self._backdate(task, since, day, completed_at="completed_at")

    def confirm(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_confirm(actor=self.manager(task).user, task=task, text="Đồng ý kết quả thực hiện.")
        self._backdate(task, since, day, confirmed_at="confirmed_at")

    def give_back(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_return(actor=self.manager(task).user, task=task, reason=self.rng.choice(RETURN_REASONS))
        self._backdate(task, since, day)

    def cancel(self, task: Task, day: dt.date) -> None:
        since = self._last_event()
        services.task_cancel(actor=self.manager(task).user, task=task, reason=self.rng.choice(CANCEL_REASONS))
        self._backdate(task, since, day)

    def extension(self, task: Task, day: dt.date, *, decide: bool | None, days: int = 30) -> dt.date:
        """Ask for ``days`` more on ``day``; decide the next working day (approve, refuse or,
        with ``decide`` None, leave pending). Returns the day of the last step."""
        new_due = task.due_date + dt.timedelta(days=days)  # type: ignore[operator]
        if task.parent_id is not None and task.parent.due_date is not None:  # type: ignore[union-attr]
            new_due = min(new_due, task.parent.due_date)  # type: ignore[union-attr]  # never past the parent's
        if new_due <= task.due_date:  # type: ignore[operator]
            return day
        since = self._last_event()
        request = services.extension_request(
            actor=self.doer(task, head=True).user,
            task=task,
            new_due_date=new_due,
            reason=self.rng.choice(EXTENSION_REASONS),
        )
        asked = self._backdate(task, since, day)
        ExtensionRequest.objects.filter(pk=request.pk).update(requested_at=asked)
        if decide is None:
            return day
        on = min(self.calendar.add_working_days(day, 1), self.today)
        since = self._last_event()
        services.extension_decide(
            actor=self.manager(task).user,
            request=request,
            approve=decide,
            note="" if decide else "Đề nghị khẩn trương hoàn thành đúng thời hạn đã giao.",
            calendar=self.calendar,
        )
        decided = self._backdate(task, since, on)
        ExtensionRequest.objects.filter(pk=request.pk).update(decided_at=decided)
        return on

    def maybe_confirm(self, task: Task) -> None:
        if task.state == TaskState.COMPLETED and self.rng.random() < 0.8:
            self.confirm(task, min(self.today, task.completed_on + dt.timedelta(days=self.rng.randint(0, 4))))  # type: ignore[operator]

    # --- playing a task out

    def fate_for(self, task: Task) -> str:
        due, today = task.effective_due, self.today
        r = self.rng.random()
        if due is None:
            return "early" if r < 0.5 else "open"
        if due < today:
            for fate, p in (
                ("cancel", 0.03),
                ("on_time", 0.66),
                ("late", 0.78),
                ("extend_done", 0.83),
                ("return_done", 0.86),
                ("return_open", 0.88),
                ("extend_open", 0.91),
            ):
                if r < p:
                    return fate
            return "overdue"
        if due <= self.soon_until:
            return "extend_open" if r < 0.1 else "open"
        if r < 0.12:
            return "early"
        if r < 0.14:
            return "cancel"
        return "extend_open" if r < 0.17 else "open"

    def play(self, task: Task, fate: str | None = None) -> None:
        """Carry ``task`` through to ``fate`` (drawn from its dates when not given)."""
        task.refresh_from_db()
        fate = fate or self.fate_for(task)
        today, start, due = self.today, task.assigned_on, task.effective_due
        floor = start  # a parent is completed after its last subtask
        if task.children.exists():
            fate = self._parent_fate(task, task.children.filter(outcome=Outcome.OPEN).exists())
            floor = max(start, task.children.aggregate(m=Max("completed_on"))["m"] or start)
        last_day = min(today, due) if due else today
        if fate == "cancel":
            self.cancel(task, self.between(start, last_day))
            return
        accepted = self.between(start, min(start + dt.timedelta(days=2), last_day))
        if fate != "open" or self.rng.random() < 0.75:
            self.accept(task, accepted)
        if task.state == TaskState.ASSIGNED:
            return
        if fate in ("on_time", "early", "return_done", "return_open"):
            end = today if fate == "early" else last_day
            done = max(floor, self.between(max(accepted, end - dt.timedelta(days=10)), end))
            self.progress(task, accepted, done, self.rng.randint(0, 2))
            self.complete(task, done)
            if fate.startswith("return"):
                back = self.between(done, min(today, done + dt.timedelta(days=3)))
                self.give_back(task, back)
                if fate == "return_done":
                    self.complete(task, self.between(back, min(today, back + dt.timedelta(days=7))))
            self.maybe_confirm(task)
        elif fate == "late" and due is not None and due < today:
            done = max(
                floor, self.between(due + dt.timedelta(days=1), min(today, due + dt.timedelta(days=25)))
            )
            self.progress(task, accepted, due, self.rng.randint(1, 3))
            self.complete(task, done)
            self.maybe_confirm(task)
        elif fate in ("extend_done", "extend_open") and due is not None:
            ask = self.between(accepted, max(accepted, min(today, due - dt.timedelta(days=3))))
            self.progress(task, accepted, ask, 1)
            decided = self.extension(task, ask, decide=True, days=self.rng.choice((15, 20, 30)))
            task.refresh_from_db()
            new_due = task.effective_due or due
            if fate == "extend_done" and due < today:
                done = self.between(max(decided, due + dt.timedelta(days=1)), min(today, new_due))
                self.complete(task, done)
                self.maybe_confirm(task)
            else:
                self.progress(task, decided, min(today, new_due), 1)
        elif fate == "overdue":
            if due is not None and due > accepted and self.rng.random() < 0.4:
                ask = self.between(accepted, due)
                self.progress(task, accepted, ask, 1)
                refuse = self.rng.random() < 0.6
                after = self.extension(task, ask, decide=False if refuse else None)
                self.progress(task, after, today, self.rng.randint(0, 2))
            else:
                self.progress(task, accepted, today, self.rng.randint(1, 3))
        else:  # open: in progress, maybe waiting for an extension
            if self.rng.random() < 0.7:
                self.progress(task, accepted, today, self.rng.randint(1, 2))
            if due is not None and due <= self.soon_until and self.rng.random() < 0.15:
                self.extension(task, last_day, decide=None)

    def _parent_fate(self, task: Task, open_children: bool) -> str:
        """A parent is done only once its subtasks are: done late or on time by the last one."""
        if open_children:
            return "overdue" if task.effective_due and task.effective_due < self.today else "open"
        last = task.children.aggregate(m=Max("completed_on"))["m"]
        if last is None:
            return "open"
        if task.effective_due is not None and last > task.effective_due:
            return "late"
        return "on_time"


DIRECTIONS_AT_COMMITTEE = 90  # directions of the Tỉnh ủy made into tasks (3 per other committee)


def _documents(cast: Cast, today: dt.date, rng: random.Random) -> dict[str, Any]:
    """What ``documents.demo`` left that the tasks can point to (nothing when it did not
    run): a sample of the directions not yet followed by a task, with their lead and
    cooperating assignments, incoming documents, the Standing Committee's notices (TB) and
    the central resolutions. Only the sample is loaded, whatever the documents' scale."""
    from vanphong.documents.models import Assignment, AssignmentRole, Document

    found: dict[str, Any] = {"assignments": [], "incoming": [], "notices": None, "central": {}}
    if not Document.objects.exists():
        return found
    acting = Assignment.objects.filter(
        task_id__isnull=True,
        role__in=[AssignmentRole.LEAD, AssignmentRole.COOPERATE],
        direction__given_at__lte=_aware(today, 23),
        entry__organization__in=cast.orgs.values(),
    )
    by_org: dict[int, list[int]] = {}
    for direction_id, org_id in (
        acting.order_by("direction_id").values_list("direction_id", "entry__organization_id").distinct()
    ):
        by_org.setdefault(org_id, []).append(direction_id)
    chosen: list[int] = []
    for org_id, ids in sorted(by_org.items()):
        take = DIRECTIONS_AT_COMMITTEE if org_id == cast.committee.pk else 3
        chosen += rng.sample(ids, min(take, len(ids)))
    found["assignments"] = list(
        acting.filter(direction_id__in=chosen)
        .select_related(
            "direction__author__user",
            "direction__entry__document",
            "direction__entry__organization",
            "organization",
            "unit",
            "person",
        )
        .order_by("direction__given_at", "direction_id", "role", "pk")
    )
    incoming = Document.objects.filter(
        organization=cast.committee, issued_date__lte=today - dt.timedelta(days=3)
    ).exclude(issuer=cast.committee)
    found["incoming"] = list(incoming.order_by("issued_date", "pk")[:2000])
    found["notices"] = Document.objects.filter(
        organization=cast.committee,
        issuer=cast.committee,
        doc_type="TB",
        issued_date__lte=today - dt.timedelta(days=3),
    )
    found["central"] = {
        d.symbol: d for d in Document.objects.filter(organization=cast.committee, symbol__endswith="/TW")
    }
    return found


def _direction_tasks(story: _Story, docs: dict[str, Any]) -> None:
    """The leaders' directions: from the seeded ones, else on incoming documents."""
    from vanphong.documents.models import Assignment

    cast, rng, today = story.cast, story.rng, story.today
    acting: dict[int, list[Any]] = {}  # direction → its lead and cooperating assignments
    for a in docs["assignments"]:
        acting.setdefault(a.direction_id, []).append(a)
    chosen = sorted(acting.values(), key=lambda g: (g[0].direction.given_at, g[0].direction_id))
    for group in chosen:
        lead = next((a for a in group if a.role == "lead"), group[0])
        direction, entry = lead.direction, lead.direction.entry
        document = entry.document
        given = timezone.localdate(direction.given_at)
        due = lead.due_date if lead.due_date and lead.due_date >= given else given + dt.timedelta(days=30)
        symbol = document.symbol or "không số"
        task = story.give(
            actor=direction.author,
            organization=entry.organization,
            title=" ".join(document.subject.split())[:500] or symbol,
            content=direction.text,
            lead=lead.organization or lead.unit or lead.person,
            cooperating=[a.organization or a.unit or a.person for a in group if a is not lead],
            assigned_on=given,
            due=due,
            source=TaskSource(
                kind=SourceKind.DIRECTION,
                obj=direction,
                document=document,
                label=f"Văn bản đến số {entry.number}, {symbol}: ý kiến chỉ đạo của {direction.author}",
            ),
            issued_by=direction.author,
            check_access=False,  # as the direction receiver: the direction was already allowed
        )
        Assignment.objects.filter(pk__in=[a.pk for a in group]).update(task_id=task.pk)
        story.play(task)
    if chosen:
        return
    # No seeded directions: the Bí thư's directions on incoming documents (or on none).
    secretary = cast.people["bithu"]
    incoming = docs["incoming"]
    start = today - dt.timedelta(days=DEMO_SPAN_DAYS)
    for i in range(60):
        document = incoming[rng.randrange(len(incoming))] if incoming else None
        if document is not None and document.issued_date >= start:
            given = min(today, document.issued_date + dt.timedelta(days=2))
        else:
            given = start + dt.timedelta(days=int(i * DEMO_SPAN_DAYS / 60))
        lead_key = rng.choice(cast.agencies)
        topic = rng.choice(TOPICS)
        lead = cast.orgs[lead_key]
        task = story.give(
            actor=secretary,
            organization=cast.committee,
            title=(" ".join(document.subject.split())[:500] if document else f"Tham mưu triển khai {topic}"),
            content=f"Giao {lead.name} chủ trì, tham mưu triển khai; báo cáo kết quả về Thường trực Tỉnh ủy.",
            lead=lead,
            assigned_on=given,
            due=given + dt.timedelta(days=rng.choice((15, 20, 30, 45))),
            source=TaskSource(
                kind=SourceKind.DIRECTION,
                document=document,
                label=f"Văn bản đến {document.symbol}: ý kiến chỉ đạo của {secretary}"
                if document
                else f"Ý kiến chỉ đạo của {secretary} tại văn bản đến",
            ),
            issued_by=secretary,
        )
        story.play(task)


def _conclusion_tasks(story: _Story, docs: dict[str, Any]) -> None:
    """Twelve meetings of the Standing Committee, a notice of conclusions after each."""
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    notices = docs["notices"]
    for meeting in range(12):
        held = today - dt.timedelta(days=DEMO_SPAN_DAYS - 15 - meeting * 30)
        held = story.calendar.next_working_day(held)
        if held > today:
            held = today
        issued = min(today, story.calendar.add_working_days(held, 2))
        notice = (
            notices.filter(issued_date__lte=issued).order_by("-issued_date", "-pk").first()
            if notices is not None
            else None
        )
        number = notice.symbol if notice else f"{40 + meeting * 7}-TB/TU"
        body = "Ban Thường vụ Tỉnh ủy" if meeting % 3 == 0 else "Thường trực Tỉnh ủy"
        label = f"Thông báo kết luận số {number} ngày {issued:%d/%m/%Y} của {body}"
        chair = cast.people[PROVINCE_LEADERS[meeting % 2]]
        commune = rng.choice(cast.communes)
        items = rng.sample(CONCLUSION_ITEMS, rng.randint(3, 5))
        for title, lead_spec, coop_specs in items:
            lead = story.target(lead_spec, commune)
            cooperating = []
            for spec in coop_specs:
                other = story.target(spec, rng.choice([c for c in cast.communes if c != commune]))
                if other != lead and other not in cooperating:
                    cooperating.append(other)
            if isinstance(lead, Organization) and lead.kind != OrgKind.AGENCY:
                title = f"{title} tại {lead.short_name or lead.name}"
            task = story.give(
                actor=office,
                organization=cast.committee,
                title=title,
                content=f"Theo {label} (hội nghị ngày {held:%d/%m/%Y}).",
                lead=lead,
                cooperating=cooperating,
                assigned_on=issued,
                due=issued + dt.timedelta(days=rng.choice((15, 30, 30, 45, 60, 90))),
                priority=Priority.HIGH if rng.random() < 0.3 else Priority.NORMAL,
                source=TaskSource(kind=SourceKind.CONCLUSION, document=notice, label=label),
                issued_by=chair,
            )
            story.play(task)


def _programme_tasks(story: _Story, docs: dict[str, Any]) -> None:
    """Action programmes broken down into tasks (items) and subtasks; subtasks are played out
    first, then the item (its progress rolled up from them)."""
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    for n, (title, symbol, items) in enumerate(PROGRAMMES):
        given = today - dt.timedelta(days=300 - n * 150)
        central = docs["central"].get(symbol)
        label = f"{title} (số {12 + n * 9}-CTr/TU)"
        for i, (item_title, lead_spec, subtasks) in enumerate(items):
            item_due = given + dt.timedelta(days=(120, 240, 330, 420)[i % 4])
            item = story.give(
                actor=office,
                organization=cast.committee,
                title=item_title,
                content=f"Nhiệm vụ {i + 1} của {label}.",
                lead=story.target(lead_spec),
                assigned_on=given,
                due=item_due,
                priority=Priority.HIGH,
                source=TaskSource(kind=SourceKind.RESOLUTION, document=central, label=label),
                issued_by=cast.people["bithu"],
            )
            giver_key = story.cast.key_of(item.lead_organization_id)
            giver = story.doer(item, head=True)
            used: set[str] = set()
            for j, (sub_title, sub_lead) in enumerate(subtasks):
                commune = rng.choice([c for c in cast.communes if c not in used])
                used.add(commune)
                lead = story.target(sub_lead, commune)
                start = given + dt.timedelta(days=7 + 10 * j)
                sub_due = min(item_due, start + dt.timedelta(days=rng.choice((45, 60, 90, 120))))
                sub = story.give(
                    actor=giver,
                    organization=cast.orgs[giver_key],
                    title=sub_title.format(commune=cast.orgs[commune].name),
                    lead=lead,
                    assigned_on=min(start, today),
                    due=max(sub_due, min(start, today)),
                    source=TaskSource(kind=SourceKind.RESOLUTION, document=central, label=label),
                    parent=item,
                    issued_by=giver,
                )
                story.play(sub)
            story.play(item)


def _series_tasks(story: _Story) -> int:
    """Recurring report requests in force for a year. ``series_create`` makes the rule and
    its next occurrence; the past periods are given as the daily job gave them, through
    ``task_create`` with the series, ``VANPHONG_TASK_SERIES_HORIZON_DAYS`` before their due
    date; ``series_generate`` then makes those due within the horizon ahead."""
    cast, today = story.cast, story.today
    office = cast.people["chanhvp"]
    horizon = dt.timedelta(days=settings.VANPHONG_TASK_SERIES_HORIZON_DAYS)
    starts_on = (today - dt.timedelta(days=DEMO_SPAN_DAYS)).replace(day=1)
    made = 0
    for title, frequency, day, lead_spec, coop_specs in SERIES:
        fields: dict[str, Any] = {
            "organization": cast.committee,
            "title": title,
            "content": "Gửi báo cáo về Văn phòng Tỉnh ủy để tổng hợp, báo cáo Thường trực Tỉnh ủy.",
            "lead": story.target(lead_spec),
            "cooperating": [story.target(s) for s in coop_specs],
            "source_kind": SourceKind.REPORT_REQUEST,
            "source_label": "Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khóa XII, nhiệm kỳ 2025 - 2030",
            "issued_by": cast.people["thuongtruc"],
        }
        rule = TaskSeries(frequency=frequency, day_of_month=day, starts_on=starts_on)
        upcoming = services.occurrence_dates(rule, max(starts_on, timezone.localdate()), today + 2 * horizon)
        first_given = max(starts_on, min(today, upcoming[0] - horizon)) if upcoming else today
        since = story._last_event()
        series = services.series_create(
            actor=office.user,
            frequency=frequency,
            day_of_month=day,
            starts_on=starts_on,
            assigned_on=first_given,
            calendar=story.calendar,
            **fields,
        )
        occurrences = list(series.tasks.all())
        for task in occurrences:
            story._backdate(task, since, task.assigned_on, created_at="created_at")
        for due in services.occurrence_dates(series, starts_on, today - dt.timedelta(days=1)):
            occurrences.append(
                story.give(
                    actor=office,
                    assigned_on=max(starts_on, due - horizon),
                    due=due,
                    series=series,
                    **fields,
                )
            )
        since = story._last_event()
        for task in services.series_generate(series, today=today, calendar=story.calendar):
            story._backdate(task, since, task.assigned_on, created_at="created_at")
            occurrences.append(task)
        occurrences.sort(key=lambda t: t.original_due_date or today)
        for task in occurrences:
            if task not in story.tasks:
                story.tasks.append(task)
            story.play(task)
        made += len(occurrences)
    return made


def _petition_tasks(story: _Story) -> None:
    cast, rng, today = story.cast, story.rng, story.today
    office = cast.people["chanhvp"]
    for i, (title, lead_spec, classification) in enumerate(PETITIONS):
        given = today - dt.timedelta(days=20 + i * 41)
        lead = story.target(lead_spec)
        received = given - dt.timedelta(days=rng.randint(3, 10))
        task = story.give(
            actor=office,
            organization=cast.committee,
            title=title,
            content="Giao xem xét, giải quyết theo thẩm quyền; báo cáo kết quả về Thường trực Tỉnh ủy.",
            lead=lead,
            assigned_on=given,
            due=given + dt.timedelta(days=rng.choice((30, 45, 60))),
            classification=classification,
            source=TaskSource(
                kind=SourceKind.PETITION, label=f"Đơn đề ngày {received:%d/%m/%Y} gửi Thường trực Tỉnh ủy"
            ),
            issued_by=cast.people["thuongtruc"],
        )
        story.play(task)


def _showcase_tasks(story: _Story) -> None:
    """The Văn phòng's own tasks, one per status, so every status is on screen whatever the
    random draw (due today, due soon, overdue, late, on time, cancelled, extended, returned)."""
    cast, today = story.cast, story.today
    chief = cast.people["chanhvp"]
    for title, lead_spec, ago, due_in, fate in SHOWCASE:
        given = today - dt.timedelta(days=ago)
        due = today + dt.timedelta(days=due_in)
        if due_in == 2:
            due = story.soon_until  # the last day still "sắp đến hạn"
        task = story.give(
            actor=chief,
            organization=cast.orgs["vptu"],
            title=title,
            lead=story.target(lead_spec),
            assigned_on=given,
            due=due,
            source=TaskSource(kind=SourceKind.MANUAL),
            issued_by=chief,
        )
        story.play(task, fate)


def seed_demo_tasks(
    *, today: dt.date, seed: int = 2026, stdout: TextIO | None = None, calendar: WorkCalendar | None = None
) -> dict[str, int]:
    """The demo tasks, through the services, in one transaction."""
    if today > timezone.localdate():
        raise ValueError(
            "today must not be later than the real date: tasks cannot be completed in the future"
        )
    cast = Cast.load()
    calendar = calendar or WorkCalendar.load()
    story = _Story(
        cast=cast,
        today=today,
        rng=random.Random(seed),  # noqa: S311 (demo data)
        calendar=calendar,
        soon_until=due_soon_until(calendar, today),
    )
    with transaction.atomic():
        docs = _documents(cast, today, story.rng)
        _direction_tasks(story, docs)
        _conclusion_tasks(story, docs)
        _programme_tasks(story, docs)
        series = _series_tasks(story)
        _petition_tasks(story)
        _showcase_tasks(story)
        ids = [t.pk for t in story.tasks]
        last_event = TaskEvent.objects.filter(task=OuterRef("pk")).order_by("-at").values("at")[:1]
        Task.objects.filter(pk__in=ids).update(updated_at=Subquery(last_event))
        counts = {
            "tasks": len(ids),
            "events": TaskEvent.objects.filter(task_id__in=ids).count(),
            "series": TaskSeries.objects.filter(tasks__in=ids).distinct().count(),
            "series_tasks": series,
            "subtasks": Task.objects.filter(pk__in=ids, parent__isnull=False).count(),
        }
        audit_record(actor=None, actor_username=SEED_ACTOR, action="demo.seed_tasks", after=counts)
    if stdout is not None:
        stdout.write(f"Đã giao {counts['tasks']} nhiệm vụ mẫu ({counts['events']} diễn biến).\n")
    return counts


# --- Bulk ----------------------------------------------------------------------------------------

_BULK_SOURCES = (
    (SourceKind.DIRECTION, 45),
    (SourceKind.CONCLUSION, 20),
    (SourceKind.RESOLUTION, 10),
    (SourceKind.REPORT_REQUEST, 15),
    (SourceKind.PETITION, 5),
    (SourceKind.MANUAL, 5),
)
_SOURCE_LABELS = {
    SourceKind.DIRECTION: "Ý kiến chỉ đạo của Thường trực Tỉnh ủy trên văn bản đến",
    SourceKind.CONCLUSION: "Thông báo kết luận của Ban Thường vụ Tỉnh ủy",
    SourceKind.RESOLUTION: "Chương trình hành động thực hiện nghị quyết",
    SourceKind.REPORT_REQUEST: "Yêu cầu báo cáo định kỳ",
    SourceKind.PETITION: "Đơn thư gửi Thường trực Tỉnh ủy",
    SourceKind.MANUAL: "",
}
_DUE_OFFSETS = (7, 10, 15, 15, 20, 30, 30, 30, 45, 60, 90)
_BULK_VERBS = (
    "Tham mưu triển khai",
    "Xây dựng kế hoạch thực hiện",
    "Báo cáo kết quả",
    "Kiểm tra, đôn đốc",
    "Rà soát, đánh giá",
    "Tổ chức sơ kết",
    "Đề xuất giải pháp về",
)
_PERIODS = ("tháng", "quý I", "quý II", "quý III", "quý IV", "6 tháng đầu năm", "năm")
# The Task columns a bulk row fills, in this order; any other column takes its default.
BULK_FIELDS = (
    "title",
    "content",
    "source_kind",
    "source_label",
    "source_document_id",
    "organization_id",
    "issued_by_id",
    "created_by_id",
    "lead_organization_id",
    "lead_unit_id",
    "lead_person_id",
    "priority",
    "classification",
    "assigned_on",
    "original_due_date",
    "due_date",
    "effective_due",
    "state",
    "outcome",
    "progress",
    "accepted_at",
    "completed_on",
    "completed_at",
    "confirmed_at",
    "confirmed_by_id",
    "result",
    "created_at",
    "updated_at",
)
_F = {name: i for i, name in enumerate(BULK_FIELDS)}
# A bulk load at least this large into PostgreSQL drops the tables' secondary indexes and
# foreign keys, and builds them again at the end (one sort per index, one join per key)
# instead of maintaining them row by row.
REBUILD_AT = 50_000


@dataclass
class _Pools:
    """Ids the bulk rows draw from, loaded once."""

    leads: list[int]  # lead organisation ids, weighted
    committee: int
    units: dict[int, list[int]]  # organisation id → unit ids
    people: dict[int, list[tuple[int, int | None]]]  # organisation id → (person id, unit id)
    heads: dict[int, int]  # organisation id → person id of its head
    staff: dict[int, int]  # organisation id → person id of its clerk / specialist
    leaders: list[int]  # the province's leaders
    agencies: set[int]
    documents: list[tuple[int, int]]  # incoming documents (id, classification), for directions


def _pools(cast: Cast) -> _Pools:
    from vanphong.documents.models import Document

    committee = cast.committee.pk
    agencies = [cast.orgs[k].pk for k in cast.agencies]
    communes = [cast.orgs[k].pk for k in cast.communes]
    leads = agencies * 2 + communes * 3 + [cast.orgs["vptu"].pk]
    units: dict[int, list[int]] = {}
    for unit in cast.units.values():
        units.setdefault(unit.organization_id, []).append(unit.pk)
    people: dict[int, list[tuple[int, int | None]]] = {}
    for person in cast.people.values():
        people.setdefault(person.organization_id, []).append((person.pk, person.unit_id))
    for ids in (*units.values(), *people.values()):
        ids.sort()
    heads = {cast.orgs[k].pk: cast.head_of(k).pk for k in cast.orgs}
    staff = {cast.orgs[k].pk: cast.staff_of(k).pk for k in cast.orgs}
    staff[committee] = (cast.person("vanthu") or cast.people["chanhvp"]).pk
    leaders = [cast.people[u].pk for u in PROVINCE_LEADERS if u in cast.people]
    documents = list(
        Document.objects.filter(organization=cast.committee)
        .exclude(issuer=cast.committee)
        .order_by("pk")
        .values_list("pk", "classification")[:100_000]
    )
    return _Pools(leads, committee, units, people, heads, staff, leaders, set(agencies), documents)


class _Dues:
    """``effective_due`` per due date, computed once per date."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self.cache: dict[dt.date, dt.date] = {}

    def __call__(self, due: dt.date) -> dt.date:
        found = self.cache.get(due)
        if found is None:
            found = self.cache[due] = self.calendar.next_working_day(due)
        return found


class _Times:
    """Aware datetimes at an hour of a day, made once per (day, hour)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[dt.date, int], dt.datetime] = {}

    def __call__(self, day: dt.date, hour: int) -> dt.datetime:
        key = (day, hour)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = _aware(day, hour)
        return found


def _bulk_rows(
    count: int, *, rng: random.Random, pools: _Pools, today: dt.date, dues: _Dues
) -> Iterator[tuple[tuple[Any, ...], list[int]]]:
    """(values of ``BULK_FIELDS``, cooperating organisation ids) for ``count`` tasks: given
    over the last three years, most done (on time or late), about 5% open, a few cancelled."""
    kinds = [str(k.value) for k, w in _BULK_SOURCES for _ in range(w)]
    labels = {str(k.value): v for k, v in _SOURCE_LABELS.items()}
    on_time, late, open_, cancelled = (
        int(o) for o in (Outcome.ON_TIME, Outcome.LATE, Outcome.OPEN, Outcome.CANCELLED)
    )
    st_assigned, st_accepted, st_progress, st_completed, st_confirmed, st_cancelled = (
        str(s.value)
        for s in (
            TaskState.ASSIGNED,
            TaskState.ACCEPTED,
            TaskState.IN_PROGRESS,
            TaskState.COMPLETED,
            TaskState.CONFIRMED,
            TaskState.CANCELLED,
        )
    )
    direction = str(SourceKind.DIRECTION.value)
    report_request, petition = str(SourceKind.REPORT_REQUEST.value), str(SourceKind.PETITION.value)
    secret, top_secret = int(Classification.MAT), int(Classification.TOI_MAT)
    times = _Times()
    now = timezone.now()
    day = dt.timedelta(days=1)
    rand, randint, choice = rng.random, rng.randint, rng.choice
    for _ in range(count):
        lead = choice(pools.leads)
        kind = choice(kinds)
        r = rand()
        if lead in pools.agencies:
            giver = pools.committee if r < 0.7 else lead
        else:
            giver = pools.committee if r < 0.6 else (lead if r < 0.9 else choice(pools.leads))
        issuer = choice(pools.leaders) if giver == pools.committee else pools.heads.get(giver)
        lead_unit = lead_person = None
        r = rand()
        if r < 0.15 and pools.people.get(lead):
            lead_person, lead_unit = choice(pools.people[lead])
        elif r < 0.5 and pools.units.get(lead):
            lead_unit = choice(pools.units[lead])
        assigned = today - day * randint(0, BULK_SPAN_DAYS)
        due = original = effective = None
        if rand() >= 0.01:
            original = due = assigned + day * choice(_DUE_OFFSETS)
            if rand() < 0.04:  # extended
                due = original + day * choice((15, 30))
            effective = dues(due)
        classification = 0
        document = None
        if kind == direction and pools.documents:
            document, classification = choice(pools.documents)
        r = rand()
        if r < 0.005:
            classification = max(classification, top_secret)
        elif r < 0.03:
            classification = max(classification, secret)
        # What became of it.
        completed_on = None
        r = rand()
        if effective is None:
            outcome = on_time if r < 0.7 else open_
            if outcome == on_time:
                completed_on = min(today, assigned + day * randint(1, 60))
        elif effective < today:
            if r < 0.03:
                outcome = cancelled
            elif r < 0.045:
                outcome = open_  # overdue
            elif r < 0.18:
                outcome = late
                completed_on = min(today, effective + day * randint(1, 30))
            else:
                outcome = on_time
                completed_on = assigned + day * randint(0, (effective - assigned).days)
        elif r < 0.1 and assigned < today:
            outcome = on_time
            completed_on = assigned + day * randint(0, (today - assigned).days)
        elif r < 0.11:
            outcome = cancelled
        else:
            outcome = open_
        created = times(assigned, 8)
        accepted_at = completed_at = confirmed_at = confirmed_by = None
        progress = 0
        if outcome == cancelled:
            state = st_cancelled
        elif outcome == open_:
            r = rand()
            state = st_assigned if r < 0.25 else st_accepted if r < 0.45 else st_progress
            if state != st_assigned:
                accepted_at = min(now, created + dt.timedelta(hours=randint(2, 48)))
            if state == st_progress:
                progress = randint(1, 9) * 10
        else:
            progress = 100
            completed_at = times(completed_on, 16)  # type: ignore[arg-type]
            accepted_at = min(completed_at, created + dt.timedelta(hours=randint(2, 48)))
            if rand() < 0.9:
                state = st_confirmed
                confirmed_at = max(completed_at, min(now, completed_at + day * randint(0, 5)))
                confirmed_by = issuer
            else:
                state = st_completed
        topic = choice(TOPICS)
        if kind == report_request:
            title = f"Báo cáo {topic} {choice(_PERIODS)} năm {(due or assigned).year}"
        elif kind == petition:
            title = f"Giải quyết đơn thư phản ánh liên quan đến {topic}"
        else:
            title = f"{choice(_BULK_VERBS)} {topic}"
        yield (
            (
                title,
                f"Chủ trì, phối hợp thực hiện nội dung về {topic}; báo cáo kết quả đúng thời hạn.",
                kind,
                labels[kind],
                document,
                giver,
                issuer,
                pools.staff.get(giver),
                lead,
                lead_unit,
                lead_person,
                1 if rand() < 0.15 else 2 if rand() < 0.05 else 0,  # Priority
                classification,
                assigned,
                original,
                due,
                effective,
                state,
                outcome,
                progress,
                accepted_at,
                completed_on,
                completed_at,
                confirmed_at,
                confirmed_by,
                RESULT_TEXTS[0] if completed_on else "",
                created,
                confirmed_at or completed_at or accepted_at or min(created, now),
            ),
            _cooperating(rng, lead, pools) if rand() < 0.25 else [],
        )


def _cooperating(rng: random.Random, lead: int, pools: _Pools) -> list[int]:
    seen: list[int] = []
    for org in rng.sample(pools.leads, 4):
        if org != lead and org not in seen:
            seen.append(org)
    return seen[: rng.randint(1, 3)]


def _lead_party(row: tuple[Any, ...]) -> tuple[int | None, int | None, int | None]:
    """(organisation, unit, person) of the lead party: the most specific lead, as the services."""
    if row[_F["lead_person_id"]]:
        return (None, None, row[_F["lead_person_id"]])
    if row[_F["lead_unit_id"]]:
        return (None, row[_F["lead_unit_id"]], None)
    return (row[_F["lead_organization_id"]], None, None)


def _defaults() -> list[tuple[str, str, Any]]:
    """(attname, column, value) of the Task columns a bulk row leaves to their default."""
    return [
        (f.attname, f.column, f.get_default())
        for f in Task._meta.concrete_fields
        if not f.primary_key and f.attname not in _F
    ]


def _reserve_ids(model: type, n: int) -> int:
    """Take ``n`` ids from the PostgreSQL sequence of ``model``; returns the first."""
    table = model._meta.db_table  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, n],
        )
        last = cursor.fetchone()[0]
    return last - n + 1


def _write_copy(rows: list[tuple[tuple[Any, ...], list[int]]]) -> int:
    """One batch with PostgreSQL COPY; returns the number of party rows."""
    quote = connection.ops.quote_name
    defaults = _defaults()
    columns = [
        "id",
        *(quote(Task._meta.get_field(n).column) for n in BULK_FIELDS),
        *(quote(c) for _a, c, _v in defaults),
    ]
    extra = tuple(v for _a, _c, v in defaults)
    first = _reserve_ids(Task, len(rows))
    parties = []
    lead, cooperate = str(PartyRole.LEAD.value), str(PartyRole.COOPERATE.value)
    task_sql = f"COPY {quote(Task._meta.db_table)} ({', '.join(columns)}) FROM STDIN"
    party_sql = (
        f"COPY {quote(TaskParty._meta.db_table)} (id, task_id, role, organization_id, unit_id, person_id) "
        "FROM STDIN"
    )
    with connection.connection.cursor() as cursor:  # psycopg's own cursor, under Django's connection
        with cursor.copy(task_sql) as copy:
            for task_id, (row, coop) in enumerate(rows, start=first):
                copy.write_row((task_id, *row, *extra))
                parties.append((task_id, lead, *_lead_party(row)))
                parties += [(task_id, cooperate, org, None, None) for org in coop]
        party_first = _reserve_ids(TaskParty, len(parties))
        with cursor.copy(party_sql) as copy:
            for party_id, party in enumerate(parties, start=party_first):
                copy.write_row((party_id, *party))
    return len(parties)


def _write_bulk(rows: list[tuple[tuple[Any, ...], list[int]]], batch_size: int) -> int:
    """One batch with ``bulk_create``; returns the number of party rows."""
    tasks = Task.objects.bulk_create(
        [Task(**dict(zip(BULK_FIELDS, row, strict=True))) for row, _coop in rows], batch_size=batch_size
    )
    parties = []
    for task, (row, coop) in zip(tasks, rows, strict=True):
        org, unit, person = _lead_party(row)
        parties.append(
            TaskParty(
                task_id=task.pk, role=PartyRole.LEAD, organization_id=org, unit_id=unit, person_id=person
            )
        )
        parties += [TaskParty(task_id=task.pk, role=PartyRole.COOPERATE, organization_id=o) for o in coop]
    TaskParty.objects.bulk_create(parties, batch_size=batch_size)
    return len(parties)


class _Rebuilt:
    """On PostgreSQL, inside the loading transaction: drop the secondary indexes and the
    foreign keys of the task and party tables, and make them again on exit (which also
    validates every key). The primary keys and the CHECK constraints stay. Deferred key
    checks already pending in the transaction are run first (PostgreSQL refuses to alter a
    table with pending trigger events); Django's keys are deferred again at the end."""

    TABLES = (Task, TaskParty)

    def __init__(self) -> None:
        self.indexes: list[str] = []
        self.keys: list[tuple[str, str, str]] = []

    def __enter__(self) -> _Rebuilt:
        quote = connection.ops.quote_name
        tables = [m._meta.db_table for m in self.TABLES]
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s) "
                "ORDER BY 1, 2",
                [tables],
            )
            self.keys = list(cursor.fetchall())
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
                [tables],
            )
            found = cursor.fetchall()
            for table, name, _definition in self.keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {name}")  # regclass text: already quoted when needed
            self.indexes = [definition for _name, definition in found]
        return self

    def __exit__(self, kind: Any, *rest: Any) -> None:
        if kind is not None:
            return  # the transaction rolls back: the dropped indexes and keys come back
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            for table, name, definition in self.keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def bulk_load(
    count: int,
    *,
    today: dt.date,
    seed: int = 2026,
    method: str | None = None,
    batch: int = BULK_BATCH,
    progress: Callable[[int], None] | None = None,
    calendar: WorkCalendar | None = None,
) -> dict[str, Any]:
    """Write ``count`` tasks directly (see the module docstring), then rebuild the tally.
    ``method``: "copy" (PostgreSQL only) or "bulk" (``bulk_create``); default: COPY on
    PostgreSQL, ``bulk_create`` elsewhere. With COPY and at least ``REBUILD_AT`` tasks the
    whole load is one transaction that rebuilds the indexes and keys at the end."""
    if method is None:
        method = "copy" if connection.vendor == "postgresql" else "bulk"
    if method not in ("copy", "bulk"):
        raise ValueError(f"unknown method {method!r}")
    if method == "copy" and connection.vendor != "postgresql":
        raise ValueError("COPY needs PostgreSQL")
    cast = Cast.load()
    pools = _pools(cast)
    rng = random.Random(seed)  # noqa: S311 (demo data)
    rows = _bulk_rows(count, rng=rng, pools=pools, today=today, dues=_Dues(calendar or WorkCalendar.load()))
    timings: dict[str, float] = {}
    started = time.monotonic()
    written = parties = 0
    rebuild = method == "copy" and count >= REBUILD_AT

    def write(chunk: list[tuple[tuple[Any, ...], list[int]]]) -> None:
        nonlocal written, parties
        if method == "copy":
            parties += _write_copy(chunk)
        else:
            size = 2000 if connection.vendor == "sqlite" else 5000
            parties += _write_bulk(chunk, batch_size=size)
        written += len(chunk)
        if progress:
            progress(written)

    if rebuild:
        with transaction.atomic(), _Rebuilt():
            while written < count:
                write([next(rows) for _ in range(min(batch, count - written))])
            timings["rows_s"] = time.monotonic() - started
    else:
        while written < count:
            with transaction.atomic():
                write([next(rows) for _ in range(min(batch, count - written))])
    timings["load_s"] = time.monotonic() - started
    started = time.monotonic()
    tally_rows = tally.recount()
    timings["tally_s"] = time.monotonic() - started
    if connection.vendor == "postgresql":
        started = time.monotonic()
        with connection.cursor() as cursor:
            for model in (Task, TaskParty, TaskTally):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        timings["analyze_s"] = time.monotonic() - started
    result = {
        "tasks": written,
        "parties": parties,
        "tally_rows": tally_rows,
        "method": method,
        "rebuilt_indexes": rebuild,
        **{k: round(v, 1) for k, v in timings.items()},
    }
    audit_record(actor=None, actor_username=SEED_ACTOR, action="demo.seed_tasks", after=result)
    return result


def seed_tasks(
    *,
    today: dt.date | None = None,
    scale: int = 0,
    stdout: TextIO | None = None,
    demo: bool = True,
    force: bool = False,
    seed: int = 2026,
    method: str | None = None,
    count: int | None = None,
) -> dict[str, Any]:
    """The demo tasks (``demo``) and, with ``scale`` N ≥ 1, N × 2,000 more in bulk (or
    exactly ``count``). Refuses (``TasksExist``) when tasks exist, unless ``force``."""
    today = today or timezone.localdate()
    if not 0 <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be between 0 and {MAX_SCALE}")
    existing = Task.objects.count()
    if existing and not force:
        raise TasksExist(
            f"Cơ sở dữ liệu đã có {existing} nhiệm vụ: nhiệm vụ mẫu chỉ được tạo khi chưa có nhiệm vụ nào."
        )
    result: dict[str, Any] = {}
    if demo:
        result["demo"] = seed_demo_tasks(today=today, seed=seed, stdout=stdout)
    bulk = count if count is not None else scale * TASKS_PER_SCALE
    if bulk:

        def report(done: int) -> None:
            if stdout is not None and (done % 100_000 < BULK_BATCH or done == bulk):
                stdout.write(f"… {_n(done)} nhiệm vụ\n")
                if hasattr(stdout, "flush"):
                    stdout.flush()

        result["bulk"] = bulk_load(bulk, today=today, seed=seed, method=method, progress=report)
    return result


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def summary(result: dict[str, Any]) -> str:
    parts = []
    if "demo" in result:
        d = result["demo"]
        parts.append(
            f"{_n(d['tasks'])} nhiệm vụ mẫu ({_n(d['subtasks'])} nhiệm vụ con, "
            f"{_n(d['series_tasks'])} kỳ của {_n(d['series'])} nhiệm vụ định kỳ, "
            f"{_n(d['events'])} diễn biến)"
        )
    if "bulk" in result:
        b = result["bulk"]
        parts.append(
            f"{_n(b['tasks'])} nhiệm vụ nạp hàng loạt ({b['method']}, {b['load_s']} giây; "
            f"bảng số liệu {b['tally_s']} giây)"
        )
    return "; ".join(parts) or "không tạo nhiệm vụ nào"
