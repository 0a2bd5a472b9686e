"""The node history over HTTP after imports and relationship edits (issue 17): an import
shows as one entry per node with its run and file, and a changed relationship (PUT) is in both
ends' history and can be undone."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore
from tests.ingest.test_history import ROWS
from tests.ingest.test_trust import flat, ingest


def test_the_history_route_shows_the_run_and_the_file_and_undo_refuses_after_an_import(
    client: TestClient,
    keys: dict[str, dict[str, str]],
    small_store: GraphStore,
    tmp_path: Path,
) -> None:
    url = "/api/v1/nodes/Organisation/org-pic-999"
    report = ingest(small_store, flat(tmp_path, ROWS), tmp_path)
    edited = client.put(
        url, json={"version": 1, "properties": {"city": "Kassel"}}, headers=keys["editor"]
    )
    assert edited.status_code == 200, edited.text
    (tmp_path / "v2").mkdir()
    ingest(small_store, flat(tmp_path / "v2", ROWS.replace("ALPHA", "A2")), tmp_path / "v2")
    history = client.get("/api/v1/nodes/org-pic-999/history", headers=keys["viewer"]).json()
    newest = history["entries"][0]
    assert newest["action"] == "ingest:update" and newest["source"] == "participations.csv"
    assert newest["fields"] == ["short_name"] and newest["changes"] == []
    assert history["entries"][-1]["ingest_run"] == report.run_id
    undo = client.post("/api/v1/nodes/org-pic-999/undo", headers=keys["editor"])
    assert undo.status_code == 409 and undo.json()["error"]["code"] == "changed_since"


def test_a_relationship_changed_through_put_is_in_both_histories_and_undone(
    client: TestClient, keys: dict[str, dict[str, str]], small_store: GraphStore
) -> None:
    body = {"start": "org-podkarpackie", "end": "org-stadtwerke-koeln"}
    client.post(
        "/api/v1/relationships/COOPERATES_WITH",
        json={**body, "properties": {"since": "2023-02-01"}},
        headers=keys["editor"],
    )
    put = client.put(
        "/api/v1/relationships/COOPERATES_WITH",
        json={**body, "properties": {"since": "2024-01-01"}},
        headers=keys["editor"],
    )
    assert put.status_code == 200, put.text
    for node in body.values():
        newest = client.get(f"/api/v1/nodes/{node}/history", headers=keys["viewer"]).json()
        entry = newest["entries"][0]
        assert entry["action"] == "relink" and entry["fields"] == ["since"]
        assert entry["relationship"]["old_properties"] == {"since": "2023-02-01"}
        assert entry["relationship"]["properties"] == {"since": "2024-01-01"}
    undone = client.post("/api/v1/nodes/org-stadtwerke-koeln/undo", headers=keys["editor"])
    assert undone.status_code == 200, undone.text
    props = small_store.relationship_properties(
        "COOPERATES_WITH",
        ("Organisation", "org-podkarpackie"),
        ("Organisation", "org-stadtwerke-koeln"),
    )
    assert props is not None and props["since"] == "2023-02-01"
