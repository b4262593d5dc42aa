"""How an organisation is named on the documents it issues: the two lines of the header
(the body above and the issuing body), the place name of the date line, and the secrecy
marks. Every module that writes an official document takes them from here."""

from __future__ import annotations

from vanphong.orgs.models import Classification, Organization, OrgKind

CLASSIFICATION_MARKS: dict[int, str] = {
    Classification.MAT: "MẬT",
    Classification.TOI_MAT: "TỐI MẬT",
    Classification.TUYET_MAT: "TUYỆT MẬT",
}


def _upper(text: str) -> str:
    return text.strip().upper()


def _strip_suffix(text: str, suffix: str) -> str:
    if suffix and text.lower().endswith(suffix.lower()) and len(text) > len(suffix):
        return text[: -len(suffix)].strip()
    return text


def _level_word(organization: Organization) -> str:
    level = organization.level if organization.level_id else None
    name = level.name if level is not None else ""
    return name.removeprefix("Cấp ").removeprefix("cấp ").strip().lower()


def _party_body(organization: Organization) -> str:
    """The Đảng bộ a top committee leads: "Đảng bộ tỉnh Lâm Đồng"."""
    level, place = _level_word(organization), organization.place_name
    return " ".join(part for part in ("Đảng bộ", level, place) if part)


def header_names(organization: Organization) -> tuple[str, str]:
    """(body above, issuing body) as the header prints them, upper case:
    Tỉnh ủy → ("ĐẢNG BỘ TỈNH LÂM ĐỒNG", "TỈNH ỦY"); Đảng ủy xã → (its province's Đảng bộ,
    "ĐẢNG ỦY XÃ AN PHÚ"); Văn phòng Tỉnh ủy → ("TỈNH ỦY LÂM ĐỒNG", "VĂN PHÒNG")."""
    parent = organization.parent if organization.parent_id else None
    hosted_parent = parent if parent is not None and parent.hosted else None
    if organization.kind == OrgKind.COMMITTEE:
        top = organization
        while top.parent_id and (up := top.parent) is not None and up.hosted and up.kind == OrgKind.COMMITTEE:
            top = up
        body = organization.name
        if top.pk == organization.pk:
            body = _strip_suffix(organization.name, organization.place_name)
        return _upper(_party_body(top)), _upper(body)
    if hosted_parent is not None:
        body = _strip_suffix(organization.name, hosted_parent.short_name)
        return _upper(hosted_parent.name), _upper(body)
    return "", _upper(organization.name)


def issued_place(organization: Organization) -> str:
    """Địa danh: the organisation's own, else that of the nearest body above it."""
    if organization.place_name:
        return organization.place_name
    above = organization.ancestors().exclude(place_name="").order_by("-depth").first()
    return above.place_name if above is not None else ""
