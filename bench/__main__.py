"""The benchmark suite: our figures beside a peer measured in the same run on the same machine.

    .venv/bin/python -m bench [--sizes S,M,CORDIS] [--cases ingest,peers,metrics,api,explorer]
                              [--repeat 5] [--slow-repeat 1]

Sizes: S (4,000 generated organisations: ~8,000 nodes / ~25,000 relationships), M (40,000:
~80,000 / ~250,000), L (400,000: ~800,000 / ~2,500,000, opt-in) and CORDIS (the real H2020
network in the open data folder). The generator makes ~3.1 relationships per node, so sizes
match the issue's relationship counts (the work) and carry more nodes than it names.

Every figure is the median of ``--repeat`` runs with min and max, except the ingest at M, L
and CORDIS (``--slow-repeat`` runs: one run there takes minutes) and peer calls whose first run
takes over 10 s (run once, said in the table). Writes ``bench/results/<date>-<machine>.json``
and prints a table; ``python -m bench.report`` draws the plots from it.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench import RESULTS, suite, table
from bench.env import environment


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,CORDIS")
    parser.add_argument("--cases", default="ingest,peers,metrics,api,explorer")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slow-repeat", type=int, default=1)
    parser.add_argument("--api-seconds", type=float, default=10.0)
    parser.add_argument("--table", type=Path, help="print the table of a stored result file")
    args = parser.parse_args()
    if args.table:
        print(table.render(json.loads(args.table.read_text())))
        return
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    started = time.time()
    doc: dict[str, Any] = {"environment": environment(), "sizes": sizes, "cases": cases}
    doc["rows"] = suite.run(sizes, cases, args.repeat, args.slow_repeat, args.api_seconds)
    doc["environment"]["load_average_end"] = [round(x, 2) for x in __import__("os").getloadavg()]
    doc["wall_s"] = round(time.time() - started, 1)
    RESULTS.mkdir(exist_ok=True)
    machine = doc["environment"]["machine"]["hostname"]
    out = RESULTS / f"{time.strftime('%Y-%m-%dT%H%M')}-{machine}.json"
    out.write_text(json.dumps(doc, indent=2, default=str))
    print(table.render(doc))
    print(f"\nresults: {out}")


if __name__ == "__main__":
    main()
