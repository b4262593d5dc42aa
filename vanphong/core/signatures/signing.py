"""Signing a PDF (PAdES with pyHanko): a visible box with text lines in a font that has the
Vietnamese glyphs, added as an incremental update so that earlier signatures stay intact, and
a time-stamp from a time-stamp authority when one is configured (B-T; B-B otherwise).

The key sits behind ``Signer``: a PKCS#12 file today (``Pkcs12Signer``); a USB token
(PKCS#11, pyHanko's ``PKCS11Signer``) can implement the same protocol later."""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings

from vanphong.core.signatures.checks import PERSONAL_FIELD_PREFIX
from vanphong.core.signatures.loop import outside_event_loop

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer as PyhankoSigner

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")

# Times New Roman 10 (FACTS §1.7): Liberation Serif has its metrics; DejaVu Serif is the
# fallback. Both carry the Vietnamese letters.
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
FONT_SIZE = 10
UNITS_PER_EM = 1000
RED = (0.8, 0.0, 0.0)
BLUE = (0.0, 0.2, 0.6)


@dataclass(frozen=True)
class Placement:
    """Where a visible signature goes: ``page`` (0-based, -1 for the last page) and ``box``
    (lower-left x, lower-left y, upper-right x, upper-right y) in PDF points."""

    page: int
    box: tuple[float, float, float, float]

    @property
    def width(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def height(self) -> float:
        return self.box[3] - self.box[1]


@runtime_checkable
class Signer(Protocol):
    """A signing key with its certificate, wherever the key lives."""

    @property
    def common_name(self) -> str: ...

    @property
    def subject(self) -> str: ...

    @property
    def issuer(self) -> str: ...

    @property
    def serial(self) -> str: ...

    @property
    def not_before(self) -> dt.datetime: ...

    @property
    def not_after(self) -> dt.datetime: ...

    def pyhanko_signer(self) -> PyhankoSigner:
        """The pyHanko signer that makes the CMS signature."""
        ...


def _name_text(name: x509.Name) -> str:
    return name.rfc4514_string()


def _common_name(name: x509.Name) -> str:
    for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME):
        values = name.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return _name_text(name)


class Pkcs12Signer:
    """A key and certificate chain read from a PKCS#12 (.p12/.pfx) file."""

    def __init__(self, certificate: x509.Certificate, signer: PyhankoSigner) -> None:
        self.certificate = certificate
        self._signer = signer

    @classmethod
    def load(cls, data: bytes, passphrase: str) -> Pkcs12Signer:
        """Open ``data`` with ``passphrase``. ValueError, with a Vietnamese message, for a
        file that is not PKCS#12, a wrong passphrase, or a file without key or certificate."""
        from asn1crypto import pkcs12 as asn1_pkcs12
        from pyhanko.sign.signers import SimpleSigner

        try:
            asn1_pkcs12.Pfx.load(data).native  # noqa: B018  (parse: not PKCS#12 fails here)
        except Exception:  # noqa: BLE001
            raise ValueError("Tệp không phải chứng thư số PKCS#12 (.p12, .pfx).") from None
        secret = passphrase.encode("utf-8") if passphrase else None
        try:
            key, certificate, _others = pkcs12.load_key_and_certificates(data, secret)
        except Exception:  # noqa: BLE001
            raise ValueError("Mật khẩu chứng thư số không đúng.") from None
        if key is None or certificate is None:
            raise ValueError("Tệp chứng thư số không chứa khóa ký hoặc chứng thư.")
        try:
            signer = SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=secret)
        except ValueError:
            raise ValueError("Không dùng được khóa ký trong tệp chứng thư số.") from None
        return cls(certificate, signer)

    @property
    def common_name(self) -> str:
        return _common_name(self.certificate.subject)

    @property
    def subject(self) -> str:
        return _name_text(self.certificate.subject)

    @property
    def issuer(self) -> str:
        return _name_text(self.certificate.issuer)

    @property
    def serial(self) -> str:
        return format(self.certificate.serial_number, "X")

    @property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc

    def pyhanko_signer(self) -> PyhankoSigner:
        return self._signer


def _installed_font() -> str:
    configured = str(getattr(settings, "VANPHONG_SIGNATURE_FONT", "") or "")
    for candidate in (configured, *FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    raise RuntimeError("No font with Vietnamese glyphs found for signature stamps (fonts-liberation2).")


@functools.cache
def stamp_font() -> str:
    """The font file the stamps are set in (VANPHONG_SIGNATURE_FONT, or the first of
    FONT_CANDIDATES installed), scaled to 1000 units per em: pyHanko writes the glyph widths
    in font units, which PDF reads as thousandths of the size (a 2048-unit TrueType font
    comes out spaced twice too wide). The scaled copy is kept in the temporary folder."""
    source = Path(_installed_font())
    from fontTools.ttLib import TTFont

    font = TTFont(source, lazy=False)
    if font["head"].unitsPerEm == UNITS_PER_EM:
        return str(source)
    folder = Path(tempfile.gettempdir()) / "vanphong-fonts"
    folder.mkdir(parents=True, exist_ok=True)
    stat = source.stat()
    target = folder / f"{source.stem}-{stat.st_size}-{int(stat.st_mtime)}-{UNITS_PER_EM}-v2.ttf"
    if not target.is_file():
        from fontTools.ttLib.scaleUpem import scale_upem

        scale_upem(font, UNITS_PER_EM)
        for table in ("FFTM",):  # FontForge's timestamps: the subsetter only warns about it
            if table in font:
                del font[table]
        partial = target.with_suffix(f".{os.getpid()}.part")
        font.save(str(partial))
        partial.replace(target)
    return str(target)


def iso_vietnam(moment: dt.datetime) -> str:
    """ISO 8601 in Vietnam time, to the second: 2026-12-08T09:30:00+07:00."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def default_stamp_lines(signer: Signer, when: dt.datetime) -> list[str]:
    return [f"Ký bởi: {signer.common_name}", iso_vietnam(when)]


def _field_name(reader: Any, prefix: str) -> str:
    from pyhanko.sign.fields import enumerate_sig_fields

    existing = {name for name, _value, _ref in enumerate_sig_fields(reader)}
    number = len(existing) + 1
    while f"{prefix}{number}" in existing:
        number += 1
    return f"{prefix}{number}"


def sign_pdf(
    data: bytes,
    *,
    signer: Signer,
    placement: Placement,
    reason: str = "",
    location: str = "",
    stamp_lines: list[str] | None = None,
    tsa_url: str = "",
    field_prefix: str = PERSONAL_FIELD_PREFIX,
    border_color: tuple[float, float, float] | None = None,
    align: str = "right",
) -> bytes:
    """``data`` signed by ``signer`` (PAdES; B-T with a time-stamp from ``tsa_url``), with a
    visible box at ``placement`` showing ``stamp_lines`` (default: signer and time), as an
    incremental update: the bytes before stay as they were, and earlier signatures intact.
    A seal is signed with ``field_prefix=SEAL_FIELD_PREFIX`` (so that it is told apart).
    ``align`` (left, centre, right) places the text in the box: a person's to the right and
    the seal's to the left keep both readable where the seal overlaps the signature."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.layout import AxisAlignment, Margins, SimpleBoxLayoutRule
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import TextStampStyle

    now = dt.datetime.now(dt.UTC)
    lines = stamp_lines if stamp_lines is not None else default_stamp_lines(signer, now)
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    name = _field_name(writer.prev, field_prefix)
    box = tuple(round(v) for v in placement.box)
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason or None,
        location=location or None,
        name=signer.common_name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    font = stamp_font()
    style = TextStampStyle(
        stamp_text="\n".join(line.replace("%", "%%") for line in lines),
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(font, font_size=FONT_SIZE),
            font_size=FONT_SIZE,
            text_color=border_color or BLUE,
            # No padding inside the text box (pyHanko's default is 10 points a side, which
            # shrinks the 10-point text to fit): the stamp's own margin below is enough.
            box_layout_rule=SimpleBoxLayoutRule(
                x_align=AxisAlignment.ALIGN_MIN, y_align=AxisAlignment.ALIGN_MID, margins=Margins.uniform(0)
            ),
        ),
        border_width=1,
        border_color=border_color or BLUE,
        inner_content_layout=SimpleBoxLayoutRule(
            x_align={"left": AxisAlignment.ALIGN_MIN, "right": AxisAlignment.ALIGN_MAX}.get(
                align, AxisAlignment.ALIGN_MID
            ),
            y_align=AxisAlignment.ALIGN_MID,
            margins=Margins.uniform(3),
        ),
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=signer.pyhanko_signer(),
        timestamper=HTTPTimeStamper(tsa_url, timeout=15) if tsa_url else None,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(sig_field_name=name, on_page=placement.page, box=box),  # type: ignore[arg-type]
    )
    out = BytesIO()
    outside_event_loop(lambda: pdf_signer.sign_pdf(writer, output=out))
    return out.getvalue()


def tsa_url_from_settings() -> str:
    """VANPHONG_SIGNATURE_TSA_URL: the time-stamp authority's address; empty: no time-stamp."""
    return str(getattr(settings, "VANPHONG_SIGNATURE_TSA_URL", "") or "").strip()
