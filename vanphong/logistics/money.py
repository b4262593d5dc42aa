"""Amounts of money in Vietnamese đồng: the amount in words and the figure with separators.

Printed spending forms (phiếu chi, giấy đề nghị thanh toán, ...) carry the amount twice: in figures
("1.250.000") and in words ("Số tiền bằng chữ: Một triệu hai trăm năm mươi nghìn đồng"). This module
is pure Python (no Django, no database).

Rules of the reading (``amount_in_words``), as written on Vietnamese financial forms:

* The number is read in groups of three digits from the left. Scales: ``nghìn`` (10^3), ``triệu``
  (10^6), ``tỷ`` (10^9); above that the scales repeat on top of ``tỷ``: ``nghìn tỷ`` (10^12),
  ``triệu tỷ`` (10^15), ``tỷ tỷ`` (10^18), and so on.
* A group that is wholly zero is skipped with its scale word: 1_000_050 is "một triệu không trăm
  năm mươi" (the empty thousands group says nothing).
* The leading (leftmost) group is read without its zero hundreds and tens: 5 is "năm", 15_000 is
  "mười lăm nghìn". Every other non-empty group is read with all three digits, so a group below 100
  starts with "không trăm": 1_005_000 is "một triệu không trăm linh năm nghìn".
* Tens: "mười" for 10–19 ("mười", "mười một", "mười lăm"), "<digit> mươi" for 20–90 ("hai mươi",
  "chín mươi").
* A zero ten between a read hundred and a non-zero unit is "linh" (105 = "một trăm linh năm"); some
  offices write "lẻ" instead: pass ``linh="lẻ"``. The default is "linh".
* Unit 1 after a ten of 20 or more is "mốt" (21 = "hai mươi mốt"), but "một" after "mười"
  (11 = "mười một") and after "linh" (101 = "một trăm linh một").
* Unit 5 after any ten (10–90) is "lăm" (15 = "mười lăm", 25 = "hai mươi lăm"), but "năm" alone or
  after "linh" (105 = "một trăm linh năm").
* Unit 4 after a ten of 20 or more is read "tư" in the South ("hai mươi tư"); the standard written
  form on forms is "bốn", and that is what this module writes ("hai mươi bốn").
* Unit 0 after a ten says nothing ("hai mươi", "mười").
* 0 is "Không đồng"; a negative amount starts with "Âm" ("Âm năm nghìn đồng").
* The first letter is capitalised; the words end with the ``suffix`` (default "đồng"). No "chẵn" is
  added; an office that wants it passes ``suffix="đồng chẵn"``.

VND has no subunits: a ``Decimal`` with a non-zero fraction raises ``ValueError``; ``Decimal("1500.00")``
is accepted as 1500. ``float`` and ``bool`` are refused (``TypeError``): money is never a float here.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = ["amount_in_words", "format_vnd", "to_dong"]

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Scales inside one block of nine digits; blocks of nine digits are joined with "tỷ".
_SCALES = ("", "nghìn", "triệu")
_BILLION = 10**9
_ZERO_TENS = ("linh", "lẻ")


def to_dong(amount: int | Decimal) -> int:
    """The amount as a whole number of đồng.

    Raises ``TypeError`` for anything but ``int`` / ``Decimal`` (``bool`` and ``float`` included) and
    ``ValueError`` for a ``Decimal`` that is not finite or has a non-zero fraction.
    """
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal):
        raise TypeError(f"Số tiền phải là int hoặc Decimal, không phải {type(amount).__name__}")
    if isinstance(amount, int):
        return amount
    if not amount.is_finite():
        raise ValueError(f"Số tiền không hợp lệ: {amount}")
    whole = int(amount)
    if amount != whole:
        raise ValueError(f"Tiền đồng không có phần lẻ: {amount}")
    return whole


def _group_words(group: int, *, leading: bool, linh: str) -> list[str]:
    """Words of one group of three digits (1–999). ``leading``: the leftmost group of the number."""
    hundreds, rest = divmod(group, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    hundreds_read = not leading or hundreds > 0
    if hundreds_read:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and hundreds_read:
            words.append(linh)
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    else:
        words.append(DIGITS[units])
    return words


def _block_words(block: int, *, leading: bool, linh: str) -> list[str]:
    """Words of a number below one billion (nine digits); ``block`` > 0."""
    groups: list[int] = []
    while block:
        block, group = divmod(block, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        words += _group_words(group, leading=leading and not words, linh=linh)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return words


def _number_words(number: int, *, leading: bool, linh: str) -> list[str]:
    """Words of ``number`` > 0; above one billion the high part is read again, then "tỷ"."""
    high, low = divmod(number, _BILLION)
    words: list[str] = []
    if high:
        words += _number_words(high, leading=leading, linh=linh)
        words.append("tỷ")
    if low:
        words += _block_words(low, leading=leading and not words, linh=linh)
    return words


def amount_in_words(amount: int | Decimal, *, suffix: str = "đồng", linh: str = "linh") -> str:
    """The Vietnamese reading of a VND amount, as in "Số tiền bằng chữ" (see the module's rules).

    >>> amount_in_words(1_250_000)
    'Một triệu hai trăm năm mươi nghìn đồng'
    >>> amount_in_words(105, linh="lẻ")
    'Một trăm lẻ năm đồng'
    """
    if linh not in _ZERO_TENS:
        raise ValueError(f"linh phải là một trong {_ZERO_TENS}")
    number = to_dong(amount)
    if number == 0:
        words = [DIGITS[0]]
    else:
        words = _number_words(abs(number), leading=True, linh=linh)
        if number < 0:
            words.insert(0, "âm")
    if suffix:
        words.append(suffix)
    text = " ".join(words)
    return text[0].upper() + text[1:]


def format_vnd(amount: int | Decimal) -> str:
    """The amount in figures with dots between thousands, the Vietnamese way: "1.250.000"."""
    number = to_dong(amount)
    return f"{number:,}".replace(",", ".")
