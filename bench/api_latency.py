"""API latency under load: our routes beside a bare Starlette route serving the same bytes.

    .venv/bin/python bench/api_latency.py [--orgs 50000] [--clients 50] [--seconds 20]

Builds a generated graph (the lead's generator, ``scaleup_graph.ingest.generate``) of ``--orgs``
organisations in a private embedded database (kept in $TMPDIR/scaleup-api-latency-db for re-runs
with the same size), starts the real API with uvicorn in a child process, and for each case (search,
organisation detail, 2-hop neighbourhood) runs ``--clients`` concurrent clients for
``--seconds``; then the same clients against ``/bare/<case>``, a plain Starlette route in the same
server returning that case's response body, pre-serialised. The figure is the ratio ours/bare for
p50, p99 and requests/s, measured in the same run. Clients and server share the machine's cores:
absolute numbers are for this machine only. Results go to bench/results/api_latency-<time>.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):  # run as a script: bench/ is not a package on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.served import free_port, generated_graph, start

RESULTS = Path(__file__).resolve().parent / "results"
# outside the repository: a 50,000-organisation database is not something to commit
DB_DIR = Path(tempfile.gettempdir()) / "scaleup-api-latency-db"
BODIES = DB_DIR / "bare-bodies.json"


# --- server side (child process) ----------------------------------------------------------------


def _serve(port: int, graph: str, state_dir: Path) -> None:
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from scaleup_graph.api import create_app
    from scaleup_graph.settings import Settings

    settings = Settings(database_url=f"embedded://{DB_DIR}", graph=graph, state_dir=state_dir)
    app = create_app(settings)
    cache: dict[str, bytes] = {}

    async def bare(request: Request) -> Response:
        if not cache:
            cache.update({k: v.encode() for k, v in json.loads(BODIES.read_text()).items()})
        return Response(cache[request.path_params["case"]], media_type="application/json")

    app.router.routes.insert(0, Route("/bare/{case}", bare))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=300,
    )


# --- data ---------------------------------------------------------------------------------------


def _build_graph(orgs: int, graph: str) -> dict[str, int]:
    return generated_graph(DB_DIR, graph, orgs)


def _pick_targets(graph: str) -> dict[str, str]:
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{DB_DIR}", graph=graph)
    try:
        # an organisation of median degree, so the 2-hop case is typical, not a hub
        rows = store.read(
            "MATCH (o:Organisation)-[r]-() WITH o, count(r) AS d "
            "RETURN o.id AS id, o.name AS name, d ORDER BY d, id"
        )
        middle = rows[len(rows) // 2]
        word = middle["name"].split()[0]
        return {"org": middle["id"], "q": word, "degree": middle["d"]}
    finally:
        store.close()


# --- load ---------------------------------------------------------------------------------------


async def _load(
    base: str, path: str, headers: dict[str, str], clients: int, seconds: float
) -> dict[str, Any]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=120
    ) as client:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.HTTPError:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p99_ms": round(1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 2),
        "req_per_s": round(len(latencies) / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=50_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--graph", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    graph = args.graph or f"bench_api_{args.orgs}"
    state_dir = DB_DIR / "state"
    if args.serve:
        _serve(args.serve, graph, state_dir)
        return

    DB_DIR.mkdir(parents=True, exist_ok=True)
    sizes = _build_graph(args.orgs, graph)
    targets = _pick_targets(graph)
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import Settings

    _, key = KeyStore(keys_path(Settings(state_dir=state_dir))).create("viewer", note="bench")
    headers = {"X-API-Key": key}
    cases = {
        "search": f"/api/v1/organisations?q={targets['q']}&limit=20",
        "organisation": f"/api/v1/organisations/{targets['org']}",
        "neighbourhood_2hop": f"/api/v1/nodes/{targets['org']}/neighbourhood?hops=2",
    }
    port = free_port()
    server = start(
        __file__, ["--serve", str(port), "--graph", graph, "--orgs", str(args.orgs)], port
    )
    base = f"http://127.0.0.1:{port}"
    try:
        bodies = {
            name: httpx.get(base + path, headers=headers, timeout=120).text
            for name, path in cases.items()
        }
        BODIES.write_text(json.dumps(bodies))
        results = []
        for name, path in cases.items():
            ours = asyncio.run(_load(base, path, headers, args.clients, args.seconds))
            bare = asyncio.run(_load(base, f"/bare/{name}", headers, args.clients, args.seconds))
            row = {
                "case": name,
                "path": path,
                "response_bytes": len(bodies[name]),
                "ours": ours,
                "bare": bare,
                "p50_ratio": round(ours["p50_ms"] / bare["p50_ms"], 1),
                "p99_ratio": round(ours["p99_ms"] / bare["p99_ms"], 1),
                "throughput_ratio": round(bare["req_per_s"] / ours["req_per_s"], 1),
            }
            results.append(row)
            print(
                f"{name:20} ours p50 {ours['p50_ms']:9.1f} ms p99 {ours['p99_ms']:9.1f} ms "
                f"{ours['req_per_s']:8.1f} req/s | bare p50 {bare['p50_ms']:7.1f} ms "
                f"p99 {bare['p99_ms']:7.1f} ms {bare['req_per_s']:8.1f} req/s | "
                f"ratio p50 x{row['p50_ratio']} p99 x{row['p99_ratio']} "
                f"req/s /{row['throughput_ratio']}",
                flush=True,
            )
    finally:
        server.terminate()
        server.wait(30)
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"api_latency-{time.strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "machine": {
                    "platform": platform.platform(),
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                },
                "graph": sizes,
                "targets": targets,
                "clients": args.clients,
                "seconds": args.seconds,
                "results": results,
            },
            indent=2,
        )
    )
    print(f"graph {sizes}; results in {out}")


if __name__ == "__main__":
    main()
