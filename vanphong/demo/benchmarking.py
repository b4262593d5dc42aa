"""What the benchmark commands (``vanphong bench``, ``vanphong bench-tasks``) share:
percentiles of timings, and a throwaway PostgreSQL database on the local server."""

from __future__ import annotations

import socket
import statistics
from urllib.parse import urlsplit, urlunsplit


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def stats(values: list[float]) -> dict[str, float]:
    """Median and 95th percentile, in milliseconds, of timings in seconds."""
    return {
        "median_ms": round(statistics.median(values) * 1000, 2),
        "p95_ms": round(percentile(values, 0.95) * 1000, 2),
    }


def postgres_reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1):
            return True
    except OSError:
        return False


def admin_url(url: str) -> tuple[str, str]:
    """The URL of the server's "postgres" database, and the bench database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    return urlunsplit(parts._replace(path="/postgres")), name


def postgres_database(url: str, *, create: bool) -> None:
    """Create (``create``) or drop the database ``url`` names, if needed."""
    import psycopg
    from psycopg import sql

    admin, name = admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if create and not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        elif not create and exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
