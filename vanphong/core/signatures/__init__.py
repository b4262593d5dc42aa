"""Digital signatures of PDFs (pyHanko): signing with a key behind ``Signer`` (PKCS#12 now,
a PKCS#11 token later), placing the visible signature by the layout rules, and verifying
every signature of a file against the configured trust roots."""

from vanphong.core.signatures.checks import (
    SEAL_FIELD_PREFIX,
    SignatureCheck,
    trust_roots_from_settings,
    verify_pdf,
)
from vanphong.core.signatures.placement import (
    placement_for_seal,
    placement_for_signer,
    placement_top_right_first_page,
)
from vanphong.core.signatures.signing import (
    Pkcs12Signer,
    Placement,
    Signer,
    iso_vietnam,
    sign_pdf,
    tsa_url_from_settings,
)

__all__ = [
    "SEAL_FIELD_PREFIX",
    "Pkcs12Signer",
    "Placement",
    "SignatureCheck",
    "Signer",
    "iso_vietnam",
    "placement_for_seal",
    "placement_for_signer",
    "placement_top_right_first_page",
    "sign_pdf",
    "trust_roots_from_settings",
    "tsa_url_from_settings",
    "verify_pdf",
]
