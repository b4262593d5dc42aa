"""Verifying the digital signatures of a PDF (pyHanko): who signed, when, whether the signed
bytes are untouched, whether the certificate chains to a configured trust root and was valid
at the signing time. Offline: no revocation list or OCSP is fetched (revocation is checked
"soft": what the file carries is used, nothing missing is held against it).

The signing time is the time-stamp authority's when the signature carries a time-stamp
(PAdES B-T), otherwise the time the signer's software wrote (which the signer could set)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings

from vanphong.core.signatures.loop import outside_event_loop

logger = logging.getLogger(__name__)

# Field names our own signing gives a seal (``sign_pdf(field_name=...)``).
SEAL_FIELD_PREFIX = "ConDau"
PERSONAL_FIELD_PREFIX = "ChuKy"

VALID = "Chữ ký hợp lệ"
VALID_LATER_SIGNED = "Chữ ký hợp lệ; tệp có thêm chữ ký sau đó"
TAMPERED = "Tệp đã bị thay đổi sau khi ký"
BAD_SIGNATURE = "Chữ ký không khớp với chứng thư số"
UNTRUSTED = "Chứng thư không thuộc tổ chức cấp tin cậy"
NO_ROOTS = "Chưa xác thực được chứng thư: chưa cấu hình tổ chức cấp chứng thư tin cậy"
EXPIRED = "Chứng thư đã hết hạn lúc ký"
NOT_YET_VALID = "Chứng thư chưa có hiệu lực lúc ký"
REVOKED = "Chứng thư đã bị thu hồi"
MODIFIED_AFTER = "Tệp bị sửa nội dung sau khi ký (phần đã ký còn nguyên)"
BAD_TIMESTAMP = "Dấu thời gian của chữ ký không hợp lệ"
UNREADABLE = "Không đọc được chữ ký số này"
UNREADABLE_FILE = "Không đọc được cấu trúc tệp PDF; chỉ kiểm tra được tính toàn vẹn"
CERT_NOT_TRUSTED = "Chưa xác thực được chứng thư"


@dataclass
class SignatureCheck:
    """What verifying one signature of a PDF found. ``valid``: intact, trusted and the
    certificate valid at the signing time, nothing but signatures added after it."""

    signer: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    valid: bool
    reason: str
    field: str = ""
    covers_whole_file: bool = True
    timestamped: bool = False
    certificate_subject: str = ""
    certificate_serial: str = ""
    is_seal: bool | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-able: the time in ISO 8601."""
        data = asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SignatureCheck:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        signed_at = known.get("signed_at")
        if isinstance(signed_at, str):
            try:
                known["signed_at"] = dt.datetime.fromisoformat(signed_at)
            except ValueError:
                known["signed_at"] = None
        for name in ("signer", "reason"):
            known.setdefault(name, "")
        for name in ("intact", "trusted", "valid"):
            known[name] = bool(known.get(name, False))
        known.setdefault("signed_at", None)
        return cls(**known)


# --- Trust roots ------------------------------------------------------------------------------

CERT_SUFFIXES = {".pem", ".crt", ".cer", ".der"}


def certificates_from_bytes(data: bytes) -> list[asn1_x509.Certificate]:
    """Every certificate of a PEM bundle, or the one of a DER file; none for anything else."""
    certificates = []
    try:
        if pem.detect(data):
            for kind, _headers, der in pem.unarmor(data, multiple=True):
                if kind == "CERTIFICATE":
                    certificates.append(asn1_x509.Certificate.load(der))
        else:
            certificate = asn1_x509.Certificate.load(data)
            certificate.native  # noqa: B018  (parse it now: a broken file fails here)
            certificates.append(certificate)
    except (ValueError, TypeError, OSError):
        logger.warning("not a certificate, ignored as a trust root")
        return []
    return certificates


def trust_roots_from_settings() -> list[bytes]:
    """The trust roots configured in VANPHONG_SIGNATURE_TRUST_ROOTS: a PEM file (one or more
    certificates) or a folder of .pem/.crt/.cer/.der files. Empty setting: no trusted root."""
    setting = str(getattr(settings, "VANPHONG_SIGNATURE_TRUST_ROOTS", "") or "").strip()
    if not setting:
        return []
    path = Path(setting)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in CERT_SUFFIXES)
    elif path.is_file():
        files = [path]
    else:
        logger.warning("VANPHONG_SIGNATURE_TRUST_ROOTS=%s does not exist", setting)
        return []
    return [p.read_bytes() for p in files]


def _roots(trust_roots: Iterable[bytes] | None) -> list[asn1_x509.Certificate]:
    return [c for data in trust_roots or () for c in certificates_from_bytes(data)]


# --- Verification ---------------------------------------------------------------------------


def _common_name(name: asn1_x509.Name) -> str:
    native = name.native
    value = native.get("common_name") or native.get("organization_name") or ""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)


def _is_seal(certificate: asn1_x509.Certificate, field: str) -> bool | None:
    """A seal: signed in a field our seal signing names, or a certificate naming an
    organisation as its holder (common name = organisation). None when it cannot be told."""
    if field.startswith(SEAL_FIELD_PREFIX):
        return True
    if field.startswith(PERSONAL_FIELD_PREFIX):
        return False
    native = certificate.subject.native
    organization = native.get("organization_name")
    if organization and organization == native.get("common_name"):
        return True
    return None


def _utc(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _timestamp_time(embedded: Any) -> dt.datetime | None:
    from pyhanko.sign.validation.generic_cms import extract_tst_data_iter

    for signed_data in extract_tst_data_iter(embedded.signer_info, signed=False):
        info = signed_data["encap_content_info"]["content"].parsed
        return _utc(info["gen_time"].native)
    return None


def chain_found(status: Any) -> bool:
    """Whether the signer's certificate chains to a trust root (expired or not)."""
    from pyhanko.sign.ades.report import AdESIndeterminate

    if status.validation_path is not None:
        return True
    return status.trust_problem_indic in (
        AdESIndeterminate.EXPIRED,
        AdESIndeterminate.NOT_YET_VALID,
        AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
        AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
    )


def expiry_problem(status: Any) -> str | None:
    from pyhanko.sign.ades.report import AdESIndeterminate

    indic = status.trust_problem_indic
    if indic is None:
        return None
    if indic == AdESIndeterminate.NOT_YET_VALID:
        return NOT_YET_VALID
    if indic in (AdESIndeterminate.EXPIRED, AdESIndeterminate.OUT_OF_BOUNDS_NO_POE):
        return EXPIRED
    return CERT_NOT_TRUSTED


def revoked(status: Any) -> bool:
    return status.revocation_details is not None


def modifications_ok(status: Any) -> bool:
    """Nothing but signatures, time-stamps and form filling added after this signature."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    if level is None:
        return bool(status.docmdp_ok)
    return level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING)


def _check(embedded: Any, roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    certificate = embedded.signer_cert
    field = str(embedded.field_name or "")
    timestamp_time = _timestamp_time(embedded)
    signed_at = timestamp_time or _utc(embedded.self_reported_timestamp)
    context = ValidationContext(
        trust_roots=roots,
        allow_fetching=False,
        revocation_mode="soft-fail",
        moment=signed_at,
        retroactive_revinfo=True,
    )
    status = outside_event_loop(lambda: validate_pdf_signature(embedded, context))
    intact = bool(status.intact)
    crypto_ok = bool(status.valid)
    validity = certificate["tbs_certificate"]["validity"]
    not_before = _utc(validity["not_before"].native)
    not_after = _utc(validity["not_after"].native)
    moment = signed_at or dt.datetime.now(dt.UTC)
    in_time = bool(not_before and not_after and not_before <= moment <= not_after)
    trusted = intact and crypto_ok and chain_found(status)
    covers_whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    timestamp = status.timestamp_validity
    timestamp_ok = timestamp is None or bool(timestamp.valid and timestamp.intact and timestamp.trusted)
    later_ok = modifications_ok(status)

    if not intact:
        reason = TAMPERED
    elif not crypto_ok:
        reason = BAD_SIGNATURE
    elif not trusted:
        reason = UNTRUSTED if roots else NO_ROOTS
    elif revoked(status):
        reason = REVOKED
    elif not in_time:
        reason = EXPIRED if not_after and moment > not_after else NOT_YET_VALID
    elif (problem := expiry_problem(status)) is not None:
        reason = problem
    elif not later_ok:
        reason = MODIFIED_AFTER
    elif not timestamp_ok:
        reason = BAD_TIMESTAMP
    else:
        reason = VALID if covers_whole_file else VALID_LATER_SIGNED
    valid = reason in (VALID, VALID_LATER_SIGNED)
    return SignatureCheck(
        signer=_common_name(certificate.subject),
        signed_at=signed_at,
        intact=intact,
        trusted=trusted,
        valid=valid,
        reason=reason,
        field=field,
        covers_whole_file=covers_whole_file,
        timestamped=timestamp_time is not None,
        certificate_subject=certificate.subject.human_friendly,
        certificate_serial=format(certificate.serial_number, "X"),
        is_seal=_is_seal(certificate, field),
    )


def _unreadable(embedded: Any) -> SignatureCheck:
    signer = ""
    field = ""
    try:
        field = str(embedded.field_name or "")
        signer = _common_name(embedded.signer_cert.subject)
    except Exception:  # noqa: BLE001  (a broken signature: whatever can be read)
        logger.debug("signature without a readable field or certificate", exc_info=True)
    return SignatureCheck(
        signer=signer,
        signed_at=None,
        intact=False,
        trusted=False,
        valid=False,
        reason=UNREADABLE,
        field=field,
    )


def verify_pdf(data: bytes, *, trust_roots: list[bytes] | None = None) -> list[SignatureCheck]:
    """Every signature of the PDF ``data``, in the order they were made, checked against
    ``trust_roots`` (PEM or DER certificates; none: no signer is trusted). Never raises: a
    file that is not a PDF, or carries no signature, answers []; a signature that cannot be
    read is a check with ``valid`` False; a file whose structure cannot be read any more
    (a changed byte can do that) is checked for integrity from its bytes alone."""
    if not isinstance(data, bytes | bytearray) or b"%PDF" not in data[:1024] or b"/ByteRange" not in data:
        return []
    data = bytes(data)
    roots = _roots(trust_roots)
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001  (any parsing failure of a hostile or damaged file)
        logger.info("PDF structure unreadable; checking the signed ranges from the bytes")
        return raw_checks(data)
    checks = []
    for embedded in signatures:
        try:
            checks.append(_check(embedded, roots))
        except Exception:  # noqa: BLE001
            logger.info("unreadable signature", exc_info=True)
            checks.append(_unreadable(embedded))
    if not checks:
        return raw_checks(data)
    return checks


# --- Integrity from the bytes alone -----------------------------------------------------------

BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")
HASHES = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}


def _raw_one(data: bytes, start1: int, length1: int, start2: int, length2: int) -> SignatureCheck | None:
    if start1 != 0 or start1 + length1 > start2 or start2 > len(data):
        return None
    contents = data[start1 + length1 : start2].strip()
    if not (contents.startswith(b"<") and contents.endswith(b">")):
        return None
    try:
        der = bytes.fromhex(contents[1:-1].decode("ascii"))
        signed_data = cms.ContentInfo.load(der.rstrip(b"\x00") or der, strict=False)["content"]
        signer_info = signed_data["signer_infos"][0]
        algorithm = signer_info["digest_algorithm"]["algorithm"].native
        expected = next(
            attr["values"][0].native
            for attr in signer_info["signed_attrs"]
            if attr["type"].native == "message_digest"
        )
        signer = ""
        for choice in signed_data["certificates"]:
            certificate = choice.chosen
            if isinstance(certificate, asn1_x509.Certificate) and not certificate.ca:
                signer = _common_name(certificate.subject)
                break
        hasher = HASHES[algorithm]()
    except Exception:  # noqa: BLE001
        return SignatureCheck(
            signer="", signed_at=None, intact=False, trusted=False, valid=False, reason=UNREADABLE
        )
    hasher.update(data[start1 : start1 + length1])
    hasher.update(data[start2 : start2 + length2])
    intact = start2 + length2 <= len(data) and hasher.digest() == expected
    return SignatureCheck(
        signer=signer,
        signed_at=None,
        intact=intact,
        trusted=False,
        valid=False,
        reason=UNREADABLE_FILE if intact else TAMPERED,
        covers_whole_file=start2 + length2 == len(data),
    )


def raw_checks(data: bytes) -> list[SignatureCheck]:
    """The signatures found by their /ByteRange in the raw bytes, each checked only for
    integrity (the digest the signer signed against the bytes it covers): for a file the
    PDF reader gives up on. Never trusted, never valid."""
    checks = []
    for match in BYTE_RANGE.finditer(data):
        found = _raw_one(data, *(int(g) for g in match.groups()))
        if found is not None:
            checks.append(found)
    return checks
