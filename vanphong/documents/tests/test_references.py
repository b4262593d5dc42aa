"""Finding the documents a text cites, with the whole phrase, the type and the date."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from vanphong.documents.references import find_references

D = dt.date

# Columns: id, text, the phrase the reference must cover, doc_type, symbol, issuer, date.
ONE_REFERENCE = [
    (
        "resolution_comma_date_then_issuer_name",
        "Nghị quyết số 39-NQ/TW, ngày 18/7/2023 của Bộ Chính trị",
        "Nghị quyết số 39-NQ/TW, ngày 18/7/2023",
        "NQ", "39-NQ/TW", "TW", D(2023, 7, 18),
    ),
    (
        "action_programme_date_with_hyphens",
        "Chương trình hành động số 01-CTr/TU ngày 10-12-2020",
        "Chương trình hành động số 01-CTr/TU ngày 10-12-2020",
        "CTr", "01-CTr/TU", "TU", D(2020, 12, 10),
    ),
    (
        "decision_without_date",
        "Thực hiện Quyết định số 1059/QĐ-TTg, các sở triển khai.",
        "Quyết định số 1059/QĐ-TTg",
        "QĐ", "1059/QĐ-TTg", "TTg", None,
    ),
    (
        "named_law",
        "Căn cứ Luật Bảo vệ bí mật nhà nước số 117/2025/QH15;",
        "Luật Bảo vệ bí mật nhà nước số 117/2025/QH15",
        "Luật", "117/2025/QH15", "QH15", None,
    ),
    (
        "decree_without_so",
        "Căn cứ Nghị định 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;",
        "Nghị định 30/2020/NĐ-CP ngày 05/3/2020",
        "NĐ", "30/2020/NĐ-CP", "CP", D(2020, 3, 5),
    ),
    (
        "conclusion_date_after_comma_only",
        "Kết luận 215-KL/TW, 23/11/2025",
        "Kết luận 215-KL/TW, 23/11/2025",
        "KL", "215-KL/TW", "TW", D(2025, 11, 23),
    ),
    (
        "state_cong_van_long_date",
        "Công văn số 123/UBND-VP ngày 02 tháng 01 năm 2026 của UBND tỉnh",
        "Công văn số 123/UBND-VP ngày 02 tháng 01 năm 2026",
        "CV", "123/UBND-VP", "UBND", D(2026, 1, 2),
    ),
    (
        "party_quy_dinh_with_the_old_qd_code",
        "Quy định số 66-QĐ/TW ngày 06/02/2017 của Ban Chấp hành Trung ương",
        "Quy định số 66-QĐ/TW ngày 06/02/2017",
        "QĐ", "66-QĐ/TW", "TW", D(2017, 2, 6),
    ),
    (
        "party_quy_dinh_date_with_dots",
        "Căn cứ Quy định số 11-QĐi/TW ngày 18.02.2019 của Bộ Chính trị;",
        "Quy định số 11-QĐi/TW ngày 18.02.2019",
        "QĐi", "11-QĐi/TW", "TW", D(2019, 2, 18),
    ),
    (
        "plan_of_a_city_committee",
        "Thực hiện Kế hoạch số 118-KH/TU ngày 02/01/2026 của Thành ủy",
        "Kế hoạch số 118-KH/TU ngày 02/01/2026",
        "KH", "118-KH/TU", "TU", D(2026, 1, 2),
    ),
    (
        "circular",
        "theo Thông tư 01/2022/TT-BTTTT ngày 17/02/2022",
        "Thông tư 01/2022/TT-BTTTT ngày 17/02/2022",
        "TT", "01/2022/TT-BTTTT", "BTTTT", D(2022, 2, 17),
    ),
    (
        "normative_decision_long_date",
        "Quyết định số 09/2025/QĐ-TTg ngày 14 tháng 4 năm 2025 của Thủ tướng Chính phủ",
        "Quyết định số 09/2025/QĐ-TTg ngày 14 tháng 4 năm 2025",
        "QĐ", "09/2025/QĐ-TTg", "TTg", D(2025, 4, 14),
    ),
    (
        "conclusion_notice",
        "Thông báo kết luận số 05-TB/VPTU ngày 9/1/2026.",
        "Thông báo kết luận số 05-TB/VPTU ngày 9/1/2026",
        "TB", "05-TB/VPTU", "VPTU", D(2026, 1, 9),
    ),
    (
        "guidance_of_the_central_office",
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018 của Văn phòng Trung ương Đảng",
        "Hướng dẫn số 36-HD/VPTW ngày 03/4/2018",
        "HD", "36-HD/VPTW", "VPTW", D(2018, 4, 3),
    ),
    (
        "official_telegram",
        "Công điện số 12/CĐ-TTg ngày 2/3/2025 về ứng phó bão",
        "Công điện số 12/CĐ-TTg ngày 2/3/2025",
        "CĐ", "12/CĐ-TTg", "TTg", D(2025, 3, 2),
    ),
    (
        "archives_law",
        "Luật Lưu trữ số 33/2024/QH15 có hiệu lực từ 01/7/2025",
        "Luật Lưu trữ số 33/2024/QH15",
        "Luật", "33/2024/QH15", "QH15", None,
    ),
    (
        "national_assembly_resolution_named_by_the_word",
        "Nghị quyết số 104/2023/QH15 của Quốc hội",
        "Nghị quyết số 104/2023/QH15",
        "NQ", "104/2023/QH15", "QH15", None,
    ),
    (
        "directive_without_so",
        "Chỉ thị 35-CT/TW về tiếp công dân",
        "Chỉ thị 35-CT/TW",
        "CT", "35-CT/TW", "TW", None,
    ),
    (
        "name_between_type_word_and_so",
        "Căn cứ Quy chế làm việc số 09-QC/TW ngày 05/01/2026;",
        "Quy chế làm việc số 09-QC/TW ngày 05/01/2026",
        "QC", "09-QC/TW", "TW", D(2026, 1, 5),
    ),
    (
        "submission",
        "Tờ trình số 15/TTr-UBND ngày 20/5/2025",
        "Tờ trình số 15/TTr-UBND ngày 20/5/2025",
        "TTr", "15/TTr-UBND", "UBND", D(2025, 5, 20),
    ),
    (
        "commune_report_comma_ngay",
        "Báo cáo số 90-BC/ĐU, ngày 15/12/2025 của Đảng ủy xã",
        "Báo cáo số 90-BC/ĐU, ngày 15/12/2025",
        "BC", "90-BC/ĐU", "ĐU", D(2025, 12, 15),
    ),
    (
        "typed_without_diacritics",
        "thuc hien nghi quyet so 08-NQ/TU ngay 30/7/2021",
        "nghi quyet so 08-NQ/TU ngay 30/7/2021",
        "NQ", "08-NQ/TU", "TU", D(2021, 7, 30),
    ),
    (
        "upper_case_heading",
        "NGHỊ QUYẾT SỐ 08-NQ/TU NGÀY 30-7-2021",
        "NGHỊ QUYẾT SỐ 08-NQ/TU NGÀY 30-7-2021",
        "NQ", "08-NQ/TU", "TU", D(2021, 7, 30),
    ),
    (
        "bare_symbol",
        "đề nghị triển khai 59-CV/TU kịp thời",
        "59-CV/TU",
        "CV", "59-CV/TU", "TU", None,
    ),
    (
        "spaces_and_en_dash_in_the_symbol",
        "Quyết định số 1059 / QĐ – TTg ngày 12/9/2023",
        "Quyết định số 1059 / QĐ – TTg ngày 12/9/2023",
        "QĐ", "1059/QĐ-TTg", "TTg", D(2023, 9, 12),
    ),
    (
        "consolidated_text",
        "Văn bản hợp nhất số 03/VBHN-VPQH",
        "Văn bản hợp nhất số 03/VBHN-VPQH",
        "VBHN", "03/VBHN-VPQH", "VPQH", None,
    ),
    (
        "plan_named_after_a_resolution",
        "Kế hoạch triển khai thực hiện Nghị quyết của UBND tỉnh số 45/KH-UBND",
        "Kế hoạch triển khai thực hiện Nghị quyết của UBND tỉnh số 45/KH-UBND",
        "KH", "45/KH-UBND", "UBND", None,
    ),
    (
        "joint_circular",
        "Thông tư liên tịch số 01/2015/TTLT-BTC-BNV",
        "Thông tư liên tịch số 01/2015/TTLT-BTC-BNV",
        "TTLT", "01/2015/TTLT-BTC-BNV", "BTC-BNV", None,
    ),
    (
        "order_promulgating_a_law",
        "Lệnh số 05/2023/L-CTN công bố Luật",
        "Lệnh số 05/2023/L-CTN",
        "L", "05/2023/L-CTN", "CTN", None,
    ),
    (
        "word_van_ban_leaves_the_type_to_the_symbol",
        "văn bản số 123/UBND-VP ngày 5/1/2026",
        "văn bản số 123/UBND-VP ngày 5/1/2026",
        "CV", "123/UBND-VP", "UBND", D(2026, 1, 5),
    ),
    (
        "iso_date",
        "Nghị quyết 57-NQ/TW ngày 2024-12-22",
        "Nghị quyết 57-NQ/TW ngày 2024-12-22",
        "NQ", "57-NQ/TW", "TW", D(2024, 12, 22),
    ),
    (
        "signed_on",
        "Quyết định 204-QĐ/TW ký ngày 29/11/2024",
        "Quyết định 204-QĐ/TW ký ngày 29/11/2024",
        "QĐ", "204-QĐ/TW", "TW", D(2024, 11, 29),
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "phrase", "doc_type", "symbol", "issuer", "date"),
    [row[1:] for row in ONE_REFERENCE],
    ids=[row[0] for row in ONE_REFERENCE],
)
def test_a_reference_is_found_with_its_whole_phrase(text, phrase, doc_type, symbol, issuer, date):
    [reference] = find_references(text)
    assert text[reference.start : reference.end] == phrase
    assert (reference.doc_type, reference.symbol, reference.issuer_abbreviation, reference.date) == (
        doc_type,
        symbol,
        issuer,
        date,
    )


def test_several_references_in_one_sentence_are_found_in_order():
    text = "Thực hiện Nghị quyết số 08-NQ/TU và 09-NQ/TU, Kế hoạch số 45/KH-UBND ngày 1/2/2024 của UBND tỉnh"
    references = find_references(text)
    assert [text[r.start : r.end] for r in references] == [
        "Nghị quyết số 08-NQ/TU",
        "09-NQ/TU",
        "Kế hoạch số 45/KH-UBND ngày 1/2/2024",
    ]
    assert [r.doc_type for r in references] == ["NQ", "NQ", "KH"]


def test_the_phrase_of_a_second_reference_does_not_reach_into_the_first():
    text = "Nghị quyết số 08-NQ/TU số 09-NQ/TU"
    first, second = find_references(text)
    assert text[second.start : second.end] == "số 09-NQ/TU"
    assert first.end <= second.start


def test_offsets_point_into_decomposed_text_exactly():
    composed = "Căn cứ Nghị quyết số 39-NQ/TW, ngày 18 tháng 7 năm 2023 của Bộ Chính trị"
    text = unicodedata.normalize("NFD", composed)
    [reference] = find_references(text)
    assert unicodedata.normalize("NFC", text[reference.start : reference.end]) == (
        "Nghị quyết số 39-NQ/TW, ngày 18 tháng 7 năm 2023"
    )
    assert reference.date == D(2023, 7, 18)


def test_a_reference_knows_its_style_year_and_type_word():
    [law] = find_references("Luật Bảo vệ bí mật nhà nước số 117/2025/QH15")
    assert (law.style, law.year, law.number, law.type_word) == ("state", 2025, 117, "Luật")
    [resolution] = find_references("Nghị quyết số 08-NQ/TU")
    assert (resolution.style, resolution.year, resolution.number, resolution.type_word) == (
        "party",
        None,
        8,
        "Nghị quyết",
    )


def test_as_dict_gives_the_fields_of_the_references_api():
    [reference] = find_references("Nghị quyết số 08-NQ/TU ngày 30-7-2021")
    assert reference.as_dict() == {
        "doc_type": "NQ",
        "number": 8,
        "symbol": "08-NQ/TU",
        "issuer_abbreviation": "TU",
        "date": "2021-07-30",
        "start": 0,
        "end": 37,
    }


def test_an_invalid_date_after_a_symbol_is_left_out_of_the_phrase():
    text = "Nghị quyết số 08-NQ/TU ngày 31/02/2021"
    [reference] = find_references(text)
    assert reference.date is None
    assert text[reference.start : reference.end] == "Nghị quyết số 08-NQ/TU"


NO_REFERENCE = [
    ("empty", ""),
    ("plain_numbers", "Năm 2025 có 1059 văn bản, tăng 12% so với năm 2024."),
    ("address", "Trụ sở tại số 5 đường 3/2, phường 10."),
    ("phone_numbers", "Điện thoại: 0263.3822.123 hoặc 0263-3822-123, fax 0263 3822 124."),
    ("dates", "ngày 18/7/2023, 18-7-2023, 18.7.2023 và ngày 02 tháng 01 năm 2026"),
    ("money", "Kinh phí 1.059/2020 đồng, tương đương 1.059.000 đồng/người."),
    ("fractions_and_hours", "Trực 24/7, tỷ lệ 3/4, nhiệm kỳ 2020-2025."),
    ("unknown_party_code", "Số 08-XX/TU không phải ký hiệu."),
    ("covid", "Phòng, chống dịch COVID-19/2020."),
    ("form_numbers", "Mẫu số 02/ĐK-TCT và Phụ lục số 01/PL-BTC kèm theo."),
    ("lone_agency_after_slash", "Tờ 5/ABC đã nộp."),
    ("ordinary_words_after_slash", "tỷ lệ 12/Tháng và 3/Người"),
    ("lower_case_symbol_in_prose", "nhóm 08-nq/tu trong bài"),
    ("party_only_code_in_state_shape", "Số 123/CV-UBND"),
    ("licence_plate", "xe biển số 49A-123.45"),
]


@pytest.mark.parametrize("text", [row[1] for row in NO_REFERENCE], ids=[row[0] for row in NO_REFERENCE])
def test_text_without_a_document_symbol_yields_no_reference(text):
    assert find_references(text) == []
