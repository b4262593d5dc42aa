"""The optional boxes of an outgoing document (NĐ 30 PL I boxes 11 and 12; HD 36 boxes 11a and
12): circulation scope, typist's initials, number of copies — service, API, page and .docx."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx.oxml.ns import qn

from vanphong.api.tests.helpers import assert_error, bearer
from vanphong.audit.models import AuditEvent
from vanphong.documents.docx_render import render_outgoing_docx
from vanphong.documents.models import Document, DocumentState, Style
from vanphong.documents.services.outgoing import outgoing_entry, outgoing_issue
from vanphong.documents.tests.office import docx_to_pdf, pdf_lines
from vanphong.documents.tests.test_outgoing_support import approve, make_draft, people_fixture  # noqa: F401

URL = "/api/v1/outgoing/"
MM = 72 / 25.4
CIRCULATION = "Tài liệu này không được phổ biến trên các phương tiện thông tin đại chúng"


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


@pytest.fixture
def lam_dong(people):
    committee = people.committee
    committee.name, committee.place_name = "Tỉnh ủy Lâm Đồng", "Lâm Đồng"
    committee.save()
    committee.level.name = "Cấp tỉnh"
    committee.level.save()
    return people


# --- Service ---------------------------------------------------------------------------------------


def test_the_boxes_are_stored_cleaned_and_audited(people):
    document = make_draft(people, circulation="  Lưu hành   nội bộ ", typist_initials=" th ", copies_count=20)
    document.refresh_from_db()
    assert (document.circulation, document.typist_initials, document.copies_count) == (
        "Lưu hành nội bộ",
        "TH",
        20,
    )
    event = AuditEvent.objects.get(action="outgoing.draft_create", target_id=str(document.pk))
    after = event.after
    assert (after["circulation"], after["typist_initials"], after["copies_count"]) == (
        "Lưu hành nội bộ",
        "TH",
        20,
    )


def test_the_boxes_are_optional(people):
    document = make_draft(people)
    assert (document.circulation, document.typist_initials, document.copies_count) == ("", "", None)


def test_vietnamese_initials_are_letters(people):
    assert make_draft(people, typist_initials="đt").typist_initials == "ĐT"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"typist_initials": "T.H"}, "typist_initials", "chỉ gồm chữ cái"),
        ({"typist_initials": "TH20"}, "typist_initials", "chỉ gồm chữ cái"),
        ({"typist_initials": "T H"}, "typist_initials", "chỉ gồm chữ cái"),
        ({"typist_initials": "ABCDEFGHIJK"}, "typist_initials", "không quá 10 chữ cái"),
        ({"copies_count": 0}, "copies_count", "từ 1 đến 1000"),
        ({"copies_count": 1001}, "copies_count", "từ 1 đến 1000"),
        ({"copies_count": "hai mươi"}, "copies_count", "số nguyên"),
        ({"circulation": "x" * 201}, "circulation", "dài quá 200 ký tự"),
    ],
)
def test_bad_boxes_are_refused_in_vietnamese_and_nothing_is_saved(people, fields, field, message):
    before = Document.objects.count()
    with pytest.raises(ValidationError) as caught:
        make_draft(people, **fields)
    assert message in caught.value.message_dict[field][0]
    assert Document.objects.count() == before
    assert not AuditEvent.objects.filter(action="outgoing.draft_create").exists()


def test_bad_boxes_are_reported_with_the_other_errors(people):
    with pytest.raises(ValidationError) as caught:
        make_draft(people, subject=" ", typist_initials="1", copies_count=-3)
    assert {"subject", "typist_initials", "copies_count"} <= set(caught.value.message_dict)


# --- API -------------------------------------------------------------------------------------------


def _post(client, people, **overrides):
    payload = {
        "organization": people.committee.pk,
        "doc_type": "NQ",
        "subject": "Nghị quyết về chuyển đổi số",
        "signer": people.leader.pk,
        "recipients": [people.commune_x.pk],
        "body": "Quyết nghị.",
        **overrides,
    }
    return client.post(URL, payload, content_type="application/json", **bearer(people.drafter.user))


def test_api_round_trip(client, people):
    created = _post(
        client, people, circulation="Xong hội nghị xin gửi lại", typist_initials="th", copies_count=35
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["circulation"], body["typist_initials"], body["copies_count"]) == (
        "Xong hội nghị xin gửi lại",
        "TH",
        35,
    )
    read = client.get(f"{URL}{body['id']}/", **bearer(people.drafter.user)).json()
    assert (read["circulation"], read["typist_initials"], read["copies_count"]) == (
        "Xong hội nghị xin gửi lại",
        "TH",
        35,
    )


def test_api_without_the_boxes_answers_them_empty(client, people):
    body = _post(client, people).json()
    assert (body["circulation"], body["typist_initials"], body["copies_count"]) == ("", "", None)


def test_api_refuses_bad_boxes_with_field_errors(client, people):
    before = Document.objects.count()
    error = assert_error(_post(client, people, typist_initials="T-H", copies_count=5000), 400, "invalid")
    assert "chỉ gồm chữ cái" in error["fields"]["typist_initials"][0]
    assert "từ 1 đến 1000" in error["fields"]["copies_count"][0]
    assert Document.objects.count() == before


# --- Page ------------------------------------------------------------------------------------------


def _form(people, **overrides):
    return {
        "organization": people.committee.pk,
        "doc_type": "KH",
        "subject": "Kế hoạch tổ chức hội nghị",
        "urgency": "thuong",
        "classification": "0",
        "signer": people.leader.pk,
        "signing_authority": "auto",
        "recipients": [people.commune_x.pk],
        "body": "Mục đích, yêu cầu.",
        **overrides,
    }


def test_the_form_groups_the_boxes_and_saves_them(client, people):
    client.force_login(people.drafter.user)
    page = client.get(reverse("documents:outgoing_create")).content.decode()
    group = page[page.index("<legend>Tùy chọn khi in</legend>") : page.index("</fieldset>")]
    for name in ("circulation", "typist_initials", "copies_count"):
        assert f'name="{name}"' in group
    response = client.post(
        reverse("documents:outgoing_create"),
        _form(people, circulation="Lưu hành nội bộ", typist_initials="hv", copies_count="12"),
    )
    assert response.status_code == 302
    document = Document.objects.get(subject="Kế hoạch tổ chức hội nghị")
    assert (document.circulation, document.typist_initials, document.copies_count) == (
        "Lưu hành nội bộ",
        "HV",
        12,
    )
    assert document.state == DocumentState.DRAFT


def test_the_form_shows_the_services_message_and_saves_nothing(client, people):
    client.force_login(people.drafter.user)
    response = client.post(reverse("documents:outgoing_create"), _form(people, typist_initials="H.V"))
    assert response.status_code == 200
    assert "chỉ gồm chữ cái" in response.content.decode()
    response = client.post(reverse("documents:outgoing_create"), _form(people, copies_count="0"))
    assert response.status_code == 200
    assert "Giá trị không được nhỏ hơn 1." in response.content.decode()
    assert not Document.objects.filter(subject="Kế hoạch tổ chức hội nghị").exists()


# --- .docx -----------------------------------------------------------------------------------------


def _issued(people, **fields) -> Document:
    document = approve(people, make_draft(people, **fields))
    outgoing_issue(actor=people.clerk.user, document=document, issued_date=dt.date(2026, 11, 21))
    document.refresh_from_db()
    return document


def _read(document: Document) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_outgoing_docx(document)))


def _texts(cell) -> list[str]:
    return [p.text for p in cell.paragraphs if p.text.strip()]


def _framed(paragraph) -> bool:
    borders = paragraph._p.pPr.find(qn("w:pBdr"))
    edges = {c.tag.split("}")[1] for c in borders} if borders is not None else set()
    return edges == {"top", "left", "bottom", "right"}


@pytest.mark.parametrize("style", [Style.PARTY, Style.STATE])
def test_issued_document_prints_the_boxes_in_their_places(lam_dong, style):
    document = _issued(
        lam_dong, style=style, circulation="Lưu hành nội bộ", typist_initials="TH", copies_count=20
    )
    result = _read(document)
    header, closing = result.tables[0], result.tables[-1]
    # Box 11 (11a): framed, bold capitals, size 13, in the right column just under the date.
    dating = _texts(header.rows[-1].cells[1])
    assert dating == ["Lâm Đồng, ngày 21 tháng 11 năm 2026", "LƯU HÀNH NỘI BỘ"]
    mark = next(p for p in header.rows[-1].cells[1].paragraphs if p.text == "LƯU HÀNH NỘI BỘ")
    assert _framed(mark) and mark.runs[0].bold and mark.runs[0].font.size.pt == 13
    # Box 12: under "Nơi nhận" and its recipients, size 11, upright; "TH.(20)".
    left = _texts(closing.rows[0].cells[0])
    assert left[0] == "Nơi nhận:" and left[-1] == "TH.(20)"
    assert left[-2].startswith("- Lưu")
    line = next(p for p in closing.rows[0].cells[0].paragraphs if p.text == "TH.(20)")
    assert line.runs[0].font.size.pt == 11 and not line.runs[0].italic and not line.runs[0].bold
    assert not any(p.text.startswith("Số bản") for p in closing.rows[0].cells[0].paragraphs)


def test_a_draft_prints_the_scope_above_its_draft_mark(lam_dong):
    document = make_draft(lam_dong, circulation=CIRCULATION)
    cell = _read(document).tables[0].rows[-1].cells[1]
    assert _texts(cell)[-2:] == [CIRCULATION.upper(), "DỰ THẢO"]
    # A scope longer than the column wraps inside its frame, whose sides stay inside the cell.
    mark = next(p for p in cell.paragraphs if p.text == CIRCULATION.upper())
    assert _framed(mark)
    assert mark.paragraph_format.left_indent.mm > 1.9 and mark.paragraph_format.right_indent.mm > 1.9


def test_nothing_is_printed_without_the_boxes(lam_dong):
    result = _read(_issued(lam_dong))
    assert _texts(result.tables[0].rows[-1].cells[1]) == ["Lâm Đồng, ngày 21 tháng 11 năm 2026"]
    assert _texts(result.tables[-1].rows[0].cells[0])[-1].startswith("- Lưu")


def test_copies_fall_back_to_the_register_entry_and_the_documents_own_win(lam_dong):
    document = _issued(lam_dong, typist_initials="TH")
    closing = lambda: _texts(_read(document).tables[-1].rows[0].cells[0])  # noqa: E731
    assert closing()[-1] == "TH"  # initials alone while no number of copies is known
    entry = outgoing_entry(document)
    assert entry is not None
    entry.copies_count = 40
    entry.save(update_fields=["copies_count"])
    assert closing()[-1] == "TH.(40)"
    Document.objects.filter(pk=document.pk).update(copies_count=25)
    document.refresh_from_db()
    assert closing()[-1] == "TH.(25)"
    Document.objects.filter(pk=document.pk).update(typist_initials="")
    document.refresh_from_db()
    assert closing()[-1] == "Số bản: 25."


def test_the_boxes_land_where_the_rules_put_them_on_the_page(lam_dong, tmp_path):
    """LibreOffice's rendering: the framed scope in the right half, under the date and above
    the type name; the typist's line at the left margin, under the last recipient."""
    document = _issued(
        lam_dong, style=Style.STATE, circulation="Xem xong trả lại", typist_initials="TH", copies_count=20
    )
    lines = pdf_lines(docx_to_pdf(render_outgoing_docx(document), tmp_path, "van-ban"))

    def line(text):
        found = [item for item in lines if item.text == text]
        assert found, [item.text for item in lines]
        return found[0]

    date, scope = line("Lâm Đồng, ngày 21 tháng 11 năm 2026"), line("XEM XONG TRẢ LẠI")
    title = line("NGHỊ QUYẾT")
    assert date.bottom <= scope.y < title.y
    assert scope.x0 > (30 + 165 / 2) * MM - 10  # the right column
    assert abs(scope.middle - date.middle) <= 10 * MM
    typist, archive = line("TH.(20)"), [item for item in lines if item.text.startswith("- Lưu")][0]
    assert typist.y > archive.y and abs(typist.x0 - archive.x0) <= 2
    assert typist.x0 < 40 * MM
