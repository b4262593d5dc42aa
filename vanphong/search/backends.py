"""The two full-text backends behind one interface, chosen by the database vendor.

Both index the same folded text (``SearchEntry.head`` and ``.body``, written by
``services.entry_values``) and receive the same folded query terms, so matching with or
without diacritics is identical on both; only the index structure and the ranking function
differ:

* SQLite: an FTS5 table ``search_fts`` with external content (the SearchEntry table, rowid =
  SearchEntry id), kept in sync by triggers on that table, so that every write path — the
  indexing service, ``bulk_create`` of the demo data and the reindex command — updates it in
  the same transaction without having to remember to. Ranked by ``bm25()`` with the head
  (symbol, subject, issuer, signer) weighted 10 to 1 over the body (extracted text).
* PostgreSQL: a stored generated ``tsvector`` column ``search_vector`` (head with weight A,
  body with weight B, the 'simple' configuration: no stemming, no stop words) with a GIN
  index, matched with ``to_tsquery('simple', ...)`` and ranked by ``ts_rank_cd``.

A hits query returns ``(id, rank)`` rows where a lower rank is better on both vendors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "search_searchentry"

_SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
        head, body, content='search_searchentry', content_rowid='id',
        tokenize="unicode61 remove_diacritics 2")""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, head, body) VALUES (new.id, new.head, new.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, head, body) VALUES ('delete', old.id, old.head, old.body);
    END""",
    """CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE OF head, body ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, head, body) VALUES ('delete', old.id, old.head, old.body);
        INSERT INTO search_fts(rowid, head, body) VALUES (new.id, new.head, new.body);
    END""",
]
_SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]

_POSTGRES_INSTALL = [
    """ALTER TABLE search_searchentry ADD COLUMN IF NOT EXISTS search_vector tsvector
        GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, head), 'A')
            || setweight(to_tsvector('simple'::regconfig, body), 'B')
        ) STORED""",
    "CREATE INDEX IF NOT EXISTS search_entry_vector ON search_searchentry USING gin (search_vector)",
]
_POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]


@dataclass(frozen=True)
class Backend:
    vendor: str

    def install_statements(self) -> list[str]:
        return _SQLITE_INSTALL if self.vendor == "sqlite" else _POSTGRES_INSTALL

    def uninstall_statements(self) -> list[str]:
        return _SQLITE_UNINSTALL if self.vendor == "sqlite" else _POSTGRES_UNINSTALL

    def match_expression(self, terms: list[str], *, prefix_last: bool) -> str:
        """The query in the backend's syntax: every term must occur; the last one may be the
        beginning of a word still being typed. Terms are folded letters and digits only
        (``textfold.fold_query``), so quoting needs no escaping."""
        if self.vendor == "sqlite":
            parts = [f'"{t}"' for t in terms]
            if prefix_last:
                parts[-1] += "*"
            return " ".join(parts)
        parts = [f"'{t}'" for t in terms]
        if prefix_last:
            parts[-1] += ":*"
        return " & ".join(parts)

    def hits_sql(self) -> str:
        """SQL answering ``(id, rank)`` for every entry matching the one parameter (a match
        expression); lower rank is better."""
        if self.vendor == "sqlite":
            return (
                "SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS rank "
                "FROM search_fts WHERE search_fts MATCH %s"
            )
        return (
            "SELECT e.id AS id, -ts_rank_cd('{0.1, 0.2, 0.4, 1.0}', e.search_vector, q.q) AS rank "
            "FROM search_searchentry e, to_tsquery('simple', %s) AS q(q) WHERE e.search_vector @@ q.q"
        )

    def matches_sql(self) -> str:
        """SQL answering ``id`` for every entry matching the one parameter, unranked: what a
        count needs, read straight from the index (no rank computed)."""
        if self.vendor == "sqlite":
            return "SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s"
        return "SELECT e.id AS id FROM search_searchentry e WHERE e.search_vector @@ to_tsquery('simple', %s)"

    def best_sql(self) -> str:
        """``hits_sql`` cut to the best ones: two parameters, the match expression and how
        many. Ordered by (rank, id), so that the best K are a well-defined set even where
        ranks tie."""
        return f"{self.hits_sql()} ORDER BY 2, 1 LIMIT %s"

    def among(self, subquery_sql: str, alias: str = "h") -> str:
        """A condition keeping the hits rows ``alias`` whose id is in ``subquery_sql``,
        tested on each hit against a set built ONCE:

        * SQLite: written ``+h.id``, because a bare ``rowid IN (...)`` is handed to FTS5 as a
          rowid constraint and FTS5 then runs the whole MATCH once per listed id (seconds
          for a few thousand ids); the unary plus keeps it a test on each hit, against an
          index SQLite builds from the subquery once.
        * PostgreSQL: wrapped in ``IS TRUE``, which keeps the planner from turning it into
          a join. It misjudges how many documents match several words (it multiplies their
          frequencies, but "nghị quyết số 57" come together), and from "one hit" it would
          choose a nested loop that re-runs the subquery for every hit (minutes at a
          million documents). As a hashed subplan it is run once and probed per hit.
        """
        if self.vendor == "sqlite":
            return f"+{alias}.id IN ({subquery_sql})"
        return f"({alias}.id IN ({subquery_sql})) IS TRUE"

    def among_ids(self, count: int, alias: str = "h") -> str:
        """A condition keeping the hits rows whose id is one of ``count`` ``%s`` parameters:
        on PostgreSQL looked up by primary key, on SQLite tested on each hit (see ``among``)."""
        marks = ", ".join(["%s"] * count)
        return f"+{alias}.id IN ({marks})" if self.vendor == "sqlite" else f"{alias}.id IN ({marks})"

    def fence(self) -> str:
        """What ends a correlated subquery that must be run for each row it is asked about,
        not turned into a join: PostgreSQL rewrites ``EXISTS (...)`` into a semi-join, or a
        hashed set, that evaluates the access rule for EVERY document first — hundreds of
        milliseconds when only a few hundred hits need the check. ``OFFSET 0`` forbids the
        rewrite; SQLite never does it (and rejects OFFSET without LIMIT)."""
        return " OFFSET 0" if self.vendor == "postgresql" else ""

    def install(self, connection: BaseDatabaseWrapper) -> None:
        with connection.cursor() as cursor:
            for statement in self.install_statements():
                cursor.execute(statement)

    @contextmanager
    def bulk_loading(self, connection: BaseDatabaseWrapper) -> Iterator[None]:
        """For a bulk load of SearchEntry rows: the full-text index is not kept up to date
        row by row (SQLite: the triggers are dropped; PostgreSQL: the GIN index is dropped)
        but built once, in one pass, when the block ends — which is several times faster
        for hundreds of thousands of rows. Must run inside a transaction: the drop and the
        rebuild commit with the rows, and if the load fails, the rollback brings the triggers
        or the index back as they were. Other writers to the table wait for the load (PG
        takes an exclusive lock on it; SQLite has one writer anyway)."""
        if not connection.in_atomic_block:
            raise RuntimeError("bulk_loading() needs a transaction (transaction.atomic()).")
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                for statement in _SQLITE_UNINSTALL[:3]:  # the triggers, not the table
                    cursor.execute(statement)
            else:
                cursor.execute(_POSTGRES_UNINSTALL[0])  # the GIN index
        yield
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                for statement in _SQLITE_INSTALL[1:]:
                    cursor.execute(statement)
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
            else:
                # PostgreSQL builds no index on a table with deferred (foreign key) checks
                # pending: run them now.
                connection.check_constraints()
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                cursor.execute(_POSTGRES_INSTALL[1])

    def rebuild(self, connection: BaseDatabaseWrapper) -> None:
        """Rebuild the full-text index from the SearchEntry table (SQLite; PostgreSQL's
        generated column needs nothing)."""
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def backend_for(connection: BaseDatabaseWrapper | None = None) -> Backend:
    vendor = (connection or connections["default"]).vendor
    if vendor not in ("sqlite", "postgresql"):
        raise RuntimeError(f"Tra cứu toàn văn chỉ hỗ trợ SQLite và PostgreSQL, không hỗ trợ {vendor}.")
    return Backend(vendor)


def install_after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    if connection.vendor not in ("sqlite", "postgresql"):
        return
    if TABLE not in connection.introspection.table_names():
        return
    backend_for(connection).install(connection)
