"""The national bodies as data the symbol reader and capture use (orgs.national)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from vanphong.api.tests.helpers import bearer
from vanphong.core import files
from vanphong.demo import documents_files as demo_files
from vanphong.documents import capture
from vanphong.documents.models import Document, IssuerChoice
from vanphong.documents.services.incoming import issuer_resolve, symbol_read
from vanphong.documents.tests.factories import incoming_entry
from vanphong.orgs.models import Organization
from vanphong.orgs.national import NATIONAL_BODIES, national_install
from vanphong.orgs.tests.factories import OrganizationFactory


def resolve(symbol: str, organization: Organization) -> Organization | None:
    parsed = symbol_read(symbol).parsed
    assert parsed is not None, symbol
    return issuer_resolve(
        abbreviation=parsed.issuer_abbreviation, organization=organization, doc_type=parsed.effective_doc_type
    )


def test_the_catalogue_installs_once_and_is_matched_by_abbreviation(db):
    before = Organization.objects.count()
    created = national_install(Organization)
    assert created == len(NATIONAL_BODIES) == Organization.objects.count() - before
    assert national_install(Organization) == 0  # idempotent
    ttg = Organization.objects.get(abbreviation="TTg")
    assert (ttg.name, ttg.hosted, ttg.parent.abbreviation) == ("Thủ tướng Chính phủ", False, "CP")
    assert Organization.objects.filter(abbreviation="UBND", hosted=False).count() == 34
    # Renamed by an administrator: kept as it is, not installed twice.
    Organization.objects.filter(abbreviation="BNV").update(name="Bộ Nội vụ (đã sửa)")
    assert national_install(Organization) == 0


@pytest.mark.parametrize(
    ("symbol", "name"),
    [
        ("1059/QĐ-TTg", "Thủ tướng Chính phủ"),
        ("30/2020/NĐ-CP", "Chính phủ"),
        ("117/2025/QH15", "Quốc hội"),
        ("12/2025/NQ-UBTVQH15", "Ủy ban Thường vụ Quốc hội"),
        ("08/2025/TT-BNV", "Bộ Nội vụ"),
        ("1234/BTC-NSNN", "Bộ Tài chính"),
        ("55/QĐ-BGDĐT", "Bộ Giáo dục và Đào tạo"),
        ("12/bgddt-vp", "Bộ Giáo dục và Đào tạo"),
        ("7816/VPCP-TTĐT", "Văn phòng Chính phủ"),
        ("02-HD/BTCTW", "Ban Tổ chức Trung ương"),
        ("10-HD/UBKTTW", "Ủy ban Kiểm tra Trung ương"),
        ("511-CV/BNCTW", "Ban Nội chính Trung ương"),
        ("36-HD/VPTW", "Văn phòng Trung ương Đảng"),
    ],
)
def test_national_symbols_resolve_their_issuer(province, national, symbol, name):
    issuer = resolve(symbol, province.commune_x)
    assert issuer is not None and issuer.name == name


def test_a_province_ubnd_is_the_receivers_own(province, national):
    Organization.objects.filter(pk=province.committee.pk).update(place_name="Lâm Đồng")
    assert resolve("45/KH-UBND", province.commune_x).name == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert resolve("12/NQ-HĐND", province.committee).name == "Hội đồng nhân dân tỉnh Lâm Đồng"
    other = OrganizationFactory(name="Tỉnh ủy Khác", parent=province.centre)  # no place: ambiguous
    assert resolve("45/KH-UBND", other) is None


@pytest.mark.parametrize(
    ("symbol", "name"),
    [
        ("57-NQ/TW", "Bộ Chính trị"),
        ("215-KL/TW", "Bộ Chính trị"),
        ("11-QĐi/TW", "Bộ Chính trị"),
        ("399-QĐ/TW", "Ban Bí thư"),
        ("38-CT/TW", "Ban Bí thư"),
        ("01-HD/TW", "Ban Bí thư"),
        ("05-TB/TW", "Ban Chấp hành Trung ương"),  # no proposal for the type: the centre
    ],
)
def test_tw_is_proposed_by_document_type(province, national, symbol, name):
    assert resolve(symbol, province.committee).name == name


def test_the_clerks_choice_for_tw_is_remembered_per_type(province, books, national):
    first = incoming_entry(province, symbol="57-NQ/TW", subject="Nghị quyết")
    assert first.document.issuer.name == "Bộ Chính trị"  # proposed, kept
    changed = incoming_entry(province, symbol="58-NQ/TW", subject="Nghị quyết", issuer_name="ban bi thu")
    assert changed.document.issuer.name == "Ban Bí thư" and changed.document.issuer_name == "ban bi thu"
    choice = IssuerChoice.objects.get(organization=province.committee, suffix="TW", doc_type="NQ")
    assert choice.issuer.name == "Ban Bí thư"
    assert resolve("59-NQ/TW", province.committee).name == "Ban Bí thư"
    assert resolve("215-KL/TW", province.committee).name == "Bộ Chính trị"  # another type: untouched
    assert resolve("59-NQ/TW", province.commune_x).name == "Bộ Chính trị"  # another office: untouched
    with CaptureQueriesContext(connection) as queries:
        resolve("60-NQ/TW", province.committee)
    assert len(queries) == 1  # as the clerk types: one indexed lookup


def test_api_registers_a_prime_ministers_decision_without_a_typed_issuer(client, province, books, national):
    response = client.post(
        "/api/v1/incoming/",
        {"symbol": "1059/QĐ-TTg", "subject": "Quyết định phê duyệt đề án", "issued_date": "2025-11-03"},
        content_type="application/json",
        **bearer(province.clerk.user),
    )
    assert response.status_code == 201, response.content
    document = Document.objects.get(entries__pk=response.json()["id"])
    assert document.issuer.name == document.issuer_name == "Thủ tướng Chính phủ"
    assert (document.doc_type, document.style) == ("QĐ", "state")


def test_capture_gives_the_proper_name_of_the_issuer(national, tmp_path):
    doc = next(d for d in demo_files.demo_documents() if d.issuer.abbreviation == "UBND")
    path = tmp_path / "ubnd.docx"
    path.write_bytes(demo_files.render_docx(doc))
    proposal = capture.capture_path(path, files.DOCX)
    assert proposal["issuer_name"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"  # as printed
    assert capture.capture_issuer_match(proposal)["issuer_name"] == "Ủy ban nhân dân tỉnh Lâm Đồng"
    for header, proper in (
        ("THỦ TƯỚNG CHÍNH PHỦ", "Thủ tướng Chính phủ"),
        ("BỘ NỘI VỤ", "Bộ Nội vụ"),
        ("BAN CHẤP HÀNH TRUNG ƯƠNG", "Ban Chấp hành Trung ương Đảng"),
        ("BAN TỔ CHỨC TRUNG ƯƠNG", "Ban Tổ chức Trung ương"),
        ("UBND TP HỒ CHÍ MINH", "Ủy ban nhân dân Thành phố Hồ Chí Minh"),
    ):
        assert capture.issuer_proper_name(header) == proper
    assert capture.issuer_proper_name("SỞ NỘI VỤ TỈNH LÂM ĐỒNG") is None  # not a record: as read


def test_the_demo_province_reuses_the_installed_national_bodies(db):
    from vanphong.demo.documents.seed import seed_documents
    from vanphong.demo.orgs.seed import seed_demo

    national_install(Organization)
    seed_demo()
    centre = Organization.objects.get(abbreviation="TW", parent=None)
    assert Organization.objects.get(slug="tinhuy").parent == centre
    assert Organization.objects.filter(name="Ủy ban nhân dân tỉnh Lâm Đồng").count() == 1
    tinhuy = Organization.objects.get(slug="tinhuy")
    assert resolve("45/KH-UBND", tinhuy).name == "Ủy ban nhân dân tỉnh Lâm Đồng"
    assert resolve("57-NQ/TW", tinhuy).name == "Bộ Chính trị"
    assert resolve("12-TB/TW", tinhuy) == centre
    assert seed_documents(scale=1)["documents"] > 1000  # finds its correspondents among shared codes
