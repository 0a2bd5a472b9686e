"""``scaleup serve --workers 2``: two processes answer over HTTP from the one embedded database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def test_two_workers_share_the_embedded_database(
    seeded_store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    settings = Settings(state_dir=Path(store_env["SCALEUP_STATE_DIR"]))
    _, key = KeyStore(keys_path(settings)).create("viewer", note="test")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scaleup_graph", "serve", "--port", str(port), "--workers", "2"],
        # serve refuses the public default secret outside the demo (issue 15)
        env={**store_env, "SCALEUP_SUPPRESSION_SALT": "test-installation-secret"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=30, headers={"X-API-Key": key}) as http:
            for _ in range(600):  # the workers start the app (and attach to the store)
                try:
                    if http.get("/health").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    pytest.fail(proc.stdout.read().decode() if proc.stdout else "serve exited")
                time.sleep(0.1)
            workers = _children(proc.pid)
            assert len([w for w in workers if "spawn_main" in _cmdline(w)]) == 2
            names = set()
            for _ in range(20):
                answer = http.get("/api/v1/organisations", params={"q": "ihk kassel"})
                assert answer.status_code == 200
                names |= {item["name"] for item in answer.json()["items"]}
            assert "IHK Kassel-Marburg" in names
            assert (
                http.get("/api/v1/organisations", headers={"X-API-Key": "wrong"}).status_code == 401
            )
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
    # the session's database is still there for everyone else
    assert seeded_store.read("MATCH (o:Organisation) RETURN count(o) AS n")[0]["n"] > 0


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""
