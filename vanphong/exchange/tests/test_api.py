"""The exchange's API: a package as a file (export), an import (201, 200 for a repeat, 400
with the reason for a malformed one), a peer's inbox (401 unknown, 400 altered in transit),
one-step registration, and who sees what."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from vanphong.api.tests.helpers import bearer
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import FileKind
from vanphong.documents.services.files import file_attach
from vanphong.documents.services.outgoing import outgoing_issue
from vanphong.documents.tests.test_outgoing_support import approve, make_draft
from vanphong.exchange import transport
from vanphong.exchange.models import Package, PackageState, Peer

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return demo_files.render_pdf(demo_files.demo_documents()[0])


@pytest.fixture
def issued(people, pdf):
    people.commune_x.electronic_id = "001.00.00.H99"
    people.commune_x.save()
    document = make_draft(people)
    file_attach(actor=people.drafter.user, document=document, upload=("nq.pdf", pdf), kind=FileKind.ORIGINAL)
    approve(people, document)
    outgoing_issue(actor=people.clerk.user, document=document)
    return document


def _download(client: Any, people: Any, document: Any) -> bytes:
    response = client.get(f"/api/v1/outgoing/{document.pk}/edxml/", **bearer(people.clerk.user))
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    return b"".join(response.streaming_content)


def _import(client: Any, person: Any, data: bytes, organization: Any) -> Any:
    return client.post(
        "/api/v1/exchange/import/",
        {"file": SimpleUploadedFile("goi.edxml", data, "application/xml"), "organization": organization.pk},
        **bearer(person.user),
    )


def test_export_import_register_through_the_api(client, people, issued):
    data = _download(client, people, issued)
    response = _import(client, people.clerk_x, data, people.commune_x)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "accepted" and body["queue"] == "waiting" and body["document"]
    again = _import(client, people.clerk_x, data, people.commune_x)
    assert again.status_code == 200 and again.json()["id"] == body["id"] and again.json()["created"] is False
    registered = client.post(
        f"/api/v1/exchange/packages/{body['id']}/register/", **bearer(people.clerk_x.user)
    )
    assert registered.status_code == 201, registered.json()
    assert registered.json()["document"] == body["document"]
    twice = client.post(f"/api/v1/exchange/packages/{body['id']}/register/", **bearer(people.clerk_x.user))
    assert twice.status_code == 400


def test_a_malformed_package_answers_400_with_the_reason_and_is_kept(client, people):
    response = _import(client, people.clerk_x, b"<edXML>", people.commune_x)
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "refused" and body["error"]["message"]
    assert Package.objects.get(pk=body["id"]).state == PackageState.REFUSED


def test_packages_are_seen_by_their_organisations_clerks_only(client, people, issued):
    data = _download(client, people, issued)
    package_id = _import(client, people.clerk_x, data, people.commune_x).json()["id"]
    assert (
        client.get(f"/api/v1/exchange/packages/{package_id}/", **bearer(people.clerk_x.user)).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/exchange/packages/{package_id}/", **bearer(people.clerk_y.user)).status_code
        == 404
    )
    listed = client.get("/api/v1/exchange/packages/", **bearer(people.clerk_y.user)).json()
    assert listed["count"] == 0
    # Importing for an organisation whose books one does not keep: 404.
    assert _import(client, people.clerk_y, data, people.commune_x).status_code == 404
    # A recipient reads the document but the package is its issuer's to send: 403.
    response = client.get(f"/api/v1/outgoing/{issued.pk}/edxml/", **bearer(people.clerk_y.user))
    assert response.status_code == 403


def _inbox(
    client: Any, data: bytes, *, instance: str, secret: str, organization: str, alter: bool = False
) -> Any:
    timestamp = str(int(time.time()))
    signature = transport.signature(
        secret, instance=instance, timestamp=timestamp, kind="edxml", organization=organization, data=data
    )
    if alter:
        data = data[:-40] + b"X" + data[-39:]
    return client.post(
        "/api/v1/exchange/inbox/",
        {"file": SimpleUploadedFile("goi.edxml", data, "application/xml"), "organization": organization},
        HTTP_X_VANPHONG_INSTANCE=instance,
        HTTP_X_VANPHONG_TIMESTAMP=timestamp,
        HTTP_X_VANPHONG_SIGNATURE=signature,
    )


def test_the_inbox_takes_a_known_peers_signed_package_only(client, people, issued):
    data = _download(client, people, issued)
    peer = Peer.objects.create(
        name="Tỉnh ủy",
        code="tinhuy",
        base_url="https://127.0.0.1:9/",
        outbound_secret="o",
        inbound_secret="s" * 30,
    )
    # A peer sends only the documents of the organisations it runs.
    stranger = _inbox(client, data, instance="tinhuy", secret="s" * 30, organization="001.00.00.H99")
    assert (
        stranger.status_code == 400
        and "không phải cơ quan dùng hệ thống" in stranger.json()["error"]["message"]
    )
    peer.organizations.set([people.committee])  # here a hosted row stands for the other side's
    unknown = _inbox(client, data, instance="ai-do", secret="s" * 30, organization="001.00.00.H99")
    assert unknown.status_code == 401
    altered = _inbox(
        client, data, instance="tinhuy", secret="s" * 30, organization="001.00.00.H99", alter=True
    )
    assert altered.status_code == 400 and "đường truyền" in altered.json()["error"]["message"]
    assert Package.objects.get(pk=altered.json()["id"]).peer == peer
    accepted = _inbox(client, data, instance="tinhuy", secret="s" * 30, organization="001.00.00.H99")
    assert accepted.status_code == 201, accepted.json()
    package = Package.objects.get(pk=accepted.json()["id"])
    assert package.organization == people.commune_x and package.peer == peer
    repeated = _inbox(client, data, instance="tinhuy", secret="s" * 30, organization="001.00.00.H99")
    assert repeated.status_code == 200 and repeated.json()["id"] == package.pk
    nobody = _inbox(client, data, instance="tinhuy", secret="s" * 30, organization="999.99.99.Z99")
    assert nobody.status_code == 400
