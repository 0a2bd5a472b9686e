"""Plots of a ``python -m bench`` result: ingest rate and metric time against graph size.

    .venv/bin/python -m bench.report [bench/results/<date>-<machine>.json]

Without an argument the newest result file is drawn. Writes ``bench/ingest_rate.png`` and
``bench/metric_time.png`` (log-log, one line per subject: us and each peer).
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from bench import HERE, RESULTS

METRICS = ("pagerank", "louvain", "betweenness", "kcore")


def newest() -> Path:
    """The newest suite result (``<date>-<machine>.json``) in bench/results."""
    files = [p for p in RESULTS.glob("20*-*.json")]
    if not files:
        raise SystemExit("no suite results in bench/results: run python -m bench first")
    return max(files, key=lambda p: p.stat().st_mtime)


def _subject(name: str) -> str:
    """A subject without its version, so the same peer is one line across sizes."""
    return name.split(" ")[0] if name != "ours" else "ScaleUp Graph"


def _series(rows: list[dict[str, Any]], task: str, rate: bool) -> dict[str, list[tuple]]:
    series: dict[str, list[tuple]] = defaultdict(list)
    for r in rows:
        if r["task"] != task or not r.get("stats") or not r.get("relationships"):
            continue
        median = r["stats"]["median"]
        y = (r.get("rows") or 0) / median if rate else median
        label = f"{_subject(r['subject'])} ({r['subject'].split(' ', 2)[-1]})"
        label = "ScaleUp Graph" if r["subject"] == "ours" else label
        series[label].append((r["relationships"], y, r["size"]))
    return series


def _draw(ax: Any, series: dict[str, list[tuple]], ylabel: str, title: str) -> None:
    for label, points in sorted(series.items(), key=lambda kv: kv[0] != "ScaleUp Graph"):
        points.sort()
        xs, ys, _sizes = zip(*points, strict=True)
        width = 2.5 if label == "ScaleUp Graph" else 1.2
        ax.plot(xs, ys, marker="o", linewidth=width, label=label)
        for x, y, size in points:
            ax.annotate(size, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=7)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("relationships")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)


def plot(doc: dict[str, Any], out_dir: Path = HERE) -> list[Path]:
    """Draw both figures; returns the PNG paths."""
    rows = doc["rows"]
    machine = doc["environment"]["machine"]
    footer = f"{machine['cpu']}, {machine['cores']} cores; median of the runs in the JSON"
    written = []
    fig, ax = plt.subplots(figsize=(7, 4.5))
    _draw(ax, _series(rows, "ingest", rate=True), "rows per second (median)", "Ingest rate")
    fig.text(0.01, 0.01, footer, fontsize=6)
    fig.tight_layout()
    path = out_dir / "ingest_rate.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)
    fig, axes = plt.subplots(2, 2, figsize=(10, 7.5))
    for ax, metric in zip(axes.flat, METRICS, strict=True):
        _draw(ax, _series(rows, metric, rate=False), "seconds (median)", metric)
    fig.text(0.01, 0.01, footer, fontsize=6)
    fig.tight_layout()
    path = out_dir / "metric_time.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("result", type=Path, nargs="?")
    args = parser.parse_args()
    source = args.result or newest()
    for path in plot(json.loads(source.read_text())):
        print(path)


if __name__ == "__main__":
    main()
