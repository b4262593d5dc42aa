"""TCVN3 (ABC) and VNI text detected and converted to Unicode."""

from __future__ import annotations

import unicodedata

import pytest

from vanphong.documents import legacy_encodings as le

CORPUS = (
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam; Ban Thường vụ Tỉnh ủy quyết định thành lập Ban Chỉ đạo "
    "thực hiện nghị quyết về phát triển kinh tế - xã hội, bảo đảm quốc phòng, an ninh năm 2026. "
    "Ưu tiên nguồn lực cho vùng đồng bào dân tộc thiểu số; khẩn trương rà soát, sửa đổi, bổ sung "
    "quy chế làm việc; phấn đấu đạt tỷ lệ ứng dụng chữ ký số trên 95%. Những người được giao nhiệm "
    "vụ phải thường xuyên báo cáo tiến độ, kịp thời đề xuất giải pháp tháo gỡ vướng mắc."
)
# Every Vietnamese vowel with every tone, and đ.
ALL_LETTERS = "".join(sorted(set(le.UNICODE_TO_VNI) | {"đ"}))


def test_every_vietnamese_letter_survives_a_round_trip_through_vni():
    text = ALL_LETTERS + " " + CORPUS
    encoded = le.from_unicode(text, le.VNI)
    assert le.to_unicode(encoded, le.VNI) == text
    # 67 letters in each case outside ASCII, less í and ì, which VNI writes as Latin-1 does.
    assert len(le.UNICODE_TO_VNI) == 130


def test_a_corpus_paragraph_survives_a_round_trip_through_tcvn3():
    encoded = le.from_unicode(CORPUS, le.TCVN3)
    assert encoded != CORPUS
    assert le.to_unicode(encoded, le.TCVN3) == CORPUS


def test_every_lower_case_letter_survives_a_round_trip_through_tcvn3():
    lower = "".join(ch for ch in ALL_LETTERS if ch == ch.lower())
    assert le.to_unicode(le.from_unicode(lower, le.TCVN3), le.TCVN3) == lower


@pytest.mark.parametrize(
    ("legacy", "encoding", "unicode"),
    [
        # As these fonts' text comes out of old Word files and PDFs.
        ("§¶ng bé tØnh L©m §ång", le.TCVN3, "Đảng bộ tỉnh Lâm Đồng"),
        ("Ban Th­êng vô TØnh ñy", le.TCVN3, "Ban Thường vụ Tỉnh ủy"),
        ("NghÞ quyÕt vÒ ph¸t triÓn kinh tÕ", le.TCVN3, "Nghị quyết về phát triển kinh tế"),
        ("Ñaûng boä tænh Laâm Ñoàng", le.VNI, "Đảng bộ tỉnh Lâm Đồng"),
        ("Nghò quyeát veà phaùt trieån kinh teá", le.VNI, "Nghị quyết về phát triển kinh tế"),
        ("ÑAÛNG COÄNG SAÛN VIEÄT NAM", le.VNI, "ĐẢNG CỘNG SẢN VIỆT NAM"),
    ],
)
def test_real_looking_legacy_samples_are_detected_and_converted(legacy, encoding, unicode):
    assert le.detect(legacy) == encoding
    assert le.to_unicode(legacy, encoding) == unicode


@pytest.mark.parametrize(
    "text",
    [
        CORPUS,
        unicodedata.normalize("NFD", CORPUS),
        "Hello world, café, résumé, naïve, à la carte, señor, 30°C",
        "Số 15-NQ/TU ngày 21/11/2026",
        "",
    ],
)
def test_unicode_and_foreign_text_is_left_alone(text):
    assert le.detect(text) == le.UNICODE
    assert le.convert_if_legacy(text) == (text, le.UNICODE)


def test_a_few_stray_legacy_looking_characters_are_not_enough_to_convert():
    assert le.detect("Giá 100 £, lãi suất 5 ¢ — " + CORPUS) == le.UNICODE


def test_an_unknown_encoding_is_an_error():
    with pytest.raises(ValueError, match="unknown encoding"):
        le.to_unicode("x", "viscii")
