"""GDPR over HTTP and the CLI: export everything about a person, erase them for good."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from scaleup_graph.cli import app as cli_app
from scaleup_graph.graph_model import person_id
from scaleup_graph.ingest import IngestOptions, load_seed
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore

Keys = dict[str, dict[str, str]]


def test_admin_exports_everything_held_about_a_person(client: TestClient, keys: Keys) -> None:
    response = client.get("/api/v1/persons/person-anna/export", headers=keys["admin"])
    assert response.status_code == 200
    body = response.json()
    assert body["person"]["email"] == "anna.beispiel@example.org"
    links = {(r["type"], r["other_id"]) for r in body["relationships"]}
    assert links == {("WORKS_AT", "org-rmn"), ("KNOWS", "person-bernd")}
    # the other person's data is theirs, not part of this export
    assert "Bernd Muster" not in response.text


def test_erase_removes_the_person_and_writes_a_pii_free_audit_line(
    client: TestClient, keys: Keys, small_store: GraphStore, api_settings: Settings
) -> None:
    response = client.delete("/api/v1/persons/person-anna", headers=keys["admin"])
    assert response.status_code == 200
    assert response.json()["relationships_removed"] == 2
    assert small_store.existing_ids("Person", ["person-anna"]) == set()
    assert (
        client.get("/api/v1/persons/person-anna/export", headers=keys["admin"]).status_code == 404
    )
    assert client.delete("/api/v1/persons/person-anna", headers=keys["admin"]).status_code == 404
    log = (api_settings.state_dir / "audit.jsonl").read_text()
    entries = [json.loads(line) for line in log.splitlines()]
    assert entries[0]["action"] == "person_erase" and entries[0]["outcome"] == "erased"
    assert "Anna" not in log and "example.org" not in log


def test_an_editor_cannot_bring_an_erased_person_back(client: TestClient, keys: Keys) -> None:
    client.delete("/api/v1/persons/person-anna", headers=keys["admin"])
    again = client.post(
        "/api/v1/nodes/Person",
        json={"properties": {"name": "Anna Beispiel", "email": "anna.beispiel@example.org"}},
        headers=keys["editor"],
    )
    assert again.status_code == 409


def test_erase_survives_a_reimport_of_the_seed(
    seeded_store: GraphStore,
    make_client,
    keys: Keys,
    api_settings: Settings,  # type: ignore[no-untyped-def]
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    szogs = person_id("Dr. Astrid Szogs")
    assert seeded_store.existing_ids("Person", [szogs]) == {szogs}
    client = make_client(seeded_store)
    assert client.delete(f"/api/v1/persons/{szogs}", headers=keys["admin"]).status_code == 200
    report = load_seed(
        seeded_store,
        options=IngestOptions(
            state_dir=tmp_path / "reimport",
            suppression_salt=api_settings.suppression_salt.get_secret_value(),
            check_duplicates=False,
        ),
    )
    assert report.suppressed >= 1
    assert seeded_store.existing_ids("Person", [szogs]) == set()
    found = client.get(
        "/api/v1/organisations/org-regionalmanagement-nordhessen-gmbh/contacts",
        headers=keys["admin"],
    ).text
    assert "Szogs" not in found


def test_cli_erase_person(small_store: GraphStore, store_env: dict[str, str]) -> None:
    runner = CliRunner()
    result = runner.invoke(cli_app, ["erase-person", "person-bernd"], env=store_env)
    assert result.exit_code == 0, result.output
    assert small_store.existing_ids("Person", ["person-bernd"]) == set()
    again = runner.invoke(cli_app, ["erase-person", "person-bernd"], env=store_env)
    assert again.exit_code == 3 and "nothing erased" in again.output  # NotFound
    assert "nothing erased" in again.output
    audit = runner.invoke(cli_app, ["audit", "--json"], env=store_env)
    assert [e["outcome"] for e in json.loads(audit.output)] == ["erased", "not_found"]
