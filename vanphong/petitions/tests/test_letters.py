"""The letters a handling decision produces: the defaults of every decision, the office's own
wording (known fields only, the version check, only those who write for the organisation), the
letter kept as a file of the petition, and what LibreOffice prints of it."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as read_docx

from vanphong.audit.models import AuditEvent
from vanphong.documents.models.files import ExtractionState
from vanphong.documents.tests.office import docx_to_pdf, pdf_text
from vanphong.petitions import letters, services
from vanphong.petitions.models import Action, LetterKind, LetterTemplate, Petition, PetitionFileKind
from vanphong.petitions.tests.conftest import AN, register

TODAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pages_without_second_factor(settings):
    settings.VANPHONG_TOTP_REQUIRED = "none"


def docx_text(data: bytes) -> str:
    """Every paragraph of a .docx, the header and closing tables' cells included."""
    docx = read_docx(io.BytesIO(data))
    lines = [p.text for p in docx.paragraphs]
    for table in docx.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


def decided(province, action: str, **kwargs) -> Petition:
    """A petition as the decision leaves it, without asking the service (in memory)."""
    petition = register(province, **kwargs)
    petition.action = action
    if action == Action.TRANSFER:
        petition.to_organization = province.commune_x
    if action in (Action.FILE, Action.GUIDE):
        petition.reason = "Nội dung đã được trả lời tại văn bản số 15-CV/TU."
    return petition


@pytest.mark.parametrize("action", Action.values)
def test_the_default_letter_of_every_decision_renders(province, action):
    petition = decided(province, action)
    text = docx_text(letters.render_letter(petition, today=TODAY))
    default = letters.DEFAULTS[action]
    assert letters.fill(default.title, {"loai_don": "khiếu nại"}).upper() in text
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "VĂN PHÒNG" in text and "TỈNH ỦY THỬ NGHIỆM" in text
    assert f"Số      -{default.type_code}/{province.office.abbreviation}" in text
    assert "gày 02 tháng 3 năm 2026" in text
    assert f"số {petition.number}/2026" in text
    assert "{" not in text  # every field filled
    assert "Nơi nhận:" in text and "CHÁNH VĂN PHÒNG" in text
    if action == Action.TRANSFER:
        assert f"Kính gửi: {province.commune_x.name}" in text
    elif action in (Action.ACCEPT, Action.GUIDE):
        assert "Kính gửi: Ông (bà) Nguyễn Văn An" in text
    else:
        assert "Kính gửi" not in text
        assert "Nội dung đã được trả lời tại văn bản số 15-CV/TU." in text


def test_a_kien_nghi_is_received_and_looked_into_not_accepted(province):
    petition = decided(province, Action.ACCEPT, kind="kien_nghi")
    text = docx_text(letters.render_letter(petition, today=TODAY))
    assert "THÔNG BÁO TIẾP NHẬN, XEM XÉT ĐƠN KIẾN NGHỊ" in text
    assert "thụ lý" not in text.lower()


def test_the_organisations_accept_wording_never_reaches_a_kien_nghi(province):
    """An own "accept" template is a "thông báo thụ lý": a kiến nghị, phản ánh keeps its own
    letter (``review``), which the organisation rewords apart."""
    letters.letter_template_save(
        actor=province.specialist.user,
        organization=province.committee,
        action=Action.ACCEPT,
        title="Thông báo thụ lý đơn {loai_don} số {so_don}",
        body="Thụ lý đơn của {nguoi_gui}.",
        version=0,
    )
    complaint = decided(province, Action.ACCEPT)
    assert "THÔNG BÁO THỤ LÝ ĐƠN KHIẾU NẠI SỐ" in docx_text(letters.render_letter(complaint, today=TODAY))
    for kind in ("kien_nghi", "phan_anh"):
        assert letters.effective_template(province.committee, Action.ACCEPT, kind=kind) == (
            letters.DEFAULTS[LetterKind.REVIEW].title,
            letters.DEFAULTS[LetterKind.REVIEW].body,
        )
        text = docx_text(letters.render_letter(decided(province, Action.ACCEPT, kind=kind), today=TODAY))
        assert "thụ lý" not in text.lower() and "TIẾP NHẬN, XEM XÉT ĐƠN" in text
    letters.letter_template_save(
        actor=province.specialist.user,
        organization=province.committee,
        action=LetterKind.REVIEW,
        title="Thông báo về việc xem xét đơn {loai_don}",
        body="Đơn của {nguoi_gui} đang được xem xét.",
        version=0,
    )
    petition = decided(province, Action.ACCEPT, kind="phan_anh")
    text = docx_text(letters.render_letter(petition, today=TODAY))
    assert "THÔNG BÁO VỀ VIỆC XEM XÉT ĐƠN PHẢN ÁNH" in text and "đang được xem xét" in text
    assert letters.file_name(petition).startswith("Thong-bao-tiep-nhan-don-")
    # The "review" wording is the kiến nghị's and phản ánh's only.
    assert letters.effective_template(province.committee, Action.ACCEPT, kind="to_cao")[0].startswith(
        "Thông báo thụ lý"
    )
    with pytest.raises(ValidationError) as caught:
        letters.letter_template_save(
            actor=province.specialist.user,
            organization=province.committee,
            action="resolve",
            title="x",
            body="y",
            version=0,
        )
    assert "review" in caught.value.message_dict["action"][0]


def test_the_review_letter_is_edited_and_previewed_on_its_page(province, client):
    client.force_login(province.specialist.user)
    url = reverse("petitions:letter_template_edit", args=["review"])
    html = client.get(url).content.decode()
    assert "Thông báo tiếp nhận, xem xét đơn {loai_don}" in html and 'name="version" value="0"' in html
    accept_page = client.get(reverse("petitions:letter_template_edit", args=["accept"])).content.decode()
    assert url in accept_page  # the accept page points to the kiến nghị's own letter
    response = client.post(
        url, {"title": "Thông báo xem xét đơn {loai_don}", "body": "Đơn số {so_don}.", "version": "0"}
    )
    assert response.status_code == 302
    assert LetterTemplate.objects.get(organization=province.committee).action == LetterKind.REVIEW
    preview = client.get(reverse("petitions:letter_template_preview", args=["review"]), {"loai": "khieu_nai"})
    text = docx_text(preview.content)
    assert "THÔNG BÁO XEM XÉT ĐƠN KIẾN NGHỊ" in text and "Đơn số 12." in text
    text = docx_text(client.get(reverse("petitions:letter_template_preview", args=["accept"])).content)
    assert "THÔNG BÁO THỤ LÝ ĐƠN KHIẾU NẠI" in text
    accept_preview = reverse("petitions:letter_template_preview", args=["accept"])
    text = docx_text(client.get(accept_preview, {"loai": "phan_anh"}).content)
    assert "THỤ LÝ ĐƠN KHIẾU NẠI" in text  # an accept sample is never a phản ánh


def test_an_anonymous_letter_has_no_addressee(province):
    petition = decided(province, Action.ACCEPT, kind="phan_anh", petitioners=[])
    text = docx_text(letters.render_letter(petition, today=TODAY))
    assert "Kính gửi" not in text
    assert "đơn nặc danh" in text


def test_a_transferred_denunciation_does_not_name_the_denouncer(province):
    petition = decided(province, Action.TRANSFER, kind="to_cao")
    text = docx_text(letters.render_letter(petition, today=TODAY))
    assert AN.full_name not in text and AN.address not in text
    assert "giữ bí mật" in text


def test_a_saved_template_changes_the_letter(province):
    saved = letters.letter_template_save(
        actor=province.specialist.user,
        organization=province.committee,
        action=Action.TRANSFER,
        title="Phiếu chuyển đơn số {so_don}",
        body="Chuyển đơn của {nguoi_gui} đến {co_quan_nhan} {{theo Quy định 11}}.\nGhi chú: {ly_do}",
        version=0,
    )
    assert saved.version == 1
    assert (
        letters.effective_template(province.committee, Action.TRANSFER)[0] == "Phiếu chuyển đơn số {so_don}"
    )
    petition = decided(province, Action.TRANSFER)
    text = docx_text(letters.render_letter(petition, today=TODAY))
    assert f"PHIẾU CHUYỂN ĐƠN SỐ {petition.number}" in text
    assert (
        f"Chuyển đơn của ông (bà) Nguyễn Văn An đến {province.commune_x.name} {{theo Quy định 11}}." in text
    )
    assert "Ghi chú" not in text  # the line of an empty field is left out
    # Another organisation keeps the default.
    assert letters.effective_template(province.commune_x, Action.TRANSFER)[0] == "Phiếu chuyển đơn"
    event = AuditEvent.objects.filter(action="petition.letter_template").latest("seq")
    assert event.after["version"] == 1 and event.organization_id == province.committee.pk


@pytest.mark.parametrize(
    ("field", "text", "named"),
    [
        ("body", "Kính gửi {nguoi_nhan}, đơn số {so_don}.", "{nguoi_nhan}"),
        ("body", "Đơn số {so_don:>5}", "{so_don:>5}"),
        ("title", "Phiếu {loai_don.upper}", "{loai_don.upper}"),
        ("body", "Đơn số {so_don", "ngoặc nhọn không khớp"),
    ],
)
def test_an_unknown_field_is_refused_with_its_name(province, field, text, named):
    values = {"title": "Phiếu chuyển đơn", "body": "Đơn số {so_don}.", field: text}
    with pytest.raises(ValidationError) as refused:
        letters.letter_template_save(
            actor=province.specialist.user,
            organization=province.committee,
            action=Action.TRANSFER,
            version=0,
            **values,
        )
    assert named in " ".join(refused.value.message_dict[field])
    assert not LetterTemplate.objects.exists()


def test_a_stale_version_is_refused_and_nothing_is_lost(province, client):
    first = letters.letter_template_save(
        actor=province.chief.user,
        organization=province.committee,
        action=Action.ACCEPT,
        title="Thông báo thụ lý",
        body="Văn bản của chánh văn phòng, đơn số {so_don}.",
        version=0,
    )
    # The specialist opened the page before the chief's save: they started from the default.
    with pytest.raises(ValidationError) as refused:
        letters.letter_template_save(
            actor=province.specialist.user,
            organization=province.committee,
            action=Action.ACCEPT,
            title="Thông báo của chuyên viên",
            body="Văn bản của chuyên viên {so_don}.",
            version=0,
        )
    assert "vừa được sửa bởi chief" in refused.value.message_dict["version"][0]
    first.refresh_from_db()
    assert (first.title, first.version) == ("Thông báo thụ lý", 1)

    # On the page: the text typed stays in the form, with the saved one to compare.
    client.force_login(province.specialist.user)
    url = reverse("petitions:letter_template_edit", args=["accept"])
    posted = {
        "title": "Thông báo của chuyên viên",
        "body": "Văn bản của chuyên viên {so_don}.",
        "version": "0",
    }
    response = client.post(url, posted)
    html = response.content.decode()
    assert response.status_code == 200
    assert "sau khi bạn mở trang" in html and "Văn bản của chuyên viên {so_don}." in html
    assert "Văn bản của chánh văn phòng" in html  # the saved text, to compare
    assert 'name="version" value="1"' in html  # a second save replaces it, knowingly
    first.refresh_from_db()
    assert first.version == 1
    assert client.post(url, {**posted, "version": "1"}).status_code == 302
    first.refresh_from_db()
    assert (first.title, first.version) == ("Thông báo của chuyên viên", 2)
    # A reset from a stale page is refused as well.
    with pytest.raises(ValidationError):
        letters.letter_template_reset(
            actor=province.chief.user, organization=province.committee, action=Action.ACCEPT, version=1
        )
    letters.letter_template_reset(
        actor=province.chief.user, organization=province.committee, action=Action.ACCEPT, version=2
    )
    assert not LetterTemplate.objects.exists()
    assert letters.effective_template(province.committee, Action.ACCEPT) == (
        letters.DEFAULTS[Action.ACCEPT].title,
        letters.DEFAULTS[Action.ACCEPT].body,
    )


@pytest.mark.parametrize("who", ["admin", "clerk_x"])
def test_only_those_who_write_for_the_organisation_edit_its_letters(province, who):
    actor = getattr(province, who).user
    with pytest.raises(PermissionDenied):
        letters.letter_template_save(
            actor=actor,
            organization=province.committee,
            action=Action.GUIDE,
            title="Hướng dẫn",
            body="Đơn số {so_don}.",
            version=None,
        )
    with pytest.raises(PermissionDenied):
        letters.letter_template_reset(actor=actor, organization=province.committee, action=Action.GUIDE)
    assert not LetterTemplate.objects.exists()


def test_letter_produce_keeps_the_letter_as_a_file_of_the_petition(province):
    petition = register(province)
    petition = services.petition_decide(
        actor=province.clerk.user, petition=petition, action="transfer", to_organization=province.commune_y
    )
    letter = letters.letter_produce(actor=province.clerk.user, petition=petition, today=TODAY)
    letter.refresh_from_db()
    assert letter.kind == PetitionFileKind.LETTER and letter.action == Action.TRANSFER
    assert letter.petition_id == petition.pk and letter.uploaded_by_id == province.clerk.pk
    assert letter.original_name == f"Phieu-chuyen-don-{petition.number}-2026.docx"
    assert letter.content_type == letters.DOCX
    assert letter.extraction == ExtractionState.UNAVAILABLE
    with letter.file.open("rb") as fh:
        data = fh.read()
    assert len(data) == letter.size
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert f"Kính gửi: {province.commune_y.name}" in docx_text(data)


def test_letter_produce_is_refused_to_an_outsider(province):
    petition = decided(province, Action.ACCEPT)
    with pytest.raises(PermissionDenied):
        letters.letter_produce(actor=province.clerk_x.user, petition=petition, today=TODAY)


def test_the_letters_print_as_libreoffice_reads_them(province, tmp_path):
    accepted = decided(province, Action.ACCEPT)
    text = pdf_text(docx_to_pdf(letters.render_letter(accepted, today=TODAY), tmp_path / "a", "thu-ly"))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "TỈNH ỦY THỬ NGHIỆM" in text and "VĂN PHÒNG" in text
    assert f"số {accepted.number}/2026" in text
    assert "Nguyễn Văn An" in text
    assert "THÔNG BÁO THỤ LÝ ĐƠN KHIẾU NẠI" in text
    transferred = decided(province, Action.TRANSFER)
    text = pdf_text(docx_to_pdf(letters.render_letter(transferred, today=TODAY), tmp_path / "b", "chuyen"))
    assert f"Kính gửi: {province.commune_x.name}" in text
    assert f"số {transferred.number}/2026" in text
    assert "PHIẾU CHUYỂN ĐƠN" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text


# --- Pages -------------------------------------------------------------------------------------


def test_the_office_sees_and_edits_its_committees_letters_on_pages(province, client):
    client.force_login(province.specialist.user)
    html = client.get(reverse("petitions:letter_template_list")).content.decode()
    assert province.committee.name in html
    for key in LetterKind:
        assert reverse("petitions:letter_template_edit", args=[key.value]) in html
    assert html.count("Mẫu mặc định") == 5
    assert "Thông báo tiếp nhận, xem xét đơn" in html

    url = reverse("petitions:letter_template_edit", args=["guide"])
    html = client.get(url).content.decode()
    assert "{co_quan_nhan}" in html and "{han_giai_quyet}" in html  # the legend
    assert 'name="version" value="0"' in html
    response = client.post(url, {"title": "Hướng dẫn gửi đơn", "body": "Đơn {ten}.", "version": "0"})
    assert "Không có trường {ten}" in response.content.decode()
    response = client.post(url, {"title": "Hướng dẫn gửi đơn", "body": "Đơn số {so_don}.", "version": "0"})
    assert response.status_code == 302
    saved = LetterTemplate.objects.get(organization=province.committee, action="guide")
    assert saved.body == "Đơn số {so_don}." and saved.updated_by == province.specialist

    preview = client.get(reverse("petitions:letter_template_preview", args=["guide"]))
    assert preview.status_code == 200 and preview["Content-Type"] == letters.DOCX
    text = docx_text(preview.content)
    assert "HƯỚNG DẪN GỬI ĐƠN" in text and "Đơn số 12." in text and "Trần Thị Bình" in text
    assert not Petition.objects.exists()  # the sample is never saved

    response = client.post(url, {"title": "x", "body": "y", "version": "1", "reset": "1"})
    assert response.status_code == 302
    assert not LetterTemplate.objects.exists()


def test_pages_refuse_those_who_write_for_no_one_and_unknown_decisions(province, client):
    client.force_login(province.admin.user)
    assert client.get(reverse("petitions:letter_template_list")).status_code == 403
    client.force_login(province.clerk_x.user)
    assert client.get(reverse("petitions:letter_template_edit", args=["xoa"])).status_code == 404
    html = client.get(reverse("petitions:letter_template_list")).content.decode()
    assert province.commune_x.name in html and province.committee.name not in html
    url = reverse("petitions:letter_template_edit", args=["file"])
    other = f"{url}?co-quan={province.committee.pk}"
    assert client.get(other).status_code == 404
