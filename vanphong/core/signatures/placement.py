"""Where the visible signatures go, by the layout rules (FACTS §1.7 and "Seals"): the signer's
in the blank between the title line of the signature block and the printed name on the last
page; the agency's seal over the left third of it; on an attachment in a separate file (and an
electronic copy) the agency's signature at the top right of page 1, text only."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from vanphong.core.signatures.signing import Placement

logger = logging.getLogger(__name__)

SIGNER_WIDTH = 180.0
SIGNER_MIN_HEIGHT = 40.0
SIGNER_MAX_HEIGHT = 80.0
MARGIN = 36.0
TOP_RIGHT_WIDTH = 200.0
TOP_RIGHT_HEIGHT = 46.0


@dataclass
class _Line:
    y: float
    x1: float
    x2: float
    size: float
    text: str


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _page_size(page: Any) -> tuple[float, float, float, float]:
    box = page.mediabox
    return float(box.left), float(box.bottom), float(box.right), float(box.top)


def _lines(page: Any) -> list[_Line]:
    """The text of ``page`` as lines: fragments with the same baseline, left to right."""
    fragments: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: Any, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] * cm[3]) or 1.0
        fragments.append((y, x, float(size) * scale, text))

    page.extract_text(visitor_text=visit)
    lines: list[_Line] = []
    for y, x, size, text in sorted(fragments, key=lambda f: (-f[0], f[1])):
        width = len(text) * size * 0.5
        line = next((ln for ln in lines if abs(ln.y - y) <= 2 and x - ln.x2 < 3 * size), None)
        if line is None:
            lines.append(_Line(y=y, x1=x, x2=x + width, size=size, text=text))
        else:
            line.text = f"{line.text} {text}" if x > line.x2 - size else f"{line.text}{text}"
            line.x2 = max(line.x2, x + width)
            line.size = max(line.size, size)
    return lines


def bottom_right(page_box: tuple[float, float, float, float], page: int = -1) -> Placement:
    left, bottom, right, _top = page_box
    x2 = right - MARGIN
    return Placement(page=page, box=(x2 - SIGNER_WIDTH, bottom + 2 * MARGIN, x2, bottom + 2 * MARGIN + 60))


def placement_for_signer(data: bytes, signer_name: str) -> Placement:
    """The signer's box on the last page: centred over the lowest line printing
    ``signer_name``, filling the blank between it and the line above (the title: "BÍ THƯ",
    "T/M BAN THƯỜNG VỤ"). Bottom right of the last page when the name is not found."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(BytesIO(data))
        page = reader.pages[-1]
        page_box = _page_size(page)
        lines = _lines(page)
    except Exception:  # noqa: BLE001  (an odd PDF: the default place)
        logger.info("could not read the last page's text for the signature placement", exc_info=True)
        return Placement(page=-1, box=(400.0, 72.0, 560.0, 132.0))
    wanted = _normal(signer_name)
    named = [ln for ln in lines if wanted and wanted in _normal(ln.text)]
    if not named:
        return bottom_right(page_box)
    name = min(named, key=lambda ln: ln.y)
    centre = (name.x1 + name.x2) / 2
    above = [
        ln.y for ln in lines if ln.y > name.y + name.size / 2 and ln.x1 < centre + 60 and ln.x2 > centre - 60
    ]
    bottom = name.y + name.size + 2
    gap = (min(above) - bottom - 2) if above else SIGNER_MAX_HEIGHT
    height = max(SIGNER_MIN_HEIGHT, min(SIGNER_MAX_HEIGHT, gap))
    left, _b, right, _t = page_box
    x1 = max(left + 4, min(centre - SIGNER_WIDTH / 2, right - 4 - SIGNER_WIDTH))
    return Placement(page=-1, box=(x1, bottom, x1 + SIGNER_WIDTH, bottom + height))


def placement_for_seal(personal: Placement) -> Placement:
    """The seal: same size and height as the signer's box, its right part over the left
    third of it."""
    x1, y1, _x2, y2 = personal.box
    width = personal.width
    return Placement(page=personal.page, box=(x1 - 2 * width / 3, y1, x1 + width / 3, y2))


def placement_top_right_first_page(data: bytes) -> Placement:
    """Top right of page 1 (an attachment in a separate file, an electronic copy)."""
    from pypdf import PdfReader

    try:
        _left, _bottom, right, top = _page_size(PdfReader(BytesIO(data)).pages[0])
    except Exception:  # noqa: BLE001
        right, top = 595.0, 842.0  # A4
    x2, y2 = right - 20, top - 12
    return Placement(page=0, box=(x2 - TOP_RIGHT_WIDTH, y2 - TOP_RIGHT_HEIGHT, x2, y2))


def signature_placements(data: bytes) -> list[tuple[str, Placement]]:
    """The visible signatures already in the file, in the order they were added: the field
    name and where its box is (page index, rectangle)."""
    from pypdf import PdfReader

    found: list[tuple[str, Placement]] = []
    try:
        reader = PdfReader(BytesIO(data))
        pages = {
            page.indirect_reference.idnum: i for i, page in enumerate(reader.pages) if page.indirect_reference
        }
        root: Any = reader.trailer["/Root"]
        form: Any = root.get("/AcroForm")
        fields = form.get_object().get("/Fields", []) if form else []
        for ref in fields:
            field = ref.get_object()
            if field.get("/FT") != "/Sig":
                continue
            widgets = [field] if "/Rect" in field else [kid.get_object() for kid in field.get("/Kids", [])]
            for widget in widgets:
                rect = [float(v) for v in widget.get("/Rect", [0, 0, 0, 0])]
                if rect[2] - rect[0] <= 0 or rect[3] - rect[1] <= 0:
                    continue  # an invisible signature
                page_ref = widget.get("/P")
                page = pages.get(page_ref.idnum, 0) if page_ref is not None else 0
                found.append(
                    (str(field.get("/T", "")), Placement(page=page, box=(rect[0], rect[1], rect[2], rect[3])))
                )
    except Exception:  # noqa: BLE001  (an odd PDF: no known signature box)
        logger.info("could not read the signature boxes", exc_info=True)
    return found
