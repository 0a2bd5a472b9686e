"""Benchmark of the analytics metrics: ours beside the plain networkx call, with peak memory.

Graphs: generated preferential-attachment graphs of about 5,000 / 50,000 / 500,000
relationships (networkx ``barabasi_albert_graph(n, 5)``, seeded) and, with ``--cordis``, the
CORDIS H2020 network (organisations and projects, PARTNER_IN) loaded into an embedded store and
projected through :func:`scaleup_graph.analytics.project`.

For each metric the table shows our time, the plain networkx time for the same metric where our
path differs (networkit/igraph backends, sampling), the ratio, and the peak RSS growth while it
ran. networkx baselines that would run for many minutes are skipped and say so. Sampled
betweenness also reports its rank agreement with the exact values where exact is affordable.

Run: .venv/bin/python bench/analytics_metrics.py [--sizes 5000 50000 500000] [--cordis]
Results: printed, and stored in bench/results/analytics_metrics-<utc time>.json
"""

from __future__ import annotations

import argparse
import json
import platform
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import psutil

from bench.scratch import scratch_folder
from scaleup_graph.analytics.brokerage import brokerage
from scaleup_graph.analytics.centrality import (
    betweenness,
    closeness,
    degree,
    pagerank,
    rank_agreement,
)
from scaleup_graph.analytics.cohesion import k_core, single_points_of_failure
from scaleup_graph.analytics.communities import louvain
from scaleup_graph.analytics.link_prediction import suggest_introductions
from scaleup_graph.analytics.structural_holes import constraint

RESULTS = Path(__file__).parent / "results"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE = 256

#: largest edge count at which each plain networkx baseline still runs (minutes beyond)
NX_LIMIT = {"betweenness": 200_000, "louvain": 200_000, "closeness": 60_000, "constraint": 60_000}
#: largest edge count at which our own O(n m) or O(sum deg^2) metrics run in this benchmark
OURS_LIMIT = {"closeness": 60_000, "constraint": 60_000}


def measure(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Seconds, peak RSS growth (MB, sampled every 5 ms) and the result of ``fn``."""
    proc = psutil.Process()
    base = proc.memory_info().rss
    peak = [base]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], proc.memory_info().rss)
            time.sleep(0.005)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    started = time.perf_counter()
    try:
        value = fn()
    finally:
        seconds = time.perf_counter() - started
        done.set()
        watcher.join()
    peak[0] = max(peak[0], proc.memory_info().rss)
    return seconds, (peak[0] - base) / 2**20, value


def generated(edges: int, seed: int = 1) -> nx.Graph:
    g = nx.barabasi_albert_graph(max(edges // 5, 10), 5, seed=seed)
    g = nx.relabel_nodes(g, {n: f"org-{n}" for n in g})
    regions = ["DE73", "ITI4", "PL81", "ES62", "EL30", "UKF1", "BE10"]
    for n in g:
        g.nodes[n]["label"] = "Organisation"
        g.nodes[n]["region"] = regions[hash(n) % len(regions)]
    return g


def cordis_graph() -> tuple[nx.Graph, float]:
    from scaleup_graph.analytics import ProjectionFilter, project
    from scaleup_graph.ingest import load_cordis
    from scaleup_graph.store import open_store

    with (
        scratch_folder("bench-cordis-") as folder,
        open_store(f"embedded://{folder}", graph="cordis") as store,
    ):
        load_cordis(store, SHARED)
        flt = ProjectionFilter(labels=("Organisation", "Project"), rel_types=("PARTNER_IN",))
        seconds, _, proj = measure(lambda: project(store, flt))
        graph = proj.undirected()
        for _n, data in graph.nodes(data=True):
            data.setdefault("region", data.get("country"))
        return graph, seconds


def cases(graph: nx.Graph) -> list[tuple[str, Callable[[], Any] | None, Callable[[], Any] | None]]:
    """(metric, ours, plain networkx or None when ours *is* the networkx call)."""
    m = graph.number_of_edges()

    def nx_or_skip(name: str, fn: Callable[[], Any]) -> Callable[[], Any] | None:
        return fn if m <= NX_LIMIT.get(name, 10**12) else None

    def ours_or_skip(name: str, fn: Callable[[], Any]) -> Callable[[], Any] | None:
        return fn if m <= OURS_LIMIT.get(name, 10**12) else None

    sampled = graph.number_of_nodes() > 5000
    return [
        ("degree", lambda: degree(graph), None),
        ("pagerank", lambda: pagerank(graph), None),
        (
            "betweenness",
            lambda: betweenness(graph, seed=1),
            nx_or_skip(
                "betweenness",
                lambda: nx.betweenness_centrality(graph, k=SAMPLE if sampled else None, seed=1),
            ),
        ),
        (
            "closeness",
            ours_or_skip("closeness", lambda: closeness(graph)),
            nx_or_skip("closeness", lambda: nx.closeness_centrality(graph)),
        ),
        (
            "louvain",
            lambda: louvain(graph, seed=1),
            nx_or_skip("louvain", lambda: nx.community.louvain_communities(graph, seed=1)),
        ),
        ("kcore", lambda: k_core(graph), None),
        (
            "articulation+bridges",
            lambda: single_points_of_failure(graph),
            lambda: (list(nx.articulation_points(graph)), list(nx.bridges(graph))),
        ),
        ("constraint", ours_or_skip("constraint", lambda: constraint(graph)), None),
        ("brokerage(region)", lambda: brokerage(graph, "region"), None),
        ("introductions(top 20)", lambda: suggest_introductions(graph, top=20), None),
    ]


def run_graph(name: str, graph: nx.Graph) -> list[dict[str, Any]]:
    rows = []
    print(f"\n== {name}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    for metric, ours, plain in cases(graph):
        row: dict[str, Any] = {
            "graph": name,
            "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges(),
            "metric": metric,
        }
        if ours is None:
            row["ours_s"] = None
            row["note"] = "skipped: O(n*m) or O(sum deg^2) at this size"
        else:
            row["ours_s"], row["ours_peak_mb"], result = measure(ours)
            run = getattr(result, "run", None)
            row["backend"] = getattr(run, "backend", "networkx")
            if metric == "louvain":
                row["modularity"] = result.extra["modularity"]
            if metric == "betweenness" and result.extra.get("sample_size"):
                row["sample_size"] = result.extra["sample_size"]
        if plain is not None and ours is not None:
            row["networkx_s"], row["networkx_peak_mb"], base = measure(plain)
            row["ratio_networkx_over_ours"] = round(row["networkx_s"] / max(row["ours_s"], 1e-9), 2)
            if metric == "louvain":
                row["networkx_modularity"] = round(nx.community.modularity(graph, base), 6)
        elif ours is not None and metric in ("betweenness", "closeness", "louvain"):
            row["note"] = "networkx baseline skipped: many minutes at this size (DESIGN.md 8)"
        if metric == "betweenness" and row.get("sample_size") and graph.number_of_edges() <= 60_000:
            exact_s, _, exact = measure(lambda: betweenness(graph, exact_limit=10**9))
            row["exact_networkit_s"] = round(exact_s, 3)
            row["rank_agreement"] = rank_agreement(result.values, exact.values)
        print(
            "  "
            + json.dumps(
                {
                    k: (round(v, 3) if isinstance(v, float) else v)
                    for k, v in row.items()
                    if k not in ("graph",)
                }
            )
        )
        rows.append(row)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """The results as a Markdown table (for docs/analytics.md)."""

    def num(value: Any, digits: int = 2) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    lines = [
        "| graph | nodes | edges | metric | backend | ours s | networkx s | networkx/ours "
        "| ours peak MB | note |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        note = r.get("note", "")
        if r.get("sample_size"):
            note = f"k={r['sample_size']} " + note
        if r.get("rank_agreement"):
            ra = r["rank_agreement"]
            note += f" vs exact: Spearman {ra['spearman']}, top-20 overlap {ra['top_overlap']}"
        if r.get("modularity") is not None:
            note += f" Q={r['modularity']}"
            if r.get("networkx_modularity") is not None:
                note += f" (networkx Q={r['networkx_modularity']})"
        lines.append(
            f"| {r['graph']} | {r['nodes']} | {r['edges']} | {r['metric']} | "
            f"{r.get('backend', '-')} | {num(r.get('ours_s'))} | {num(r.get('networkx_s'))} | "
            f"{num(r.get('ratio_networkx_over_ours'), 1)} | {num(r.get('ours_peak_mb'), 0)} | "
            f"{note.strip()} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[5_000, 50_000, 500_000])
    parser.add_argument("--cordis", action="store_true", help="also the CORDIS network")
    parser.add_argument("--table", type=Path, help="print a stored result file as Markdown")
    args = parser.parse_args()
    if args.table:
        print(markdown(json.loads(args.table.read_text())["rows"]))
        return
    rows: list[dict[str, Any]] = []
    for edges in args.sizes:
        rows += run_graph(f"generated-{edges}", generated(edges))
    extra: dict[str, Any] = {}
    if args.cordis:
        graph, projection_s = cordis_graph()
        extra["cordis_projection_s"] = round(projection_s, 2)
        rows += run_graph("cordis-h2020", graph)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"analytics_metrics-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "cpus": psutil.cpu_count(),
                    "python": platform.python_version(),
                    "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                },
                **extra,
                "rows": rows,
            },
            indent=2,
            default=str,
        )
    )
    print(f"\nstored {out}\n\n{markdown(rows)}")


if __name__ == "__main__":
    main()
