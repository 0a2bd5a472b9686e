"""Issue 18: a graph cleared and built again right after a start must leave a folder that loads.

FalkorDB builds each constraint in a background thread and then logs it once more in the
append-only file, naming the graph and the label's id; it does so too for the constraints it
replays at a start. ``bench.api_wrk`` clears and rebuilds a graph right after opening the store:
the late entries of the old graph landed among the new graph's, and the next start refused the
folder ("GRAPH.EFFECT references label 'ContentItem' (id 9) which doesn't match local schema
state") or crashed loading it. Only the store's own code paths run here (open, clear,
setup_schema, ingest, close or kill -9), on real embedded servers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.ingest import IngestOptions, load_manifest, run_ingest
from scaleup_graph.ingest.generate import generate_population
from scaleup_graph.store import open_store
from scaleup_graph.store.embedded import EmbeddedServer
from scaleup_graph.store.falkordb import FalkorDBStore

pytestmark = pytest.mark.hard

ORGS = 4_000  # the bench's size S: its constraints take a moment to build after a start
ROUNDS = 3


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    db = tmp_path / "db"
    yield db
    EmbeddedServer(db).kill()  # a test that failed half-way


def _open(folder: Path) -> FalkorDBStore:
    store = open_store(f"embedded://{folder}", graph="api")
    assert isinstance(store, FalkorDBStore)
    return store


@pytest.mark.parametrize("stop", ["close", "kill -9"])
def test_a_graph_rebuilt_after_each_start_loads_at_the_next(
    folder: Path, tmp_path: Path, stop: str
) -> None:
    manifest = load_manifest(generate_population(ORGS, 7, tmp_path / "gen"))
    organisations = None
    for round_ in range(ROUNDS):
        store = _open(folder)  # raises if the folder cannot be loaded
        counts = store.counts()["nodes"]
        if round_:
            assert counts["Organisation"] == organisations, f"start {round_} lost data"
        store.clear()  # as bench.api_wrk's build does, right after the start
        store.setup_schema()
        run_ingest(
            store,
            manifest,
            IngestOptions(state_dir=tmp_path / f"state-{round_}", check_duplicates=False),
        )
        organisations = store.counts()["nodes"]["Organisation"]
        assert organisations >= ORGS
        if stop == "close":
            store.close()
        else:
            assert store.server is not None
            store.server.kill()
            store.close()
    store = _open(folder)
    try:
        assert store.counts()["nodes"]["Organisation"] == organisations
        constraints = store.read("CALL db.constraints() YIELD label, status RETURN label, status")
        assert {row["label"] for row in constraints} >= {"Organisation", "ContentItem", "Topic"}
    finally:
        store.close()
