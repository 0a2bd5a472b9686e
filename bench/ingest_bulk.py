"""The bulk first load (``scaleup ingest --bulk``) beside the ordinary ingest, the engine's own
bulk loader and the raw GRAPH.BULK of the very same bytes, in one process on one server.

    .venv/bin/python -m bench.ingest_bulk [--size M] [--cordis] [--repeat 1] [--before REV]

Four ways into an empty graph of one embedded FalkorDB server, in a rotating order:

- ``ordinary``: ``run_ingest`` (read, validate, report, UNWIND MERGE in batches of 5,000);
- ``bulk``: ``bulk_ingest`` (the same reading, validation and report into a staged graph, then
  GRAPH.BULK, the indexes, constraints and full-text indexes, and a rewritten append-only file);
- ``falkordb-bulk-loader``: the engine's own tool (``falkordb-bulk-insert``, PyPI
  ``falkordb-bulk-loader``, the bench extra) on the same generated CSV files, in its own process
  (start-up included): no validation, no provenance, no search keys, no indexes. Its wall clock
  is the tool's process alone; ``with_indexes_s`` adds what giving its graph our indexes,
  constraints and full-text indexes (built) and rewriting the append-only file takes, which our
  bulk load's wall clock holds: both ratios are printed;
- ``raw GRAPH.BULK``: the commands our bulk load sent, encoded beforehand and sent again into a
  new graph: what the engine alone needs for the payload.

With ``--before REV`` (a git revision) the generated case also runs ``bulk (before)``: the same
bulk load with that revision's sources (``git archive`` into a temporary folder, first on
``PYTHONPATH``) in a process of its own on the same server, in the same rotation: before and
after in one run. Its figures are the child's own (wall clock and CPU of the load alone).

CORDIS (``--cordis``, ../shared/data) has no generated CSV files for the tool (its rows need our
mapping: one row per participation), so there it is ordinary, bulk and raw. Every variant's
wall clock and CPU (ours, the tool's process, the database server) are stored; on a shared
machine the CPU figures move less than the wall clock. Both of our paths must give the same graph
(fingerprint), else the run stops. Results: bench/results/ingest_bulk-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil

from bench import peers
from bench.env import environment
from bench.ingest_checks import _cpu, _server
from bench.scratch import scratch_folder
from bench.suite import ORGS
from scaleup_graph.ingest import (
    IngestOptions,
    bulk_ingest,
    cordis_manifest,
    load_manifest,
    open_data_dir,
    run_ingest,
)
from scaleup_graph.ingest.engine import _Run
from scaleup_graph.ingest.generate import generate
from scaleup_graph.ingest.manifest import Manifest
from scaleup_graph.store import open_store
from scaleup_graph.store.bulk import BulkCommand, encode
from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.staged import StagedGraph

RESULTS = Path(__file__).resolve().parent / "results"
VARIANTS = ("ordinary", "bulk", "falkordb-bulk-loader", "raw GRAPH.BULK")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


_SAMPLER = """
import select, sys, psutil
proc, peak = psutil.Process(int(sys.argv[1])), 0
while not select.select([sys.stdin], [], [], 0.1)[0]:
    try:  # proportional set sizes: the pages a fork shares are counted once in the sum
        peak = max(peak, sum(p.memory_full_info().pss for p in [proc, *proc.children()]))
    except psutil.Error:
        pass
print(peak)
"""


def timed(fn: Callable[[], Any], server: Any) -> tuple[dict[str, float], Any]:
    """Wall clock and CPU (this process, child processes: the tool's, our bulk load's reading
    process, the database server) of ``fn``, and how far this process's memory grew with its
    children's (proportional set sizes, sampled every 100 ms by a process of its own: a sampling
    thread here would keep ingest from forking its reading process)."""
    base = psutil.Process().memory_full_info().pss
    sampler = subprocess.Popen(
        [sys.executable, "-c", _SAMPLER, str(os.getpid())],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(0.3)  # the sampler's start-up is not the load's
    cpu, children, srv = time.process_time(), _children_cpu(), _cpu(server)
    started = time.perf_counter()
    try:
        value = fn()
    finally:
        wall = time.perf_counter() - started
        process_cpu, children_cpu = time.process_time() - cpu, _children_cpu() - children
        peak = int(sampler.communicate("")[0].strip() or base)
    return {
        "wall_s": wall,
        "cpu_s": process_cpu,
        "tool_cpu_s": children_cpu,
        "server_cpu_s": _cpu(server) - srv,
        "memory_growth_mb": (peak - base) / 2**20,
    }, value


class Case:
    """One input (a manifest, and the CSV files the tool reads if it can) on one server."""

    def __init__(
        self,
        name: str,
        manifest: Manifest,
        csv: peers.CsvGraph | None,
        work: Path,
        before: Path | None = None,
    ):
        self.name, self.manifest, self.csv, self.work = name, manifest, csv, work
        #: the ``src`` folder of --before's revision (generated cases only)
        self.before = before
        self.url = f"embedded://{work / 'db'}"
        self.keeper = open_store(self.url, graph="keepalive")
        self.server = _server(self.keeper)
        self.fingerprints: dict[str, str] = {}
        self.payload: list[BulkCommand] = []
        self.shape: dict[str, int] = {}

    def _fresh(self, graph: str) -> Any:
        store = open_store(self.url, graph=graph)
        store.clear()
        store.setup_schema()  # what a new installation holds before its first load
        return store

    def _options(self, tag: str) -> IngestOptions:
        return IngestOptions(state_dir=self.work / f"state-{tag}", batch_size=5000)

    def run(self, variant: str, attempt: int) -> dict[str, Any]:
        graph = f"{variant.split()[0].replace('-', '_')}_{attempt}"
        if variant == "falkordb-bulk-loader":
            csv = self.csv
            assert csv is not None  # the case has CSV files for the tool
            figures, result = timed(
                lambda: peers.falkordb_bulk(csv, self.url, graph, indexes=True), self.server
            )
            # the tool's own time (its process, start-up included), and that plus our indexes,
            # built, and the append-only file rewritten: what our bulk load's wall clock holds
            figures["call_s"] = figures["wall_s"]
            figures["wall_s"] = result["seconds"]
            figures["with_indexes_s"] = result["seconds"] + result["indexes_s"]
            return {**figures, "nodes": result["nodes"], "relationships": result["relationships"]}
        if variant == "bulk (before)":
            assert self.before is not None
            figures, child = timed(lambda: self._before(f"before_{attempt}"), self.server)
            return {**figures, **child}
        store = self._fresh(graph)
        try:
            if variant == "ordinary":
                figures, _ = timed(
                    lambda: run_ingest(store, self.manifest, self._options(graph)), self.server
                )
            elif variant == "bulk":
                figures, reports = timed(
                    lambda: bulk_ingest(store, [self.manifest], self._options(graph)),
                    self.server,
                )
                figures.update(store.bulk_phases)
                figures["after_staging_s"] = reports[-1].bulk_seconds
                figures["reading_process"] = reports[-1].reading_process
                figures["staging_s"] = figures["wall_s"] - reports[-1].bulk_seconds
                listing = "CALL db.indexes() YIELD status RETURN status"
                figures["indexes_building_at_end"] = sum(
                    str(r["status"]).upper() != "OPERATIONAL" for r in store.read(listing)
                )
            else:
                figures, _ = timed(lambda: self._raw(store), self.server)
            counts = store.counts()
            figures["nodes"] = sum(counts["nodes"].values())
            figures["relationships"] = sum(counts["relationships"].values())
            if variant in ("ordinary", "bulk"):
                self.fingerprints[variant] = store.fingerprint()
                self.shape = {k: int(figures[k]) for k in ("nodes", "relationships")}
        finally:
            store.clear()
            store.close()
        return figures

    def _before(self, graph: str) -> dict[str, Any]:
        """The bulk load with --before's sources, in a child process: its own figures."""
        assert self.before is not None and self.manifest.path is not None
        env = {**os.environ, "PYTHONPATH": str(self.before)}
        args = [self.url, graph, str(self.manifest.path), str(self.work / f"state-{graph}")]
        done = subprocess.run(
            [sys.executable, "-c", _BEFORE_CHILD, *args],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return dict(json.loads(done.stdout.strip().splitlines()[-1]))

    def _raw(self, store: FalkorDBStore) -> None:
        store._command("GRAPH.DELETE", store.graph_name)
        for i, command in enumerate(self.payload):
            store._command("GRAPH.BULK", store.graph_name, *command.args(i == 0))

    def prepare_payload(self) -> None:
        """The GRAPH.BULK commands of this input, encoded once outside every timing."""
        staged = StagedGraph(self.keeper)
        _Run(staged, self.manifest, self._options("payload"), None, bulk=True).stage()
        self.payload = encode(staged)

    def close(self) -> None:
        self.keeper.close()


_BEFORE_CHILD = """
import json, sys, time
from pathlib import Path
import scaleup_graph
from scaleup_graph.ingest import IngestOptions, bulk_ingest, load_manifest
from scaleup_graph.store import open_store
url, graph, manifest, state = sys.argv[1:5]
store = open_store(url, graph=graph)
store.clear()
store.setup_schema()
loaded = load_manifest(Path(manifest))
started, cpu = time.perf_counter(), time.process_time()
bulk_ingest(store, [loaded], IngestOptions(state_dir=Path(state), batch_size=5000))
wall, cpu = time.perf_counter() - started, time.process_time() - cpu
counts = store.counts()
store.clear()
store.close()
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "sources": scaleup_graph.__file__,
                  "nodes": sum(counts["nodes"].values()),
                  "relationships": sum(counts["relationships"].values())}))
"""


def checkout(rev: str, into: Path) -> Path:
    """The ``src`` folder of ``rev`` (git archive), for PYTHONPATH."""
    root = Path(__file__).resolve().parent.parent
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def run(case: Case, repeat: int) -> dict[str, Any]:
    variants = [v for v in VARIANTS if case.csv is not None or v != "falkordb-bulk-loader"]
    if case.before is not None:
        variants.insert(2, "bulk (before)")
    case.prepare_payload()
    runs: dict[str, list[dict[str, Any]]] = {v: [] for v in variants}
    for attempt in range(repeat):
        shift = attempt % len(variants)
        for variant in variants[shift:] + variants[:shift]:
            runs[variant].append(case.run(variant, attempt))
            print(f"  {case.name} {variant}: {runs[variant][-1]['wall_s']:.2f} s", flush=True)
    if case.fingerprints["ordinary"] != case.fingerprints["bulk"]:
        raise SystemExit("the bulk load and the ordinary ingest gave different graphs")
    medians = {
        v: {
            k: statistics.median(r[k] for r in rs)
            if isinstance(rs[0][k], int | float)
            else rs[0][k]
            for k in rs[0]
        }
        for v, rs in runs.items()
    }
    bulk = medians["bulk"]
    ratios = {
        "bulk_vs_ordinary": bulk["wall_s"] / medians["ordinary"]["wall_s"],
        "bulk_vs_raw": bulk["wall_s"] / medians["raw GRAPH.BULK"]["wall_s"],
    }
    if "bulk (before)" in medians:
        before = medians["bulk (before)"]
        ratios["bulk_vs_before"] = bulk["wall_s"] / before["wall_s"]
        if "falkordb-bulk-loader" in medians:
            ratios["before_vs_loader"] = (
                before["wall_s"] / medians["falkordb-bulk-loader"]["wall_s"]
            )
    if "falkordb-bulk-loader" in medians:
        loader = medians["falkordb-bulk-loader"]
        ratios["bulk_vs_loader"] = bulk["wall_s"] / loader["wall_s"]
        ratios["bulk_vs_loader_with_indexes"] = bulk["wall_s"] / loader["with_indexes_s"]
        # the loader's server CPU includes building our indexes on its graph
        ratios["bulk_vs_loader_with_indexes_cpu"] = (bulk["cpu_s"] + bulk["server_cpu_s"]) / (
            loader["tool_cpu_s"] + loader["server_cpu_s"]
        )
    return {"case": case.name, **case.shape, "runs": runs, "medians": medians, "ratios": ratios}


def render(result: dict[str, Any]) -> str:
    lines = [
        f"{result['case']}: {result['nodes']:,} nodes, {result['relationships']:,} "
        "relationships (median of the runs)",
        "| variant | wall s | CPU ours s | CPU tool s | CPU database s | memory MB "
        "| wall vs bulk |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    bulk = result["medians"]["bulk"]["wall_s"]
    for variant, m in result["medians"].items():
        lines.append(
            f"| {variant} | {m['wall_s']:.2f} | {m['cpu_s']:.2f} | {m['tool_cpu_s']:.2f} | "
            f"{m['server_cpu_s']:.2f} | {m['memory_growth_mb']:.0f} | {m['wall_s'] / bulk:.2f}x |"
        )
    b = result["medians"]["bulk"]
    lines.append(
        f"bulk steps: staging (read, validate, report; the writer sends meanwhile) "
        f"{b['staging_s']:.2f} s, then {b['after_staging_s']:.2f} s to the end (waiting for the "
        f"engine {b['wait_s']:.2f} s, append-only file {b['durable_s']:.2f} s); encoding "
        f"{b['encode_s']:.2f} s within the staging (and {b.get('ahead_s', 0.0):.2f} s while "
        f"waiting for the reading process), the writer busy {b['send_s']:.2f} s "
        f"(schema, GRAPH.BULK); indexes still building at the end: "
        f"{b['indexes_building_at_end']:.0f}"
    )
    if "falkordb-bulk-loader" in result["medians"]:
        loader = result["medians"]["falkordb-bulk-loader"]
        lines.append(
            f"falkordb-bulk-loader: the tool {loader['wall_s']:.2f} s; with our indexes built "
            f"and the append-only file rewritten {loader['with_indexes_s']:.2f} s"
        )
    lines.append("ratios: " + ", ".join(f"{k} {v:.2f}x" for k, v in result["ratios"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=[*sorted(ORGS), "none"])
    parser.add_argument("--cordis", action="store_true", help="also the CORDIS open data")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument(
        "--before", help="a git revision whose bulk load runs beside this one (generated size)"
    )
    args = parser.parse_args(argv)
    if args.size != "none":
        peers.bulk_loader()  # before minutes of loads, not after them
    doc: dict[str, Any] = {"environment": environment(), "results": []}
    with scratch_folder("ingest-bulk-") as tmp:
        work = Path(tmp)
        cases: list[tuple[str, Callable[[], tuple[Manifest, peers.CsvGraph | None]]]] = []
        if args.size != "none":
            size = args.size

            def generated() -> tuple[Manifest, peers.CsvGraph | None]:
                population = generate(ORGS[size], 7, work / f"gen-{size}")
                return load_manifest(population.manifest), peers.read_manifest(population.manifest)

            cases.append((f"{size} ({ORGS[size]:,} organisations)", generated))
        data = open_data_dir()
        if args.cordis and data is not None:
            cases.append(("CORDIS", lambda: (cordis_manifest(data), None)))
        before = checkout(args.before, work / "before") if args.before else None
        if args.before:
            doc["environment"]["before"] = args.before
        for i, (name, make) in enumerate(cases):
            manifest, csv = make()
            case = Case(name, manifest, csv, work / f"case-{i}", before if csv else None)
            try:
                result = run(case, args.repeat)
            finally:
                case.close()
            doc["results"].append(result)
            print(render(result), flush=True)
    doc["environment"]["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"ingest_bulk-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(doc, indent=1, default=str), encoding="utf-8")
    print(f"results: {out}")


if __name__ == "__main__":
    main()
