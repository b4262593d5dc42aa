"""The exchange's pages: the status page with its outbox and a failed delivery sent again, the
packages (another organisation's clerk gets a 404), an import from a file (accepted: to the
package and its "Vào sổ"; refused: the reason and the kept package), the peers (404 for anyone
but an administrator; secrets masked, a generated key shown once), the document page's panel
and the home page's group of failed deliveries."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

import vanphong.exchange.panels_exchange  # noqa: F401 (registers the panel, as the app's ready does)
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import ArrivalState, FileKind
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft
from vanphong.exchange import pending, services
from vanphong.exchange.models import Delivery, DeliveryState, Package, PackageState, Peer

pytestmark = pytest.mark.django_db

SECRET_A = "a" * 30
SECRET_B = "b" * 30


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return demo_files.render_pdf(demo_files.demo_documents()[0])


@pytest.fixture
def peer(people) -> Peer:
    people.centre.electronic_id = "000.00.00.G01"
    people.centre.save()
    peer = Peer.objects.create(
        name="Trung ương",
        code="trung-uong",
        base_url="https://127.0.0.1:9/",
        outbound_secret=SECRET_A,
        inbound_secret=SECRET_B,
    )
    peer.organizations.set([people.centre])
    return peer


@pytest.fixture
def issued(people, pdf):
    """The Tỉnh ủy's Nghị quyết, issued to both communes and the centre (an external body)."""
    people.committee.electronic_id = "000.00.00.H99"
    people.committee.save()
    document = make_draft(people)
    file_attach(actor=people.drafter.user, document=document, upload=("nq.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    outgoing_issue(actor=people.clerk.user, document=document)
    document.refresh_from_db()
    return document


def edxml_of(people, document) -> bytes:
    package = services.document_export(actor=people.clerk.user, document=document)
    with package.file.open("rb") as handle:
        return handle.read()


def login(client, person):
    client.force_login(person.user)
    return client


@override_settings(VANPHONG_EXCHANGE_MAX_ATTEMPTS=5)
def test_the_status_page_shows_a_failed_delivery_and_sends_it_again(client, people, peer, issued):
    delivery = Delivery.objects.get(package__document=issued, recipient=people.centre)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=DeliveryState.FAILED, last_error="Kết nối bị từ chối"
    )
    page = login(client, people.clerk).get(reverse("exchange:status"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kết nối bị từ chối" in html and "Gửi lại" in html
    assert page.context["counts"]["failed"] == 1
    assert "Trung ương" in html and issued.symbol in html
    assert [
        d.pk for d in login(client, people.clerk).get("/lien-thong/?tinh_trang=failed").context["deliveries"]
    ] == [delivery.pk]
    assert login(client, people.clerk).get("/lien-thong/?tinh_trang=delivered").context["deliveries"] == []

    # Another organisation's clerk cannot send it again.
    login(client, people.clerk_y)
    assert client.post(reverse("exchange:delivery_retry", args=[delivery.pk])).status_code == 404

    login(client, people.clerk)
    answer = client.post(reverse("exchange:delivery_retry", args=[delivery.pk]), {"next": "/lien-thong/"})
    assert answer.status_code == 302 and answer["Location"] == "/lien-thong/"
    delivery.refresh_from_db()
    # Back in the outbox, due now, its attempts counted afresh.
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 0
    assert delivery.next_attempt_at <= timezone.now()
    # Sending a delivery that did not fail says why on the page.
    again = client.post(reverse("exchange:delivery_retry", args=[delivery.pk]), follow=True)
    assert "Chỉ gửi lại được lượt gửi không thành công." in again.content.decode()


def test_the_status_page_is_the_clerks(client, people):
    assert login(client, people.specialist).get(reverse("exchange:status")).status_code == 404
    assert login(client, people.specialist).get(reverse("exchange:package_list")).status_code == 404
    assert login(client, people.specialist).get(reverse("exchange:import")).status_code == 404
    assert login(client, people.clerk_x).get(reverse("exchange:status")).status_code == 200


def test_an_import_waits_in_the_queue_and_the_package_page_leads_to_registering(client, people, issued):
    data = edxml_of(people, issued)
    login(client, people.clerk_x)
    page = client.get(reverse("exchange:import"))
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    answer = client.post(
        reverse("exchange:import"),
        {
            "organization": people.commune_x.pk,
            "file": SimpleUploadedFile("nq.edxml", data, "application/xml"),
        },
    )
    package = Package.objects.get(organization=people.commune_x, state=PackageState.ACCEPTED)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "exchange:package_detail", args=[package.pk]
    )
    assert package.arrival is not None and package.arrival.state == ArrivalState.WAITING

    detail = client.get(answer["Location"])
    html = detail.content.decode()
    assert detail.status_code == 200
    assert reverse("documents:incoming_from_arrival", args=[package.arrival.pk]) in html
    assert issued.subject[:40] in html
    assert "không có đường báo trạng thái" in html  # imported from a file: no way back
    download = client.get(reverse("exchange:package_download", args=[package.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == data

    # The list finds it, and filters.
    listed = client.get(reverse("exchange:package_list"), {"chieu": "in", "q": issued.symbol})
    assert [p.pk for p in listed.context["packages"]] == [package.pk]
    assert client.get(reverse("exchange:package_list"), {"tinh_trang": "refused"}).context["packages"] == []

    # Another organisation's clerk sees neither the package nor its bytes.
    login(client, people.clerk_y)
    assert client.get(reverse("exchange:package_detail", args=[package.pk])).status_code == 404
    assert client.get(reverse("exchange:package_download", args=[package.pk])).status_code == 404
    assert client.get(reverse("exchange:package_list")).context["packages"] == []

    # The same file again: the package already made, nothing new.
    login(client, people.clerk_x)
    again = client.post(
        reverse("exchange:import"),
        {
            "organization": people.commune_x.pk,
            "file": SimpleUploadedFile("nq.edxml", data, "application/xml"),
        },
        follow=True,
    )
    assert "đã nhận trước đó" in again.content.decode()
    assert Package.objects.filter(organization=people.commune_x).count() == 1


def test_a_refused_import_shows_the_reason_and_links_the_kept_package(client, people):
    login(client, people.clerk_x)
    answer = client.post(
        reverse("exchange:import"),
        {
            "organization": people.commune_x.pk,
            "file": SimpleUploadedFile("hong.edxml", b"<not-edxml>", "application/xml"),
        },
    )
    assert answer.status_code == 400
    kept = Package.objects.get(state=PackageState.REFUSED)
    html = answer.content.decode()
    assert "Gói tin bị từ chối" in html and kept.reason and escape(kept.reason) in html
    assert reverse("exchange:package_detail", args=[kept.pk]) in html
    detail = client.get(reverse("exchange:package_detail", args=[kept.pk]))
    assert detail.status_code == 200 and escape(kept.reason) in detail.content.decode()


def test_the_import_offers_only_the_organisations_whose_books_the_clerk_keeps(client, people):
    login(client, people.clerk_x)
    answer = client.post(
        reverse("exchange:import"),
        {
            "organization": people.commune_y.pk,
            "file": SimpleUploadedFile("x.edxml", b"<x/>", "application/xml"),
        },
    )
    assert answer.status_code == 400
    assert not Package.objects.exists()


def test_peers_are_for_administrators_only(client, people, peer):
    for url in (
        reverse("exchange:peer_list"),
        reverse("exchange:peer_create"),
        reverse("exchange:peer_edit", args=[peer.pk]),
    ):
        assert login(client, people.clerk).get(url).status_code == 404
        assert login(client, people.admin).get(url).status_code == 404  # a QUAN_TRI who is not a superuser


def test_an_administrator_connects_a_peer_and_its_secrets_stay_hidden(client, people, peer):
    people.admin.user.is_superuser = True
    people.admin.user.save()
    login(client, people.admin)
    answer = client.post(
        reverse("exchange:peer_create"),
        {
            "name": "Đảng ủy Khối các cơ quan",
            "code": "DangUy-Khoi",
            "base_url": "https://vp.dukhoi.example.vn/",
            "organizations": [],
            "outbound_secret": "k" * 40,
            "inbound_secret": "",
            "generate_inbound": "on",
            "active": "on",
        },
    )
    assert answer.status_code == 200
    created = Peer.objects.get(code="danguy-khoi")
    assert len(created.inbound_secret) >= 40 and created.inbound_secret in answer.content.decode()

    listing = client.get(reverse("exchange:peer_list")).content.decode()
    assert created.inbound_secret not in listing and "k" * 40 not in listing
    assert created.inbound_secret[:4] + "••••" in listing

    # A change that leaves the secrets blank keeps them; the form never shows them.
    form = client.get(reverse("exchange:peer_edit", args=[peer.pk])).content.decode()
    assert SECRET_A not in form and SECRET_B not in form
    answer = client.post(
        reverse("exchange:peer_edit", args=[peer.pk]),
        {
            "name": "Trung ương (máy chủ mới)",
            "code": "trung-uong",
            "base_url": "https://vp2.trunguong.example.vn/",
            "organizations": [people.centre.pk],
            "outbound_secret": "",
            "inbound_secret": "",
        },
    )
    assert answer.status_code == 302
    peer.refresh_from_db()
    assert peer.name == "Trung ương (máy chủ mới)" and not peer.active
    assert (peer.outbound_secret, peer.inbound_secret) == (SECRET_A, SECRET_B)

    # A hosted organisation is not another system's; a short key is refused.
    refused = client.post(
        reverse("exchange:peer_create"),
        {
            "name": "Sai",
            "code": "sai",
            "base_url": "https://sai.example.vn/",
            "organizations": [people.centre.pk],
            "outbound_secret": "ngan",
            "inbound_secret": "x" * 30,
        },
    )
    assert refused.status_code == 400 and "ít nhất 24 ký tự" in refused.content.decode()


def test_the_document_panel_offers_sending_and_the_package_file(client, people, peer, pdf):
    people.committee.electronic_id = "000.00.00.H99"
    people.committee.save()
    document = make_draft(people)
    file_attach(actor=people.drafter.user, document=document, upload=("nq.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    peer.active = False  # not connected at issue: nothing queued
    peer.save()
    outgoing_issue(actor=people.clerk.user, document=document)
    assert not Delivery.objects.exists()
    peer.active = True
    peer.save()

    login(client, people.clerk)
    page = client.get(reverse("documents:document_detail", args=[document.pk]))
    html = page.content.decode()
    assert 'id="panel-exchange"' in html
    assert reverse("exchange:document_send", args=[document.pk]) in html
    assert reverse("exchange:document_export", args=[document.pk]) in html

    answer = client.post(reverse("exchange:document_send", args=[document.pk]))
    assert answer.status_code == 302
    delivery = Delivery.objects.get(package__document=document)
    assert delivery.recipient == people.centre
    html = client.get(reverse("documents:document_detail", args=[document.pk])).content.decode()
    assert reverse("exchange:document_send", args=[document.pk]) not in html  # nothing left to send
    assert delivery.get_state_display() in html

    exported = client.get(reverse("exchange:document_export", args=[document.pk]))
    assert exported.status_code == 200 and b"".join(exported.streaming_content).lstrip().startswith(b"<")
    # A commune's clerk does not send the Tỉnh ủy's documents.
    login(client, people.clerk_x)
    assert client.post(reverse("exchange:document_send", args=[document.pk])).status_code in (403, 404)
    assert Delivery.objects.count() == 1


def test_the_home_group_lists_failed_deliveries_for_the_clerk(people, peer, issued):
    Delivery.objects.filter(package__document=issued).update(
        state=DeliveryState.FAILED, last_error="HTTP 500"
    )
    group = pending.pending_failed(people.clerk.user)
    assert group is not None and group.count == 1
    assert "HTTP 500" in group.items[0][0]
    assert pending.pending_failed(people.specialist.user) is None
    other = pending.pending_failed(people.clerk_y.user)
    assert other is not None and other.count == 0
