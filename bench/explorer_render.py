"""Explorer rendering benchmark: time to first rendered frame and frames per second while
panning, for views of 1,000, 5,000 and 10,000 nodes from a generated graph, in the same headless
Debian chromium the browser tests use.

Each view is drawn raw (no grouping), with server-side positions, from a self-contained export
file opened from disk, so the numbers are the browser's alone; the server-side layout and build
times are measured separately. The explorer itself groups any view above 400 nodes; the grouped
view of the largest graph is measured too.

    .venv/bin/python bench/explorer_render.py [--sizes 1000,5000,10000] [--pan-seconds 3]

Prints a table and writes bench/results/explorer_render-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import tempfile
import time
from collections import Counter, deque
from pathlib import Path
from typing import Any

import psutil

from scaleup_graph.ingest import IngestOptions, ingest_path
from scaleup_graph.ingest.generate import generate
from scaleup_graph.store import open_store
from scaleup_graph.visualisation.aggregate import AGGREGATE_ABOVE
from scaleup_graph.visualisation.fetch import Subgraph, fetch_whole_graph
from scaleup_graph.visualisation.layout import layout_cache
from scaleup_graph.visualisation.page import boot_data, render_page
from scaleup_graph.visualisation.views import render_view

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PAN_JS = """async (seconds) => {
  const net = window.__explorer.network;
  const start = performance.now();
  const before = window.__explorer.frames;
  const base = net.getViewPosition();
  let t = 0;
  await new Promise((done) => {
    function step(now) {
      t = now - start;
      const x = base.x + 400 * Math.sin(t / 500);
      const y = base.y + 300 * Math.cos(t / 700);
      net.moveTo({position: {x, y}, animation: false});
      if (t < seconds * 1000) requestAnimationFrame(step); else done();
    }
    requestAnimationFrame(step);
  });
  return (window.__explorer.frames - before) / ((performance.now() - start) / 1000);
}"""


def _ball(graph: Subgraph, size: int) -> Subgraph:
    """``size`` nodes grown breadth-first from the best-connected node: an ego-like view."""
    degree = Counter(a for a, _, _ in graph.edges) + Counter(b for _, b, _ in graph.edges)
    neighbours: dict[str, list[str]] = {}
    for a, b, _ in graph.edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    order = sorted(graph.nodes, key=lambda n: -degree[n])
    seen: dict[str, None] = {}
    for root in order:  # further components when one is not enough
        queue = deque([root])
        while queue and len(seen) < size:
            node = queue.popleft()
            if node in seen:
                continue
            seen[node] = None
            queue.extend(n for n in neighbours.get(node, ()) if n not in seen)
        if len(seen) >= size:
            break
    return graph.restrict(seen)


def _render(browser: Any, html_path: Path, pan_seconds: float) -> dict[str, float]:
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(html_path.as_uri())
    page.wait_for_function("window.__explorer && window.__explorer.firstFrame > 0", timeout=300_000)
    first = page.evaluate("window.__explorer.firstFrame")
    fps = page.evaluate(PAN_JS, pan_seconds)
    context.close()
    return {"first_frame_ms": round(first, 1), "pan_fps": round(fps, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--pan-seconds", type=float, default=3.0)
    parser.add_argument("--orgs", type=int, default=5200, help="generated SMEs (5200: ~10k nodes)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    store = open_store(f"embedded://{work / 'db'}", graph="bench")
    results: list[dict[str, Any]] = []
    try:
        population = generate(args.orgs, 42, work / "population")
        manifest = getattr(population, "manifest", population)
        ingest_path(
            store,
            Path(str(manifest)),
            options=IngestOptions(state_dir=work / "state", check_duplicates=False),
        )
        whole = fetch_whole_graph(store)
        print(f"generated graph: {len(whole.nodes)} nodes, {len(whole.edges)} relationships")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for size in sizes:
                view = _ball(whole, size)
                started = time.perf_counter()
                layout_cache.positions(list(view.nodes), [(a, b) for a, b, _ in view.edges])
                layout_s = time.perf_counter() - started
                started = time.perf_counter()
                payload = render_view(view, role="viewer", lang="de", aggregate_above=size + 1)
                build_s = time.perf_counter() - started  # the layout cache makes this the build
                html = render_page(
                    boot_data(
                        "offline",
                        data={
                            "role": "viewer",
                            "focus": None,
                            "hops": 1,
                            "views": {"": payload},
                            "details": {},
                            "nodes": {},
                            "options": {},
                        },
                    ),
                    inline=True,
                )
                path = work / f"view-{size}.html"
                path.write_text(html, encoding="utf-8")
                row = {
                    "view": f"{len(view.nodes)} nodes raw",
                    "nodes": len(view.nodes),
                    "edges": len(payload["edges"]),
                    "layout_s": round(layout_s, 2),
                    "build_s": round(build_s, 2),
                    "html_mb": round(len(html) / 1e6, 1),
                    **_render(browser, path, args.pan_seconds),
                }
                results.append(row)
                print(row, flush=True)
            grouped = render_view(whole, role="viewer", lang="de")
            html = render_page(
                boot_data(
                    "offline",
                    data={
                        "role": "viewer",
                        "focus": None,
                        "hops": 1,
                        "views": {"": grouped},
                        "details": {},
                        "nodes": {},
                        "options": {},
                    },
                ),
                inline=True,
            )
            path = work / "view-grouped.html"
            path.write_text(html, encoding="utf-8")
            row = {
                "view": f"{len(whole.nodes)} nodes grouped (> {AGGREGATE_ABOVE})",
                "nodes": len(grouped["nodes"]),
                "edges": len(grouped["edges"]),
                **_render(browser, path, args.pan_seconds),
            }
            results.append(row)
            print(row, flush=True)
            browser.close()
    finally:
        store.clear()
        store.close()

    machine = {
        "cpu": platform.processor() or platform.machine(),
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "browser": "Debian chromium, headless, --disable-gpu (software rendering)",
    }
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"explorer_render-{stamp}.json"
    out.write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    print(f"\nmachine: {machine}")
    print(f"{'view':<34}{'edges':>8}{'layout s':>10}{'first frame ms':>16}{'pan fps':>9}")
    for r in results:
        print(
            f"{r['view']:<34}{r['edges']:>8}{r.get('layout_s', ''):>10}"
            f"{r['first_frame_ms']:>16}{r['pan_fps']:>9}"
        )
    print(f"written to {out}")


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
