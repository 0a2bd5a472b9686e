"""Point 5: crashes. A 10,000-row file with 5 % bad rows (plus 10,000 links) is ingested while

- the ingest process is SIGKILLed at 20 random points (seeded; ``SCALEUP_CRASH_SEED``), resumed
  after each kill, as one chain: kill, resume, kill, resume, ... until a run finishes;
- the embedded database server is SIGKILLed 5 times mid-ingest (at seeded random batches); the
  store restarts it and the ingest goes on.

Afterwards the graph equals a clean run (same fingerprint, 0 missing keys, 0 duplicate keys or
links) and the reject report holds exactly the bad rows.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
from scaleup_graph.store import GraphStore, open_store
from tests.ingest.test_resilience import write_population

pytestmark = pytest.mark.hard

ROWS = 10_000
BAD_EVERY = 20  # 5 % of the rows have an empty name
BATCH = 100
INGEST_KILLS = 20
SERVER_KILLS = 5
SEED = int(os.environ.get("SCALEUP_CRASH_SEED", "20261127"))


@dataclass(frozen=True)
class Clean:
    fingerprint: str
    rejects: frozenset[tuple[str, int]]
    org_ids: frozenset[str]
    links: int
    batches: int  # committed batches of a whole run (nodes, then links)


def _bad_rows() -> set[tuple[str, int]]:
    """The rows a correct ingest must reject: empty names, and links to those organisations."""
    bad_orgs = {i for i in range(ROWS) if i % BAD_EVERY == 7}
    rows = {("orgs.csv", i + 2) for i in bad_orgs}  # line 1 is the header
    rows |= {
        ("links.csv", i + 2) for i in range(ROWS) if i in bad_orgs or (i * 7 + 1) % ROWS in bad_orgs
    }
    return rows


def _keys(store: GraphStore) -> tuple[Counter[str], Counter[tuple[str, str]]]:
    ids = Counter(r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id"))
    links = Counter(
        (r["a"], r["b"])
        for r in store.read(
            "MATCH (a:Organisation)-[:COOPERATES_WITH]->(b:Organisation) "
            "RETURN a.id AS a, b.id AS b"
        )
    )
    return ids, links


def _assert_equals_clean(store: GraphStore, clean: Clean) -> None:
    ids, links = _keys(store)
    assert set(clean.org_ids) - set(ids) == set(), "missing keys"
    assert [k for k, n in ids.items() if n > 1] == [], "duplicate keys"
    assert [k for k, n in links.items() if n > 1] == [], "duplicate links"
    assert sum(links.values()) == clean.links
    assert store.fingerprint() == clean.fingerprint


def _report_rows(report_dir: str | Path) -> set[tuple[str, int]]:
    data = json.loads((Path(report_dir) / "rejects.json").read_text(encoding="utf-8"))
    return {(r["file"], int(r["line"])) for r in data}


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_population(tmp_path_factory.mktemp("crash-input"), rows=ROWS, bad_every=BAD_EVERY)


@pytest.fixture(scope="module")
def clean(population: Path, db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Clean:
    """The reference: one uninterrupted ingest of the same input."""
    reference = open_store(f"embedded://{db_dir}", graph=f"crash_ref_{os.getpid()}")
    reference.clear()
    batches: list[int] = []
    try:
        report = run_ingest(
            reference,
            load_manifest(population),
            IngestOptions(
                state_dir=tmp_path_factory.mktemp("ref-state"),
                batch_size=BATCH,
                check_duplicates=False,
                after_batch=batches.append,
            ),
        )
        ids, links = _keys(reference)
        result = Clean(
            reference.fingerprint(),
            frozenset((r.file, r.line) for r in report.rejects),
            frozenset(ids),
            sum(links.values()),
            len(batches),
        )
    finally:
        reference.clear()
        reference.close()
    assert result.rejects == frozenset(_bad_rows())
    assert len(result.org_ids) == ROWS - ROWS // BAD_EVERY
    return result


def _committed(checkpoints: Path) -> int:
    """Batches committed so far by the running ingest (from its checkpoint file)."""
    for path in checkpoints.glob("*.json"):
        try:
            return sum(int(v) for v in json.loads(path.read_text())["done"].values())
        except (ValueError, KeyError, OSError):
            return 0
    return 0


def test_ingest_killed_at_20_random_points_resumes_to_the_clean_graph(
    store: GraphStore,
    store_env: dict[str, str],
    population: Path,
    clean: Clean,
    artifacts: Path,
) -> None:
    rng = random.Random(SEED)
    # kill once the run has committed at least `target` batches, then after a random delay of
    # up to 40 ms, so kills land both between and inside batches
    targets = sorted(rng.sample(range(1, clean.batches - 2), INGEST_KILLS))
    delays = [rng.uniform(0, 0.04) for _ in targets]
    print(f"\ncrash seed {SEED} (SCALEUP_CRASH_SEED); kill after batches {targets}")
    state = Path(store_env["SCALEUP_STATE_DIR"])
    checkpoints = state / "checkpoints"
    cmd = [sys.executable, "-m", "scaleup_graph", "ingest", str(population)]
    cmd += ["--batch-size", str(BATCH), "--json"]
    kills: list[dict[str, Any]] = []
    finished: subprocess.CompletedProcess[str] | None = None
    started = time.monotonic()
    for target, delay in zip(targets, delays, strict=True):
        proc = subprocess.Popen(
            cmd, env=store_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 300
        while proc.poll() is None and _committed(checkpoints) < target:
            assert time.monotonic() < deadline, "the ingest made no progress for 300 s"
            time.sleep(0.005)
        time.sleep(delay)
        if proc.poll() is not None:  # finished before this kill point: nothing left to kill
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills.append({"after_batches": _committed(checkpoints), "delay_ms": round(delay * 1000)})
    finished = subprocess.run(cmd, env=store_env, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 1, finished.stderr[-2000:]  # 1: rejects present
    out = json.loads(finished.stdout)
    assert out["resumed"] is True
    seconds = round(time.monotonic() - started, 1)
    (artifacts / "crash_ingest.json").write_text(
        json.dumps(
            {"seed": SEED, "rows": ROWS, "bad_rows": len(clean.rejects), "kills": kills,
             "seconds": seconds},
            indent=2,
        )
    )  # fmt: skip
    print(f"ingest kills survived: {len(kills)} in {seconds} s")
    assert len(kills) == INGEST_KILLS
    _assert_equals_clean(store, clean)
    assert _report_rows(out["report_dir"]) == set(clean.rejects) == _bad_rows()
    assert len({(r["file"], r["line"]) for r in out["rejects"]}) == len(clean.rejects)


def test_server_killed_5_times_mid_ingest_gives_the_clean_graph(
    tmp_path: Path, population: Path, clean: Clean, artifacts: Path
) -> None:
    rng = random.Random(SEED + 1)
    at = set(rng.sample(range(2, clean.batches - 1), SERVER_KILLS))
    print(f"\nserver-kill seed {SEED + 1}; kill after batches {sorted(at)}")
    url = f"embedded://{tmp_path / 'own-db'}"
    store = open_store(url)
    server = store.server
    kills: list[int] = []

    def kill_server(batch: int) -> None:
        if batch in at:
            kills.append(batch)
            server.kill()

    try:
        report = run_ingest(
            store,
            load_manifest(population),
            IngestOptions(
                state_dir=tmp_path / "state",
                batch_size=BATCH,
                after_batch=kill_server,
                check_duplicates=False,
            ),
        )
        assert sorted(kills) == sorted(at)
        _assert_equals_clean(store, clean)
        assert report.report_dir is not None
        assert _report_rows(report.report_dir) == set(clean.rejects)
        # and the data survives one more kill: reopened from the server's files
        server.kill()
        reopened = open_store(url)
        try:
            _assert_equals_clean(reopened, clean)
        finally:
            reopened.close()
    finally:
        store.close()
    (artifacts / "crash_server.json").write_text(
        json.dumps({"seed": SEED + 1, "rows": ROWS, "server_kills": sorted(kills)}, indent=2)
    )
    print(f"server kills survived: {len(kills)} (+1 after the run)")
