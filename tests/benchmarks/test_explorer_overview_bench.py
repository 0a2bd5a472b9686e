"""bench/explorer_overview.py stops the API it started when what follows the start fails: its
second store (another process's connection to the database) did not open, and the API's child
process, holding the database server, was left running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from bench import explorer_overview

from scaleup_graph.store import StoreError


def test_the_api_it_started_is_stopped_when_its_second_store_does_not_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[subprocess.Popen[bytes]] = []

    def start(script: str, args: list[str], port: int) -> subprocess.Popen[bytes]:
        del script, args, port  # a child that serves until it is stopped, as the API does
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
        started.append(child)
        return child

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setattr(explorer_overview, "start", start)
    monkeypatch.setattr(explorer_overview, "DB_DIR", blocker / "db")  # cannot be created
    rows: dict[str, dict[str, float]] = {}
    checks: dict[str, Any] = {}
    try:
        with pytest.raises(StoreError, match="not writable"):
            explorer_overview._measure("S", 1, tmp_path, {}, rows, checks)
        assert [child.poll() is not None for child in started] == [True]
    finally:
        for child in started:
            if child.poll() is None:
                child.kill()
                child.wait()
