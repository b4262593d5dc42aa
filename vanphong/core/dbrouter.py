"""Reads that may go to the read replica (``DATABASE_REPLICA_URL``), and only those.

A replica lags the primary by a moment, and it refuses writes and row locks. So nothing
goes to it by default: code that only reads, and can live with a result a second old,
says so explicitly::

    with reading_from_replica():
        page = search(user, q)

Used by the search page and API and by the task reports (docs/deployment.md, "Topology").
Inside the block the ORM's reads go to the ``replica`` alias when one is configured (to
``default`` otherwise); writes always go to ``default`` — an audit entry written inside the
block included — and migrations run on ``default`` only. Access rules are best computed
before the block (``scope_for`` memoises them on the user), so that a role just revoked
on the primary is not still read from a lagging replica.

Raw SQL on ``django.db.connection`` is not routed: code that runs its own cursor and
wants the replica takes ``read_connection(Model)``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("vanphong_reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Send the ORM's reads in this block (this thread or task only) to the replica."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def replica_reads_active() -> bool:
    return _reading_from_replica.get() and replica_configured()


def read_connection(model: type[Model]) -> BaseDatabaseWrapper:
    """The connection the ORM would read ``model`` from here, for raw SQL."""
    return connections[router.db_for_read(model) or DEFAULT_DB_ALIAS]


class ReplicaRouter:
    """DATABASE_ROUTERS entry: see the module's docstring."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        # Explicitly "default" outside the block: without an answer Django would follow an
        # instance hint, so an object read from the replica would keep reading its relations
        # from there after the block.
        return REPLICA if replica_reads_active() else DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return False if db == REPLICA else None
