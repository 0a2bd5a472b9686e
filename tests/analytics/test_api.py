"""The analyst routes over HTTP against the real app and the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.analytics import project
from scaleup_graph.analytics.snapshots import create_snapshot
from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore


@pytest.fixture
def settings(db_url: str, graph_name: str, tmp_path: Path) -> Settings:
    return Settings(database_url=db_url, graph=graph_name, state_dir=tmp_path / "state")


@pytest.fixture
def client(small: GraphStore, settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, small), raise_server_exceptions=False) as c:
        yield c


def _key(settings: Settings, role: str) -> dict[str, str]:
    return {"X-API-Key": KeyStore(keys_path(settings)).create(role)[1]}


def test_metrics_for_analysts_only(client: TestClient, settings: Settings) -> None:
    url = "/api/v1/analytics/metrics?name=pagerank&name=community&label=Organisation"
    assert client.get(url, headers=_key(settings, "viewer")).status_code == 403
    response = client.get(url, headers=_key(settings, "analyst"))
    assert response.status_code == 200
    body = response.json()
    assert body["projection"]["nodes"] == 4
    pagerank = body["metrics"][0]
    assert pagerank["name"] == "pagerank" and pagerank["run"]["algorithm"] == "pagerank"
    assert pagerank["top"][0]["name"] == "IHK Test"


def test_bad_parameters_are_4xx_json(client: TestClient, settings: Settings) -> None:
    key = _key(settings, "analyst")
    for url, status, text in [
        ("/api/v1/analytics/metrics?name=fame", 422, "unknown metric"),
        ("/api/v1/analytics/metrics?label=Company", 422, "unknown label"),
        ("/api/v1/analytics/metrics?label=Event", 422, "too few"),
        ("/api/v1/challenges/challenge-nope/matches", 404, "no challenge with this id"),
        ("/api/v1/analytics/snapshots/diff?a=x&b=y", 404, "no snapshot with this name"),
    ]:
        response = client.get(url, headers=key)
        assert response.status_code == status, url
        assert text in response.text and "Traceback" not in response.text


def test_matches_and_introductions(client: TestClient, settings: Settings) -> None:
    key = _key(settings, "analyst")
    body = client.get("/api/v1/challenges/challenge-x/matches", headers=key).json()
    assert body["matches"][0]["id"] == "org-sme-c"
    assert body["matches"][0]["via_trusted"] == ["IHK Test"]
    body = client.get("/api/v1/analytics/introductions", headers=key).json()
    assert ["org-sme-a", "org-sme-b"] in [[s["source"], s["target"]] for s in body["suggestions"]]
    assert "Erika" not in client.get("/api/v1/analytics/introductions", headers=key).text


def test_snapshot_diff_route(client: TestClient, settings: Settings, small: GraphStore) -> None:
    create_snapshot(settings.state_dir, "a", project(small))
    create_snapshot(settings.state_dir, "b", project(small))
    key = _key(settings, "analyst")
    assert [s["name"] for s in client.get("/api/v1/analytics/snapshots", headers=key).json()] == [
        "a",
        "b",
    ]
    body = client.get("/api/v1/analytics/snapshots/diff?a=a&b=b", headers=key).json()
    assert body["new_links_count"] == 0 and body["from"]["name"] == "a"


def test_write_back_needs_the_editor_role(
    client: TestClient, settings: Settings, small: GraphStore
) -> None:
    url = "/api/v1/analytics/metrics/write?name=pagerank"
    assert client.post(url, headers=_key(settings, "analyst")).status_code == 403
    response = client.post(url, headers=_key(settings, "editor"))
    assert response.status_code == 200 and response.json()["written"]["pagerank"] > 0
    rows = small.read("MATCH (o:Organisation {id: 'org-ihk'}) RETURN o.metric_pagerank AS pr")
    assert rows[0]["pr"] > 0
