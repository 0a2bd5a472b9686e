"""The OpenAPI shows what the routes send: every JSON route declares its answer's shape, and
real answers, for every role, conform to it.

The models live in ``api/models.py`` (paged routes: ``api.pagination.PageOut``); they are
documentation, so an answer that stopped matching would not fail at run time: this test and
the fuzz test (tests/hard/test_fuzz_api.py) are what keep them true.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from scaleup_graph.store import GraphStore

#: routes whose answer is not JSON of a fixed shape, or that are described elsewhere
UNTYPED = {
    ("GET", "/api/v1/organisations/{org_id}/digest"),  # text or HTML
    ("DELETE", "/api/v1/views/{view_id}"),  # 204, no body
}
#: a view the test saves first (as admin), for the calls that change one
SAVED_VIEW = "{saved_view}"

#: (method, path template, concrete path, JSON body) on the small graph (tests/support/graphs.py)
CALLS: list[tuple[str, str, str, dict[str, Any] | None]] = [
    ("GET", "/health", "/health", None),
    ("GET", "/api/v1/queries", "/api/v1/queries", None),
    ("GET", "/api/v1/queries/{name}", "/api/v1/queries/search_organisations", None),
    (
        "POST",
        "/api/v1/queries/{name}",
        "/api/v1/queries/search_organisations",
        {"params": {"q": "Kassel"}},
    ),
    ("POST", "/api/v1/cypher", "/api/v1/cypher", {"query": "MATCH (o:Organisation) RETURN o"}),
    ("GET", "/api/v1/organisations/{org_id}", "/api/v1/organisations/org-rmn", None),
    (
        "GET",
        "/api/v1/organisations/{org_id}/subscriptions",
        "/api/v1/organisations/org-rmn/subscriptions",
        None,
    ),
    ("GET", "/api/v1/persons/{person_id}", "/api/v1/persons/person-anna", None),
    ("GET", "/api/v1/persons/{person_id}/export", "/api/v1/persons/person-anna/export", None),
    (
        "GET",
        "/api/v1/nodes/{node_id}/neighbourhood",
        "/api/v1/nodes/org-rmn/neighbourhood?hops=2",
        None,
    ),
    ("GET", "/api/v1/paths", "/api/v1/paths?source=person-anna&target=org-kassel-tech", None),
    ("GET", "/api/v1/partner-regions", "/api/v1/partner-regions", None),
    ("GET", "/api/v1/nodes/{node_id}/record", "/api/v1/nodes/person-anna/record", None),
    ("GET", "/api/v1/nodes/{node_id}/history", "/api/v1/nodes/org-rmn/history", None),
    ("GET", "/api/v1/nodes/{node_id}/links", "/api/v1/nodes/person-anna/links", None),
    ("GET", "/api/v1/nodes/lookup", "/api/v1/nodes/lookup?q=a&labels=Person", None),
    ("GET", "/api/v1/schema/forms", "/api/v1/schema/forms", None),
    ("GET", "/api/v1/challenges/open", "/api/v1/challenges/open", None),
    (
        "GET",
        "/api/v1/challenges/{challenge_id}/round",
        "/api/v1/challenges/challenge-last-mile/round",
        None,
    ),
    ("GET", "/api/v1/content/{content_id}/reach", "/api/v1/content/content-new/reach", None),
    ("GET", "/api/v1/feed", "/api/v1/feed?organisation=org-rmn", None),
    (
        "GET",
        "/api/v1/practices/{practice_id}/lineage",
        "/api/v1/practices/practice-mowin-lab/lineage",
        None,
    ),
    (
        "GET",
        "/api/v1/contacts/newsletter",
        "/api/v1/contacts/newsletter?purpose=newsletter",
        None,
    ),
    ("GET", "/api/v1/analytics/snapshots", "/api/v1/analytics/snapshots", None),
    ("GET", "/api/v1/analytics/introductions", "/api/v1/analytics/introductions", None),
    ("GET", "/api/v1/explorer/config", "/api/v1/explorer/config?lang=en", None),
    ("GET", "/api/v1/explorer/search", "/api/v1/explorer/search?q=a", None),
    ("GET", "/api/v1/explorer/view", "/api/v1/explorer/view", None),
    ("GET", "/api/v1/explorer/view", "/api/v1/explorer/view?focus=person-anna&hops=2", None),
    ("GET", "/api/v1/explorer/view", "/api/v1/explorer/view?topic=topic-mobility", None),
    (
        "GET",
        "/api/v1/explorer/view",
        "/api/v1/explorer/view?region=region-de73&labels=Organisation,Person",
        None,
    ),
    ("GET", "/api/v1/explorer/expand", "/api/v1/explorer/expand?id=org-rmn", None),
    (
        "GET",
        "/api/v1/explorer/expand",
        "/api/v1/explorer/expand?id=person-anna&rel=KNOWS&direction=out",
        None,
    ),
    (
        "POST",
        "/api/v1/explorer/tags",
        "/api/v1/explorer/tags",
        {"ids": ["org-rmn", "org-kassel-tech", "person-anna", "no-such-node"]},
    ),
    (
        "GET",
        "/api/v1/explorer/path",
        "/api/v1/explorer/path?source=person-anna&target=org-kassel-tech",
        None,
    ),
    (
        "GET",
        "/api/v1/explorer/path",
        "/api/v1/explorer/path?source=org-podkarpackie&target=topic-mobility&lang=en",
        None,
    ),
    ("GET", "/api/v1/explorer/nodes/{node_id}", "/api/v1/explorer/nodes/org-rmn", None),
    ("GET", "/api/v1/explorer/nodes/{node_id}", "/api/v1/explorer/nodes/person-anna", None),
    (
        "POST",
        "/api/v1/views",
        "/api/v1/views",
        {"name": "RMN und Umfeld", "params": "focus=org-rmn&hops=2"},
    ),
    ("GET", "/api/v1/views", "/api/v1/views", None),
    (
        "PATCH",
        "/api/v1/views/{view_id}",
        f"/api/v1/views/{SAVED_VIEW}",
        {"name": "RMN und Umfeld 2026"},
    ),
]


def test_every_json_route_declares_its_answer(client: TestClient) -> None:
    spec = client.app.openapi()  # type: ignore[attr-defined]
    untyped = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if (method.upper(), path) in UNTYPED:
                continue
            ok = [c for c in operation["responses"] if c.startswith("2")]
            schema = operation["responses"][ok[0]].get("content", {})
            schema = schema.get("application/json", {}).get("schema", {})
            if "$ref" not in schema and "items" not in schema:
                untyped.append(f"{method.upper()} {path}")
    assert not untyped, f"declare a model (api/models.py, typed(...)): {untyped}"


def test_real_answers_match_the_declared_models_for_every_role(
    small_store: GraphStore, client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    saved = client.post(
        "/api/v1/views",
        json={"name": "Kassel", "params": "focus=org-kassel-tech"},
        headers=keys["admin"],
    )
    assert saved.status_code == 201, saved.text
    answered: dict[str, list[str]] = {}
    for method, template, call, body in CALLS:
        path = call.replace(SAVED_VIEW, saved.json()["id"])
        operation = schema[template][method]
        for role, headers in keys.items():
            response = client.request(method, path, headers=headers, json=body)
            assert response.status_code < 500, (path, role, response.text[:300])
            if not 200 <= response.status_code < 300:
                continue  # a role that may not: its error body is checked elsewhere
            try:
                operation.validate_response(response)
            except Exception as exc:  # noqa: BLE001 - the message names the mismatch
                pytest.fail(f"{method} {path} as {role}: {str(exc)[:600]}")
            answered.setdefault(f"{method} {call}", []).append(role)
    missing = [f"{m} {p}" for m, _, p, _ in CALLS if f"{m} {p}" not in answered]
    assert not missing, f"no role got an answer to check: {missing}"
