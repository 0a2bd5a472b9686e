"""Issue 15: the outside probe's findings F1, F6, F7 and the lower ones (point 8), and point 3's
refusal of the default secret.

- F1: person ids are keyed with the installation's secret: a list of guessed e-mails no longer
  recovers them, ingest keys given ids and references alike, and old ids are migrated.
- F6: editors cannot choose a Person's id; persons are created with a server-made id.
- Point 3: ``serve`` refuses the public default salt outside the demo and says how to set one.
- Point 8: security headers, a 1 MB body limit before the key check, errors that do not echo
  input, redirects that ignore the Host header.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from scaleup_graph.api.app import create_app
from scaleup_graph.api.guards import CSP
from scaleup_graph.api.server import check_secret
from scaleup_graph.errors import Invalid
from scaleup_graph.graph_model import KEYED_PERSON_ID, fold, keyed_person_id
from scaleup_graph.ingest import load_seed
from scaleup_graph.ingest.engine import IngestOptions
from scaleup_graph.queries.persons import migrate_person_ids
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from tests.hard.conftest import ALL
from tests.support.graphs import PROV

pytestmark = pytest.mark.hard


def _unkeyed(natural: str) -> str:
    """How ids were made before: an unsalted hash anyone can compute from a guess."""
    return "person-" + hashlib.sha256(fold(natural).encode()).hexdigest()[:16]


def test_person_ids_cannot_be_recovered_from_guessed_emails(
    store: GraphStore, tmp_path: Path
) -> None:
    load_seed(store, options=IngestOptions(state_dir=tmp_path, check_duplicates=False))
    rows = store.read(
        "MATCH (p:Person) WHERE p.email IS NOT NULL RETURN p.id AS id, p.email AS email"
    )
    assert len(rows) >= 50
    ids = {r["id"] for r in rows}
    assert all(KEYED_PERSON_ID.fullmatch(i) for i in ids)
    # the probe's attack: hash every guess and look it up among the visible ids
    guesses = [r["email"] for r in rows]
    assert not ids & {_unkeyed(g) for g in guesses}
    # relationships follow: every WORKS_AT and KNOWS starts at a keyed person id
    ends = store.read("MATCH (p:Person)-[r:WORKS_AT|KNOWS]-() RETURN DISTINCT p.id AS id LIMIT 500")
    assert ends and all(KEYED_PERSON_ID.fullmatch(r["id"]) for r in ends)
    # another installation secret gives other ids for the same people
    assert keyed_person_id(_unkeyed(guesses[0]), "other-secret") not in ids


def test_old_person_ids_are_migrated_with_their_links_and_erasures(store: GraphStore) -> None:
    store.upsert_nodes("Organisation", [NodeRow("org-a", {"name": "Firma A"})], provenance=PROV)
    old = _unkeyed("anna@example.org")
    store.upsert_nodes(
        "Person",
        [NodeRow(old, {"name": "Anna"}), NodeRow("person-anna@example.org", {"name": "B"})],
        provenance=PROV,
    )
    store.upsert_relationships(
        "WORKS_AT", "Person", "Organisation", [RelRow(old, "org-a")], provenance=PROV
    )
    store.add_suppressed([_unkeyed("gone@example.org")])
    assert migrate_person_ids(store) == 2
    assert migrate_person_ids(store) == 0  # idempotent
    ids = {r["id"] for r in store.read("MATCH (p:Person) RETURN p.id AS id")}
    assert ids == {keyed_person_id(old), keyed_person_id("person-anna@example.org")}
    assert not any("@" in i for i in ids)
    linked = store.read("MATCH (p:Person)-[:WORKS_AT]->(o) RETURN p.id AS id, o.id AS org")
    assert linked == [{"id": keyed_person_id(old), "org": "org-a"}]
    keyed_erased = keyed_person_id(_unkeyed("gone@example.org"))
    assert store.suppressed({keyed_erased}) == {keyed_erased}


def test_editors_cannot_choose_a_person_id(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]], rich_store: GraphStore
) -> None:
    editor = role_headers[ALL]
    before = rich_store.fingerprint()
    for chosen in ("person-evil", "zq@example.org"):
        response = hard_client.put(
            f"/api/v1/nodes/Person/{chosen}",
            json={"properties": {"name": "Eve"}, "version": 0},
            headers=editor,
        )
        assert response.status_code in (404, 422), response.text
        assert chosen not in response.text
    assert rich_store.fingerprint() == before
    created = hard_client.post(
        "/api/v1/nodes/Person",
        json={"properties": {"name": "Eva Neu", "email": "eva.neu@example.org", "role": "CTO"}},
        headers=editor,
    )
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    assert KEYED_PERSON_ID.fullmatch(new_id), new_id
    assert new_id != _unkeyed("eva.neu@example.org")
    again = hard_client.post(
        "/api/v1/nodes/Person",
        json={"properties": {"name": "Eva Neu", "email": "eva.neu@example.org"}},
        headers=editor,
    )
    assert again.status_code == 409


def test_serve_refuses_the_default_salt_outside_the_demo(tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path)
    with pytest.raises(Invalid, match="SCALEUP_SUPPRESSION_SALT") as refused:
        check_secret(settings, demo=False)
    assert "export SCALEUP_SUPPRESSION_SALT=" in str(refused.value)
    check_secret(settings, demo=True)
    check_secret(settings.model_copy(update={"suppression_salt": SecretStr("s3cret")}), demo=False)


def test_headers_body_limit_errors_and_redirects(
    hard_client: TestClient,
    hard_settings: Settings,
    rich_store: GraphStore,
    role_headers: dict[str, dict[str, str]],
) -> None:
    page = hard_client.get("/")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP.split("script-src")[1].split(";")[0]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    api = hard_client.get("/api/v1/organisations", headers=role_headers["viewer"])
    assert api.headers["x-content-type-options"] == "nosniff"
    # 10 MB are refused before the key is even looked at (no key sent)
    big = hard_client.post("/api/v1/cypher", content=b"x" * 10_000_000)
    assert big.status_code == 413 and "SCALEUP_MAX_BODY_BYTES" in big.text

    def chunks():  # no Content-Length: counted while it streams
        for _ in range(20):
            yield b"y" * 100_000

    streamed = hard_client.post("/api/v1/cypher", content=chunks(), headers=role_headers["analyst"])
    assert streamed.status_code == 413
    small = Settings(**{**hard_settings.model_dump(), "max_body_bytes": 100})
    with TestClient(create_app(small, rich_store)) as client:
        body = {"query": "RETURN 1 AS one, 'padding padding padding padding' AS p" * 3}
        assert client.post("/api/v1/cypher", json=body).status_code == 413
    # a slash redirect names no host, whatever Host the client sent
    redirect = hard_client.get(
        "/api/v1/organisations/",
        headers={**role_headers["viewer"], "Host": "evil.example"},
        follow_redirects=False,
    )
    assert redirect.status_code == 307
    assert redirect.headers["location"] == "/api/v1/organisations"
    # errors never echo input
    hostile = "zq.hostile@example.org"
    for url in (
        f"/api/v1/analytics/introductions?org={hostile}",
        f"/api/v1/analytics/snapshots/diff?a={hostile}&b=x",
        f"/api/v1/organisations/{hostile}",
    ):
        response = hard_client.get(url, headers=role_headers[ALL])
        assert response.status_code < 500, (url, response.text)
        assert hostile not in response.text, (url, response.text)


def test_cli_exports_are_audited(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from scaleup_graph.cli import app

    store.upsert_nodes(
        "Person",
        [NodeRow("person-anna", {"name": "Anna", "email": "a@example.org"})],
        provenance=PROV,
    )
    runner = CliRunner()
    for role in ("viewer", "analyst+contacts"):
        out = tmp_path / f"{role}.json"
        result = runner.invoke(app, ["export", "json", str(out), "--role", role])
        assert result.exit_code == 0, result.output
    lines = (Path(store_env["SCALEUP_STATE_DIR"]) / "audit.jsonl").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [(e["key_id"], e["action"], e["role"]) for e in entries] == [
        ("cli", "export:json", "viewer"),
        ("cli", "export:json", "contacts+analyst"),
    ]
    assert entries[0]["subject_ids"] == [] and entries[1]["subject_ids"] == ["person-anna"]
    assert "a@example.org" not in "\n".join(lines)


def test_viewers_see_no_drafts_no_knows_no_consent_no_free_text(
    hard_client: TestClient, role_headers: dict[str, dict[str, str]], rich_store: GraphStore
) -> None:
    rich_store.upsert_nodes(
        "Person",
        [NodeRow("person-anna", {"consent": ["newsletter"], "description": "Tel. 0561 555"})],
        provenance=PROV,
    )

    def get(role: str, url: str, **params: str) -> str:
        response = hard_client.get(url, params=params, headers=role_headers[role])
        assert response.status_code == 200, (role, url, response.text)
        return response.text

    for role in ("viewer", "analyst", "contacts"):
        assert "challenge-hr" not in get(role, "/api/v1/challenges", limit="100"), role
    for role in ("editor", "admin"):
        assert "challenge-hr" in get(role, "/api/v1/challenges", limit="100"), role
    for role in ("viewer", "analyst", "editor"):
        text = get(role, "/api/v1/nodes/person-anna/neighbourhood", hops="1")
        assert "person-bernd" in text or "org-rmn" in text  # the neighbourhood is there
        assert "KNOWS" not in text, role
        assert "newsletter" not in text and "0561 555" not in text, role
    assert "KNOWS" in get("contacts", "/api/v1/nodes/person-anna/neighbourhood", hops="1")


def test_the_openapi_lists_error_answers_and_csv(hard_app) -> None:  # type: ignore[no-untyped-def]
    paths = hard_app.openapi()["paths"]
    cypher = paths["/api/v1/cypher"]["post"]["responses"]
    assert {"401", "403", "422", "429", "503"} <= set(cypher)
    assert "application/json" in cypher["429"]["content"]
    person = paths["/api/v1/persons/{person_id}"]["get"]["responses"]
    assert {"401", "403", "404", "503"} <= set(person)
    assert "409" in paths["/api/v1/nodes/{label}"]["post"]["responses"]
    newsletter = paths["/api/v1/contacts/newsletter"]["get"]["responses"]["200"]["content"]
    assert "text/csv" in newsletter
