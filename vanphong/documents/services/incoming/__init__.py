"""The incoming flow (văn bản đến): register → present to a leader → direction (bút phê) with
assignments → processed, with the reply linked.

Every function is keyword-only, takes the acting user as ``actor``, runs in one transaction
and writes its audit entry inside it: a registration that fails leaves no document, no
entry and no consumed number behind.

Modules: ``reading`` (what the clerk typed: the symbol, the issuer, duplicates), ``register``
(validate, then write the entry under the register's lock), ``direction`` (presenting,
the leader's direction and its task, closing). Callers import the actions from here.
"""

from vanphong.documents.services.incoming.direction import (
    incoming_direct,
    incoming_mark_processed,
    incoming_present,
    may_direct,
    may_mark_processed,
)
from vanphong.documents.services.incoming.reading import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    SymbolReading,
    incoming_find_duplicate,
    issuer_choice_record,
    issuer_named,
    issuer_resolve,
    symbol_read,
)
from vanphong.documents.services.incoming.register import incoming_register, incoming_validate

__all__ = [
    "CLOSED_STATUSES",
    "OPEN_STATUSES",
    "SymbolReading",
    "incoming_direct",
    "incoming_find_duplicate",
    "incoming_mark_processed",
    "incoming_present",
    "incoming_register",
    "incoming_validate",
    "issuer_choice_record",
    "issuer_named",
    "issuer_resolve",
    "may_direct",
    "may_mark_processed",
    "symbol_read",
]
