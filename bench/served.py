"""What the HTTP benches share: a generated graph kept between runs, and the API in a child.

``generated_graph`` builds ``scaleup_graph.ingest.generate``'s population (seed 7) of ``orgs``
organisations once and keeps it in ``db_dir`` for re-runs; ``start`` runs a bench script's own
``--serve`` mode in a child process on a free loopback port and waits until /health answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def generated_graph(db_dir: Path, graph: str, orgs: int) -> dict[str, int]:
    """The graph ``graph`` in ``embedded://db_dir`` with ``orgs`` organisations; its counts.

    Built again when it is smaller, or was written before the store kept folded names.
    """
    from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
    from scaleup_graph.ingest.generate import generate_population
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{db_dir}", graph=graph)
    try:
        counts = store.counts()
        stale = store.read(  # written before the store kept folded names for search
            "MATCH (o:Organisation) WHERE o.name_fold IS NULL RETURN count(o) AS n"
        )
        if counts["nodes"]["Organisation"] < orgs or (stale and stale[0]["n"]):
            store.clear()
            store.setup_schema()
            manifest = load_manifest(generate_population(orgs, 7, db_dir / f"gen-{orgs}"))
            started = time.perf_counter()
            options = IngestOptions(
                state_dir=db_dir / f"state-{orgs}", batch_size=5000, check_duplicates=False
            )
            run_ingest(store, manifest, options)
            print(f"ingested in {time.perf_counter() - started:.0f} s", flush=True)
            counts = store.counts()
        return {
            "nodes": sum(counts["nodes"].values()),
            "organisations": counts["nodes"]["Organisation"],
            "relationships": sum(counts["relationships"].values()),
        }
    finally:
        store.close()


def free_port() -> int:
    """A free port on 127.0.0.1, in ``SCALEUP_TEST_PORTS`` (``21600-21699``) when it is set."""
    low, _, high = os.environ.get("SCALEUP_TEST_PORTS", "0").partition("-")
    for port in range(int(low), int(high or low) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise RuntimeError("no free port in SCALEUP_TEST_PORTS")


def start(script: str, args: list[str], port: int) -> subprocess.Popen[bytes]:
    """``python script *args`` (its serve mode) in a child; returns once /health answers."""
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": root, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, script, *args], env=env)
    for _ in range(600):  # bounded: about a minute for the store to open
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code < 500:
                return server
        except httpx.HTTPError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.terminate()
    server.wait(30)
    raise RuntimeError(f"the API of {script} did not answer on port {port}")
