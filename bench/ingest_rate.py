"""Ingest throughput: our ingest end to end beside the engine's own UNWIND MERGE of the same data.

    .venv/bin/python bench/ingest_rate.py [--cases seed,gen5k,gen50k,cordis] [--repeat N]

For each case, in one process: our ingest (read, validate, batch, MERGE, checkpoint) into an
empty graph; then the raw engine writing exactly the resulting nodes and relationships with
UNWIND MERGE (no reading, no validation) into another empty graph. The ratio raw/ours is our
efficiency against the engine. Peak memory is this process's and the database server's high-water
mark. Results go to bench/results/ingest_rate-<time>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench.scratch import scratch_folder
from scaleup_graph import __version__
from scaleup_graph.ingest import (
    IngestOptions,
    Manifest,
    cordis_manifest,
    load_manifest,
    load_seed,
    open_data_dir,
    run_ingest,
)
from scaleup_graph.ingest.generate import generate_population
from scaleup_graph.store import GraphStore, open_store

RESULTS = Path(__file__).resolve().parent / "results"
OPEN_DATA = open_data_dir() or Path("../shared/data")
BATCH = 5000


def _server_hwm_kb(store: GraphStore) -> int:
    server = getattr(store, "server", None)
    pid = server.pid() if server else None
    if not pid:
        return 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def _raw_copy(source: GraphStore, target: GraphStore) -> tuple[float, int]:
    """Write ``source``'s nodes and relationships into ``target`` with plain UNWIND MERGE."""
    nodes: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    # the data only: system nodes (a node's history, the suppression list) are not data
    for row in source.read(
        "MATCH (n) WHERE NOT n:_History AND NOT n:_Suppressed AND NOT n:_Migration "
        "RETURN labels(n) AS labels, properties(n) AS props"
    ):
        nodes[tuple(sorted(row["labels"]))].append(row["props"])
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in source.read(
        "MATCH (a)-[e]->(b) RETURN labels(a)[0] AS sl, a.id AS s, type(e) AS t, "
        "labels(b)[0] AS el, b.id AS e, properties(e) AS props"
    ):
        rels[(row["sl"], row["t"], row["el"])].append(
            {"s": row["s"], "e": row["e"], "props": row["props"]}
        )
    target.setup_schema()
    started = time.perf_counter()
    written = 0
    for labels, rows in nodes.items():
        label_text = ":".join(f"`{x}`" for x in labels)
        main = next(x for x in labels if x[0].isupper() and not x.startswith("_"))
        for i in range(0, len(rows), BATCH):
            target.write(
                f"UNWIND $rows AS r MERGE (n:`{main}` {{id: r.id}}) SET n += r, n:{label_text}",
                {"rows": rows[i : i + BATCH]},
            )
            written += len(rows[i : i + BATCH])
    for (sl, t, el), rows in rels.items():
        for i in range(0, len(rows), BATCH):
            target.write(
                f"UNWIND $rows AS r MATCH (a:`{sl}` {{id: r.s}}) MATCH (b:`{el}` {{id: r.e}}) "
                f"MERGE (a)-[x:`{t}`]->(b) SET x += r.props",
                {"rows": rows[i : i + BATCH]},
            )
            written += len(rows[i : i + BATCH])
    return time.perf_counter() - started, written


def _manifest(case: str, work: Path) -> Manifest:
    if case == "cordis":
        return cordis_manifest(OPEN_DATA)
    orgs = {"gen5k": 5000, "gen50k": 50000}[case]
    return load_manifest(generate_population(orgs, 7, work / case))


def run_case(
    case: str,
    url: str,
    work: Path,
    repeat: int,
    manifest: Path | None = None,
    on_loaded: Callable[[GraphStore], None] | None = None,
) -> dict[str, Any]:
    """Our ingest and the raw copy ``repeat`` times (``bench`` passes its own ``manifest``;
    ``on_loaded`` sees the store after our first ingest, before it is cleared)."""
    ours, raws, rows_read, writes = [], [], 0, 0
    server_hwm = 0
    for attempt in range(repeat):
        store = open_store(url, graph=f"bench_{case}_{attempt}")
        raw = open_store(url, graph=f"bench_{case}_{attempt}_raw")
        store.clear()
        raw.clear()
        store.setup_schema()
        options = IngestOptions(
            state_dir=work / f"state-{case}-{attempt}", batch_size=BATCH, check_duplicates=False
        )
        # generating the population is not part of the ingest: done before the clock starts
        # (bench's own manifest is read on the clock, as `scaleup ingest` reads it)
        generated = None if case == "seed" or manifest is not None else _manifest(case, work)
        started = time.perf_counter()
        if case == "seed":
            report = load_seed(store, options=options)
        elif manifest is not None:
            report = run_ingest(store, load_manifest(manifest), options)
        else:
            assert generated is not None
            report = run_ingest(store, generated, options)
        ours.append(time.perf_counter() - started)
        if on_loaded is not None and attempt == 0:
            on_loaded(store)
        rows_read = report.rows_read
        writes = report.nodes_written + report.relationships_written
        raw_seconds, _ = _raw_copy(store, raw)
        raws.append(raw_seconds)
        assert store.counts() == raw.counts(), "the raw copy must hold the same graph"
        server_hwm = max(server_hwm, _server_hwm_kb(store))
        store.clear()
        raw.clear()
        raw.close()
        store.close()
    counts_nodes = writes
    med_ours, med_raw = statistics.median(ours), statistics.median(raws)
    return {
        "case": case,
        "rows_read": rows_read,
        "writes": counts_nodes,
        "ours_s": {"median": med_ours, "min": min(ours), "max": max(ours)},
        "raw_unwind_merge_s": {"median": med_raw, "min": min(raws), "max": max(raws)},
        "rows_per_s": rows_read / med_ours,
        "raw_over_ours": med_raw / med_ours,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "server_peak_rss_mb": server_hwm / 1024,
        "runs": repeat,
        "ours_runs_s": ours,
        "raw_runs_s": raws,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", default="seed,gen5k,gen50k,cordis")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    results = []
    with scratch_folder("scaleup-bench-") as tmp:
        work = Path(tmp)
        url = f"embedded://{work / 'db'}"
        keeper = open_store(url, graph="keepalive")
        for case in args.cases.split(","):
            if case == "cordis" and not OPEN_DATA.exists():
                print(f"skip cordis: {OPEN_DATA} not found", file=sys.stderr)
                continue
            result = run_case(case, url, work, args.repeat)
            results.append(result)
            print(
                f"{case:8} {result['rows_read']:>9,} rows  ours {result['ours_s']['median']:7.2f} s"
                f"  ({result['rows_per_s']:>8,.0f} rows/s)  raw UNWIND MERGE "
                f"{result['raw_unwind_merge_s']['median']:6.2f} s  raw/ours "
                f"{result['raw_over_ours']:.2f}  peak RSS {result['peak_rss_mb']:.0f} MB "
                f"(server {result['server_peak_rss_mb']:.0f} MB)",
                flush=True,
            )
        keeper.close()
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"ingest_rate-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "platform": platform.platform(),
                    "cpus": psutil.cpu_count(),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "python": platform.python_version(),
                },
                "scaleup_graph": __version__,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
