"""Fixtures of the ingest tests."""

from __future__ import annotations

import multiprocessing
import os
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


@pytest.fixture(autouse=True)
def reading_process_despite_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ingest forks its reading process only from a process that runs no other thread (a lock
    another thread holds would stay held in the child). The command line runs none; the test
    process runs other tests' threads (live API servers, the explorer's warm-up), none of whose
    locks the reading process touches: it reads files and writes a pipe. So here the reading
    process is forked where the machine has the cores for it, as the command would."""
    from scaleup_graph.ingest import prepare

    monkeypatch.setattr(
        prepare,
        "can_fork",
        lambda: (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods(),
    )
