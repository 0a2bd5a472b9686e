"""The shell faces: scaleup query, keys and audit."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from scaleup_graph.cli import app
from scaleup_graph.store import GraphStore

runner = CliRunner()


def test_query_runs_a_named_query_as_json(
    small_store: GraphStore, store_env: dict[str, str]
) -> None:
    result = runner.invoke(
        app, ["query", "search_organisations", "-p", "q=koeln", "--json"], env=store_env
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.output)] == ["org-stadtwerke-koeln"]
    hops = runner.invoke(
        app,
        [
            "query",
            "neighbourhood",
            "-p",
            "id=org-rmn",
            "-p",
            "hops=2",
            "-p",
            "labels=Organisation,Region",
            "--json",
        ],
        env=store_env,
    )
    ids = {n["id"] for n in json.loads(hops.output)[0]["nodes"]}
    assert ids == {
        "org-rmn",
        "org-kassel-tech",
        "org-podkarpackie",
        "org-stadtwerke-koeln",
        "region-de73",
        "region-pl82",
    }


def test_query_bad_input_is_one_clear_line_and_its_kinds_exit_code(
    small_store: GraphStore, store_env: dict[str, str]
) -> None:
    unknown = runner.invoke(app, ["query", "nope"], env=store_env)
    assert unknown.exit_code == 3 and "search_organisations" in unknown.output  # NotFound
    wrong = runner.invoke(
        app, ["query", "neighbourhood", "-p", "id=x", "-p", "hops=many"], env=store_env
    )
    assert wrong.exit_code == 4 and "hops" in wrong.output  # Invalid
    assert "Traceback" not in wrong.output
    personal = runner.invoke(
        app, ["query", "organisation_contacts", "-p", "id=org-rmn", "--json"], env=store_env
    )
    assert "anna.beispiel@example.org" not in personal.output  # viewer by default


def test_keys_create_list_and_revoke(store_env: dict[str, str]) -> None:
    created = runner.invoke(app, ["keys", "create", "--role", "analyst", "--json"], env=store_env)
    key = json.loads(created.output)
    listed = json.loads(runner.invoke(app, ["keys", "list", "--json"], env=store_env).output)
    assert [(k["key_id"], k["role"]) for k in listed] == [(key["key_id"], "analyst")]
    assert key["key"] not in json.dumps(listed)
    bad = runner.invoke(app, ["keys", "create", "--role", "superuser"], env=store_env)
    assert bad.exit_code == 4 and "viewer" in bad.output  # Invalid, as for exports
    assert runner.invoke(app, ["keys", "revoke", key["key_id"]], env=store_env).exit_code == 0
    assert json.loads(runner.invoke(app, ["keys", "list", "--json"], env=store_env).output) == []
