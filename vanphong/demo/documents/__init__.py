"""Demo documents: a year of a province's correspondence, up to the day before the seed.

Each hosted Party committee receives documents (from the Centre, the provincial People's
Committee, the Front, the police, its own subordinate committees) and issues its own
(Nghị quyết, Kết luận, Chương trình, Kế hoạch, Thông báo, Báo cáo, Công văn ...), with
Vietnamese subjects built from templates, references to real central documents (which are
themselves registered, so the links resolve), some classified, some urgent, and the leader's
direction on part of the incoming ones.

A bulk load (``--scale 1000`` reaches a million documents: about two minutes on SQLite,
two and a half on PostgreSQL): rows go straight into the tables in batches (``Rows``: COPY on PostgreSQL,
executemany on SQLite, no model instances), all in ONE transaction — the whole year or
nothing. Register numbers are counted here exactly as ``numbering.take_number`` would (same
``series_for``), in date order, going on from any counter already there, and each
``RegisterCounter`` ends on the last number given — no number repeats or is skipped. The
search entries are computed in the same batches (the same ``search.services`` functions as
the indexer, folding each repeated subject, name and sentence once), and the full-text index
over them is built once at the end (``Backend.bulk_loading``) instead of row by row.
Deterministic: the same scale gives the same documents.

Modules: ``plans`` (what the year holds), ``rows`` (writing it in batches), ``seed``.
"""

from vanphong.demo.documents.plans import (
    BATCH,
    CENTRAL,
    DAYS,
    PAGE_DAYS,
    PROVINCE_IN,
    PROVINCE_OUT,
    QUARTERS,
    RECENT_DAYS,
    SEED_ACTOR,
    SUBORDINATE_IN,
    SUBORDINATE_OUT,
    TERM_STARTS,
    TOPICS,
    Central,
    Plan,
    Year,
)
from vanphong.demo.documents.seed import seed_documents, summary

__all__ = [
    "BATCH",
    "CENTRAL",
    "Central",
    "DAYS",
    "PAGE_DAYS",
    "PROVINCE_IN",
    "PROVINCE_OUT",
    "Plan",
    "QUARTERS",
    "RECENT_DAYS",
    "SEED_ACTOR",
    "SUBORDINATE_IN",
    "SUBORDINATE_OUT",
    "TERM_STARTS",
    "TOPICS",
    "Year",
    "seed_documents",
    "summary",
]
