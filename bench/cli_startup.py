"""How long the ``scaleup`` command takes to start: help, version and a command that needs no
database, each against a bare interpreter started in the same run.

    .venv/bin/python -m bench.cli_startup [--repeat 10] [--label before]

Every case is a new process (``python -m scaleup_graph ...``, as the ``scaleup`` script runs it);
the cases take turns, so drift on a shared machine hits them alike. The claim is each case's
median wall time as a multiple of ``python -c pass`` (the interpreter's own start), beside the
number of modules the case imports (``-X importtime``, one extra run): a command should import its
own module and what it needs, not every command's. ``keys list`` reads an empty state folder.
Results go to bench/results/cli_startup-<time>[-label].json with the load average.

``--demo`` measures ``scaleup demo`` instead (issue 15): seconds from the command's start to the
first 200 from ``/health`` and to the explorer page (``/``), on an empty folder (the demo loads
the seed) and on a folder that holds it already, each run cold (no server on the folder), the
sources of ``--before`` (a git revision, put first on ``PYTHONPATH``) and this checkout taking
turns. The demo is stopped with SIGINT after each run. It also counts the embedded server's
starts in each run (the process ids in its log).

    .venv/bin/python -m bench.cli_startup --demo [--before REV] [--repeat 5] [--port 21510]
        [--serve FOLDER:GRAPH]

``--serve`` adds ``scaleup serve`` of a loaded folder's graph (cold each time, the folder used
as it is), where a start costs the load of the whole folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

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


def server_starts(folder: Path) -> int:
    """How many times the embedded server of ``folder`` started: the process ids of its log's
    lines from a main server process ("<pid>:M ..."; each start writes at least one warning
    at the log level we set, and a new process has a new id)."""
    log = folder / "server.log"
    if not log.exists():
        return 0
    lines = log.read_text(errors="replace").splitlines()
    return len({line.split(":", 1)[0] for line in lines if ":M " in line[:16]})


def _first_200(url: str, proc: subprocess.Popen[bytes], started: float) -> float:
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"scaleup demo exited {proc.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=30).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.01)


def demo_once(
    folder: Path, state: Path, port: int, src: Path | None, graph: str | None = None
) -> dict[str, float]:
    """One cold ``scaleup demo`` on ``folder`` (``graph``: ``scaleup serve`` of that graph
    instead): seconds to the first 200 from /health and /, and how many times it started the
    embedded server."""
    from scaleup_graph.store.embedded import EmbeddedServer

    if folder.exists() and EmbeddedServer(folder).pid() is not None:
        raise SystemExit(f"a server runs on {folder}: the runs must be cold")
    before = server_starts(folder)
    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{folder}",
        "SCALEUP_STATE_DIR": str(state),
        "SCALEUP_API_HOST": "127.0.0.1",
        "SCALEUP_API_PORT": str(port),
    }
    if graph is not None:  # serve refuses the public default secret
        env |= {"SCALEUP_GRAPH": graph, "SCALEUP_SUPPRESSION_SALT": "cli-startup-bench-only"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scaleup_graph", "demo" if graph is None else "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        health = _first_200(f"{base}/health", proc, started)
        explorer = _first_200(f"{base}/", proc, started)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return {"health_s": health, "explorer_s": explorer, "starts": server_starts(folder) - before}


def run_demo(
    repeat: int, tmp: Path, port: int, before_rev: str, served: tuple[Path, str] | None = None
) -> dict[str, Any]:
    """``served``: a loaded folder and graph that ``scaleup serve`` serves too (cases "serve")."""
    from bench.cold_start import checkout

    sources: dict[str, Path | None] = {"before": checkout(before_rev, tmp / "before"), "now": None}
    kinds = ("empty", "seeded", "serve") if served else ("empty", "seeded")
    runs: dict[str, dict[str, list[dict[str, float]]]] = {
        kind: {name: [] for name in sources} for kind in kinds
    }
    for attempt in range(repeat):
        order = list(sources) if attempt % 2 == 0 else list(reversed(sources))
        for name in order:
            folder = tmp / f"{name}-{attempt}" / "db"
            state = folder.parent / "state"
            # the first demo loads the seed into the empty folder, the second finds it there
            runs["empty"][name].append(demo_once(folder, state, port, sources[name]))
            runs["seeded"][name].append(demo_once(folder, state, port, sources[name]))
            if served:
                runs["serve"][name].append(
                    demo_once(served[0], state, port, sources[name], graph=served[1])
                )
    # what one start saves: a cold open and close of the store (the server's start, its load
    # of the folder, its stop) on the seeded folder and the served one, in this process
    folders = {"seeded": (tmp / "now-0" / "db", None), **({"serve": served} if served else {})}
    one_start = {
        kind: statistics.median(_start_stop(*where) for _ in range(repeat))
        for kind, where in folders.items()
    }
    cases: dict[str, Any] = {}
    for kind, by_source in runs.items():
        for name, got in by_source.items():
            cases[f"{kind} {name}"] = {
                "runs": got,
                "health_median_s": statistics.median(r["health_s"] for r in got),
                "explorer_median_s": statistics.median(r["explorer_s"] for r in got),
                "starts": sorted({int(r["starts"]) for r in got}),
            }
        for key in ("health_median_s", "explorer_median_s"):
            cases[f"{kind} now"][key.replace("median_s", "now_over_before")] = (
                cases[f"{kind} now"][key] / cases[f"{kind} before"][key]
            )
    return {"repeat": repeat, "before": before_rev, "demo": cases, "one_start_s": one_start}


def _start_stop(folder: Path, graph: str | None = None) -> float:
    from scaleup_graph.store import open_store

    started = time.perf_counter()
    open_store(f"embedded://{folder}", graph=graph).close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--label", default="", help="Added to the result file's name.")
    parser.add_argument("--demo", action="store_true", help="Time scaleup demo to its first 200.")
    parser.add_argument("--before", default="main", help="--demo: git revision to compare with")
    parser.add_argument("--port", type=int, default=21510, help="--demo: the API's port")
    parser.add_argument(
        "--serve", metavar="FOLDER:GRAPH", help="--demo: also time scaleup serve of this graph"
    )
    args = parser.parse_args(argv)
    if args.demo:
        main_demo(args)
        return
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


def main_demo(args: argparse.Namespace) -> None:
    result: dict[str, Any] = {"bench": "cli_startup --demo", **environment()}
    with scratch_folder("cli-startup-demo-") as tmp:
        served = None
        if args.serve:
            folder, _, graph = args.serve.rpartition(":")
            served = (Path(folder), graph)
        result.update(run_demo(args.repeat, Path(tmp), args.port, args.before, served))
    result["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    suffix = f"-{args.label}" if args.label else ""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = RESULTS / f"cli_startup_demo-{stamp}{suffix}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"load average {result['load_average_start']} -> {result['load_average_end']}, "
        f"median of {args.repeat} runs, before = {args.before}"
    )
    print(f"{'scaleup demo':<16}{'/health s':>10}{'/ s':>8}{'now/before':>12}{'starts':>8}")
    for name, case in result["demo"].items():
        ratio = case.get("health_now_over_before")
        print(
            f"{name:<16}{case['health_median_s']:>10.2f}{case['explorer_median_s']:>8.2f}"
            f"{'' if ratio is None else f'{ratio:.2f}':>12}{case['starts']!s:>8}"
        )
    for kind, seconds in result["one_start_s"].items():
        print(f"one cold open and close of the store, {kind} folder: {seconds:.2f} s")
    print(out)


if __name__ == "__main__":
    main()
