"""HTTP cost of the API measured with wrk, beside a bare route with the same bytes and the engine.

    apt-get install wrk        # the load generator: a C program in its own process
    .venv/bin/python -m bench.api_wrk [--sizes S,M,L] [--seconds 5] [--workers 2] [--port 8700]
                                      [--cases search,topic] [--before REV]

For each size a generated graph (``scaleup_graph.ingest.generate``, seed 7; kept in
$TMPDIR/scaleup-api-wrk between runs) is served by ``scaleup serve --workers N`` in its own
process. Beside it, in another process with the same number of uvicorn workers, a bare Starlette
route answers each case with the very bytes our API answered. wrk (1 thread and 1 connection,
then 2 threads and 8 connections) measures both. The engine alone: FalkorDB's own execution
time of the same Cypher (reported with each result; the walk: the sum of its statements).
Every figure is printed with ours/bare and ours/engine, and each cost's growth from S to M to L.
The engine column times what our route sends; for ``topic`` (a search without name text, whose
pages are cut from ids kept per graph generation, queries/search_pages.py) two more: the first
page after a write (``engine first``: the ids, then the page) and the composed text that every
page sent before (``engine text``).

With ``--before REV`` (a git revision) a third server runs that revision's sources (git archive,
``PYTHONPATH``) on the same graph and the same embedded server; wrk measures it in the same
rotation (ours/before), and its answers must be the same bytes as ours.
Results: bench/results/api_wrk-<time>.json; plot: bench/api_wrk.png.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from unittest.mock import patch
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from scaleup_graph.store import GraphStore

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
WORK = Path(tempfile.gettempdir()) / "scaleup-api-wrk"
ORGS = {"S": 4_000, "M": 40_000, "L": 100_000}
CASES = ("search", "topic", "detail", "hop1", "hop2")
CLIENTS = (1, 8)
ENGINE_RUNS = 200
SERVE = (sys.executable, "-m", "scaleup_graph", "serve")
#: `serve` refuses the public default installation secret; the bench's graphs are generated
BENCH_SALT = "api-wrk-bench-generated-data-only"
_LUA = """
done = function(summary, latency, requests)
  io.write(string.format(
    "WRKJSON {\\"p50\\": %f, \\"p99\\": %f, \\"requests\\": %d, \\"seconds\\": %f, "
    .. "\\"errors\\": %d, \\"non2xx\\": %d}\\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests,
    summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout, summary.errors.status))
end
"""

# --- the bare server (child process) ------------------------------------------------------------


def bare_app() -> Any:
    """A Starlette app answering /bare/<case> with the stored bytes (uvicorn factory)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    bodies = {
        k: v.encode() for k, v in json.loads(Path(os.environ["BARE_BODIES"]).read_text()).items()
    }

    async def bare(request: Request) -> Response:
        return Response(bodies[request.path_params["case"]], media_type="application/json")

    return Starlette(routes=[Route("/bare/{case}", bare)])


# --- data ---------------------------------------------------------------------------------------


def _db_url() -> str:
    return f"embedded://{WORK / 'db'}"


def build(orgs: int) -> dict[str, int]:
    """The graph of ``orgs`` organisations (kept between runs); its counts."""
    from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
    from scaleup_graph.ingest.generate import generate_population
    from scaleup_graph.store import open_store

    store = open_store(_db_url(), graph=f"api{orgs}")
    try:
        counts = store.counts()
        if counts["nodes"]["Organisation"] < orgs:
            store.clear()
            store.setup_schema()
            manifest = load_manifest(generate_population(orgs, 7, WORK / f"gen-{orgs}"))
            started = time.perf_counter()
            run_ingest(
                store,
                manifest,
                IngestOptions(state_dir=WORK / f"state-{orgs}", check_duplicates=False),
            )
            print(f"  ingested {orgs} organisations in {time.perf_counter() - started:.0f} s")
            counts = store.counts()
        return {
            "organisations": counts["nodes"]["Organisation"],
            "nodes": sum(counts["nodes"].values()),
            "relationships": sum(counts["relationships"].values()),
        }
    finally:
        store.close()


def targets(orgs: int) -> dict[str, Any]:
    """An organisation of median degree (an ordinary SME, not a hub) for detail and hops."""
    from scaleup_graph.store import open_store

    store = open_store(_db_url(), graph=f"api{orgs}")
    try:
        rows = store.read(
            "MATCH (o:Organisation) RETURN o.id AS id, indegree(o) + outdegree(o) AS d "
            "ORDER BY d, id"
        )
        middle = rows[len(rows) // 2]
        topics = store.read(
            "MATCH (o:Organisation {id: $id}) RETURN o.topics AS topics", {"id": middle["id"]}
        )
        return {
            "org": middle["id"],
            "degree": middle["d"],
            "q": "kassel",
            "topic": topics[0]["topics"][0],
        }
    finally:
        store.close()


def paths(t: dict[str, Any]) -> dict[str, str]:
    org = t["org"]
    return {
        "search": f"/api/v1/organisations?q={t['q']}&limit=20",
        "topic": f"/api/v1/organisations?topic={quote(t['topic'])}&limit=20",
        "detail": f"/api/v1/organisations/{org}",
        "hop1": f"/api/v1/nodes/{org}/neighbourhood?hops=1",
        "hop2": f"/api/v1/nodes/{org}/neighbourhood?hops=2",
    }


class _EngineClock:
    """Adds up the engine's own execution time of every statement (FalkorDB reports it with
    each result), so HTTP, the client library and Python are not in the figure: :meth:`timing`
    swaps the store's ``read`` for :meth:`read`, which asks the engine read-only and keeps the
    time. (``bench.search_after_write`` passes the clock itself as a read-only store.)"""

    def __init__(self, store: GraphStore) -> None:
        from scaleup_graph.store.falkordb import FalkorDBStore

        assert isinstance(store, FalkorDBStore), "the engine's own time is FalkorDB's"
        self.store = store
        self.dialect = store.dialect
        self.ms = 0.0

    @property
    def shared_generation(self) -> bool:
        return bool(self.store.shared_generation)

    def generation(self) -> str:
        return str(self.store.generation())

    def read(
        self, query: str, params: dict[str, Any] | None = None, *, timeout_ms: int | None = None
    ) -> list[dict[str, Any]]:
        result = self.store._graph.ro_query(query, dict(params or {}))
        self.ms += float(result.run_time_ms)
        rows: list[dict[str, Any]] = self.store._rows(result)
        return rows

    def timing(self) -> AbstractContextManager[Any]:
        """The store reads through :meth:`read` inside this."""
        return patch.object(self.store, "read", self.read)


def engine_alone(orgs: int, t: dict[str, Any]) -> dict[str, float]:
    """p50 in ms of the engine's own execution time for each case's Cypher (the walk: the sum
    of its three or four statements), as FalkorDB reports it. ``topic``: what the route sends
    (the page by id from the kept ids); ``topic_first``: the first page after a write (the
    ids, then the page); ``topic_text``: the composed text every page sent before."""
    from scaleup_graph.queries import daily, search_pages
    from scaleup_graph.queries.runner import get_query, run_query
    from scaleup_graph.store import open_store

    store = open_store(_db_url(), graph=f"api{orgs}")
    try:
        clock = _EngineClock(store)

        def named(name: str, params: dict[str, Any]) -> Any:
            query = get_query(name)
            bound = query.bind(params, dialect=store.dialect)
            text = query.text(store.dialect, bound)
            return lambda: clock.read(text, bound)

        def topic(first: bool) -> Any:
            def call() -> Any:
                if first:
                    search_pages.clear()
                params = {"topic": t["topic"], "limit": 21}
                return run_query(store, "search_organisations", params, "viewer")

            return call

        calls = {
            "search": named("search_organisations", {"q": t["q"], "limit": 21}),
            "topic": topic(first=False),
            "topic_first": topic(first=True),
            "topic_text": named("search_organisations", {"topic": t["topic"], "limit": 21}),
            "detail": named("organisation", {"id": t["org"]}),
            "hop1": lambda: daily.neighbourhood(store, "viewer", t["org"], hops=1),
            "hop2": lambda: daily.neighbourhood(store, "viewer", t["org"], hops=2),
        }
        out = {}
        with clock.timing():
            for case, call in calls.items():
                call()
                times = []
                for _ in range(ENGINE_RUNS):
                    clock.ms = 0.0
                    call()
                    times.append(clock.ms)
                out[case] = statistics.median(times)
    finally:
        store.close()
    return out


def checkout(rev: str, into: Path) -> Path:
    """The ``src`` folder of ``rev`` (git archive), for PYTHONPATH."""
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into / "src"


# --- servers and wrk ----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(1200):
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {url}")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not start: {url}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def wrk(url: str, clients: int, seconds: float, key: str = "") -> dict[str, float]:
    """wrk against ``url``: p50 and p99 in ms, requests per second."""
    script = WORK / "report.lua"
    script.write_text(_LUA)
    threads = min(clients, 2)
    cmd = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{max(1, round(seconds))}s", "-s", str(script)]
    if key:
        cmd += ["-H", f"X-API-Key: {key}"]
    done = subprocess.run([*cmd, url], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"wrk failed: {done.stderr or done.stdout}")
    out = done.stdout
    found = re.search(r"WRKJSON (\{.*\})", out)
    if not found:
        raise RuntimeError(f"no result from wrk: {out}")
    raw = json.loads(found.group(1))
    if raw["errors"] or raw["non2xx"]:
        raise RuntimeError(f"wrk saw errors against {url}: {raw}")
    return {"p50": raw["p50"], "p99": raw["p99"], "rps": raw["requests"] / raw["seconds"]}


def measure_size(
    size: str,
    seconds: float,
    workers: int,
    port: int | None = None,
    cases: tuple[str, ...] = CASES,
    before: Path | None = None,
) -> list[dict[str, Any]]:
    from scaleup_graph.api.keys import KeyStore
    from scaleup_graph.settings import Settings

    orgs = ORGS[size]
    print(f"{size}: {orgs} organisations", flush=True)
    counts = build(orgs)
    t = targets(orgs)
    state = WORK / f"serve-{orgs}"
    state.mkdir(parents=True, exist_ok=True)
    settings = Settings(state_dir=state)
    _, key = KeyStore(state / "api-keys.json").create("viewer", note="bench")
    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": _db_url(),
        "SCALEUP_GRAPH": f"api{orgs}",
        "SCALEUP_STATE_DIR": str(settings.state_dir),
    }
    if port:
        port, bare_port, before_port = port, port + 1, port + 2
    else:
        port, bare_port, before_port = _free_port(), _free_port(), _free_port()
    ours = subprocess.Popen(
        [*SERVE, "--port", str(port), "--workers", str(workers)],
        env=env,
    )
    base, bare_base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bare_port}"
    before_base = f"http://127.0.0.1:{before_port}"
    rows: list[dict[str, Any]] = []
    bare: subprocess.Popen[bytes] | None = None
    prior: subprocess.Popen[bytes] | None = None
    chosen = {case: path for case, path in paths(t).items() if case in cases}
    try:
        _wait(f"{base}/health", ours)
        bodies = {}
        for case, path in chosen.items():
            answer = httpx.get(base + path, headers={"X-API-Key": key}, timeout=60)
            answer.raise_for_status()
            bodies[case] = answer.text
        if before is not None:
            # the revision's sources first on the path; the same graph, embedded server and keys
            prior = subprocess.Popen(
                [*SERVE, "--port", str(before_port), "--workers", str(workers)],
                env={**env, "PYTHONPATH": str(before)},
            )
            _wait(f"{before_base}/health", prior)
            for case, path in chosen.items():
                answer = httpx.get(before_base + path, headers={"X-API-Key": key}, timeout=60)
                answer.raise_for_status()
                if answer.json() != json.loads(bodies[case]):
                    raise RuntimeError(f"--before answers {case} otherwise than ours: {path}")
        (WORK / "bodies.json").write_text(json.dumps(bodies))
        # the same uvicorn as ours: the same worker count and the same HTTP protocol class
        serve_bare = (
            "import uvicorn, sys; from scaleup_graph.api.server import HTTP_PROTOCOL; "
            "uvicorn.run('bench.api_wrk:bare_app', factory=True, http=HTTP_PROTOCOL, "
            "port=int(sys.argv[1]), workers=int(sys.argv[2]), log_level='warning')"
        )
        bare = subprocess.Popen(
            [sys.executable, "-c", serve_bare, str(bare_port), str(workers)],
            env={**env, "BARE_BODIES": str(WORK / "bodies.json")},
            cwd=HERE.parent,
        )
        _wait(f"{bare_base}/bare/{next(iter(chosen))}", bare)
        engine = engine_alone(orgs, t)
        for case, path in chosen.items():
            for clients in CLIENTS:
                mine = wrk(base + path, clients, seconds, key)
                then = wrk(before_base + path, clients, seconds, key) if prior else None
                peer = wrk(f"{bare_base}/bare/{case}", clients, seconds)
                row = {
                    "load_average": os.getloadavg()[0],
                    "size": size,
                    **counts,
                    "case": case,
                    "clients": clients,
                    "workers": workers,
                    "bytes": len(bodies[case].encode()),
                    "ours": mine,
                    "bare": peer,
                    "engine_p50": engine[case],
                }
                if then is not None:
                    row["before"] = then
                if case == "topic":
                    row["engine_first_p50"] = engine["topic_first"]
                    row["engine_text_p50"] = engine["topic_text"]
                rows.append(row)
                print(_line(row), flush=True)
    finally:
        if bare is not None:
            _stop(bare)
        if prior is not None:
            _stop(prior)
        _stop(ours)
    return rows


def _line(r: dict[str, Any]) -> str:
    o, b = r["ours"], r["bare"]
    return (
        f"  {r['size']} {r['case']:<6} c={r['clients']}  ours p50 {o['p50']:.2f} p99 "
        f"{o['p99']:.2f} ms {o['rps']:.0f} req/s | bare p50 {b['p50']:.2f} p99 {b['p99']:.2f} "
        f"{b['rps']:.0f} req/s | engine p50 {r['engine_p50']:.2f} ms | ours/bare p50 "
        f"{o['p50'] / b['p50']:.1f}x rps {o['rps'] / b['rps']:.2f}x | ours/engine p50 "
        f"{o['p50'] / r['engine_p50']:.1f}x"
        + (
            f" | before p50 {r['before']['p50']:.2f} p99 {r['before']['p99']:.2f} ms "
            f"{r['before']['rps']:.0f} req/s, ours/before p50 "
            f"{o['p50'] / r['before']['p50']:.2f}x rps {o['rps'] / r['before']['rps']:.2f}x"
            if "before" in r
            else ""
        )
        + (
            f" | engine first page after a write {r['engine_first_p50']:.2f} ms, "
            f"composed text (every page before) {r['engine_text_p50']:.2f} ms"
            if "engine_text_p50" in r
            else ""
        )
        + f" | load {r['load_average']:.1f}"
    )


def table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table of bench/README.md, with growth from the smallest size."""
    head = (
        "| size | case | clients | ours p50 / p99 ms | ours req/s | bare p50 / p99 ms | "
        "bare req/s | engine p50 ms | ours/bare p50 | ours/bare req/s | ours/engine p50 | "
        "ours p50 vs S |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    first = {
        (r["case"], r["clients"]): r["ours"]["p50"] for r in rows if r["size"] == rows[0]["size"]
    }
    with_before = all("before" in r for r in rows)
    if with_before:  # --before: its figures and ours/before
        head = head.replace(" |\n|", " | before p50 / p99 ms | before req/s | ours/before p50 |\n|")
        head += "---|---|---|"
    lines = [head]
    for r in rows:
        o, b = r["ours"], r["bare"]
        growth = o["p50"] / first[(r["case"], r["clients"])]
        line = (
            f"| {r['size']} | {r['case']} | {r['clients']} | {o['p50']:.2f} / {o['p99']:.2f} | "
            f"{o['rps']:.0f} | {b['p50']:.2f} / {b['p99']:.2f} | {b['rps']:.0f} | "
            f"{r['engine_p50']:.2f} | {o['p50'] / b['p50']:.1f}x | {o['rps'] / b['rps']:.2f}x | "
            f"{o['p50'] / r['engine_p50']:.1f}x | {growth:.2f}x |"
        )
        if with_before:
            p = r["before"]
            line += (
                f" {p['p50']:.2f} / {p['p99']:.2f} | {p['rps']:.0f} | {o['p50'] / p['p50']:.2f}x |"
            )
        lines.append(line)
    return "\n".join(lines)


def plot(rows: list[dict[str, Any]], out: Path) -> None:
    """p50 at one client against graph size (relationships), ours and the engine alone."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for case in CASES:
        mine = [r for r in rows if r["case"] == case and r["clients"] == 1]
        if not mine:
            continue
        xs = [r["relationships"] for r in mine]
        (line,) = ax.plot(xs, [r["ours"]["p50"] for r in mine], marker="o", label=f"{case} ours")
        ax.plot(
            xs,
            [r["engine_p50"] for r in mine],
            marker="x",
            linestyle="--",
            color=line.get_color(),
            label=f"{case} engine",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("relationships in the graph")
    ax.set_ylabel("p50 latency, 1 client (ms)")
    ax.set_title("API cost against graph size (wrk)")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=None, help="default: one per core")
    parser.add_argument(
        "--cases", default=",".join(CASES), help=f"some of {','.join(CASES)} (default: all)"
    )
    parser.add_argument(
        "--before",
        default=None,
        metavar="REV",
        help="a git revision served beside ours on the same graph (PORT+2), measured alike",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=None,
        help="ours on PORT, the bare route on PORT+1 (default: free)",
    )
    args = parser.parse_args(argv)
    cases = tuple(c.strip() for c in args.cases.split(",") if c.strip())
    if not cases or any(c not in CASES for c in cases):
        parser.error(f"--cases: some of {','.join(CASES)}")
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    from scaleup_graph.api.server import default_workers

    workers = args.workers or default_workers()
    # before anything opens a store: ingest and the served API key person ids alike
    os.environ.setdefault("SCALEUP_SUPPRESSION_SALT", BENCH_SALT)
    WORK.mkdir(parents=True, exist_ok=True)
    before = checkout(args.before, WORK / "before") if args.before else None
    rows: list[dict[str, Any]] = []
    for size in args.sizes.split(","):
        rows += measure_size(size.strip(), args.seconds, workers, args.port, cases, before)
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = RESULTS / f"api_wrk-{stamp}.json"
    doc = {"rows": rows, "seconds": args.seconds, "cases": cases, "before": args.before}
    out.write_text(json.dumps(doc, indent=1))
    plot(rows, HERE / "api_wrk.png")
    print(table(rows))
    print(f"results: {out}; plot: {HERE / 'api_wrk.png'}")


if __name__ == "__main__":
    main()
