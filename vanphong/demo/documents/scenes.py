"""Today's work at the Tỉnh ủy, carried through the services as people would do it, so that
every demo home has something true to show, with its history (the audit entries the
services write), its tasks and notifications, and a file on every document:

* incoming documents registered by the văn thư this morning, each with its PDF, presented
  to the Bí thư, to the Phó Bí thư Thường trực and — the routine ones the Tỉnh ủy's
  ``OfficeDirectionRule`` names — to the Chánh Văn phòng, waiting for their direction;
* two already directed to the Văn phòng, its specialist leading (a task each);
* drafts of the Tỉnh ủy written by the Văn phòng's specialist: one waiting for the head of
  the Phòng Tổng hợp, one for the Chánh Văn phòng's appraisal, one for the Bí thư's
  signature, one returned to the drafter with the reason, one signed and waiting for the
  văn thư to number and issue it;
* one issued today to every subordinate committee, so it waits in each commune's book.

Runs after the bulk year (``seed_documents``: the books, the rule) and after the demo tasks
(a direction gives a task, and the tasks' seed wants an empty table).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from vanphong.demo.documents.pages import Page, demo_page, file_name
from vanphong.demo.documents.plans import Year
from vanphong.demo.documents_files import render_pdfs
from vanphong.demo.orgs.province import ORGANIZATIONS
from vanphong.documents.models import (
    AssignmentRole,
    Document,
    FileKind,
    ReviewDecision,
    ReviewKind,
    Style,
    Urgency,
)
from vanphong.documents.services.files import file_add
from vanphong.documents.services.incoming import incoming_direct, incoming_present, incoming_register
from vanphong.documents.services.outgoing import (
    outgoing_comment_add,
    outgoing_draft_create,
    outgoing_issue,
    outgoing_review_decide,
    outgoing_submit,
)
from vanphong.orgs.models import Organization, OrgKind, Person

PEOPLE = ("vanthu", "bithu", "thuongtruc", "chanhvp", "chuyenvien", "truongphong.th")


@dataclass(frozen=True)
class Arrival:
    """An incoming document of today and what becomes of it."""

    sender: str  # key of the sender: an external body ("tw", "ubnd" …) or a commune's slug
    doc_type: str
    subject: str
    present_to: str  # username
    urgency: str = Urgency.NORMAL
    direction: str = ""  # the leader's direction, naming the Văn phòng's specialist to lead
    due_in: int = 10  # days


ARRIVALS = (
    Arrival(
        "tw",
        "KL",
        "Kết luận của Bộ Chính trị về tiếp tục đẩy mạnh chuyển đổi số trong các cơ quan đảng",
        "bithu",
        Urgency.URGENT,
    ),
    Arrival("tw", "TB", "Thông báo kết luận của Ban Bí thư về công tác bảo vệ bí mật nhà nước", "bithu"),
    Arrival(
        "ubnd",
        "TTr",
        "Tờ trình đề nghị cho chủ trương điều chỉnh quy hoạch phát triển du lịch vùng Đà Lạt",
        "thuongtruc",
    ),
    Arrival(
        "mttq",
        "KH",
        "Kế hoạch tổ chức Ngày hội Đại đoàn kết toàn dân tộc năm 2027",
        "thuongtruc",
    ),
    Arrival("vptw", "CV", "Về việc báo cáo kết quả thực hiện Quy chế làm việc năm 2026", "chanhvp"),
    Arrival("ubnd", "CV", "Công văn về việc góp ý dự thảo Đề án phát triển giao thông liên vùng", "chanhvp"),
    Arrival(
        "mttq", "GM", "Giấy mời dự Hội nghị tổng kết công tác Mặt trận năm 2026", "chanhvp", Urgency.URGENT
    ),
    Arrival(
        "phuquy",
        "BC",
        "Báo cáo kết quả thực hiện Nghị quyết số 57-NQ/TW về chuyển đổi số tại Đảng bộ xã",
        "bithu",
        direction="Giao Văn phòng Tỉnh ủy (đồng chí Nguyễn Hoàng Phúc, Phòng Tổng hợp) nghiên cứu, "
        "tổng hợp vào báo cáo chung của Tỉnh ủy; báo cáo Thường trực Tỉnh ủy.",
    ),
    Arrival(
        "cat",
        "BC",
        "Báo cáo tình hình an ninh, trật tự phục vụ Tết Nguyên đán",
        "chanhvp",
        direction="Giao Phòng Tổng hợp (đồng chí Phúc) tóm tắt, đưa vào giao ban Thường trực tuần tới.",
        due_in=5,
    ),
)


@dataclass(frozen=True)
class Draft:
    """An outgoing document of the Tỉnh ủy drafted by the Văn phòng's specialist, and how far
    its circuit has gone: ``approved_by`` have approved, in order; ``returned_by`` returns it."""

    doc_type: str
    subject: str
    signer: str
    steps: tuple[tuple[str, str], ...]  # (kind, reviewer) by stage, the signer's last
    approved_by: int = 0  # how many stages have approved
    returned: str = ""  # the reason of the first pending stage's return
    comment: tuple[str, str] = ("", "")  # (username, text) after the return
    issue: bool = False  # issued by the văn thư once signed
    recipients: bool = True  # to every subordinate committee


_DEPT = (ReviewKind.DEPARTMENT, "truongphong.th")
_APPRAISE = (ReviewKind.APPRAISAL_CONTENT, "chanhvp")
_FORMAT = (ReviewKind.APPRAISAL_FORMAT, "chanhvp")

DRAFTS = (
    Draft(
        "NQ",
        "Nghị quyết về đẩy mạnh chuyển đổi số trong các cơ quan đảng giai đoạn 2026 - 2030",
        "bithu",
        (_DEPT, _APPRAISE, (ReviewKind.SIGN, "bithu")),
    ),
    Draft(
        "KH",
        "Kế hoạch tổ chức Hội nghị sơ kết công tác xây dựng Đảng năm 2026",
        "thuongtruc",
        (_DEPT, _APPRAISE, (ReviewKind.SIGN, "thuongtruc")),
        approved_by=1,
    ),
    Draft(
        "CT",
        "Chỉ thị về lãnh đạo tổ chức Tết Nguyên đán năm 2027",
        "bithu",
        (_APPRAISE, (ReviewKind.SIGN, "bithu")),
        approved_by=1,
    ),
    Draft(
        "KL",
        "Kết luận của Ban Thường vụ Tỉnh ủy về công tác phòng, chống thiên tai mùa mưa bão",
        "bithu",
        (_DEPT, _APPRAISE, (ReviewKind.SIGN, "bithu")),
        approved_by=3,
    ),
    Draft(
        "KH",
        "Kế hoạch kiểm tra, giám sát của Ban Thường vụ Tỉnh ủy năm 2027",
        "thuongtruc",
        (_DEPT, (ReviewKind.SIGN, "thuongtruc")),
        returned="Đề nghị bổ sung phân công cụ thể đơn vị chủ trì từng nội dung và thời gian hoàn thành.",
        comment=("chanhvp", "Lưu ý thống nhất với Ủy ban Kiểm tra trước khi trình lại."),
    ),
    Draft(
        "CV",
        "Về việc triển khai sổ văn bản điện tử tại các đảng ủy trực thuộc",
        "thuongtruc",
        (_FORMAT, (ReviewKind.SIGN, "thuongtruc")),
        approved_by=2,
        issue=True,
    ),
)


@dataclass
class _Stage:
    """Who is who in the scenes."""

    committee: Organization
    people: dict[str, Person]
    senders: dict[str, Organization]
    subordinates: list[Organization]
    year: Year
    counts: dict[str, int] = field(
        default_factory=lambda: {
            "incoming": 0,
            "presented": 0,
            "directed": 0,
            "drafts": 0,
            "issued": 0,
            "files": 0,
        }
    )

    def user(self, username: str) -> Any:
        return self.people[username].user


def _account(person: Person) -> Any:
    """The demo person's account (every demo person has one)."""
    if person.user is None:  # pragma: no cover - the demo gives everyone an account
        raise ValueError(f"{person.full_name} has no account")
    return person.user


def _stage(today: dt.date) -> _Stage:
    committee = Organization.objects.get(slug="tinhuy")
    people = {
        p.user.username: p
        for p in Person.objects.filter(user__username__in=PEOPLE).select_related("user", "unit")
        if p.user is not None
    }
    missing = set(PEOPLE) - set(people)
    if missing:
        raise ValueError(f"the demo province has no {', '.join(sorted(missing))}")
    demo_names = {spec.abbreviation: spec.name for spec in ORGANIZATIONS if not spec.hosted}
    senders = {
        key: Organization.objects.get(hosted=False, abbreviation=abbreviation, name=demo_names[abbreviation])
        for key, abbreviation in (
            ("tw", "TW"),
            ("vptw", "VPTW"),
            ("ubnd", "UBND"),
            ("mttq", "MTTQ"),
            ("cat", "CAT"),
        )
    }
    subordinates = list(
        Organization.objects.filter(
            parent=committee, kind=OrgKind.COMMITTEE, hosted=True, active=True
        ).order_by("path")
    )
    senders.update({o.slug: o for o in subordinates if o.slug})
    return _Stage(committee, people, senders, subordinates, Year(today))


def _style(sender: Organization) -> str:
    return (
        Style.PARTY
        if sender.kind in (OrgKind.COMMITTEE, OrgKind.AGENCY)
        or sender.abbreviation
        in (
            "TW",
            "VPTW",
        )
        else Style.STATE
    )


def _symbol(stage: _Stage, sender: Organization, doc_type: str, style: str, year: int) -> str:
    """The sender's next symbol after those the Tỉnh ủy's books already hold."""
    code = sender.abbreviation
    if style == Style.PARTY:
        suffix = f"-{doc_type}/{code}"
    else:
        suffix = f"/{code}-VP" if doc_type == "CV" else f"/{doc_type}-{code}"
    taken = Document.objects.filter(
        organization=stage.committee, symbol__endswith=suffix, issued_date__year=year
    ).values_list("symbol", flat=True)
    numbers = [int(m.group()) for s in taken if (m := re.match(r"\d+", s))]
    return f"{max(numbers, default=0) + 1:02d}{suffix}"


def _arrivals(stage: _Stage, rng_days: list[dt.date]) -> None:
    clerk = stage.user("vanthu")
    plans = []
    for index, arrival in enumerate(ARRIVALS):
        sender = stage.senders[arrival.sender]
        style = _style(sender)
        issued = rng_days[index % len(rng_days)]
        symbol = _symbol(stage, sender, arrival.doc_type, style, issued.year)
        page = Page(
            document_id=index,
            symbol=symbol,
            doc_type=arrival.doc_type,
            style=style,
            subject=arrival.subject,
            issuer_abbreviation=sender.abbreviation,
            issuer_name=sender.name,
            issued_date=issued,
            urgency=arrival.urgency,
            committee=sender.kind == OrgKind.COMMITTEE,
        )
        plans.append((arrival, sender, page))
    pdfs = render_pdfs([demo_page(page) for _a, _s, page in plans])
    for (arrival, sender, page), data in zip(plans, pdfs, strict=True):
        entry = incoming_register(
            actor=clerk,
            organization=stage.committee,
            symbol=page.symbol,
            subject=arrival.subject,
            issuer=sender,
            issuer_name=sender.name,
            issued_date=page.issued_date,
            doc_type=arrival.doc_type,
            urgency=arrival.urgency,
            channel="điện tử",
            signer_name=demo_page(page).signer[2],
            page_count=1,
            files=[(file_name(page.symbol), data)],
        )
        stage.counts["incoming"] += 1
        stage.counts["files"] += 1
        leader = stage.people[arrival.present_to]
        incoming_present(actor=clerk, entry=entry, to_person=leader)
        stage.counts["presented"] += 1
        if arrival.direction:
            specialist = stage.people["chuyenvien"]
            assignments: list[dict[str, Any]] = [
                {
                    "person": specialist,
                    "role": AssignmentRole.LEAD,
                    "due_date": timezone.localdate() + dt.timedelta(days=arrival.due_in),
                }
            ]
            if specialist.unit is not None:
                assignments.append({"unit": specialist.unit, "role": AssignmentRole.INFORM})
            incoming_direct(
                actor=_account(leader), entry=entry, text=arrival.direction, assignments=assignments
            )
            stage.counts["directed"] += 1


def _draft_page(stage: _Stage, draft: Draft, index: int, symbol: str, on: dt.date) -> Page:
    return Page(
        document_id=index,
        symbol=symbol,
        doc_type=draft.doc_type,
        style=Style.PARTY,
        subject=draft.subject,
        issuer_abbreviation=stage.committee.abbreviation,
        issuer_name=stage.committee.name,
        issued_date=on,
        signer_name=stage.people[draft.signer].full_name,
        to_province=False,
    )


def _drafts(stage: _Stage) -> None:
    drafter = stage.user("chuyenvien")
    today = timezone.localdate()
    pages = [
        _draft_page(stage, draft, i, f"     -{draft.doc_type}/{stage.committee.abbreviation}", today)
        for i, draft in enumerate(DRAFTS)
    ]
    pdfs = render_pdfs([demo_page(page) for page in pages])
    issued: list[tuple[Draft, Document, Page]] = []
    for draft, page, data in zip(DRAFTS, pages, pdfs, strict=True):
        document = outgoing_draft_create(
            actor=drafter,
            organization=stage.committee,
            doc_type=draft.doc_type,
            subject=draft.subject,
            signer=stage.people[draft.signer],
            recipients=stage.subordinates if draft.recipients else (),
            body="\n".join(demo_page(page).body),
            files=[(f"Du-thao-{draft.doc_type}.pdf", data)],
        )
        stage.counts["drafts"] += 1
        stage.counts["files"] += 1
        steps = outgoing_submit(
            actor=drafter,
            document=document,
            steps=[
                {"stage": n, "kind": kind, "reviewer": stage.people[username]}
                for n, (kind, username) in enumerate(draft.steps, start=1)
            ],
        )
        for step in steps[: draft.approved_by]:
            outgoing_review_decide(actor=_account(step.reviewer), step=step, decision=ReviewDecision.APPROVED)
        if draft.returned:
            step = steps[draft.approved_by]
            outgoing_review_decide(
                actor=_account(step.reviewer),
                step=step,
                decision=ReviewDecision.RETURNED,
                comment=draft.returned,
            )
            who, text = draft.comment
            if who:
                outgoing_comment_add(actor=stage.user(who), document=document, text=text)
        if draft.issue:
            issued.append((draft, document, page))
    clerk = stage.user("vanthu")
    for _draft, document, _page in issued:
        outgoing_issue(actor=clerk, document=document)
        stage.counts["issued"] += 1
    # The signed original, as the văn thư scans or exports it once it has its number.
    issued = [(d, Document.objects.get(pk=doc.pk), p) for d, doc, p in issued]
    signed = render_pdfs([demo_page(replace(p, symbol=doc.symbol)) for _d, doc, p in issued])
    for (_draft, document, _page), data in zip(issued, signed, strict=True):
        file_add(
            actor=clerk, document=document, upload=(file_name(document.symbol), data), kind=FileKind.ORIGINAL
        )
        stage.counts["files"] += 1


def _broker_folders() -> None:
    """The files' text is read by a background job queued when they are stored. Without
    Redis the broker is a folder on disk, which ``serve`` makes when it starts, and the seed
    runs before it: make the folders now, so the jobs wait there for the worker."""
    if not settings.CELERY_BROKER_URL.startswith("filesystem"):
        return
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def seed_scenes(*, today: dt.date | None = None) -> dict[str, int]:
    """Play today's scenes (see the module's docstring) in one transaction; answers counts."""
    stage = _stage(today or timezone.localdate())
    _broker_folders()
    with transaction.atomic():
        _arrivals(stage, stage.year.recent)
        _drafts(stage)
    return stage.counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['incoming']} văn bản đến hôm nay ({counts['presented']} đã trình, "
        f"{counts['directed']} đã có ý kiến chỉ đạo), {counts['drafts']} dự thảo "
        f"({counts['issued']} đã phát hành), {counts['files']} tệp"
    )
