"""The named catalogue over HTTP: listing, running, and every kind of bad input."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


def test_list_shows_only_queries_the_role_may_run(client: TestClient, keys: Keys) -> None:
    viewer = {
        q["name"] for q in client.get("/api/v1/queries", headers=keys["viewer"]).json()["queries"]
    }
    contacts = {
        q["name"] for q in client.get("/api/v1/queries", headers=keys["contacts"]).json()["queries"]
    }
    assert "search_organisations" in viewer and "person" not in viewer
    assert contacts == viewer | {"person"}


def test_run_a_named_query(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/queries/search_organisations",
        json={"params": {"q": "nordhessen"}},
        headers=keys["viewer"],
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["rows"]] == ["org-rmn"]


def test_unknown_query_is_404_with_the_list(client: TestClient, keys: Keys) -> None:
    response = client.post("/api/v1/queries/drop_everything", json={}, headers=keys["viewer"])
    assert response.status_code == 404
    assert "search_organisations" in response.json()["error"]["available"]


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({}, "id"),  # missing
        ({"id": 42}, "id"),  # wrong type
        ({"id": "org-rmn", "hops": "two"}, "hops"),
        ({"id": "org-rmn", "hops": 9}, "hops"),
        ({"id": "org-rmn", "labels": ["Organisation`) DETACH DELETE (n"]}, "labels"),
        ({"id": "org-rmn", "colour": "red"}, "colour"),  # unknown parameter
        ({"id": "x" * 5000}, "id"),  # huge
        ({"id": "org-\x00rmn"}, "id"),  # control character
    ],
)
def test_bad_parameters_get_422_naming_the_parameter(
    client: TestClient, keys: Keys, params: dict, named: str
) -> None:
    response = client.post(
        "/api/v1/queries/neighbourhood", json={"params": params}, headers=keys["viewer"]
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == named


HOSTILE = [
    "' OR 1=1 //",
    '"}) MATCH (n) DETACH DELETE n //',
    "`Organisation` DETACH DELETE n",
    "\\' RETURN 1",
    "$id",
    "Köln\u202e",
    "a\tb\nc",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_strings_change_nothing(
    client: TestClient, keys: Keys, small_store: GraphStore, text: str
) -> None:
    before = small_store.fingerprint()
    for url, params in [
        ("/api/v1/organisations", {"q": text}),
        ("/api/v1/organisations", {"region": text, "topic": text}),
        ("/api/v1/content", {"topic": text}),
        ("/api/v1/challenges", {"topic": text}),
        (f"/api/v1/organisations/{quote(text, safe='')}", {}),
        ("/api/v1/paths", {"source": text, "target": "org-rmn"}),
    ]:
        response = client.get(url, params=params, headers=keys["admin"])
        assert response.status_code in (200, 404, 422), (url, response.text)
        assert "error" in response.json() or response.status_code == 200
    assert small_store.fingerprint() == before
