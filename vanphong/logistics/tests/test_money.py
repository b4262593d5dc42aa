"""Amounts in words and in figures (vanphong.logistics.money).

Every expected reading below was written by hand from the rules in the module docstring.
"""

from decimal import Decimal

import pytest

from vanphong.logistics.money import amount_in_words, format_vnd, to_dong

CASES = [
    # Units, tens: mười / mươi, mốt, lăm, bốn.
    (0, "Không đồng"),
    (1, "Một đồng"),
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (14, "Mười bốn đồng"),
    (15, "Mười lăm đồng"),
    (20, "Hai mươi đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (25, "Hai mươi lăm đồng"),
    (31, "Ba mươi mốt đồng"),
    (41, "Bốn mươi mốt đồng"),
    (50, "Năm mươi đồng"),
    (55, "Năm mươi lăm đồng"),
    (95, "Chín mươi lăm đồng"),
    # Hundreds and "linh".
    (100, "Một trăm đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (111, "Một trăm mười một đồng"),
    (115, "Một trăm mười lăm đồng"),
    (121, "Một trăm hai mươi mốt đồng"),
    (205, "Hai trăm linh năm đồng"),
    # Thousands: a non-leading group reads "không trăm".
    (1_000, "Một nghìn đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_010, "Một nghìn không trăm mười đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (1_021, "Một nghìn không trăm hai mươi mốt đồng"),
    (10_000, "Mười nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"),
    (21_000, "Hai mươi mốt nghìn đồng"),
    (25_500, "Hai mươi lăm nghìn năm trăm đồng"),
    (100_000, "Một trăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"),
    # Millions: empty groups are skipped with their scale.
    (1_000_000, "Một triệu đồng"),
    (1_000_050, "Một triệu không trăm năm mươi đồng"),
    (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
    (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
    (2_000_001, "Hai triệu không trăm linh một đồng"),
    (10_000_000, "Mười triệu đồng"),
    (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
    (15_500_000, "Mười lăm triệu năm trăm nghìn đồng"),
    (45_000_000, "Bốn mươi lăm triệu đồng"),
    (100_000_000, "Một trăm triệu đồng"),
    (
        999_999_999,
        "Chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín trăm chín mươi chín đồng",
    ),
    # Billions (tỷ) and the scales above, built on tỷ.
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_001, "Một tỷ không trăm linh một đồng"),
    (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
    (5_000_001_000, "Năm tỷ không trăm linh một nghìn đồng"),
    (
        123_456_789_012,
        "Một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu bảy trăm tám mươi chín nghìn"
        " không trăm mười hai đồng",
    ),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
    (1_000_000_000_005, "Một nghìn tỷ không trăm linh năm đồng"),
    (1_000_000_000_021, "Một nghìn tỷ không trăm hai mươi mốt đồng"),
    (1_005_000_000_000, "Một nghìn không trăm linh năm tỷ đồng"),
    (1_500_000_000_000, "Một nghìn năm trăm tỷ đồng"),
    (10**15, "Một triệu tỷ đồng"),
    (10**18, "Một tỷ tỷ đồng"),
    (2 * 10**18 + 1, "Hai tỷ tỷ không trăm linh một đồng"),
    # Typical invoice amounts.
    (199_000, "Một trăm chín mươi chín nghìn đồng"),
    (850_000, "Tám trăm năm mươi nghìn đồng"),
    (2_365_500, "Hai triệu ba trăm sáu mươi lăm nghìn năm trăm đồng"),
    (3_450_000, "Ba triệu bốn trăm năm mươi nghìn đồng"),
    (4_071_000, "Bốn triệu không trăm bảy mươi mốt nghìn đồng"),
    (17_820_000, "Mười bảy triệu tám trăm hai mươi nghìn đồng"),
    # Negative amounts.
    (-1, "Âm một đồng"),
    (-5_000, "Âm năm nghìn đồng"),
    (-1_250_000, "Âm một triệu hai trăm năm mươi nghìn đồng"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_amount_in_words(amount, expected):
    assert amount_in_words(amount) == expected


def test_there_are_at_least_forty_hand_written_cases():
    assert len(CASES) >= 40
    assert len({amount for amount, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("1250000"), "Một triệu hai trăm năm mươi nghìn đồng"),
        (Decimal("1500.00"), "Một nghìn năm trăm đồng"),
        (Decimal("0.000"), "Không đồng"),
        (Decimal("-21"), "Âm hai mươi mốt đồng"),
        (Decimal("1E+9"), "Một tỷ đồng"),
    ],
)
def test_decimal_with_zero_fraction_is_accepted(amount, expected):
    assert amount_in_words(amount) == expected


@pytest.mark.parametrize("amount", [Decimal("1.5"), Decimal("1000.01"), Decimal("-0.5")])
def test_decimal_with_fraction_is_refused(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)


@pytest.mark.parametrize("amount", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_non_finite_decimal_is_refused(amount):
    with pytest.raises(ValueError):
        amount_in_words(amount)


@pytest.mark.parametrize("amount", [1.0, 1000.5, True, "1000", None])
def test_other_types_are_refused(amount):
    with pytest.raises(TypeError):
        amount_in_words(amount)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (105, "Một trăm lẻ năm đồng"),
        (1_001, "Một nghìn không trăm lẻ một đồng"),
        (1_000_001_000, "Một tỷ không trăm lẻ một nghìn đồng"),
        (110, "Một trăm mười đồng"),
    ],
)
def test_le_instead_of_linh(amount, expected):
    assert amount_in_words(amount, linh="lẻ") == expected


def test_unknown_word_for_zero_tens_is_refused():
    with pytest.raises(ValueError):
        amount_in_words(105, linh="không")


def test_suffix():
    assert amount_in_words(1_000_000, suffix="đồng chẵn") == "Một triệu đồng chẵn"
    assert amount_in_words(125, suffix="") == "Một trăm hai mươi lăm"
    assert amount_in_words(0, suffix="") == "Không"
    assert not amount_in_words(1_000).endswith("chẵn")


def test_readings_are_distinct_and_well_formed_up_to_a_hundred_thousand():
    """Two amounts never read the same; no reading has a stray space or a rule broken in it."""
    seen: dict[str, int] = {}
    for amount in range(100_000):
        text = amount_in_words(amount)
        assert text not in seen, (amount, seen.get(text))
        seen[text] = amount
        assert "  " not in text
        assert text == text.strip()
        assert text[0].isupper()
        assert text.endswith(" đồng")
        lowered = text.lower()
        assert "mười mốt" not in lowered  # 11 is "mười một"
        assert "mười năm" not in lowered  # 15 is "mười lăm"
        assert "mươi năm" not in lowered  # 25 is "hai mươi lăm"
        assert "mươi một" not in lowered  # 21 is "hai mươi mốt"
        assert "linh lăm" not in lowered and "linh mốt" not in lowered
        assert " tư" not in lowered  # the written form is "bốn"
        assert not lowered.startswith(("không trăm", "linh")) or amount == 0


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "0"),
        (5, "5"),
        (999, "999"),
        (1_000, "1.000"),
        (12_345, "12.345"),
        (1_250_000, "1.250.000"),
        (3_450_000, "3.450.000"),
        (123_456_789_012, "123.456.789.012"),
        (-1_250_000, "-1.250.000"),
        (Decimal("3450000.00"), "3.450.000"),
    ],
)
def test_format_vnd(amount, expected):
    assert format_vnd(amount) == expected


def test_format_vnd_refuses_a_fraction():
    with pytest.raises(ValueError):
        format_vnd(Decimal("12.5"))


def test_to_dong():
    assert to_dong(Decimal("42.000")) == 42
    assert isinstance(to_dong(Decimal("42.000")), int)
    assert to_dong(-7) == -7
