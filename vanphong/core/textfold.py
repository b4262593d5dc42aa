"""Accent-insensitive text for search: "Nghị quyết Đảng ủy" and "nghi quyet dang uy" fold alike.

Removing the combining marks after an NFD decomposition strips Vietnamese tones and vowel
marks (ă, â, ê, ô, ơ, ư), but NOT the stroke of đ/Đ: Unicode treats đ as a letter of its own,
with no decomposition. It is mapped to "d" explicitly, together with the look-alike "Ð/ð"
(U+00D0/U+00F0, the Icelandic eth) that old TCVN3/VNI font conversions leave in documents.

The same folding is applied when indexing and when querying, on SQLite (FTS5) and on
PostgreSQL alike, so neither depends on a database extension to ignore accents.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

# Letters that carry a stroke rather than a combining mark, so NFD leaves them intact.
_STROKED = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

_WHITESPACE = re.compile(r"\s+")

# Characters with a meaning in FTS5 or tsquery syntax (quotes, grouping, operators,
# prefix stars, column filters) and ordinary punctuation. A folded query keeps letters
# and digits only, so the search layer can quote each term without escaping anything.
_NOT_A_TERM_CHARACTER = re.compile(r"[^\w\s]|_")


@cache  # a text uses a few hundred distinct characters; fold each once
def _fold_char(char: str) -> str:
    """Fold one character: lower case, no marks, đ → d. May return "" for a lone mark."""
    decomposed = unicodedata.normalize("NFD", char.translate(_STROKED).lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@cache
def _fold_aligned(char: str) -> str:
    """Like ``_fold_char``, but a line break stays a line break and other whitespace is one space."""
    if char.isspace():
        return "\n" if char == "\n" else " "
    return _fold_char(char)


def fold(text: str) -> str:
    """Lower-case ``text``, strip every Vietnamese diacritic (đ → d too), collapse whitespace.

    >>> fold("  Đảng ủy   xã ")
    'dang uy xa'
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_STROKED).lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _WHITESPACE.sub(" ", stripped).strip()


def fold_query(query: str) -> str:
    """Fold a search box query into plain space-separated terms.

    Punctuation and search-syntax characters become spaces, so a symbol typed as
    "08-NQ/TU" searches for the terms "08 nq tu", the same tokens an FTS5 unicode61
    tokenizer or a PostgreSQL text-search parser makes of the indexed text.
    """
    return fold(_NOT_A_TERM_CHARACTER.sub(" ", fold(query)))


@dataclass(frozen=True)
class FoldedText:
    """A text folded character by character, remembering where each folded character came from.

    Matching on ``folded`` makes patterns accent- and case-insensitive ("ngày", "NGÀY" and
    "ngay" all read "ngay"), and ``span`` maps a match back to the exact characters of the
    original, even when the original is decomposed (NFD) text in which a tone mark is a
    character of its own. Whitespace is not collapsed: a line break stays a line break and
    any other whitespace character becomes one space.
    """

    original: str
    folded: str
    # offsets[i] is the index in ``original`` of folded[i]; one more entry, len(original),
    # closes the last span.
    offsets: tuple[int, ...]

    @classmethod
    def of(cls, text: str) -> FoldedText:
        folded: list[str] = []
        offsets: list[int] = []
        for index, char in enumerate(text):
            piece = _fold_aligned(char)
            if len(piece) == 1:  # nearly always: one folded character per original one
                folded.append(piece)
                offsets.append(index)
            else:
                folded.extend(piece)
                offsets.extend([index] * len(piece))
        offsets.append(len(text))
        return cls(original=text, folded="".join(folded), offsets=tuple(offsets))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``original`` covered by ``folded[start:end]``.

        The end is where the next folded character starts, so tone marks written as
        separate characters after the last matched letter stay inside the span.
        """
        return self.offsets[start], self.offsets[end]

    def position(self, original_index: int) -> int:
        """The index in ``folded`` of the first character at or after ``original_index``."""
        return bisect_left(self.offsets, original_index)
