"""Fixtures for the explorer library tests: the sample network in the test's own graph."""

from __future__ import annotations

import pytest
from tests.support.sample_network import build_sample

from scaleup_graph.store import GraphStore


@pytest.fixture
def sample(store: GraphStore) -> GraphStore:
    """The test's empty graph with the sample Nordhessen network written into it."""
    build_sample(store)
    return store
