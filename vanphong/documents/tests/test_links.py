"""Reference links: found in subject and text, resolved to registered documents (now or
when they arrive), shown both ways on the document page within the reader's reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from vanphong.accounts.tests.helpers import sign_in
from vanphong.documents.models import DocumentLink, LinkKind
from vanphong.documents.services.links import links_refresh, references_parse
from vanphong.documents.views.links import links_for
from vanphong.orgs.models import Classification, Role
from vanphong.orgs.tests.factories import make_actor
from vanphong.search.tests.conftest import add_text
from vanphong.search.tests.conftest import make_document as make_document  # noqa: F401 (a fixture)


def test_references_in_the_subject_are_linked_to_registered_documents(province, make_document):
    central = make_document(
        "Nghị quyết về đột phá phát triển khoa học, công nghệ",
        symbol="57-NQ/TW",
        doc_type="NQ",
        issued_date=dt.date(2024, 12, 22),
        issuer=province.centre,
    )
    plan = make_document(
        "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị và Kết luận số 14-KL/TW",
        symbol="30-KH/TU",
        doc_type="KH",
    )
    links = {link.symbol: link for link in DocumentLink.objects.filter(source=plan)}
    assert set(links) == {"57-NQ/TW", "14-KL/TW"}
    assert links["57-NQ/TW"].target == central
    assert links["57-NQ/TW"].referenced_date == dt.date(2024, 12, 22)
    assert links["57-NQ/TW"].quote == "Nghị quyết số 57-NQ/TW ngày 22/12/2024"
    assert links["57-NQ/TW"].doc_type == "NQ"
    assert links["14-KL/TW"].target is None


def test_a_document_registered_later_resolves_earlier_references(province, make_document):
    citing = make_document("Báo cáo thực hiện Kết luận số 14-KL/TW", symbol="40-BC/TU", doc_type="BC")
    assert DocumentLink.objects.get(source=citing).target is None
    cited = make_document("Kết luận về khuyến khích cán bộ năng động", symbol="14-KL/TW", doc_type="KL")
    assert DocumentLink.objects.get(source=citing).target == cited


def test_a_reference_with_another_date_is_not_linked(province, make_document):
    make_document("Nghị quyết A", symbol="08-NQ/TU", doc_type="NQ", issued_date=dt.date(2021, 7, 30))
    citing = make_document(
        "Thực hiện Nghị quyết số 08-NQ/TU ngày 15/01/2016", symbol="02-KH/TU", doc_type="KH"
    )
    assert DocumentLink.objects.get(source=citing).target is None


def test_two_documents_with_one_symbol_and_no_date_given_stay_unlinked(province, make_document):
    make_document("Nghị quyết khóa trước", symbol="01-NQ/TU", doc_type="NQ", issued_date=dt.date(2016, 1, 5))
    make_document("Nghị quyết khóa này", symbol="01-NQ/TU", doc_type="NQ", issued_date=dt.date(2026, 1, 5))
    citing = make_document("Triển khai Nghị quyết số 01-NQ/TU", symbol="03-KH/TU", doc_type="KH")
    assert DocumentLink.objects.get(source=citing).target is None


def test_links_follow_the_extracted_text_and_disappear_with_it(province, make_document):
    make_document("Chỉ thị về tăng cường lãnh đạo", symbol="35-CT/TW", doc_type="CT")
    document = make_document("Công văn về việc tổ chức đại hội", symbol="120-CV/TU")
    assert not DocumentLink.objects.filter(source=document).exists()
    file = add_text(
        document, "Căn cứ Chỉ thị số 35-CT/TW, ngày 14/6/2024 của Bộ Chính trị về đại hội đảng bộ"
    )
    assert DocumentLink.objects.get(source=document).symbol == "35-CT/TW"
    file.text = "Nội dung đã sửa, không còn dẫn chiếu"
    file.save(update_fields=["text"])
    links_refresh(document=document)
    assert not DocumentLink.objects.filter(source=document).exists()


def test_own_symbol_and_links_stated_by_people_are_left_alone(province, make_document):
    reply_to = make_document("Công văn hỏi ý kiến", symbol="10-CV/TU")
    document = make_document("Nghị quyết số 09-NQ/TU về công tác cán bộ", symbol="09-NQ/TU", doc_type="NQ")
    DocumentLink.objects.create(source=document, target=reply_to, kind=LinkKind.REPLIES_TO, symbol="10-CV/TU")
    links_refresh(document=document)
    assert list(DocumentLink.objects.filter(source=document).values_list("kind", "symbol")) == [
        ("replies_to", "10-CV/TU")
    ]


def test_panel_shows_both_directions_within_the_readers_reach(client, province, make_document):
    secret = make_document(
        "Nghị quyết về quốc phòng", symbol="11-NQ/TU", doc_type="NQ", classification=Classification.MAT
    )
    central = make_document("Nghị quyết về chuyển đổi số", symbol="57-NQ/TW", doc_type="NQ")
    plan = make_document(
        "Kế hoạch thực hiện Nghị quyết số 57-NQ/TW và Nghị quyết số 11-NQ/TU", symbol="31-KH/TU"
    )
    reader = make_actor("reader", province.committee, Role.CHUYEN_VIEN, clearance=Classification.MAT)

    links = links_for(reader.user, plan)
    shown = {link.symbol: link.target for link in links["outgoing"]}
    assert shown == {"57-NQ/TW": central, "11-NQ/TU": None}  # the secret one stays plain text
    assert [link.source for link in links_for(reader.user, central)["incoming"]] == [plan]
    assert [link.source for link in links_for(province.leader.user, secret)["incoming"]] == [plan]

    sign_in(client, province.leader.user)
    html = client.get(reverse("documents:document_detail", args=[plan.pk])).content.decode()
    assert "Văn bản này dẫn chiếu" in html
    assert reverse("documents:document_detail", args=[central.pk]) in html
    html = client.get(reverse("documents:document_detail", args=[central.pk])).content.decode()
    assert "Được dẫn chiếu bởi" in html and "31-KH/TU" in html


def test_references_parse_answers_visible_documents_only(province, make_document):
    make_document("Chỉ thị mật", symbol="05-CT/TU", doc_type="CT", classification=Classification.TOI_MAT)
    found = references_parse(user=province.clerk.user, text="Theo Chỉ thị số 05-CT/TU")
    assert [(r["symbol"], r["document"]) for r in found] == [("05-CT/TU", None)]
    found = references_parse(user=province.leader.user, text="Theo Chỉ thị số 05-CT/TU")
    assert found[0]["document"] is not None


def test_references_parse_refuses_a_huge_text(province):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        references_parse(user=province.leader.user, text="a" * 100_001)
