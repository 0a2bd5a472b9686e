"""Each kind of refusal has its own exit code, through the real ``scaleup`` command.

A script that runs ``scaleup`` can tell "retry later" (7) from "fix your input" (4) from "no such
thing" (3) without reading the message; README's "Exit codes" lists them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaleup_graph.cli import app
from scaleup_graph.cli import common as cli_common
from scaleup_graph.errors import ScaleUpError
from tests.support.cli import scaleup
from tests.support.error_kinds import KINDS, Kind
from tests.support.falkordb_server import free_port

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize("kind", KINDS, ids=str)
def test_every_kind_exits_with_its_code_and_one_line(
    kind: Kind, monkeypatch: pytest.MonkeyPatch
) -> None:
    error, code = kind.error, kind.exit_code

    # the library refuses when the command opens the store; the CLI's one handler does the rest
    def refuse(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(cli_common, "open_store", refuse)
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: " + error.message), result.output
    if error.hint:
        assert error.hint in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_database_exits_7(tmp_path: Path) -> None:
    # a real refusal: nothing listens on a port that was just free
    env = {
        **os.environ,
        "SCALEUP_DATABASE_URL": f"falkordb://127.0.0.1:{free_port()}",
        "SCALEUP_STATE_DIR": str(tmp_path / "state"),
    }
    done = scaleup(env, "stats")
    assert done.returncode == 7, done.stderr
    assert "cannot reach the graph database" in done.stderr and "Traceback" not in done.stderr


def test_usage_errors_stay_2_and_success_is_0(store_env: dict[str, str]) -> None:
    assert scaleup(store_env, "stats", "--no-such-option").returncode == 2
    assert scaleup(store_env, "stats").returncode == 0


def test_the_readme_lists_every_exit_code() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("#### Exit codes") :].split("\n#", 1)[0]
    for kind, code in cli_common.EXIT_CODES.items():
        name = "refused as a whole" if kind is ScaleUpError else kind.__name__
        assert re.search(rf"\| `{code}` \|[^\n]*{name}", section), (kind.__name__, code)
