"""Digital signatures of PDFs, for real: a certificate authority made in the test, PKCS#12
keys, pyHanko signing and verifying, and the stamps rendered with pdftoppm."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from io import BytesIO

import pytest
from django.test import override_settings
from PIL import Image

from vanphong.core.signatures import (
    SEAL_FIELD_PREFIX,
    Pkcs12Signer,
    Placement,
    SignatureCheck,
    checks,
    placement_for_seal,
    placement_for_signer,
    placement_top_right_first_page,
    sign_pdf,
    trust_roots_from_settings,
    verify_pdf,
)
from vanphong.core.signatures.testing import TestCA, make_ca, make_leaf
from vanphong.demo import documents_files as demo_files

DEMO = demo_files.demo_documents()[0]
SIGNER_NAME = DEMO.signer[2]
RED = (0.8, 0.0, 0.0)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return demo_files.render_pdf(DEMO)


@pytest.fixture(scope="module")
def ca() -> TestCA:
    return make_ca("CA Ban Cơ yếu thử nghiệm")


@pytest.fixture(scope="module")
def person(ca: TestCA) -> Pkcs12Signer:
    return Pkcs12Signer.load(
        make_leaf(ca, SIGNER_NAME, organization="Tỉnh ủy Lâm Đồng", passphrase="mk"), "mk"
    )


@pytest.fixture(scope="module")
def seal(ca: TestCA) -> Pkcs12Signer:
    return Pkcs12Signer.load(make_leaf(ca, "Tỉnh ủy Lâm Đồng", seal=True, passphrase="mk"), "mk")


@pytest.fixture(scope="module")
def signed(pdf: bytes, person: Pkcs12Signer) -> bytes:
    return sign_pdf(
        pdf, signer=person, placement=placement_for_signer(pdf, SIGNER_NAME), reason="Ký ban hành"
    )


@pytest.fixture(scope="module")
def sealed(signed: bytes, pdf: bytes, seal: Pkcs12Signer) -> bytes:
    return sign_pdf(
        signed,
        signer=seal,
        placement=placement_for_seal(placement_for_signer(pdf, SIGNER_NAME)),
        stamp_lines=["TỈNH ỦY LÂM ĐỒNG", "2026-12-08T09:30:00+07:00"],
        field_prefix=SEAL_FIELD_PREFIX,
        border_color=RED,
        align="left",
    )


def test_a_signature_by_a_trusted_authority_is_valid_trusted_and_intact(signed, ca, person):
    (check,) = verify_pdf(signed, trust_roots=[ca.pem])
    assert (check.intact, check.trusted, check.valid) == (True, True, True)
    assert check.reason == checks.VALID
    assert check.signer == SIGNER_NAME
    assert check.covers_whole_file and not check.timestamped
    assert check.is_seal is False
    assert check.certificate_serial == person.serial
    assert check.signed_at is not None and abs(check.signed_at - dt.datetime.now(dt.UTC)) < dt.timedelta(
        minutes=5
    )
    again = SignatureCheck.from_dict(check.as_dict())
    assert again == check
    assert isinstance(check.as_dict()["signed_at"], str)


def test_signing_appends_an_incremental_update(pdf, signed):
    assert signed.startswith(pdf)


def test_a_certificate_from_another_authority_is_not_trusted(signed):
    other = make_ca("CA khác")
    (check,) = verify_pdf(signed, trust_roots=[other.pem])
    assert check.intact and not check.trusted and not check.valid
    assert check.reason == checks.UNTRUSTED
    (check,) = verify_pdf(signed)  # no trust root configured
    assert not check.trusted and check.reason == checks.NO_ROOTS


def _change_one_byte(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] = (changed[position] + 1) % 256
    return bytes(changed)


def test_one_changed_byte_in_the_signed_range_is_flagged(pdf, signed, ca):
    stream = pdf.index(b"stream", len(pdf) // 3) + len(b"stream\n") + 5  # inside a page's content
    tampered = _change_one_byte(signed, stream)
    assert len(tampered) == len(signed) and tampered != signed
    (check,) = verify_pdf(tampered, trust_roots=[ca.pem])
    assert check.intact is False and check.valid is False
    assert check.reason == checks.TAMPERED


def test_a_changed_byte_that_breaks_the_structure_is_still_flagged(pdf, signed, ca):
    # The cross-reference offsets of the original revision: the reader may give up on the
    # file, the signed range is then hashed from the raw bytes.
    position = pdf.rindex(b"startxref") + len(b"startxref\n")
    tampered = _change_one_byte(signed, position)
    found = verify_pdf(tampered, trust_roots=[ca.pem])
    assert len(found) == 1
    assert found[0].intact is False and found[0].valid is False
    assert checks.raw_checks(signed)[0].intact is True


def test_an_expired_certificate_is_reported(pdf, ca):
    now = dt.datetime.now(dt.UTC)
    expired = Pkcs12Signer.load(
        make_leaf(
            ca, "Trần Văn Cũ", not_before=now - dt.timedelta(days=800), not_after=now - dt.timedelta(days=1)
        ),
        "1234",
    )
    out = sign_pdf(pdf, signer=expired, placement=Placement(page=0, box=(300, 100, 480, 150)))
    (check,) = verify_pdf(out, trust_roots=[ca.pem])
    assert check.intact and not check.valid
    assert check.reason == checks.EXPIRED


def test_the_seal_after_the_personal_signature_keeps_both_valid(sealed, ca):
    first, second = verify_pdf(sealed, trust_roots=[ca.pem])
    assert first.signer == SIGNER_NAME and first.is_seal is False
    assert first.intact and first.valid and not first.covers_whole_file
    assert first.reason == checks.VALID_LATER_SIGNED
    assert second.signer == "Tỉnh ủy Lâm Đồng" and second.is_seal is True
    assert second.intact and second.valid and second.covers_whole_file


def test_content_changed_in_an_incremental_update_after_signing_is_reported(signed, ca):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed))
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (Them sau khi ky) Tj ET")
    writer.add_stream_to_page(0, writer.add_object(stream))
    out = BytesIO()
    writer.write(out)
    (check,) = verify_pdf(out.getvalue(), trust_roots=[ca.pem])
    assert check.intact is True  # the signed bytes are untouched...
    assert check.covers_whole_file is False  # ...but something came after them
    assert check.valid is False and check.reason == checks.MODIFIED_AFTER


@pytest.mark.parametrize(
    "data", [b"", b"not a pdf at all", b"%PDF-1.7\n/ByteRange [0 1 2 3]\ngarbage", b"\x00" * 50]
)
def test_garbage_answers_no_signature(data):
    assert verify_pdf(data) == []


def test_an_unsigned_pdf_or_a_truncated_signed_one_does_not_raise(pdf, signed, ca):
    assert verify_pdf(pdf) == []
    truncated = verify_pdf(signed[: len(signed) - 3000], trust_roots=[ca.pem])
    assert all(not c.valid for c in truncated)


def test_pkcs12_wrong_passphrase_or_not_pkcs12_is_refused_in_vietnamese(ca):
    data = make_leaf(ca, "Lê Văn Khóa", passphrase="dung")
    with pytest.raises(ValueError, match="Mật khẩu chứng thư số không đúng"):
        Pkcs12Signer.load(data, "sai")
    with pytest.raises(ValueError, match="PKCS#12"):
        Pkcs12Signer.load(b"hello", "dung")
    loaded = Pkcs12Signer.load(data, "dung")
    assert loaded.common_name == "Lê Văn Khóa"
    assert "CN=Lê Văn Khóa" in loaded.subject and "CA Ban" not in loaded.subject
    assert loaded.not_before < dt.datetime.now(dt.UTC) < loaded.not_after


def test_trust_roots_come_from_a_file_or_a_folder(tmp_path, ca):
    other = make_ca("CA thứ hai")
    (tmp_path / "a.pem").write_bytes(ca.pem)
    (tmp_path / "b.crt").write_bytes(other.pem)
    (tmp_path / "notes.txt").write_text("không phải chứng thư")
    with override_settings(VANPHONG_SIGNATURE_TRUST_ROOTS=str(tmp_path)):
        assert sorted(trust_roots_from_settings()) == sorted([ca.pem, other.pem])
    with override_settings(VANPHONG_SIGNATURE_TRUST_ROOTS=str(tmp_path / "a.pem")):
        assert trust_roots_from_settings() == [ca.pem]
    with override_settings(VANPHONG_SIGNATURE_TRUST_ROOTS=""):
        assert trust_roots_from_settings() == []


def test_the_signer_box_sits_above_the_printed_name_and_the_seal_over_its_left_third(pdf):
    personal = placement_for_signer(pdf, SIGNER_NAME)
    assert personal.page == -1
    lines = checks_lines_named(pdf, SIGNER_NAME)
    assert lines, "the demo page prints the signer's name"
    name_y = min(lines)
    assert name_y < personal.box[1] < name_y + 30  # just above the name
    seal = placement_for_seal(personal)
    assert seal.box[1:4:2] == personal.box[1:4:2]  # same height
    assert seal.box[2] - personal.box[0] == pytest.approx(personal.width / 3)
    missing = placement_for_signer(pdf, "Người Không Có Tên")
    assert missing.box[0] > 300  # bottom right
    top_right = placement_top_right_first_page(pdf)
    assert top_right.page == 0 and top_right.box[3] > 800 and top_right.box[2] > 550


def checks_lines_named(pdf: bytes, name: str) -> list[float]:
    from pypdf import PdfReader

    from vanphong.core.signatures.placement import _lines, _normal

    page = PdfReader(BytesIO(pdf)).pages[-1]
    return [ln.y for ln in _lines(page) if _normal(name) in _normal(ln.text)]


def _coloured(image: Image.Image, box: tuple[float, float, float, float], height: float, colour: str) -> int:
    """Pixels of ``colour`` inside ``box`` (PDF points, rendered at 72 dpi)."""
    x1, y1, x2, y2 = box
    region = image.crop((int(x1), int(height - y2), int(x2), int(height - y1))).convert("RGB")
    count = 0
    raw = region.tobytes()
    for i in range(0, len(raw), 3):
        r, g, b = raw[i], raw[i + 1], raw[i + 2]
        if colour == "red" and r > 150 and g < 90 and b < 90:
            count += 1
        if colour == "blue" and b > 110 and r < 60:
            count += 1
    return count


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_stamps_render_where_the_rules_put_them(sealed, pdf, tmp_path, person):
    (tmp_path / "sealed.pdf").write_bytes(sealed)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / "sealed.pdf"), str(tmp_path / "last")],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "last.png")
    height = image.height
    personal = placement_for_signer(pdf, SIGNER_NAME)
    seal = placement_for_seal(personal)
    assert _coloured(image, personal.box, height, "blue") > 50  # the signer's text and frame
    left_two_thirds = (seal.box[0], seal.box[1], personal.box[0] - 2, seal.box[3])
    assert _coloured(image, left_two_thirds, height, "red") > 50  # the seal, left of the signature
    assert _coloured(image, (0, 0, 200, 200), height, "red") == 0  # nothing stray
    top_right = placement_top_right_first_page(pdf)
    copy = sign_pdf(
        pdf, signer=person, placement=top_right, stamp_lines=["Số 01-NQ/TU", "2026-12-08T09:30:00+07:00"]
    )
    (tmp_path / "copy.pdf").write_bytes(copy)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-singlefile", str(tmp_path / "copy.pdf"), str(tmp_path / "first")],
        check=True,
        timeout=60,
    )
    first = Image.open(tmp_path / "first.png")
    assert _coloured(first, top_right.box, first.height, "blue") > 50
