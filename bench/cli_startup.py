"""How long the ``scaleup`` command takes to start: help, version and a command that needs no
database, each against a bare interpreter started in the same run.

    .venv/bin/python -m bench.cli_startup [--repeat 10] [--label before]

Every case is a new process (``python -m scaleup_graph ...``, as the ``scaleup`` script runs it);
the cases take turns, so drift on a shared machine hits them alike. The claim is each case's
median wall time as a multiple of ``python -c pass`` (the interpreter's own start), beside the
number of modules the case imports (``-X importtime``, one extra run): a command should import its
own module and what it needs, not every command's. ``keys list`` reads an empty state folder.
Results go to bench/results/cli_startup-<time>[-label].json with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.env import environment
from bench.scratch import scratch_folder

RESULTS = Path(__file__).resolve().parent / "results"
BASELINE = "python -c pass"
CASES: dict[str, list[str]] = {
    BASELINE: ["-c", "pass"],
    "scaleup --help": ["-m", "scaleup_graph", "--help"],
    "scaleup --version": ["-m", "scaleup_graph", "--version"],
    "scaleup keys list": ["-m", "scaleup_graph", "keys", "list"],
    "scaleup export --help": ["-m", "scaleup_graph", "export", "--help"],
}


def _run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{args} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return elapsed


def _imports(args: list[str], env: dict[str, str]) -> tuple[int, int]:
    """(all modules, scaleup_graph modules) a run imports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args], env=env, capture_output=True, text=True
    )
    names = [
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line and "cumulative" not in line
    ]
    return len(names), sum(1 for n in names if n.startswith("scaleup_graph"))


def run(repeat: int, state: Path) -> dict[str, Any]:
    env = {**os.environ, "SCALEUP_STATE_DIR": str(state), "COLUMNS": "80"}
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for attempt in range(repeat):
        order = list(CASES) if attempt % 2 == 0 else list(reversed(CASES))
        for name in order:
            times[name].append(_run(CASES[name], env))
    base = statistics.median(times[BASELINE])
    cases = {}
    for name, runs in times.items():
        modules, ours = _imports(CASES[name], env)
        cases[name] = {
            "runs_s": runs,
            "median_s": statistics.median(runs),
            "min_s": min(runs),
            "max_s": max(runs),
            "ratio_to_interpreter": statistics.median(runs) / base,
            "modules_imported": modules,
            "scaleup_graph_modules": ours,
        }
    return {"repeat": repeat, "cases": cases}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--label", default="", help="Added to the result file's name.")
    args = parser.parse_args(argv)
    result: dict[str, Any] = {"bench": "cli_startup", **environment()}
    with scratch_folder("cli-startup-") as tmp:
        result.update(run(args.repeat, Path(tmp)))
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    out = RESULTS / f"cli_startup-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}{suffix}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"load average {result['load_average_start']} -> {result['load_average_end']}, "
        f"median of {args.repeat} runs"
    )
    print(
        f"{'case':<24}{'median s':>10}{'min':>8}{'max':>8}{'x python':>10}{'modules':>9}{'ours':>6}"
    )
    for name, case in result["cases"].items():
        print(
            f"{name:<24}{case['median_s']:>10.3f}{case['min_s']:>8.3f}{case['max_s']:>8.3f}"
            f"{case['ratio_to_interpreter']:>10.1f}{case['modules_imported']:>9}"
            f"{case['scaleup_graph_modules']:>6}"
        )
    print(out)


if __name__ == "__main__":
    main()
