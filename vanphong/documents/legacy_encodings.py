"""Vietnamese text written in the legacy font encodings, detected and converted to Unicode.

Offices typed their documents for years in 8-bit "Vietnamese fonts" rather than Unicode:

* **TCVN3 (ABC)**, the fonts named ``.VnTime``, ``.VnArial``...: TCVN 5712:1993, table VN3.
  Each Vietnamese letter is ONE byte; the file says "windows-1252", so a text extractor
  gives the Latin-1 look-alike of that byte: "TØnh ñy" ... e.g. "¸" (0xB8) is "á", "®" (0xAE)
  is "đ", "¬" (0xAC) is "ơ". VN3 has only the lower-case toned letters and the seven plain
  capitals Ă Â Ê Ô Ơ Ư Đ; upper-case toned letters were typed with the companion capital
  fonts (``.VnTimeH``), which draw capitals at the lower-case positions. Without the font
  name such text converts to lower case; the positions 0x80–0x9F, where VN1 puts toned
  capitals, are left alone because ABC fonts keep the Windows quotes and dashes there.
* **VNI** (``VNI-Times``...): a base letter followed by a second byte carrying the mark:
  "a" + "ù" is "á", "a" + "â" is "â", "a" + "á" is "ấ", "o" + "â" is "ô"; a few letters are
  one byte of their own: "ô" is "ơ", "ö" is "ư", "ñ" is "đ", "í ì æ ó ò" are "í ì ỉ ĩ ị",
  "î" is "ỵ". Upper case uses the upper-case look-alikes ("AÙ", "Ñ").

The tables below are restated from the standard's table (TCVN 5712:1993, as shipped in the
GNU C library's TCVN5712-1 charmap) and from the VNI keyboard layout's well-known byte
assignments; the tests convert a corpus both ways.
"""

from __future__ import annotations

import re
import unicodedata

UNICODE = "unicode"
TCVN3 = "tcvn3"
VNI = "vni"

# --- TCVN3 (VN3) ----------------------------------------------------------------------------
# Byte value, then the Unicode letter. Positions 0xA1–0xFF of TCVN 5712:1993, without the
# combining tone marks 0xB0–0xB4 (never used by ABC fonts; "°" is a degree sign in text) and
# without 0xFD, which is "ý" in both.
_TCVN3_TABLE = """
A1Ă A2Â A3Ê A4Ô A5Ơ A6Ư A7Đ A8ă A9â AAê ABô ACơ ADư AEđ AFẰ
B5à B6ả B7ã B8á B9ạ BAẲ BBằ BCẳ BDẵ BEắ BFẴ
C0Ắ C1Ầ C2Ẩ C3Ẫ C4Ấ C5Ề C6ặ C7ầ C8ẩ C9ẫ CAấ CBậ CCè CDỂ CEẻ CFẽ
D0é D1ẹ D2ề D3ể D4ễ D5ế D6ệ D7ì D8ỉ D9Ễ DAẾ DBỒ DCĩ DDí DEị DFò
E0Ổ E1ỏ E2õ E3ó E4ọ E5ồ E6ổ E7ỗ E8ố E9ộ EAờ EBở ECỡ EDớ EEợ EFù
F0Ỗ F1ủ F2ũ F3ú F4ụ F5ừ F6ử F7ữ F8ứ F9ự FAỳ FBỷ FCỹ FEỵ FFỐ
"""

TCVN3_TO_UNICODE: dict[str, str] = {chr(int(item[:2], 16)): item[2:] for item in _TCVN3_TABLE.split()}
_UNICODE_TO_TCVN3: dict[str, str] = {u: b for b, u in TCVN3_TO_UNICODE.items()}
_TCVN3_DECODE = str.maketrans(TCVN3_TO_UNICODE)

# --- VNI --------------------------------------------------------------------------------------
# Tone marks after a plain vowel (a e o u y, and ơ ư): sắc, huyền, hỏi, ngã, nặng.
_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_VNI_TONE = "ùøûõï"
# A vowel with circumflex (â ê ô): hat alone, then the hat with each tone, one byte.
_VNI_HAT = "âáàåãä"
# A vowel with breve (ă): breve alone, then with each tone.
_VNI_BREVE = "êéèúüë"
# i and its tones are one byte each; so is ỵ.
_VNI_I = {"": "i", "\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni_pairs() -> dict[str, str]:
    """Every Vietnamese letter (lower case) with its VNI spelling."""
    pairs: dict[str, str] = {"đ": "ñ"}
    # (Unicode base letter, VNI base, mark row or None for the plain tone row)
    bases = [
        ("a", "a", None),
        ("ă", "a", _VNI_BREVE),
        ("â", "a", _VNI_HAT),
        ("e", "e", None),
        ("ê", "e", _VNI_HAT),
        ("o", "o", None),
        ("ô", "o", _VNI_HAT),
        ("ơ", "ô", None),
        ("u", "u", None),
        ("ư", "ö", None),
        ("y", "y", None),
    ]
    for letter, vni_base, row in bases:
        for index, tone in enumerate(("", *_TONES)):
            composed = unicodedata.normalize("NFC", letter + tone)
            if row is not None:
                spelling = vni_base + row[index]
            elif tone:
                spelling = vni_base + _VNI_TONE[index - 1]
            else:
                spelling = vni_base
            pairs[composed] = spelling
    pairs["ỵ"] = "î"
    for tone, spelling in _VNI_I.items():
        pairs[unicodedata.normalize("NFC", "i" + tone)] = spelling
    return pairs


_VNI_LOWER = _vni_pairs()
UNICODE_TO_VNI: dict[str, str] = {}
for _letter, _spelling in _VNI_LOWER.items():
    if _letter != _spelling:
        UNICODE_TO_VNI[_letter] = _spelling
        UNICODE_TO_VNI[_letter.upper()] = _spelling.upper()
VNI_TO_UNICODE: dict[str, str] = {v: k for k, v in UNICODE_TO_VNI.items()}
# Longest spellings first, so that "oâ" is read as "ô" before "o" is left alone.
_VNI_RE = re.compile("|".join(re.escape(s) for s in sorted(VNI_TO_UNICODE, key=len, reverse=True)))
# A vowel directly followed by a mark byte of the same case: the signature of VNI text.
_VNI_SIGNATURE_RE = re.compile("[aeiouyôö][ùøûõïâáàåãäêéèúüë]|[AEIOUYÔÖ][ÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]")
_VNI_CHARACTERS = frozenset("".join(VNI_TO_UNICODE))
_VIETNAMESE_LETTERS = frozenset(UNICODE_TO_VNI) | {"đ", "Đ"}
# Characters that only TCVN3 text is made of: neither a Vietnamese letter nor a VNI byte
# (¸ µ ¶ · ¹ ¨ © ª « ¬ ® § ...).
_TCVN3_ONLY = frozenset(TCVN3_TO_UNICODE) - _VNI_CHARACTERS - _VIETNAMESE_LETTERS
# A capital from the TCVN3 table inside a lower-case word ("TØnh", "quyÕt"): TCVN3 text
# read as Latin-1. VNI puts capital marks after capital vowels only.
_TCVN3_INSIDE_WORD_RE = re.compile(
    "(?<=[A-Za-z])[" + "".join(sorted(c for c in TCVN3_TO_UNICODE if c.isupper())) + "](?=[a-z])"
)
# Letters that exist only in Vietnamese Unicode (outside Latin-1), and combining marks
# (decomposed Unicode): the signature of text that is already right.
_VIETNAMESE_UNICODE = frozenset(ch for ch in _VIETNAMESE_LETTERS if ord(ch) > 0xFF)


def detect(text: str) -> str:
    """ "unicode", "tcvn3" or "vni": which encoding ``text`` was typed in.

    Counts the letters only Unicode Vietnamese has against the signatures of the legacy
    encodings; a text with no Vietnamese at all, or too few signs to tell, is "unicode"
    (converting it could only do harm)."""
    sample = text[:200_000]
    unicode_signs = sum(1 for ch in sample if ch in _VIETNAMESE_UNICODE or unicodedata.combining(ch))
    tcvn3 = sum(1 for ch in sample if ch in _TCVN3_ONLY) + len(_TCVN3_INSIDE_WORD_RE.findall(sample))
    vni = len(_VNI_SIGNATURE_RE.findall(sample))
    legacy = max(tcvn3, vni)
    if legacy < 2 or legacy * 2 <= unicode_signs:
        return UNICODE
    return TCVN3 if tcvn3 >= vni else VNI


def to_unicode(text: str, encoding: str) -> str:
    """``text`` converted from ``encoding`` to Unicode (NFC); Unicode text is returned as is."""
    if encoding == TCVN3:
        return text.translate(_TCVN3_DECODE)
    if encoding == VNI:
        return _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)
    if encoding == UNICODE:
        return text
    raise ValueError(f"unknown encoding {encoding!r}")


def from_unicode(text: str, encoding: str) -> str:
    """Unicode text written as a legacy font would store it (for tests and sample files).
    Toned capitals that TCVN3 lacks are written with the lower-case byte, as the capital
    fonts (.VnTimeH) did."""
    text = unicodedata.normalize("NFC", text)
    if encoding == TCVN3:
        out = []
        for ch in text:
            code = _UNICODE_TO_TCVN3.get(ch)
            if code is None and ch.lower() != ch:
                code = _UNICODE_TO_TCVN3.get(ch.lower())
            out.append(code if code is not None else ch)
        return "".join(out)
    if encoding == VNI:
        return "".join(UNICODE_TO_VNI.get(ch, ch) for ch in text)
    if encoding == UNICODE:
        return text
    raise ValueError(f"unknown encoding {encoding!r}")


def convert_if_legacy(text: str) -> tuple[str, str]:
    """(text in Unicode, the encoding it was found in)."""
    encoding = detect(text)
    return to_unicode(text, encoding), encoding


NOTES = {
    TCVN3: "Đã chuyển mã TCVN3 sang Unicode.",
    VNI: "Đã chuyển mã VNI sang Unicode.",
}
