"""The ``scaleup`` command as a person uses it: help, version, exit codes, errors."""

from __future__ import annotations

import json
from pathlib import Path

from scaleup_graph import __version__
from scaleup_graph.store import GraphStore
from tests.support.cli import scaleup


def test_version_and_help(store_env: dict[str, str]) -> None:
    out = scaleup(store_env, "--version")
    assert out.returncode == 0 and __version__ in out.stdout
    helptext = scaleup(store_env, "--help").stdout
    for command in ("ingest", "ingest-cordis", "stats", "generate", "demo", "export"):
        assert command in helptext


def test_every_command_has_help_with_an_example(store_env: dict[str, str]) -> None:
    from scaleup_graph.cli import app

    missing = []
    for command in app.registered_commands:
        doc = (command.callback.__doc__ or "") if command.callback else ""
        if "Example" not in doc:
            missing.append(command.name or (command.callback.__name__ if command.callback else "?"))
    assert missing == [], f"commands without an example in their help: {missing}"


def test_ingest_exit_codes(store: GraphStore, store_env: dict[str, str], tmp_path: Path) -> None:
    good = tmp_path / "topics.csv"
    good.write_text("name\nMobilität\n")
    assert scaleup(store_env, "ingest", str(good), "--label", "Topic").returncode == 0
    bad = tmp_path / "orgs.csv"
    bad.write_text("id,name\norg-a,\n")
    result = scaleup(store_env, "ingest", str(bad), "--label", "Organisation", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["rejects"][0]["reason"] == "name is required but empty"
    usage = scaleup(store_env, "ingest", str(bad))  # a data file without --label
    assert usage.returncode == 4  # Invalid (README: exit codes)
    assert "--label" in usage.stderr and "Traceback" not in usage.stderr
    unknown = scaleup(store_env, "ingest", str(good), "--label", "Company")
    assert unknown.returncode == 4 and "unknown label 'Company'" in unknown.stderr


def test_stats_json_counts_what_was_ingested(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "t.csv").write_text("name\nA\nB\nC\n")
    scaleup(store_env, "ingest", str(tmp_path / "t.csv"), "--label", "Topic")
    counts = json.loads(scaleup(store_env, "stats", "--json").stdout)
    assert counts["nodes"]["Topic"] == 3
    assert counts["relationships"]["KNOWS"] == 0


def test_missing_file_is_one_clear_sentence(store_env: dict[str, str], tmp_path: Path) -> None:
    out = scaleup(store_env, "ingest", str(tmp_path / "nope.csv"), "--label", "Topic")
    assert out.returncode == 4  # the file cannot be read: Invalid
    assert "does not exist" in out.stderr and "Traceback" not in out.stderr
