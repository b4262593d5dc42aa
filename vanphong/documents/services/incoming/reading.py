"""What the clerk typed: the symbol read as it is typed, the issuer found from its
abbreviation, a document already in the books; and the statuses an entry goes through."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from vanphong.core.textfold import fold
from vanphong.documents.models import (
    Document,
    EntryStatus,
    IssuerChoice,
    RegisterEntry,
    RegisterKind,
)
from vanphong.documents.symbols import ParsedSymbol, parse_symbol
from vanphong.orgs.models import Organization
from vanphong.orgs.national import POLITBURO, SECRETARIAT

# Statuses in which an entry still waits for someone: the clerk (registered), the leader
# (presented), the assignees (directed, processing).
OPEN_STATUSES = (
    EntryStatus.REGISTERED,
    EntryStatus.PRESENTED,
    EntryStatus.DIRECTED,
    EntryStatus.PROCESSING,
)
CLOSED_STATUSES = (EntryStatus.DONE, EntryStatus.FILED)


# --- Reading what the clerk typed ----------------------------------------------------------------


@dataclass(frozen=True)
class SymbolReading:
    """What a typed symbol says, for the registration form and the API's ``parsed``."""

    typed: str
    parsed: ParsedSymbol | None

    @property
    def symbol(self) -> str:
        """The symbol as stored: the canonical form when it parses, else as typed (trimmed)."""
        return self.parsed.normalized if self.parsed else " ".join(self.typed.split())

    @property
    def warning(self) -> str:
        if self.parsed or not self.typed.strip():
            return ""
        return _(
            "Không đọc được số, ký hiệu “%(symbol)s” theo thể thức văn bản của Đảng (15-NQ/TU) hay "
            "văn bản nhà nước (15/QĐ-UBND). Văn bản vẫn được vào sổ với ký hiệu như đã nhập; "
            "hãy kiểm tra lại nếu gõ nhầm."
        ) % {"symbol": self.typed.strip()}

    def as_dict(self) -> dict[str, Any] | None:
        if self.parsed is None:
            return None
        return {
            "number": self.parsed.number,
            "doc_type": self.parsed.effective_doc_type,
            "issuer_abbreviation": self.parsed.issuer_abbreviation,
            "style": self.parsed.style,
        }


def symbol_read(symbol: str) -> SymbolReading:
    return SymbolReading(typed=symbol or "", parsed=parse_symbol(symbol) if symbol else None)


# Which of the three bodies that all sign "/TW" (FACTS §2.3) the reader proposes for a type;
# the clerk may change it, and the change is remembered (``IssuerChoice``). QĐ: 399-QĐ/TW
# and 27-QĐ/TW are the Ban Bí thư's (FACTS §0, §2.6); CT and HD/TW (guidance on the Party
# Statute) are mostly the Ban Bí thư's; NQ, KL and QĐi mostly the Bộ Chính trị's (57-NQ/TW,
# 11-QĐi/TW). Any other type: the Ban Chấp hành Trung ương, as the root of the tree.
TW_PROPOSALS: dict[str, str] = {
    "NQ": POLITBURO,
    "KL": POLITBURO,
    "QĐi": POLITBURO,
    "QĐ": SECRETARIAT,
    "CT": SECRETARIAT,
    "HD": SECRETARIAT,
}
# Suffixes for which the clerk's choice is remembered: those naming several bodies at once.
REMEMBERED_SUFFIXES = frozenset({"TW"})

# The National Assembly and its Standing Committee print their term: "117/2025/QH15".
_TERM_RE = re.compile(r"^(QH|UBTVQH)\d{1,2}$")


def issuer_code(abbreviation: str) -> str:
    """The body's code in a symbol's issuer group, without a term number: "QH15" → "QH"."""
    match = _TERM_RE.match(abbreviation)
    return match.group(1) if match else abbreviation


def _by_place(candidates: list[Organization], organization: Organization) -> Organization | None:
    """Among several external bodies with one code (the 34 provinces' "UBND"), the one of
    the receiver's place: the place of the receiver or of one of its superiors."""
    step = Organization.PATH_STEP + 1
    prefixes = [organization.path[: i + step] for i in range(0, len(organization.path), step)]
    places = set(
        Organization.objects.filter(path__in=prefixes)
        .exclude(place_name="")
        .values_list("place_name", flat=True)
    )
    local = [c for c in candidates if c.place_name and c.place_name in places]
    return local[0] if len(local) == 1 else None


def issuer_resolve(
    *, abbreviation: str | None, organization: Organization, doc_type: str | None = None
) -> Organization | None:
    """The organisation a symbol's issuing-body code names, seen from the receiving one.

    Abbreviations repeat (every commune committee is "ĐU", three central bodies sign
    "TW"), so: for "TW", the body this office chose last for the type, else the one
    ``TW_PROPOSALS`` gives; an ancestor of the receiver (or the receiver itself) carrying the
    code wins; "TW" is the centre (the root); then the one organisation outside the system
    with that code, or among several the one of the receiver's place; then the only
    organisation at all with it. Anything still ambiguous answers None and the clerk's name
    for it is kept. One indexed query (a second only for an external code several bodies share).
    """
    if not abbreviation:
        return None
    code = issuer_code(abbreviation)
    rows = Organization.objects.filter(abbreviation=code, active=True).only(
        "pk", "name", "short_name", "abbreviation", "path", "parent_id", "hosted", "place_name"
    )
    if code in REMEMBERED_SUFFIXES:
        rows = rows.annotate(
            chosen=Exists(
                IssuerChoice.objects.filter(
                    organization=organization, suffix=code, doc_type=doc_type or "", issuer=OuterRef("pk")
                )
            )
        )
    candidates = list(rows)
    if not candidates:
        return None
    if code in REMEMBERED_SUFFIXES:
        remembered = [c for c in candidates if c.chosen]  # type: ignore[attr-defined]
        if remembered:
            return remembered[0]
    if code == "TW" and doc_type in TW_PROPOSALS:
        wanted = fold(TW_PROPOSALS[doc_type])
        proposed = [c for c in candidates if wanted in {fold(c.name), fold(c.short_name)}]
        if len(proposed) == 1:
            return proposed[0]
    lineage = [c for c in candidates if organization.path.startswith(c.path)]
    if len(lineage) == 1:
        return lineage[0]
    if lineage:  # the nearest one
        return max(lineage, key=lambda c: len(c.path))
    if code == "TW":
        roots = [c for c in candidates if c.parent_id is None]
        if len(roots) == 1:
            return roots[0]
    external = [c for c in candidates if not c.hosted]
    if len(external) == 1:
        return external[0]
    if len(external) > 1 and (local := _by_place(external, organization)) is not None:
        return local
    if len(candidates) == 1:
        return candidates[0]
    return None


def issuer_named(*, abbreviation: str | None, name: str) -> Organization | None:
    """The body a symbol's code can name that the clerk named (name, short name or code,
    ignoring case and marks): "Ban Bí thư" typed over the proposed "Bộ Chính trị" for "/TW"."""
    if not abbreviation or not name.strip():
        return None
    wanted = fold(name)
    matches = [
        o
        for o in Organization.objects.filter(abbreviation=issuer_code(abbreviation), active=True).only(
            "pk", "name", "short_name", "abbreviation", "hosted"
        )
        if wanted in {fold(o.name), fold(o.short_name)}
    ]
    return matches[0] if len(matches) == 1 else None


def issuer_choice_record(
    *, organization: Organization, parsed: ParsedSymbol | None, issuer: Organization | None
) -> None:
    """Remember which body the clerk registered a "/TW" document under, for its type."""
    if parsed is None or issuer is None or not parsed.issuer_abbreviation:
        return
    code = issuer_code(parsed.issuer_abbreviation)
    if code not in REMEMBERED_SUFFIXES or issuer.abbreviation != code:
        return
    IssuerChoice.objects.update_or_create(
        organization=organization,
        suffix=code,
        doc_type=parsed.effective_doc_type or "",
        defaults={"issuer": issuer},
    )


def _names(*names: str) -> set[str]:
    return {fold(n) for n in names if n and n.strip()}


def _same_issuer(
    document: Document, issuer: Organization | None, issuer_name: str, org_names: dict[int, tuple[str, str]]
) -> bool:
    """Same organisation when both name one; otherwise the same name, ignoring case and diacritics."""
    if issuer is not None and document.issuer_id is not None:
        return document.issuer_id == issuer.pk
    mine = _names(issuer.name, issuer.short_name) if issuer is not None else _names(issuer_name)
    theirs = _names(document.issuer_name, *org_names.get(document.issuer_id or 0, ()))
    return bool(mine & theirs)


def incoming_find_duplicate(
    *,
    organization: Organization,
    symbol: str,
    issued_date: dt.date | None,
    issuer: Organization | None = None,
    issuer_name: str = "",
    exclude_entry: RegisterEntry | None = None,
) -> RegisterEntry | None:
    """The earliest incoming entry of ``organization`` for a document with the same issuer
    (the same organisation, or the same name ignoring case and diacritics), the same
    normalised symbol and the same date; None when there is none or the facts are incomplete."""
    reading = symbol_read(symbol)
    if not reading.symbol or issued_date is None:
        return None
    if issuer is None and not issuer_name.strip():
        issuer = issuer_resolve(
            abbreviation=reading.parsed.issuer_abbreviation if reading.parsed else None,
            organization=organization,
            doc_type=reading.parsed.effective_doc_type if reading.parsed else None,
        )
        if issuer is None:
            return None
    candidates = (
        RegisterEntry.objects.filter(
            organization=organization,
            register__kind=RegisterKind.INCOMING,
            document__symbol=reading.symbol,
            document__issued_date=issued_date,
        )
        .select_related("document", "register")
        .defer("document__subject", "document__recipients_text")
        .order_by("registered_at", "pk")
    )
    if exclude_entry is not None:
        candidates = candidates.exclude(pk=exclude_entry.pk)
    found = list(candidates[:20])
    ids = {c.document.issuer_id for c in found if c.document.issuer_id}
    names = {
        pk: (name, short)
        for pk, name, short in Organization.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")
    }
    for candidate in found:
        if _same_issuer(candidate.document, issuer, issuer_name.strip(), names):
            return candidate
    return None
