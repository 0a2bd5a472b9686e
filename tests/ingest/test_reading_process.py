"""The ordinary ingest with its files read and checked in a second process
(``IngestOptions.parallel``, ingest/prepare.py): the same graph and report as in one process,
nothing written when a file cannot be read, and a killed reading process leaves a run that the
same command resumes. The bulk load's side is in test_bulk.py."""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.ingest import (
    IngestOptions,
    ManifestError,
    ReadError,
    load_cordis,
    load_manifest,
    run_ingest,
)
from scaleup_graph.store import GraphStore, StoreError
from tests.ingest.test_resilience import write_population
from tests.support.graph_compare import assert_same_graph, cordis_subset, graph_state, rejects_of
from tests.support.reading_process import kill_the_reading_process


def options(tmp_path: Path, name: str, **kw: Any) -> IngestOptions:
    return IngestOptions(state_dir=tmp_path / name, **{"check_duplicates": False, **kw})


def test_a_cordis_subset_read_in_a_second_process_is_the_same_graph_and_report(
    store: GraphStore, second: GraphStore, tmp_path: Path
) -> None:
    data = cordis_subset(tmp_path / "open-data")
    one = load_cordis(store, data, options=options(tmp_path, "a", parallel=False))
    seen: list[tuple[str, int, int]] = []
    two = load_cordis(
        second,
        data,
        options=options(tmp_path, "b", parallel=True, batch_size=700),
        progress=lambda phase, done, total: seen.append((phase, done, total)),
    )
    assert (one.reading_process, two.reading_process) == (False, True)
    assert_same_graph(store, second)
    assert rejects_of([two]) == rejects_of([one]) != []
    assert (two.rows_read, two.nodes_written, two.relationships_written) == (
        one.rows_read,
        one.nodes_written,
        one.relationships_written,
    )
    assert (Path(two.report_dir or "") / "rejects.csv").read_bytes() == (
        Path(one.report_dir or "") / "rejects.csv"
    ).read_bytes()
    assert seen and seen[-1][1] == seen[-1][2] and all(t == seen[0][2] for _, _, t in seen)


def test_a_file_that_cannot_be_read_stops_the_run_before_anything_is_written(
    store: GraphStore, tmp_path: Path
) -> None:
    """The last file is broken: the first one's nodes are not written either, as in one
    process (every file is read before the first write), and no process is left behind."""
    path = write_population(tmp_path, rows=300)
    (tmp_path / "links.csv").write_text("a,b,b\norg-1,org-2,x\n", encoding="utf-8")
    manifest = load_manifest(path)
    errors = []
    for parallel in (True, False):
        with pytest.raises((ManifestError, ReadError)) as failed:
            run_ingest(store, manifest, options(tmp_path, f"s{parallel}", parallel=parallel))
        errors.append((type(failed.value), failed.value.message))
        assert store.counts()["nodes"].get("Organisation", 0) == 0
        assert multiprocessing.active_children() == []
    assert errors[0] == errors[1]


def test_a_reading_process_killed_half_way_keeps_the_batches_and_the_run_resumes(
    store: GraphStore, second: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    manifest = load_manifest(write_population(tmp_path, rows=400))
    run_ingest(store, manifest, options(tmp_path, "a", parallel=False, batch_size=50))
    read_again = kill_the_reading_process(monkeypatch)
    with pytest.raises(StoreError) as stopped:
        run_ingest(second, manifest, options(tmp_path, "b", parallel=True, batch_size=50))
    message = stopped.value.message
    assert "stopped unexpectedly" in message and "run the same command again" in message
    assert "written so far are kept" in message
    # the node batches were committed before the reading process died
    assert second.counts()["nodes"]["Organisation"] == 380
    assert multiprocessing.active_children() == []

    read_again()
    again = run_ingest(second, manifest, options(tmp_path, "b", parallel=True, batch_size=50))
    assert again.resumed and again.reading_process
    assert_same_graph(store, second)
    assert graph_state(second)["rels"]
