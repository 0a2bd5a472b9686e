"""What the ingest trust checks cost: the same ingest with and without them, in one process.

    .venv/bin/python -m bench.ingest_checks [--size M] [--repeat 3]

The checks measured are the ones ``IngestOptions.checks`` switches: every column the manifest
names is in the header, two rows that write the same relationship are compared (a dictionary of
every relationship of the run), organisation names that look like a person's are withheld. The
checks that cannot be switched off because they are how a row is read (row width, open quotes,
key templates with an empty column) run in both. Runs alternate (with, without, with, ...) into
empty graphs of one embedded server so that drift on a shared machine hits both alike. The
claim is the ratio of the medians: checks cost = with / without - 1, target under 10 %.
Results go to bench/results/ingest_checks-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

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
    counts: dict[bool, Any] = {}
    try:
        for attempt in range(repeat):
            for checks in (True, False):
                store = open_store(url, graph=f"checks_{checks}_{attempt}")
                store.clear()
                store.setup_schema()
                options = IngestOptions(
                    state_dir=work / f"state-{checks}-{attempt}",
                    batch_size=5000,
                    check_duplicates=False,
                    checks=checks,
                )
                started = time.perf_counter()
                report = run_ingest(store, manifest, options)
                times[checks].append(time.perf_counter() - started)
                counts[checks] = (store.counts(), report.rejected_rows)
                store.clear()
                store.close()
    finally:
        keeper.close()
    assert counts[True] == counts[False], "with and without checks must store the same graph"
    with_, without = statistics.median(times[True]), statistics.median(times[False])
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
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=sorted(ORGS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ingest-checks-") as tmp:
        result = run(args.size, args.repeat, Path(tmp))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"ingest_checks-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"ingest at {result['size']} ({result['organisations']:,} organisations, "
        f"{result['nodes']:,} nodes, {result['relationships']:,} relationships), "
        f"median of {args.repeat}: with checks {result['median_with_s']:.1f} s, without "
        f"{result['median_without_s']:.1f} s: checks cost {result['checks_cost']:+.1%} "
        f"(target < 10 %); {out}"
    )


if __name__ == "__main__":
    main()
