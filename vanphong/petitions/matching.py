"""Earlier letters of the same person on the same matter (đơn trùng), matched without
diacritics: deterministic rules, no scoring model.

Texts are folded (``fold``: no accents, lower case, đ → d) and cut into syllables.

* Two petitioners are the same person when their folded names are equal and either both give
  the same ID number (two different ID numbers are two people whatever their addresses), or
  their addresses agree: the administrative words (xã, phường, tỉnh…) are dropped, a
  differing hamlet (thôn, tổ, ấp, xóm, khu phố, bản…) decides alone that they are two places,
  and the place names of the shorter address must be found, by ``ADDRESS_OVERLAP``, in the
  longer one (overlap over the smaller set: "xã An Phú" is within "Thôn Tây, xã An Phú,
  tỉnh Lâm Đồng").
* Two contents are the same matter when, once the words every letter uses are dropped
  ("khiếu nại", "tố cáo", "việc", "của", "ủy ban nhân dân", "cán bộ", "xã"…), the Jaccard of
  their syllable bigrams is at least ``CONTENT_SIMILARITY``: "cán bộ địa chính … nhận hối lộ"
  and "cán bộ tư pháp … nhận hối lộ" share the complaint's frame but not its subject."""

from __future__ import annotations

import re

from vanphong.core.textfold import fold

CONTENT_SIMILARITY = 0.5
ADDRESS_OVERLAP = 0.6
_WORD = re.compile(r"[^\W_]+")

# Phrases (folded) of the letters' frame, removed before comparing contents: the kind of
# letter, the usual bodies and titles, and the function words.
_CONTENT_PHRASES = (
    "uy ban nhan dan",
    "hoi dong nhan dan",
    "dang uy",
    "cap uy",
    "khieu nai",
    "to cao",
    "kien nghi",
    "phan anh",
    "can bo",
    "cong chuc",
    "gia dinh",
    "thi tran",
    "thanh pho",
)
_CONTENT_WORDS = frozenset(
    [
        "viec",
        "ve",
        "cua",
        "cho",
        "voi",
        "va",
        "la",
        "thi",
        "ma",
        "de",
        "den",
        "tu",
        "tai",
        "trong",
        "ngoai",
        "nhung",
        "cac",
        "mot",
        "nay",
        "do",
        "kia",
        "da",
        "dang",
        "se",
        "duoc",
        "bi",
        "khong",
        "co",
        "chua",
        "nhu",
        "theo",
        "tren",
        "duoi",
        "sau",
        "truoc",
        "vi",
        "nen",
        "nhung",
        "hoac",
        "don",
        "ong",
        "ba",
        "anh",
        "chi",
        "em",
        "toi",
        "chung",
        "xa",
        "phuong",
        "thon",
        "xom",
        "ap",
        "to",
        "huyen",
        "quan",
        "tinh",
        "ubnd",
    ]
)

# Address words naming the kind of place, not the place.
_ADDRESS_WORDS = frozenset(
    [
        "so",
        "nha",
        "duong",
        "pho",
        "ngo",
        "ngach",
        "hem",
        "kiet",
        "xom",
        "thon",
        "ap",
        "ban",
        "to",
        "khu",
        "phuong",
        "xa",
        "thi",
        "tran",
        "huyen",
        "quan",
        "thanh",
        "tinh",
        "tp",
        "tx",
        "tt",
        "dan",
        "pho",
        "khom",
        "so",
    ]
)
# Words opening a hamlet (thôn, tổ dân phố, ấp…): the name that follows, up to the next
# comma, is the hamlet.
_HAMLET_WORDS = ("thon", "xom", "ap", "ban", "to dan pho", "to", "khu pho", "khom", "buon", "lang")
# Words opening a higher level (xã, phường, huyện, tỉnh…): they end a hamlet's name written
# without a comma ("thon Dong xa An Phu").
_ABOVE_HAMLET = frozenset(["xa", "phuong", "thi", "huyen", "quan", "thanh", "tinh", "tp", "tx", "tt"])


def _syllables(text: str) -> list[str]:
    return _WORD.findall(fold(text or ""))


def words(text: str) -> list[str]:
    """The folded syllables of ``text``, in order."""
    return _syllables(text)


def tokens(text: str) -> frozenset[str]:
    return frozenset(_syllables(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set found in the other one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def normal_id(id_number: str) -> str:
    return re.sub(r"\s+", "", id_number or "")


def content_terms(text: str) -> frozenset[str]:
    """The syllable bigrams of ``text`` once the letters' frame is dropped; a single remaining
    syllable counts as itself."""
    folded = " " + " ".join(_syllables(text)) + " "
    for phrase in _CONTENT_PHRASES:
        folded = folded.replace(f" {phrase} ", " | ")
    terms: set[str] = set()
    for chunk in folded.split("|"):
        words = [w for w in chunk.split() if w not in _CONTENT_WORDS]
        if len(words) == 1:
            terms.add(words[0])
        terms.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return frozenset(terms)


def hamlet(address: str) -> str:
    """The folded hamlet (thôn, tổ, ấp, xóm…) the address names, or ""."""
    for part in fold(address or "").split(","):
        words = _WORD.findall(part)
        text = " ".join(words)
        for word in _HAMLET_WORDS:
            if text.startswith(word + " "):
                name: list[str] = []
                for syllable in text[len(word) + 1 :].split():
                    if syllable in _ABOVE_HAMLET:
                        break
                    name.append(syllable)
                if name:
                    return " ".join(name)
    return ""


def address_terms(address: str) -> frozenset[str]:
    return frozenset(w for w in _syllables(address) if w not in _ADDRESS_WORDS)


def same_address(address_a: str, address_b: str) -> bool:
    hamlet_a, hamlet_b = hamlet(address_a), hamlet(address_b)
    if hamlet_a and hamlet_b and hamlet_a != hamlet_b:
        return False
    return overlap(address_terms(address_a), address_terms(address_b)) >= ADDRESS_OVERLAP


def same_person(name_a: str, id_a: str, address_a: str, name_b: str, id_b: str, address_b: str) -> bool:
    if not fold(name_a) or fold(name_a) != fold(name_b):
        return False
    if normal_id(id_a) and normal_id(id_b):
        return normal_id(id_a) == normal_id(id_b)  # two ID numbers decide alone
    return same_address(address_a, address_b)


def same_matter(content_a: str, content_b: str) -> bool:
    return jaccard(content_terms(content_a), content_terms(content_b)) >= CONTENT_SIMILARITY
