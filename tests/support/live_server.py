"""The real app on a real port: uvicorn in a thread on a free loopback port."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

import uvicorn
from fastapi import FastAPI

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
