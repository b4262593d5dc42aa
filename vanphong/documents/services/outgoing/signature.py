"""Signing authority and the signature block (FACTS §1.4, §1.5.4, §2.3)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from vanphong.documents.models import (
    Document,
    Style,
)
from vanphong.orgs.models import (
    Organization,
    OrgKind,
    Person,
    RoleAssignment,
)

# --- Signing authority and the signature block (FACTS §1.4, §1.5.4, §2.3) ----------------------


@dataclass(frozen=True)
class Authority:
    code: str
    label: str  # Vietnamese meaning, for forms
    party: str  # prefix as the Party writes it (with a slash)
    state: str  # prefix as NĐ 30 writes it (with a dot)
    over: str  # what the prefix stands before: "collective" or "head"


# T/M signs on behalf of a collective; K/T for the head (a deputy); T/L by order (the Chánh
# Văn phòng for the Standing Committee); TUQ by written authorisation; Q. acting head.
AUTHORITIES: dict[str, Authority] = {
    a.code: a
    for a in (
        Authority("TM", "Thay mặt tập thể (T/M)", "T/M", "TM.", "collective"),
        Authority("KT", "Ký thay người đứng đầu (K/T)", "K/T", "KT.", "head"),
        Authority("TL", "Thừa lệnh (T/L)", "T/L", "TL.", "collective"),
        Authority("TUQ", "Thừa ủy quyền (TUQ)", "TUQ.", "TUQ.", "head"),
        Authority("Q", "Quyền người đứng đầu (Q.)", "Q.", "Q.", "head"),
    )
}
AUTHORITY_CHOICES = [("", "Người đứng đầu ký trực tiếp"), *((a.code, a.label) for a in AUTHORITIES.values())]

# The collective a committee's documents are signed for, and the head of each kind of body.
# Agencies (Văn phòng, Ban...) have no fixed head title: it is read from the deputy's title.
COLLECTIVE_BY_KIND: dict[str, str] = {OrgKind.COMMITTEE: "Ban Thường vụ"}
HEAD_TITLE_BY_KIND: dict[str, str] = {
    OrgKind.COMMITTEE: "Bí thư",
    OrgKind.STATE: "Chủ tịch",
    OrgKind.FRONT: "Chủ tịch",
}
_DEPUTY = "phó "
_TITLE_QUALIFIERS = (" thường trực",)
# The name of a body at the end of a title ("Bí thư Tỉnh ủy", "Chánh Văn phòng Tỉnh ủy",
# "Chủ tịch UBND tỉnh Lâm Đồng"): under T/M, K/T or T/L the authority line names the body, so
# the title is printed without it ("BÍ THƯ", "CHÁNH VĂN PHÒNG").
_BODY_IN_TITLE = re.compile(
    r"\s+(?:tỉnh ủy|thành ủy|huyện ủy|quận ủy|thị ủy|đảng ủy|chi ủy|đảng đoàn|ban cán sự đảng"
    r"|đảng bộ|ban thường vụ|ban chấp hành|ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd)\b[^,]*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SignatureBlock:
    authority: str  # "T/M BAN THƯỜNG VỤ", "K/T BÍ THƯ" or ""
    title: str  # "BÍ THƯ", "PHÓ BÍ THƯ" or ""
    name: str

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.authority, self.title) if line]


def bare_title(title: str) -> str:
    """The title without the name of its body: "Bí thư Tỉnh ủy" → "Bí thư", "Chánh Văn phòng
    Tỉnh ủy" → "Chánh Văn phòng", "Phó Chủ tịch UBND tỉnh Lâm Đồng" → "Phó Chủ tịch". A title
    that is only a body's name is kept as it is; of several offices, the last is the one
    signed in."""
    text = " ".join(unicodedata.normalize("NFC", title).split())
    # Several offices ("Ủy viên Ban Thường vụ Tỉnh ủy, Chánh Văn phòng Tỉnh ủy"): the one
    # signed in is the last.
    text = text.rsplit(",", 1)[-1].strip()
    # The older accent place, same length.
    folded = text.replace("uỷ", "ủy").replace("Uỷ", "Ủy").replace("UỶ", "ỦY")
    match = _BODY_IN_TITLE.search(folded)
    if match is not None and match.start() > 0:
        text = text[: match.start()]
    return text.strip()


def _head_title(organization: Organization, signer_title: str) -> str:
    title = bare_title(signer_title)
    if title.lower().startswith(_DEPUTY):
        head = title[len(_DEPUTY) :]
        for qualifier in _TITLE_QUALIFIERS:
            if head.lower().endswith(qualifier):
                head = head[: -len(qualifier)]
        return head.strip()
    return HEAD_TITLE_BY_KIND.get(organization.kind, "") or title


def _collective(organization: Organization) -> str:
    return COLLECTIVE_BY_KIND.get(organization.kind, organization.short_name or organization.name)


def signature_block(document: Document) -> SignatureBlock:
    """The lines above the signature: authority prefix and what it stands for, then the
    signer's title, then the name — "T/M BAN THƯỜNG VỤ / BÍ THƯ / Nguyễn Văn A",
    "K/T BÍ THƯ / PHÓ BÍ THƯ / ...", "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG / ..." (state style)."""
    organization = document.organization
    title = document.signer_position.strip()
    authority = AUTHORITIES.get(document.signing_authority)
    line = ""
    if authority is not None:
        prefix = authority.party if document.style == Style.PARTY else authority.state
        if authority.over == "collective":
            target = _collective(organization)
        else:
            target = _head_title(organization, title)
        line = f"{prefix} {target.upper()}".strip()
        title = bare_title(title)
        if authority.code == "Q":  # "Q. CHỦ TỊCH" already is the title
            title = ""
    return SignatureBlock(authority=line, title=title.upper(), name=document.signer_name)


def signer_title(signer: Person, organization: Organization) -> str:
    """The signer's title for this organisation: the title of a current role held in it (or
    in a committee above it), else their position."""
    candidates = [organization.pk, *organization.ancestors().values_list("pk", flat=True)]
    roles = (
        RoleAssignment.objects.current()
        .filter(person=signer, organization_id__in=candidates)
        .exclude(title="")
        .select_related("organization")
    )
    best = max(roles, key=lambda r: r.organization.depth, default=None)
    if best is not None:
        return best.title
    return signer.position.name if signer.position is not None else ""


def suggest_authority(organization: Organization, signer: Person) -> str:
    """The usual authority for this signer: a committee's documents are signed on behalf of
    the Standing Committee (T/M); a deputy in an agency signs for the head (K/T); someone
    signing a committee's document from one of its agencies (the Chánh Văn phòng) signs by
    order (T/L); the head of an agency signs in their own name."""
    title = signer_title(signer, organization)
    holds_role_here = (
        RoleAssignment.objects.current().filter(person=signer, organization=organization).exists()
    )
    if organization.kind == OrgKind.COMMITTEE:
        if signer.organization_id != organization.pk and not holds_role_here:
            return "TL"
        return "TM"
    if title.lower().startswith(_DEPUTY):
        return "KT"
    return ""
