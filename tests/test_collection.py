"""Any combination of test folders collects in one pytest call.

Under ``--doctest-modules`` pytest imports every ``conftest.py`` by its module name; two folders
without ``__init__.py`` each holding a ``conftest.py`` (tests/contract and tests/visualisation
did) then clash as the one module ``conftest`` and ``pytest tests/contract tests/visualisation``
stopped at collection. Every folder under tests/ that holds Python files is a package.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts}
    missing = sorted(str(f.relative_to(TESTS)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, f"add an empty __init__.py to: {', '.join(missing)}"


def test_two_folders_with_a_conftest_collect_together() -> None:
    # the pair that clashed; collect only (nothing runs)
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"),
            *(str(TESTS / d) for d in ("contract", "visualisation", "browser")),
        ],
        capture_output=True,
        text=True,
        cwd=TESTS.parent,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "error" not in done.stdout.lower().splitlines()[-1]


def test_only_the_shared_helper_starts_a_live_server() -> None:
    # tests/support/live_server.py is the one place that runs uvicorn for a test; a copy of
    # it drifts (it took a port outside SCALEUP_TEST_PORTS, forgot the lifespan, ...)
    starters = sorted(
        str(p.relative_to(TESTS))
        for p in TESTS.rglob("*.py")
        if p.parent.name != "support"
        and p.name != Path(__file__).name
        and "uvicorn.Server(" in p.read_text(encoding="utf-8")
    )
    assert not starters, f"use tests.support.live_server.serve in: {', '.join(starters)}"


def _imports_across_test_modules(source: str, folder: tuple[str, ...]) -> list[str]:
    """What a test module in ``folder`` (parts under tests/) imports that it must not: a private
    name (``_x``) of another module under tests/ outside tests/support/, or another folder's
    ``conftest``."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or node.level != 0 or not node.module:
            continue
        parts = node.module.split(".")
        if parts[0] != "tests" or parts[1:2] == ["support"]:
            continue
        if parts[-1] == "conftest" and tuple(parts[1:-1]) != folder:
            wrong.append(f"{node.module} (another folder's conftest)")
        wrong += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    return wrong


def test_no_test_imports_another_test_modules_private_helpers() -> None:
    # shared helpers live in tests/support/ (docs/design.md, "Tests"): a private helper of
    # another test module changes under its importer's feet
    wrong = {
        str(p.relative_to(TESTS)): found
        for p in sorted(TESTS.rglob("test_*.py"))
        if (
            found := _imports_across_test_modules(
                p.read_text(encoding="utf-8"), p.relative_to(TESTS).parts[:-1]
            )
        )
    }
    assert not wrong, f"move these to tests/support/: {wrong}"


def test_the_import_check_sees_a_private_helper_and_a_foreign_conftest() -> None:
    source = (
        "from tests.hard.test_adhoc_views import copy_contents, _private\n"
        "from tests.hard.conftest import ALL\n"
        "from tests.conftest import REPO\n"
        "from tests.support.graphs import _x\n"
        "def f():\n    from tests.store.test_x import _y\n"
    )
    assert _imports_across_test_modules(source, ("hard",)) == [
        "tests.hard.test_adhoc_views._private",
        "tests.conftest (another folder's conftest)",
        "tests.store.test_x._y",
    ]
