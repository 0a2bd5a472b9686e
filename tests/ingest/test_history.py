"""An ingest run is part of each node's history: one entry per node it changed, with the run id
and the source file, written by the same statement as the change; the nodes a run creates show
their creation from their provenance; a repeated run adds nothing. The editors' page and
GET /api/v1/nodes/{id}/history show it."""

from __future__ import annotations

from pathlib import Path

from scaleup_graph.queries.history import node_history
from scaleup_graph.store import GraphStore
from tests.ingest.test_trust import flat, ingest

ROWS = "1;999;Alpha GmbH;ALPHA;https://alpha.example;coordinator;10\n"


def _entries(store: GraphStore, node_id: str) -> list[dict[str, object]]:
    return store.node_history(node_id)


def test_a_run_writes_one_entry_per_node_it_changed_and_a_rerun_none(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(tmp_path, ROWS)
    first = ingest(store, manifest, tmp_path)
    # a first load stores no entry: the nodes' provenance is their creation entry
    assert _entries(store, "org-pic-999") == []
    shown = node_history(store, "org-pic-999", "viewer")["entries"]
    assert [(e["action"], e["ingest_run"], e["source"]) for e in shown] == [
        ("ingest:create", first.run_id, "participations.csv")
    ]
    # the same file again: nothing changed, nothing in the history
    ingest(store, manifest, tmp_path / "again")
    assert _entries(store, "org-pic-999") == []
    # a changed value and a changed relationship property: one entry per node and statement
    (tmp_path / "v2").mkdir()
    changed = flat(tmp_path / "v2", ROWS.replace("ALPHA", "ALPHA-NEU").replace(";10", ";12"))
    second = ingest(store, changed, tmp_path / "v2")
    stored = _entries(store, "org-pic-999")
    assert {(e["action"], e["ingest_run"], e["key_note"]) for e in stored} == {
        ("ingest:update", second.run_id, "participations.csv"),
        ("ingest:link", second.run_id, "participations.csv"),
    }
    update = next(e for e in stored if e["action"] == "ingest:update")
    assert update["fields"] == ["short_name"]
    assert "values" not in update  # no per-field values: the source file holds them
    assert [e["action"] for e in _entries(store, "project-rcn-1")] == ["ingest:link"]
    shown = node_history(store, "org-pic-999", "viewer")["entries"]
    assert [e["action"] for e in shown][-1] == "ingest:create"  # the creation stays last
