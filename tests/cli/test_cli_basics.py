"""The ``scaleup`` command as a person uses it: help, version, exit codes, errors."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from scaleup_graph import __version__
from scaleup_graph.cli.commands import COMMANDS, EXPORT_COMMANDS
from scaleup_graph.cli.lazy import load_commands
from scaleup_graph.store import GraphStore
from tests.support.cli import scaleup

CLI_DIR = Path(__file__).resolve().parents[2] / "src" / "scaleup_graph" / "cli"


def test_version_and_help(store_env: dict[str, str]) -> None:
    out = scaleup(store_env, "--version")
    assert out.returncode == 0 and __version__ in out.stdout
    helptext = scaleup(store_env, "--help").stdout
    for command in ("ingest", "ingest-cordis", "stats", "generate", "demo", "export"):
        assert command in helptext


def _every_command() -> dict[str, Any]:
    """Every runnable command by its full name (``keys list``, ``export html``), loaded from the
    modules the command index names."""
    found: dict[str, Any] = {}

    def walk(name: str, command: Any) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for sub, child in subcommands.items():
                walk(f"{name} {sub}", child)
        elif name != "export":  # its formats come from EXPORT_COMMANDS
            found[name] = command

    for prefix, table in (("", COMMANDS), ("export ", EXPORT_COMMANDS)):
        for name, entry in table.items():
            walk(prefix + name, load_commands(entry.module, entry.register)[name])
    return found


def test_every_command_has_help_with_an_example() -> None:
    commands = _every_command()
    assert {"ingest", "keys list", "export html", "challenge draft"} <= set(commands)
    missing = [name for name, command in commands.items() if "Example" not in (command.help or "")]
    assert missing == [], f"commands without an example in their help: {missing}"


def test_the_command_index_names_every_command_with_its_help() -> None:
    """``scaleup --help`` prints the index without importing the modules: every command the
    topic modules register is in it, with the first paragraph of its own help."""
    topic_modules = {f"scaleup_graph.cli.{p.stem}" for p in CLI_DIR.glob("*_cmds.py")}
    for table in (COMMANDS, EXPORT_COMMANDS):
        places = {(entry.module, entry.register) for entry in table.values()}
        registered = {name for module, fn in places for name in load_commands(module, fn)}
        assert registered == set(table)
        for name, entry in table.items():
            command = load_commands(entry.module, entry.register)[name]
            first_paragraph = inspect.cleandoc(command.help or "").split("\n\n")[0]
            assert entry.summary == " ".join(first_paragraph.split()), name
    listed = {entry.module for table in (COMMANDS, EXPORT_COMMANDS) for entry in table.values()}
    assert listed == topic_modules


_IMPORTED = """
import sys
from scaleup_graph.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("imported:", *sorted(m for m in sys.modules if m.startswith(("scaleup_graph", "numpy"))))
"""


def _imported(env: dict[str, str], *args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _IMPORTED, *args], env=env, capture_output=True, text=True
    )
    last = out.stdout.splitlines()[-1]
    assert last.startswith("imported:"), out.stdout + out.stderr
    return set(last.split()[1:])


def test_help_and_light_commands_import_only_their_own_module(
    store_env: dict[str, str],
) -> None:
    helptext = scaleup(store_env, "--help").stdout
    for name in COMMANDS:
        assert f" {name} " in helptext
    topics = {f"scaleup_graph.cli.{p.stem}" for p in CLI_DIR.glob("*_cmds.py")}
    # keys list needs the roles (graph_model.roles), not the store, the queries or the HTTP app
    light = ("scaleup_graph.analytics", "scaleup_graph.visualisation", "scaleup_graph.api.app")
    storeless = (*light, "scaleup_graph.store", "scaleup_graph.ingest", "scaleup_graph.queries")
    for args, own, heavy in (
        (["--help"], set(), storeless),
        (["keys", "list"], {"scaleup_graph.cli.api_cmds"}, storeless),
    ):
        imported = _imported(store_env, *args)
        assert "scaleup_graph.cli.common" in imported, args
        assert imported & topics == own, args
        assert not [m for m in imported if m.startswith(heavy)], args
        assert "numpy" not in imported, args


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


def test_a_mistyped_command_names_the_closest_ones(store_env: dict[str, str]) -> None:
    # the commands' modules are not loaded yet, the suggestion still knows every command
    for args, closest in ((["stat"], "'stats'"), (["export", "jsn", "x.json"], "'json'")):
        out = scaleup(store_env, *args)
        assert out.returncode == 2 and f"Did you mean {closest}" in out.stderr, out.stderr
