"""What composing ``search_organisations`` from the filters given saves, in the engine alone.

    TMPDIR=/tmp/x .venv/bin/python -m bench.search_composed [--sizes S,M] [--runs 30]

On the graphs of ``bench.api_wrk`` (generated, seed 7; built there when missing, kept in
$TMPDIR/scaleup-api-wrk), each case runs as the catalogue file's one text (the baseline: every
filter in the text, all matches projected before the page is cut) and as the composed text (only
the filters given; ranked and cut to the page first), alternating, ``--runs`` times each. The
figure is FalkorDB's own execution time (reported with each result), the median in ms, and
composed/file. Both give the same rows (checked here once per case, and by
tests/queries/test_search_composed.py for every combination of filters).
Results: bench/results/search_composed-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from bench.api_wrk import ORGS, _db_url, build, targets
from bench.env import environment
from scaleup_graph.queries.runner import get_query
from scaleup_graph.store import open_store
from scaleup_graph.store.falkordb import FalkorDBStore

RESULTS = Path(__file__).resolve().parent / "results"
PAGE = 21  # the API asks for its page of 20 and one more (is there a next page?)


def cases(t: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "name": {"q": t["q"]},
        "common word": {"q": "gmbh"},
        "topic alone": {"topic": t["topic"]},
        "topic + region": {"topic": t["topic"], "region": "DE73"},
        # a region id: no organisation's own NUTS code starts with it, every link is read
        "topic + region id": {"topic": t["topic"], "region": t["region"]},
        "common word + topic": {"q": "gmbh", "topic": t["topic"]},
        "name + topic + region + kind": {
            "q": t["q"],
            "topic": t["topic"],
            "region": "DE",
            "kind": "SME",
        },
        "no filter": {},
    }


def measure(orgs: int, runs: int) -> dict[str, dict[str, Any]]:
    t = targets(orgs)
    query = get_query("search_organisations")
    store = open_store(_db_url(), graph=f"api{orgs}")
    out = {}
    try:
        [row] = store.read(
            "MATCH (:Organisation {id: $id})-[:LOCATED_IN]->(r:Region) RETURN r.id AS id LIMIT 1",
            {"id": t["org"]},
        )
        t["region"] = row["id"]
        assert isinstance(store, FalkorDBStore), "the engine's own time is FalkorDB's"
        graph = store._graph
        for case, params in cases(t).items():
            bound = query.bind({**params, "limit": PAGE}, dialect=store.dialect)
            texts = {
                "file": query.file_text(store.dialect, bound),
                "composed": query.text(store.dialect, bound),
            }
            rows = {k: graph.ro_query(text, bound).result_set for k, text in texts.items()}
            assert rows["file"] == rows["composed"], case
            times: dict[str, list[float]] = {"file": [], "composed": []}
            for _ in range(runs):
                for kind, text in texts.items():
                    times[kind].append(float(graph.ro_query(text, bound).run_time_ms))
            file_ms, composed_ms = (statistics.median(times[k]) for k in ("file", "composed"))
            matches = store.read(  # how many the filters keep, before the page is cut
                texts["composed"].replace("SKIP $skip LIMIT $limit", ""), bound
            )
            out[case] = {
                "params": params,
                "matches": len(matches),
                "file_ms": round(file_ms, 3),
                "composed_ms": round(composed_ms, 3),
                "composed_over_file": round(composed_ms / file_ms, 3) if file_ms else None,
            }
            print(
                f"  {case:30} {len(matches):6} matches  file {file_ms:8.2f} ms  "
                f"composed {composed_ms:7.2f} ms  composed/file {composed_ms / file_ms:.2f}",
                flush=True,
            )
    finally:
        store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="S,M")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    results: dict[str, Any] = {"environment": environment(), "runs": args.runs, "sizes": {}}
    for size in args.sizes.split(","):
        orgs = ORGS[size]
        counts = build(orgs)
        print(f"{size}: {counts}", flush=True)
        results["sizes"][size] = {"counts": counts, "cases": measure(orgs, args.runs)}
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = RESULTS / f"search_composed-{stamp}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
