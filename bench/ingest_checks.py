"""What the ingest trust checks cost: the same ingest with and without them, in one process.

    .venv/bin/python -m bench.ingest_checks [--size M] [--repeat 3]

The checks measured are the ones ``IngestOptions.checks`` switches: every column the manifest
names is in the header; two rows that write the same relationship are compared (a dictionary of
every relationship of the run); a node repeated on many rows keeps its first values; organisation
names that look like a person's are withheld. The checks that cannot be switched off because they
are how a row is read (row width, open quotes, key templates with an empty column) run in both.
Runs alternate (with, without; without, with; ...) into empty graphs of one embedded server, so
that drift on a shared machine hits both alike. On a shared machine the wall clock swings by tens
of percent between runs, more than the checks cost; so the claim is the CPU time of our own
process, where the checks run (the database does the same work either way; its CPU is recorded
too): checks cost = (median CPU with - median CPU without) / median ingest time without, target
under 10 %. The wall-clock ratio and the share of all CPU (ours + database) are printed beside it.
Results go to bench/results/ingest_checks-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

import psutil

from bench.scratch import scratch_folder
from bench.suite import ORGS
from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
from scaleup_graph.ingest.generate import generate
from scaleup_graph.store import open_store

RESULTS = Path(__file__).resolve().parent / "results"


def run(size: str, repeat: int, work: Path) -> dict[str, Any]:
    population = generate(ORGS[size], 7, work / f"gen-{ORGS[size]}")
    manifest = load_manifest(population.manifest)
    url = f"embedded://{work / 'db'}"
    keeper = open_store(url, graph="keepalive")
    times: dict[bool, list[float]] = {True: [], False: []}
    cpus: dict[bool, list[float]] = {True: [], False: []}
    server_cpus: dict[bool, list[float]] = {True: [], False: []}
    counts: dict[bool, Any] = {}
    try:
        for attempt in range(repeat):
            # the order flips every attempt, so neither variant always runs first
            for checks in (True, False) if attempt % 2 == 0 else (False, True):
                store = open_store(url, graph=f"checks_{checks}_{attempt}")
                store.clear()
                store.setup_schema()
                options = IngestOptions(
                    state_dir=work / f"state-{checks}-{attempt}",
                    batch_size=5000,
                    check_duplicates=False,
                    checks=checks,
                )
                server = _server(store)
                server_cpu = _cpu(server)
                started, cpu = time.perf_counter(), time.process_time()
                report = run_ingest(store, manifest, options)
                times[checks].append(time.perf_counter() - started)
                cpus[checks].append(time.process_time() - cpu)
                server_cpus[checks].append(_cpu(server) - server_cpu)
                counts[checks] = (store.counts(), report.rejected_rows)
                store.clear()
                store.close()
    finally:
        keeper.close()
    assert counts[True] == counts[False], "with and without checks must store the same graph"
    with_, without = statistics.median(times[True]), statistics.median(times[False])
    cpu_with, cpu_without = statistics.median(cpus[True]), statistics.median(cpus[False])
    srv_with, srv_without = (
        statistics.median(server_cpus[True]),
        statistics.median(server_cpus[False]),
    )
    return {
        "size": size,
        "organisations": ORGS[size],
        "nodes": population.node_total,
        "relationships": population.relationship_total,
        "with_checks_s": times[True],
        "without_checks_s": times[False],
        "median_with_s": with_,
        "median_without_s": without,
        "checks_cost": with_ / without - 1,
        "with_checks_cpu_s": cpus[True],
        "without_checks_cpu_s": cpus[False],
        "server_cpu_with_s": server_cpus[True],
        "server_cpu_without_s": server_cpus[False],
        # the checks run in our process; the database does the same work either way
        "checks_cpu_s": cpu_with - cpu_without,
        "checks_cpu_share": (cpu_with - cpu_without) / without,
        "server_cpu_difference_s": srv_with - srv_without,
        # the same against the CPU the whole ingest takes, which waiting on a busy machine
        # does not inflate
        "checks_share_of_cpu": (cpu_with - cpu_without) / (cpu_without + srv_without),
    }


def _server(store: Any) -> psutil.Process | None:
    server = getattr(store, "server", None)
    pid = server.pid() if server else None
    return psutil.Process(pid) if pid else None


def _cpu(process: psutil.Process | None) -> float:
    if process is None:
        return 0.0
    times = process.cpu_times()
    return float(times.user + times.system)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=sorted(ORGS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with scratch_folder("ingest-checks-") as tmp:
        result = run(args.size, args.repeat, Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"ingest_checks-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    cpu_with = statistics.median(result["with_checks_cpu_s"])
    cpu_without = statistics.median(result["without_checks_cpu_s"])
    print(
        f"ingest at {result['size']} ({result['organisations']:,} organisations, "
        f"{result['nodes']:,} nodes, {result['relationships']:,} relationships), "
        f"median of {args.repeat}: wall {result['median_with_s']:.1f} s with checks, "
        f"{result['median_without_s']:.1f} s without ({result['checks_cost']:+.1%}, machine "
        f"noise included); CPU of our process {cpu_with:.1f} s with, {cpu_without:.1f} s "
        f"without: the checks cost {result['checks_cpu_s']:.2f} s CPU = "
        f"{result['checks_cpu_share']:.1%} of the ingest time and "
        f"{result['checks_share_of_cpu']:.1%} of all CPU the ingest takes (ours + database; "
        f"target < 10 %); {out}"
    )


if __name__ == "__main__":
    main()
