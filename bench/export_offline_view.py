"""Offline export: a large ego view the file builds itself, as a reader opens it.

The whole demo network (the Nordhessen seed, 311 nodes for a viewer) is exported to one HTML
file; the file is opened from disk, networking off, at the address of the IHK Kassel-Marburg
at 2 steps (170 nodes), which the file lays out itself. Measured in headless Debian chromium
at 1440x900 and 1024x768, for three page scripts in the same run:

- "now": the file as ``scaleup export html`` writes it;
- "before": the same file with the page script of an earlier commit (``--before``, default
  the commit before the offline views were planned with the server's steps): the pairwise
  push-apart;
- "server's plan": the export of that very view (``--focus`` the IHK, ``--hops 2``), drawn as
  the server planned it: the baseline the ratios are taken against.

Per row: time to the first drawn frame (ms from the start of the page's load, median of
``--repeat``), the page's own planning of that picture (``drawMs``), direct neighbours named at
11 px or more, nodes named in all, overlapping labels (vis-network's own label boxes).

    .venv/bin/python -m bench.export_offline_view [--repeat 5] [--before <commit>]

Prints a table and writes bench/results/export_offline_view-<UTC time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "src/scaleup_graph/visualisation/static/explorer.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FOCUS = "org-ihk-kassel-marburg"
#: the commit before the offline views of more than 40 nodes were planned with the server's steps
BEFORE = "69e4d30"


def _with_script(html: str, commit: str) -> str:
    """``html`` with its inline page script replaced by the one of ``commit``."""
    from scaleup_graph.visualisation.page import _inline_safe, asset

    old = subprocess.run(
        ["git", "show", f"{commit}:{SCRIPT}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    now = _inline_safe(asset("explorer.js"))
    assert html.count(now) == 1, "the page script is inline once"
    return html.replace(now, _inline_safe(old))


def _open(browser: Any, path: Path, size: tuple[int, int]) -> dict[str, Any]:
    from tests.support.explorer import READY, overlapping_labels, settled

    context = browser.new_context(offline=True, viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{path.as_uri()}#focus={FOCUS}&hops=2&lang=de")
    page.reload()  # a fresh load at that address: its first frame is the view's
    page.wait_for_function("window.__explorer && window.__explorer.firstFrame > 0")
    page.wait_for_function(READY)
    snap = settled(page)
    near = {e["to"] for e in snap["edges"] if e["from"] == FOCUS}
    near |= {e["from"] for e in snap["edges"] if e["to"] == FOCUS}
    out = {
        "first_frame_ms": page.evaluate("window.__explorer.firstFrame"),
        "page_ms": page.evaluate("window.__explorer.drawMs"),
        "nodes": len(snap["nodes"]),
        "near": len(near),
        "named_near": sum(
            1 for n in snap["nodes"] if n["id"] in near and n["labelShown"] and n["fontPx"] >= 11
        ),
        "named": sum(n["labelShown"] for n in snap["nodes"]),
        "overlapping_labels": len(overlapping_labels(snap)),
    }
    context.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", default=BEFORE, help="commit whose page script is 'before'")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from bench.scratch import scratch_folder
    from scaleup_graph.ingest import IngestOptions, load_seed
    from scaleup_graph.store import open_store
    from scaleup_graph.visualisation import write_export

    with scratch_folder("export-offline-bench-") as work:
        store = open_store(f"embedded://{work / 'db'}", graph="demo")
        try:
            load_seed(store, options=IngestOptions(state_dir=work / "seed", check_duplicates=False))
            files = {"now": work / "now.html", "server's plan": work / "planned.html"}
            write_export(store, files["now"], role="viewer")
            write_export(store, files["server's plan"], role="viewer", focus=FOCUS, hops=2)
        finally:
            store.close()
        files["before"] = work / "before.html"
        files["before"].write_text(
            _with_script(files["now"].read_text(encoding="utf-8"), args.before), encoding="utf-8"
        )
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            for size in ((1440, 900), (1024, 768)):
                base = None
                for name in ("server's plan", "before", "now"):
                    runs = [_open(browser, files[name], size) for _ in range(args.repeat)]
                    row = {
                        **runs[-1],
                        "first_frame_ms": statistics.median(r["first_frame_ms"] for r in runs),
                        "page_ms": statistics.median(r["page_ms"] for r in runs),
                        "what": name,
                        "window": f"{size[0]}x{size[1]}",
                    }
                    base = base or row["first_frame_ms"]
                    row["ratio"] = row["first_frame_ms"] / base
                    rows.append(row)
            browser.close()
    load = os.getloadavg()
    print(f"IHK at 2 steps built in the exported file (load average {load[0]:.1f}):")
    print(
        f"{'window':<9} {'page script':<14} {'nodes':>5} {'direct named':>12} {'named':>5} "
        f"{'overlaps':>8} {'first frame ms':>14} {'ratio':>6} {'page ms':>8}"
    )
    for r in rows:
        print(
            f"{r['window']:<9} {r['what']:<14} {r['nodes']:>5} "
            f"{r['named_near']:>5} of {r['near']:<4} {r['named']:>5} {r['overlapping_labels']:>8} "
            f"{r['first_frame_ms']:>14.0f} {r['ratio']:>6.2f} {r['page_ms']:>8.0f}"
        )
    RESULTS.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"export_offline_view-{stamp}.json"
    out.write_text(
        json.dumps({"load_average": load, "before": args.before, "rows": rows}, indent=1),
        encoding="utf-8",
    )
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
