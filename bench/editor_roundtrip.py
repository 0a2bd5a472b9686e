"""A form save round trip in the editor, in ms, beside baselines measured in the same run.

    .venv/bin/python bench/editor_roundtrip.py [--size M] [--saves 200]

Builds a generated graph (``scaleup_graph.ingest.generate``, seed 7; S = 4,000 organisations,
M = 40,000, as bench/suite.py) in a private embedded database (kept in
$TMPDIR/scaleup-editor-bench-db for re-runs), starts the real API with uvicorn in a child
process, and measures what the page does when an editor saves a form, one request after another:

- ``save``: ``PUT /api/v1/nodes/Organisation/{id}`` with the version read before (validation,
  version check, the write with its history entry in one statement, audit line);
- ``form round trip``: what the page does around one save: ``GET .../record`` (open the form),
  ``PUT`` (save), ``GET .../history`` (redraw the history panel);

beside two baselines:

- ``bare HTTP``: a plain Starlette route in the same server answering the same bytes as the save
  (what HTTP and the client cost);
- ``engine write``: the same property change as one raw Cypher ``SET`` through the store, in
  process (what the database costs).

Results go to bench/results/editor_roundtrip-<time>.json. Absolute numbers are for this machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.scratch import scratch_folder
from bench.served import free_port, generated_graph, start

RESULTS = Path(__file__).resolve().parent / "results"
DB_DIR = Path(tempfile.gettempdir()) / "scaleup-editor-bench-db"
ORGS = {"S": 4_000, "M": 40_000}


def _graph(size: str) -> str:
    return f"editor_bench_{size.lower()}"


def _build(size: str) -> dict[str, int]:
    return generated_graph(DB_DIR, _graph(size), ORGS[size])


def _serve(port: int, size: str, state_dir: Path, bare_body: Path) -> None:
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from scaleup_graph.api import create_app
    from scaleup_graph.settings import Settings

    settings = Settings(
        database_url=f"embedded://{DB_DIR}", graph=_graph(size), state_dir=state_dir
    )
    app = create_app(settings)

    async def bare(request: Request) -> Response:
        await request.body()
        return Response(bare_body.read_bytes(), media_type="application/json")

    app.router.routes.insert(0, Route("/bare", bare, methods=["PUT"]))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered) * 1000, 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 2),
        "min": round(ordered[0] * 1000, 2),
        "runs": len(ordered),
    }


def _targets(size: str, count: int) -> list[str]:
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{DB_DIR}", graph=_graph(size))
    try:
        rows = store.read("MATCH (o:Organisation) RETURN o.id AS id LIMIT 5000")
    finally:
        store.close()
    rng = random.Random(7)
    return [rng.choice(rows)["id"] for _ in range(count)]


def _engine(size: str, ids: list[str]) -> list[float]:
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{DB_DIR}", graph=_graph(size))
    times = []
    try:
        for i, node in enumerate(ids):
            started = time.perf_counter()
            store.write(
                "MATCH (n:Organisation {id: $id}) SET n.city = $city", {"id": node, "city": f"E{i}"}
            )
            times.append(time.perf_counter() - started)
    finally:
        store.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(ORGS), default="M")
    parser.add_argument("--saves", type=int, default=200)
    args = parser.parse_args()
    DB_DIR.mkdir(parents=True, exist_ok=True)
    graph = _build(args.size)
    ids = _targets(args.size, args.saves)
    with scratch_folder("editor-bench-state-") as state:
        from scaleup_graph.api.keys import KeyStore

        _, key = KeyStore(state / "api-keys.json").create("editor", note="bench")
        bare_body = state / "bare.json"
        port = free_port()
        server = start(
            __file__, ["--serve", str(port), args.size, str(state), str(bare_body)], port
        )
        base = f"http://127.0.0.1:{port}"
        headers = {"X-API-Key": key}
        try:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                record = client.get(f"/api/v1/nodes/{ids[0]}/record").json()
                save = client.put(
                    f"/api/v1/nodes/Organisation/{ids[0]}",
                    json={"version": record["version"], "properties": {"city": "warm-up"}},
                )
                bare_body.write_bytes(save.content)
                saves, trips, bares = [], [], []
                for i, node in enumerate(ids):
                    started = time.perf_counter()
                    record = client.get(f"/api/v1/nodes/{node}/record").json()
                    put_started = time.perf_counter()
                    answer = client.put(
                        f"/api/v1/nodes/Organisation/{node}",
                        json={"version": record["version"], "properties": {"city": f"Ort {i}"}},
                    )
                    saves.append(time.perf_counter() - put_started)
                    assert answer.status_code == 200, answer.text
                    client.get(f"/api/v1/nodes/{node}/history", params={"limit": 20})
                    trips.append(time.perf_counter() - started)
                    started = time.perf_counter()
                    client.put("/bare", json={"version": 1, "properties": {"city": f"Ort {i}"}})
                    bares.append(time.perf_counter() - started)
        finally:
            server.terminate()
            server.wait(30)
    engine = _engine(args.size, ids)
    result: dict[str, Any] = {
        "size": args.size,
        "graph": graph,
        "saves": args.saves,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "load_average": os.getloadavg(),
        "ms": {
            "save (PUT)": _ms(saves),
            "form round trip (GET record + PUT + GET history)": _ms(trips),
            "bare HTTP (same bytes)": _ms(bares),
            "engine write (raw SET, in process)": _ms(engine),
        },
    }
    ms = result["ms"]
    result["ratios"] = {
        "save / bare HTTP": round(
            ms["save (PUT)"]["median"] / ms["bare HTTP (same bytes)"]["median"], 1
        ),
        "save / engine write": round(
            ms["save (PUT)"]["median"] / ms["engine write (raw SET, in process)"]["median"], 1
        ),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"editor_roundtrip-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2))
    print(f"{args.size}: {graph['nodes']:,} nodes, {graph['relationships']:,} relationships")
    for name, figures in ms.items():
        print(f"  {name:52} median {figures['median']:8.2f} ms  p95 {figures['p95']:8.2f} ms")
    for name, ratio in result["ratios"].items():
        print(f"  {name:52} {ratio} x")
    print(f"-> {out}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        _serve(int(sys.argv[2]), sys.argv[3], Path(sys.argv[4]), Path(sys.argv[5]))
    else:
        main()
