"""Finding the documents a text refers to: "Nghị quyết số 39-NQ/TW, ngày 18/7/2023 của Bộ Chính trị".

A reference is anchored on a symbol (``symbols.SYMBOL_IN_TEXT_RE``, then validated by
``parse_symbol``), so plain numbers, phone numbers, dates, amounts of money and addresses
("số 5 đường 3/2") are never taken for one. Around the symbol the phrase is widened:

* backwards over "số" and the type word ("Nghị quyết", "Kết luận", "Công văn" ...); when
  "số" follows a name ("Luật Bảo vệ bí mật nhà nước số 117/2025/QH15", "Kế hoạch triển khai
  ... số 45/KH-UBND"), back to the type word that fits the symbol, within the same clause;
* forwards over the date: "ngày 18/7/2023", ", 23/11/2025", "ngày 02 tháng 01 năm 2026".

The issuing body's name after the date ("của Bộ Chính trị") is not part of the span: it
has no reliable end. Type words and dates are matched on folded text, so they are found
with or without diacritics, in any case, and in decomposed Unicode.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from vanphong.core.textfold import FoldedText, fold
from vanphong.core.vndate import match_vn_date
from vanphong.documents.doctypes import TYPE_WORDS, System, code_for_type_word
from vanphong.documents.symbols import SYMBOL_IN_TEXT_RE, ParsedSymbol, parse_symbol

# How far back (in characters) a type word may stand before the symbol it names.
_LOOKBACK = 160

# The generic "văn bản" (document): part of the phrase, but it names no type.
_GENERIC_WORDS = ("van ban",)


def _alternation(words: list[str]) -> str:
    # Longest first, so "thong tu lien tich" wins over "thong tu"; spaces match any run of spaces.
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


_WORDS = _alternation([fold(word) for word in TYPE_WORDS] + list(_GENERIC_WORDS))

# "số", "Số:", "so" right before the symbol (folded text).
_SO_BEFORE_RE = re.compile(r"(?<!\w)so\s*[:.]?\s*$")
# A type word right before "số" or the symbol.
_WORD_BEFORE_RE = re.compile(rf"(?<!\w)(?P<word>{_WORDS})\s*$")
# Any type word, for the search within the clause.
_WORD_RE = re.compile(rf"(?<!\w)(?P<word>{_WORDS})(?!\w)")
# Where a clause starts: after punctuation or a line break.
_CLAUSE_BREAK_RE = re.compile(r"[.;:,!?()\[\]\n\"“”]")
# Forms and appendices are numbered like documents ("Mẫu số 02/ĐK-TCT", "Phụ lục số 01/PL-BTC",
# "Biểu số 03/BC-UBND"), but they are parts of a document, not documents of their own.
_NOT_A_DOCUMENT_RE = re.compile(r"(?<!\w)(?:mau|mau\s+bieu|bieu|bieu\s+mau|phu\s+luc)\s*(?:so\s*[:.]?\s*)?$")
# Between a symbol and its date: an optional comma, optionally "ban hành"/"ký" (issued/signed);
# the word "ngày" itself is read by the date pattern.
_DATE_GAP_RE = re.compile(r"[ \t]*,?[ \t]*(?:(?:ban\s+hanh|ky)\s+)?")

# Type codes a state symbol with a year but no code can stand for: "117/2025/QH15" is a law,
# "104/2023/QH15" a resolution of the National Assembly, "02/2022/UBTVQH15" an ordinance.
_CODELESS_NORMATIVE = frozenset({"Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "NQ"})
# Some Party "Quy định" are numbered in the QĐ series: 66-QĐ/TW and 399-QĐ/TW are both quy định.
_EQUIVALENT_CODES = {("QĐi", "QĐ"), ("QĐ", "QĐi")}

_GROUP_RE = re.compile(r"[A-Za-zĐđ][A-Za-zĐđ0-9]*")


@dataclass(frozen=True)
class Reference:
    doc_type: str | None  # from the symbol; else from the type word before it; "CV" for a bare công văn
    number: int
    symbol: str  # normalized
    issuer_abbreviation: str | None
    date: dt.date | None
    start: int  # offsets into the original text, covering the whole phrase
    end: int
    style: str  # "party" | "state"
    year: int | None = None
    type_word: str | None = None  # the type word as written in the text ("Nghị quyết")

    def as_dict(self) -> dict[str, Any]:
        """The fields of the references API (`POST /api/v1/references/parse`), the date in ISO form."""
        return {
            "doc_type": self.doc_type,
            "number": self.number,
            "symbol": self.symbol,
            "issuer_abbreviation": self.issuer_abbreviation,
            "date": self.date.isoformat() if self.date else None,
            "start": self.start,
            "end": self.end,
        }


def _parse_in_text(candidate: str) -> ParsedSymbol | None:
    """``parse_symbol``, with the stricter rules running text needs."""
    parsed = parse_symbol(candidate)
    if parsed is None:
        return None
    # A group with lower-case letters must be a known mixed-case code or body, written
    # exactly (QĐi, CTr, TTg); otherwise it is an ordinary word.
    printed = set(_GROUP_RE.findall(parsed.normalized))
    if any(group != group.upper() and group not in printed for group in _GROUP_RE.findall(candidate)):
        return None
    # A state công văn names its agency and the drafting unit ("123/UBND-VP"); a lone
    # "12/ABC" in prose is more likely something else.
    if parsed.style == System.STATE and parsed.doc_type is None and parsed.year is None:
        return parsed if parsed.unit_abbreviation else None
    return parsed


def _fits(word_code: str | None, parsed: ParsedSymbol) -> bool:
    """Whether a type word can be the name of the document this symbol stands for."""
    if word_code is None:
        return False
    if parsed.doc_type:
        return word_code == parsed.doc_type or (word_code, parsed.doc_type) in _EQUIVALENT_CODES
    if parsed.year is not None:
        return word_code in _CODELESS_NORMATIVE
    return word_code == "CV"


def _phrase_start(
    text: FoldedText, symbol_start: int, parsed: ParsedSymbol, floor: int
) -> tuple[int, str | None, str | None] | None:
    """Where the phrase naming this symbol starts: (original offset, type word as written, its code).

    None when the words before the symbol show it is not a document ("Mẫu số ...").
    """
    end = text.position(symbol_start)
    begin = max(text.position(floor), end - _LOOKBACK)
    window = text.folded[begin:end]

    if _NOT_A_DOCUMENT_RE.search(window):
        return None
    so = _SO_BEFORE_RE.search(window)
    before_so = window[: so.start()] if so else window
    start = begin + so.start() if so else end

    word = _WORD_BEFORE_RE.search(before_so)
    if word is None and so is not None:
        # "Luật Bảo vệ bí mật nhà nước số ...": the nearest fitting type word in the clause.
        breaks = list(_CLAUSE_BREAK_RE.finditer(before_so))
        clause_from = breaks[-1].end() if breaks else 0
        fitting = [
            candidate
            for candidate in _WORD_RE.finditer(before_so, clause_from)
            if _fits(code_for_type_word(candidate["word"], parsed.style), parsed)
        ]
        word = fitting[-1] if fitting else None
    if word is None:
        return text.span(start, start)[0], None, None
    word_start, word_end = text.span(begin + word.start("word"), begin + word.end("word"))
    return word_start, text.original[word_start:word_end], code_for_type_word(word["word"], parsed.style)


def _date_after(text: FoldedText, symbol_end: int) -> tuple[dt.date | None, int]:
    """The date written right after the symbol, and where the phrase then ends."""
    position = text.position(symbol_end)
    gap = _DATE_GAP_RE.match(text.folded, position)
    found = match_vn_date(text, gap.end() if gap else position)
    if found is None:
        return None, symbol_end
    return found.date, found.end


def find_references(text: str) -> list[Reference]:
    """Every document reference in ``text``, in order of appearance."""
    if not text:
        return []
    folded = FoldedText.of(text)
    references: list[Reference] = []
    floor = 0
    for match in SYMBOL_IN_TEXT_RE.finditer(text):
        if match.start() < floor:
            continue  # inside the date of the previous reference
        parsed = _parse_in_text(match.group())
        if parsed is None:
            continue
        phrase = _phrase_start(folded, match.start(), parsed, floor)
        if phrase is None:
            continue
        start, type_word, word_code = phrase
        date, end = _date_after(folded, match.end())
        references.append(
            Reference(
                doc_type=parsed.doc_type or word_code or parsed.effective_doc_type,
                number=parsed.number,
                symbol=parsed.normalized,
                issuer_abbreviation=parsed.issuer_abbreviation,
                date=date,
                start=start,
                end=end,
                style=parsed.style,
                year=parsed.year,
                type_word=type_word,
            )
        )
        floor = end
    return references
