"""Keys and capabilities over HTTP: no key 401, a missing capability 403, both header forms
accepted, keys compared exactly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings


def test_health_needs_no_key_and_checks_the_store(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["store"]["graph"]


def test_without_a_key_the_api_answers_401_with_advice(client: TestClient) -> None:
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    assert "X-API-Key" in response.json()["error"]["message"]


def test_a_mistyped_key_is_refused(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    wrong = keys["admin"]["X-API-Key"][:-2] + "xx"
    assert client.get("/api/v1/organisations", headers={"X-API-Key": wrong}).status_code == 401


def test_bearer_and_x_api_key_headers_both_work(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    key = keys["viewer"]["X-API-Key"]
    assert (
        client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key}"}).status_code
        == 200
    )
    assert client.get("/api/v1/organisations", headers={"X-API-Key": key}).status_code == 200


def test_migrated_ladder_keys_keep_what_they_could_do(
    client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    body = {"query": "MATCH (o:Organisation) RETURN count(o) AS n"}
    outcomes = {
        role: client.post("/api/v1/cypher", json=body, headers=h).status_code
        for role, h in keys.items()
    }
    assert outcomes == {"viewer": 403, "contacts": 403, "analyst": 200, "editor": 200, "admin": 200}
    erase = {
        role: client.get("/api/v1/persons/person-anna/export", headers=h).status_code
        for role, h in keys.items()
    }
    assert erase == {"viewer": 403, "contacts": 403, "analyst": 403, "editor": 403, "admin": 200}


def test_capabilities_combine_and_do_not_imply_each_other(
    client: TestClient, api_settings: Settings
) -> None:
    store = KeyStore(keys_path(api_settings))

    def key(*roles: str) -> dict[str, str]:
        return {"X-API-Key": store.create(list(roles))[1]}

    person = "/api/v1/persons/person-anna"
    cypher = {"query": "MATCH (o:Organisation) RETURN count(o) AS n"}
    expected = {
        ("analyst",): (403, 200),
        ("contacts",): (200, 403),
        ("analyst", "contacts"): (200, 200),
        ("editor",): (403, 403),
        ("admin",): (403, 403),
    }
    for roles, (person_status, cypher_status) in expected.items():
        headers = key(*roles)
        assert client.get(person, headers=headers).status_code == person_status, roles
        assert client.post("/api/v1/cypher", json=cypher, headers=headers).status_code == (
            cypher_status
        ), roles
    refused = client.get(person, headers=key("analyst"))
    assert "contacts" in refused.json()["error"]["message"]


def test_keys_are_compared_exactly(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    key = keys["viewer"]["X-API-Key"]
    for sent in (
        f" {key}",
        f"{key} ",
        f"{key}\n"[:-1] + " ",
        key + "=",
        key.replace("sug_", "SUG_"),
    ):
        assert client.get("/api/v1/organisations", headers={"X-API-Key": sent}).status_code == 401
    response = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {key} "})
    assert response.status_code == 401


def test_cors_is_off_by_default(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    response = client.get(
        "/api/v1/organisations", headers={**keys["viewer"], "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers
