"""Explorer benchmark: what a reader waits for, end to end, in headless Debian chromium at 1440x900.

The real app serves the real page over HTTP on 127.0.0.1 from an embedded store holding the demo
data (the Nordhessen seed) and a generated graph of about 10,000 nodes. Measured, in ms, from
the moment the page is asked for a view to its first drawn frame (server query, layout plan,
JSON, drawing):

- ego views of 1, 2 and 3 hops around a well-connected organisation, on both graphs;
- at 10,000 nodes, the crowded star: 1 and 2 hops around the best-connected organisation (the
  "hub" rows; they are the ego rows when no organisation has 15 to 40 links), where the page's
  box placement and label culling have the most to do ("page": its own planning, in ms);
- the grouped overview of the 10,000-node graph (the whole graph, shown as named groups);
- hover-fade: pointing at a node until the faded picture is drawn;
- expand: "Alle Nachbarn zeigen" on a node of the first ring until the grown picture is drawn.

Each view is measured cold (first visit: the server reads and plans the picture) and warm (a
reload: the plan comes from the server's cache); both include loading the page itself (HTML,
the 470 kB vis-network script), which a reader waits for when opening a shared link. The API's
share of it (the ``/view`` request as the browser timed it) is given beside. Ratios are against
the baseline in the same run: the warm 1-hop view of the demo data.

Fresh app processes (``uvicorn scaleup_graph.api.server:app_from_env`` started for the one
measurement, as ``scaleup serve`` starts a worker; the database keeps running):

- "fresh app, after an edit": the first overview after a write (an ingest upsert of one
  region, which the store takes as a possible change of structure), in a new process: nothing
  derived is kept anywhere, the overview is derived from the graph. Truly cold. (An editor's
  property edit keeps the groups.)
- "fresh app, kept": the first overview in a new process while the database still holds the
  overview derived at the current generation (another worker or an earlier run made it).
- "fresh app, ego 1 hop": the first request of a new process is a 1-hop view around a hub.

Each is measured twice, in separate fresh processes: once as the API request alone (httpx;
"API CPU" is the CPU time the app process and the database server spent on it, which a shared,
loaded machine does not inflate as it does wall time), once as the first frame in the browser
(page load included). The row "overview the previous
way" derives the overview as the code before issue 12's second part did (every node with every
property and every relationship read, then grouped), in a fresh store connection: the ratio of
the cold overview to it is printed.

    .venv/bin/python bench/explorer_render.py [--orgs 5200] [--repeat 3] [--views-only]

A view that fails (an error in the page, a time limit) gets its reason in its row and the run
goes on. ``--views-only`` leaves out the fresh app processes and the previous-way overview.
Prints a table and writes bench/results/explorer_render-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_FOCUS = "org-ihk-kassel-marburg"

#: time from pointing at a node to the next drawn frame, the faded picture
HOVER_JS = """async (id) => {
  const X = window.__explorer;
  const before = X.frames;
  const t0 = performance.now();
  X.hover(id);
  X.network.redraw();
  await new Promise((done) => {
    const check = () => (X.frames > before ? done() : requestAnimationFrame(check));
    check();
  });
  const ms = performance.now() - t0;
  X.hover(null);
  return {ms, faded: X.snapshot().nodes.filter((n) => n.faded).length};
}"""

#: time from "Alle Nachbarn zeigen" to the grown picture's first frame
EXPAND_JS = """async (id) => {
  const X = window.__explorer;
  const count = X.snapshot().nodes.length;
  X.firstFrame = 0;
  const t0 = performance.now();
  X.expand(id);
  await new Promise((done) => {
    const check = () => (X.firstFrame && X.snapshot().nodes.length > count
      ? done() : requestAnimationFrame(check));
    check();
  });
  return {ms: X.firstFrame - t0, nodes: X.snapshot().nodes.length};
}"""


def _free_port() -> int:
    """A free loopback port, in ``SCALEUP_TEST_PORTS`` when it is set (bench/served.py)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.served import free_port

    return free_port()


class App:
    """The real API app over an embedded store, on a free local port."""

    def __init__(self, db: Path, state: Path, graph: str) -> None:
        import uvicorn

        from scaleup_graph.api.app import create_app
        from scaleup_graph.api.keys import KeyStore, keys_path
        from scaleup_graph.settings import get_settings
        from scaleup_graph.store import open_store

        os.environ.update(
            SCALEUP_DATABASE_URL=f"embedded://{db}",
            SCALEUP_GRAPH=graph,
            SCALEUP_STATE_DIR=str(state),
        )
        get_settings.cache_clear()
        self.store = open_store(f"embedded://{db}", graph=graph)
        self.key = KeyStore(keys_path(get_settings())).create("viewer", note="bench")[1]
        self.port = _free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(
                create_app(store=self.store), host="127.0.0.1", port=self.port, log_level="error"
            )
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.store.close()

    @staticmethod
    def make_key(state: Path) -> str:
        """A viewer key in the keys file of ``state`` (for apps in their own process)."""
        from scaleup_graph.api.keys import KeyStore

        state.mkdir(parents=True, exist_ok=True)
        return KeyStore(state / "api-keys.json").create("viewer", note="bench")[1]


def _degrees(store: Any) -> list[tuple[str, int]]:
    rows = store.read(
        "MATCH (o:Organisation)-[e]-() RETURN o.id AS id, count(e) AS n ORDER BY n DESC, id"
    )
    return [(r["id"], int(r["n"])) for r in rows]


def _pick_focus(store: Any) -> str:
    """An organisation with many links but not a hub: the kind a reader looks up (the
    best-connected one where no organisation has 15 to 40 links, as at 10,000 nodes)."""
    degrees = _degrees(store)
    wanted = [d for d in degrees if 15 <= d[1] <= 40]
    return (wanted or degrees)[0][0]


def _pick_hub(store: Any) -> tuple[str, int]:
    """The best-connected organisation and its links: a crowded star, where the page's box
    placement and label culling have the most to do."""
    return _degrees(store)[0]


READY = "document.querySelector('#canvas').dataset.state === 'ready'"
FAILED = "document.querySelector('#canvas').dataset.state === 'error'"


def _first_frame(page: Any, url: str, reload: bool = False) -> dict[str, Any]:
    """Navigation start to the first frame with nodes (page, API call, plan, drawing)."""
    if reload:
        page.reload()
    else:
        page.goto(url)
    page.wait_for_function(
        f"window.__explorer && (window.__explorer.firstFrame > 0 && {READY} || {FAILED})",
        timeout=600_000,
    )
    if page.evaluate(FAILED):
        raise ViewFailed(page.evaluate("document.querySelector('#message').textContent"))
    return page.evaluate(
        "({ms: window.__explorer.firstFrame, nodes: window.__explorer.snapshot().nodes.length,"
        " page: window.__explorer.drawMs,"
        " api: Math.max(0, ...performance.getEntriesByType('resource')"
        "   .filter((e) => e.name.includes('/api/v1/explorer/view')).map((e) => e.duration))})"
    )


class ViewFailed(RuntimeError):
    """The page showed an error instead of the picture (its message is the text)."""


def _failed(what: str, exc: Exception) -> dict[str, Any]:
    """The row of a view that could not be measured: the failure instead of figures, so the
    run goes on to the next view."""
    reason = " ".join(str(exc).split())[:160] or type(exc).__name__
    row = {"what": what, "nodes": None, "cold_ms": None, "warm_ms": None, "failed": reason}
    print(row, flush=True)
    return row


def _view(page: Any, url: str, what: str, repeat: int) -> dict[str, Any]:
    try:
        cold = _first_frame(page, url)
        warm = [_first_frame(page, url, reload=True) for _ in range(repeat)]
    except Exception as exc:  # noqa: BLE001 - a bench run reports what it could not measure
        return _failed(what, exc)
    row = {
        "what": what,
        "nodes": cold["nodes"],
        "cold_ms": round(cold["ms"], 1),
        "warm_ms": round(statistics.median(w["ms"] for w in warm), 1),
        "api_cold_ms": round(cold["api"], 1),
        "api_warm_ms": round(statistics.median(w["api"] for w in warm), 1),
        # the page's own planning (fit, box placement, label culling) of the warm visits
        "page_ms": round(statistics.median(w["page"] for w in warm), 1),
    }
    print(row, flush=True)
    return row


def _ego(
    page: Any,
    app: App,
    focus: str,
    repeat: int,
    prefix: str = "",
    hops: tuple[int, ...] = (1, 2, 3),
) -> list[dict[str, Any]]:
    return [
        _view(
            page,
            f"{app.url}/?focus={focus}&hops={hops}&lang=de",
            f"{prefix}ego {hops} hop{'s' if hops > 1 else ''}",
            repeat,
        )
        for hops in hops
    ]


def _measure(page: Any, app: App, focus: str, repeat: int) -> list[dict[str, Any]]:
    rows = _ego(page, app, focus, repeat)
    try:
        rows += _interactions(page, app, focus, repeat)
    except Exception as exc:  # noqa: BLE001 - a bench run reports what it could not measure
        rows.append(_failed("hover-fade and expand (1 hop)", exc))
    return rows


def _interactions(page: Any, app: App, focus: str, repeat: int) -> list[dict[str, Any]]:
    """Hover-fade and expand on the 1-hop view."""
    rows: list[dict[str, Any]] = []
    _first_frame(page, f"{app.url}/?focus={focus}&hops=1&lang=de")
    snap = page.evaluate("window.__explorer.snapshot()")
    degree = Counter(e["from"] for e in snap["edges"]) + Counter(e["to"] for e in snap["edges"])
    near = sorted(
        (n["id"] for n in snap["nodes"] if n["id"] != focus), key=lambda i: (-degree[i], i)
    )
    hover = [page.evaluate(HOVER_JS, near[i % len(near)])["ms"] for i in range(repeat * 3)]
    rows.append(
        {
            "what": "hover-fade (1 hop)",
            "nodes": len(snap["nodes"]),
            "cold_ms": None,
            "warm_ms": round(statistics.median(hover), 1),
        }
    )
    print(rows[-1], flush=True)
    expandable = next(i for i in near if i.startswith("org-"))
    page.evaluate("window.__explorer.hover(null)")
    page.set_default_timeout(180_000)
    try:
        grown = page.evaluate(EXPAND_JS, expandable)
    except Exception as exc:  # noqa: BLE001 - a bench run reports what it could not measure
        print(f"expand of {expandable} did not finish: {exc}", flush=True)
        grown = {"ms": None, "nodes": None}
    rows.append(
        {
            "what": "expand (1 hop + neighbours)",
            "nodes": grown["nodes"],
            "cold_ms": None if grown["ms"] is None else round(grown["ms"], 1),
            "warm_ms": None,
        }
    )
    print(rows[-1], flush=True)
    return rows


def _overview(page: Any, app: App, repeat: int) -> dict[str, Any]:
    return _view(page, f"{app.url}/?lang=de", "grouped overview", repeat)


class FreshApp:
    """The app in a new process (uvicorn's factory, as a ``scaleup serve`` worker starts)."""

    def __init__(self, db: Path, state: Path, graph: str) -> None:
        import subprocess
        import sys

        import httpx

        self.port = _free_port()
        env = {
            **os.environ,
            "SCALEUP_DATABASE_URL": f"embedded://{db}",
            "SCALEUP_GRAPH": graph,
            "SCALEUP_STATE_DIR": str(state),
        }
        command = [sys.executable, "-m", "uvicorn", "scaleup_graph.api.server:app_from_env"]
        command += ["--factory", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen([*command, "--log-level", "warning"], env=env)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=5).status_code < 500:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the fresh app did not start within 120 s")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def _touch(store: Any) -> None:
    """A property edit that changes nothing one sees: the store's generation moves on, so
    nothing derived before it counts."""
    from scaleup_graph.store import NodeRow

    row = store.read("MATCH (r:Region) RETURN r.id AS id, r.name AS name ORDER BY id LIMIT 1")[0]
    store.upsert_nodes(
        "Region",
        [NodeRow(row["id"], {"name": row["name"]})],
        provenance={"source": "bench", "ingest_run": "bench", "ingested_at": "2026-01-01"},
    )


def _fresh(
    browser: Any,
    db: Path,
    work: Path,
    graph: str,
    key: str,
    query: str,
    what: str,
    repeat: int,
    before: Any = None,
) -> dict[str, Any]:
    """First request (API alone) and first frame (browser) of fresh app processes."""
    try:
        return _fresh_row(browser, db, work, graph, key, query, what, repeat, before)
    except Exception as exc:  # noqa: BLE001 - a bench run reports what it could not measure
        return _failed(what, exc)


def _fresh_row(
    browser: Any,
    db: Path,
    work: Path,
    graph: str,
    key: str,
    query: str,
    what: str,
    repeat: int,
    before: Any,
) -> dict[str, Any]:
    import httpx

    api, frames, cpu, nodes = [], [], [], 0
    for _ in range(repeat):
        for in_browser in (False, True):
            if before is not None:
                before()
            app = FreshApp(db, work / "state-fresh", graph)
            try:
                if in_browser:
                    context = browser.new_context(
                        viewport={"width": 1440, "height": 900}, bypass_csp=True
                    )
                    context.add_init_script(f"sessionStorage.setItem('scaleup-api-key', '{key}')")
                    page = context.new_page()
                    got = _first_frame(page, f"{app.url}/?{query}")
                    frames.append(got["ms"])
                    nodes = got["nodes"]
                    context.close()
                else:
                    busy = _cpu(db, app.process.pid)
                    started = time.perf_counter()
                    answer = httpx.get(
                        f"{app.url}/api/v1/explorer/view?{query}",
                        headers={"X-API-Key": key},
                        timeout=600,
                    )
                    api.append((time.perf_counter() - started) * 1000)
                    cpu.append(_cpu(db, app.process.pid) - busy)
                    answer.raise_for_status()
            finally:
                app.close()
    row = {
        "what": what,
        "nodes": nodes,
        "cold_ms": round(statistics.median(frames), 1),
        "warm_ms": None,
        "api_cold_ms": round(statistics.median(api), 1),
        "api_warm_ms": None,
        "api_cpu_ms": round(statistics.median(cpu), 1),
    }
    print(row, flush=True)
    return row


def _cpu(db: Path, *pids: int) -> float:
    """CPU ms (user + system) used so far by the database server and the given processes: the
    work a request costs, whatever else the shared machine is doing."""
    server = int((db / "server.pid").read_text().strip())
    return 1000 * sum(sum(psutil.Process(p).cpu_times()[:2]) for p in (server, *pids))


def _previous_way(db: Path, graph: str, repeat: int) -> dict[str, Any]:
    """The overview derived as before: the whole graph read with every property, then grouped
    and planned; in a fresh connection, nothing kept."""
    from scaleup_graph.store import open_store
    from scaleup_graph.visualisation.fetch import fetch_whole_graph
    from scaleup_graph.visualisation.layout import layout_cache
    from scaleup_graph.visualisation.views import render_view

    times, cpu = [], []
    for _ in range(repeat):
        store = open_store(f"embedded://{db}", graph=graph, bounded_reads=True)
        layout_cache._items.clear()
        busy = _cpu(db, os.getpid())
        started = time.perf_counter()
        payload = render_view(fetch_whole_graph(store, role="viewer"), role="viewer", lang="de")
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(_cpu(db, os.getpid()) - busy)
        store.close()
    row = {
        "what": "overview the previous way",
        "nodes": len(payload["nodes"]),
        "cold_ms": None,
        "warm_ms": None,
        "api_cold_ms": round(statistics.median(times), 1),
        "api_warm_ms": None,
        "api_cpu_ms": round(statistics.median(cpu), 1),
    }
    print(row, flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=5200, help="generated SMEs (5200: ~10k nodes)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--views-only",
        action="store_true",
        help="only the views in one app (no fresh app processes, no previous-way overview)",
    )
    args = parser.parse_args()

    import sys

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script too
    from bench.scratch import scratch_folder
    from scaleup_graph.ingest import IngestOptions, ingest_path, load_seed
    from scaleup_graph.ingest.generate import generate
    from scaleup_graph.store import open_store

    # the databases, keys and population: removed with their server on every way out
    with scratch_folder("explorer-bench-") as work:
        db = work / "db"
        keeper = open_store(f"embedded://{db}", graph="keepalive")
        demo = open_store(f"embedded://{db}", graph="demo")
        load_seed(
            demo, options=IngestOptions(state_dir=work / "seed-state", check_duplicates=False)
        )
        big = open_store(f"embedded://{db}", graph="big")
        started = time.perf_counter()
        population = generate(args.orgs, 42, work / "population")
        manifest = getattr(population, "manifest", population)
        ingest_path(
            big,
            Path(str(manifest)),
            options=IngestOptions(state_dir=work / "state", check_duplicates=False),
        )
        counts = big.counts()
        total = sum(counts["nodes"].values())
        print(
            f"generated graph: {total} nodes in {time.perf_counter() - started:.0f} s", flush=True
        )
        big_focus = _pick_focus(big)
        hub, hub_links = _pick_hub(big)
        print(
            f"10k: ego views around {big_focus}, crowded-hub views around {hub} ({hub_links} links)"
        )
        demo.close()
        big.close()

        results: dict[str, list[dict[str, Any]]] = {}
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for name, graph, focus in (("demo", "demo", DEMO_FOCUS), ("10k", "big", big_focus)):
                app = App(db, work / f"state-{name}", graph)
                context = browser.new_context(
                    viewport={"width": 1440, "height": 900}, bypass_csp=True
                )
                context.add_init_script(f"sessionStorage.setItem('scaleup-api-key', '{app.key}')")
                page = context.new_page()
                rows = _measure(page, app, focus, args.repeat)
                if name == "10k":
                    # the crowded star (the ego rows above when the focus is the hub itself)
                    prefix = "hub " if hub != focus else f"hub ({hub_links} links) "
                    if hub == focus:
                        for r in rows[:3]:
                            r["what"] = prefix + r["what"]
                    else:
                        rows += _ego(page, app, hub, args.repeat, prefix, hops=(1, 2))
                    rows.append(_overview(page, app, args.repeat))
                results[name] = rows
                context.close()
                app.close()
            fresh_key = App.make_key(work / "state-fresh")
            big = open_store(f"embedded://{db}", graph="big")
            rows = results["10k"]
            overview = "lang=de"
            if not args.views_only:
                rows.append(
                    _fresh(
                        browser,
                        db,
                        work,
                        "big",
                        fresh_key,
                        overview,
                        "fresh app, after an edit",
                        args.repeat,
                        before=lambda: _touch(big),
                    )
                )
                rows.append(
                    _fresh(
                        browser,
                        db,
                        work,
                        "big",
                        fresh_key,
                        overview,
                        "fresh app, kept",
                        args.repeat,
                    )
                )
                rows.append(
                    _fresh(
                        browser,
                        db,
                        work,
                        "big",
                        fresh_key,
                        f"focus={big_focus}&hops=1&lang=de",
                        "fresh app, ego 1 hop",
                        args.repeat,
                    )
                )
                rows.append(_previous_way(db, "big", args.repeat))
            big.close()
            browser.close()
        keeper.close()

    baseline = next(r["warm_ms"] for r in results["demo"] if r["what"] == "ego 1 hop")
    machine = {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "browser": "Debian chromium, headless, --disable-gpu (software rendering), 1440x900",
        "generated_nodes": total,
    }
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"explorer_render-{stamp}.json"
    payload = {"machine": machine, "baseline_ms": baseline, "results": results}
    out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nmachine: {machine}")
    print(
        f"{'graph':<6}{'what':<32}{'nodes':>7}{'cold ms':>10}{'warm ms':>10}{'x base':>8}"
        f"{'API cold':>10}{'API warm':>10}{'API CPU':>10}{'page':>8}"
    )
    for name, rows in results.items():
        for r in rows:
            if r.get("failed"):
                print(f"{name:<6}{r['what']:<32}  FAILED: {r['failed']}")
                continue
            ms = r["warm_ms"] if r["warm_ms"] is not None else r["cold_ms"]
            ratio = f"{ms / baseline:.1f}" if baseline and ms is not None else ""
            print(
                f"{name:<6}{r['what']:<32}{_f(r['nodes']):>7}{_f(r['cold_ms']):>10}"
                f"{_f(r['warm_ms']):>10}{ratio:>8}{_f(r.get('api_cold_ms')):>10}"
                f"{_f(r.get('api_warm_ms')):>10}{_f(r.get('api_cpu_ms')):>10}"
                f"{_f(r.get('page_ms')):>8}"
            )
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cold = next((r for r in results["10k"] if r["what"] == "fresh app, after an edit"), {})
    before = next((r for r in results["10k"] if r["what"] == "overview the previous way"), {})
    if not cold.get("api_cold_ms") or not before.get("api_cold_ms"):
        print(f"written to {out}")
        return
    print(
        f"overview at 10k, API: after an edit in a fresh app {cold['api_cold_ms']:.0f} ms "
        f"({cold['api_cpu_ms']:.0f} ms CPU of app and database), the previous way "
        f"{before['api_cold_ms']:.0f} ms ({before['api_cpu_ms']:.0f} ms CPU): "
        f"x{cold['api_cold_ms'] / before['api_cold_ms']:.2f} wall, "
        f"x{cold['api_cpu_ms'] / before['api_cpu_ms']:.2f} CPU"
    )
    print(f"written to {out}")


def _f(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


if __name__ == "__main__":
    main()
