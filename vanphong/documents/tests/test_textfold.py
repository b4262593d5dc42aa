"""Folding Vietnamese text for accent-insensitive search."""

from __future__ import annotations

import unicodedata

import pytest

from vanphong.core.textfold import FoldedText, fold, fold_query

FOLDS = [
    ("dang_uy", "Đảng ủy", "dang uy"),
    ("upper_case_heading", "NGHỊ QUYẾT", "nghi quyet"),
    ("lower_d_stroke", "đồng chí", "dong chi"),
    ("commission", "Ủy ban Kiểm tra Tỉnh ủy", "uy ban kiem tra tinh uy"),
    ("old_tone_placement", "Hoà bình, uỷ quyền, thoả thuận", "hoa binh, uy quyen, thoa thuan"),
    ("new_tone_placement", "Hòa bình, ủy quyền, thỏa thuận", "hoa binh, uy quyen, thoa thuan"),
    ("vowel_marks", "ăâêôơư ĂÂÊÔƠƯ", "aaeoou aaeoou"),
    ("five_tones", "àáảãạ ÀÁẢÃẠ", "aaaaa aaaaa"),
    ("eth_from_old_fonts", "ÐẢNG ðoàn", "dang doan"),
    ("whitespace_collapsed", "  Văn\tphòng \n Tỉnh ủy  ", "van phong tinh uy"),
    ("digits_and_punctuation_kept", "Số 08-NQ/TU", "so 08-nq/tu"),
    ("place_names", "Lâm Đồng, Bình Thuận, Đắk Nông", "lam dong, binh thuan, dak nong"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("text", "folded"), [row[1:] for row in FOLDS], ids=[row[0] for row in FOLDS])
def test_fold_lowercases_strips_every_diacritic_and_collapses_whitespace(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("text", [row[1] for row in FOLDS], ids=[row[0] for row in FOLDS])
def test_decomposed_and_composed_text_fold_alike(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("text", [row[1] for row in FOLDS], ids=[row[0] for row in FOLDS])
def test_folding_twice_changes_nothing(text):
    assert fold(fold(text)) == fold(text)


def test_d_stroke_is_folded_although_nfd_leaves_it_alone():
    # The trap the module exists for: Đ has no decomposition, so stripping marks keeps it.
    assert unicodedata.normalize("NFD", "Đ") == "Đ"
    assert fold("Đ") == "d"


@pytest.mark.parametrize(
    ("query", "folded"),
    [
        ("Nghị quyết 08-NQ/TU", "nghi quyet 08 nq tu"),
        ('"Đảng ủy" OR *ủy*', "dang uy or uy"),
        ("  (Kế hoạch):  năm_2026 ", "ke hoach nam 2026"),
        ("nghi quyet", "nghi quyet"),
        ("!!!", ""),
    ],
    ids=["symbol_becomes_terms", "search_syntax_removed", "punctuation", "already_folded", "nothing"],
)
def test_fold_query_keeps_only_folded_terms(query, folded):
    assert fold_query(query) == folded


def test_a_query_without_accents_matches_text_with_accents():
    assert fold_query("nghi quyet dang uy") in fold("Nghị quyết Đảng ủy xã Phú Quý")


def test_folded_text_maps_matches_back_to_the_original_characters():
    original = unicodedata.normalize("NFD", "Căn cứ Nghị quyết số 08")
    text = FoldedText.of(original)
    start = text.folded.index("nghi quyet")
    span = text.span(start, start + len("nghi quyet"))
    assert unicodedata.normalize("NFC", original[span[0] : span[1]]) == "Nghị quyết"


def test_folded_text_keeps_line_breaks_and_maps_positions_both_ways():
    text = FoldedText.of("Đảng\nủy")
    assert text.folded == "dang\nuy"
    assert text.position(5) == 5
    assert text.span(0, len(text.folded)) == (0, len("Đảng\nủy"))
