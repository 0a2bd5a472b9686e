"""Keys and roles over HTTP: no key 401, a weak role 403, both header forms accepted."""

from __future__ import annotations

from fastapi.testclient import TestClient


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


def test_roles_are_cumulative_and_a_weak_role_gets_403(
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


def test_cors_is_off_by_default(client: TestClient, keys: dict[str, dict[str, str]]) -> None:
    response = client.get(
        "/api/v1/organisations", headers={**keys["viewer"], "Origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in response.headers
