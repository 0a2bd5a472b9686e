"""How long the embedded server takes to start on a loaded graph, with and without the copies
ad-hoc queries run on, and with the copies' full-text indexes (before) or without (now).

    .venv/bin/python -m bench.server_load [--size M] [--repeat 3]
    .venv/bin/python -m bench.server_load --folder /path/to/db --graph cordis

A ``scaleup`` command that finds no server running starts one, and the server reads every graph
of the folder back from its files and rebuilds every index (FalkorDB keeps no index on disk).
One folder is prepared (a generated graph of ``--size``, or a copy of ``--folder``: the original
is never touched) with the four ad-hoc copies (store/views.py), and three folders are made
from it:

- ``graph alone``: the copies deleted (the baseline);
- ``4 copies, full-text``: each copy with the graph's full-text indexes, as GRAPH.COPY left
  them before issue 15's clean-up (before);
- ``4 copies``: the copies as the store makes them now (range indexes only).

Each case is a cold start of the server on its folder (``loglevel verbose``), the cases taking
turns ``--repeat`` times, so drift on a shared machine hits them alike: wall time until the
server answers PING, and the server's own "DB loaded" seconds from its log. The claims are
each case's median as a multiple of the graph alone; beside it the server's used memory on
each folder and each graph's own (GRAPH.MEMORY USAGE: graph and indexes). Results:
bench/results/server_load-<time>.json with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import time
from pathlib import Path
from typing import Any
from unittest.mock import patch

from bench.env import environment
from bench.scratch import scratch_folder
from bench.suite import ORGS
from scaleup_graph.ingest import IngestOptions, load_manifest
from scaleup_graph.ingest.bulk import bulk_ingest
from scaleup_graph.ingest.generate import generate
from scaleup_graph.store import embedded, open_store
from scaleup_graph.store.base import searchable_labels
from scaleup_graph.store.cypher import SEARCH_TEXT
from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.views import VIEWS

RESULTS = Path(__file__).resolve().parent / "results"
CASES = ("graph alone", "4 copies, full-text", "4 copies")
#: the server's own figure: "DB loaded from append only file: 2.670 seconds"
_LOADED = re.compile(r"DB loaded from (?:append only file|disk): ([\d.]+) seconds")
#: files of a running server that a copied folder must not carry
_RUNTIME = ("server.json", "server.pid", "falkordb.sock", "server.log", ".lock")


def _copy_folder(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        source, target, ignore=lambda _d, names: [n for n in names if n.endswith(_RUNTIME)]
    )
    return target


def _prepare(work: Path, size: str, folder: Path | None, graph: str) -> dict[str, Path]:
    """The three folders, each with a stopped server."""
    base = work / "now"
    if folder is not None:
        _copy_folder(folder, base)
    store = open_store(f"embedded://{base}", graph=graph)
    assert isinstance(store, FalkorDBStore)
    try:
        if folder is None:
            population = generate(ORGS[size], 7, work / f"gen-{ORGS[size]}")
            store.clear()
            options = IngestOptions(state_dir=work / "state", check_duplicates=False)
            bulk_ingest(store, [load_manifest(population.manifest)], options)
        for view in VIEWS:
            store.refresh_view(view)
    finally:
        store.close()
    folders = {"4 copies": base}
    for case, change in (("graph alone", "delete"), ("4 copies, full-text", "full-text")):
        target = _copy_folder(base, work / case.replace(" ", "_").replace(",", ""))
        store = open_store(f"embedded://{target}", graph=graph)
        assert isinstance(store, FalkorDBStore) and store._wdb is not None
        try:
            for view in VIEWS:
                name = store.view_names[view]
                if change == "delete":
                    store._command("GRAPH.DELETE", name)
                    continue
                copy = store._wdb.select_graph(name)
                for label in searchable_labels():  # as setup_schema makes them on the graph
                    copy.query(
                        "CALL db.idx.fulltext.createNodeIndex($options, $field)",
                        {
                            "options": {"label": label, "stopwords": []},
                            "field": {"field": SEARCH_TEXT, "nostem": True},
                        },
                    )
            store._rewrite_append_only_file()
        finally:
            store.close()
        folders[case] = target
    return folders


def _cold_start(folder: Path) -> tuple[float, float | None]:
    """Wall seconds until the server answers, and the server's "DB loaded" seconds."""
    for name in _RUNTIME:
        (folder / name).unlink(missing_ok=True)
    server = embedded.EmbeddedServer(folder)
    started = time.perf_counter()
    server.ensure_running()
    wall = time.perf_counter() - started
    server.release(own_connections=0)
    found = _LOADED.findall((folder / "server.log").read_text(errors="replace"))
    return wall, float(found[-1]) if found else None


def _memory(folder: Path, graph: str) -> dict[str, Any]:
    """The server's used memory on ``folder`` and each graph's (GRAPH.MEMORY USAGE: the graph
    and its indexes, MB)."""
    import redis

    server = embedded.EmbeddedServer(folder)
    client = redis.Redis(
        unix_socket_path=str(server.ensure_running()), socket_timeout=60, decode_responses=True
    )
    try:
        graphs = {}
        for name in [graph, *(f"{graph}__{view.suffix}" for view in VIEWS)]:
            if not client.exists(name):
                continue
            answer = client.execute_command("GRAPH.MEMORY", "USAGE", name)
            fields = (
                dict(answer)
                if isinstance(answer, dict)
                else dict(zip(answer[::2], answer[1::2], strict=True))
            )
            graphs[name] = {
                "graph_mb": fields.get("total_graph_sz_mb"),
                "indexes_mb": fields.get("indices_sz_mb"),
            }
        used = int(client.info("memory")["used_memory"])
    finally:
        client.close()
        server.release(own_connections=0)
    return {"used_memory_mb": round(used / 2**20, 1), "graphs": graphs}


def run(size: str, repeat: int, work: Path, folder: Path | None, graph: str) -> dict[str, Any]:
    # the copies stay in the server's files when this process stops it: the start with them
    # loaded is what this measures (a ``scaleup`` command parks them on disk: issue 14)
    embedded.EmbeddedServer.parks_copies = False
    prepared = time.perf_counter()
    folders = _prepare(work, size, folder, graph)
    prepared_s = time.perf_counter() - prepared
    # verbose logging for the "DB loaded" line, in this process only
    config = embedded.EmbeddedServer._config

    def verbose(self: embedded.EmbeddedServer, module: str) -> str:
        return config(self, module).replace("loglevel warning", "loglevel verbose")

    walls: dict[str, list[float]] = {case: [] for case in CASES}
    loads: dict[str, list[float]] = {case: [] for case in CASES}
    with patch.object(embedded.EmbeddedServer, "_config", verbose):
        for _ in range(repeat):
            for case in CASES:  # take turns: drift hits every case
                wall, loaded = _cold_start(folders[case])
                walls[case].append(wall)
                if loaded is not None:
                    loads[case].append(loaded)
    rows = {}
    for case in CASES:
        rows[case] = {
            **_memory(folders[case], graph),
            "start_s": round(statistics.median(walls[case]), 3),
            "db_loaded_s": round(statistics.median(loads[case]), 3) if loads[case] else None,
            "folder_mb": round(
                sum(p.stat().st_size for p in folders[case].rglob("*") if p.is_file()) / 2**20, 1
            ),
        }
    alone = rows["graph alone"]["start_s"]
    for case in CASES:
        rows[case]["x_graph_alone"] = round(rows[case]["start_s"] / alone, 2)
    return {
        "source": str(folder) if folder else f"generated {size} ({ORGS[size]:,} organisations)",
        "graph": graph,
        "repeat": repeat,
        "prepare_s": round(prepared_s, 1),
        "cases": rows,
        "full_text_saving": round(
            rows["4 copies, full-text"]["start_s"] / rows["4 copies"]["start_s"], 2
        ),
        "load_average_after": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="M", choices=sorted(ORGS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", type=Path, help="an existing database folder (copied)")
    parser.add_argument("--graph", default="bench", help="the graph's name in --folder")
    parser.add_argument("--label", default="", help="added to the result file's name")
    args = parser.parse_args(argv)
    env = environment()
    with scratch_folder("server-load-") as tmp:
        result = run(args.size, args.repeat, Path(tmp), args.folder, args.graph)
    result["environment"] = env
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = RESULTS / f"server_load-{stamp}{'-' + args.label if args.label else ''}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"{result['source']}, graph {result['graph']!r}; median of {result['repeat']} starts")
    print(f"{'case':<22} {'start':>8} {'DB loaded':>10} {'x alone':>8} {'folder':>9} {'memory':>9}")
    for case, row in result["cases"].items():
        loaded = f"{row['db_loaded_s']:.2f} s" if row["db_loaded_s"] is not None else "-"
        print(
            f"{case:<22} {row['start_s']:>6.2f} s {loaded:>10} {row['x_graph_alone']:>7.2f}x "
            f"{row['folder_mb']:>6.1f} MB {row['used_memory_mb']:>6.1f} MB"
        )
    print(
        f"4 copies with full-text / without: {result['full_text_saving']:.2f}x; load average "
        f"at start {env.get('load_average_start')}, after {result['load_average_after']}"
    )
    print(f"results: {out}")


if __name__ == "__main__":
    main()
