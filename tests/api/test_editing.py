"""Editors write nodes and relationships through the API with ingest's validation."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


def test_editor_creates_and_updates_an_organisation(
    client: TestClient, keys: Keys, api_settings: Settings
) -> None:
    url = "/api/v1/nodes/Organisation/org-new-sme"
    created = client.put(
        url,
        json={"name": "Neue Firma GmbH", "kinds": "SME", "country": "DE"},
        headers=keys["editor"],
    )
    assert created.status_code == 200, created.text
    assert created.json()["properties"]["kinds"] == ["SME"]
    found = client.get(
        "/api/v1/organisations", params={"kind": "SME", "q": "neue firma"}, headers=keys["viewer"]
    ).json()["items"]
    assert [o["id"] for o in found] == ["org-new-sme"]
    client.put(url, json={"name": "Neue Firma AG"}, headers=keys["editor"])
    detail = client.get(url.replace("nodes/Organisation", "organisations"), headers=keys["viewer"])
    assert detail.json()["organisation"]["name"] == "Neue Firma AG"
    entries = [
        json.loads(x) for x in (api_settings.state_dir / "audit.jsonl").read_text().splitlines()
    ]
    assert [e["outcome"] for e in entries] == ["written", "written"]


def test_invalid_fields_are_422_naming_each_field_and_nothing_is_written(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    before = small_store.fingerprint()
    response = client.put(
        "/api/v1/nodes/Person/person-new",
        json={"name": "X", "email": "not-an-address", "shoe_size": 44},
        headers=keys["editor"],
    )
    assert response.status_code == 422
    assert {p["parameter"] for p in response.json()["error"]["problems"]} == {"email", "shoe_size"}
    assert "not-an-address" not in response.text
    assert small_store.fingerprint() == before
    unknown = client.put("/api/v1/nodes/Spaceship/x", json={"name": "x"}, headers=keys["editor"])
    assert unknown.status_code == 404
    assert "Organisation" in unknown.json()["error"]["message"]


def test_relationships_need_existing_endpoints_of_the_right_labels(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    ok = client.put(
        "/api/v1/relationships/COOPERATES_WITH",
        json={
            "start": "org-podkarpackie",
            "end": "org-stadtwerke-koeln",
            "properties": {"since": "01.02.2023"},
        },
        headers=keys["editor"],
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["properties"] == {"since": "2023-02-01"}
    wrong = client.put(
        "/api/v1/relationships/WORKS_AT",
        json={"start": "org-rmn", "end": "org-kassel-tech"},
        headers=keys["editor"],
    )
    assert wrong.status_code == 422
    assert "Person" in wrong.json()["error"]["message"]


def test_below_editor_writes_are_forbidden(client: TestClient, keys: Keys) -> None:
    for role in ("viewer", "contacts", "analyst"):
        response = client.put(
            "/api/v1/nodes/Organisation/org-x", json={"name": "x"}, headers=keys[role]
        )
        assert response.status_code == 403
