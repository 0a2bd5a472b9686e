"""Killing an ingest's reading process (ingest/prepare.py) from a test."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from typing import Any

import pytest


def kill_the_reading_process(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """The reading process (a fork: it has this patch) kills itself with SIGKILL when it
    comes to the relationships; the test's own process reads them as before. Returns what
    puts the reading back."""
    from scaleup_graph.ingest.engine import _Run

    real = _Run.relationship_batches
    parent = os.getpid()

    def killed(self: Any, *args: Any) -> Any:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, *args)

    monkeypatch.setattr(_Run, "relationship_batches", killed)
    return lambda: monkeypatch.setattr(_Run, "relationship_batches", real)
