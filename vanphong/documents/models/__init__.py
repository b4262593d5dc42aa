"""Documents and the books they enter.

A ``Document`` is one text with its symbol, type, issuer, date, subject and files. It enters
an organisation's books through a ``RegisterEntry`` in one of its ``Register``s (sổ đến, sổ
đi, sổ sao, the classified series), which carries the register number. The same document can
sit in many registers: issued by the Tỉnh ủy, received by ten Đảng ủy.

Numbering rules differ (NĐ 30: per year, secret documents in their own series; Party
committees: per document type within a term, secret documents in the same series; a congress:
one series for all types), so a register's policy is data, and numbers come from
``RegisterCounter`` rows taken under a row lock in the same transaction as the entry.

Modules: ``registers`` (terms, registers, counters), ``documents`` (the document, its entries
in the books, links between documents, readers of a classified one), ``files`` (stored files
and arrivals), ``incoming`` (directions and assignments), ``outgoing`` (the circuit, drafts,
recipients).
"""

from vanphong.documents.models.documents import (
    Document,
    DocumentLink,
    DocumentState,
    EntryStatus,
    LinkKind,
    ReaderGrant,
    RegisterEntry,
)
from vanphong.documents.models.files import (
    Arrival,
    ArrivalState,
    DocumentFile,
    ExtractionState,
    FileKind,
    StoredFile,
    arrival_file_path,
    document_file_path,
)
from vanphong.documents.models.incoming import (
    Assignment,
    AssignmentRole,
    Direction,
    IssuerChoice,
    OfficeDirectionRule,
)
from vanphong.documents.models.kinds import Style, Urgency
from vanphong.documents.models.outgoing import (
    DraftComment,
    DraftVersion,
    Recipient,
    ReviewDecision,
    ReviewKind,
    ReviewStep,
)
from vanphong.documents.models.registers import NumberReset, Register, RegisterCounter, RegisterKind, Term

__all__ = [
    "Arrival",
    "ArrivalState",
    "Assignment",
    "AssignmentRole",
    "Direction",
    "Document",
    "DocumentFile",
    "DocumentLink",
    "DocumentState",
    "DraftComment",
    "DraftVersion",
    "EntryStatus",
    "ExtractionState",
    "FileKind",
    "IssuerChoice",
    "LinkKind",
    "NumberReset",
    "OfficeDirectionRule",
    "ReaderGrant",
    "Recipient",
    "Register",
    "RegisterCounter",
    "RegisterEntry",
    "RegisterKind",
    "ReviewDecision",
    "ReviewKind",
    "ReviewStep",
    "StoredFile",
    "Style",
    "Term",
    "Urgency",
    "arrival_file_path",
    "document_file_path",
]
