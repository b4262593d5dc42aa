"""Reading the registration fields off a document's first page (and, for the signature,
its last page), to prefill the registration form.

The layout is fixed by the rules (HD 36-HD/VPTW for Party documents, NĐ 30/2020 for state
ones): the issuing body top left, above "Số ..."; the national header and "place, ngày ...
tháng ... năm ..." top right; the urgency and secrecy stamps near them; the type name in
capitals and the subject (trích yếu) under it, or "V/v ..." under the number of a công
văn; the signing authority, position and name at the end. Text extracted from a PDF often
runs the two header columns into one line, so every rule strips the other column's parts
from a line rather than expecting a line to hold one thing.

A field that cannot be read is None: the clerk fills it in, rather than checking a guess.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from vanphong.core.files import spool_upload
from vanphong.core.textfold import FoldedText, fold
from vanphong.core.vndate import parse_vn_date
from vanphong.documents import extraction
from vanphong.documents.doctypes import TYPE_WORDS, code_for_type_word
from vanphong.documents.symbols import parse_symbol
from vanphong.orgs.models import Organization

FIELDS = (
    "symbol",
    "doc_type",
    "issuer_name",
    "place",
    "issued_date",
    "subject",
    "signer_name",
    "signer_position",
    "urgency",
    "classification",
)
TEXT_LIMIT = 2000

# Folded phrases of the national headers (Party and state), removed wherever they appear.
_HEADER_PHRASES = (
    "dang cong san viet nam",
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap - tu do - hanh phuc",
    "doc lap – tu do – hanh phuc",
    "doc lap tu do hanh phuc",
)
# Stamps, by folded text. "mat" alone is safe because a stamp must be a whole line.
_URGENCY = {"hoa toc hen gio": "hoa_toc", "hoa toc": "hoa_toc", "thuong khan": "thuong_khan", "khan": "khan"}
_SECRECY = {"tuyet mat": "tuyet_mat", "toi mat": "toi_mat", "mat": "mat"}

_NUMBER_RE = re.compile(
    r"(?<![\w])S[ốôóo6]\s*[:.]?\s*(?P<symbol>\d{1,6}\s?[-‐–—/]\s?[^\s,;]+(?:\s?[-/]\s?[A-ZĐa-zđ0-9]+)*)",
    re.IGNORECASE,
)
_PLACE_DATE_RE = re.compile(
    r"(?P<place>[^\d,;:()]{2,60}?)\s*,\s*(?P<date>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s+năm\s+\d{4})",
    re.IGNORECASE,
)
_VV_RE = re.compile(r"^\s*(?:V/v|V\.v\.?|Về việc)\s*[:.]?\s*(?P<rest>.+)$", re.IGNORECASE)
_AUTHORITY_RE = re.compile(r"^(?:T/M|TM\.|K/T|KT\.|T/L|TL\.|TUQ\.|Q\.)\s*", re.IGNORECASE)
_SEPARATOR_RE = re.compile(r"^[\s\-_–—*=.·]+$")
_SIGNED_RE = re.compile(r"^\(?\s*(?:đã ký|ký|ký tên|ký, đóng dấu|ký và đóng dấu)[^)]*\)?$", re.IGNORECASE)

# Vietnamese family names (the commonest, covering the great majority of people), to tell a
# signer's name from a capitalised phrase.
_SURNAMES = frozenset(
    fold(s)
    for s in [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Trịnh",
        "Đào",
        "Mai",
        "Lương",
        "Lâm",
        "Tô",
        "Hà",
        "Tạ",
        "Cao",
        "Chu",
        "Đoàn",
        "Vương",
        "Trương",
        "Thái",
        "Quách",
        "Kiều",
        "Lưu",
        "La",
        "Triệu",
        "Giang",
        "Khổng",
        "Từ",
        "Tăng",
        "Ninh",
        "Nông",
        "Lục",
        "Lạc",
        "Âu",
        "Doãn",
        "Đàm",
        "Hứa",
        "Kim",
        "Mạc",
        "Nghiêm",
        "Phùng",
        "Quan",
        "Tôn",
        "Thân",
        "Thạch",
        "Tiêu",
        "Văn",
        "Vi",
        "Viên",
        "Ông",
        "Lò",
        "Hầu",
        "Diệp",
        "Châu",
        "Danh",
        "Điểu",
        "Ksor",
        "Rơ",
        "Siu",
    ]
)
# Only words that no other word folds to in an issuer's name: THÀNH (THANH HÓA), QUẬN (CƠ
# QUAN), VĂN (VẬN TẢI), THƯỜNG (CÔNG THƯƠNG), TRA (TRÀ VINH), CHI (HỒ CHÍ MINH) are left out.
_INSTITUTION_WORDS = {
    fold(w): w
    for w in [
        "ĐẢNG",
        "BỘ",
        "ỦY",
        "TỈNH",
        "HUYỆN",
        "XÃ",
        "BAN",
        "PHÒNG",
        "TỔ",
        "CHỨC",
        "TUYÊN",
        "KIỂM",
        "NỘI",
        "CHÍNH",
        "CHẤP",
        "HÀNH",
        "TRUNG",
        "ƯƠNG",
        "NHÂN",
        "DÂN",
        "SỞ",
        "CỤC",
    ]
}
# Signers' positions, for the same repair of a whole position ("PHÓ TRƯỜNG BAN" → "PHÓ
# TRƯỞNG BAN"); whole phrases, because single words collide once folded (THƯ, THỦ).
_POSITIONS = {
    fold(p): p
    for base in (
        "BÍ THƯ",
        "CHÁNH VĂN PHÒNG",
        "TRƯỞNG BAN",
        "GIÁM ĐỐC",
        "CHỦ TỊCH",
        "CHỦ NHIỆM",
        "TRƯỞNG PHÒNG",
        "CỤC TRƯỞNG",
        "VỤ TRƯỞNG",
        "TỔNG BÍ THƯ",
    )
    for p in (base, f"PHÓ {base}")
}
_TYPE_WORDS_FOLDED = {fold(w) for w in TYPE_WORDS}
_LEVEL_WORDS = ("tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ", "xa ", "phuong ", "dac khu ")
_BODY_STARTS = ("can cu", "kinh gui", "thuc hien ", "trong ", "ngay ", "qua ", "de ", "noi nhan", "- ")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _remove_folded(line: str, phrase: str) -> str:
    """``line`` without every occurrence of the folded ``phrase`` (case and marks ignored)."""
    folded = FoldedText.of(line)
    start = folded.folded.find(phrase)
    while start >= 0:
        a, b = folded.span(start, start + len(phrase))
        line = line[:a] + " " + line[b:]
        folded = FoldedText.of(line)
        start = folded.folded.find(phrase)
    return line


def _place_words(raw_place: str) -> list[str]:
    """The place in front of ", ngày ...": the last words in title case (what the other
    column left on the same line, in capitals or lower case, is not part of it)."""
    words = raw_place.split()
    kept: list[str] = []
    for word in reversed(words):
        if not word[:1].isupper() or _is_upper(word):
            break
        kept.insert(0, word)
    return kept


def _remove_place_date(line: str) -> str:
    match = _PLACE_DATE_RE.search(line)
    if not match:
        return line
    place = _place_words(match.group("place"))
    start = match.start("date")
    if place:
        start = line.rfind(place[0], match.start("place"), match.start("date"))
    return line[:start] + " " + line[match.end() :]


def _clean_line(line: str) -> str:
    for phrase in _HEADER_PHRASES:
        line = _remove_folded(line, phrase)
    line = _remove_place_date(line)
    line = line.replace("*", " ")
    return re.sub(r"\s+", " ", line).strip(" -_–—.")


def _lines(text: str) -> list[str]:
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in _nfc(text).splitlines() if line.strip()]


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _stamp(lines: list[str], table: dict[str, str]) -> str | None:
    for line in lines:
        if not _is_upper(line):
            continue
        for part in re.split(r"\s{2,}|\t", line):
            key = fold(part.strip(" *-"))
            if key in table:
                return table[key]
    return None


def _find_number(lines: list[str]) -> tuple[int | None, str | None]:
    for index, line in enumerate(lines[:40]):
        match = _NUMBER_RE.search(line)
        if match:
            parsed = parse_symbol(match.group("symbol"))
            if parsed is not None:
                return index, parsed.normalized
            return index, None
    return None, None


def _canonical_words(line: str) -> str:
    """Institutional words spelt right where OCR misread a tone mark ("TĨNH ỦY" → "TỈNH ỦY")."""
    return " ".join(_INSTITUTION_WORDS.get(fold(word), word) for word in line.split())


# Pieces of the state's national header that OCR leaves on the issuer's lines when it runs
# the two columns together and breaks the motto over two lines.
_HEADER_FRAGMENTS = (
    "cong hoa xa hoi chu nghia",
    "xa hoi chu nghia",
    "viet nam",
    "doc lap",
    "tu do",
    "hanh phuc",
)


def _header_line(line: str) -> str:
    for phrase in _HEADER_FRAGMENTS:
        line = _remove_folded(line, phrase)
    return re.sub(r"\s+", " ", line).strip(" -_–—.")


def _compose_issuer(lines: list[str]) -> str | None:
    """The issuing body from the header lines above the number: the last line, completed
    with its superior when it does not name a place ("TỈNH ỦY" under "ĐẢNG BỘ TỈNH LÂM
    ĐỒNG" → "TỈNH ỦY LÂM ĐỒNG"; "VĂN PHÒNG" under "TỈNH ỦY LÂM ĐỒNG" → "VĂN PHÒNG TỈNH ỦY
    LÂM ĐỒNG"; "SỞ NỘI VỤ" under "UBND TỈNH LÂM ĐỒNG" → "SỞ NỘI VỤ TỈNH LÂM ĐỒNG")."""
    lines = [_canonical_words(_header_line(line)) for line in lines]
    lines = [line for line in lines if _is_upper(line)]
    if not lines:
        return None
    body = lines[-1]
    if len(lines) == 1:
        return body
    superior = lines[-2]
    body_words = body.split()
    folded_superior = fold(superior)
    if folded_superior.startswith("dang bo ") and fold(body).endswith(" uy") and len(body_words) == 2:
        place = superior.split(maxsplit=2)[2]  # "TỈNH LÂM ĐỒNG"
        level = body_words[0]
        if fold(place).startswith(fold(level) + " "):
            place = place.split(maxsplit=1)[1]
        return f"{body} {place}"
    if fold(body).startswith(_LEVEL_WORDS):  # one name on two lines: "ỦY BAN NHÂN DÂN / TỈNH LÂM ĐỒNG"
        return f"{superior} {body}"
    if folded_superior.startswith(("ubnd ", "uy ban nhan dan ")):
        place = superior.split(maxsplit=1 if folded_superior.startswith("ubnd ") else 3)[-1]
        return f"{body} {place}"
    if len(body_words) <= 4 and not re.search(r"\b(xa|phuong|tinh|huyen|thanh pho)\b", fold(body)):
        return f"{body} {superior}"
    return body


_DATE_STARTED_RE = re.compile(r",\s*ngày\s+\d{1,2}\b")


def _place_and_date(lines: list[str]) -> tuple[str | None, str | None]:
    head = lines[:40]
    for index, line in enumerate(head):
        match = _PLACE_DATE_RE.search(line)
        if not match and _DATE_STARTED_RE.search(line) and index + 1 < len(head):
            # A narrow header column wraps the date line ("..., ngày 05 tháng 01 năm" / "2026").
            year = re.match(r"[^\w]*(\d{4})\b", head[index + 1])  # OCR: "* 2026" (the star beside it)
            match = _PLACE_DATE_RE.search(f"{line} {year.group(1) if year else head[index + 1]}")
        if not match:
            continue
        words = _place_words(match.group("place"))
        date = parse_vn_date(match.group("date"))
        return (" ".join(words) or None), (date.isoformat() if date else None)
    return None, None


def _type_line(lines: list[str], start: int) -> int | None:
    for index in range(start, min(len(lines), start + 12)):
        cleaned = _clean_line(lines[index])
        if _is_upper(cleaned) and fold(cleaned) in _TYPE_WORDS_FOLDED:
            return index
    return None


def _subject_after(lines: list[str], start: int) -> str | None:
    parts: list[str] = []
    for line in lines[start : start + 4]:
        cleaned = _clean_line(line)
        folded = fold(cleaned)
        if not cleaned or _SEPARATOR_RE.match(line) or (parts and folded.startswith(_BODY_STARTS)):
            break
        if _stamp([cleaned], _URGENCY) or _stamp([cleaned], _SECRECY):
            break
        parts.append(cleaned)
        if len(" ".join(parts)) > 300:
            break
    subject = " ".join(parts).strip()
    return subject or None


def _vv_subject(lines: list[str], start: int) -> str | None:
    for index in range(start, min(len(lines), start + 6)):
        match = _VV_RE.match(_clean_line(lines[index]))
        if match:
            rest = [f"V/v {match.group('rest').strip()}"]
            for line in lines[index + 1 : index + 3]:
                cleaned = _clean_line(line)
                folded = fold(cleaned)
                if (
                    not cleaned
                    or _SEPARATOR_RE.match(line)
                    or folded.startswith(_BODY_STARTS)
                    or _is_upper(cleaned)
                    or _PLACE_DATE_RE.search(line)
                ):
                    break
                rest.append(cleaned)
            return " ".join(rest)
    return None


def _trailing_words(line: str, test: Any) -> list[str]:
    """The words at the end of ``line`` that pass ``test`` (what the left column did not
    put on the same line)."""
    words = line.split()
    kept: list[str] = []
    for word in reversed(words):
        if not test(word):
            break
        kept.insert(0, word)
    return kept


def _is_name_word(word: str) -> bool:
    return word.isalpha() and word[0].isupper() and (len(word) == 1 or word[1:].islower())


def _is_upper_word(word: str) -> bool:
    return word.isalpha() and word.isupper()


def _signer(lines: list[str]) -> tuple[str | None, str | None]:
    """The signer's name (the last "Nguyễn Văn A"-like words at the end of a line) and the
    position printed right above it ("PHÓ BÍ THƯ" under "K/T BÍ THƯ")."""
    tail = lines[-25:]
    for index in range(len(tail) - 1, -1, -1):
        words = _trailing_words(tail[index], _is_name_word)
        # A family name first; three words or more unless the line holds nothing else.
        while words and fold(words[0]) not in _SURNAMES:
            words.pop(0)
        if len(words) < 2 or (len(words) == 2 and len(tail[index].split()) > 2) or len(words) > 6:
            continue
        name = " ".join(words)
        position = None
        for above in range(index - 1, max(-1, index - 6), -1):
            line = tail[above].strip()
            if _SIGNED_RE.match(line):
                continue
            upper = _trailing_words(line, _is_upper_word)
            if upper and len("".join(upper)) >= 3:
                position = " ".join(upper)
                position = _POSITIONS.get(fold(position), position)
                break
        return name, position
    return None, None


def _letter_head_end(lines: list[str], after: int) -> int:
    """Where a công văn's head ends (its stamps sit above): the "Kính gửi" line, or a few
    lines below the number when there is none (narrow columns wrap the head into more)."""
    for index in range(after, min(len(lines), after + 16)):
        if fold(lines[index]).startswith("kinh gui"):
            return index
    return after + 8


def capture_propose(text: str, *, ocr: bool, last_page: str | None = None) -> dict[str, Any]:
    """The registration fields read from ``text`` (the first page); the signature is
    looked for at the end of ``last_page`` when the document has more than one page."""
    text = _nfc(text or "")
    lines = _lines(text)
    number_index, symbol = _find_number(lines)
    parsed = parse_symbol(symbol) if symbol else None
    header = lines[:number_index] if number_index is not None else []
    issuer = _compose_issuer([cleaned for cleaned in (_clean_line(line) for line in header) if cleaned])
    place, issued_date = _place_and_date(lines)
    after = (number_index + 1) if number_index is not None else 0
    type_index = _type_line(lines, after)
    doc_type = parsed.effective_doc_type if parsed else None
    if type_index is not None and (parsed is None or parsed.doc_type is None):
        # No type code read in the symbol (none printed, or misread): the type name says it.
        named = code_for_type_word(_clean_line(lines[type_index]), parsed.style if parsed else None)
        doc_type = named or doc_type
    if type_index is not None:
        subject = _subject_after(lines, type_index + 1)
    else:
        subject = _vv_subject(lines, after)
        if subject and doc_type is None:
            doc_type = "CV"
    signer_name, signer_position = _signer(_lines(last_page) if last_page else lines)
    stamp_zone = lines[: (type_index if type_index is not None else _letter_head_end(lines, after)) + 1]
    return {
        "symbol": symbol,
        "doc_type": doc_type,
        "issuer_name": issuer,
        "place": place,
        "issued_date": issued_date,
        "subject": subject,
        "signer_name": signer_name,
        "signer_position": signer_position,
        "urgency": _stamp(stamp_zone, _URGENCY),
        "classification": _stamp(stamp_zone, _SECRECY),
        "ocr": ocr,
        "text": text[:TEXT_LIMIT],
    }


def issuer_proper_name(header_name: str | None) -> str | None:
    """The proper name of the organisation a header names ("THỦ TƯỚNG CHÍNH PHỦ" → "Thủ
    tướng Chính phủ", "BAN CHẤP HÀNH TRUNG ƯƠNG" → "Ban Chấp hành Trung ương Đảng"): the
    header folded (case and marks ignored) against the name, then the short name, then the
    abbreviation of the active organisations, hosted or not (the national bodies are
    installed, orgs.national). None when no record, or more than one, matches. One query;
    ``capture_propose`` itself does not touch the database.
    """
    if not header_name or not header_name.strip():
        return None
    wanted = fold(header_name)
    rows = list(Organization.objects.filter(active=True).values_list("name", "short_name", "abbreviation"))
    for column in range(3):
        names = {row[0] for row in rows if row[column] and fold(row[column]) == wanted}
        if names:
            return names.pop() if len(names) == 1 else None
    return None


def capture_issuer_match(proposal: dict[str, Any]) -> dict[str, Any]:
    """``proposal`` with the issuer read from the header replaced by the matching
    organisation's proper name, when one matches (else as read)."""
    proper = issuer_proper_name(proposal.get("issuer_name"))
    if proper:
        proposal["issuer_name"] = proper
    return proposal


def capture_path(
    path: Path, content_type: str, *, time_limit: int = extraction.CAPTURE_OCR_TIME_LIMIT
) -> dict[str, Any]:
    """Read a stored or spooled file and propose its fields (OCR of the first page only,
    stopped after ``time_limit`` seconds; of a PDF's text layer, the first and last pages).
    Runs in the web process, so every step is bounded (``extraction``): a file over a limit
    (a decompression bomb, a huge image) is a ``ValidationError`` with the Vietnamese reason."""
    result, workdir = extraction.extract_to_temp(
        path, content_type, first_page_only=True, time_limit=time_limit
    )
    try:
        if result.refused:
            raise ValidationError(result.note, code="unsafe")
        if result.state != "done":
            proposal = capture_propose("", ocr=False)
            proposal["note"] = result.note
            return proposal
        last = result.pages[-1] if len(result.pages) > 1 and not result.ocr else None
        proposal = capture_propose(result.first_page, ocr=result.ocr, last_page=last)
        if result.note:
            proposal["note"] = result.note
        return proposal
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def capture_file(upload: Any) -> dict[str, Any]:
    """``capture_propose`` on an uploaded file, read synchronously; nothing is kept."""
    spooled = spool_upload(upload)
    try:
        return capture_issuer_match(capture_path(spooled.path, spooled.content_type))
    finally:
        spooled.discard()


__all__ = [
    "FIELDS",
    "ValidationError",
    "capture_file",
    "capture_issuer_match",
    "capture_path",
    "capture_propose",
    "issuer_proper_name",
]
