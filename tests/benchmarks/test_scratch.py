"""A bench that fails half-way leaves no database server running and no folder behind
(bench/scratch.py): real embedded servers, real failures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psutil
import pytest
from bench import HERE, peers
from bench.scratch import scratch_folder, stop_servers_under

from scaleup_graph.store import open_store
from scaleup_graph.store.embedded import EmbeddedServer


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_a_failure_with_a_store_left_open_stops_its_server_and_removes_the_folder(
    tmp_path: Path,
) -> None:
    with pytest.raises(RuntimeError, match="half-way"), scratch_folder("t-", tmp_path) as work:
        store = open_store(f"embedded://{work / 'db'}", graph="bench")
        store.read("RETURN 1 AS x")
        pid = EmbeddedServer(work / "db").pid()
        assert pid is not None
        raise RuntimeError("the bench failed half-way, its store still open")
    assert _gone(pid)
    assert list(tmp_path.iterdir()) == []


def test_the_bulk_loaders_peer_closes_its_store_when_the_tool_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a loader that fails (a missing or broken falkordb-bulk-loader): its store was left open,
    # and the server kept running after the bench (on a folder the bench then deleted)
    monkeypatch.setattr(peers, "bulk_loader", lambda: Path("/bin/false"))
    db = tmp_path / "db"
    try:
        with pytest.raises(subprocess.CalledProcessError):
            peers.falkordb_bulk(peers.CsvGraph(tmp_path), f"embedded://{db}", "loaded")
        assert EmbeddedServer(db).pid() is None
    finally:
        stop_servers_under(tmp_path)


def test_benches_make_temporary_folders_only_through_scratch_folder() -> None:
    makers = ("TemporaryDirectory(", "mkdtemp(")
    found = sorted(
        path.name
        for path in HERE.glob("*.py")
        if path.name != "scratch.py" and any(m in path.read_text("utf-8") for m in makers)
    )
    assert found == [], f"use bench.scratch.scratch_folder in {found}"
