"""Fixtures for the explorer library tests: the sample network in the test's own graph."""

from __future__ import annotations

import pytest

from scaleup_graph.store import GraphStore
from tests.support.sample_network import build_sample


@pytest.fixture
def sample(store: GraphStore) -> GraphStore:
    """The test's empty graph with the sample Nordhessen network written into it."""
    build_sample(store)
    return store
