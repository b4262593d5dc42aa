"""Real public edXML packages, and the recall, update, replace and status packages built to the
structure the public builders show (samples/SOURCES.md says which is which), imported through the
same service as a clerk's upload: each new document waits in the queue with its fields; the
changes act on the document they name; a status lands on our outgoing document; the sample
without a date is refused and kept."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import ArrivalState, Document, DocumentLink, DocumentState, LinkKind
from vanphong.exchange import edxml, services
from vanphong.exchange.models import PackageKind, PackageState, RecipientStatus
from vanphong.orgs.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"
PUBLIC_NEW = {
    "truclienthong_dc0bdef0.edxml": "V/v kết nối, liên thông phần mềm quản lý văn bản",
    "vpcp_sdk_xml_852e179c.edxml": "Văn bản liên thông chỉ đạo - 190701",
    "gateway_uploads_1da394ba.edxml": "Local Aggregate Test",
    "gateway_1760427207626_b.txt.edxml": "1760427207626_b.txt",
}


def _receive(people, name: str):
    return services.package_receive(
        actor=people.clerk_x.user,
        data=(SAMPLES / name).read_bytes(),
        organization=people.commune_x,
        name=name,
    )


@pytest.mark.parametrize("name", sorted(PUBLIC_NEW))
def test_a_public_new_document_package_waits_in_the_queue_and_registers_in_one_step(people, name):
    received = _receive(people, name)
    package = received.package
    assert package.state == PackageState.ACCEPTED and package.kind == PackageKind.NEW
    document = package.document
    assert document.subject == PUBLIC_NEW[name] and document.files.exists()
    assert package.arrival.state == ArrivalState.WAITING
    entry = services.package_register(actor=people.clerk_x.user, package=package)
    assert entry.document == document and entry.number >= 1


def test_the_public_sample_without_a_date_is_refused_and_kept(people):
    with pytest.raises(services.PackageRefused) as refused:
        _receive(people, "gateway_test_edxml_with_content.edxml")
    assert refused.value.package.state == PackageState.REFUSED and refused.value.package.reason


def _base_document(people):
    """The Công văn 125/CV-VPTU the built change packages name, received first."""
    parsed = edxml.parse((SAMPLES / "built_update.edxml").read_bytes())
    assert isinstance(parsed, edxml.EdDocument)
    original = dataclasses.replace(
        parsed,
        business_kind=edxml.BusinessKind.NEW,
        replaces=[],
        subject="V/v triển khai phần mềm quản lý văn bản",
        business_reason="",
        attachments=[
            edxml.EdAttachment(
                name="125-CV-VPTU.pdf",
                content_type="application/pdf",
                data=demo_files.render_pdf(demo_files.demo_documents()[1]),
            )
        ],
    )
    return services.package_receive(
        actor=people.clerk_x.user, data=edxml.build_document(original), organization=people.commune_x
    ).package


def test_the_built_update_replace_and_recall_act_on_the_document_they_name(people):
    base = _base_document(people)
    services.package_register(actor=people.clerk_x.user, package=base)
    _receive(people, "built_update.edxml")
    base.document.refresh_from_db()
    assert base.document.subject == "V/v cập nhật thông tin Công văn số 125/CV-VPTU"
    replaced = _receive(people, "built_replace.edxml").package
    assert replaced.kind == PackageKind.REPLACE and replaced.document.symbol == "126/CV-VPTU"
    assert DocumentLink.objects.get(source=replaced.document, kind=LinkKind.REPLACES).target == base.document
    recalled = _receive(people, "built_recall.edxml").package
    assert recalled.kind == PackageKind.RECALL
    entry = base.document.entries.get()
    assert "thu hồi" in entry.notes


@pytest.mark.parametrize(
    ("name", "code"), [("built_status_02_refused.edxml", "02"), ("built_status_15_dd_mm_yyyy.edxml", "15")]
)
def test_a_built_status_package_lands_on_our_document(people, name, code):
    people.committee.electronic_id = "000.00.00.H41"
    people.committee.save()
    recipient = OrganizationFactory(name="Sở Nội vụ", electronic_id="000.02.00.H41", hosted=False)
    ours = Document.objects.create(
        organization=people.committee,
        state=DocumentState.ISSUED,
        doc_type="CV",
        symbol="125/CV-VPTU",
        number=125,
        issued_date=dt.date(2026, 3, 2),
        subject="V/v triển khai phần mềm quản lý văn bản",
    )
    received = services.package_receive(
        actor=people.clerk.user, data=(SAMPLES / name).read_bytes(), organization=people.committee
    )
    assert received.package.kind == PackageKind.STATUS
    status = RecipientStatus.objects.get(document=ours)
    assert (status.code, status.recipient) == (code, recipient)


def test_a_document_with_an_attachment_kept_as_it_came_shows_and_downloads(client, people):
    from django.urls import reverse

    package = _receive(people, "truclienthong_dc0bdef0.edxml").package
    entry = services.package_register(actor=people.clerk_x.user, package=package)
    client.force_login(people.clerk_x.user)
    page = client.get(reverse("documents:entry_detail", args=[entry.pk]))
    assert page.status_code == 200
    opaque = package.document.files.get()
    assert opaque.content_type == "application/octet-stream" and opaque.file.name.endswith(".bin")
    download = client.get(f"/api/v1/files/{opaque.pk}/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
