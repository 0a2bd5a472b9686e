"""Fixtures of the ingest tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from scaleup_graph.store import GraphStore, open_store


@pytest.fixture
def second(db_url: str) -> Iterator[GraphStore]:
    """A second empty graph on the session's server, for the other side of a comparison."""
    s = open_store(db_url, graph=f"bulk_{uuid.uuid4().hex[:10]}")
    yield s
    s.clear()
    s.close()
