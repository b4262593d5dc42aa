"""The catalogue of document types (thể loại văn bản) of the Party and of the state, as data.

A code is the official abbreviation exactly as it is written in a symbol: mixed-case codes
(QĐi, QyĐ, CTr, TTr, TrS) keep their case and must never be upper-cased. The same code can
mean different things in the two systems, so an entry belongs to the systems it names:

* "QĐ" is quyết định in both; quy định is "QĐi" for the Party and "QyĐ" for the state.
* "TT" is thông tri for the Party and thông tư (a legal normative document) for the state.
* "CV": Party công văn carry it in their symbol (59-CV/TU); a state công văn carries no type
  code at all (123/UBND-VP), yet the API still names its type "CV".

Sources, with the confidence marks of /work/shared/domain/FACTS.md:
* State administrative types and copies: NĐ 30/2020/NĐ-CP, Phụ lục III mục I [C] (FACTS §1.1).
* Party types: QĐ 66-QĐ/TW and 399-QĐ/TW [S]; codes seen in real documents [S] or only in
  other implementations [U] (FACTS §2.1, §2.2). The HD 36-HD/VPTW appendix was not available.
* Legal normative documents (văn bản quy phạm pháp luật): the type names of QCVN 102:2016
  group A (FACTS §5.1) and the codes as printed in real symbols (30/2020/NĐ-CP,
  01/2022/TT-BTTTT, 09/2025/QĐ-TTg, 117/2025/QH15). Laws, codes of law, ordinances and the
  constitution carry no type code in their symbol; their catalogue code is their name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from vanphong.core.textfold import fold


class System(StrEnum):
    PARTY = "party"  # văn bản của Đảng: 15-NQ/TU
    STATE = "state"  # văn bản của Nhà nước: 15/QĐ-UBND, 30/2020/NĐ-CP


PARTY = frozenset({System.PARTY})
STATE = frozenset({System.STATE})
BOTH = frozenset({System.PARTY, System.STATE})


@dataclass(frozen=True)
class DocType:
    code: str  # the official abbreviation, exactly as written
    name: str  # Vietnamese name, as a heading writes it in sentence case
    systems: frozenset[System]
    copy: bool = False  # a copy form (bản sao y, trích sao, sao lục)
    normative: bool = False  # always a legal normative document: its symbol carries the year
    in_symbol: bool = True  # False: the code never appears in a symbol (state công văn, Luật ...)
    source: str = ""

    @property
    def party(self) -> bool:
        return System.PARTY in self.systems

    @property
    def state(self) -> bool:
        return System.STATE in self.systems


_ND30 = "NĐ 30/2020/NĐ-CP, Phụ lục III mục I [C]"
_PARTY_SEEN = "văn bản của Đảng, ký hiệu thấy trên văn bản thật (FACTS §2.2) [S]"
_PARTY_UNSEEN = "văn bản của Đảng, ký hiệu chỉ thấy trong phần mềm khác (FACTS §2.2) [U]"
_VBQPPL = "văn bản quy phạm pháp luật, ký hiệu thấy trên văn bản thật [S]"

DOC_TYPES: tuple[DocType, ...] = (
    # Types both systems name with the same code (NĐ30 for the state, real documents for the Party).
    DocType("NQ", "Nghị quyết", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("QĐ", "Quyết định", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("CT", "Chỉ thị", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("QC", "Quy chế", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("TB", "Thông báo", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("HD", "Hướng dẫn", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("KH", "Kế hoạch", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("BC", "Báo cáo", BOTH, source=f"{_ND30}; {_PARTY_SEEN}"),
    DocType("CTr", "Chương trình", BOTH, source=f"{_ND30}; {_PARTY_UNSEEN}"),
    DocType("TTr", "Tờ trình", BOTH, source=f"{_ND30}; {_PARTY_UNSEEN}"),
    DocType("ĐA", "Đề án", BOTH, source=f"{_ND30}; {_PARTY_UNSEEN}"),
    DocType("BB", "Biên bản", BOTH, source=f"{_ND30}; {_PARTY_UNSEEN}"),
    DocType("TC", "Thông cáo", BOTH, source=f"{_ND30}; {_PARTY_UNSEEN}"),
    # QĐ 399-QĐ/TW names phương án, dự án and these papers for the Party too; the Party
    # codes are assumed to be NĐ30's [U].
    DocType("PA", "Phương án", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("DA", "Dự án", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("GM", "Giấy mời", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("GGT", "Giấy giới thiệu", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("GNP", "Giấy nghỉ phép", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("PG", "Phiếu gửi", BOTH, source=f"{_ND30}; Đảng [U]"),
    DocType("PC", "Phiếu chuyển", BOTH, source=f"{_ND30}; Đảng [U]"),
    # Party only.
    DocType("QĐi", "Quy định", PARTY, source=_PARTY_SEEN),
    DocType("KL", "Kết luận", PARTY, source=_PARTY_SEEN),
    DocType("CV", "Công văn", PARTY, source=_PARTY_SEEN),
    DocType("TT", "Thông tri", PARTY, source=_PARTY_UNSEEN),
    # State administrative documents only (NĐ30).
    DocType("QyĐ", "Quy định", STATE, source=_ND30),
    DocType("HĐ", "Hợp đồng", STATE, source=_ND30),
    DocType("CĐ", "Công điện", STATE, source=_ND30),
    DocType("BGN", "Bản ghi nhớ", STATE, source=_ND30),
    DocType("BTT", "Bản thỏa thuận", STATE, source=_ND30),
    DocType("GUQ", "Giấy ủy quyền", STATE, source=_ND30),
    DocType("PB", "Phiếu báo", STATE, source=_ND30),
    # A state công văn has no type abbreviation in its symbol (123/UBND-VP).
    DocType("CV", "Công văn", STATE, in_symbol=False, source=_ND30),
    # Copies. NĐ30 numbers every copy form in one series and writes "05/SY-UBND"
    # (Phụ lục III, mẫu 3.1); Party copies in the Party shape ("03-SY/VPTU") are [U].
    DocType("SY", "Bản sao y", BOTH, copy=True, source=f"{_ND30}; Đảng [U]"),
    DocType("TrS", "Bản trích sao", BOTH, copy=True, source=f"{_ND30}; Đảng [U]"),
    DocType("SL", "Bản sao lục", BOTH, copy=True, source=f"{_ND30}; Đảng [U]"),
    # Legal normative documents of the state: the symbol carries the year (FACTS §1.2).
    DocType("NĐ", "Nghị định", STATE, normative=True, source=_VBQPPL),
    DocType("TT", "Thông tư", STATE, normative=True, source=_VBQPPL),
    DocType("TTLT", "Thông tư liên tịch", STATE, normative=True, source=_VBQPPL),
    DocType("NQLT", "Nghị quyết liên tịch", STATE, normative=True, source=_VBQPPL),
    DocType("L", "Lệnh", STATE, normative=True, source=f"{_VBQPPL} (05/2023/L-CTN)"),
    DocType("VBHN", "Văn bản hợp nhất", STATE, source=f"{_VBQPPL} (03/VBHN-VPQH)"),
    DocType("Hiến pháp", "Hiến pháp", STATE, normative=True, in_symbol=False, source=_VBQPPL),
    DocType("Bộ luật", "Bộ luật", STATE, normative=True, in_symbol=False, source=_VBQPPL),
    DocType("Luật", "Luật", STATE, normative=True, in_symbol=False, source=_VBQPPL),
    DocType("Pháp lệnh", "Pháp lệnh", STATE, normative=True, in_symbol=False, source=_VBQPPL),
)

# Types with no code of their own in either system (FACTS §1.1 "Thư công: none in the
# table"; FACTS §2.1 cương lĩnh, điều lệ, chiến lược, tuyên bố, lời kêu gọi, quy hoạch,
# giấy chứng nhận, giấy đi đường: codes not seen). They are left out of the catalogue
# rather than given invented codes.

_BY_CODE_AND_SYSTEM: dict[tuple[str, System], DocType] = {}
for _entry in DOC_TYPES:
    for _system in _entry.systems:
        if (_entry.code, _system) in _BY_CODE_AND_SYSTEM:
            raise RuntimeError(f"Duplicate document type {_entry.code!r} for {_system}")
        _BY_CODE_AND_SYSTEM[(_entry.code, _system)] = _entry


def doc_type(code: str, system: System | str) -> DocType | None:
    """The catalogue entry for ``code`` as the given system uses it, or None."""
    return _BY_CODE_AND_SYSTEM.get((code, System(system)))


def lookup(code: str, system: System | str | None = None) -> DocType | None:
    """Like ``doc_type``; when ``system`` is None or lacks the code, the other system's entry."""
    if system is not None:
        found = doc_type(code, system)
        if found is not None:
            return found
    return _BY_CODE_AND_SYSTEM.get((code, System.PARTY)) or _BY_CODE_AND_SYSTEM.get((code, System.STATE))


def codes(system: System | str | None = None, *, in_symbol: bool | None = None) -> frozenset[str]:
    """The codes of the catalogue, or of one system; ``in_symbol`` keeps the printed (or unprinted) ones."""
    return frozenset(
        entry.code
        for (_code, entry_system), entry in _BY_CODE_AND_SYSTEM.items()
        if (system is None or entry_system == System(system))
        and (in_symbol is None or entry.in_symbol == in_symbol)
    )


def type_label(entry: DocType) -> str:
    """How a type is named in every list of types to choose from: "Nghị quyết (NQ)"."""
    return f"{entry.name} ({entry.code})"


def type_choices(keep: Callable[[DocType], bool] | None = None) -> list[tuple[str, str]]:
    """``(code, "Nghị quyết (NQ)")`` for each code of the catalogue (copy forms left out, and
    the types ``keep`` refuses), in alphabetical order of the label: the one list every
    filter and form of document types shows."""
    seen: dict[str, str] = {}
    for entry in DOC_TYPES:
        if entry.copy or entry.code in seen or (keep is not None and not keep(entry)):
            continue
        seen[entry.code] = type_label(entry)
    return sorted(seen.items(), key=lambda item: (fold(item[1]), item[1]))


def name_of(code: str, system: System | str | None = None) -> str | None:
    """The Vietnamese name of a type ("Quy định" for QĐi), or None for an unknown code."""
    entry = lookup(code, system)
    return entry.name if entry else None


# How a text names a type ("Nghị quyết số 08-NQ/TU", "Luật Bảo vệ bí mật nhà nước số ...")
# mapped to the code each system uses. Keys are written with diacritics for reading; the
# matching is done on folded text (textfold.fold), so "nghi quyet", "Uỷ"/"Ủy" and
# "thoả"/"thỏa" all match. Longer names come first where one name starts another
# ("Thông tư liên tịch" before "Thông tư").
TYPE_WORDS: dict[str, dict[System, str]] = {
    "Hiến pháp": {System.STATE: "Hiến pháp"},
    "Bộ luật": {System.STATE: "Bộ luật"},
    "Luật": {System.STATE: "Luật"},
    "Pháp lệnh": {System.STATE: "Pháp lệnh"},
    "Lệnh": {System.STATE: "L"},
    "Nghị quyết liên tịch": {System.STATE: "NQLT"},
    "Nghị quyết": {System.PARTY: "NQ", System.STATE: "NQ"},
    "Nghị định": {System.STATE: "NĐ"},
    "Thông tư liên tịch": {System.STATE: "TTLT"},
    "Thông tư": {System.STATE: "TT"},
    "Thông tri": {System.PARTY: "TT"},
    "Quyết định": {System.PARTY: "QĐ", System.STATE: "QĐ"},
    "Quy định": {System.PARTY: "QĐi", System.STATE: "QyĐ"},
    "Quy chế": {System.PARTY: "QC", System.STATE: "QC"},
    "Chỉ thị": {System.PARTY: "CT", System.STATE: "CT"},
    "Kết luận": {System.PARTY: "KL"},
    "Thông báo kết luận": {System.PARTY: "TB", System.STATE: "TB"},
    "Thông báo": {System.PARTY: "TB", System.STATE: "TB"},
    "Thông cáo": {System.PARTY: "TC", System.STATE: "TC"},
    "Hướng dẫn": {System.PARTY: "HD", System.STATE: "HD"},
    "Chương trình hành động": {System.PARTY: "CTr", System.STATE: "CTr"},
    "Chương trình công tác": {System.PARTY: "CTr", System.STATE: "CTr"},
    "Chương trình": {System.PARTY: "CTr", System.STATE: "CTr"},
    "Kế hoạch": {System.PARTY: "KH", System.STATE: "KH"},
    "Phương án": {System.PARTY: "PA", System.STATE: "PA"},
    "Đề án": {System.PARTY: "ĐA", System.STATE: "ĐA"},
    "Dự án": {System.PARTY: "DA", System.STATE: "DA"},
    "Báo cáo": {System.PARTY: "BC", System.STATE: "BC"},
    "Tờ trình": {System.PARTY: "TTr", System.STATE: "TTr"},
    "Biên bản": {System.PARTY: "BB", System.STATE: "BB"},
    "Công văn": {System.PARTY: "CV", System.STATE: "CV"},
    "Công điện": {System.STATE: "CĐ"},
    "Hợp đồng": {System.STATE: "HĐ"},
    "Bản ghi nhớ": {System.STATE: "BGN"},
    "Bản thỏa thuận": {System.STATE: "BTT"},
    "Giấy ủy quyền": {System.STATE: "GUQ"},
    "Giấy mời": {System.PARTY: "GM", System.STATE: "GM"},
    "Giấy giới thiệu": {System.PARTY: "GGT", System.STATE: "GGT"},
    "Giấy nghỉ phép": {System.PARTY: "GNP", System.STATE: "GNP"},
    "Phiếu gửi": {System.PARTY: "PG", System.STATE: "PG"},
    "Phiếu chuyển": {System.PARTY: "PC", System.STATE: "PC"},
    "Phiếu báo": {System.STATE: "PB"},
    "Văn bản hợp nhất": {System.STATE: "VBHN"},
    "Bản sao y": {System.PARTY: "SY", System.STATE: "SY"},
    "Bản trích sao": {System.PARTY: "TrS", System.STATE: "TrS"},
    "Bản sao lục": {System.PARTY: "SL", System.STATE: "SL"},
}


_TYPE_WORDS_FOLDED = {fold(word): by_system for word, by_system in TYPE_WORDS.items()}


def code_for_type_word(word: str, system: System | str | None = None) -> str | None:
    """The code a type name stands for ("Quy định" → "QĐi" for the Party, "QyĐ" for the state).

    The name is compared folded, so case, diacritics and tone placement ("Uỷ"/"Ủy") do
    not matter. Without a system, the answer is the code the systems naming the type agree
    on, and None where they differ (Quy định is QĐi or QyĐ).
    """
    by_system = _TYPE_WORDS_FOLDED.get(fold(word))
    if by_system is None:
        return None
    if system is not None:
        return by_system.get(System(system))
    values = set(by_system.values())
    return values.pop() if len(values) == 1 else None
