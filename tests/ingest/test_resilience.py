"""Crashes and sharing: a killed ingest resumes to the same graph, a killed database server comes
back with every acknowledged write, two processes share one embedded store."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
from scaleup_graph.store import GraphStore, NodeRow, open_store
from scaleup_graph.store.embedded import EmbeddedServer
from tests.support.cli import scaleup
from tests.support.graphs import ORGS_AND_LINKS_MANIFEST

ROWS = 3000


def write_population(folder: Path, rows: int = ROWS, bad_every: int = 20) -> Path:
    """Organisations with cooperation links; every ``bad_every``-th row has an empty name."""
    with open(folder / "orgs.csv", "w", encoding="utf-8") as f:
        f.write("id;name;city\n")
        for i in range(rows):
            name = "" if i % bad_every == 7 else f"Firma {i} GmbH"
            f.write(f"org-{i};{name};Kassel\n")
    with open(folder / "links.csv", "w", encoding="utf-8") as f:
        f.write("a,b\n")
        for i in range(rows):
            f.write(f"org-{i},org-{(i * 7 + 1) % rows}\n")
    manifest = folder / "manifest.yaml"
    manifest.write_text(ORGS_AND_LINKS_MANIFEST)
    return manifest


def _clean_fingerprint(db_url: str, manifest: Path, tmp_path: Path) -> tuple[str, int]:
    reference = open_store(db_url, graph=f"ref_{os.getpid()}_{time.monotonic_ns()}")
    try:
        report = run_ingest(
            reference,
            load_manifest(manifest),
            IngestOptions(state_dir=tmp_path / "ref-state", batch_size=100, check_duplicates=False),
        )
        return reference.fingerprint(), len(report.rejects)
    finally:
        reference.clear()
        reference.close()


def test_killed_ingest_resumes_to_the_same_graph(
    store: GraphStore, db_url: str, store_env: dict[str, str], tmp_path: Path
) -> None:
    manifest = write_population(tmp_path)
    expected, expected_rejects = _clean_fingerprint(db_url, manifest, tmp_path)
    state = Path(store_env["SCALEUP_STATE_DIR"])
    cmd = [
        sys.executable,
        "-m",
        "scaleup_graph",
        "ingest",
        str(manifest),
        "--batch-size",
        "100",
        "--json",
    ]
    proc = subprocess.Popen(
        cmd, env=store_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    checkpoints = state / "checkpoints"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        files = list(checkpoints.glob("*.json")) if checkpoints.exists() else []
        if (files and '"0:n0": 5' in files[0].read_text()) or (
            files and '"1:r0"' in files[0].read_text()
        ):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the ingest finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = store.counts()["nodes"]["Organisation"]
    assert 0 < partial < ROWS  # it really was interrupted mid-run

    resumed = subprocess.run(cmd, env=store_env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 1  # rejects present
    assert '"resumed": true' in resumed.stdout
    assert store.fingerprint() == expected
    rejects = json.loads(resumed.stdout)["rejects"]
    assert len(rejects) == expected_rejects
    bad_lines = {i + 2 for i in range(ROWS) if i % 20 == 7}  # header is line 1
    assert {r["line"] for r in rejects if r["file"] == "orgs.csv"} == bad_lines


class Killed(BaseException):
    """Stands for a kill -9 after a batch: the run ends there, its checkpoint stays."""


def _killed_after(batches: int) -> Callable[[int], None]:
    def kill(batch: int) -> None:
        if batch == batches:
            raise Killed

    return kill


def test_a_checkpoint_the_graph_no_longer_holds_is_not_resumed(
    store: GraphStore, db_url: str, store_env: dict[str, str], tmp_path: Path
) -> None:
    """A run killed after some batches, then the graph emptied (scaleup clear, another
    database): the same command again must not skip the batches the checkpoint lists."""
    manifest = write_population(tmp_path, rows=1000)
    expected, expected_rejects = _clean_fingerprint(db_url, manifest, tmp_path)
    state = Path(store_env["SCALEUP_STATE_DIR"])

    def options(**kw: Any) -> IngestOptions:
        return IngestOptions(state_dir=state, batch_size=100, check_duplicates=False, **kw)

    with pytest.raises(Killed):
        run_ingest(store, load_manifest(manifest), options(after_batch=_killed_after(4)))
    [checkpoint] = (state / "checkpoints").glob("*.json")
    first = json.loads(checkpoint.read_text())
    assert first["done"] == {"0:n0": 4}
    # nothing changed in between: the run resumes (same run id) and goes on from batch 5
    with pytest.raises(Killed):
        run_ingest(store, load_manifest(manifest), options(after_batch=_killed_after(2)))
    second = json.loads(checkpoint.read_text())
    assert second["run_id"] == first["run_id"] and second["done"] == {"0:n0": 6}
    assert store.counts()["nodes"]["Organisation"] == 600  # six batches of valid rows

    store.clear()  # the graph no longer holds the six batches
    again = scaleup(store_env, "ingest", str(manifest), "--batch-size", "100", "--json")
    assert again.returncode == 1, again.stderr  # the population has rejected rows
    report = json.loads(again.stdout)
    assert report["resumed"] is False and report["run_id"] != first["run_id"]
    assert first["run_id"] in report["restarted"] and "holds no batch" in report["restarted"]
    assert store.fingerprint() == expected
    assert store.counts()["nodes"]["Organisation"] == 950
    assert len(report["rejects"]) == expected_rejects
    assert not list((state / "checkpoints").glob("*.json"))


def test_a_checkpoint_counted_in_another_batch_size_is_not_resumed(
    store: GraphStore, db_url: str, tmp_path: Path
) -> None:
    manifest = write_population(tmp_path, rows=1000)
    expected, _ = _clean_fingerprint(db_url, manifest, tmp_path)
    state = tmp_path / "state"
    with pytest.raises(Killed):
        run_ingest(
            store,
            load_manifest(manifest),
            IngestOptions(state_dir=state, batch_size=100, after_batch=_killed_after(3)),
        )
    # three batches of 100 rows are in; skipping three batches of 250 would lose 450 rows
    report = run_ingest(
        store, load_manifest(manifest), IngestOptions(state_dir=state, batch_size=250)
    )
    assert not report.resumed and "batches were 100 rows" in (report.restarted or "")
    assert store.fingerprint() == expected


def test_killed_server_reopens_with_every_acknowledged_write(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"embedded://{tmp_path / 'db'}"
    store = open_store(url)
    for i in range(50):  # each write is acknowledged on its own
        store.upsert_nodes("Topic", [NodeRow(f"topic-{i}", {"name": f"T{i}"})], provenance={})
    assert store.server is not None  # type: ignore[attr-defined]
    store.server.kill()  # type: ignore[attr-defined]
    assert (tmp_path / "db" / "server.json").exists()  # the stale state a crash leaves
    with caplog.at_level(logging.WARNING, logger="scaleup_graph.store.embedded"):
        reopened = open_store(url)
    try:
        assert reopened.counts()["nodes"]["Topic"] == 50
        assert any("not shut down cleanly" in r.message for r in caplog.records)
    finally:
        store.close()
        reopened.close()


def test_ingest_survives_the_server_being_killed_mid_run(tmp_path: Path, db_url: str) -> None:
    manifest = write_population(tmp_path, rows=2000)
    expected, _ = _clean_fingerprint(db_url, manifest, tmp_path)
    url = f"embedded://{tmp_path / 'own-db'}"
    store = open_store(url)
    server = store.server  # type: ignore[attr-defined]
    kills: list[int] = []

    def kill_now_and_then(batch: int) -> None:
        if batch % 7 == 3 and len(kills) < 3:
            kills.append(batch)
            server.kill()

    try:
        run_ingest(
            store,
            load_manifest(manifest),
            IngestOptions(
                state_dir=tmp_path / "s",
                batch_size=100,
                after_batch=kill_now_and_then,
                check_duplicates=False,
            ),
        )
        assert len(kills) == 3
        assert store.fingerprint() == expected
    finally:
        store.close()


def test_two_processes_share_one_store_and_either_may_exit(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "t.csv").write_text("name\nMobilität\nEnergie\n")
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "scaleup_graph",
            "ingest",
            str(tmp_path / "t.csv"),
            "--label",
            "Topic",
        ],
        env=store_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    # the other process has exited; ours still reads and writes through the shared server
    assert store.counts()["nodes"]["Topic"] == 2
    store.upsert_nodes("Topic", [NodeRow("topic-x", {"name": "X"})], provenance={})
    assert store.counts()["nodes"]["Topic"] == 3


def test_the_last_process_to_leave_stops_the_server(tmp_path: Path) -> None:
    url = f"embedded://{tmp_path / 'db'}"
    first, second = open_store(url), open_store(url)
    server = EmbeddedServer(tmp_path / "db")
    pid = server.pid()
    assert pid is not None
    first.close()
    assert server.pid() == pid  # still serving the second
    assert second.counts()["nodes"]["Topic"] == 0
    second.close()
    assert server.pid() is None


def test_unwritable_store_directory_is_a_clear_error(
    tmp_path: Path, store_env: dict[str, str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {**store_env, "SCALEUP_DATABASE_URL": f"embedded://{blocker / 'db'}"}
    out = subprocess.run(
        [sys.executable, "-m", "scaleup_graph", "stats"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 2
    assert "is not writable" in out.stderr and "SCALEUP_DATABASE_URL" in out.stderr
    assert "Traceback" not in out.stderr
