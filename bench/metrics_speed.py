"""Metrics at igraph speed (issue 14 point 4): ours beside the engine and igraph alone.

For each graph (generated M and/or CORDIS, each in an embedded store) three columns side by
side, with ours/peer ratios:

- **projection**: our array projection (``project(store, networkx=False)``, uncached) beside
  the engine itself returning the same edges: the internal execution time FalkorDB reports
  for exactly the queries the projection sends, and the engine's own Python client
  (falkordb-py ``ro_query``) returning every relationship as ``id(a), id(b)`` rows;
- **each metric** (degree, PageRank, Louvain): our call on the projection's arrays beside
  igraph's own call on an igraph graph read from a JSON dump of the same undirected graph
  (``Graph.degree``, ``Graph.pagerank``, ``Graph.community_multilevel``), with how far the
  answers agree (top 10, largest PageRank difference, modularity);
- **end to end**: ``scaleup metrics degree pagerank community`` as a user runs it (a new
  process) beside a Python process that imports igraph, reads the JSON dump and runs the same
  three calls. "warm": the embedded server is already up (another process holds it, as
  ``scaleup serve`` does); "cold": the command starts the server and loads the graph first.

Run: .venv/bin/python -m bench.metrics_speed [--sizes M] [--cordis] [--repeat 5]
     [--db M=/path/db --db CORDIS=/path/db to reuse loaded stores]
Results: printed, and stored in bench/results/metrics_speed-<utc time>.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import RESULTS
from bench.env import environment

WORK = Path(tempfile.gettempdir()) / "scaleup-bench"
ORGS = {"S": 4_000, "M": 40_000}
SCALEUP = Path(sys.executable).with_name("scaleup")

IGRAPH_ALONE = """
import json, random, sys, time
started = time.perf_counter()
import igraph as ig
dump = json.load(open(sys.argv[1]))
g = ig.Graph(n=dump["n"], edges=dump["edges"], directed=False)
weights = dump["weights"] if any(w != 1 for w in dump["weights"]) else None
degree = g.degree()
pagerank = g.pagerank()
ig.set_random_number_generator(random.Random(42))
q = g.community_multilevel(weights=weights).modularity
print(json.dumps({"seconds": time.perf_counter() - started, "modularity": q}))
"""


def median_of(fn: Callable[[], Any], repeat: int) -> tuple[dict[str, float], Any]:
    times, value = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return {"median": statistics.median(times), "min": min(times), "runs": len(times)}, value


def load(size: str, db: Path | None) -> Path:
    """The database folder of ``size``: the one given, or one loaded here (kept for reruns)."""
    from scaleup_graph.store import open_store

    if db is not None:
        return db
    folder = WORK / f"metrics-{size.lower()}" / "db"
    if (folder / "appendonlydir").exists():
        return folder
    store = open_store(f"embedded://{folder}", graph="scaleup")
    try:
        if size == "CORDIS":
            from scaleup_graph.ingest import load_cordis, open_data_dir

            data = open_data_dir()
            if data is None:
                raise SystemExit("no open data folder: set SCALEUP_OPEN_DATA")
            load_cordis(store, data)
        else:
            from scaleup_graph.ingest import ingest_path
            from scaleup_graph.ingest.generate import generate

            population = generate(ORGS[size], 7, WORK / f"metrics-{size.lower()}" / "pop")
            ingest_path(store, population.manifest)
    finally:
        store.close()
    return folder


def engine_alone(store: Any, queries: list[tuple[str, dict[str, Any]]]) -> dict[str, float]:
    """The engine's own time for the projection's queries, and its client returning the edges."""
    graph = store._wgraph  # the engine's own Python client (falkordb-py), compact replies
    internal = 0.0
    for query, params in queries:
        result = graph.ro_query(query, params)
        internal += float(result.run_time_ms) / 1000
    started = time.perf_counter()
    rows = graph.ro_query("MATCH (a)-[e]->(b) RETURN id(a) AS a, id(b) AS b").result_set
    client = time.perf_counter() - started
    return {"internal_s": internal, "client_rows_s": client, "client_rows": len(rows)}


def recorded_queries(store: Any) -> list[tuple[str, dict[str, Any]]]:
    """The queries one uncached array projection sends (to replay them on the engine alone)."""
    from scaleup_graph.analytics import project

    sent: list[tuple[str, dict[str, Any]]] = []
    originals = {}
    for name in ("read", "read_keyed_ids", "read_int_lists"):
        method = getattr(store, name)
        originals[name] = method

        def recording(query: str, params: Any = None, *a: Any, _m: Any = method, **k: Any) -> Any:
            sent.append((query, dict(params or {})))
            return _m(query, params, *a, **k)

        setattr(store, name, recording)
    try:
        project(store, networkx=False, cached=False)
    finally:
        for name in originals:
            delattr(store, name)
    return [(q, p) for q, p in sent if "collect(" in q]


def dump_graph(arrays: Any, path: Path) -> None:
    u, v, w = arrays.edges()
    data = {
        "n": arrays.number_of_nodes(),
        "nodes": arrays.nodes,
        "edges": [[a, b] for a, b in zip(u.tolist(), v.tolist(), strict=True)],
        "weights": w.tolist(),
    }
    path.write_text(json.dumps(data))


def in_process(store: Any, repeat: int, dump: Path) -> dict[str, Any]:
    from scaleup_graph.analytics import project
    from scaleup_graph.analytics.arrays import import_igraph
    from scaleup_graph.analytics.centrality import degree, pagerank
    from scaleup_graph.analytics.communities import louvain

    queries = recorded_queries(store)
    engine = engine_alone(store, queries)
    proj_st, proj = median_of(lambda: project(store, networkx=False, cached=False), repeat)
    arrays = proj.arrays
    # what matchmaking, exports and snapshots still load: the arrays plus node attributes
    nx_st, _ = median_of(lambda: project(store, cached=False), 1)
    dump_graph(arrays, dump)

    ig = import_igraph()
    started = time.perf_counter()
    data = json.loads(dump.read_text())
    g = ig.Graph(n=data["n"], edges=data["edges"], directed=False)
    weights = data["weights"] if any(x != 1 for x in data["weights"]) else None
    igraph_read_s = time.perf_counter() - started

    started = time.perf_counter()
    arrays.networkit()
    copy_s = time.perf_counter() - started

    def ig_louvain() -> Any:
        ig.set_random_number_generator(random.Random(42))
        try:
            return g.community_multilevel(weights=weights)
        finally:
            ig.set_random_number_generator(random)

    rows: dict[str, Any] = {}
    for metric, ours, theirs in (
        ("degree", lambda: degree(arrays), g.degree),
        ("pagerank", lambda: pagerank(arrays), g.pagerank),
        ("community", lambda: louvain(arrays, seed=42), ig_louvain),
    ):
        # the first call apart: it may count what later calls read (the degree array)
        first_st, _ = median_of(ours, 1)
        ours_st, result = median_of(ours, repeat)
        theirs_st, answer = median_of(theirs, repeat)
        row: dict[str, Any] = {
            "ours_s": ours_st,
            "ours_first_call_s": first_st["median"],
            "igraph_s": theirs_st,
            "ratio_ours_over_igraph": ours_st["median"] / max(theirs_st["median"], 1e-9),
            "backend": result.run.backend,
        }
        if metric == "community":
            row["modularity"] = result.extra["modularity"]
            row["igraph_modularity"] = round(answer.modularity, 6)
            row["communities"] = result.extra["communities"]
            row["igraph_communities"] = len(answer)
        else:
            theirs_values = dict(zip(arrays.nodes, answer, strict=True))
            top_ours = [n for n, _ in result.top(10)]
            top_theirs = sorted(theirs_values, key=lambda n: (-theirs_values[n], n))[:10]
            row["same_top10"] = top_ours == top_theirs
            row["max_abs_diff"] = max(
                abs(result.values[n] - theirs_values[n]) for n in arrays.nodes
            )
        rows[metric] = row
    return {
        "nodes": arrays.number_of_nodes(),
        "edges": arrays.number_of_edges(),
        "projection": {
            "ours_s": proj_st,
            "engine": engine,
            "queries": len(queries),
            "ratio_ours_over_engine_internal": proj_st["median"] / max(engine["internal_s"], 1e-9),
            "ratio_ours_over_engine_client": proj_st["median"] / max(engine["client_rows_s"], 1e-9),
            "networkit_copy_s": copy_s,
            "with_networkx_graph_s": nx_st["median"],
            "igraph_read_dump_s": igraph_read_s,
        },
        "metrics": rows,
    }


def end_to_end(db: Path, dump: Path, repeat: int, *, warm: bool) -> dict[str, Any]:
    """``scaleup metrics degree pagerank community`` beside igraph alone, each a new process."""
    from scaleup_graph.store import open_store

    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{db}",
        "SCALEUP_GRAPH": "scaleup",
        "SCALEUP_STATE_DIR": str(db.parent / "state"),
    }
    keeper = open_store(f"embedded://{db}", graph="scaleup") if warm else None
    ours, theirs = [], []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            done = subprocess.run(
                [str(SCALEUP), "metrics", "degree", "pagerank", "community", "--top", "10"],
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            ours.append(time.perf_counter() - started)
            if done.returncode != 0:
                raise SystemExit(f"scaleup metrics failed: {done.stderr[-2000:]}")
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", IGRAPH_ALONE, str(dump)], capture_output=True, check=True
            )
            theirs.append(time.perf_counter() - started)
    finally:
        if keeper is not None:
            keeper.close()
    o, t = statistics.median(ours), statistics.median(theirs)
    return {"ours_s": o, "igraph_alone_s": t, "ratio": o / t, "runs": len(ours), "warm": warm}


def run_size(size: str, db: Path | None, repeat: int, wall_repeat: int) -> dict[str, Any]:
    from scaleup_graph.store import open_store

    folder = load(size, db)
    dump = folder.parent / "graph-dump.json"
    store = open_store(f"embedded://{folder}", graph="scaleup")
    try:
        row = {"size": size, **in_process(store, repeat, dump)}
    finally:
        store.close()
    row["wall_warm"] = end_to_end(folder, dump, wall_repeat, warm=True)
    row["wall_cold"] = end_to_end(folder, dump, wall_repeat, warm=False)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| graph | what | ours | peer | peer figure | ours/peer | agreement |",
        "|---|---|---:|---|---:|---:|---|",
    ]
    for r in rows:
        g = f"{r['size']} ({r['nodes']:,} nodes, {r['edges']:,} edges)"
        p = r["projection"]
        e = p["engine"]
        ours = p["ours_s"]["median"]
        lines.append(
            f"| {g} | projection (arrays) | {ours:.3f} s | engine, internal time of the same "
            f"{p['queries']} queries | {e['internal_s']:.3f} s | "
            f"{p['ratio_ours_over_engine_internal']:.2f} | |"
        )
        lines.append(
            f"| {g} | projection (arrays) | {ours:.3f} s | engine's client, all edges as rows | "
            f"{e['client_rows_s']:.3f} s | {p['ratio_ours_over_engine_client']:.2f} | "
            f"{e['client_rows']:,} rows |"
        )
        if "with_networkx_graph_s" in p:
            lines.append(
                f"| {g} | projection with the networkx graph and node attributes | "
                f"{p['with_networkx_graph_s']:.2f} s | | | | matchmaking, exports, snapshots |"
            )
        for metric, m in r["metrics"].items():
            if metric == "community":
                agree = (
                    f"Q {m['modularity']:.4f} vs {m['igraph_modularity']:.4f}; "
                    f"{m['communities']} vs {m['igraph_communities']} communities"
                )
            else:
                agree = (
                    f"top 10 {'same' if m['same_top10'] else 'DIFFERENT'}; "
                    f"max diff {m['max_abs_diff']:.1e}"
                )
            lines.append(
                f"| {g} | {metric} ({m['backend']}) | {m['ours_s']['median']:.4f} s | igraph "
                f"call | {m['igraph_s']['median']:.4f} s | {m['ratio_ours_over_igraph']:.2f} "
                f"| {agree}; our first call {m['ours_first_call_s'] * 1e3:.2f} ms |"
            )
        for key, what in (("wall_warm", "server up"), ("wall_cold", "server started")):
            w = r[key]
            lines.append(
                f"| {g} | `scaleup metrics degree pagerank community`, {what} | "
                f"{w['ours_s']:.2f} s | igraph alone: import, read dump, 3 calls | "
                f"{w['igraph_alone_s']:.2f} s | {w['ratio']:.2f} | {w['runs']} run(s) |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="M", help="generated sizes, comma-separated (S, M)")
    parser.add_argument("--cordis", action="store_true", help="also the CORDIS network")
    parser.add_argument("--repeat", type=int, default=5, help="runs per in-process figure")
    parser.add_argument("--wall-repeat", type=int, default=3, help="runs of each command")
    parser.add_argument("--db", action="append", default=[], help="SIZE=folder of a loaded db")
    parser.add_argument("--table", type=Path, help="print a stored result file as Markdown")
    args = parser.parse_args()
    if args.table:
        print(table(json.loads(args.table.read_text())["rows"]))
        return
    given = {k: Path(v) for k, v in (item.split("=", 1) for item in args.db)}
    env = environment()
    sizes = [s for s in args.sizes.split(",") if s] + (["CORDIS"] if args.cordis else [])
    rows = []
    for size in sizes:
        row = run_size(size, given.get(size), args.repeat, args.wall_repeat)
        print(json.dumps(row, default=str))
        rows.append(row)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"metrics_speed-{stamp}.json"
    env["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    out.write_text(json.dumps({**env, "rows": rows}, indent=2, default=str))
    print(f"\nstored {out}\n\n{table(rows)}")


if __name__ == "__main__":
    main()
