"""``vanphong bench`` runs end to end on a small set (the real run is `make bench`)."""

from __future__ import annotations

import json

from django.core.management import call_command


def test_bench_measures_search_and_direct_queries_on_a_small_set(db, tmp_path):
    out = tmp_path / "results"
    call_command(
        "bench", "--in-process", "--no-capture", "--documents", "200", "--repeat", "1", "--out", str(out)
    )
    report = json.loads((out / "search.json").read_text(encoding="utf-8"))
    (backend,) = report["backends"]
    assert backend["documents"] >= 200
    assert {"median_ms", "p95_ms"} <= set(backend["search"]) and backend["ratio_median"] > 0
    assert {"median_ms", "p95_ms"} <= set(backend["narrow"])
    by_query = {q["q"]: q for q in backend["queries"]}
    # Without diacritics finds what with diacritics finds; the leader sees everything.
    assert by_query["nghi quyet"]["count"] == by_query["nghị quyết"]["count"] > 0
    assert by_query["nghị quyết"]["count"] == by_query["nghị quyết"]["direct_count"]
    assert not by_query["nghị quyết"]["count_capped"]
    # The commune's văn thư sees the commune's documents only.
    assert 0 < by_query["nghị quyết"]["narrow_count"] < by_query["nghị quyết"]["count"]
    assert "| Truy vấn |" in (out / "search.md").read_text(encoding="utf-8")
