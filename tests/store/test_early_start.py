"""Starting the embedded server early (issue 14 point 4): a command that opens the store starts
the server in a thread before it imports its modules, and the server is stopped when the last
process leaves, without waiting on redis-py's retry backoff.

Each test uses its own database folder (not the session's server), so "cold" means no server
runs on it when the command starts.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psutil
import pytest

from scaleup_graph.store import open_store
from scaleup_graph.store.embedded import EmbeddedServer, start_early, starting, stop_unused
from tests.support.analytics_graph import build_small


def _env(folder: Path, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"embedded://{folder}",
        "SCALEUP_GRAPH": "early",
        "SCALEUP_STATE_DIR": str(tmp_path / "state"),
    }


def _scaleup(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scaleup_graph", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _servers_on(folder: Path) -> list[int]:
    """Every redis-server process serving ``folder``'s socket (a server left behind): its
    process title names the socket, ``redis-server unixsocket:/.../falkordb.sock``."""
    socket = str(EmbeddedServer(folder).socket)
    found = []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        line = " ".join(proc.info["cmdline"] or [])
        if "redis-server" in line and socket in line:
            found.append(proc.info["pid"])
    return found


@pytest.fixture
def cold_folder(tmp_path: Path) -> Path:
    """A folder holding a small graph, its server stopped."""
    folder = tmp_path / "db"
    store = open_store(f"embedded://{folder}", graph="early")
    build_small(store)
    store.close()
    assert EmbeddedServer(folder).pid() is None
    return folder


def test_the_last_process_stops_the_server_without_redis_retry_backoff(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SHUTDOWN always ends in a closed connection; redis-py's default client took that for a
    failure and retried it 3 times with a backoff (about 4.4 s of every command that stopped
    the server: most of a cold `scaleup metrics` on CORDIS, bench/README.md)."""
    import redis.retry

    backoff: list[float] = []
    monkeypatch.setattr(redis.retry, "sleep", backoff.append)
    folder = tmp_path / "db"
    store = open_store(f"embedded://{folder}", graph="early")
    assert store.read("RETURN 1 AS one") == [{"one": 1}]
    store.close()
    assert EmbeddedServer(folder).pid() is None
    assert _servers_on(folder) == []
    assert backoff == []


def test_a_store_opened_after_an_early_start_uses_that_server(cold_folder: Path) -> None:
    start_early(cold_folder)
    store = open_store(f"embedded://{cold_folder}", graph="early")
    try:
        assert not starting()  # the store waited for the early start
        assert store.counts()["nodes"]["Organisation"] > 0
        assert len(_servers_on(cold_folder)) == 1
    finally:
        store.close()
    assert EmbeddedServer(cold_folder).pid() is None
    assert _servers_on(cold_folder) == []


def test_an_early_started_server_nobody_used_is_stopped(cold_folder: Path) -> None:
    start_early(cold_folder)
    stop_unused()
    assert EmbeddedServer(cold_folder).pid() is None
    assert _servers_on(cold_folder) == []


def test_an_unused_early_start_leaves_a_server_another_process_uses_running(
    cold_folder: Path,
) -> None:
    holder = open_store(f"embedded://{cold_folder}", graph="early")
    try:
        pid = EmbeddedServer(cold_folder).pid()
        start_early(cold_folder)
        stop_unused()
        assert EmbeddedServer(cold_folder).pid() == pid
        assert holder.counts()["nodes"]["Organisation"] > 0
    finally:
        holder.close()


def test_a_cold_metrics_command_answers_and_leaves_no_server(
    cold_folder: Path, tmp_path: Path
) -> None:
    env = _env(cold_folder, tmp_path)
    out = _scaleup(env, "metrics", "degree", "pagerank", "community", "--json")
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert EmbeddedServer(cold_folder).pid() is None
    assert _servers_on(cold_folder) == []
    # the next command starts it again from the same files: nothing lost, no race
    again = _scaleup(env, "stats", "--json")
    assert again.returncode == 0, again.stderr
    assert '"Organisation"' in again.stdout
    assert _servers_on(cold_folder) == []


def test_a_command_beside_a_holder_leaves_the_holder_its_server(
    cold_folder: Path, tmp_path: Path
) -> None:
    """`scaleup serve` (here: this test's store) keeps the server; a command beside it attaches
    early and leaves it running."""
    holder = open_store(f"embedded://{cold_folder}", graph="early")
    try:
        pid = EmbeddedServer(cold_folder).pid()
        out = _scaleup(_env(cold_folder, tmp_path), "metrics", "degree", "--json")
        assert out.returncode == 0, out.stderr
        assert EmbeddedServer(cold_folder).pid() == pid
        assert holder.counts()["nodes"]["Organisation"] > 0
    finally:
        holder.close()
    assert _servers_on(cold_folder) == []


def test_two_cold_commands_at_once_share_one_server(cold_folder: Path, tmp_path: Path) -> None:
    env = _env(cold_folder, tmp_path)
    args = [sys.executable, "-m", "scaleup_graph", "metrics", "degree", "pagerank", "--json"]
    procs: list[Any] = [
        subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    assert EmbeddedServer(cold_folder).pid() is None
    assert _servers_on(cold_folder) == []


def test_a_usage_error_after_an_early_start_leaves_no_server(
    cold_folder: Path, tmp_path: Path
) -> None:
    out = _scaleup(_env(cold_folder, tmp_path), "metrics", "degree", "--top", "0")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert EmbeddedServer(cold_folder).pid() is None
    assert _servers_on(cold_folder) == []


def test_help_starts_no_server(cold_folder: Path, tmp_path: Path) -> None:
    log = cold_folder / "server.log"
    starts = log.read_text().count("ready to exit")
    out = _scaleup(_env(cold_folder, tmp_path), "metrics", "--help")
    assert out.returncode == 0 and "Compute graph metrics" in out.stdout
    assert log.read_text().count("ready to exit") == starts  # no server started and stopped
    assert _servers_on(cold_folder) == []
