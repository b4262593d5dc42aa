"""Số, ký hiệu: reading and writing document symbols of the Party and of the state.

Two shapes (FACTS §1.2, §2.3):

* Party: ``<số>-<TYPE>/<BODY>``: "08-NQ/TU", "04-QĐi/TW", "59-CV/TU", "12-HD/BTCTW". A
  hyphen between the number and the type, a slash before the issuing body.
* State: ``<số>/<TYPE>-<AGENCY>``: "1059/QĐ-TTg", "45/KH-UBND"; a công văn has no type
  code but the agency and its drafting unit: "123/UBND-VP"; a legal normative document
  puts the year inside: "30/2020/NĐ-CP", "117/2025/QH15" (a law: no type code at all).

``parse_symbol`` tolerates what clerks type (a leading "Số:", spaces around separators,
en/em dashes, lower case, "D" for "Đ" where that is unambiguous) and answers the canonical
form; ``format_symbol`` writes one. Codes with mixed case (QĐi, QyĐ, CTr, TTr, TrS, and the
agency abbreviation TTg) keep their case.

Numbers below 10 take a leading zero in both systems: NĐ 30/2020 Phụ lục I, Phần I, mục
II.3.c ("với những số nhỏ hơn 10 phải ghi thêm số 0 phía trước") for the state; for the
Party, numbering starts "từ 01" (HD 36-HD/VPTW §II.1.3.1, FACTS §2.4) and the real symbols
in FACTS §2.2–2.3 are written so (09-QC/TW, 04-NQ/HU, 02-HD/BTCTW, 05-TB/BCĐTW).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from vanphong.documents import doctypes
from vanphong.documents.doctypes import System, codes, lookup

# Characters clerks and word processors use for the two separators.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"  # ‐ ‑ ‒ – — ― −
_SLASHES = "\u2215\u2044\uff0f"  # ∕ ⁄ ／
_SEPARATORS = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_SLASHES, "/")})
# "Ð" (U+00D0, eth) is what TCVN3/VNI conversions leave where "Đ" (U+0110) was meant.
_ETH = str.maketrans({"Ð": "Đ", "ð": "đ"})

# One abbreviation group of a symbol: a letter, then letters or digits (QH15, UBTVQH15).
_GROUP = r"[A-Za-zĐđ][A-Za-zĐđ0-9]*"

_PREFIX_RE = re.compile(
    r"""
    ^\s*
    (?:s[oố]\s*[:.]?\s*)?      # the word "Số" / "Số:" / "số" before the symbol (any case)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_SPACED_SEPARATOR_RE = re.compile(r"\s*([/\-])\s*")

_PARTY_RE = re.compile(
    rf"""
    (?P<number>\d{{1,6}})           # số: 08, 920
    -
    (?P<code>[A-Za-zĐđ]{{1,6}})     # type code: NQ, QĐi, CTr, CV
    /
    (?P<issuer>{_GROUP})            # issuing body: TW, TU, ĐU, VPTU, BTCTW
    (?:-(?P<unit>{_GROUP}))?        # drafting unit, when a body adds one
    """,
    re.VERBOSE,
)

_STATE_RE = re.compile(
    rf"""
    (?P<number>\d{{1,6}})           # số: 01, 1059
    /
    (?:(?P<year>\d{{4}})/)?         # year, in legal normative documents only: 30/2020/NĐ-CP
    (?P<groups>{_GROUP}(?:-{_GROUP})*)   # QĐ-TTg, NĐ-CP, UBND-VP, QH15, TTLT-BTC-BNV
    """,
    re.VERBOSE,
)

# Symbols inside running text, for references.py. Stricter than the two patterns above:
# groups start with a capital letter (so "ngày 18/7/2023", "số 5 đường 3/2" and ordinary
# words never match), at most one space around a separator, nothing glued on either side.
SYMBOL_IN_TEXT_RE = re.compile(
    rf"""
    (?<![\w./\-{_DASHES}])          # not the tail of a number (1.059), a word or a symbol
    \d{{1,6}}
    (?:
        # Party: 08-NQ/TU, 59-CV/TU, 12-HD/BTCTW
        [ ]?[\-{_DASHES}][ ]?
        [A-ZĐ][A-Za-zĐ]{{0,5}}
        [ ]?/[ ]?
        [A-ZĐ][A-ZĐ0-9]*
        (?:[\-{_DASHES}][A-ZĐ][A-ZĐ0-9]*)?
    |
        # State: 1059/QĐ-TTg, 30/2020/NĐ-CP, 123/UBND-VP, 117/2025/QH15
        [ ]?/[ ]?
        (?:\d{{4}}[ ]?/[ ]?)?
        [A-ZĐ][A-Za-zĐ0-9]*
        (?:[ ]?[\-{_DASHES}][ ]?[A-ZĐ][A-Za-zĐ0-9]*)*
    )
    (?![\w/])                       # the symbol ends here
    """,
    re.VERBOSE,
)

MIN_YEAR = 1900
MAX_YEAR = 2099

# Abbreviations of issuing bodies and units that the parser must restore exactly: those
# with a lower-case letter (TTg), and those with "Đ", which a clerk may type as "D". Any
# other abbreviation is simply upper-cased. Sources: FACTS §2.3 and §5.1 with their marks;
# "common" = the usual abbreviation on real documents, not recorded in FACTS.
KNOWN_ABBREVIATIONS: dict[str, str] = {
    # Party
    "TW": "Ban Chấp hành Trung ương, Bộ Chính trị, Ban Bí thư",  # FACTS §2.3 [S]
    "VPTW": "Văn phòng Trung ương Đảng",  # FACTS §2.3 [S]
    "UBKTTW": "Ủy ban Kiểm tra Trung ương",  # FACTS §2.3 [S]
    "BNCTW": "Ban Nội chính Trung ương",  # FACTS §2.3 [S]
    "BTCTW": "Ban Tổ chức Trung ương",  # FACTS §2.3 [S]
    "BCĐTW": "Ban Chỉ đạo Trung ương",  # FACTS §2.3 [S]
    "TU": "Tỉnh ủy, Thành ủy trực thuộc Trung ương",  # FACTS §2.3 [S]
    "ĐU": "Đảng ủy",  # FACTS §2.3 [S]
    "HU": "Huyện ủy (đến 30/6/2025)",  # FACTS §2.3 [S]
    "QU": "Quận ủy (đến 30/6/2025)",  # FACTS §2.3 [U]
    "ĐUK": "Đảng ủy khối",  # FACTS §2.3 [U]
    "VPTU": "Văn phòng Tỉnh ủy",  # FACTS §2.3 [U]
    "BTCTU": "Ban Tổ chức Tỉnh ủy",  # FACTS §2.3 [U]
    "UBKTTU": "Ủy ban Kiểm tra Tỉnh ủy",  # FACTS §2.3 [U]
    "BCSĐ": "Ban cán sự đảng",  # common
    # State
    "TTg": "Thủ tướng Chính phủ",  # FACTS §0: 09/2025/QĐ-TTg
    "CP": "Chính phủ",  # FACTS: 30/2020/NĐ-CP
    "VPCP": "Văn phòng Chính phủ",  # FACTS §5.1: 7816/VPCP-TTĐT
    "TTĐT": "một đơn vị của Văn phòng Chính phủ",  # FACTS §5.1: 7816/VPCP-TTĐT
    "UBND": "Ủy ban nhân dân",  # NĐ30 Phụ lục I: 12/UBND-VX
    "HĐND": "Hội đồng nhân dân",  # common
    "ĐĐBQH": "Đoàn đại biểu Quốc hội",  # common
    "BKHĐT": "Bộ Kế hoạch và Đầu tư (đến 02/2025)",  # common
    "BGDĐT": "Bộ Giáo dục và Đào tạo",  # common
    "BLĐTBXH": "Bộ Lao động - Thương binh và Xã hội (đến 02/2025)",  # common
}

_KNOWN_BY_UPPER = {abbreviation.upper(): abbreviation for abbreviation in KNOWN_ABBREVIATIONS}


@dataclass(frozen=True)
class ParsedSymbol:
    number: int
    number_text: str  # as printed: "08"
    year: int | None  # legal normative documents of the state: 30/2020/NĐ-CP → 2020
    doc_type: str | None  # the type code printed in the symbol; None for a state công văn or a law
    issuer_abbreviation: str | None  # TU, TW, TTg, CP, UBND, QH15; "BTC-BNV" for a joint document
    unit_abbreviation: str | None  # VP in 123/UBND-VP; a Party body's drafting unit, if printed
    style: str  # "party" | "state"
    normalized: str  # the canonical symbol

    @property
    def is_copy(self) -> bool:
        entry = lookup(self.doc_type, self.style) if self.doc_type else None
        return bool(entry and entry.copy)

    @property
    def effective_doc_type(self) -> str | None:
        """The type the symbol implies: its code, or "CV" for a state công văn (no code, no year).

        A state symbol with a year and no code ("117/2025/QH15") may be a law, an ordinance
        or a resolution of the National Assembly: only the words before it can tell.
        """
        if self.doc_type:
            return self.doc_type
        if self.style == System.STATE and self.year is None:
            return "CV"
        return None


def _clean(text: str) -> str:
    """NFC, "Đ" for its look-alike, one kind of dash and slash, no "Số:" and no spaces around separators."""
    text = unicodedata.normalize("NFC", text).translate(_ETH).translate(_SEPARATORS)
    text = _PREFIX_RE.sub("", text, count=1).strip().rstrip(".,;:").strip()
    return _SPACED_SEPARATOR_RE.sub(r"\1", text)


@cache
def _code_index(system: System) -> dict[str, str]:
    """casefolded code → canonical code, for the codes printed in one system's symbols."""
    return {code.casefold(): code for code in codes(system, in_symbol=True)}


def _d_variants(key: str) -> list[str]:
    """Every way of reading the "d"s of a casefolded key as "đ" (at most a handful)."""
    positions = [i for i, char in enumerate(key) if char == "d"]
    variants = []
    for chosen in itertools.product((False, True), repeat=len(positions)):
        if any(chosen):
            chars = list(key)
            for position, use_stroke in zip(positions, chosen, strict=True):
                if use_stroke:
                    chars[position] = "đ"
            variants.append("".join(chars))
    return variants


def canonical_code(raw: str, system: System | str) -> str | None:
    """The catalogue code a typed code stands for in one system's symbols: "qd" → "QĐ", "QDI" → "QĐi".

    Case is ignored, since the mixed-case codes are distinct even folded (QĐ/QĐi, CT/CTr,
    TT/TTr). A "D" is read as "Đ" only when exactly one code fits: "QD" → "QĐ", but "HD"
    stays hướng dẫn (HĐ is hợp đồng) and "DA" stays dự án (ĐA is đề án).
    """
    index = _code_index(System(system))
    key = raw.casefold()
    if key in index:
        return index[key]
    matches = {index[variant] for variant in _d_variants(key) if variant in index}
    return matches.pop() if len(matches) == 1 else None


def canonical_abbreviation(raw: str) -> str:
    """An issuing body's or unit's abbreviation as it is written: upper case, "TTg", "ĐU" for "DU"."""
    upper = raw.upper()
    if upper in _KNOWN_BY_UPPER:
        return _KNOWN_BY_UPPER[upper]
    if "D" in upper:
        variants = (variant.upper() for variant in _d_variants(upper.casefold()))
        matches = {_KNOWN_BY_UPPER[variant] for variant in variants if variant in _KNOWN_BY_UPPER}
        if len(matches) == 1:
            return matches.pop()
    return upper


def _valid_number(text: str) -> int | None:
    number = int(text)
    return number if number >= 1 else None


def _parse_party(match: re.Match[str]) -> ParsedSymbol | None:
    number = _valid_number(match["number"])
    code = canonical_code(match["code"], System.PARTY)
    if number is None or code is None:
        return None
    issuer = canonical_abbreviation(match["issuer"])
    unit = canonical_abbreviation(match["unit"]) if match["unit"] else None
    return ParsedSymbol(
        number=number,
        number_text=match["number"],
        year=None,
        doc_type=code,
        issuer_abbreviation=issuer,
        unit_abbreviation=unit,
        style=System.PARTY.value,
        normalized=_format_party(number, code, issuer, unit),
    )


# Codes only Party symbols carry. A state-shaped symbol starting with one ("123/CV-UBND")
# is not read as a công văn of an agency called "CV": it is not a valid symbol at all.
_PARTY_ONLY_CODES = codes(System.PARTY, in_symbol=True) - codes(System.STATE, in_symbol=True)


def _parse_state(match: re.Match[str]) -> ParsedSymbol | None:
    number = _valid_number(match["number"])
    year = int(match["year"]) if match["year"] else None
    if number is None or (year is not None and not MIN_YEAR <= year <= MAX_YEAR):
        return None
    first, *rest = match["groups"].split("-")
    code = canonical_code(first, System.STATE)
    if code is not None:
        entry = lookup(code, System.STATE)
        if not rest and not (entry and entry.copy):
            return None  # "15/QĐ" names no issuer; only a copy may stand alone ("05/SY")
        issuer = "-".join(canonical_abbreviation(group) for group in rest) or None
        unit = None
    else:
        if canonical_code(first, System.PARTY) in _PARTY_ONLY_CODES or len(first) < 2:
            return None
        issuer = canonical_abbreviation(first)
        unit = "-".join(canonical_abbreviation(group) for group in rest) or None
    return ParsedSymbol(
        number=number,
        number_text=match["number"],
        year=year,
        doc_type=code,
        issuer_abbreviation=issuer,
        unit_abbreviation=unit,
        style=System.STATE.value,
        normalized=_format_state(number, year, code, issuer, unit),
    )


def parse_symbol(text: str) -> ParsedSymbol | None:
    """Read a symbol as printed or typed ("Số: 08-nq/tu", "1059 / QĐ – TTg"); None if it is not one.

    The shape decides the style: a hyphen after the number is a Party symbol, a slash a
    state one. A Party symbol must carry a type code the Party uses; a state symbol either
    a state type code and an issuer, or (công văn, law) an agency abbreviation.
    """
    cleaned = _clean(text)
    if match := _PARTY_RE.fullmatch(cleaned):
        return _parse_party(match)
    if match := _STATE_RE.fullmatch(cleaned):
        return _parse_state(match)
    return None


def _number_text(number: int) -> str:
    return f"{number:02d}"


def _format_party(number: int, code: str, issuer: str, unit: str | None) -> str:
    symbol = f"{_number_text(number)}-{code}/{issuer}"
    return f"{symbol}-{unit}" if unit else symbol


def _format_state(
    number: int, year: int | None, code: str | None, issuer: str | None, unit: str | None
) -> str:
    groups = "-".join(part for part in (code, issuer, unit) if part)
    return f"{_number_text(number)}/{year}/{groups}" if year else f"{_number_text(number)}/{groups}"


def format_symbol(
    *,
    style: str,
    number: int,
    doc_type: str | None,
    issuer_abbreviation: str | None,
    year: int | None = None,
    unit_abbreviation: str | None = None,
) -> str:
    """Write the canonical symbol: "15-NQ/TU", "59-CV/TU", "01/QĐ-UBND", "30/2020/NĐ-CP", "123/UBND-VP".

    A code that is never printed (a state "CV", "Luật") is left out, so a state công văn is
    written "123/UBND-VP". Raises ``ValueError`` (with a Vietnamese message) on parts that
    cannot make a valid symbol.
    """
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise ValueError("Số văn bản phải là số nguyên dương.")
    try:
        system = System(style)
    except ValueError:
        raise ValueError(
            "Kiểu ký hiệu phải là “party” (văn bản của Đảng) hoặc “state” (văn bản nhà nước)."
        ) from None
    issuer = canonical_abbreviation(issuer_abbreviation) if issuer_abbreviation else None
    unit = canonical_abbreviation(unit_abbreviation) if unit_abbreviation else None

    if system is System.PARTY:
        code = canonical_code(doc_type, System.PARTY) if doc_type else None
        if code is None:
            raise ValueError(f"Văn bản của Đảng cần chữ viết tắt tên loại hợp lệ (nhận được: {doc_type!r}).")
        if issuer is None:
            raise ValueError("Văn bản của Đảng cần chữ viết tắt tên cơ quan ban hành.")
        if year is not None:
            raise ValueError("Ký hiệu văn bản của Đảng không ghi năm.")
        return _format_party(number, code, issuer, unit)

    entry = None
    if doc_type:
        entry = doctypes.doc_type(doc_type, System.STATE) or doctypes.doc_type(
            canonical_code(doc_type, System.STATE) or "", System.STATE
        )
        if entry is None:
            raise ValueError(f"Chữ viết tắt tên loại không dùng cho văn bản nhà nước: {doc_type!r}.")
    code = entry.code if entry and entry.in_symbol else None
    if year is not None and not (isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR):
        raise ValueError("Năm ban hành trong ký hiệu phải có bốn chữ số.")
    if issuer is None and not (entry and entry.copy):
        raise ValueError("Văn bản nhà nước cần chữ viết tắt tên cơ quan, tổ chức ban hành.")
    if code is not None and unit is not None:
        raise ValueError(
            "Ký hiệu văn bản có tên loại gồm tên loại và cơ quan ban hành, không ghi đơn vị soạn thảo"
            " (Nghị định 30/2020/NĐ-CP, Phụ lục I)."
        )
    return _format_state(number, year, code, issuer, unit)
