"""A served app moves what its start made out of the garbage collector's reach (api.server:
``frozen_after_start``), so full collections do not walk FastAPI's and the libraries' objects
on every request's time; the app still opens the store in its start and answers."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api.app import create_app
from scaleup_graph.api.server import frozen_after_start
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test session collects as before


def test_the_start_freezes_and_the_app_answers(
    api_settings: Settings, seeded_store: GraphStore, keys: Keys, unfrozen: None
) -> None:
    app = frozen_after_start(create_app(api_settings))
    assert gc.get_freeze_count() == 0
    with TestClient(app) as client:  # the lifespan runs: store opened, then the freeze
        assert gc.get_freeze_count() > 10_000
        assert app.state.store is not None
        answer = client.get("/api/v1/organisations?q=kassel", headers=keys["viewer"])
        assert answer.status_code == 200, answer.text
        assert answer.json()["items"]
