"""A cold ``scaleup metrics degree pagerank community``: where its seconds go, and before/after.

"Cold": nothing else runs on the database folder, so the command starts the embedded server,
which loads the graph and rebuilds every index before it answers, and stops it when it leaves.

- **timeline**: one cold run of this checkout with every stage stamped (seconds since the
  process was created): interpreter, importing the CLI and the command's module, the server's
  spawn and its load until the first PING (in the thread that starts it early, issue 14),
  schema check, projection, each algorithm, names, result output, stopping the server, exit;
- **before/after**: the same cold command, a new process each time, alternating between the
  sources of ``--before`` (a git revision, checked out with ``git archive`` into a temporary
  folder and put first on ``PYTHONPATH``) and this checkout, ``--repeat`` times each, so drift on
  a shared machine hits both alike. The claim is the ratio of the medians.

Run: .venv/bin/python -m bench.cold_start [--db CORDIS=/path/db] [--db COPIES=/path/db]
     [--before REV] [--repeat 5]
Without ``--db`` it uses CORDIS as ``bench.metrics_speed`` loads it (``/tmp/scaleup-bench``).
``--with-copies`` adds a copy of the first folder holding the four ad-hoc copies (issue 15;
made once, kept beside it). Since the copies are parked on disk when the server stops (issue 14,
store/parked.py), that row compares the ``--before`` sources on the folder with the copies in the
server (they never park them) with this checkout on a folder whose copies are parked (made from it
by one cold run of this checkout), and its timeline is one cold run of this checkout on a scratch
copy of the folder with the copies in the server: its "stop the server" stage is the parking.
Results: printed, and bench/results/cold_start-<utc time>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import HERE, RESULTS
from bench.env import environment
from bench.scratch import scratch_folder

ROOT = HERE.parent
COMMAND = ["metrics", "degree", "pagerank", "community", "--top", "10"]
#: the last commit before the early start and the retry fix (issue 14, 2026-12-01)
BEFORE = "57d2faf"

#: runs the CLI in this process with stamps; the wraps are applied when a module is first
#: imported, so nothing is imported earlier than in a plain run
TIMELINE = r"""
import sys, time, threading, importlib.abc, importlib.machinery, json, os
T0 = float(os.environ["BENCH_T0"])
marks = []
def mark(name):
    t = threading.current_thread().name
    marks.append((time.time() - T0, name if t == "MainThread" else f"[{t}] {name}"))
mark("interpreter up")
def wrap(obj, attr, name):
    if not hasattr(obj, attr):
        return
    orig = getattr(obj, attr)
    def w(*a, **k):
        mark(name + " >")
        try:
            return orig(*a, **k)
        finally:
            mark(name + " <")
    setattr(obj, attr, w)
def on_embedded(m):
    wrap(m.EmbeddedServer, "_start", "server: spawn, load, first PING")
    wrap(m.EmbeddedServer, "release", "stop the server")
    wrap(m.EmbeddedServer, "_park_copies", "park the ad-hoc copies")
    wrap(m, "_join_early", "wait for the early start")
def on_falkordb(m):
    wrap(m.FalkorDBStore, "_connect", "attach")
    wrap(m.FalkorDBStore, "setup_schema", "schema check")
def on_metrics(m):
    wrap(m, "project", "projection")
    def timed(f, n):
        def run(*a, **k):
            mark(n + " >")
            try:
                return f(*a, **k)
            finally:
                mark(n + " <")
        return run
    for name in list(m.METRICS):
        m.METRICS[name] = timed(m.METRICS[name], name)
    wrap(m, "display_names", "names of the top nodes")
def on_arrays(m):
    wrap(m, "import_networkit", "import networkit")
def on_lazy(m):
    wrap(m, "load_commands", "import the command's module")
def on_common(m):
    wrap(m.console, "print", "output")
HOOKS = {"scaleup_graph.store.embedded": on_embedded, "scaleup_graph.store.falkordb": on_falkordb,
         "scaleup_graph.analytics.metrics": on_metrics, "scaleup_graph.analytics.arrays": on_arrays,
         "scaleup_graph.cli.lazy": on_lazy, "scaleup_graph.cli.common": on_common}
class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in HOOKS:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        orig = spec.loader.exec_module
        def exec_module(module, orig=orig):
            orig(module)
            HOOKS[fullname](module)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Finder())
import atexit
def dump():
    mark("atexit")
    with open(os.environ["BENCH_MARKS"], "w") as fh:
        json.dump(marks, fh)
atexit.register(dump)
from scaleup_graph.cli import main
mark("imported scaleup_graph.cli")
main(sys.argv[1:])
"""


def _env(folder: Path, src: Path | None) -> dict[str, str]:
    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{folder}",
        "SCALEUP_GRAPH": "scaleup",
        "SCALEUP_STATE_DIR": str(folder.parent / "state"),
    }
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def _cold(folder: Path) -> None:
    from scaleup_graph.store.embedded import EmbeddedServer

    if EmbeddedServer(folder).pid() is not None:
        raise SystemExit(f"a server runs on {folder}: stop what uses it, the runs must be cold")


def run_once(folder: Path, src: Path | None) -> float:
    """Wall seconds of one cold command (a new process; ``src``: sources to run instead)."""
    _cold(folder)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "scaleup_graph", *COMMAND],
        env=_env(folder, src),
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"scaleup metrics failed: {done.stderr[-2000:]}")
    return wall


def timeline(folder: Path) -> dict[str, Any]:
    """One cold run of this checkout, stamped: [(seconds since start, stage), ...]."""
    _cold(folder)
    with scratch_folder("cold-start-marks-") as tmp:
        marks_file = tmp / "marks.json"
        env = {**_env(folder, None), "BENCH_MARKS": str(marks_file)}
        started = time.perf_counter()
        env["BENCH_T0"] = repr(time.time())
        done = subprocess.run(
            [sys.executable, "-c", TIMELINE, *COMMAND],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        wall = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"scaleup metrics failed: {done.stderr[-2000:]}")
        marks = json.loads(marks_file.read_text())
    return {"wall_s": wall, "marks": marks}


def checkout(rev: str, into: Path) -> Path:
    """The ``src`` folder of ``rev`` (git archive), for PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


def _copy_folder(source: Path, target: Path) -> Path:
    """A copy of a database folder, without the running server's files."""
    shutil.copytree(
        source,
        target,
        ignore=lambda _d, names: [n for n in names if n.startswith(("server.", ".lock"))],
    )
    return target


def parked(folder: Path) -> Path:
    """A copy of ``folder`` (copies in the server) whose copies this checkout parked: one cold
    open and close (made once, then reused)."""
    from scaleup_graph.store import open_store

    target = folder.parent.parent / f"{folder.parent.name}-parked" / "db"
    if (target / "appendonlydir").exists():
        return target
    _cold(folder)
    _copy_folder(folder, target)
    open_store(f"embedded://{target}", graph="scaleup").close()
    return target


def with_copies(folder: Path) -> Path:
    """A copy of ``folder`` holding the four ad-hoc copies in the server's files (made once,
    then reused; made without parking them when the server stops)."""
    from scaleup_graph.store import open_store
    from scaleup_graph.store.embedded import EmbeddedServer
    from scaleup_graph.store.falkordb import FalkorDBStore
    from scaleup_graph.store.views import VIEWS

    target = folder.parent.parent / f"{folder.parent.name}-copies" / "db"
    if (target / "appendonlydir").exists():
        return target
    _cold(folder)
    _copy_folder(folder, target)
    EmbeddedServer.parks_copies = False
    store = open_store(f"embedded://{target}", graph="scaleup")
    assert isinstance(store, FalkorDBStore)
    try:
        for view in VIEWS:
            store.refresh_view(view)
        store._rewrite_append_only_file()
    finally:
        store.close()
        EmbeddedServer.parks_copies = True
    return target


def before_after(
    folder: Path, before: Path, repeat: int, now_folder: Path | None = None
) -> dict[str, Any]:
    """``repeat`` cold runs of each, alternating: the ``before`` sources on ``folder``, this
    checkout on ``now_folder`` (the same folder unless given)."""
    runs: dict[str, list[float]] = {"before": [], "now": []}
    for _ in range(repeat):
        runs["before"].append(run_once(folder, before))
        runs["now"].append(run_once(now_folder or folder, None))
    b, n = statistics.median(runs["before"]), statistics.median(runs["now"])
    return {"runs": runs, "before_s": b, "now_s": n, "ratio_now_over_before": n / b}


def stages(marks: list[list[Any]]) -> list[tuple[str, float, float]]:
    """(stage, start, seconds) for each ">" / "<" pair, in order of start."""
    opened: dict[str, float] = {}
    out = []
    for at, name in marks:
        if name.endswith(" >"):
            opened.setdefault(name[:-2], at)
        elif name.endswith(" <") and name[:-2] in opened:
            start = opened.pop(name[:-2])
            out.append((name[:-2], start, at - start))
        else:
            out.append((name, at, 0.0))
    return sorted(out, key=lambda row: row[1])


def report(rows: list[dict[str, Any]]) -> str:
    lines = []
    for row in rows:
        lines.append(f"\n{row['name']} ({row['folder']}): timeline of one cold run, this checkout")
        lines.append("| stage | starts at s | takes s |\n|---|---:|---:|")
        seen: set[str] = set()
        for stage, start, took in stages(row["timeline"]["marks"]):
            if stage in seen and took < 0.001:
                continue  # a cached import_networkit call
            seen.add(stage)
            lines.append(f"| {stage} | {start:.3f} | {took:.3f} |")
        lines.append(
            f"| process exited (wall, as timed outside) | {row['timeline']['wall_s']:.3f} | |"
        )
        ba = row["before_after"]
        lines.append(
            f"\ncold command, median of {len(ba['runs']['now'])}: before ({row['before']}) "
            f"{ba['before_s']:.2f} s, now {ba['now_s']:.2f} s: "
            f"{ba['ratio_now_over_before']:.2f}x (runs before "
            f"{', '.join(f'{x:.2f}' for x in ba['runs']['before'])}; now "
            f"{', '.join(f'{x:.2f}' for x in ba['runs']['now'])})"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="append", default=[], help="NAME=folder of a loaded db")
    parser.add_argument(
        "--with-copies",
        action="store_true",
        help="also the first folder with the four ad-hoc copies",
    )
    parser.add_argument("--before", default=BEFORE, help="git revision to compare with")
    parser.add_argument("--repeat", type=int, default=5, help="cold runs of each variant")
    args = parser.parse_args()
    folders = {k: Path(v).resolve() for k, v in (item.split("=", 1) for item in args.db)}
    if not folders:
        from bench.metrics_speed import load

        folders["CORDIS"] = load("CORDIS", None)
    now_folders: dict[str, Path] = {}
    if args.with_copies:
        first = next(iter(folders))
        name = f"{first} with 4 ad-hoc copies"
        folders[name] = with_copies(folders[first])
        now_folders[name] = parked(folders[name])
    env = environment()
    rows = []
    with scratch_folder("cold-start-") as tmp:
        before = checkout(args.before, Path(tmp))
        for name, folder in folders.items():
            now = now_folders.get(name)
            if now is None:
                stamped = timeline(folder)
            else:  # the copies in the server: this checkout parks them when it stops it
                scratch = Path(tmp) / "scratch" / "db"
                stamped = timeline(_copy_folder(folder, scratch))
                shutil.rmtree(scratch.parent)
            row = {
                "name": name,
                "folder": str(folder),
                "now_folder": str(now or folder),
                "before": args.before,
                "timeline": stamped,
                "before_after": before_after(folder, before, args.repeat, now),
            }
            print(json.dumps(row, default=str))
            rows.append(row)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"cold_start-{stamp}.json"
    env["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    out.write_text(json.dumps({**env, "rows": rows}, indent=2, default=str))
    print(f"\nstored {out}\n{report(rows)}")


if __name__ == "__main__":
    main()
