"""The demo's document exchange (``vanphong/exchange``): the Tỉnh ủy and three central bodies
get electronic identifiers; the central system is declared as a peer, with its two secrets;
two packages arrived from it (one waiting in the văn thư's queue with every field filled, one
registered) and a malformed one was refused and kept; a report of the Tỉnh ủy was issued to the
three central bodies, its deliveries in each state (delivered, failed with the peer's answer,
waiting for its next attempt) and the statuses the first one reported back.

The identifiers follow QCVN 102's shape (``XXX.YY.ZZ.LNN``, ``G`` for a central body, ``H`` for a
province) but are illustrative, not the official catalogue. Nothing is sent: the whole scene is
one transaction, and the deliveries its services queue are given their final state before it
commits (the queued jobs then find nothing due); the one still waiting is due in a few hours.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from vanphong.demo.documents.seed import TERM_STARTS
from vanphong.demo.documents_files import DemoDocument, Issuer, render_pdfs
from vanphong.documents.models import Document, FileKind, ReviewDecision, ReviewKind
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.outgoing import (
    outgoing_draft_create,
    outgoing_issue,
    outgoing_review_decide,
    outgoing_submit,
)
from vanphong.documents.services.registering import registers_provision_defaults
from vanphong.exchange import edxml, mapping, services
from vanphong.exchange.models import Delivery, DeliveryState, Direction, Package, PackageKind, Peer
from vanphong.orgs.models import Organization, OrgKind, Person

SEED = 20261217
PROVINCE_ID = "000.00.00.H36"
# (abbreviation, name, short name, electronic id): the central bodies the province writes to.
CENTRAL = (
    ("VPTW", "Văn phòng Trung ương Đảng", "Văn phòng Trung ương", "000.00.00.G10"),
    ("BTCTW", "Ban Tổ chức Trung ương", "Ban Tổ chức Trung ương", "000.00.00.G11"),
    ("UBKTTW", "Ủy ban Kiểm tra Trung ương", "Ủy ban Kiểm tra Trung ương", "000.00.00.G12"),
)
PEER_CODE = "trung-uong"
PEER_URL = "https://vanban.trunguong.example/"
REPORT_SUBJECT = (
    "Báo cáo kết quả 5 năm thực hiện Quy định về công tác văn thư, lưu trữ trong các cơ quan đảng"
)


def _central(abbreviation: str, name: str, short_name: str, electronic_id: str) -> Organization:
    """The central body's row (installed with the national catalogue; made when it is not there)."""
    organization = Organization.objects.filter(hosted=False, abbreviation=abbreviation).order_by("pk").first()
    if organization is None:
        centre = Organization.objects.filter(hosted=False, abbreviation="TW").order_by("pk").first()
        organization = Organization.objects.create(
            name=name,
            short_name=short_name,
            abbreviation=abbreviation,
            kind=OrgKind.AGENCY,
            hosted=False,
            parent=centre,
        )
    organization.electronic_id = electronic_id
    organization.save(update_fields=["electronic_id"])
    return organization


def _user(username: str) -> Any:
    return Person.objects.select_related("user").get(user__username=username).user


def _incoming_pages(today: dt.date) -> list[DemoDocument]:
    office = Issuer(("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG"), "VĂN PHÒNG TRUNG ƯƠNG ĐẢNG", "VPTW", True)
    organisers = Issuer(("BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC"), "BAN TỔ CHỨC TRUNG ƯƠNG", "BTCTW", True)
    return [
        DemoDocument(
            key="lien-thong-1",
            issuer=office,
            doc_type="HD",
            number=12,
            issued_date=today - dt.timedelta(days=1),
            subject="về lập hồ sơ điện tử và nộp lưu hồ sơ, tài liệu vào Lưu trữ cơ quan",
            signer=("K/T CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Thị Thanh Bình"),
            urgency="khan",
            classification=None,
            place="Hà Nội",
            addressee="Các tỉnh ủy, thành ủy",
        ),
        DemoDocument(
            key="lien-thong-2",
            issuer=organisers,
            doc_type="CV",
            number=347,
            issued_date=today - dt.timedelta(days=6),
            subject="V/v báo cáo số lượng, chất lượng đội ngũ cán bộ làm công tác văn thư",
            signer=("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Lê Văn Quang"),
            urgency=None,
            classification=None,
            place="Hà Nội",
            addressee="Các tỉnh ủy, thành ủy",
        ),
    ]


def _incoming_package(page: DemoDocument, pdf: bytes, sender: Organization, to: Organization) -> bytes:
    number, notation = page.symbol.split("-", 1) if page.party else page.symbol.split("/", 1)
    document = edxml.EdDocument(
        sender=mapping.organ_of(sender),
        recipients=[mapping.organ_of(to)],
        document_id=f"{sender.electronic_id},{page.issued_date:%Y/%m/%d},{page.symbol}",
        code_number=number,
        code_notation=notation,
        place=page.place,
        promulgation_date=page.issued_date,
        type_code=mapping.QCVN_TYPE.get(page.doc_type, "0"),
        type_detail=page.doc_type,
        type_name=page.type_name.capitalize() or "Công văn",
        subject=(page.subject[0].upper() + page.subject[1:]) if page.doc_type == "CV" else page.subject,
        signer_competence=page.signer[0],
        signer_position=page.signer[1].capitalize(),
        signer_name=page.signer[2],
        to_places=["Các tỉnh ủy, thành ủy", "Lưu VT"],
        priority=1 if page.urgency == "khan" else 0,
        sphere="Liên thông văn bản",
        page_amount=1,
        trace=[(sender.electronic_id, timezone.localtime().replace(tzinfo=None, microsecond=0))],
        attachments=[
            edxml.EdAttachment(
                name=f"{page.symbol.replace('/', '-')}.pdf", content_type="application/pdf", data=pdf
            )
        ],
    )
    return edxml.build_document(document)


def _settle_status_deliveries(since: dt.datetime) -> None:
    """The statuses this scene queued for the peer, as delivered (the demo sends nothing)."""
    Delivery.objects.filter(
        package__kind=PackageKind.STATUS, package__direction=Direction.OUT, created_at__gte=since
    ).update(state=DeliveryState.DELIVERED, attempts=1, delivered_at=timezone.now(), claimed_at=None)


def _report(committee: Organization, recipients: list[Organization], today: dt.date) -> Document:
    """The Tỉnh ủy's report to the three central bodies, through its circuit, issued, with its
    signed original."""
    drafter, chief, secretary, clerk = (_user(u) for u in ("chuyenvien", "chanhvp", "bithu", "vanthu"))
    page = DemoDocument(
        key="lien-thong-bc",
        issuer=Issuer(("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "TỈNH ỦY"), "TỈNH ỦY LÂM ĐỒNG", "TU", True),
        doc_type="BC",
        number=1,
        issued_date=today,
        subject=REPORT_SUBJECT,
        signer=("T/M BAN THƯỜNG VỤ", "BÍ THƯ", secretary.person.full_name),
        urgency=None,
        classification=None,
        addressee="Ban Bí thư",
        recipients=(
            "- Văn phòng Trung ương Đảng,",
            "- Ban Tổ chức Trung ương,",
            "- Ủy ban Kiểm tra Trung ương,",
        ),
    )
    (draft_pdf,) = render_pdfs([page])
    document = outgoing_draft_create(
        actor=drafter,
        organization=committee,
        doc_type="BC",
        subject=REPORT_SUBJECT,
        signer=secretary.person,
        recipients=recipients,
        files=[("Du-thao-BC.pdf", draft_pdf)],
    )
    steps = outgoing_submit(
        actor=drafter,
        document=document,
        steps=[
            {"stage": 1, "kind": ReviewKind.APPRAISAL_CONTENT, "reviewer": chief.person},
            {"stage": 2, "kind": ReviewKind.SIGN, "reviewer": secretary.person},
        ],
    )
    reviewers = {chief.person.pk: chief, secretary.person.pk: secretary}
    for step in steps:
        outgoing_review_decide(actor=reviewers[step.reviewer_id], step=step, decision=ReviewDecision.APPROVED)
    outgoing_issue(actor=clerk, document=document)
    document = Document.objects.get(pk=document.pk)
    (signed_pdf,) = render_pdfs([replace(page, printed_symbol=document.symbol)])
    file_attach(
        actor=clerk,
        document=document,
        upload=(document.symbol.replace("/", "-") + ".pdf", signed_pdf),
        kind=FileKind.ORIGINAL,
    )
    return document


def _status(
    sender: Organization, document: Document, package: Package, code: str, text: str, when: dt.datetime
) -> bytes:
    return edxml.build_status(
        edxml.EdStatus(
            sender=mapping.organ_of(sender),
            response_for_organ_id=package.sender_id,
            response_for_code=document.symbol,
            response_for_date=document.issued_date,
            response_for_document_id=package.document_key,
            status_code=code,
            description=text,
            timestamp=timezone.localtime(when).replace(tzinfo=None, microsecond=0),
            staff={"Staff": "Văn thư Văn phòng Trung ương"},
        )
    )


def seed_exchange(*, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    counts = {"peers": 0, "received": 0, "waiting": 0, "refused": 0, "deliveries": 0, "statuses": 0}
    with transaction.atomic():
        started = timezone.now()
        committee = Organization.objects.get(slug="tinhuy")
        committee.electronic_id = PROVINCE_ID
        committee.save(update_fields=["electronic_id"])
        # The books (the documents' demo opened them already; created when missing).
        registers_provision_defaults(organization=committee, term_start=TERM_STARTS["committee"])
        central = [_central(*row) for row in CENTRAL]
        office, organisers, inspection = central

        peer = Peer.objects.filter(code=PEER_CODE).first() or Peer(code=PEER_CODE)
        peer.name = "Hệ thống văn bản Trung ương"
        peer.base_url = PEER_URL
        peer.outbound_secret = secrets.token_urlsafe(32)
        peer.inbound_secret = secrets.token_urlsafe(32)
        peer.active = True
        peer.save()
        peer.organizations.set(central)
        counts["peers"] = 1

        # Two packages from the centre: a guide waiting in the queue, a letter registered.
        clerk = _user("vanthu")
        pages = _incoming_pages(today)
        pdfs = render_pdfs(pages)
        waiting = services.package_receive(
            actor=None,
            data=_incoming_package(pages[0], pdfs[0], office, committee),
            organization=committee,
            peer=peer,
            name="huong-dan.edxml",
        ).package
        letter = services.package_receive(
            actor=None,
            data=_incoming_package(pages[1], pdfs[1], organisers, committee),
            organization=committee,
            peer=peer,
            name="cong-van.edxml",
        ).package
        services.package_register(actor=clerk, package=letter)
        counts["received"], counts["waiting"] = 2, 1 if waiting.arrival is not None else 0
        try:  # a file the văn thư was given that is not a package: refused and kept
            services.package_receive(
                actor=clerk,
                data=b"<?xml version='1.0' encoding='utf-8'?><edXMLEnvelope><Header/></edXMLEnvelope>",
                organization=committee,
                name="goi-tin-loi.edxml",
            )
        except services.PackageRefused:
            counts["refused"] = 1

        # The Tỉnh ủy's report to the three central bodies, and where it stands at each.
        document = _report(committee, central, today)
        services.document_send(actor=clerk, document=document)
        package = services.outbound_package(document=document)
        now = timezone.now()
        deliveries = {d.recipient_id: d for d in Delivery.objects.filter(package=package)}
        delivered = deliveries[office.pk]
        delivered.state, delivered.attempts = DeliveryState.DELIVERED, 1
        delivered.delivered_at, delivered.remote_id = now, f"{rng.randrange(10**6, 10**7)}"
        failed = deliveries[organisers.pk]
        failed.state, failed.attempts = DeliveryState.FAILED, 1
        failed.last_error = (
            "Cơ quan nhận chưa được khai báo trên hệ thống liên thông Trung ương (000.00.00.G11)."
        )
        later = deliveries[inspection.pk]
        later.attempts, later.next_attempt_at = 4, now + dt.timedelta(hours=3)
        later.last_error = "timed out"
        for delivery in (delivered, failed, later):
            delivery.claimed_at = None
            delivery.save()
        counts["deliveries"] = len(deliveries)

        # What the Văn phòng Trung ương reported back.
        for code, text, minutes in (
            ("01", "Văn bản đã đến hệ thống của Văn phòng Trung ương Đảng.", 5),
            ("03", "Văn thư đã vào sổ văn bản đến.", 40),
            ("04", "Lãnh đạo Văn phòng đã phân công Vụ Hành chính xử lý.", 180),
        ):
            services.package_receive(
                actor=None,
                data=_status(office, document, package, code, text, now + dt.timedelta(minutes=minutes)),
                organization=None,
                peer=peer,
                name=f"trang-thai-{code}.edxml",
            )
            counts["statuses"] += 1
        _settle_status_deliveries(started)
    return counts


def summary(counts: dict[str, int]) -> str:
    return (
        f"{counts['peers']} hệ thống liên thông, {counts['received']} gói tin nhận về "
        f"({counts['waiting']} chờ vào sổ, {counts['refused']} gói tin bị từ chối), "
        f"{counts['deliveries']} lượt gửi liên thông, {counts['statuses']} trạng thái xử lý nơi nhận báo về"
    )
