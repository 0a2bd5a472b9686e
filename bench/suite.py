"""The cases of ``python -m bench``: each returns rows, one per measured figure.

A row is ``{"size", "task", "subject", "stats": {median, min, max, runs}, "peak_rss_mb", ...}``;
``subject`` ``"ours"`` is ScaleUp Graph, anything else a peer doing the same task. The table
and the plots group rows by (size, task) and divide each peer's median by ours.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from bench import HERE, RESULTS, peers
from bench.scratch import scratch_folder

#: generated organisations per size (~3.1 relationships per node, ~2 nodes per organisation)
ORGS = {"S": 4_000, "M": 40_000, "L": 400_000}
#: organisations of the API graph: the 50,000 one api_latency.py keeps between runs for M
API_ORGS = {"S": 4_000, "M": 50_000}
#: a peer call whose first run takes longer than this is run once
ONCE_ABOVE_S = 10.0
WORK = Path(tempfile.gettempdir()) / "scaleup-bench"


def stats(values: list[float]) -> dict[str, Any]:
    """Median, min, max and the number of runs."""
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "runs": len(values),
    }


def repeated(fn: Callable[[], Any], repeat: int) -> tuple[dict[str, Any], float, Any]:
    """Run ``fn`` up to ``repeat`` times (once if the first run is slow): stats, peak RSS growth
    in MB (sampled every 5 ms, highest of the runs) and the last result."""
    from bench.analytics_metrics import measure

    times: list[float] = []
    peak = 0.0
    value: Any = None
    for _ in range(repeat):
        seconds, grown, value = measure(fn)
        times.append(seconds)
        peak = max(peak, grown)
        if seconds > ONCE_ABOVE_S:
            break
    return stats(times), peak, value


def _population(size: str) -> tuple[Path, dict[str, int]]:
    from scaleup_graph.ingest.generate import generate

    folder = WORK / f"gen-{ORGS[size]}"
    population = generate(ORGS[size], 7, folder)
    return population.manifest, {
        "nodes": population.node_total,
        "relationships": population.relationship_total,
    }


def _row(
    size: str, task: str, subject: str, st: dict[str, Any] | None, **extra: Any
) -> dict[str, Any]:
    return {"size": size, "task": task, "subject": subject, "stats": st, **extra}


def ingest(size: str, repeat: int, graphs: dict[str, nx.Graph]) -> list[dict[str, Any]]:
    """Our ingest end to end beside the engine's raw UNWIND MERGE (bench/ingest_rate.py)."""
    from bench import ingest_rate
    from scaleup_graph.store import open_store

    manifest, shape = (None, {}) if size == "CORDIS" else _population(size)

    def keep_projection(store: Any) -> None:
        if size == "CORDIS":
            graphs[size] = _cordis_projection(store)

    WORK.mkdir(parents=True, exist_ok=True)
    with scratch_folder("ingest-", dir=WORK) as work:
        url = f"embedded://{work / 'db'}"
        with open_store(url, graph="keepalive"):
            case = "cordis" if size == "CORDIS" else f"gen{ORGS[size]}"
            result = ingest_rate.run_case(case, url, work, repeat, manifest, keep_projection)
    common = {"rows": result["rows_read"], "writes": result["writes"], **shape}
    return [
        _row(
            size,
            "ingest",
            "ours",
            stats(result["ours_runs_s"]),
            peak_rss_mb=round(result["peak_rss_mb"]),
            server_peak_rss_mb=round(result["server_peak_rss_mb"]),
            **common,
        ),
        _row(
            size,
            "ingest",
            "falkordb raw UNWIND MERGE",
            stats(result["raw_runs_s"]),
            server_peak_rss_mb=round(result["server_peak_rss_mb"]),
            note="same nodes and relationships, no reading or validation",
            **common,
        ),
    ]


def _cordis_projection(store: Any) -> nx.Graph:
    from scaleup_graph.analytics import ProjectionFilter, project

    flt = ProjectionFilter(labels=("Organisation", "Project"), rel_types=("PARTNER_IN",))
    return project(store, flt).undirected()


def load_peers(size: str, repeat: int, graphs: dict[str, nx.Graph]) -> list[dict[str, Any]]:
    """LadybugDB COPY FROM and a plain networkx build of the same CSV files."""
    if size == "CORDIS":
        return []  # the CORDIS files need our mapping (one row per participation), not a COPY
    manifest, shape = _population(size)
    csv_graph = peers.read_manifest(manifest)
    common = {"rows": csv_graph.rows, **shape}
    folder = WORK / f"ladybug-{size}"
    schema: list[float] = []

    def copy() -> dict[str, Any]:
        result = peers.ladybug_copy(csv_graph, folder)
        schema.append(result["schema_s"])
        return result

    # ladybug_copy times its COPY statements itself; measure() adds the database creation
    runs: list[float] = []
    peak = 0.0
    from bench.analytics_metrics import measure

    for _ in range(repeat):
        _, grown, result = measure(copy)
        runs.append(result["seconds"])
        peak = max(peak, grown)
    bulk_url = f"embedded://{WORK / f'bulk-{size}'}"
    bulk_stats, _, _ = repeated(
        lambda: peers.falkordb_bulk(csv_graph, bulk_url, f"bulk_{size}"), repeat
    )
    nx_stats, nx_peak, built = repeated(lambda: peers.networkx_build(csv_graph)[1], repeat)
    graphs.setdefault(size, nx.Graph(built))
    return [
        _row(
            size,
            "ingest",
            f"ladybug {peers.ladybug_version()} COPY FROM",
            stats(runs),
            peak_rss_mb=round(peak),
            note=f"into an empty database; schema {statistics.median(schema):.2f} s not counted",
            **common,
        ),
        _row(
            size,
            "ingest",
            f"falkordb-bulk-loader {peers.package_version('falkordb-bulk-loader')} GRAPH.BULK",
            bulk_stats,
            note="same engine, empty graph, no validation; includes the tool's process start",
            **common,
        ),
        _row(
            size,
            "ingest",
            f"networkx {nx.__version__} MultiDiGraph",
            nx_stats,
            peak_rss_mb=round(nx_peak),
            note="in memory, csv module, every column an attribute",
            **common,
        ),
    ]


def metrics(size: str, repeat: int, graphs: dict[str, nx.Graph]) -> list[dict[str, Any]]:
    """Our PageRank, Louvain, betweenness and k-core beside plain networkx and igraph."""
    from scaleup_graph.analytics.centrality import betweenness, pagerank, rank_agreement
    from scaleup_graph.analytics.cohesion import k_core
    from scaleup_graph.analytics.communities import louvain

    graph = graphs.get(size)
    if graph is None:
        graph = _metric_graph(size)
        graphs[size] = graph
    shape = {"nodes": graph.number_of_nodes(), "relationships": graph.number_of_edges()}
    big = graph.number_of_edges() > 100_000
    ours: dict[str, Callable[[], Any]] = {
        "pagerank": lambda: pagerank(graph),
        "louvain": lambda: louvain(graph, seed=1),
        "betweenness": lambda: betweenness(graph, seed=1),
        "kcore": lambda: k_core(graph),
    }
    rows: list[dict[str, Any]] = []
    for metric, peer_calls in peers.metric_peers(graph, big).items():
        st, peak, result = repeated(ours[metric], repeat)
        run = getattr(result, "run", None)
        extra: dict[str, Any] = {"backend": getattr(run, "backend", "networkx")}
        if metric == "betweenness" and not big:
            exact = betweenness(graph, exact_limit=10**9)
            extra["rank_agreement_vs_exact"] = rank_agreement(result.values, exact.values)
            extra["sample_size"] = result.extra.get("sample_size")
        if metric == "louvain":
            extra["modularity"] = result.extra.get("modularity")
        rows.append(_row(size, metric, "ours", st, peak_rss_mb=round(peak), **shape, **extra))
        for name, call in peer_calls.items():
            label = f"{name} {peers.package_version(name)}"
            if call is None:
                rows.append(
                    _row(size, metric, label, None, note="skipped: minutes here (DESIGN.md 8)")
                )
                continue
            pst, ppeak, _ = repeated(call, repeat)
            rows.append(_row(size, metric, label, pst, peak_rss_mb=round(ppeak), **shape))
    return rows


def _metric_graph(size: str) -> nx.Graph:
    if size == "CORDIS":
        from scaleup_graph.ingest import load_cordis, open_data_dir
        from scaleup_graph.store import open_store

        data = open_data_dir()
        if data is None:
            raise RuntimeError("no open data folder: CORDIS cannot run")
        WORK.mkdir(parents=True, exist_ok=True)
        with (
            scratch_folder("cordis-", dir=WORK) as folder,
            open_store(f"embedded://{folder}", graph="cordis") as store,
        ):
            load_cordis(store, data)
            return _cordis_projection(store)
    manifest, _ = _population(size)
    return nx.Graph(peers.networkx_build(peers.read_manifest(manifest))[1])


def _newest(prefix: str, after: float) -> dict[str, Any]:
    import json

    files = [p for p in RESULTS.glob(f"{prefix}-*.json") if p.stat().st_mtime >= after]
    if not files:
        raise RuntimeError(f"{prefix} wrote no result file")
    return dict(json.loads(max(files, key=lambda p: p.stat().st_mtime).read_text()))


def api(size: str, seconds: float) -> list[dict[str, Any]]:
    """bench/api_latency.py at this size: ours beside the bare Starlette route (50 clients)."""
    if size not in API_ORGS:
        return []
    started = time.time()
    subprocess.run(
        [
            sys.executable,
            str(HERE / "api_latency.py"),
            "--orgs",
            str(API_ORGS[size]),
            "--seconds",
            str(seconds),
        ],
        check=True,
    )
    doc = _newest("api_latency", started)
    rows = []
    for result in doc["results"]:
        for subject, key in (("ours", "ours"), ("bare Starlette route", "bare")):
            figures = result[key]
            rows.append(
                _row(
                    size,
                    f"api {result['case']}",
                    subject,
                    {
                        "median": figures["p50_ms"] / 1000,
                        "min": None,
                        "max": None,
                        "runs": figures["requests"],
                    },
                    p99_ms=figures["p99_ms"],
                    req_per_s=figures["req_per_s"],
                    errors=figures["errors"],
                    nodes=doc["graph"]["nodes"],
                    relationships=doc["graph"]["relationships"],
                    note=f"p50 of {figures['requests']} requests; p99 {figures['p99_ms']} ms, "
                    f"{figures['req_per_s']} req/s",
                )
            )
    return rows


def explorer() -> list[dict[str, Any]]:
    """bench/explorer_render.py: first frame and panning FPS in headless chromium."""
    started = time.time()
    subprocess.run([sys.executable, str(HERE / "explorer_render.py")], check=True)
    doc = _newest("explorer_render", started)
    return [
        _row(
            "views",
            f"explorer {r['view']}",
            "ours",
            {"median": r["first_frame_ms"] / 1000, "min": None, "max": None, "runs": 1},
            nodes=r["nodes"],
            relationships=r["edges"],
            pan_fps=r["pan_fps"],
            note=f"first frame; panning {r['pan_fps']} FPS",
        )
        for r in doc["results"]
    ]


def run(
    sizes: list[str], cases: list[str], repeat: int, slow_repeat: int, api_seconds: float
) -> list[dict[str, Any]]:
    """All requested cases at all requested sizes, printing each row as it comes."""
    WORK.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    graphs: dict[str, nx.Graph] = {}

    def add(new: list[dict[str, Any]]) -> None:
        for row in new:
            median = row["stats"]["median"] if row["stats"] else None
            shown = "skipped" if median is None else f"{median:.3f} s"
            print(f"  {row['size']:6} {row['task']:28} {row['subject']:34} {shown}", flush=True)
        rows.extend(new)

    for size in sizes:
        print(f"== {size}", flush=True)
        many = repeat if size == "S" else slow_repeat
        if "ingest" in cases:
            add(ingest(size, many, graphs))
        if "peers" in cases:
            add(load_peers(size, repeat, graphs))
        if "metrics" in cases:
            add(metrics(size, repeat, graphs))
        if "api" in cases:
            add(api(size, api_seconds))
    if "explorer" in cases:
        add(explorer())
    return rows
