"""Signing our documents' PDF files (vanphong.exchange.signing) and its pages: credentials in
real PKCS#12 files from a certificate authority made in the test, pyHanko signing for real."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from vanphong.audit.models import AuditEvent
from vanphong.core.signatures import SEAL_FIELD_PREFIX, verify_pdf
from vanphong.core.signatures.placement import signature_placements
from vanphong.core.signatures.testing import TestCA, make_ca, make_leaf
from vanphong.demo import documents_files as demo_files
from vanphong.documents.models import DocumentFile, DocumentState, RegisterKind
from vanphong.documents.services import files as file_services
from vanphong.documents.tests.factories import DocumentFactory, registered_entry
from vanphong.exchange import panels as _signing_panel  # noqa: F401  (registered by ready() too)
from vanphong.exchange import signing
from vanphong.exchange.models import CredentialKind, SignedFile, SigningCredential
from vanphong.exchange.selectors_signing import credentials_usable_by

DEMO = demo_files.demo_documents()[0]
SIGNER = DEMO.signer[2]  # printed at the foot of the demo page
PASS = "mat-khau-1"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return make_ca("CA Ban Cơ yếu thử nghiệm")


@pytest.fixture(autouse=True)
def _trust(settings, tmp_path, ca):
    (tmp_path / "roots.pem").write_bytes(ca.pem)
    settings.VANPHONG_SIGNATURE_TRUST_ROOTS = str(tmp_path / "roots.pem")
    settings.VANPHONG_SIGNATURE_TSA_URL = ""


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return demo_files.render_pdf(DEMO)


@pytest.fixture(scope="module")
def leader_p12(ca) -> bytes:
    return make_leaf(ca, SIGNER, organization="Tỉnh ủy Thử nghiệm", passphrase=PASS)


@pytest.fixture(scope="module")
def seal_p12(ca) -> bytes:
    return make_leaf(ca, "Tỉnh ủy Thử nghiệm", seal=True, passphrase=PASS)


def _bytes(record) -> bytes:
    with record.file.open("rb") as fh:
        return fh.read()


def issued_pdf(province, pdf, *, state=DocumentState.ISSUED, organization=None):
    """An outgoing document of the Tỉnh ủy (issued, in its outgoing book) with its PDF."""
    organization = organization or province.committee
    if state == DocumentState.ISSUED:
        document = registered_entry(
            actor=province.clerk.user,
            organization=organization,
            kind=RegisterKind.OUTGOING,
            doc_type="NQ",
            symbol="01-NQ/TU",
            signer_name=SIGNER,
            subject=DEMO.subject,
        ).document
    else:
        document = DocumentFactory(organization=organization, state=state, symbol="", signer_name=SIGNER)
    return file_services.file_attach(
        actor=province.clerk.user, document=document, upload=("Nghị quyết 01.pdf", pdf)
    )


def personal(province, leader_p12) -> SigningCredential:
    return signing.credential_add(
        actor=province.leader.user,
        kind=CredentialKind.PERSONAL,
        organization=province.committee,
        person=None,
        upload=("ky-so.p12", leader_p12),
        passphrase=PASS,
    )


def seal(province, seal_p12) -> SigningCredential:
    return signing.credential_add(
        actor=province.clerk.user,
        kind=CredentialKind.SEAL,
        organization=province.committee,
        person=None,
        upload=("con-dau.p12", seal_p12),
        passphrase=PASS,
    )


# --- Credentials ------------------------------------------------------------------------------


def test_a_person_adds_their_credential_and_its_certificate_is_recorded(province, leader_p12):
    credential = personal(province, leader_p12)
    assert credential.person == province.leader and credential.kind == CredentialKind.PERSONAL
    assert f"CN={SIGNER}" in credential.subject and "CA Ban Cơ yếu" in credential.issuer
    assert credential.not_before < credential.not_after and credential.serial
    assert _bytes(credential) == leader_p12
    assert PASS not in str(AuditEvent.objects.get(action="exchange.credential_add").after)
    assert list(credentials_usable_by(province.leader.user)) == [credential]
    assert not credentials_usable_by(province.clerk.user).exists()


def test_a_wrong_passphrase_or_not_a_pkcs12_stores_nothing(province, leader_p12):
    with pytest.raises(ValidationError, match="Mật khẩu chứng thư số không đúng"):
        signing.credential_add(
            actor=province.leader.user,
            kind=CredentialKind.PERSONAL,
            organization=province.committee,
            person=None,
            upload=("ky-so.p12", leader_p12),
            passphrase="sai",
        )
    with pytest.raises(ValidationError, match="PKCS#12"):
        signing.credential_add(
            actor=province.leader.user,
            kind=CredentialKind.PERSONAL,
            organization=province.committee,
            person=None,
            upload=("ky-so.p12", b"not a key"),
            passphrase=PASS,
        )
    assert not SigningCredential.objects.exists()


def test_only_oneself_or_an_admin_adds_a_personal_one_and_only_the_van_thu_a_seal(
    province, leader_p12, seal_p12
):
    with pytest.raises(PermissionDenied):
        signing.credential_add(
            actor=province.specialist.user,
            kind=CredentialKind.PERSONAL,
            organization=province.committee,
            person=province.leader,
            upload=("ky-so.p12", leader_p12),
            passphrase=PASS,
        )
    by_admin = signing.credential_add(
        actor=province.admin.user,
        kind=CredentialKind.PERSONAL,
        organization=province.committee,
        person=province.leader,
        upload=("ky-so.p12", leader_p12),
        passphrase=PASS,
    )
    assert by_admin.person == province.leader
    with pytest.raises(PermissionDenied):
        signing.credential_add(
            actor=province.leader.user,
            kind=CredentialKind.SEAL,
            organization=province.committee,
            person=None,
            upload=("con-dau.p12", seal_p12),
            passphrase=PASS,
        )
    assert seal(province, seal_p12).person is None
    assert credentials_usable_by(province.clerk.user).get().kind == CredentialKind.SEAL
    assert not credentials_usable_by(province.clerk_x.user).exists()


def test_a_deactivated_credential_can_no_longer_sign(province, books, pdf, leader_p12):
    credential = personal(province, leader_p12)
    with pytest.raises(PermissionDenied):
        signing.credential_deactivate(actor=province.clerk.user, credential=credential)
    signing.credential_deactivate(actor=province.leader.user, credential=credential)
    credential.refresh_from_db()
    assert not credential.active and not credentials_usable_by(province.leader.user).exists()
    with pytest.raises(ValidationError, match="ngừng sử dụng"):
        signing.file_sign(
            actor=province.leader.user,
            file=issued_pdf(province, pdf),
            credential=credential,
            passphrase=PASS,
            as_seal=False,
        )


# --- Signing ----------------------------------------------------------------------------------


def test_the_signer_signs_then_the_van_thu_seals_and_both_signatures_stay_valid(
    province, books, pdf, leader_p12, seal_p12, ca
):
    source = issued_pdf(province, pdf)
    mine, agency = personal(province, leader_p12), seal(province, seal_p12)
    signed = signing.file_sign(
        actor=province.leader.user, file=source, credential=mine, passphrase=PASS, as_seal=False
    )
    assert signed.original_name == "Nghị quyết 01.signed.pdf" and signed.document_id == source.document_id
    assert signed.kind == "original" and signed.pk != source.pk
    data = _bytes(signed)
    assert data.startswith(pdf)  # an incremental update of the exact bytes
    assert [c["valid"] for c in signed.signatures] == [True]
    assert SignedFile.objects.get(result=signed).source == source
    sealed = signing.file_sign(
        actor=province.clerk.user, file=signed, credential=agency, passphrase=PASS, as_seal=True
    )
    assert sealed.original_name == "Nghị quyết 01.signed.signed.pdf"
    sealed.refresh_from_db()
    first, second = sealed.signatures
    assert first["signer"] == SIGNER and first["valid"] and first["intact"]
    assert second["is_seal"] is True and second["valid"] and second["covers_whole_file"]
    (person_box, seal_box) = (p for _n, p in signature_placements(_bytes(sealed)))
    third = person_box.width / 3
    assert seal_box.box[2] == pytest.approx(person_box.box[0] + third, abs=1)  # over the left third
    assert seal_box.box[1] == person_box.box[1] and seal_box.box[3] == person_box.box[3]
    assert _bytes(source) == pdf  # the unsigned file stays
    assert AuditEvent.objects.filter(action="exchange.file_sign").count() == 2
    assert all(c.valid for c in verify_pdf(_bytes(sealed), trust_roots=[ca.pem]))


def test_a_seal_on_a_file_without_a_personal_signature_goes_top_right_of_page_one(
    province, books, pdf, seal_p12
):
    sealed = signing.file_sign(
        actor=province.clerk.user,
        file=issued_pdf(province, pdf),
        credential=seal(province, seal_p12),
        passphrase=PASS,
        as_seal=True,
    )
    ((name, placement),) = signature_placements(_bytes(sealed))
    assert name.startswith(SEAL_FIELD_PREFIX)
    assert placement.page == 0 and placement.box[3] > 800 and placement.box[2] > 550  # A4, top right


def test_a_wrong_passphrase_signs_nothing(province, books, pdf, leader_p12):
    source = issued_pdf(province, pdf)
    files_before = DocumentFile.objects.count()
    with pytest.raises(ValidationError, match="Mật khẩu chứng thư số không đúng"):
        signing.file_sign(
            actor=province.leader.user,
            file=source,
            credential=personal(province, leader_p12),
            passphrase="sai",
            as_seal=False,
        )
    assert DocumentFile.objects.count() == files_before and not SignedFile.objects.exists()


def test_the_rules_of_who_signs_what(province, books, pdf, leader_p12, seal_p12):
    mine, agency = personal(province, leader_p12), seal(province, seal_p12)
    issued = issued_pdf(province, pdf)
    with pytest.raises(PermissionDenied):  # someone else's personal credential
        signing.file_sign(
            actor=province.clerk.user, file=issued, credential=mine, passphrase=PASS, as_seal=False
        )
    with pytest.raises(PermissionDenied):  # the seal, by someone not keeping the books
        signing.file_sign(
            actor=province.leader.user, file=issued, credential=agency, passphrase=PASS, as_seal=True
        )
    with pytest.raises(ValidationError, match="không đúng loại"):
        signing.file_sign(
            actor=province.leader.user, file=issued, credential=mine, passphrase=PASS, as_seal=True
        )
    draft = issued_pdf(province, pdf, state=DocumentState.DRAFT)
    with pytest.raises(ValidationError, match="đã được duyệt hoặc đã phát hành"):
        signing.file_sign(
            actor=province.leader.user, file=draft, credential=mine, passphrase=PASS, as_seal=False
        )
    docx = file_services.file_attach(
        actor=province.clerk.user,
        document=issued.document,
        upload=("Nghị quyết.docx", demo_files.render_docx(DEMO)),
    )
    with pytest.raises(ValidationError, match="Chỉ ký số được tệp PDF"):
        signing.file_sign(
            actor=province.leader.user, file=docx, credential=mine, passphrase=PASS, as_seal=False
        )
    office_doc = issued_pdf(province, pdf, state=DocumentState.APPROVED, organization=province.office)
    with pytest.raises(ValidationError, match="không phải của cơ quan"):
        signing.file_sign(
            actor=province.leader.user, file=office_doc, credential=mine, passphrase=PASS, as_seal=False
        )
    assert not SignedFile.objects.exists()


# --- Pages ------------------------------------------------------------------------------------


def test_the_credential_pages_add_list_and_deactivate(client, province, leader_p12):
    client.force_login(province.leader.user)
    page = client.get(reverse("exchange:credential_add"))
    assert page.status_code == 200 and 'type="password"' in page.content.decode()
    response = client.post(
        reverse("exchange:credential_add"),
        {
            "kind": CredentialKind.PERSONAL,
            "organization": province.committee.pk,
            "file": SimpleUploadedFile("ky-so.p12", leader_p12, content_type="application/x-pkcs12"),
            "passphrase": "sai",
        },
    )
    assert response.status_code == 200 and "Mật khẩu chứng thư số không đúng" in response.content.decode()
    response = client.post(
        reverse("exchange:credential_add"),
        {
            "kind": CredentialKind.PERSONAL,
            "organization": province.committee.pk,
            "file": SimpleUploadedFile("ky-so.p12", leader_p12, content_type="application/x-pkcs12"),
            "passphrase": PASS,
        },
        follow=True,
    )
    html = response.content.decode()
    assert SIGNER in html and "Đang dùng" in html
    credential = SigningCredential.objects.get()
    client.post(reverse("exchange:credential_deactivate", args=[credential.pk]))
    credential.refresh_from_db()
    assert not credential.active
    client.force_login(province.clerk_x.user)
    assert client.post(reverse("exchange:credential_deactivate", args=[credential.pk])).status_code == 404


def test_the_document_page_panel_signs_a_file(client, province, books, pdf, leader_p12):
    source = issued_pdf(province, pdf)
    credential = personal(province, leader_p12)
    document_url = reverse("documents:document_detail", args=[source.document_id])
    client.force_login(province.clerk.user)
    assert "Ký số tệp này" not in client.get(document_url).content.decode()  # no credential of theirs
    client.force_login(province.leader.user)
    html = client.get(document_url).content.decode()
    assert "Ký số tệp này" in html and 'autocomplete="off"' in html and 'type="password"' in html
    response = client.post(
        reverse("exchange:file_sign"),
        {"file": source.pk, "credential": credential.pk, "passphrase": "sai", "next": document_url},
        follow=True,
    )
    assert "Mật khẩu chứng thư số không đúng" in response.content.decode()
    assert not SignedFile.objects.exists()
    response = client.post(
        reverse("exchange:file_sign"),
        {"file": source.pk, "credential": credential.pk, "passphrase": PASS, "next": document_url},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == document_url
    assert "Nghị quyết 01.signed.pdf" in html and "Chữ ký hợp lệ" in html
    assert SignedFile.objects.get().source == source
