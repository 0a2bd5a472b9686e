"""``scaleup serve`` and ``scaleup stats`` on a database folder the server cannot load (issue
19), as a user runs them: each exits 7 naming the folder and what to do; serve does not start
serving 503s; a second command does not warn of an unclean shutdown that never happened."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from scaleup_graph.store.embedded import EmbeddedServer
from tests.support.cli import scaleup
from tests.support.damaged_folder import damage
from tests.support.live_server import free_loopback_port


def _env(folder: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{folder}",
        "SCALEUP_GRAPH": "g",
        "SCALEUP_STATE_DIR": str(tmp_path / "state"),
        "SCALEUP_SUPPRESSION_SALT": "test-installation-secret",  # serve refuses the default
    }


def _refused(stderr: str, folder: Path) -> None:
    assert f"the database folder {folder} cannot be loaded" in stderr, stderr
    assert "restore it from a backup" in stderr and str(folder / "server.log") in stderr
    assert "Traceback" not in stderr
    assert "shut down cleanly" not in stderr, stderr  # nothing was served, nothing crashed


def test_serve_refuses_a_folder_it_cannot_load(tmp_path: Path) -> None:
    damaged = damage(tmp_path / "db")
    damaged_bytes = damaged.incr.read_bytes()
    port = free_loopback_port()
    with (tmp_path / "serve.err").open("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "scaleup_graph", "serve", "--port", str(port)],
            env=_env(damaged.folder, tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=err,
        )
        try:
            while proc.poll() is None:
                try:
                    answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=30)
                except httpx.TransportError:
                    time.sleep(0.1)
                    continue
                pytest.fail(f"serve started on a folder it cannot load: {answer.text}")
        finally:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(30)
        err.seek(0)
        stderr = err.read()
    assert proc.returncode == 7, stderr
    _refused(stderr, damaged.folder)
    assert damaged.incr.read_bytes() == damaged_bytes  # the files are left as they were


def test_each_command_on_an_unloadable_folder_says_why_and_no_unclean_shutdown(
    tmp_path: Path,
) -> None:
    damaged = damage(tmp_path / "db")
    env = _env(damaged.folder, tmp_path)
    for _ in range(2):  # the second command finds what the first one's failed start left
        done = scaleup(env, "stats")
        assert done.returncode == 7, done.stderr
        _refused(done.stderr, damaged.folder)
    assert not EmbeddedServer(damaged.folder).socket.exists()
    damaged.restore()
    assert scaleup(env, "stats").returncode == 0
