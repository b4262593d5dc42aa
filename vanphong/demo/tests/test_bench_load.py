"""``vanphong bench-load``: the pure parts (dataset naming and reuse, the wrk script and its
output, the targets, the report), and one short run of the whole harness on PostgreSQL."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from vanphong.demo import loadbench as lb
from vanphong.demo.benchmarking import postgres_reachable

# --- The dataset ---------------------------------------------------------------------------


def test_dataset_is_named_by_scale_and_seed_on_the_chosen_server():
    assert lb.dataset_name(1000, 2026) == "vanphong_load_s1000_r2026"
    assert lb.dataset_url(30, 7) == "postgres://postgres@127.0.0.1:5432/vanphong_load_s30_r7"
    url = lb.dataset_url(30, 7, "postgres://bench:pw@db.local:5433/anything")
    assert url == "postgres://bench:pw@db.local:5433/vanphong_load_s30_r7"
    assert lb.database_of(url) == "vanphong_load_s30_r7"
    assert lb.safe_url(url) == "postgres://bench:***@db.local:5433/vanphong_load_s30_r7"
    assert lb.data_dir(Path("/srv/app"), url) == Path("/srv/app/var/bench-load/vanphong_load_s30_r7")


@pytest.mark.parametrize(
    ("exists", "marker", "action"),
    [
        (False, None, "create"),
        (True, None, "rebuild"),  # a seed cut off before the marker was written
        (True, {"scale": 30, "seed": 2026, "finished_at": "2026-05-01T10:00:00+00:00"}, "reuse"),
        (True, {"scale": 10, "seed": 2026, "finished_at": "2026-05-01T10:00:00+00:00"}, "mismatch"),
        (True, {"scale": 30, "seed": 1, "finished_at": "2026-05-01T10:00:00+00:00"}, "mismatch"),
        (True, {"scale": 30, "seed": 2026, "finished_at": None}, "mismatch"),
    ],
)
def test_dataset_is_reused_only_when_the_marker_says_this_seed_finished(exists, marker, action):
    assert lb.dataset_action(exists=exists, marker=marker, scale=30, seed=2026) == action


# --- wrk -----------------------------------------------------------------------------------


def _wrk_output(**overrides: Any) -> str:
    raw = {
        "p50_us": 12345, "p95_us": 45000, "p99_us": 98765, "max_us": 150000, "mean_us": 15000.5,
        "requests": 1000, "duration_us": 5_000_000, "bytes": 123456, "non2xx": 3, "first_bad_status": 404,
        "connect": 0, "read": 1, "write": 0, "timeout": 2,
    }  # fmt: skip
    raw.update(overrides)
    return (
        "Running 5s test @ http://127.0.0.1:8001\n  2 threads and 50 connections\n"
        "  Latency Distribution\n     50%   12.35ms\n"
        f"{lb.WRK_MARK}{json.dumps(raw)}\n"
    )


def test_wrk_result_line_is_parsed_into_milliseconds_rate_and_errors():
    result = lb.parse_wrk(_wrk_output())
    assert (result["p50_ms"], result["p95_ms"], result["p99_ms"]) == (12.35, 45.0, 98.77)
    assert result["requests"] == 1000 and result["rps"] == 200.0 and result["duration_s"] == 5.0
    assert result["errors"] == 3 + 1 + 2  # non-2xx + socket errors
    assert result["first_bad_status"] == 404


def test_wrk_output_without_the_result_line_is_an_error():
    with pytest.raises(ValueError, match="WRK_JSON"):
        lb.parse_wrk("Running 5s test @ http://127.0.0.1:8001\nunable to connect\n")
    assert (
        lb.parse_wrk(_wrk_output(non2xx=0, read=0, timeout=0, first_bad_status=0))["first_bad_status"] is None
    )


def test_a_run_without_any_answer_has_no_latency_and_misses_the_targets():
    result = lb.parse_wrk(_wrk_output(requests=0, non2xx=0, read=0, timeout=0, first_bad_status=0))
    assert result["p50_ms"] is None and result["p95_ms"] is None and result["rps"] == 0.0
    row = {"is_list": True, "ratio": None, "runs": {"1": result, "50": result}}
    assert [v.met for v in lb.verdicts(row, [1, 50])] == [False, False, False]


def test_wrk_script_sends_the_credentials_cycles_the_paths_and_prints_json():
    script = lb.wrk_script(
        ["/api/v1/incoming/1/", "/api/v1/incoming/2/"],
        {"Authorization": "Bearer abc", "X-Forwarded-Proto": "https"},
    )
    assert 'wrk.headers["Authorization"] = "Bearer abc"' in script
    assert 'local paths = {"/api/v1/incoming/1/", "/api/v1/incoming/2/"}' in script
    assert "function done(summary, latency, requests)" in script and lb.WRK_MARK in script
    for percentile in (50, 95, 99):
        assert f"latency:percentile({percentile})" in script
    assert 'thread:get("non2xx")' in script


def test_wrk_command_uses_at_most_two_threads():
    command = lb.wrk_command("wrk", url="http://127.0.0.1:9", script=Path("s.lua"), connections=50, seconds=5)
    assert command[:4] == ["wrk", "-t2", "-c50", "-d5s"] and "--latency" in command
    assert lb.wrk_command("wrk", url="u", script=Path("s.lua"), connections=1, seconds=1)[1] == "-t1"


# --- Endpoints and bare SQL ------------------------------------------------------------------


def _user(name: str) -> dict[str, Any]:
    return {
        "username": name, "token": f"tok-{name}", "person_id": 1, "clearance": 3, "read_orgs": [1, 2],
        "givers": [1, 2], "keeper_orgs": [1], "keeper_givers": [1], "own_orgs": [1],
    }  # fmt: skip


CTX: dict[str, Any] = {
    "users": {k: _user(k) for k in ("bithu", "chanhvp", "vanthu")} | {"commune": _user("vanthu.phuquy")},
    "session": {"cookie": "sessionid", "key": "sess"},
    "incoming_ids": [11, 12],
    "commune_org": 5,
    "commune_slug": "phuquy",
    "today": "2026-05-04",
    "soon_until": "2026-05-07",
    "year_ago": "2025-06-01",
    "search": {
        "common": {"q": "nghi quyet", "expression": "'nghi' & 'quyet':*"},
        "rare": {"q": "hoang", "expression": "'hoang':*"},
    },
}


def test_endpoints_cover_the_issue_and_use_the_right_credentials():
    endpoints = lb.endpoints(CTX)
    keys = [e.key for e in endpoints]
    assert len(keys) == len(set(keys))
    paths = {p for e in endpoints for p in e.paths}
    assert {"/api/v1/incoming/", "/api/v1/incoming/11/", "/api/v1/tasks/", "/api/v1/tasks/?status=overdue",
            "/api/v1/tasks/?organization=5", "/api/v1/tasks/stats/", "/api/v1/search/?q=nghi%20quyet",
            "/api/v1/search/?q=hoang", "/", "/nhiem-vu/tong-quan/"} <= paths  # fmt: skip
    by_key = {e.key: e for e in endpoints}
    api = lb.headers_for(by_key["tasks_commune"], CTX)
    assert api["Authorization"] == "Bearer tok-vanthu.phuquy" and api["X-Forwarded-Proto"] == "https"
    page = lb.headers_for(by_key["dashboard_page"], CTX)
    assert page["Cookie"] == "sessionid=sess" and "Authorization" not in page
    assert lb.select(endpoints, ["tasks_bithu", ""]) == [by_key["tasks_bithu"]]
    assert lb.select(endpoints, []) == endpoints
    with pytest.raises(ValueError, match="nope"):
        lb.select(endpoints, ["nope"])


def test_every_bare_sql_parameter_is_supplied():
    for endpoint in lb.endpoints(CTX):
        params = lb.sql_params(endpoint, CTX)
        for statement in lb.BARE_SQL[endpoint.sql]:
            assert set(re.findall(r"%\((\w+)\)s", statement)) <= set(params), endpoint.key
    detail = next(e for e in lb.endpoints(CTX) if e.key == "incoming_detail")
    assert [lb.sql_params(detail, CTX, n)["entry"] for n in range(3)] == [11, 12, 11]


def test_ratio_is_p50_over_the_bare_query():
    assert lb.ratio(30.0, 10.0) == 3.0
    assert lb.ratio(None, 10.0) is None and lb.ratio(30.0, 0) is None


# --- Targets and the report -------------------------------------------------------------------


def _row(
    *, p95: float, rps: float, ratio: float | None, is_list: bool = True, errors: int = 0
) -> dict[str, Any]:
    run = {"p50_ms": 8.0, "p95_ms": p95, "p99_ms": p95 + 5, "rps": rps, "errors": errors}
    return {
        "key": "tasks_bithu", "label": "Nhiệm vụ — Bí thư", "path": "/api/v1/tasks/", "is_list": is_list,
        "runs": {"1": {**run, "p95_ms": 10.0, "p99_ms": 15.0, "rps": 90.0}, "50": run},
        "bare_sql": {"median_ms": 5.0}, "ratio": ratio,
    }  # fmt: skip


def test_verdicts_follow_the_issue_targets():
    good = lb.verdicts(_row(p95=80.0, rps=200.0, ratio=1.2), [1, 50])
    assert [v.met for v in good] == [True, True, True]
    assert [v.target for v in good] == ["p95 ≤ 100 ms (50 người)", "p50 ≤ 1.5 × SQL (1 người)",
                                        "≥ 150 req/s (50 người)"]  # fmt: skip
    bad = lb.verdicts(_row(p95=120.0, rps=100.0, ratio=2.0), [1, 50])
    assert [v.met for v in bad] == [False, False, False]
    failing = lb.verdicts(_row(p95=20.0, rps=300.0, ratio=1.0, errors=4), [1, 50])
    assert failing[0].met is False  # fast errors are no success
    detail = lb.verdicts(_row(p95=20.0, rps=10.0, ratio=None, is_list=False), [1, 50])
    assert [v.met for v in detail] == [True, None]  # no throughput target; ratio not measured


def _report() -> dict[str, Any]:
    return {
        "machine": {"nproc": 2, "ram_gb": 8.0, "postgresql": "15.6", "python": "3.11.7"},
        "dataset": {
            "database": "vanphong_load_s30_r2026",
            "scale": 30,
            "seed": 2026,
            "reused": True,
            "build_seconds": 130.0,
            "counts": {"documents": 30000, "tasks": 60000},
        },  # fmt: skip
        "server": {"workers": 4, "max_requests": 2000},
        "concurrencies": [1, 50],
        "duration_s": 5.0,
        "warmup_s": 2.0,
        "sql_repeat": 20,
        "endpoints": [_row(p95=80.0, rps=200.0, ratio=1.2), _row(p95=150.0, rps=90.0, ratio=3.0)],
        "workers": [{"pid": 10, "rss_mb": 180.5}, {"pid": 11, "rss_mb": 260.0}],
    }


def test_markdown_has_a_row_per_endpoint_and_concurrency_and_the_verdicts():
    text = lb.markdown(_report())
    assert (
        "| Điểm đo | Người dùng đồng thời | p50 | p95 | p99 | req/s | Lỗi | SQL trực tiếp (ms) | Tỉ lệ |"
        in text
    )
    assert "| Nhiệm vụ — Bí thư | 1 | 8 | 10 | 15 | 90 | 0 | 5 | 1.2 |" in text
    assert "| ″ | 50 | 8 | 150 | 155 | 90 | 0 |  |  | p95 ≤ 100 ms (50 người): **chưa đạt**" in text
    assert "| p95 ≤ 100 ms (50 người) | 1 | 1 | 0 |" in text
    assert "| Bộ nhớ mỗi worker ≤ 250 MB (VmRSS sau tải) | 0 | 1 | 0 |" in text
    assert "| 11 | 260 | **chưa đạt** |" in text and "| 10 | 180.5 | đạt |" in text
    assert "30000 văn bản" in text and "dựng trong 130 giây (dùng lại)" in text


# --- Worker memory ----------------------------------------------------------------------------


def test_worker_rss_is_read_from_proc(tmp_path):
    (tmp_path / "100" / "task" / "100").mkdir(parents=True)
    (tmp_path / "100" / "task" / "100" / "children").write_text("102 101 ")
    for pid, kb in ((101, 204800), (102, 150000)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "status").write_text(
            f"Name:\tgunicorn\nVmPeak:\t  999 kB\nVmRSS:\t  {kb} kB\n"
        )
    assert lb.worker_rss(100, tmp_path) == [{"pid": 101, "rss_mb": 200.0}, {"pid": 102, "rss_mb": 146.5}]
    assert lb.vmrss_mb("Name:\tx\n") is None


def test_children_are_found_by_parent_pid_without_the_children_file(tmp_path):
    for pid, ppid in ((7, 1), (8, 7), (9, 7), (10, 8)):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "stat").write_text(f"{pid} (gunicorn: worker [x]) S {ppid} 1 1 0")
    assert lb.children_of(7, tmp_path) == [8, 9]


# --- The whole harness, briefly ---------------------------------------------------------------


def require_wrk() -> str:
    """The wrk binary, or skip (fail in CI) when it is not installed."""
    binary = shutil.which("wrk")
    if binary is None:
        message = "wrk không có trên máy này (apt-get install -y wrk)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def _test_database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_one_endpoint_for_one_second_writes_the_report(transactional_db, tmp_path):
    """The demo organisations in pytest's own test database (marked as a finished dataset, so
    nothing is seeded), gunicorn with one worker on it, one endpoint for one second."""
    require_wrk()
    from vanphong.demo import orgs as orgs_demo

    url = _test_database_url()
    if not postgres_reachable(url):
        pytest.skip("PostgreSQL không kết nối được")
    orgs_demo.seed_demo(scale=1, password=lb.PASSWORD)
    lb.write_marker(url, scale=1, seed=990001, build_seconds=0.0, counts=lb.dataset_counts(url))
    try:
        call_command(
            "bench_load", "--scale", "1", "--seed", "990001", "--database-url", url, "--duration", "1",
            "--connections", "1", "--warmup", "0", "--sql-repeat", "3", "--workers", "1",
            "--only", "tasks_commune", "--out", str(tmp_path),
        )  # fmt: skip
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {lb.MARKER_TABLE}")
    report = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))
    assert {"machine", "dataset", "server", "endpoints", "workers", "targets"} <= set(report)
    assert report["machine"]["nproc"] and report["machine"]["postgresql"]
    assert report["dataset"]["reused"] is True and report["dataset"]["scale"] == 1
    (row,) = report["endpoints"]
    assert row["key"] == "tasks_commune" and row["user"].startswith("vanthu.")
    run = row["runs"]["1"]
    assert {"p50_ms", "p95_ms", "p99_ms", "rps", "errors"} <= set(run)
    assert run["requests"] > 0 and run["errors"] == 0, run
    assert row["bare_sql"]["median_ms"] > 0 and row["ratio"] is not None
    assert report["workers"] and all(w["rss_mb"] for w in report["workers"])
    assert "| Nhiệm vụ — văn thư xã | 1 |" in (tmp_path / "load.md").read_text(encoding="utf-8")
