"""The explorer's overview after a write, and filtered views without a focus, over HTTP, in ms.

    .venv/bin/python bench/explorer_overview.py [--size M] [--repeat 5]

Builds a generated graph (``scaleup_graph.ingest.generate``, seed 7; S = 4,000 organisations,
M = 40,000, as bench/suite.py) in a private embedded database (kept in
$TMPDIR/scaleup-overview-bench-db for re-runs), starts the real API with uvicorn in a child
process, and times ``GET /api/v1/explorer/view`` as a viewer, one request after another.

The grouped overview of the whole graph (issue 16, first point):

- ``kept``: nothing was written since the last overview (the finished answer is kept);
- ``after a property edit``: an editor's ``PUT /api/v1/nodes/Organisation/{id}`` (a new name)
  came first; the groups are kept, the nodes that name them are read again;
- ``after an editor's new relationship``: ``POST /api/v1/relationships/COOPERATES_WITH``
  between two organisations came first; the kept outline is patched at the two nodes;
- ``after an editor's removed relationship``: ``DELETE /api/v1/relationships/COOPERATES_WITH``
  of the relationship made in the row before;
- ``after a workflow step``: ``PUT /api/v1/organisations/{id}/subscriptions`` (the step says
  it changes the structure at the organisation);
- ``after a write that may change the structure``: a write through another store connection
  that the store cannot tell is property-only (``SET o.note``: an ingest run, a script) came
  first; the overview is derived again from the graph's outline (the full rebuild). Before
  issue 16 every write, a property edit too, cost this: it is the baseline of the rows above.

In process (``--in-process`` part, no HTTP, one viewer's groups): the full rebuild (the
outline read whole, then ``group_outline``), ``group_outline`` alone (what the patched path
did per change before: the groups computed again from the patched arrays) and the groups
changed at the two nodes of a new relationship (``regroup.GroupIndex.patch`` after
``fetch.read_touched``, the answer and the parts the store is sent again), checked equal to a
fresh grouping at the end; and the append-only file's rewrite that an erasure now waits for.

``--overview-only`` leaves out the filtered views (the previous way takes minutes at M).

Filtered views without a focus (second point), each beside the previous way in the same server
(a bench-only route ``/bench/previous-filtered`` that reads the whole graph with every property,
kept until the next write as before, and filters it): ``now``, ``previous way, whole graph
kept`` (no write between requests) and ``previous way, after a write`` (a write before each
request, so the whole graph is read again, as after any edit; at most 2 runs). Every ``now``
row runs before the first previous-way request (the whole graph held in the server's memory
slows all its later requests). Each pair's answers are checked equal.

Results go to bench/results/explorer_overview-<time>.json with the load average at start and
end. Absolute numbers are for this machine; the ratios are the claim.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.scratch import scratch_folder
from bench.served import free_port, generated_graph, start

RESULTS = Path(__file__).resolve().parent / "results"
DB_DIR = Path(tempfile.gettempdir()) / "scaleup-overview-bench-db"
ORGS = {"S": 4_000, "M": 40_000}
VIEW = "/api/v1/explorer/view"


def _graph(size: str) -> str:
    return f"overview_bench_{size.lower()}"


def _serve(port: int, size: str, state_dir: Path) -> None:
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    from scaleup_graph.api import create_app
    from scaleup_graph.settings import Settings
    from scaleup_graph.visualisation import views

    settings = Settings(
        database_url=f"embedded://{DB_DIR}", graph=_graph(size), state_dir=state_dir
    )
    app = create_app(settings)

    def previous(request: Request) -> Response:
        """The filtered view as it was read before: the whole graph (kept until the next
        write), then filtered and drawn."""
        store = request.app.state.store
        q = request.query_params
        filters = views.ViewFilter(
            labels=tuple(x for x in q.get("labels", "").split(",") if x),
            topic=q.get("topic"),
            region=q.get("region"),
            project=q.get("project"),
        )
        whole = views.whole_graph(store, role="viewer")
        graph = views._apply_filters(store, whole, None, filters, "viewer", None)
        return JSONResponse(views.render_view(graph, role="viewer", lang="de"))

    async def previous_route(request: Request) -> Response:
        import anyio.to_thread

        return await anyio.to_thread.run_sync(previous, request)

    app.router.routes.insert(0, Route("/bench/previous-filtered", previous_route))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered) * 1000, 1),
        "min": round(ordered[0] * 1000, 1),
        "max": round(ordered[-1] * 1000, 1),
        "runs": len(ordered),
    }


def _timed(client: httpx.Client, path: str, params: dict[str, str]) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = client.get(path, params={"lang": "de", **params})
    took = time.perf_counter() - started
    assert answer.status_code == 200, answer.text[:300]
    return took, answer.json()


def _series(
    repeat: int, before: Callable[[int], None], measure: Callable[[], tuple[float, Any]]
) -> list[float]:
    times = []
    for i in range(repeat):
        before(i)
        times.append(measure()[0])
    return times


def _picks(size: str) -> dict[str, Any]:
    """What the bench edits and filters by: organisations to rename, the region with the most
    located nodes, a topic of middling reach, and two small labels."""
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{DB_DIR}", graph=_graph(size))
    try:
        orgs = [r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id LIMIT 50")]
        region = store.read(
            "MATCH (r:Region)<-[:LOCATED_IN]-(n) RETURN r.id AS id, count(n) AS n "
            "ORDER BY n DESC LIMIT 1"
        )[0]
        topics = store.read("MATCH (t:Topic)<--(n) RETURN t.id AS id, count(n) AS n ORDER BY n, id")
        topic = topics[len(topics) // 2]
        pairs = []  # organisations not yet cooperating: each new relationship is new
        for a in orgs[:10]:
            free = store.read(
                "MATCH (a:Organisation {id: $a}), (b:Organisation) WHERE b.id IN $orgs "
                "AND b.id <> $a AND NOT (a)-[:COOPERATES_WITH]-(b) RETURN b.id AS id "
                "ORDER BY id DESC LIMIT 1",
                {"a": a, "orgs": orgs},
            )
            pairs.append((a, free[0]["id"]))
    finally:
        store.close()
    return {
        "orgs": orgs,
        "region": region,
        "topic": topic,
        "topics": [t["id"] for t in topics[:3]],
        "pairs": pairs,
    }


def _in_process(size: str, repeat: int, rows: dict[str, dict[str, float]]) -> dict[str, Any]:
    """The grouping steps in this process for a viewer: the full rebuild, ``group_outline``
    alone, and the groups changed at a new relationship's two nodes (with the answer and the
    parts kept for other workers); the patched groups are checked equal to a fresh grouping."""
    from scaleup_graph.store import open_store
    from scaleup_graph.store.falkordb import FalkorDBStore
    from scaleup_graph.visualisation import fetch
    from scaleup_graph.visualisation.aggregate import group_outline
    from scaleup_graph.visualisation.regroup import GroupIndex
    from scaleup_graph.visualisation.views import _Overview, _parts

    store = open_store(f"embedded://{DB_DIR}", graph=_graph(size))
    try:
        assert isinstance(store, FalkorDBStore)  # the embedded database (DB_DIR)
        orgs = [r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id LIMIT 60")]
        full: list[float] = []
        regroup: list[float] = []
        for _ in range(min(repeat, 3)):
            started = time.perf_counter()
            outline = fetch.fetch_outline_arrays(store, role="viewer")
            middle = time.perf_counter()
            group_outline(outline)
            done = time.perf_counter()
            full.append(done - started)
            regroup.append(done - middle)
        started = time.perf_counter()
        index = GroupIndex(outline)
        build = time.perf_counter() - started
        tracemalloc.start()  # what the index holds beside the outline, once more, measured
        GroupIndex(outline)
        held = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        tracemalloc.start()
        group_outline(outline)
        grouping_held = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        patched: list[float] = []
        parts: list[int] = []
        for i in range(repeat * 2):
            a, b = orgs[i % 30], orgs[30 + i % 30]
            if i % 2 == 0:
                store.write(
                    "MATCH (a:Organisation {id: $a}), (b:Organisation {id: $b}) "
                    "CREATE (a)-[:COOPERATES_WITH {bench: true}]->(b)",
                    {"a": a, "b": b},
                )
            else:  # the one made before, removed again
                store.write(
                    "MATCH (:Organisation {id: $a})-[e:COOPERATES_WITH {bench: true}]->() DELETE e",
                    {"a": orgs[(i - 1) % 30]},
                )
                a, b = orgs[(i - 1) % 30], orgs[30 + (i - 1) % 30]
            started = time.perf_counter()
            change = fetch.read_touched(store, [a, b], role="viewer")
            changed = index.patch(change)
            overview = _Overview(index.grouping(), [], index.total)
            sent = _parts(overview, index, changed)
            patched.append(time.perf_counter() - started)
            parts.append(sum(len(v) for v in sent.values()))
        fresh = group_outline(fetch.fetch_outline_arrays(store, role="viewer"))
        mine = index.grouping()
        same = (
            list(mine.members.items()) == list(fresh.members.items())
            and mine.links == fresh.links
            and dict(mine.degree) == dict(fresh.degree)
        )
        assert same, "the patched groups differ from a fresh grouping"
        rewrites = []
        for _ in range(2):  # what an erasure adds: the append-only file rewritten, waited for
            started = time.perf_counter()
            store._rewrite_append_only_file(timeout_s=600.0)
            rewrites.append(time.perf_counter() - started)
    finally:
        store.close()
    rows["in process: append-only file rewrite (an erasure waits for it)"] = _ms(rewrites)
    rows["in process: full rebuild (outline read whole + group_outline)"] = _ms(full)
    rows["in process: group_outline alone (the patched path before)"] = _ms(regroup)
    rows["in process: groups changed at a new/removed relationship"] = _ms(patched)
    return {
        "index built once (ms)": round(build * 1000, 1),
        "index memory, peak while built (MB)": round(held / 1e6, 1),
        "group_outline memory, peak (MB)": round(grouping_held / 1e6, 1),
        "bytes sent to the store per change (median)": int(statistics.median(parts)),
        "patched groups equal a fresh grouping": same,
    }


def _measure(
    size: str,
    repeat: int,
    state: Path,
    picks: dict[str, Any],
    rows: dict[str, dict[str, float]],
    checks: dict[str, Any],
    overview_only: bool = False,
) -> dict[str, dict[str, str]]:
    """Serve the app, time every row into ``rows``; returns the filters asked."""
    from scaleup_graph.api.keys import KeyStore
    from scaleup_graph.store import open_store

    keys = KeyStore(state / "api-keys.json")
    viewer = {"X-API-Key": keys.create("viewer", note="bench")[1]}
    editor = {"X-API-Key": keys.create("editor", note="bench")[1]}
    port = free_port()
    server = start(__file__, ["--serve", str(port), size, str(state)], port)
    base = f"http://127.0.0.1:{port}"
    try:
        with (
            open_store(f"embedded://{DB_DIR}", graph=_graph(size)) as other,  # another process's
            httpx.Client(base_url=base, headers=viewer, timeout=300) as client,
            httpx.Client(base_url=base, headers=editor, timeout=60) as edits,
        ):

            def overview() -> tuple[float, Any]:
                return _timed(client, VIEW, {})

            def rename(i: int) -> None:
                org = picks["orgs"][i % len(picks["orgs"])]
                record = edits.get(f"/api/v1/nodes/{org}/record").json()
                done = edits.put(
                    f"/api/v1/nodes/Organisation/{org}",
                    json={"version": record["version"], "properties": {"name": f"Bench {i}"}},
                )
                assert done.status_code == 200, done.text[:300]

            def plain_write(i: int) -> None:
                other.write(
                    "MATCH (o:Organisation {id: $id}) SET o.note = $note",
                    {"id": picks["orgs"][i % len(picks["orgs"])], "note": f"bench {i}"},
                )

            def link(i: int) -> None:  # then removed by unlink(i): the graph stays as it was
                start, end = picks["pairs"][i % len(picks["pairs"])]
                done = edits.post(
                    "/api/v1/relationships/COOPERATES_WITH", json={"start": start, "end": end}
                )
                assert done.status_code in (200, 201), done.text[:300]

            def unlink(i: int) -> None:
                start, end = picks["pairs"][i % len(picks["pairs"])]
                done = edits.delete(
                    "/api/v1/relationships/COOPERATES_WITH", params={"start": start, "end": end}
                )
                assert done.status_code == 200, done.text[:300]

            def subscribe(i: int) -> None:
                org = picks["orgs"][(i + 7) % len(picks["orgs"])]
                topics = picks["topics"][i % 2 :][:2]
                done = edits.put(
                    f"/api/v1/organisations/{org}/subscriptions", json={"topics": topics}
                )
                assert done.status_code == 200, done.text[:300]

            first = overview()
            checks["overview"] = {"total": first[1]["total"], "groups": len(first[1]["nodes"])}
            rows["overview, kept"] = _ms(_series(repeat, lambda i: None, overview))
            rows["overview after a property edit"] = _ms(_series(repeat, rename, overview))
            rows["overview after an editor's new relationship (patched)"] = _ms(
                _series(repeat, link, overview)
            )
            rows["overview after an editor's removed relationship (patched)"] = _ms(
                _series(repeat, unlink, overview)
            )
            rows["overview after a workflow step (patched)"] = _ms(
                _series(repeat, subscribe, overview)
            )
            rows["overview after a write that may change the structure (before: any write)"] = _ms(
                _series(repeat, plain_write, overview)
            )
            if overview_only:
                return {}
            filters = {
                "region (largest)": {"region": picks["region"]["id"]},
                "topic (middling)": {"topic": picks["topic"]["id"]},
                "labels Region,Topic": {"labels": "Region,Topic"},
                "labels Challenge": {"labels": "Challenge"},
            }

            def now(params: dict[str, str]) -> Callable[[], tuple[float, Any]]:
                return lambda: _timed(client, VIEW, params)

            def old(params: dict[str, str]) -> Callable[[], tuple[float, Any]]:
                return lambda: _timed(client, "/bench/previous-filtered", params)

            # every "now" first: the previous way keeps the whole graph in the server's memory,
            # which slows every later request of that process (its garbage collector walks it)
            for name, params in filters.items():
                answer = now(params)()[1]
                checks[name] = {"total": answer["total"], "nodes": answer["nodes"]}
                rows[f"filtered {name}: now"] = _ms(_series(repeat, lambda i: None, now(params)))
            slow = min(repeat, 2)  # a whole-graph read at M takes tens of seconds
            for name, params in filters.items():
                rows[f"filtered {name}: previous way, after a write"] = _ms(
                    _series(slow, plain_write, old(params))
                )
                answer = old(params)()[1]
                assert answer["nodes"] == checks[name].pop("nodes"), name
                checks[name]["same answer"] = True
                rows[f"filtered {name}: previous way, whole graph kept"] = _ms(
                    _series(repeat, lambda i: None, old(params))
                )
    finally:
        server.terminate()
        server.wait(30)
    return filters


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(ORGS), default="M")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--overview-only", action="store_true", help="no filtered views")
    args = parser.parse_args()
    DB_DIR.mkdir(parents=True, exist_ok=True)
    load_start = os.getloadavg()
    graph = generated_graph(DB_DIR, _graph(args.size), ORGS[args.size])
    picks = _picks(args.size)

    rows: dict[str, dict[str, float]] = {}
    checks: dict[str, Any] = {}
    with scratch_folder("overview-bench-state-") as state:
        filters = _measure(args.size, args.repeat, state, picks, rows, checks, args.overview_only)
    checks["in process"] = _in_process(args.size, args.repeat, rows)

    def ratio(a: str, b: str) -> float:
        return round(rows[a]["median"] / rows[b]["median"], 3)

    before = "overview after a write that may change the structure (before: any write)"
    ratios = {
        "overview after a property edit / after a structure write (before)": ratio(
            "overview after a property edit", before
        ),
        "overview after a new relationship (patched) / after a structure write (before)": ratio(
            "overview after an editor's new relationship (patched)", before
        ),
        "overview after a removed relationship (patched) / after a structure write": ratio(
            "overview after an editor's removed relationship (patched)", before
        ),
        "overview after a workflow step (patched) / after a structure write": ratio(
            "overview after a workflow step (patched)", before
        ),
        "in process: groups changed at a relationship / full rebuild": ratio(
            "in process: groups changed at a new/removed relationship",
            "in process: full rebuild (outline read whole + group_outline)",
        ),
        "in process: groups changed at a relationship / group_outline alone": ratio(
            "in process: groups changed at a new/removed relationship",
            "in process: group_outline alone (the patched path before)",
        ),
    }
    for name in filters:
        ratios[f"filtered {name}: now / previous way after a write"] = ratio(
            f"filtered {name}: now", f"filtered {name}: previous way, after a write"
        )
        ratios[f"filtered {name}: now / previous way, whole graph kept"] = ratio(
            f"filtered {name}: now", f"filtered {name}: previous way, whole graph kept"
        )
    result: dict[str, Any] = {
        "size": args.size,
        "graph": graph,
        "repeat": args.repeat,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average_start": load_start,
        "load_average_end": os.getloadavg(),
        "answers": checks,
        "ms": rows,
        "ratios": ratios,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"explorer_overview-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"{args.size}: {graph['nodes']:,} nodes, {graph['relationships']:,} relationships")
    print(f"load average {load_start} -> {result['load_average_end']}")
    for name, figures in rows.items():
        print(f"  {name:78} median {figures['median']:9.1f} ms  min {figures['min']:9.1f}")
    for name, value in ratios.items():
        print(f"  {name:78} {value} x")
    for name, value in checks.items():
        print(f"  answer {name}: {value}")
    print(f"-> {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        _serve(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]))
    else:
        main()
