"""The real app on a real port: uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI

from scaleup_graph.store import GraphStore

#: ``SCALEUP_TEST_PORTS=21600-21699`` keeps the test servers in that range (a machine shared by
#: several people gives each a range); without it the system picks any free port.
PORTS_ENV = "SCALEUP_TEST_PORTS"


def _bound(port: int) -> int | None:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return None
        return int(sock.getsockname()[1])


def free_loopback_port() -> int:
    """A port on 127.0.0.1 that nobody listens on, in ``SCALEUP_TEST_PORTS`` when it is set."""
    span = os.environ.get(PORTS_ENV, "").strip()
    if not span:
        return _bound(0) or 0
    low, _, high = span.partition("-")
    for port in range(int(low), int(high or low) + 1):
        if _bound(port):
            return port
    raise RuntimeError(f"no free port in {PORTS_ENV}={span}")


@contextlib.contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn on a free loopback port in a thread; yield its base URL.

    Over real HTTP, concurrent clients are served as in production (the in-process TestClient
    runs one request at a time). The caller keeps any store it gave the app.
    """
    port = free_loopback_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start within 30 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@dataclass(frozen=True)
class Live:
    """The app served over HTTP: its address, an API key per role, the graph it serves."""

    url: str
    keys: dict[str, str]
    store: GraphStore


@contextlib.contextmanager
def serve_configured(
    store: GraphStore, db_dir: Path, graph: str, state_dir: Path, roles: Iterable[str], note: str
) -> Iterator[Live]:
    """Serve the app on ``store`` (graph ``graph`` of the embedded server in ``db_dir``) with
    the environment an operator sets (database, graph, state folder) and a key per role, made by
    the key store ``scaleup keys create`` uses. After, the environment is restored and the
    graph deleted (the store is the test's own copy)."""
    from scaleup_graph.api.app import create_app
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import get_settings

    env = {
        "SCALEUP_DATABASE_URL": f"embedded://{db_dir}",
        "SCALEUP_GRAPH": graph,
        "SCALEUP_STATE_DIR": str(state_dir),
    }
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        get_settings.cache_clear()
        try:
            made = KeyStore(keys_path(get_settings()))
            keys = {role: made.create(role, note=note)[1] for role in roles}
            with serve(create_app(store=store)) as url:
                yield Live(url, keys, store)
        finally:
            get_settings.cache_clear()
            store.clear()
            store.close()
