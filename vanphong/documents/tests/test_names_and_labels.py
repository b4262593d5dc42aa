"""Names in Vietnamese order, outgoing pages under "Văn bản đi", "V/v" written once, and one
label for a document type in every filter."""

from __future__ import annotations

import io

import docx
import pytest
from django.urls import reverse

from vanphong.core.names import vietnamese_full_name
from vanphong.documents import doctypes
from vanphong.documents.docx_render import letter_subject_line, render_outgoing_docx
from vanphong.documents.forms.incoming import IncomingRegisterForm, doc_type_choices
from vanphong.documents.forms.outgoing import outgoing_type_choices
from vanphong.documents.tests.factories import incoming_entry
from vanphong.documents.tests.test_docx import _blocks
from vanphong.documents.tests.test_outgoing_support import make_draft, people_fixture  # noqa: F401
from vanphong.search.forms import SearchForm


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


# --- 1. Names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "given", "full"),
    [
        ("Lê Thị Thanh", "Xuân", "Lê Thị Thanh Xuân"),
        ("  Nguyễn  Văn ", " An", "Nguyễn Văn An"),
        ("", "Xuân", "Xuân"),
        ("Lê", "", "Lê"),
        ("", "", ""),
    ],
)
def test_vietnamese_full_name_puts_the_family_name_first(family, given, full):
    assert vietnamese_full_name(family, given) == full


def test_the_document_history_names_people_family_name_first(client, province, books):
    clerk = province.clerk.user
    clerk.first_name, clerk.last_name = "Xuân", "Lê Thị Thanh"
    clerk.save(update_fields=["first_name", "last_name"])
    assert clerk.get_full_name() == "Lê Thị Thanh Xuân"
    entry = incoming_entry(province)
    client.force_login(clerk)
    page = client.get(reverse("documents:document_detail", args=[entry.document_id])).content.decode()
    assert "Lê Thị Thanh Xuân" in page
    assert "Xuân Lê Thị Thanh" not in page


# --- 2. Outgoing pages under "Văn bản đi" ---------------------------------------------------


def _breadcrumb(page: str) -> str:
    start = page.index('class="breadcrumbs"')
    return page[start : page.index("</p>", start)]


def test_an_outgoing_document_sits_under_van_ban_di(client, people):
    document = make_draft(people)
    client.force_login(people.drafter.user)
    page = client.get(reverse("documents:document_detail", args=[document.pk])).content.decode()
    assert "Văn bản đi" in _breadcrumb(page) and "Văn bản đến" not in _breadcrumb(page)
    outgoing_link = f'<a href="{reverse("documents:outgoing_list")}" aria-current="page">'
    assert outgoing_link in page


def test_an_incoming_document_stays_under_van_ban_den(client, province, books):
    entry = incoming_entry(province)
    client.force_login(province.clerk.user)
    page = client.get(reverse("documents:document_detail", args=[entry.document_id])).content.decode()
    assert "Văn bản đến" in _breadcrumb(page)
    assert f'<a href="{reverse("documents:incoming_list")}" aria-current="page">' in page


@pytest.mark.parametrize("name", ["documents:outgoing_create"])
def test_the_drafting_page_is_under_van_ban_di(client, people, name):
    client.force_login(people.drafter.user)
    page = client.get(reverse(name)).content.decode()
    assert "Văn bản đi" in _breadcrumb(page)
    assert f'<a href="{reverse("documents:outgoing_list")}" aria-current="page">' in page


# --- 3. "V/v" once ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "góp ý dự thảo",
        "V/v góp ý dự thảo",
        "v/v: góp ý dự thảo",
        "V/V - góp ý dự thảo",
        "Về việc góp ý dự thảo",
    ],
)
def test_v_v_is_written_once_whatever_the_drafter_typed(typed):
    assert letter_subject_line(typed) == "V/v góp ý dự thảo"


def test_a_letter_typed_with_v_v_shows_it_once_in_the_docx(people):
    document = make_draft(people, doc_type="CV", subject="V/v triển khai chuyển đổi số")
    blocks = _blocks(docx.Document(io.BytesIO(render_outgoing_docx(document))))
    assert "V/v triển khai chuyển đổi số" in blocks
    assert not any("V/v V/v" in b for b in blocks)


# --- 4. One label for a type -------------------------------------------------------------------


def test_every_type_filter_labels_a_type_the_same_way():
    expected = doctypes.type_label(doctypes.lookup("NQ", "party"))
    assert expected == "Nghị quyết (NQ)"
    incoming = dict(doc_type_choices())
    outgoing = dict(outgoing_type_choices())
    search = dict(SearchForm(issuers=[], clearance=0).fields["loai"].choices)
    register_form = dict(IncomingRegisterForm().fields["doc_type"].choices)
    for choices in (incoming, outgoing, search, register_form):
        assert choices["NQ"] == expected
        assert choices["CV"] == "Công văn (CV)"
        assert all(label.endswith(f"({code})") for code, label in choices.items() if code)


def test_the_outgoing_list_filter_uses_the_same_labels(client, people):
    client.force_login(people.drafter.user)
    page = client.get(reverse("documents:outgoing_list")).content.decode()
    assert '<option value="NQ">Nghị quyết (NQ)</option>' in page
    assert "NQ — Nghị quyết" not in page
