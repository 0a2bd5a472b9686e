"""The rooms of src/scaleup_graph import only the rooms below them (docs/design.md).

Every ``import scaleup_graph.<room>`` and ``from scaleup_graph.<room> import ...`` is read from
the source, also inside functions; a room may import itself, the package root
(``__version__``), and the rooms listed here.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "scaleup_graph"
BASE = {"errors", "settings"}
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "settings": set(),
    "graph_model": {"errors"},
    "store": BASE | {"graph_model"},
    "ingest": BASE | {"graph_model", "store"},
    "queries": BASE | {"graph_model", "store"},
    "analytics": BASE | {"graph_model", "store", "queries"},
    "visualisation": BASE | {"graph_model", "store", "queries", "analytics"},
    "workflows": BASE | {"graph_model", "store", "queries", "analytics"},
    "api": BASE
    | {"graph_model", "store", "ingest", "queries", "analytics", "visualisation", "workflows"},
    "cli": BASE
    | {"graph_model", "store", "ingest", "queries", "analytics", "visualisation", "workflows"}
    | {"api"},
    "__main__": {"cli"},
}


def _room(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else path.stem


def _imported_rooms(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "scaleup_graph" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_every_room_imports_only_rooms_below_it() -> None:
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        room = _room(path)
        if room == "__init__":
            continue
        assert room in ALLOWED, f"{room} is a new room: add it to docs/design.md and ALLOWED"
        for target in _imported_rooms(path) - {room} - ALLOWED[room]:
            wrong.append(f"{path.relative_to(PACKAGE)} imports scaleup_graph.{target}")
    assert wrong == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    upward = tmp_path / "bad.py"
    upward.write_text("def f():\n    from scaleup_graph.api.app import create_app\n")
    assert _imported_rooms(upward) == {"api"}
    assert "api" not in ALLOWED["graph_model"]
