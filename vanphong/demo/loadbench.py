"""``vanphong bench-load``: the running system as its users meet it (the logic; the command
is ``management/commands/bench_load.py``).

A PostgreSQL dataset built by ``vanphong seed-demo --scale N`` and kept between runs (one
database per scale and seed, with a marker table written last), served the production way
(gunicorn ``config.wsgi``, DEBUG off, Redis, HTTPS behind a proxy: see docs/deployment.md),
driven over loopback by ``wrk`` at a few concurrencies, each endpoint compared with the bare
SQL that answers the same question, timed in the same run.

What can be tested without a server lives here as pure functions: the dataset's name and
whether to reuse it, the endpoints, the wrk Lua script and the parsing of its output, the
targets' verdicts and the Markdown report. Ratios against the bare database query and
medians make figures from a shared, noisy machine comparable.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/12"  # a spare database: emptied before each run
DATASET_PREFIX = "vanphong_load_"
PASSWORD = "Do-Tai-2026-vanphong"  # every demo account of a load dataset (passes the validators)
MARKER_TABLE = "bench_load_marker"
WRK_MARK = "WRK_JSON "
SQL_REPEAT = 20
LIST_PAGE = 50  # the API's default page size
SEARCH_PAGE = 20
SEARCH_CAP = 1000  # VANPHONG_SEARCH_COUNT_CAP
LIST_CAP = 1000  # VANPHONG_LIST_COUNT_CAP: the lists count this many rows and one more, then stop
COMMON_TERM = "nghi quyet"
FALLBACK_RARE_TERM = "sat lo dat"
PREFERRED_COMMUNE = "phuquy"

# The targets of the issue. "Users" = the largest concurrency of the run (50 by default).
TARGET_P95_MS = 100.0
TARGET_RATIO = 1.5
TARGET_LIST_RPS = 150.0
TARGET_RSS_MB = 250.0


# --- The dataset ------------------------------------------------------------------------------


def dataset_name(scale: int, seed: int) -> str:
    return f"{DATASET_PREFIX}s{scale}_r{seed}"


def dataset_url(scale: int, seed: int, server: str | None = None) -> str:
    """The dataset's database on ``server`` (a PostgreSQL URL; its database name is replaced)."""
    parts = urlsplit(server or DEFAULT_SERVER)
    return urlunsplit(parts._replace(path=f"/{dataset_name(scale, seed)}"))


def database_of(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def safe_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return urlunsplit(parts)


def data_dir(base_dir: Path, url: str) -> Path:
    """VANPHONG_DATA_DIR of a dataset (its files, audit key, collected static files)."""
    return base_dir / "var" / "bench-load" / database_of(url)


def dataset_action(*, exists: bool, marker: dict[str, Any] | None, scale: int, seed: int) -> str:
    """What to do with the dataset's database: ``create`` it, ``reuse`` it (the marker says a
    seed of this scale and seed finished), ``rebuild`` it (there but unfinished: a seed cut
    off), or refuse (``mismatch``: it holds another dataset)."""
    if not exists:
        return "create"
    if marker is None:
        return "rebuild"
    if marker.get("scale") == scale and marker.get("seed") == seed and marker.get("finished_at"):
        return "reuse"
    return "mismatch"


def database_exists(url: str) -> bool:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_of(url)]).fetchone()
            is not None
        )


def read_marker(url: str) -> dict[str, Any] | None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT to_regclass(%s)", [MARKER_TABLE]).fetchone()
        if not found or found[0] is None:
            return None
        row = conn.execute(
            f"SELECT scale, seed, finished_at, build_seconds, counts FROM {MARKER_TABLE} "  # noqa: S608 (a constant)
            "ORDER BY finished_at DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    return {
        "scale": row[0],
        "seed": row[1],
        "finished_at": row[2].isoformat() if row[2] else None,
        "build_seconds": row[3],
        "counts": row[4] or {},
    }


def write_marker(url: str, *, scale: int, seed: int, build_seconds: float, counts: dict[str, int]) -> None:
    """Written last, once the seed and ANALYZE are done: its presence means the data is whole."""
    import psycopg
    from psycopg.types.json import Jsonb

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} (scale integer NOT NULL, seed integer NOT NULL, "
            "finished_at timestamptz NOT NULL DEFAULT now(), build_seconds double precision, counts jsonb)"
        )
        conn.execute(
            f"INSERT INTO {MARKER_TABLE} (scale, seed, build_seconds, counts) VALUES (%s, %s, %s, %s)",  # noqa: S608
            [scale, seed, build_seconds, Jsonb(counts)],
        )


COUNT_QUERIES = {
    "organizations": "SELECT count(*) FROM orgs_organization WHERE hosted",
    "people": "SELECT count(*) FROM orgs_person",
    "documents": "SELECT count(*) FROM documents_document",
    "register_entries": "SELECT count(*) FROM documents_registerentry",
    "tasks": "SELECT count(*) FROM tasks_task",
    "search_entries": "SELECT count(*) FROM search_searchentry",
}


def dataset_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        counts = {key: int(conn.execute(sql).fetchone()[0]) for key, sql in COUNT_QUERIES.items()}  # type: ignore[index]
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()
        counts["database_mb"] = round(int(size[0]) / 2**20) if size else 0
    return counts


def analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


# --- The endpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    key: str
    label: str  # Vietnamese, for the report
    user: str  # a key of the context's "users"
    paths: tuple[str, ...]  # cycled through by the Lua script
    sql: str  # a key of BARE_SQL
    is_list: bool = False  # a list: the throughput target applies
    page: bool = False  # an HTML page: the session cookie, not the token


def endpoints(ctx: dict[str, Any]) -> list[Endpoint]:
    """Every endpoint measured, from the context the preparation wrote (ids, terms)."""
    commune = ctx["users"]["commune"]["username"]
    org = ctx["commune_org"]
    ids = ctx["incoming_ids"] or [0]
    rare = ctx["search"]["rare"]["q"]
    return [
        Endpoint("incoming_commune", f"Văn bản đến — văn thư xã ({commune})", "commune",
                 ("/api/v1/incoming/",), "incoming_list", is_list=True),
        Endpoint("incoming_clerk", "Văn bản đến — văn thư Tỉnh ủy", "vanthu",
                 ("/api/v1/incoming/",), "incoming_list", is_list=True),
        Endpoint("incoming_bithu", "Văn bản đến — Bí thư (toàn tỉnh)", "bithu",
                 ("/api/v1/incoming/",), "incoming_list", is_list=True),
        Endpoint("incoming_detail", f"Một văn bản đến — văn thư xã ({len(ids)} id luân phiên)", "commune",
                 tuple(f"/api/v1/incoming/{i}/" for i in ids), "incoming_detail"),
        Endpoint("tasks_bithu", "Nhiệm vụ — Bí thư (toàn tỉnh)", "bithu",
                 ("/api/v1/tasks/",), "task_list", is_list=True),
        Endpoint("tasks_commune", "Nhiệm vụ — văn thư xã", "commune",
                 ("/api/v1/tasks/",), "task_list", is_list=True),
        Endpoint("tasks_overdue_commune", "Nhiệm vụ quá hạn — văn thư xã", "commune",
                 ("/api/v1/tasks/?status=overdue",), "task_overdue", is_list=True),
        Endpoint("tasks_overdue_office", "Nhiệm vụ quá hạn — Chánh Văn phòng", "chanhvp",
                 ("/api/v1/tasks/?status=overdue",), "task_overdue", is_list=True),
        Endpoint("tasks_by_org_bithu", f"Nhiệm vụ theo cơ quan ({ctx['commune_slug']}) — Bí thư", "bithu",
                 (f"/api/v1/tasks/?organization={org}",), "task_by_org", is_list=True),
        Endpoint("task_stats_bithu", "Số liệu nhiệm vụ — Bí thư", "bithu",
                 ("/api/v1/tasks/stats/",), "task_stats"),
        Endpoint("search_common", f"Tra cứu “{ctx['search']['common']['q']}” — Bí thư", "bithu",
                 (f"/api/v1/search/?q={quote(ctx['search']['common']['q'])}",), "search_common"),
        Endpoint("search_rare", f"Tra cứu hiếm “{rare}” — Bí thư", "bithu",
                 (f"/api/v1/search/?q={quote(rare)}",), "search_rare"),
        Endpoint("home_page", "Trang chủ (việc cần làm) — Bí thư", "bithu", ("/",), "home", page=True),
        Endpoint("dashboard_page", "Trang tổng quan nhiệm vụ toàn tỉnh — Bí thư", "bithu",
                 ("/nhiem-vu/tong-quan/",), "dashboard", page=True),
    ]  # fmt: skip


def select(all_endpoints: list[Endpoint], only: Iterable[str] | None) -> list[Endpoint]:
    wanted = [k for k in (only or []) if k]
    if not wanted:
        return all_endpoints
    known = {e.key for e in all_endpoints}
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise ValueError(f"unknown endpoint(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return [e for e in all_endpoints if e.key in wanted]


# --- wrk --------------------------------------------------------------------------------------


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for our values


def wrk_script(paths: Iterable[str], headers: dict[str, str]) -> str:
    """A wrk Lua script: the headers (token or cookie, the proxy's headers), the paths in turn,
    non-2xx responses counted per thread, and ``done()`` printing one JSON line (after
    ``WRK_MARK``) with the latency percentiles in microseconds, requests, errors, duration."""
    path_list = ", ".join(_lua_string(p) for p in paths)
    header_lines = "\n".join(f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
    return f"""-- generated by vanphong bench-load
{header_lines}
local paths = {{{path_list}}}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non2xx = 0
  first_bad = 0
  position = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad == 0 then first_bad = status end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    local status = thread:get("first_bad") or 0
    if first == 0 and status ~= 0 then first = status end
  end
  local e = summary.errors
  io.write(string.format(
    '{WRK_MARK}{{"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f, ' ..
    '"requests": %d, "duration_us": %d, "bytes": %d, "non2xx": %d, "first_bad_status": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d}}\\n',
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    summary.requests, summary.duration, summary.bytes, bad, first,
    e.connect, e.read, e.write, e.timeout))
end
"""


def wrk_command(wrk: str, *, url: str, script: Path, connections: int, seconds: float) -> list[str]:
    threads = max(1, min(2, connections))
    return [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
            "--timeout", "10s", "-s", str(script), url]  # fmt: skip


def parse_wrk(output: str) -> dict[str, Any]:
    """The measure from wrk's output: the JSON line ``done()`` printed, in milliseconds.
    Errors are non-2xx responses plus socket errors (connect, read, write, timeout)."""
    found = [line for line in output.splitlines() if line.startswith(WRK_MARK)]
    if not found:
        raise ValueError("wrk printed no result line (" + WRK_MARK.strip() + "): " + output[-500:])
    raw: dict[str, Any] = json.loads(found[-1][len(WRK_MARK) :])
    seconds = raw["duration_us"] / 1e6 if raw["duration_us"] else 0.0
    socket_errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    answered = raw["requests"] > 0  # none: no latency to speak of (not 0 ms)

    def ms(key: str) -> float | None:
        return round(raw[key] / 1000, 2) if answered else None

    return {
        "p50_ms": ms("p50_us"),
        "p95_ms": ms("p95_us"),
        "p99_ms": ms("p99_us"),
        "max_ms": ms("max_us"),
        "mean_ms": ms("mean_us"),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "errors": raw["non2xx"] + socket_errors,
        "non2xx": raw["non2xx"],
        "first_bad_status": raw["first_bad_status"] or None,
        "socket_errors": socket_errors,
        "duration_s": round(seconds, 2),
    }


def headers_for(endpoint: Endpoint, ctx: dict[str, Any]) -> dict[str, str]:
    """What nginx passes in production (HTTPS, the client's address), and the credentials."""
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
    if endpoint.page:
        session = ctx["session"]
        headers["Cookie"] = f"{session['cookie']}={session['key']}"
        headers["Accept"] = "text/html"
    else:
        headers["Authorization"] = f"Bearer {ctx['users'][endpoint.user]['token']}"
        headers["Accept"] = "application/json"
    return headers


# --- Bare SQL ---------------------------------------------------------------------------------

_ENTRY_VISIBLE = """r.kind = 'den' AND e.organization_id = ANY(%(orgs)s)
  AND e.classification <= %(clearance)s AND (e.classification = 0 OR e.organization_id = ANY(%(keepers)s))"""
_TASK_VISIBLE = """t.classification <= %(clearance)s AND (
  (t.classification = 0 AND (t.organization_id = ANY(%(givers)s) OR t.lead_organization_id = ANY(%(orgs)s)))
  OR (t.classification > 0 AND (t.organization_id = ANY(%(keeper_givers)s)
                                OR t.lead_organization_id = ANY(%(keepers)s)))
  OR t.lead_person_id = %(person)s OR t.issued_by_id = %(person)s)"""
_TASK_COLUMNS = "t.id, t.title, t.source_kind, t.organization_id, t.lead_organization_id, t.due_date, " \
    "t.effective_due, t.outcome, t.progress"  # fmt: skip

_TASK_OF_ORG = """(t.lead_organization_id = %(org)s OR t.organization_id = %(org)s
  OR EXISTS (SELECT 1 FROM tasks_taskparty p WHERE p.task_id = t.id AND p.organization_id = %(org)s))"""
_MINE = """(t.lead_person_id = %(person)s OR t.issued_by_id = %(person)s
  OR t.lead_organization_id = ANY(%(own)s))"""
_SEARCH_COUNT = f"""SELECT count(*) FROM (SELECT 1 FROM search_searchentry e
WHERE e.search_vector @@ to_tsquery('simple', %({{term}})s) AND e.classification <= %(clearance)s
LIMIT {SEARCH_CAP}) c"""  # noqa: S608
_SEARCH_PAGE = f"""SELECT e.id, e.kind, e.doc_type, e.issued_date,
-ts_rank_cd('{{{{0.1, 0.2, 0.4, 1.0}}}}', e.search_vector, q.q) AS rank
FROM search_searchentry e, to_tsquery('simple', %({{term}})s) AS q(q)
WHERE e.search_vector @@ q.q AND e.classification <= %(clearance)s ORDER BY 5, 1 LIMIT {SEARCH_PAGE}"""  # noqa: S608

BARE_SQL: dict[str, tuple[str, ...]] = {
    # The first page of the inbox, newest first, with the document's symbol and subject; the count.
    "incoming_list": (
        f"""SELECT e.id, e.number, e.status, e.registered_at, d.symbol, d.subject, d.issuer_name, r.name
FROM documents_registerentry e JOIN documents_register r ON r.id = e.register_id
JOIN documents_document d ON d.id = e.document_id
WHERE {_ENTRY_VISIBLE} ORDER BY e.registered_at DESC, e.id DESC LIMIT {LIST_PAGE}""",  # noqa: S608
        f"""SELECT count(*) FROM (SELECT 1 FROM documents_registerentry e
JOIN documents_register r ON r.id = e.register_id WHERE {_ENTRY_VISIBLE} LIMIT {LIST_CAP + 1}) c""",  # noqa: S608
    ),
    # One entry with its document, files and directions with their assignments.
    "incoming_detail": (
        """SELECT e.*, d.* FROM documents_registerentry e
JOIN documents_document d ON d.id = e.document_id WHERE e.id = %(entry)s""",
        """SELECT f.id, f.original_name, f.kind, f.size, f.content_type, f.extraction
FROM documents_documentfile f JOIN documents_registerentry e ON e.document_id = f.document_id
WHERE e.id = %(entry)s ORDER BY f.id""",
        """SELECT di.id, di.text, di.given_at, a.id, a.role, a.organization_id, a.unit_id, a.person_id,
a.due_date, a.task_id FROM documents_direction di LEFT JOIN documents_assignment a ON a.direction_id = di.id
WHERE di.entry_id = %(entry)s ORDER BY di.id, a.id""",
    ),
    # The first page of the tasks in reach, newest first (the API's order); the count.
    "task_list": (
        f"""SELECT {_TASK_COLUMNS} FROM tasks_task t WHERE {_TASK_VISIBLE}
ORDER BY t.id DESC LIMIT {LIST_PAGE}""",  # noqa: S608
        f"SELECT count(*) FROM (SELECT 1 FROM tasks_task t WHERE {_TASK_VISIBLE} LIMIT {LIST_CAP + 1}) c",  # noqa: S608
    ),
    "task_overdue": (
        f"""SELECT {_TASK_COLUMNS} FROM tasks_task t WHERE {_TASK_VISIBLE}
AND t.outcome = 0 AND t.effective_due < %(today)s ORDER BY t.id DESC LIMIT {LIST_PAGE}""",  # noqa: S608
        f"""SELECT count(*) FROM (SELECT 1 FROM tasks_task t WHERE {_TASK_VISIBLE}
AND t.outcome = 0 AND t.effective_due < %(today)s LIMIT {LIST_CAP + 1}) c""",  # noqa: S608
    ),
    "task_by_org": (
        f"""SELECT {_TASK_COLUMNS} FROM tasks_task t WHERE {_TASK_VISIBLE} AND {_TASK_OF_ORG}
ORDER BY t.id DESC LIMIT {LIST_PAGE}""",  # noqa: S608
        f"""SELECT count(*) FROM (SELECT 1 FROM tasks_task t WHERE {_TASK_VISIBLE} AND {_TASK_OF_ORG}
LIMIT {LIST_CAP + 1}) c""",  # noqa: S608
    ),
    # The counts by status group of the tasks in reach.
    "task_stats": (
        f"""SELECT count(*) FILTER (WHERE t.outcome <> 3), count(*) FILTER (WHERE t.outcome = 1),
count(*) FILTER (WHERE t.outcome = 2),
count(*) FILTER (WHERE t.outcome = 0 AND t.effective_due < %(today)s),
count(*) FILTER (WHERE t.outcome = 0 AND (t.effective_due IS NULL OR t.effective_due >= %(today)s)),
count(*) FILTER (WHERE t.outcome = 0 AND t.effective_due >= %(today)s AND t.effective_due <= %(soon)s),
count(*) FILTER (WHERE t.outcome = 3) FROM tasks_task t WHERE {_TASK_VISIBLE}""",  # noqa: S608
    ),
    # The full-text query: the capped count and the best page, ranked.
    "search_common": (_SEARCH_COUNT.format(term="common"), _SEARCH_PAGE.format(term="common")),
    "search_rare": (_SEARCH_COUNT.format(term="rare"), _SEARCH_PAGE.format(term="rare")),
    # What waits for the person: presented to them, to present, assigned to them, tasks late or due soon.
    "home": (
        f"""SELECT
 (SELECT count(*) FROM documents_registerentry e
    WHERE e.presented_to_id = %(person)s AND e.status = 'presented'),
 (SELECT count(*) FROM documents_registerentry e
    WHERE e.organization_id = ANY(%(keepers)s) AND e.status = 'registered'),
 (SELECT count(*) FROM documents_assignment a JOIN documents_registerentry e ON e.id = a.entry_id
    WHERE a.person_id = %(person)s AND a.role <> 'inform' AND e.status IN ('directed', 'processing')),
 (SELECT count(*) FROM tasks_task t WHERE t.outcome = 0 AND t.effective_due < %(today)s AND {_MINE}),
 (SELECT count(*) FROM tasks_task t WHERE t.outcome = 0 AND t.effective_due >= %(today)s
    AND t.effective_due <= %(soon)s AND {_MINE})""",  # noqa: S608
    ),
    # The province dashboard: totals, by organisation and by month from the tally, the worst late.
    "dashboard": (
        "SELECT outcome, sum(count) FROM tasks_tasktally GROUP BY outcome",
        "SELECT organization_id, outcome, sum(count) FROM tasks_tasktally GROUP BY 1, 2",
        "SELECT month, outcome, sum(count) FROM tasks_tasktally WHERE month >= %(year_ago)s GROUP BY 1, 2",
        """SELECT lead_organization_id, count(*) FROM tasks_task
WHERE outcome = 0 AND effective_due < %(today)s GROUP BY 1""",
        f"""SELECT {_TASK_COLUMNS} FROM tasks_task t WHERE t.outcome = 0 AND t.effective_due < %(today)s
ORDER BY t.effective_due, t.id LIMIT 20""",  # noqa: S608
    ),
}


def sql_params(endpoint: Endpoint, ctx: dict[str, Any], round_no: int = 0) -> dict[str, Any]:
    """The parameters of the endpoint's bare SQL: its user's reach, the day, the terms."""
    user = ctx["users"][endpoint.user]
    ids = ctx["incoming_ids"] or [0]
    return {
        "orgs": user["read_orgs"],
        "givers": user["givers"],
        "keepers": user["keeper_orgs"],
        "keeper_givers": user["keeper_givers"],
        "own": user["own_orgs"],
        "clearance": user["clearance"],
        "person": user["person_id"],
        "org": ctx["commune_org"],
        "entry": ids[round_no % len(ids)],
        "today": ctx["today"],
        "soon": ctx["soon_until"],
        "year_ago": ctx["year_ago"],
        "common": ctx["search"]["common"]["expression"],
        "rare": ctx["search"]["rare"]["expression"],
    }


def time_bare_sql(
    conn: Any, endpoint: Endpoint, ctx: dict[str, Any], *, repeat: int = SQL_REPEAT, warmup: int = 3
) -> dict[str, Any]:
    """Median and spread of the endpoint's bare SQL over ``repeat`` runs after ``warmup``, in ms,
    on an open psycopg connection (autocommit)."""
    statements = BARE_SQL[endpoint.sql]
    timings: list[float] = []
    rows = 0
    for n in range(warmup + repeat):
        params = sql_params(endpoint, ctx, n)
        started = time.perf_counter()
        rows = 0
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement, params)
                rows += len(cursor.fetchall())
        if n >= warmup:
            timings.append(time.perf_counter() - started)
    return {
        "median_ms": round(statistics.median(timings) * 1000, 3),
        "min_ms": round(min(timings) * 1000, 3),
        "max_ms": round(max(timings) * 1000, 3),
        "repeat": repeat,
        "statements": len(statements),
        "rows": rows,
    }


def ratio(p50_ms: float | None, bare_ms: float | None) -> float | None:
    if p50_ms is None or not bare_ms:
        return None
    return round(p50_ms / max(bare_ms, 0.001), 1)


# --- Worker memory ----------------------------------------------------------------------------


def vmrss_mb(status_text: str) -> float | None:
    """VmRSS of a /proc/<pid>/status text, in MB."""
    for line in status_text.splitlines():
        if line.startswith("VmRSS:"):
            value, unit = line.split()[1:3]
            factor = {"kB": 1 / 1024, "mB": 1.0, "gB": 1024.0}.get(unit, 1 / 1024)
            return round(int(value) * factor, 1)
    return None


def children_of(pid: int, proc: Path = Path("/proc")) -> list[int]:
    """Child processes of ``pid`` (gunicorn's workers), from /proc."""
    direct = proc / str(pid) / "task" / str(pid) / "children"
    if direct.exists():
        return sorted(int(p) for p in direct.read_text().split())
    found = []
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def worker_rss(master_pid: int, proc: Path = Path("/proc")) -> list[dict[str, Any]]:
    workers = []
    for pid in children_of(master_pid, proc):
        try:
            rss = vmrss_mb((proc / str(pid) / "status").read_text())
        except OSError:
            continue
        workers.append({"pid": pid, "rss_mb": rss})
    return workers


# --- Targets and the report -------------------------------------------------------------------


@dataclass
class Verdict:
    target: str  # Vietnamese words of the target
    value: float | None
    met: bool | None  # None: not measured


@dataclass
class Row:
    """One endpoint's figures: ``runs`` by concurrency (as a string key, for JSON)."""

    key: str
    label: str
    path: str
    is_list: bool
    runs: dict[str, dict[str, Any]] = field(default_factory=dict)
    bare_sql: dict[str, Any] | None = None
    ratio: float | None = None


def verdicts(row: dict[str, Any], concurrencies: list[int]) -> list[Verdict]:
    """The issue's targets for one endpoint: p95 at the most users, p50 at one user against the
    bare SQL, and the throughput of the lists at the most users."""
    top, low = str(max(concurrencies)), str(min(concurrencies))
    out: list[Verdict] = []
    run = row["runs"].get(top)
    p95 = run["p95_ms"] if run else None
    if run is None:
        fast: bool | None = None
    else:  # no answer at all within the run is a miss, and so are errors, however fast
        fast = p95 is not None and p95 <= TARGET_P95_MS and run["errors"] == 0
    out.append(Verdict(f"p95 ≤ {TARGET_P95_MS:g} ms ({top} người)", p95, fast))
    if low == "1":
        r = row.get("ratio")
        silent = (row["runs"].get(low) or {}).get("requests") == 0
        close = False if silent else None if r is None else r <= TARGET_RATIO
        out.append(Verdict(f"p50 ≤ {TARGET_RATIO:g} × SQL (1 người)", r, close))
    if row.get("is_list"):
        rps = run["rps"] if run else None
        out.append(
            Verdict(
                f"≥ {TARGET_LIST_RPS:g} req/s ({top} người)",
                rps,
                None if rps is None else rps >= TARGET_LIST_RPS,
            )
        )
    return out  # fmt: skip


def _mark(met: bool | None) -> str:
    return "—" if met is None else ("đạt" if met else "**chưa đạt**")


def _num(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}" if abs(value) < 1e6 else f"{value:.0f}"
    return str(value)


def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    dataset = report["dataset"]
    server = report["server"]
    concurrencies = report["concurrencies"]
    counts = dataset.get("counts", {})
    top = max(concurrencies)
    lines = [
        "# Đo tải: hệ thống đang chạy, như người dùng gặp (vanphong bench-load)",
        "",
        f"Máy: {machine['nproc']} lõi, {machine['ram_gb']} GB RAM, PostgreSQL {machine['postgresql']}, "
        f"Python {machine['python']}"
        + (
            f", tải trung bình trước/sau {machine['loadavg_before'][0]}/{machine['loadavg_after'][0]}"
            if machine.get("loadavg_before") and machine.get("loadavg_after")
            else ""
        )
        + f". Dữ liệu `{dataset['database']}` (--scale {dataset['scale']}, "
        f"--seed {dataset['seed']}): {_num(counts.get('documents'))} văn bản, "
        f"{_num(counts.get('register_entries'))} mục sổ, {_num(counts.get('tasks'))} nhiệm vụ, "
        f"{_num(counts.get('organizations'))} tổ chức, {_num(counts.get('people'))} cán bộ, "
        f"{_num(counts.get('database_mb'))} MB; "
        + (f"dựng trong {dataset['build_seconds']:.0f} giây" if dataset.get("build_seconds") else "dựng sẵn")
        + (" (dùng lại)." if dataset.get("reused") else "."),
        f"Máy chủ: gunicorn `config.wsgi`, {server['workers']} worker đồng bộ, --max-requests "
        f"{server['max_requests']}, DEBUG tắt, Redis, HTTPS sau proxy (tiêu đề X-Forwarded-Proto). "
        f"Tải: wrk trên loopback, {_num(report['duration_s'])} giây mỗi mức, "
        f"khởi động {_num(report['warmup_s'])} giây; "
        f"SQL trực tiếp: trung vị {report['sql_repeat']} lần (psycopg, cùng CSDL, cùng lượt đo). "
        "Độ trễ tính bằng ms; lỗi = phản hồi không 2xx + lỗi kết nối; tỉ lệ = p50 ở 1 người / SQL trực tiếp.",
        "",
        "| Điểm đo | Người dùng đồng thời | p50 | p95 | p99 | req/s | Lỗi "
        "| SQL trực tiếp (ms) | Tỉ lệ | Mục tiêu |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in report["endpoints"]:
        marks = verdicts(row, concurrencies)
        for n, c in enumerate(concurrencies):
            run = row["runs"].get(str(c)) or {}
            first = n == 0
            mine = [v for v in marks if (f"({c} người)" in v.target)]
            target_text = "; ".join(f"{v.target}: {_mark(v.met)}" for v in mine) or ""
            bare = row.get("bare_sql") or {}
            figures = [run.get(k) for k in ("p50_ms", "p95_ms", "p99_ms", "rps", "errors")]
            sql = [bare.get("median_ms"), row.get("ratio")]
            cells = [row["label"] if first else "″", str(c), *map(_num, figures)]
            cells += [_num(v) if first else "" for v in sql]
            lines.append("| " + " | ".join([*cells, target_text]) + " |")
    lines += ["", "## Mục tiêu", "", "| Mục tiêu | Đạt | Chưa đạt | Không đo |", "|---|---:|---:|---:|"]
    summary: dict[str, list[int]] = {}
    for row in report["endpoints"]:
        for v in verdicts(row, concurrencies):
            name = v.target
            summary.setdefault(name, [0, 0, 0])[0 if v.met else 1 if v.met is False else 2] += 1
    for name, (met, missed, unknown) in summary.items():
        lines.append(f"| {name} | {met} | {missed} | {unknown} |")
    rss = report.get("workers") or []
    worst = max((w["rss_mb"] or 0 for w in rss), default=None)
    lines.append(
        f"| Bộ nhớ mỗi worker ≤ {TARGET_RSS_MB:g} MB (VmRSS sau tải) | "
        + (
            "1 | 0 | 0 |"
            if worst is not None and worst <= TARGET_RSS_MB
            else "0 | 1 | 0 |"
            if worst
            else "0 | 0 | 1 |"
        )
    )
    lines += [
        "",
        "## Bộ nhớ các worker gunicorn sau tải",
        "",
        "VmRSS đọc từ /proc/<pid>/status của từng worker khi đo xong "
        f"(worker được thay sau khoảng {server['max_requests']} yêu cầu, như cấu hình chạy thật).",
        "",
        "| pid | VmRSS (MB) | ≤ 250 MB |",
        "|---:|---:|---|",
    ]
    for w in rss:
        fits: bool | None = None if w["rss_mb"] is None else w["rss_mb"] <= TARGET_RSS_MB
        lines.append(f"| {w['pid']} | {_num(w['rss_mb'])} | {_mark(fits)} |")
    if report.get("notes"):
        lines += ["", *[f"- {note}" for note in report["notes"]]]
    lines.append("")
    lines.append(f"Mục tiêu ở {top} người lấy mức đồng thời cao nhất của lượt đo.")
    return "\n".join(lines) + "\n"


def row_dict(row: Row) -> dict[str, Any]:
    return asdict(row)


# --- Preparation (in a child process whose DATABASE_URL is the dataset) -----------------------

RARE_TERM_SQL = """SELECT word
FROM ts_stat('SELECT search_vector FROM search_searchentry WHERE classification = 0')
WHERE length(word) >= 5 AND word ~ '^[a-z]+$' ORDER BY ndoc, word LIMIT 1"""


def _commune_clerk(users: Any) -> Any:
    """The commune clerk: ``vanthu.phuquy``, else the first ``vanthu.<slug>`` of a commune-level
    organisation, else the first ``vanthu.<slug>``."""
    from vanphong.orgs.models import Person

    clerks = users.filter(username__startswith="vanthu.").order_by("username")
    preferred = clerks.filter(username=f"vanthu.{PREFERRED_COMMUNE}").first()
    if preferred is not None:
        return preferred
    commune_people = Person.objects.filter(organization__level__code="xa").values("user_id")
    return clerks.filter(pk__in=commune_people).first() or clerks.first()


def _reach(user: Any) -> dict[str, Any]:
    from vanphong.orgs.access import Capability, organizations_with, scope_for
    from vanphong.orgs.actors import person_of
    from vanphong.tasks.access import followed_up_by

    def ids(capability: Capability) -> list[int]:
        return sorted(organizations_with(user, capability).values_list("pk", flat=True))

    scope = scope_for(user)
    person = person_of(user)
    read = ids(Capability.READ)
    keepers = sorted(set(ids(Capability.DIRECT)) | set(ids(Capability.REGISTER)))
    return {
        "username": user.username,
        "person_id": scope.person_id,
        "clearance": int(scope.clearance),
        "read_orgs": read,
        "givers": sorted(set(read) | set(followed_up_by(read))),
        "keeper_orgs": keepers,
        "keeper_givers": sorted(set(keepers) | set(followed_up_by(keepers))),
        "own_orgs": [person.organization_id] if person is not None else [],
    }


def prepare(*, users_wanted: tuple[str, ...] = ("bithu", "chanhvp", "vanthu")) -> dict[str, Any]:
    """Tokens, the session of the pages, the ids and terms the endpoints use, and each user's
    reach for the bare SQL. Runs with Django set up on the dataset."""
    import datetime as dt

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from vanphong.accounts.services import api_token_issue
    from vanphong.documents.selectors.incoming import incoming_list
    from vanphong.search.backends import backend_for
    from vanphong.search.selectors import parse_terms
    from vanphong.tasks.selectors import Today

    model = get_user_model()
    found: dict[str, Any] = {name: model.objects.get(username=name) for name in users_wanted}
    commune = _commune_clerk(model.objects)
    if commune is None:
        raise RuntimeError("no vanthu.<slug> account in the dataset")
    found["commune"] = commune
    users = {}
    for key, user in found.items():
        users[key] = {
            **_reach(user),
            "token": api_token_issue(user=user, name="bench-load", second_factor=True),
        }

    # The pages: a signed-in session of the Bí thư that has passed the second factor, as after
    # the sign-in page (the production policy stays on).
    bithu = found["bithu"]
    device = TOTPDevice.objects.filter(user=bithu, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=bithu, name="bench-load", confirmed=True)
    session = SessionStore()
    session[SESSION_KEY] = str(bithu.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = bithu.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(24 * 3600)
    session.save()

    person = found["commune"].person
    entry_ids = list(incoming_list(user=commune).values_list("pk", flat=True)[:20])
    today = Today.now()
    year_ago = (today.day.replace(day=1) - dt.timedelta(days=335)).replace(day=1)
    backend = backend_for(connection)

    def term(q: str) -> dict[str, str]:
        terms, prefix_last = parse_terms(q)
        return {"q": q, "expression": backend.match_expression(terms, prefix_last=prefix_last)}

    with connection.cursor() as cursor:
        cursor.execute(RARE_TERM_SQL)
        row = cursor.fetchone()
    return {
        "users": users,
        "session": {"cookie": settings.SESSION_COOKIE_NAME, "key": session.session_key},
        "incoming_ids": entry_ids,
        "commune_org": person.organization_id,
        "commune_slug": person.organization.slug or str(person.organization_id),
        "today": today.day.isoformat(),
        "soon_until": today.soon_until.isoformat(),
        "year_ago": year_ago.isoformat(),
        "search": {"common": term(COMMON_TERM), "rare": term(row[0] if row else FALLBACK_RARE_TERM)},
    }
