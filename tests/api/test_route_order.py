"""No route is unreachable because one declared before it takes its requests."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from scaleup_graph.api.app import create_app, shadowed_routes
from scaleup_graph.settings import Settings


def test_no_route_of_the_api_is_shadowed(api_settings: Settings) -> None:
    assert shadowed_routes(create_app(api_settings)) == []


def test_a_parameter_route_declared_first_is_reported() -> None:
    # the trap named in issue 16: a new GET /challenges/{id} in one module, loaded before the
    # module that declares GET /challenges/open
    app = FastAPI()
    first, second = APIRouter(prefix="/api/v1"), APIRouter(prefix="/api/v1")
    first.get("/challenges/{challenge_id}")(lambda challenge_id: {"id": challenge_id})
    second.get("/challenges/open")(lambda: {"open": []})
    second.post("/challenges/{challenge_id}")(lambda challenge_id: {})  # other method: fine
    app.include_router(first)
    app.include_router(second)
    assert shadowed_routes(app) == [
        ("GET /api/v1/challenges/{challenge_id}", "GET /api/v1/challenges/open")
    ]
