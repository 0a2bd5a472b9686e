"""``scaleup demo`` and ``scaleup serve`` start the embedded database server once (issue 15):
every start loads the whole folder again, and the demo used to start it three times before it
served (the seed's load, the start check, the app). Counted from the server's own log, so the
starts of the worker processes count too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from scaleup_graph.store.embedded import EmbeddedServer
from tests.support.live_server import free_loopback_port


def _server_starts(folder: Path) -> int:
    """The server processes that wrote to the folder's log (``<pid>:M ...``: each start writes
    at least one warning at our log level, and each start is a new process)."""
    log = folder / "server.log"
    if not log.exists():
        return 0
    lines = log.read_text(errors="replace").splitlines()
    return len({line.split(":", 1)[0] for line in lines if ":M " in line[:16]})


def _serve_until_answered(command: list[str], folder: Path, tmp_path: Path) -> str:
    """Run ``command`` until /health and the explorer answer 200, stop it as Ctrl-C does; its
    stdout. Fails if it exits before it serves."""
    port = free_loopback_port()
    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{folder}",
        "SCALEUP_STATE_DIR": str(tmp_path / "state"),
        "SCALEUP_API_HOST": "127.0.0.1",
        "SCALEUP_API_PORT": str(port),
        "SCALEUP_SUPPRESSION_SALT": "test-installation-secret",  # serve refuses the default
    }
    out = tmp_path / "out.txt"
    with out.open("w") as stdout:
        proc = subprocess.Popen(
            [*command, "--port", str(port)] if command[-1] == "serve" else command,
            env=env,
            stdout=stdout,
            stderr=subprocess.STDOUT,
        )
        try:
            for path in ("/health", "/"):
                while True:
                    if proc.poll() is not None:
                        pytest.fail(f"it exited {proc.returncode}: {out.read_text()}")
                    try:
                        if httpx.get(f"http://127.0.0.1:{port}{path}", timeout=30).is_success:
                            break
                    except httpx.TransportError:
                        pass
                    time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(60)
    return out.read_text()


def test_demo_and_serve_start_the_database_server_once(tmp_path: Path) -> None:
    folder = tmp_path / "db"
    demo = [sys.executable, "-m", "scaleup_graph", "demo"]

    said = _serve_until_answered(demo, folder, tmp_path)
    assert "Loaded the Nordhessen seed network" in said, said
    assert _server_starts(folder) == 1, (folder / "server.log").read_text()
    assert EmbeddedServer(folder).pid() is None  # stopped when the demo ended

    said = _serve_until_answered(demo, folder, tmp_path)
    assert "not loading the seed again" in said, said
    assert _server_starts(folder) == 2

    _serve_until_answered([sys.executable, "-m", "scaleup_graph", "serve"], folder, tmp_path)
    assert _server_starts(folder) == 3
    assert EmbeddedServer(folder).pid() is None
