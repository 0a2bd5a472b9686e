"""`make demo` prints one key per role, whole, so a stakeholder can copy it into the sign-in
dialog even in a narrow terminal (a table cut the keys to "sug_...…")."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from scaleup_graph.api import server
from scaleup_graph.settings import Settings


def test_demo_prints_every_key_whole_in_a_narrow_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        database_url=f"embedded://{tmp_path / 'db'}", state_dir=tmp_path, api_port=1
    )
    monkeypatch.setattr(server, "_port_in_use", lambda host, port: True)  # do not serve
    out = io.StringIO()
    server.serve_demo(settings, Console(file=out, width=60, force_terminal=False))
    keys = json.loads((tmp_path / server._DEMO_KEYS).read_text())
    printed = out.getvalue()
    for role, key in keys.items():
        line = next(x for x in printed.splitlines() if x.strip().startswith(role + " "))
        assert line.split()[-1] == key, (role, line)
