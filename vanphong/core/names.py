"""People's names, written the Vietnamese way: family name first, given name last."""

from __future__ import annotations


def vietnamese_full_name(family: str, given: str) -> str:
    """The full name from ``family`` (family and middle names, Django's ``last_name``) and
    ``given`` (the given name, ``first_name``): ("Lê Thị Thanh", "Xuân") gives
    "Lê Thị Thanh Xuân". Either may be empty; surplus spaces are dropped."""
    return " ".join(" ".join(part.split()) for part in (family, given) if part and part.strip())
