"""Database settings: embedded SQLite by default, PostgreSQL when DATABASE_URL says so.

Optionally, for PostgreSQL (docs/deployment.md, "Topology"):

- a connection pool in each process (Django's native psycopg pool, ``pool_max_size`` > 0);
- settings that work behind PgBouncer in transaction pooling (``pgbouncer``);
- a read replica (``DATABASE_REPLICA_URL``), parsed the same way with ``test_mirror``:
  under the test runner it is the default database itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"
JIT_OFF = "-c jit=off"


@dataclass(frozen=True)
class Pool:
    """Django's psycopg connection pool, per process (``OPTIONS["pool"]``). Off when
    ``max_size`` is 0."""

    max_size: int = 0
    min_size: int = 2
    timeout: float = 10.0  # seconds a request waits for a free connection before failing

    @property
    def enabled(self) -> bool:
        return self.max_size > 0


def parse_database(
    url: str,
    *,
    default_sqlite: Path,
    conn_max_age: int,
    pool: Pool | None = None,
    pgbouncer: bool = False,
    test_mirror: str | None = None,
) -> dj_database_url.DBConfig:
    if not url:
        url = f"sqlite:///{default_sqlite}"
    pool = pool or Pool()
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    engine = config["ENGINE"]
    if engine == SQLITE:
        if pool.enabled or pgbouncer:
            raise ImproperlyConfigured(
                "VANPHONG_DB_POOL_MAX_SIZE and VANPHONG_DB_PGBOUNCER need PostgreSQL (DATABASE_URL=postgres://…)"
            )
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue on busy_timeout instead of failing half-way with
        # "database is locked" (numbering must never consume a number twice).
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000;"
            ),
        }
    elif engine == POSTGRESQL:
        options = config.setdefault("OPTIONS", {})
        if pgbouncer:
            # Transaction pooling hands each transaction to any server connection: a cursor
            # WITH HOLD (QuerySet.iterator()) or a prepared statement would be looked for on
            # another connection. PgBouncer also refuses the "options" start-up parameter:
            # turn JIT off on the server instead (ALTER ROLE vanphong SET jit = off).
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            options["prepare_threshold"] = None
        else:
            # PostgreSQL's JIT compiles a plan before running it; for this application's short
            # indexed queries the compiling costs more than it saves (seen: 469 ms of a 560 ms
            # dashboard query at 200,000 tasks). A DATABASE_URL ?options=… still takes precedence.
            options.setdefault("options", JIT_OFF)
        if pool.enabled:
            if pool.min_size > pool.max_size:
                raise ImproperlyConfigured(
                    f"VANPHONG_DB_POOL_MIN_SIZE ({pool.min_size}) is above VANPHONG_DB_POOL_MAX_SIZE "
                    f"({pool.max_size})"
                )
            # The pool keeps the connections: Django must hand its own back after each request
            # (CONN_MAX_AGE 0); with health checks on, Django has the pool check a connection
            # before lending it (ConnectionPool.check_connection: a restarted server).
            config["CONN_MAX_AGE"] = 0
            config["CONN_HEALTH_CHECKS"] = True
            options["pool"] = {"min_size": pool.min_size, "max_size": pool.max_size, "timeout": pool.timeout}
    else:
        raise ImproperlyConfigured(f"DATABASE_URL: only sqlite and postgres are supported, not {engine}")
    # A mirror (the replica under the test runner) is the aliased database itself: no test
    # database of its own, and what a test writes through "default" is read through it.
    config["TEST"] = {"MIRROR": test_mirror} if test_mirror else {"NAME": config.get("TEST", {}).get("NAME")}
    return config


def parse_replica(
    url: str, *, default: dj_database_url.DBConfig, conn_max_age: int, pool: Pool | None, pgbouncer: bool
) -> dj_database_url.DBConfig:
    """The read replica's settings (``DATABASE_REPLICA_URL``): PostgreSQL behind a PostgreSQL
    primary, the same pooling, and under the test runner a mirror of the default database."""
    if default["ENGINE"] != POSTGRESQL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL=postgres://…")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL: the replica is PostgreSQL (postgres://…)")
    return parse_database(
        url,
        default_sqlite=Path(),  # not used: the URL is given
        conn_max_age=conn_max_age,
        pool=pool,
        pgbouncer=pgbouncer,
        test_mirror="default",
    )
