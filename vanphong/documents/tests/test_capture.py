"""Proposing registration fields from a document's first page."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from vanphong.core import files
from vanphong.demo import documents_files as demo_files
from vanphong.documents import capture, extraction

DEMO = demo_files.demo_documents()
OCR_READY = extraction.ocr_available() and shutil.which("pdftoppm") is not None


def by_key(key: str) -> demo_files.DemoDocument:
    return next(d for d in DEMO if d.key == key)


# Party and state issuers, a công văn, urgency and secrecy stamps among them.
SAMPLES = ["demo-01", "demo-03", "demo-04", "demo-09", "demo-16", "demo-25", "demo-30", "demo-33"]


def test_the_demo_set_has_at_least_thirty_documents_of_every_kind():
    assert len(DEMO) >= 30
    assert {d.party for d in DEMO} == {True, False}
    assert (
        any(d.is_letter for d in DEMO)
        and any(d.urgency for d in DEMO)
        and any(d.classification for d in DEMO)
    )
    assert {d.urgency for d in DEMO if d.urgency} == {"khan", "thuong_khan", "hoa_toc"}
    assert {d.classification for d in DEMO if d.classification} == {"mat", "toi_mat", "tuyet_mat"}


@pytest.mark.parametrize("key", SAMPLES)
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_capture_reads_every_field_of_demo_documents(tmp_path, key, kind):
    doc = by_key(key)
    path = tmp_path / f"{key}.{kind}"
    path.write_bytes(demo_files.render_docx(doc) if kind == "docx" else demo_files.render_pdf(doc))
    got = capture.capture_path(path, files.DOCX if kind == "docx" else files.PDF)
    assert {name: got[name] for name in capture.FIELDS} == doc.expected()
    assert got["ocr"] is False
    assert got["text"].startswith(doc.issuer.header[0][:5]) and len(got["text"]) <= 2000


PARTY_PAGE = """ĐẢNG BỘ TỈNH LÂM ĐỒNG ĐẢNG CỘNG SẢN VIỆT NAM
TỈNH ỦY
* Lâm Đồng, ngày 21 tháng 11 năm 2026
Số 15-NQ/TU
NGHỊ QUYẾT
về bảo vệ bí mật nhà nước
-----
Căn cứ Luật Bảo vệ bí mật nhà nước; BAN THƯỜNG VỤ TỈNH ỦY quyết nghị:
T/M BAN THƯỜNG VỤ
BÍ THƯ
Nguyễn Văn An
"""


def test_a_party_resolution_typed_in_one_column_is_read():
    got = capture.capture_propose(PARTY_PAGE, ocr=True)
    assert got["symbol"] == "15-NQ/TU"
    assert got["doc_type"] == "NQ"
    assert got["issuer_name"] == "TỈNH ỦY LÂM ĐỒNG"
    assert got["place"] == "Lâm Đồng"
    assert got["issued_date"] == "2026-11-21"
    assert got["subject"] == "về bảo vệ bí mật nhà nước"
    assert (got["signer_name"], got["signer_position"]) == ("Nguyễn Văn An", "BÍ THƯ")
    assert got["ocr"] is True


def test_words_in_the_text_are_not_taken_for_stamps():
    # "bí mật" in the subject and "KHẨN" inside a sentence are not stamps.
    page = PARTY_PAGE.replace("-----", "-----\nĐề nghị KHẨN TRƯƠNG thực hiện.")
    got = capture.capture_propose(page, ocr=False)
    assert got["urgency"] is None
    assert got["classification"] is None


def test_a_field_that_is_not_there_is_null_never_a_guess():
    got = capture.capture_propose(
        "Kính gửi các đồng chí.\nĐề nghị các đơn vị báo cáo trước ngày 15.", ocr=False
    )
    assert {name: got[name] for name in capture.FIELDS} == dict.fromkeys(capture.FIELDS)
    assert capture.capture_propose("", ocr=False)["symbol"] is None


def test_a_state_letter_gives_its_v_v_subject_and_the_cv_type():
    page = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TỈNH LÂM ĐỒNG Độc lập - Tự do - Hạnh phúc\n"
        "Số: 1234/UBND-VP Lâm Đồng, ngày 02 tháng 3 năm 2026\n"
        "V/v triển khai kế hoạch\nchuyển đổi số năm 2026\n"
        "HỎA TỐC\n"
        "Kính gửi: Các sở, ban, ngành\n"
    )
    got = capture.capture_propose(page, ocr=False)
    assert got["symbol"] == "1234/UBND-VP"
    assert got["doc_type"] == "CV"
    assert got["issuer_name"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert got["issued_date"] == "2026-03-02"
    assert got["subject"] == "V/v triển khai kế hoạch chuyển đổi số năm 2026"
    assert got["urgency"] == "hoa_toc"


def test_the_signature_is_read_from_the_last_page_when_given():
    got = capture.capture_propose(
        PARTY_PAGE.split("T/M")[0], ocr=False, last_page="K/T BÍ THƯ\nPHÓ BÍ THƯ\n(Đã ký)\nTrần Thị Mai"
    )
    assert (got["signer_name"], got["signer_position"]) == ("Trần Thị Mai", "PHÓ BÍ THƯ")


@pytest.mark.skipif(
    not OCR_READY and os.environ.get("CI") != "true",
    reason="Tesseract with Vietnamese data (tesseract-ocr-vie) or pdftoppm is not installed",
)
def test_capture_of_a_scan_reads_the_key_fields_by_ocr(tmp_path):
    doc = by_key("demo-03")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(demo_files.render_pdf(doc))
    subprocess.run(
        ["pdftoppm", "-r", "300", "-png", "-f", "1", "-l", "1", pdf, tmp_path / "scan"], check=True
    )
    got = capture.capture_path(next(tmp_path.glob("scan*.png")), files.PNG, time_limit=600)
    assert got["ocr"] is True
    expected = doc.expected()
    for name in ("symbol", "doc_type", "issued_date", "urgency"):
        assert got[name] == expected[name], name


def test_ocr_slips_in_the_header_and_signature_are_repaired_or_left_out():
    # As Tesseract reads a state page: the motto broken over the issuer's two lines, a tone
    # misread in an institutional word, a speck before the position.
    page = (
        "ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA\n"
        "TỈNH LÂM ĐỒNG VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\n"
        "Số: 17/QĐ-UBND Lâm Đồng, ngày 05 tháng 01 năm 2026\n"
        "QUYẾT ĐỊNH\nvề việc kiện toàn Ban Chỉ đạo\n\n"
        "Nơi nhận: K/T CHỦ TỊCH\n- Như trên; ệ PHÓ TRƯỜNG BAN\n- Lưu VT. (Đã ký)\nPhạm Đức Thắng\n"
    )
    got = capture.capture_propose(page, ocr=True)
    assert got["issuer_name"] == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert (got["signer_name"], got["signer_position"]) == ("Phạm Đức Thắng", "PHÓ TRƯỞNG BAN")
    assert got["symbol"] == "17/QĐ-UBND" and got["doc_type"] == "QĐ"
    assert got["subject"] == "về việc kiện toàn Ban Chỉ đạo"


def test_a_place_name_is_not_taken_for_the_signer():
    got = capture.capture_propose(
        "Số 15-NQ/TU\nNGHỊ QUYẾT\nvề x\n- Lưu Văn phòng Tỉnh ủy Lâm Đồng", ocr=False
    )
    assert got["signer_name"] is None
