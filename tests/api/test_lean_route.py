"""The organisation detail's own parameter solving (api.lean.LeanRoute) answers exactly what
FastAPI's general solver answers: status, headers and body, for every role and every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api.lean import LeanRoute, lean_plan
from scaleup_graph.api.routes import organisations
from scaleup_graph.store import GraphStore
from tests.support.graphs import build_small_graph


def _unused() -> None:  # an override of it changes nothing but the solver FastAPI takes
    return None


def _answer(client: TestClient, path: str, headers: dict[str, str]) -> tuple[Any, ...]:
    answer = client.get(path, headers=headers)
    return answer.status_code, answer.headers.multi_items(), answer.content


REQUESTS: list[tuple[str, str]] = [
    ("/api/v1/organisations/org-kassel-tech", "viewer"),
    ("/api/v1/organisations/org-rmn", "contacts"),
    ("/api/v1/organisations/org-rmn", "analyst"),
    ("/api/v1/organisations/org-stadtwerke-koeln", "editor"),
    ("/api/v1/organisations/org-podkarpackie", "admin"),
    ("/api/v1/organisations/org-nobody", "viewer"),  # 404
    ("/api/v1/organisations/person-anna", "admin"),  # a person is no organisation
    ("/api/v1/organisations/K%C3%B6ln%20%27%22%3B", "viewer"),  # quoted text
    ("/api/v1/organisations/" + "x" * 300, "viewer"),  # 422
    ("/api/v1/organisations/org-rmn", ""),  # no key: 401
    ("/api/v1/organisations/org-rmn", "bad"),  # not a key: 401
    ("/api/v1/organisations/org-rmn", "bearer"),  # the other header
]


def _headers(keys: dict[str, dict[str, str]], who: str) -> dict[str, str]:
    if who == "":
        return {}
    if who == "bad":
        return {"X-API-Key": "sug_nothing_here"}
    if who == "bearer":
        return {"Authorization": "Bearer " + keys["viewer"]["X-API-Key"]}
    return keys[who]


def test_the_detail_takes_the_lean_path_and_answers_as_fastapi_does(
    store: GraphStore,
    make_client: Callable[[GraphStore | None], TestClient],
    keys: dict[str, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    build_small_graph(store)
    client = make_client(store)
    solved: list[str] = []
    general = fastapi.routing.solve_dependencies

    async def counting(**kwargs: Any) -> Any:
        solved.append(kwargs["request"].url.path)
        return await general(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    statuses = set()
    for path, who in REQUESTS:
        lean = _answer(client, path, _headers(keys, who))
        assert solved == [], "the detail went through FastAPI's general solver"
        client.app.dependency_overrides[_unused] = _unused  # type: ignore[attr-defined]
        try:
            full = _answer(client, path, _headers(keys, who))
        finally:
            client.app.dependency_overrides.clear()  # type: ignore[attr-defined]
        assert solved, "with an override set the general solver answers"
        solved.clear()
        assert lean == full, (path, who)
        statuses.add(lean[0])
    assert statuses == {200, 401, 404, 422}  # 422: an id longer than ids are


def test_only_routes_of_the_simple_shape_are_solved_by_hand() -> None:
    shapes = {
        (route.path, *sorted(route.methods)): lean_plan(route.dependant) is not None
        for route in organisations.router.routes
        if isinstance(route, LeanRoute)
    }
    assert shapes.pop(("/api/v1/organisations/{org_id}", "GET")) is True
    # query parameters (search), a page, a body: FastAPI validates them
    assert shapes and not any(shapes.values())
