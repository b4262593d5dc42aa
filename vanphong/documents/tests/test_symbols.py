"""Số, ký hiệu: the type catalogue, parsing what clerks type, and writing canonical symbols."""

from __future__ import annotations

import unicodedata

import pytest

from vanphong.documents import doctypes
from vanphong.documents.doctypes import System
from vanphong.documents.symbols import ParsedSymbol, canonical_code, format_symbol, parse_symbol

P, S = "party", "state"

# Real symbols, as printed. Columns: symbol, style, number, year, doc_type, issuer, unit.
# Sources: /work/shared/domain/FACTS.md (§0, §1.2, §2.2, §2.3, §4, §5, §6) and the
# examples of NĐ 30/2020/NĐ-CP Phụ lục I (15/QĐ-BNV, 05/BNV-VP, 12/UBND-VX).
REAL_SYMBOLS = [
    # Party documents
    ("08-NQ/TU", P, 8, None, "NQ", "TU", None),
    ("920-CTr/TU", P, 920, None, "CTr", "TU", None),
    ("04-QĐi/TW", P, 4, None, "QĐi", "TW", None),
    ("11-QĐi/TW", P, 11, None, "QĐi", "TW", None),
    ("59-CV/TU", P, 59, None, "CV", "TU", None),
    ("39-NQ/TW", P, 39, None, "NQ", "TW", None),
    ("57-NQ/TW", P, 57, None, "NQ", "TW", None),
    ("01-CTr/TU", P, 1, None, "CTr", "TU", None),
    ("215-KL/TW", P, 215, None, "KL", "TW", None),
    ("198-KL/TW", P, 198, None, "KL", "TW", None),
    ("399-QĐ/TW", P, 399, None, "QĐ", "TW", None),
    ("66-QĐ/TW", P, 66, None, "QĐ", "TW", None),
    ("204-QĐ/TW", P, 204, None, "QĐ", "TW", None),
    ("337-QĐ/TW", P, 337, None, "QĐ", "TW", None),
    ("12-HD/BTCTW", P, 12, None, "HD", "BTCTW", None),
    ("36-HD/VPTW", P, 36, None, "HD", "VPTW", None),
    ("10-HD/UBKTTW", P, 10, None, "HD", "UBKTTW", None),
    ("05-TB/VPTU", P, 5, None, "TB", "VPTU", None),
    ("05-TB/BCĐTW", P, 5, None, "TB", "BCĐTW", None),
    ("98-TB/TU", P, 98, None, "TB", "TU", None),
    ("25-CT/TU", P, 25, None, "CT", "TU", None),
    ("35-CT/TW", P, 35, None, "CT", "TW", None),
    ("09-QC/TW", P, 9, None, "QC", "TW", None),
    ("18-BC/UBKTTU", P, 18, None, "BC", "UBKTTU", None),
    ("90-BC/ĐU", P, 90, None, "BC", "ĐU", None),
    ("15-NQ/ĐU", P, 15, None, "NQ", "ĐU", None),
    ("102-QĐ/HU", P, 102, None, "QĐ", "HU", None),
    ("04-NQ/HU", P, 4, None, "NQ", "HU", None),
    ("118-KH/TU", P, 118, None, "KH", "TU", None),
    ("511-CV/BNCTW", P, 511, None, "CV", "BNCTW", None),
    ("160-CV/TW", P, 160, None, "CV", "TW", None),
    ("03-SY/VPTU", P, 3, None, "SY", "VPTU", None),
    # State documents
    ("1059/QĐ-TTg", S, 1059, None, "QĐ", "TTg", None),
    ("30/2020/NĐ-CP", S, 30, 2020, "NĐ", "CP", None),
    ("124/2020/NĐ-CP", S, 124, 2020, "NĐ", "CP", None),
    ("123/UBND-VP", S, 123, None, None, "UBND", "VP"),
    ("12/UBND-VX", S, 12, None, None, "UBND", "VX"),
    ("05/BNV-VP", S, 5, None, None, "BNV", "VP"),
    ("7816/VPCP-TTĐT", S, 7816, None, None, "VPCP", "TTĐT"),
    ("15/QĐ-BNV", S, 15, None, "QĐ", "BNV", None),
    ("137/2024/QH15", S, 137, 2024, None, "QH15", None),
    ("117/2025/QH15", S, 117, 2025, None, "QH15", None),
    ("33/2024/QH15", S, 33, 2024, None, "QH15", None),
    ("29/2018/QH14", S, 29, 2018, None, "QH14", None),
    ("02/2011/QH13", S, 2, 2011, None, "QH13", None),
    ("01/2022/TT-BTTTT", S, 1, 2022, "TT", "BTTTT", None),
    ("10/2016/TT-BTTTT", S, 10, 2016, "TT", "BTTTT", None),
    ("10/2022/TT-BNV", S, 10, 2022, "TT", "BNV", None),
    ("24/2020/TT-BCA", S, 24, 2020, "TT", "BCA", None),
    ("05/2021/TT-TTCP", S, 5, 2021, "TT", "TTCP", None),
    ("45/KH-UBND", S, 45, None, "KH", "UBND", None),
    ("12/CĐ-TTg", S, 12, None, "CĐ", "TTg", None),
    ("09/2025/QĐ-TTg", S, 9, 2025, "QĐ", "TTg", None),
    ("20/2020/QĐ-TTg", S, 20, 2020, "QĐ", "TTg", None),
    ("28/2018/QĐ-TTg", S, 28, 2018, "QĐ", "TTg", None),
    ("42/2014/QĐ-TTg", S, 42, 2014, "QĐ", "TTg", None),
    ("03/VBHN-VPQH", S, 3, None, "VBHN", "VPQH", None),
    ("05/2023/L-CTN", S, 5, 2023, "L", "CTN", None),
    ("01/2015/TTLT-BTC-BNV", S, 1, 2015, "TTLT", "BTC-BNV", None),
    ("01/QyĐ-UBND", S, 1, None, "QyĐ", "UBND", None),
    ("15/TTr-UBND", S, 15, None, "TTr", "UBND", None),
    ("05/SY-UBND", S, 5, None, "SY", "UBND", None),
    ("02/TrS-UBND", S, 2, None, "TrS", "UBND", None),
    ("05/SY", S, 5, None, "SY", None, None),
]


@pytest.mark.parametrize(
    ("symbol", "style", "number", "year", "doc_type", "issuer", "unit"),
    REAL_SYMBOLS,
    ids=[row[0] for row in REAL_SYMBOLS],
)
def test_real_symbols_parse_into_their_parts(symbol, style, number, year, doc_type, issuer, unit):
    parsed = parse_symbol(symbol)
    assert parsed == ParsedSymbol(
        number=number,
        number_text=symbol.split("-" if style == P else "/")[0],
        year=year,
        doc_type=doc_type,
        issuer_abbreviation=issuer,
        unit_abbreviation=unit,
        style=style,
        normalized=symbol,
    )


@pytest.mark.parametrize(
    ("symbol", "style", "number", "year", "doc_type", "issuer", "unit"),
    REAL_SYMBOLS,
    ids=[row[0] for row in REAL_SYMBOLS],
)
def test_formatting_the_parts_of_a_real_symbol_gives_it_back(
    symbol, style, number, year, doc_type, issuer, unit
):
    written = format_symbol(
        style=style,
        number=number,
        doc_type=doc_type,
        issuer_abbreviation=issuer,
        year=year,
        unit_abbreviation=unit,
    )
    assert written == symbol
    assert parse_symbol(written) == parse_symbol(symbol)


TOLERATED = [
    ("lower_case_party", "08-nq/tu", "08-NQ/TU"),
    ("so_colon_prefix", "Số: 15/QĐ-UBND", "15/QĐ-UBND"),
    ("upper_case_so_prefix", "SỐ: 08-NQ/TU", "08-NQ/TU"),
    ("so_glued_to_the_symbol", "số:15/QĐ-UBND", "15/QĐ-UBND"),
    ("so_prefix_party_without_colon", "Số 399-QĐ/TW", "399-QĐ/TW"),
    ("lower_case_so_prefix", "số 08-NQ/TU", "08-NQ/TU"),
    ("spaces_around_separators_party", "Số 08 - NQ / TU", "08-NQ/TU"),
    ("spaces_and_en_dash_state", "1059 / QĐ – TTg", "1059/QĐ-TTg"),
    ("em_dash", "30/2020/NĐ—CP", "30/2020/NĐ-CP"),
    ("en_dash_party", "215–KL/TW", "215-KL/TW"),
    ("minus_sign", "45/KH−UBND", "45/KH-UBND"),
    ("quy_dinh_party_typed_with_d", "04-qdi/tw", "04-QĐi/TW"),
    ("quy_dinh_party_upper_case", "04-QĐI/TW", "04-QĐi/TW"),
    ("quy_dinh_state_lower_case", "01/qyd-ubnd", "01/QyĐ-UBND"),
    ("chuong_trinh_keeps_its_case", "920-ctr/tu", "920-CTr/TU"),
    ("to_trinh_keeps_its_case", "15/TTR-UBND", "15/TTr-UBND"),
    ("quyet_dinh_typed_with_d", "1059/qd-ttg", "1059/QĐ-TTg"),
    ("nghi_dinh_typed_with_d", "30/2020/ND-CP", "30/2020/NĐ-CP"),
    ("cong_dien_typed_with_d", "12/CD-TTg", "12/CĐ-TTg"),
    ("dang_uy_typed_with_d", "15-nq/du", "15-NQ/ĐU"),
    ("unit_typed_with_d", "7816/vpcp-ttdt", "7816/VPCP-TTĐT"),
    ("eth_instead_of_d_stroke", "15-NQ/ÐU", "15-NQ/ĐU"),
    ("number_without_leading_zero", "5-NQ/TU", "05-NQ/TU"),
    ("trailing_punctuation", "08-NQ/TU.", "08-NQ/TU"),
    ("decomposed_unicode", unicodedata.normalize("NFD", "Số: 04-QĐi/TW"), "04-QĐi/TW"),
    ("thu_tuong_lower_case", "1059/QĐ-ttg", "1059/QĐ-TTg"),
    ("spaced_cong_van", "123 / UBND - VP", "123/UBND-VP"),
    ("ministry_typed_with_d", "15/2023/tt-bgddt", "15/2023/TT-BGDĐT"),
    ("council_typed_with_d", "12/2024/NQ-HDND", "12/2024/NQ-HĐND"),
]


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [row[1:] for row in TOLERATED],
    ids=[row[0] for row in TOLERATED],
)
def test_what_clerks_type_is_read_as_the_canonical_symbol(typed, canonical):
    parsed = parse_symbol(typed)
    assert parsed is not None
    assert parsed.normalized == canonical


def test_the_number_is_kept_as_printed_beside_its_value():
    parsed = parse_symbol("5-NQ/TU")
    assert (parsed.number, parsed.number_text, parsed.normalized) == (5, "5", "05-NQ/TU")


@pytest.mark.parametrize(
    ("typed", "doc_type"),
    [
        ("12-hd/btctw", "HD"),  # hướng dẫn: "HD" is a code of its own, not HĐ (hợp đồng)
        ("05/hd-ubnd", "HD"),
        ("05/HĐ-UBND", "HĐ"),
        ("10/da-ubnd", "DA"),  # dự án, not ĐA (đề án)
        ("10/ĐA-UBND", "ĐA"),
        ("25-ct/tu", "CT"),  # chỉ thị, not CTr (chương trình)
        ("12/TT-BTTTT", "TT"),
    ],
    ids=["hd_party", "hd_state", "hop_dong", "du_an", "de_an", "chi_thi", "thong_tu"],
)
def test_d_is_read_as_d_stroke_only_when_no_other_code_fits(typed, doc_type):
    assert parse_symbol(typed).doc_type == doc_type


NOT_SYMBOLS = [
    ("empty", ""),
    ("words", "Nghị quyết"),
    ("a_date", "18/7/2023"),
    ("a_plain_number", "1059"),
    ("money", "1.059/2020"),
    ("unknown_party_code", "08-XX/TU"),
    ("state_only_code_in_party_shape", "08-QyĐ/TU"),
    ("party_only_code_in_state_shape", "123/CV-UBND"),
    ("conclusion_in_state_shape", "12/KL-UBND"),
    ("named_type_without_issuer", "15/QĐ"),
    ("number_zero", "0-NQ/TU"),
    ("year_out_of_range", "30/1850/NĐ-CP"),
    ("one_letter_agency", "5/A"),
    ("code_before_number", "NQ-08/TU"),
    ("party_without_issuer", "08-NQ/"),
    ("address", "số 5 đường 3/2"),
]


@pytest.mark.parametrize("text", [row[1] for row in NOT_SYMBOLS], ids=[row[0] for row in NOT_SYMBOLS])
def test_what_is_not_a_symbol_is_not_parsed(text):
    assert parse_symbol(text) is None


def test_a_state_cong_van_implies_its_type_and_a_law_does_not():
    assert parse_symbol("123/UBND-VP").doc_type is None
    assert parse_symbol("123/UBND-VP").effective_doc_type == "CV"
    assert parse_symbol("117/2025/QH15").effective_doc_type is None
    assert parse_symbol("08-NQ/TU").effective_doc_type == "NQ"


def test_copies_are_recognised_as_copies():
    assert parse_symbol("05/SY-UBND").is_copy
    assert parse_symbol("02/TrS-UBND").is_copy
    assert not parse_symbol("05/TB-UBND").is_copy


# --- format_symbol ------------------------------------------------------------------


# Columns: id, style, number, doc_type, issuer, year, unit, expected.
FORMATS = [
    ("party", P, 15, "NQ", "TU", None, None, "15-NQ/TU"),
    ("party_below_ten", P, 8, "NQ", "TU", None, None, "08-NQ/TU"),
    ("party_cong_van", P, 59, "CV", "TU", None, None, "59-CV/TU"),
    ("party_quy_dinh_any_case", P, 4, "qđi", "tw", None, None, "04-QĐi/TW"),
    ("party_cong_van_with_unit", P, 3, "CV", "ĐU", None, "VP", "03-CV/ĐU-VP"),
    ("state_below_ten", S, 1, "QĐ", "UBND", None, None, "01/QĐ-UBND"),
    ("state_thu_tuong", S, 1059, "QĐ", "TTg", None, None, "1059/QĐ-TTg"),
    ("state_normative_with_year", S, 30, "NĐ", "CP", 2020, None, "30/2020/NĐ-CP"),
    ("state_cong_van", S, 123, None, "UBND", None, "VP", "123/UBND-VP"),
    ("state_cong_van_code_is_not_printed", S, 123, "CV", "UBND", None, "VP", "123/UBND-VP"),
    ("law_has_no_code", S, 117, "Luật", "QH15", 2025, None, "117/2025/QH15"),
    ("copy_alone", S, 5, "SY", None, None, None, "05/SY"),
    ("state_quy_dinh_any_case", S, 7, "qyđ", "ubnd", None, None, "07/QyĐ-UBND"),
]


@pytest.mark.parametrize(
    ("style", "number", "doc_type", "issuer", "year", "unit", "expected"),
    [row[1:] for row in FORMATS],
    ids=[row[0] for row in FORMATS],
)
def test_format_symbol_writes_the_canonical_form(style, number, doc_type, issuer, year, unit, expected):
    written = format_symbol(
        style=style,
        number=number,
        doc_type=doc_type,
        issuer_abbreviation=issuer,
        year=year,
        unit_abbreviation=unit,
    )
    assert written == expected


# Columns: id, style, number, doc_type, issuer, year, unit, part of the error message.
REFUSED = [
    ("number_zero", P, 0, "NQ", "TU", None, None, "số nguyên dương"),
    ("number_bool", P, True, "NQ", "TU", None, None, "số nguyên dương"),
    ("unknown_style", "x", 1, "NQ", "TU", None, None, "Kiểu ký hiệu"),
    ("party_without_type", P, 1, None, "TU", None, None, "tên loại"),
    ("party_with_state_only_code", P, 1, "QyĐ", "TU", None, None, "tên loại"),
    ("party_without_issuer", P, 1, "NQ", "", None, None, "cơ quan ban hành"),
    ("party_with_year", P, 1, "NQ", "TU", 2025, None, "không ghi năm"),
    ("state_with_party_only_code", S, 1, "KL", "UBND", None, None, "không dùng cho văn bản nhà nước"),
    ("state_without_issuer", S, 1, "QĐ", None, None, None, "cơ quan, tổ chức ban hành"),
    ("two_digit_year", S, 1, "NĐ", "CP", 20, None, "bốn chữ số"),
    ("named_state_type_with_unit", S, 1, "QĐ", "UBND", None, "VP", "không ghi đơn vị soạn thảo"),
]


@pytest.mark.parametrize(
    ("style", "number", "doc_type", "issuer", "year", "unit", "message"),
    [row[1:] for row in REFUSED],
    ids=[row[0] for row in REFUSED],
)
def test_format_symbol_refuses_parts_that_make_no_valid_symbol(
    style, number, doc_type, issuer, year, unit, message
):
    with pytest.raises(ValueError, match=message):
        format_symbol(
            style=style,
            number=number,
            doc_type=doc_type,
            issuer_abbreviation=issuer,
            year=year,
            unit_abbreviation=unit,
        )


def _every_printable_code(system: System) -> list[str]:
    return sorted(doctypes.codes(system, in_symbol=True))


@pytest.mark.parametrize("code", _every_printable_code(System.PARTY))
@pytest.mark.parametrize("number", [1, 9, 10, 215, 1059])
def test_every_party_code_round_trips_through_format_and_parse(code, number):
    parts = {"style": P, "number": number, "doc_type": code, "issuer_abbreviation": "TU"}
    parsed = parse_symbol(format_symbol(**parts))
    assert (parsed.style, parsed.number, parsed.doc_type) == (P, number, code)
    assert (parsed.issuer_abbreviation, parsed.year, parsed.unit_abbreviation) == ("TU", None, None)


@pytest.mark.parametrize("code", _every_printable_code(System.STATE))
@pytest.mark.parametrize("year", [None, 2025])
def test_every_state_code_round_trips_through_format_and_parse(code, year):
    parts = {"style": S, "number": 7, "doc_type": code, "issuer_abbreviation": "UBND", "year": year}
    parsed = parse_symbol(format_symbol(**parts))
    assert (parsed.style, parsed.number, parsed.doc_type, parsed.issuer_abbreviation, parsed.year) == (
        S,
        7,
        code,
        "UBND",
        year,
    )


# --- the catalogue --------------------------------------------------------------------

# NĐ 30/2020/NĐ-CP Phụ lục III mục I (FACTS §1.1): the 27 coded administrative types and
# the three copy forms, written exactly so.
ND30_CODES = [
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB",
    "TTr", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB", "SY", "TrS", "SL",
]  # fmt: skip


@pytest.mark.parametrize("code", ND30_CODES)
def test_every_nd30_abbreviation_is_a_printed_state_code(code):
    entry = doctypes.doc_type(code, System.STATE)
    assert entry is not None and entry.code == code and entry.in_symbol


def test_the_same_code_means_different_things_in_the_two_systems():
    assert doctypes.doc_type("TT", System.PARTY).name == "Thông tri"
    assert doctypes.doc_type("TT", System.STATE).name == "Thông tư"
    assert doctypes.doc_type("QĐ", System.PARTY).name == "Quyết định"
    assert doctypes.doc_type("QĐi", System.PARTY).name == "Quy định"
    assert doctypes.doc_type("QĐi", System.STATE) is None
    assert doctypes.doc_type("QyĐ", System.STATE).name == "Quy định"
    assert doctypes.doc_type("QyĐ", System.PARTY) is None


def test_cong_van_is_printed_in_party_symbols_but_not_in_state_ones():
    assert doctypes.doc_type("CV", System.PARTY).in_symbol
    assert not doctypes.doc_type("CV", System.STATE).in_symbol
    assert "CV" not in doctypes.codes(System.STATE, in_symbol=True)


def test_codes_are_stored_with_their_mixed_case():
    all_codes = doctypes.codes()
    assert {"QĐi", "QyĐ", "CTr", "TTr", "TrS"} <= all_codes
    assert not {"QĐI", "QYĐ", "CTR", "TTR", "TRS"} & all_codes


def test_copy_forms_are_marked_as_copies():
    assert {entry.code for entry in doctypes.DOC_TYPES if entry.copy} == {"SY", "TrS", "SL"}


def test_laws_carry_no_code_in_their_symbol_and_decrees_do():
    assert not doctypes.doc_type("Luật", System.STATE).in_symbol
    assert doctypes.doc_type("NĐ", System.STATE).normative


@pytest.mark.parametrize(
    ("word", "system", "code"),
    [
        ("Quy định", P, "QĐi"),
        ("Quy định", S, "QyĐ"),
        ("Quy định", None, None),
        ("Thông tư", S, "TT"),
        ("Thông tri", P, "TT"),
        ("THÔNG TƯ LIÊN TỊCH", S, "TTLT"),
        ("Nghị quyết", None, "NQ"),
        ("nghi quyet", P, "NQ"),
        ("Chương trình hành động", P, "CTr"),
        ("Kết luận", P, "KL"),
        ("Kết luận", S, None),
        ("Công văn", S, "CV"),
        ("Luật", S, "Luật"),
        ("Nghị định", S, "NĐ"),
        ("Pháp lệnh", None, "Pháp lệnh"),
        ("Giấy uỷ quyền", S, "GUQ"),
        ("Bản thoả thuận", S, "BTT"),
        ("Văn bản", S, None),
    ],
)
def test_type_words_map_to_the_code_of_each_system(word, system, code):
    assert doctypes.code_for_type_word(word, system) == code


@pytest.mark.parametrize(
    ("raw", "system", "code"),
    [
        ("qd", S, "QĐ"),
        ("QDi", P, "QĐi"),
        ("qyd", S, "QyĐ"),
        ("cd", S, "CĐ"),
        ("hd", S, "HD"),
        ("da", S, "DA"),
        ("trs", S, "TrS"),
        ("xx", S, None),
        ("QyĐ", P, None),
        ("KL", S, None),
    ],
)
def test_canonical_code_restores_case_and_d_stroke(raw, system, code):
    assert canonical_code(raw, system) == code
