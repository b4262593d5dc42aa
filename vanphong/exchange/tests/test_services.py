"""The exchange's services in one database: an issued document as a package (export → import
round trip as a file), a repeat registers nothing, a malformed package is refused and kept,
recall, update and replace act on the document they name, statuses come back to the sender,
and the outbox retries with back-off and gives up."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import (
    Arrival,
    ArrivalState,
    Document,
    DocumentLink,
    FileKind,
    LinkKind,
    RegisterEntry,
)
from vanphong.documents.services.arrivals import arrival_discard
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft
from vanphong.exchange import edxml, services
from vanphong.exchange.models import (
    Delivery,
    DeliveryState,
    Direction,
    Package,
    PackageKind,
    PackageState,
    Peer,
    RecipientStatus,
)
from vanphong.orgs.models import Classification

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return demo_files.render_pdf(demo_files.demo_documents()[0])


@pytest.fixture
def issued(people, pdf):
    """The Tỉnh ủy's Nghị quyết, with its PDF, issued to both communes and the centre."""
    people.committee.electronic_id = "000.00.00.H99"
    people.committee.save()
    people.centre.electronic_id = "000.00.00.G01"
    people.centre.save()
    document = make_draft(people)
    file_attach(
        actor=people.drafter.user, document=document, upload=("nghi-quyet.pdf", pdf), kind=FileKind.ORIGINAL
    )
    approve(people, document)
    outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    return document


def _export(people, document) -> bytes:
    package = services.document_export(actor=people.clerk.user, document=document)
    with package.file.open("rb") as handle:
        return handle.read()


def test_export_then_import_as_a_file_waits_in_the_queue_with_every_field(people, issued, pdf):
    data = _export(people, issued)
    assert _export(people, issued) == data  # built once: the same bytes every time

    received = services.package_receive(
        actor=people.clerk_x.user, data=data, organization=people.commune_x, name="goi.edxml"
    )
    assert received.created
    package = received.package
    assert package.state == PackageState.ACCEPTED and package.kind == PackageKind.NEW
    document = package.document
    assert document.pk != issued.pk and document.organization == people.commune_x
    assert (document.symbol, document.subject, document.issued_date) == (
        issued.symbol,
        issued.subject,
        issued.issued_date,
    )
    assert document.doc_type == "NQ" and document.issuer == people.committee
    assert [f.sha256 for f in document.files.all()] == [hashlib.sha256(pdf).hexdigest()]
    arrival = package.arrival
    assert arrival.state == ArrivalState.WAITING and arrival.document == document
    assert arrival.proposal["symbol"] == issued.symbol

    entry = services.package_register(actor=people.clerk_x.user, package=package)
    assert entry.document == document and entry.organization == people.commune_x
    arrival.refresh_from_db()
    assert arrival.state == ArrivalState.REGISTERED
    assert document.files.count() == 1  # the package's file, not a copy


def test_the_same_package_again_registers_nothing_new(people, issued):
    data = _export(people, issued)
    first = services.package_receive(actor=people.clerk_x.user, data=data, organization=people.commune_x)
    again = services.package_receive(actor=people.clerk_x.user, data=data, organization=people.commune_x)
    assert not again.created and again.package.pk == first.package.pk
    # Another package of the same document from the same sender (rebuilt, other bytes) too.
    parsed = edxml.parse(data)
    assert isinstance(parsed, edxml.EdDocument)
    rebuilt = edxml.build_document(dataclasses.replace(parsed, content="gửi lại"))
    assert rebuilt != data
    third = services.package_receive(actor=people.clerk_x.user, data=rebuilt, organization=people.commune_x)
    assert not third.created and third.package.pk == first.package.pk
    assert Arrival.objects.filter(organization=people.commune_x).count() == 1


@pytest.mark.parametrize(
    "data",
    [b"", b"not xml at all", b"<?xml version='1.0'?><edXML xmlns='http://www.go.vn/eDoc'/>"],
)
def test_a_malformed_package_is_refused_with_its_reason_and_kept(people, data):
    documents = Document.objects.count()
    with pytest.raises(services.PackageRefused) as refused:
        services.package_receive(actor=people.clerk_x.user, data=data, organization=people.commune_x)
    package = refused.value.package
    assert package.state == PackageState.REFUSED and package.reason
    assert package.file.read() == data
    assert Document.objects.count() == documents and not Arrival.objects.exists()
    with pytest.raises(services.PackageRefused) as again:
        services.package_receive(actor=people.clerk_x.user, data=data, organization=people.commune_x)
    assert again.value.package.pk == package.pk


def test_only_the_receiving_office_clerk_imports(people, issued):
    data = _export(people, issued)
    with pytest.raises(PermissionDenied):
        services.package_receive(actor=people.clerk_y.user, data=data, organization=people.commune_x)


def _change(people, issued, kind: edxml.BusinessKind, **changes) -> bytes:
    parsed = edxml.parse(_export(people, issued))
    assert isinstance(parsed, edxml.EdDocument)
    return edxml.build_document(
        dataclasses.replace(parsed, business_kind=kind, replaces=[parsed.document_id], **changes)
    )


def test_a_recall_takes_a_waiting_document_out_of_the_queue(people, issued):
    first = services.package_receive(
        actor=people.clerk_x.user, data=_export(people, issued), organization=people.commune_x
    )
    recall = _change(people, issued, edxml.BusinessKind.RECALL, business_reason="Ban hành nhầm")
    received = services.package_receive(actor=people.clerk_x.user, data=recall, organization=people.commune_x)
    assert received.package.kind == PackageKind.RECALL
    first.package.arrival.refresh_from_db()
    assert first.package.arrival.state == ArrivalState.DISCARDED


def test_a_recall_of_a_registered_document_is_noted_in_the_book(people, issued):
    first = services.package_receive(
        actor=people.clerk_x.user, data=_export(people, issued), organization=people.commune_x
    )
    entry = services.package_register(actor=people.clerk_x.user, package=first.package)
    services.package_receive(
        actor=people.clerk_x.user,
        data=_change(people, issued, edxml.BusinessKind.RECALL, business_reason="Ban hành nhầm"),
        organization=people.commune_x,
    )
    entry.refresh_from_db()
    assert "thu hồi" in entry.notes and "Ban hành nhầm" in entry.notes


def test_an_update_changes_the_named_document(people, issued):
    first = services.package_receive(
        actor=people.clerk_x.user, data=_export(people, issued), organization=people.commune_x
    )
    update = _change(people, issued, edxml.BusinessKind.UPDATE, subject="Nghị quyết về kinh tế số (sửa)")
    services.package_receive(actor=people.clerk_x.user, data=update, organization=people.commune_x)
    first.package.document.refresh_from_db()
    assert first.package.document.subject == "Nghị quyết về kinh tế số (sửa)"
    first.package.arrival.refresh_from_db()
    assert first.package.arrival.proposal["subject"] == "Nghị quyết về kinh tế số (sửa)"


def test_a_replacement_is_a_new_document_linked_to_the_one_it_replaces(people, issued):
    first = services.package_receive(
        actor=people.clerk_x.user, data=_export(people, issued), organization=people.commune_x
    )
    services.package_register(actor=people.clerk_x.user, package=first.package)
    replace = _change(people, issued, edxml.BusinessKind.REPLACE, subject="Nghị quyết thay thế")
    received = services.package_receive(
        actor=people.clerk_x.user, data=replace, organization=people.commune_x
    )
    made = received.package.document
    assert made.pk != first.package.document.pk and made.subject == "Nghị quyết thay thế"
    link = DocumentLink.objects.get(source=made, kind=LinkKind.REPLACES)
    assert link.target == first.package.document
    assert received.package.arrival.state == ArrivalState.WAITING


def test_a_change_naming_an_unknown_document_is_refused(people, issued):
    parsed = edxml.parse(_export(people, issued))
    data = edxml.build_document(
        dataclasses.replace(
            parsed, business_kind=edxml.BusinessKind.RECALL, replaces=["000.00.00.X00,2020/01/01,1/X"]
        )
    )
    with pytest.raises(services.PackageRefused) as refused:
        services.package_receive(actor=people.clerk_x.user, data=data, organization=people.commune_x)
    assert "Không tìm thấy văn bản" in refused.value.package.reason


def test_a_status_from_a_recipient_shows_on_our_document(people, issued):
    package = services.document_export(actor=people.clerk.user, document=issued)
    status = edxml.EdStatus(
        sender=edxml.Organ(organ_id="000.00.00.G01", name="Ban Chấp hành Trung ương"),
        response_for_organ_id="000.00.00.H99",
        response_for_code=issued.symbol,
        response_for_date=issued.issued_date,
        response_for_document_id=package.document_key,
        status_code="03",
        description="Đã vào sổ",
        timestamp=timezone.localtime().replace(tzinfo=None, microsecond=0),
    )
    received = services.package_receive(
        actor=people.clerk.user, data=edxml.build_status(status), organization=people.committee
    )
    assert received.package.kind == PackageKind.STATUS
    row = RecipientStatus.objects.get(document=issued)
    assert (row.code, row.recipient) == ("03", people.centre)


def test_a_classified_document_never_travels(people, pdf):
    document = make_draft(people, classification=Classification.MAT)
    file_attach(actor=people.drafter.user, document=document, upload=("mat.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    with pytest.raises(ValidationError, match="mật"):
        services.document_export(actor=people.clerk.user, document=document)


@override_settings(
    VANPHONG_EXCHANGE_ALLOW_HTTP=True, VANPHONG_EXCHANGE_MAX_ATTEMPTS=3, VANPHONG_EXCHANGE_TIMEOUT=2
)
def test_issue_queues_the_connected_recipients_and_the_outbox_backs_off_then_gives_up(
    people, pdf, django_capture_on_commit_callbacks
):
    people.centre.electronic_id = "000.00.00.G01"
    people.centre.save()
    peer = Peer.objects.create(
        name="Trung ương",
        code="trung-uong",
        base_url="http://127.0.0.1:9/",
        outbound_secret="a",
        inbound_secret="b",
    )
    peer.organizations.set([people.centre])
    document = make_draft(people)
    file_attach(actor=people.drafter.user, document=document, upload=("nq.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    with django_capture_on_commit_callbacks(execute=True):
        outgoing_issue(actor=people.clerk.user, document=document)  # jobs inline: one attempt at once
    delivery = Delivery.objects.get(package__document=document)
    assert delivery.recipient == people.centre and delivery.state == DeliveryState.PENDING
    assert delivery.attempts == 1 and delivery.last_error
    assert delivery.next_attempt_at > timezone.now()
    assert services.delivery_send(delivery.pk) is None  # not due yet
    for _ in range(2):
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        services.delivery_send(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 3
    with pytest.raises(PermissionDenied):
        services.delivery_retry(actor=people.clerk_x.user, delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_retry(actor=people.clerk.user, delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1  # tried again at once
    # Sending again queues nothing new.
    document.refresh_from_db()
    assert services.document_send(actor=people.clerk.user, document=document) == []


def test_backoff_grows_and_is_capped():
    assert [services.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert services.backoff(30).total_seconds() == 360 * 60


def _peer_package(people, issued) -> Package:
    """A package received from a peer (for the statuses sent back)."""
    peer = Peer.objects.create(
        name="Tỉnh bạn",
        code="tinh-ban",
        base_url="https://127.0.0.1:9/",
        outbound_secret="a",
        inbound_secret="b",
    )
    peer.organizations.set([people.committee])  # the sender's (a hosted row stands for it here)
    return services.package_receive(
        actor=None, data=_export(people, issued), organization=people.commune_x, peer=peer
    ).package


def test_the_sender_hears_arrived_accepted_and_assigned(people, issued):
    package = _peer_package(people, issued)
    codes = lambda: sorted(  # noqa: E731
        Package.objects.filter(direction=Direction.OUT, kind=PackageKind.STATUS).values_list(
            "status_code", flat=True
        )
    )
    assert codes() == ["01"]
    services.package_register(actor=people.clerk_x.user, package=package)
    assert codes() == ["01", "03"]


def test_the_sender_hears_a_refusal_with_the_reason(people, issued):
    package = _peer_package(people, issued)
    arrival_discard(actor=people.clerk_x.user, arrival=package.arrival, reason="Không đúng thẩm quyền")
    refusal = Package.objects.get(direction=Direction.OUT, kind=PackageKind.STATUS, status_code="02")
    assert refusal.details["description"] == "Không đúng thẩm quyền"
    assert not RegisterEntry.objects.filter(document=package.document).exists()


@override_settings(VANPHONG_EXCHANGE_ALLOW_HTTP=True, VANPHONG_EXCHANGE_TIMEOUT=2)
def test_a_file_signed_after_issue_reaches_those_who_have_the_document_as_an_update(
    people, pdf, django_capture_on_commit_callbacks
):
    people.centre.electronic_id = "000.00.00.G01"
    people.centre.save()
    peer = Peer.objects.create(
        name="Trung ương",
        code="trung-uong",
        base_url="http://127.0.0.1:9/",
        outbound_secret="a",
        inbound_secret="b",
    )
    peer.organizations.set([people.centre])
    document = make_draft(people)
    file_attach(actor=people.drafter.user, document=document, upload=("nq.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    first = Delivery.objects.get(package__document=document)
    Delivery.objects.filter(pk=first.pk).update(state=DeliveryState.DELIVERED)
    # The seal's file (any new file of the issued document) after the delivery.
    file_attach(
        actor=people.clerk.user,
        document=document,
        upload=("phu-luc.pdf", pdf + b"\n"),
        kind=FileKind.ATTACHMENT,
    )
    made = services.document_files_changed(actor=people.clerk.user, document=document)
    assert [d.recipient for d in made] == [people.centre]
    update = made[0].package
    parsed = edxml.parse(update.file.read())
    assert isinstance(parsed, edxml.EdDocument)
    assert parsed.business_kind == edxml.BusinessKind.UPDATE and parsed.replaces == [
        first.package.document_key
    ]
    assert len(parsed.attachments) == 2
    # The export now carries both files; asking again builds nothing new.
    assert services.document_export(actor=people.clerk.user, document=document).details["files"] == [
        f.pk for f in services.sendable_files(document)
    ]
    assert services.document_files_changed(actor=people.clerk.user, document=document) == []
