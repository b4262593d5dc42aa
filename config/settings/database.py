"""Database settings: embedded SQLite by default, PostgreSQL when DATABASE_URL says so."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def parse_database(url: str, *, default_sqlite: Path, conn_max_age: int) -> dj_database_url.DBConfig:
    if not url:
        url = f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=conn_max_age > 0)
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
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
    elif engine == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        # PostgreSQL's JIT compiles a plan before running it; for this application's short
        # indexed queries the compiling costs more than it saves (seen: 469 ms of a 560 ms
        # dashboard query at 200,000 tasks). A DATABASE_URL ?options=… still takes precedence.
        options.setdefault("options", "-c jit=off")
    else:
        raise ImproperlyConfigured(f"DATABASE_URL: only sqlite and postgres are supported, not {engine}")
    config["TEST"] = {"NAME": config.get("TEST", {}).get("NAME")}
    return config
