"""Fixtures of the analytics tests: the real Nordhessen seed network, loaded once, and a small
hand-made network whose answers are known."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.store import GraphStore, open_store
from tests.support.analytics_graph import build_small


@pytest.fixture(scope="session")
def seeded(db_dir: Path) -> Iterator[GraphStore]:
    """The seed network, loaded once per session; tests must only read it."""
    from scaleup_graph.ingest import load_seed

    store = open_store(f"embedded://{db_dir}", graph=f"an_seed_{uuid.uuid4().hex[:8]}")
    load_seed(store)
    yield store
    store.clear()
    store.close()


@pytest.fixture
def small(store: GraphStore) -> GraphStore:
    build_small(store)
    return store
