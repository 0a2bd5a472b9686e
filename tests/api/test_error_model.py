"""One error body on every route, its status decided by the error's kind in one place."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api.errors import status_of
from scaleup_graph.errors import ScaleUpError, Timeout, Unavailable
from scaleup_graph.queries import ParamError, QueryError
from scaleup_graph.store import QueryRejected, QueryTimeout, StoreError, StoreUnavailable
from tests.support.error_kinds import KINDS, Kind

Keys = dict[str, dict[str, str]]
BODY = {"code", "message", "hint", "field"}


@pytest.mark.parametrize(
    ("method", "path", "role", "params", "status", "code"),
    [
        ("get", "/api/v1/organisations/org-nope", "viewer", {}, 404, "not_found"),
        ("post", "/api/v1/queries/nope", "viewer", None, 404, "unknown_query"),
        ("get", "/api/v1/organisations", "viewer", {"limit": 5000}, 422, "invalid_parameter"),
        ("get", "/api/v1/challenges/open", "viewer", {"topic": "nope"}, 422, "invalid_parameter"),
        ("get", "/api/v1/challenges/challenge-nope/round", "viewer", {}, 404, "not_found"),
        ("get", "/api/v1/challenges/challenge-nope/matches", "analyst", {}, 404, "not_found"),
        ("get", "/api/v1/explorer/view", "viewer", {"focus": "org-nope"}, 404, "unknown_node"),
        ("get", "/api/v1/explorer/view", "viewer", {"hops": 9, "focus": "org-rmn"}, 422, "hops"),
        ("get", "/api/v1/analytics/metrics", "viewer", {}, 403, "forbidden"),
        # igraph/networkit take an unsigned seed: a negative one was a 500
        ("get", "/api/v1/analytics/metrics", "analyst", {"seed": -1}, 422, "invalid_parameter"),
        ("get", "/api/v1/organisations", None, {}, 401, "unauthorized"),
        ("get", "/explorer/assets/nope.js", None, {}, 404, "not_found"),
    ],
)
def test_every_route_answers_errors_in_one_shape(
    client: TestClient,
    keys: Keys,
    method: str,
    path: str,
    role: str | None,
    params: dict | None,
    status: int,
    code: str,
) -> None:
    headers = keys[role] if role else {}
    if method == "get":
        response = client.get(path, params=params, headers=headers)
    else:
        response = client.post(path, json={"params": {}}, headers=headers)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) >= BODY and set(response.json()) == {"error"}
    assert error["code"] == code
    assert error["message"]


def test_explorer_errors_speak_the_page_language(client: TestClient, keys: Keys) -> None:
    for lang, words in (("de", "gibt es nicht"), ("en", "does not exist")):
        response = client.get(
            "/api/v1/explorer/view",
            params={"focus": "org-nope", "lang": lang},
            headers=keys["viewer"],
        )
        assert words in response.json()["error"]["message"]
        assert "org-nope" not in response.text  # an id may be an e-mail: never echoed


def test_a_parameter_error_names_its_field(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/queries/neighbourhood",
        json={"params": {"id": "org-rmn", "hops": 9}},
        headers=keys["viewer"],
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "hops"


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_the_kind_decides_the_status(kind: Kind) -> None:
    assert status_of(kind.error) == kind.status


def test_old_names_are_kinds_of_the_one_root() -> None:
    assert QueryError is ScaleUpError
    for old in (StoreError, QueryRejected, ParamError):
        assert issubclass(old, ScaleUpError)
    assert issubclass(StoreUnavailable, Unavailable) and issubclass(QueryTimeout, Timeout)


def test_the_openapi_describes_the_error_body_and_pages(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # never sent
    search = spec["paths"]["/api/v1/organisations"]["get"]["responses"]
    assert search["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/PageOut")
    for status in ("404", "422", "503"):
        ref = search[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref.endswith("/ErrorBody")
    detail = spec["components"]["schemas"]["ErrorDetail"]
    assert {"code", "message", "hint", "field"} <= set(detail["properties"])


def test_a_refused_saved_view_names_its_field(client: TestClient, keys: Keys) -> None:
    response = client.post(
        "/api/v1/views", json={"name": "", "params": "hops=2"}, headers=keys["viewer"]
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "name"
    assert response.json()["error"]["hint"]
