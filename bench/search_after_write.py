"""What a topic filter and the first page of a search after a write cost, against the old code.

    TMPDIR=/tmp/x .venv/bin/python -m bench.search_after_write --before REV [--size M] [--runs 15]

On the graph of ``bench.api_wrk`` (generated, seed 7; built there when missing, kept in
$TMPDIR/scaleup-api-wrk), in one process, alternating and in turn first:

- **search, first page after a write**: another store (another connection, as another worker)
  edits a property of one organisation, which bumps the write counter every process reads;
  then the first 21-row page of a search without name text (no filter, a region by NUTS
  prefix and by region id, a kind, a topic, a topic and a kind) is read by
  ``queries/search_pages.py`` as it is now, by the same module as it was at ``REV`` (its
  sources and those of ``search_organisations.py`` read from git, so its own texts), and by
  the composed text alone (what every page cost before ids were kept);
- **the explorer's topic filter**: ``fetch.listing_topic`` (the nodes that list the topic by
  name) now and at ``REV``, and the whole filtered view without a focus
  (``views.load_view(filters=ViewFilter(topic=...))``) with either;
- **lists with a topic**: the named queries ``challenges`` and ``content_feed`` (a page of 21:
  every row, a topic by name, by id) with the catalogue's text now and the file at ``REV``.

Each figure is the median over ``--runs`` of the wall time of the call (our Python, the
client, the engine) and of the engine's own execution time (FalkorDB reports it with each
result, summed over the call's statements), with now/before. The three search readers must
give the same rows, and both topic listings the same ids (checked on every run).
Results: bench/results/search_after_write-<time>.json (load averages at start and end).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, cast

from bench.api_wrk import ORGS, _db_url, _EngineClock, build, targets
from bench.env import environment
from bench.scratch import scratch_folder

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
PAGE = 21  # the API asks for its page of 20 and one more (is there a next page?)
CATALOGUE = "src/scaleup_graph/queries/cypher"


def old_module(rev: str, path: str, name: str, replace: tuple[tuple[str, str], ...] = ()) -> Any:
    """The module at ``path`` as it was at ``rev`` (git show), loaded under ``name``."""
    source = subprocess.run(
        ["git", "-C", str(HERE.parent), "show", f"{rev}:{path}"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    for old, new in replace:
        source = source.replace(old, new)
    module = types.ModuleType(name)
    module.__file__ = f"<{rev}:{path}>"
    sys.modules[name] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def _timed(clock: _EngineClock, call: Callable[[], Any]) -> tuple[float, float, Any]:
    clock.ms = 0.0
    started = time.perf_counter()
    answer = call()
    return (time.perf_counter() - started) * 1000, clock.ms, answer


def _summary(samples: dict[str, list[tuple[float, float]]], now: str, before: str) -> dict:
    out: dict[str, Any] = {}
    for kind, pairs in samples.items():
        out[kind] = {
            "wall_ms": round(statistics.median(p[0] for p in pairs), 3),
            "engine_ms": round(statistics.median(p[1] for p in pairs), 3),
        }
    for measure in ("wall_ms", "engine_ms"):
        out[f"now_over_before_{measure[:-3]}"] = round(out[now][measure] / out[before][measure], 3)
    return out


def search_cases(t: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        "no filter": {},
        "region DE7": {"region": "DE7"},
        "region id": {"region": t["region"]},
        "kind SME": {"kind": "SME"},
        "topic": {"topic": t["topic"]},
        "topic + kind": {"topic": t["topic"], "kind": "SME"},
    }


def measure(orgs: int, runs: int, rev: str) -> dict[str, Any]:
    from scaleup_graph.queries import search_pages
    from scaleup_graph.queries.catalogue import catalogue
    from scaleup_graph.store import open_store
    from scaleup_graph.visualisation import fetch, views

    old_texts = old_module(
        rev, "src/scaleup_graph/queries/search_organisations.py", "before_search_organisations"
    )
    old_pages = old_module(
        rev,
        "src/scaleup_graph/queries/search_pages.py",
        "before_search_pages",
        (("scaleup_graph.queries.search_organisations", "before_search_organisations"),),
    )
    old_fetch = old_module(rev, "src/scaleup_graph/visualisation/fetch.py", "before_fetch")
    query = catalogue()["search_organisations"]
    t = targets(orgs)
    store = open_store(_db_url(), graph=f"api{orgs}")
    other = open_store(_db_url(), graph=f"api{orgs}")  # writes, as another worker would
    out: dict[str, Any] = {"search_first_page_after_write": {}, "explorer_topic": {}}
    try:
        [row] = store.read(
            "MATCH (:Organisation {id: $id})-[:LOCATED_IN]->(r:Region) RETURN r.id AS id LIMIT 1",
            {"id": t["org"]},
        )
        t["region"] = row["id"]
        clock = _EngineClock(store)
        tick = "MATCH (o:Organisation {id: $id}) SET o.bench_tick = coalesce(o.bench_tick, 0) + 1"
        for case, params in search_cases(t).items():
            bound = query.bind({**params, "limit": PAGE}, dialect=store.dialect)
            text = old_texts.falkordb_text(bound)
            readers: dict[str, Callable[[], Any]] = {
                "now": partial(search_pages.page, cast(Any, clock), bound),
                "before": partial(old_pages.page, clock, bound),
                "composed text": partial(clock.read, text, bound),
            }
            for reader in readers.values():  # each keeps a listing once: the usual state
                reader()
            samples: dict[str, list[tuple[float, float]]] = {k: [] for k in readers}
            names = list(readers)
            for run in range(runs):
                other.write(tick, {"id": t["org"]})
                answers = {}
                for name in names[run % 3 :] + names[: run % 3]:  # each goes first in turn
                    wall, engine, answers[name] = _timed(clock, readers[name])
                    samples[name].append((wall, engine))
                if not answers["now"] == answers["before"] == answers["composed text"]:
                    raise RuntimeError(f"{case}: the readers answer different rows")
            result = _summary(samples, "now", "before")
            result["now_over_composed_wall"] = round(
                result["now"]["wall_ms"] / result["composed text"]["wall_ms"], 3
            )
            result["params"] = params
            out["search_first_page_after_write"][case] = result
            print(
                f"  search {case:14} first page after a write: now "
                f"{result['now']['wall_ms']:7.2f} ms (engine {result['now']['engine_ms']:6.2f})"
                f"  before {result['before']['wall_ms']:7.2f} "
                f"({result['before']['engine_ms']:6.2f})  composed text "
                f"{result['composed text']['wall_ms']:7.2f} "
                f"({result['composed text']['engine_ms']:6.2f})  now/before wall "
                f"{result['now_over_before_wall']:.2f}x engine "
                f"{result['now_over_before_engine']:.2f}x",
                flush=True,
            )
        [topic] = store.read(
            "MATCH (t:Topic) WHERE t.name = $name RETURN t.id AS id", {"name": t["topic"]}
        )
        listings: dict[str, Callable[[], Any]] = {
            "now": partial(fetch.listing_topic, cast(Any, clock), t["topic"], role="viewer"),
            "before": partial(old_fetch.listing_topic, clock, t["topic"], role="viewer"),
        }
        current = fetch.listing_topic

        def view(listing: Callable[..., Any]) -> Callable[[], Any]:
            def call() -> Any:
                fetch.listing_topic = listing
                try:
                    graph, _ = views.load_view(
                        cast(Any, clock),
                        role="viewer",
                        filters=views.ViewFilter(topic=topic["id"]),
                    )
                finally:
                    fetch.listing_topic = current
                return sorted(graph.nodes), sorted(graph.edges)

            return call

        views_now_before = {"now": view(current), "before": view(old_fetch.listing_topic)}
        for what, readers in (("listing", listings), ("filtered view", views_now_before)):
            samples = {k: [] for k in readers}
            for run in range(runs):
                answers = {}
                for name in list(readers)[run % 2 :] + list(readers)[: run % 2]:
                    wall, engine, answers[name] = _timed(clock, readers[name])
                    samples[name].append((wall, engine))
                if answers["now"] != answers["before"]:
                    raise RuntimeError(f"topic {what}: now and before answer differently")
            result = _summary(samples, "now", "before")
            size = answers["now"]
            result["nodes"] = len(size) if what == "listing" else len(size[0])
            out["explorer_topic"][what] = result
            print(
                f"  explorer topic {what:13} ({result['nodes']} nodes): now "
                f"{result['now']['wall_ms']:7.2f} ms (engine {result['now']['engine_ms']:6.2f})"
                f"  before {result['before']['wall_ms']:7.2f} "
                f"({result['before']['engine_ms']:6.2f})  now/before wall "
                f"{result['now_over_before_wall']:.2f}x engine "
                f"{result['now_over_before_engine']:.2f}x",
                flush=True,
            )
        out["lists"] = lists(store, clock, rev, runs)
    finally:
        other.close()
        store.close()
    out["targets"] = t
    return out


def lists(store: Any, clock: _EngineClock, rev: str, runs: int) -> dict[str, Any]:
    """``challenges`` and ``content_feed`` (a page of 21; all rows, a topic by name and by id)
    with the catalogue's text now and the file at ``rev``; same rows checked on every run."""
    from scaleup_graph.queries.catalogue import catalogue, parse_query_file

    out: dict[str, Any] = {}
    topic = store.read("MATCH (c:Challenge) WHERE size(c.topics) > 0 RETURN c.topics[0] AS t")[0]
    [linked] = store.read("MATCH (t:Topic {name: $n}) RETURN t.id AS id", {"n": topic["t"]})
    with scratch_folder("search-after-write-") as folder:
        for name in ("challenges", "content_feed"):
            path = Path(folder) / f"{name}.cypher"
            path.write_text(
                subprocess.run(
                    ["git", "-C", str(HERE.parent), "show", f"{rev}:{CATALOGUE}/{name}.cypher"],
                    capture_output=True,
                    check=True,
                    text=True,
                ).stdout
            )
            old, now = parse_query_file(path), catalogue()[name]
            for case, params in (
                ("all", {}),
                ("topic name", {"topic": topic["t"]}),
                ("topic id", {"topic": linked["id"]}),
            ):
                texts = {}
                for kind, query in (("now", now), ("before", old)):
                    bound = query.bind({**params, "limit": PAGE}, dialect=store.dialect)
                    texts[kind] = partial(clock.read, query.text(store.dialect, bound), bound)
                samples: dict[str, list[tuple[float, float]]] = {k: [] for k in texts}
                for run in range(runs):
                    answers = {}
                    for kind in list(texts)[run % 2 :] + list(texts)[: run % 2]:
                        wall, engine, answers[kind] = _timed(clock, texts[kind])
                        samples[kind].append((wall, engine))
                    if answers["now"] != answers["before"]:
                        raise RuntimeError(f"{name} {case}: now and before answer differently")
                result = _summary(samples, "now", "before")
                out[f"{name} {case}"] = result
                print(
                    f"  {name:12} {case:10}: now {result['now']['wall_ms']:7.2f} ms (engine "
                    f"{result['now']['engine_ms']:6.2f})  before {result['before']['wall_ms']:7.2f}"
                    f" ({result['before']['engine_ms']:6.2f})  now/before wall "
                    f"{result['now_over_before_wall']:.3f}x engine "
                    f"{result['now_over_before_engine']:.3f}x",
                    flush=True,
                )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="git revision of the old code")
    parser.add_argument("--size", default="M", choices=sorted(ORGS))
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    orgs = ORGS[args.size]
    counts = build(orgs)
    print(f"{args.size}: {counts}; load average {os.getloadavg()}", flush=True)
    results: dict[str, Any] = {
        "environment": environment(),
        "before": args.before,
        "size": args.size,
        "counts": counts,
        "runs": args.runs,
        "load_start": os.getloadavg(),
    }
    results.update(measure(orgs, args.runs, args.before))
    results["load_end"] = os.getloadavg()
    print(f"load average at the end {results['load_end']}")
    RESULTS.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    path = RESULTS / f"search_after_write-{stamp}.json"
    path.write_text(json.dumps(results, indent=2))
    print(f"results: {path}")


if __name__ == "__main__":
    main()
