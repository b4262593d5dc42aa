"""What the clerk typed: the symbol read as it is typed, the issuer found from its
abbreviation, a document already in the books; and the statuses an entry goes through."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vanphong.core.textfold import fold
from vanphong.documents.models import (
    Document,
    EntryStatus,
    RegisterEntry,
    RegisterKind,
)
from vanphong.documents.symbols import ParsedSymbol, parse_symbol
from vanphong.orgs.models import Organization

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


def issuer_resolve(*, abbreviation: str | None, organization: Organization) -> Organization | None:
    """The organisation a symbol's issuing-body code names, seen from the receiving one.

    Abbreviations repeat (every commune committee is "ĐU"), so: an ancestor of the receiver
    (or the receiver itself) carrying the code wins; "TW" is the centre (the root); then the
    one organisation outside the system with that code; then the only organisation at all
    with it. Anything still ambiguous answers None and the clerk's name for it is kept.
    """
    if not abbreviation:
        return None
    candidates = list(
        Organization.objects.filter(abbreviation=abbreviation, active=True).only(
            "pk", "name", "short_name", "abbreviation", "path", "parent_id", "hosted"
        )
    )
    if not candidates:
        return None
    lineage = [c for c in candidates if organization.path.startswith(c.path)]
    if len(lineage) == 1:
        return lineage[0]
    if lineage:  # the nearest one
        return max(lineage, key=lambda c: len(c.path))
    if abbreviation == "TW":
        roots = [c for c in candidates if c.parent_id is None]
        if len(roots) == 1:
            return roots[0]
    external = [c for c in candidates if not c.hosted]
    if len(external) == 1:
        return external[0]
    if len(candidates) == 1:
        return candidates[0]
    return None


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
    candidates = list(candidates[:20])
    ids = {c.document.issuer_id for c in candidates if c.document.issuer_id}
    names = {
        pk: (name, short)
        for pk, name, short in Organization.objects.filter(pk__in=ids).values_list("pk", "name", "short_name")
    }
    for candidate in candidates:
        if _same_issuer(candidate.document, issuer, issuer_name.strip(), names):
            return candidate
    return None
