"""A process killed while it starts a folder's server: after the spawn, before it wrote
server.json. The server it spawned lives on; the next process must use that server (not delete
its socket and start a second one beside it on the same files) and stop it when it is the last
to leave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest

from scaleup_graph.store import NodeRow, open_store

pytestmark = pytest.mark.hard

PROV = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}

#: where the starting process kills itself (SIGKILL): as soon as the server is spawned (it may
#: not have written its pid file yet), or once it answers (just before server.json is written)
_KILL_POINTS = {
    "spawned": """
        real = subprocess.run
        def run(*args, **kwargs):
            result = real(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
            return result
        embedded.subprocess.run = run
    """,
    "answered": """
        real = embedded._ping
        def ping(*args, **kwargs):
            if real(*args, **kwargs):
                os.kill(os.getpid(), signal.SIGKILL)
            return False
        embedded._ping = ping
    """,
}


def _servers(folder: Path) -> list[int]:
    """The live redis-servers whose working directory is ``folder``."""
    found = []
    for proc in psutil.process_iter(["name"]):
        if "redis" not in (proc.info["name"] or ""):
            continue
        try:
            if proc.status() != psutil.STATUS_ZOMBIE and Path(proc.cwd()) == folder.resolve():
                found.append(proc.pid)
        except psutil.Error:
            continue
    return found


def _start_and_die(folder: Path, point: str) -> None:
    script = "import os, signal, subprocess\nfrom scaleup_graph.store import embedded\n"
    script += textwrap.dedent(_KILL_POINTS[point])
    script += f"embedded.EmbeddedServer({str(folder)!r}).ensure_running()\n"
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()


@pytest.mark.parametrize("point", sorted(_KILL_POINTS))
def test_the_next_process_uses_the_server_a_killed_start_left_and_stops_it(
    tmp_path: Path, point: str
) -> None:
    folder = tmp_path / "db"
    url = f"embedded://{folder}"
    first = open_store(url)
    first.upsert_nodes("Topic", [NodeRow("topic-before", {"name": "Before"})], provenance=PROV)
    first.close()
    assert _servers(folder) == []
    try:
        _start_and_die(folder, point)
        left = _servers(folder)
        assert len(left) == 1, "the killed start left its server running"
        assert not (folder / "server.json").exists()

        store = open_store(url)
        try:
            assert _servers(folder) == left, "a second server was started on the same folder"
            assert store.server.pid() == left[0]  # type: ignore[attr-defined]
            store.upsert_nodes(
                "Topic", [NodeRow("topic-after", {"name": "After"})], provenance=PROV
            )
        finally:
            store.close()
        assert _servers(folder) == [], "the last process to leave stops the server"

        reopened = open_store(url)
        try:
            ids = {r["id"] for r in reopened.read("MATCH (t:Topic) RETURN t.id AS id")}
            assert ids == {"topic-before", "topic-after"}
        finally:
            reopened.close()
    finally:
        for pid in _servers(folder):  # the servers this test started, if it failed half-way
            os.kill(pid, signal.SIGKILL)


def test_a_stale_server_json_naming_another_folders_server_is_cleaned(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """After a crash, the id in server.json may belong to another folder's server by now: that
    server is not this folder's (waiting for it to answer here would wait in vain), and this
    folder's start goes on as after any crash."""
    import json
    import logging

    mine, theirs = tmp_path / "mine", tmp_path / "theirs"
    store = open_store(f"embedded://{mine}")
    store.upsert_nodes("Topic", [NodeRow("topic-mine", {"name": "Mine"})], provenance=PROV)
    store.close()
    other = open_store(f"embedded://{theirs}")
    try:
        [their_pid] = _servers(theirs)
        (mine / "server.json").write_text(
            json.dumps({"pid": their_pid, "socket": str(mine / "falkordb.sock"), "started": 0})
        )
        with caplog.at_level(logging.WARNING, logger="scaleup_graph.store.embedded"):
            reopened = open_store(f"embedded://{mine}")
        try:
            assert reopened.read("MATCH (t:Topic) RETURN t.id AS id") == [{"id": "topic-mine"}]
            assert len(_servers(mine)) == 1 and _servers(theirs) == [their_pid]
            assert any("not shut down cleanly" in r.message for r in caplog.records)
        finally:
            reopened.close()
    finally:
        other.close()
        for pid in _servers(mine) + _servers(theirs):
            os.kill(pid, signal.SIGKILL)
