"""Issue 15, point 1, F5 and point 3: capabilities that combine, keys verified from memory, and
ad-hoc queries of keys without contacts that cannot see or infer a personal value.

An analyst without contacts runs ad-hoc Cypher on the store's redacted copy, where personal
properties do not exist: returning them, ``properties(p)``, ``p{.*}``, ``collect(p.email)``,
and the oracles ``WHERE p.email STARTS WITH ...`` and ``ORDER BY p.name`` all give nothing
away. The same key with contacts sees the values (so the test can fail).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, env_entry, keys_path
from scaleup_graph.queries.persons import erase_person
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow
from tests.support.graphs import ANNA, BERND, PII_VALUES, PROV

pytestmark = pytest.mark.hard

ORACLES = (
    "MATCH (p:Person) RETURN p",
    "MATCH (p:Person) RETURN p.email AS e, p.name AS n, p.phone AS t",
    "MATCH (p:Person) RETURN properties(p) AS props",
    "MATCH (p:Person) RETURN p{.*} AS m",
    "MATCH (p:Person) RETURN collect(p.email) AS all",
    "MATCH (p:Person) RETURN p.id AS id ORDER BY p.name",
    "MATCH (p:Person) WITH p ORDER BY p.email RETURN collect(p.id) AS ids",
    "MATCH (p:Person) WHERE p.email STARTS WITH 'anna' RETURN p.id AS id",
    "MATCH (p:Person) WHERE p.name CONTAINS 'Anna' RETURN count(p) AS n",
    "MATCH (p:Person) RETURN size(p.name) AS len, left(p.email, 3) AS head",
    "MATCH (p:Person) RETURN [k IN keys(p) | p[k]] AS values",
)


def _ask(client: TestClient, headers: dict[str, str], query: str) -> dict[str, object]:
    response = client.post("/api/v1/cypher", json={"query": query}, headers=headers)
    assert response.status_code == 200, (query, response.text)
    body: dict[str, object] = response.json()
    return body


def test_an_analyst_without_contacts_cannot_see_or_infer_personal_values(
    hard_client: TestClient, hard_settings: Settings
) -> None:
    keys = KeyStore(keys_path(hard_settings))
    analyst = {"X-API-Key": keys.create("analyst")[1]}
    both = {"X-API-Key": keys.create(["analyst", "contacts"])[1]}
    for query in ORACLES:
        text = json.dumps(_ask(hard_client, analyst, query), ensure_ascii=False).casefold()
        leaked = [v for v in PII_VALUES if v.casefold() in text]
        assert not leaked, (query, leaked)
    # The oracles have nothing to bite on: no person matches, counts are 0.
    assert _ask(hard_client, analyst, ORACLES[7])["rows"] == []
    assert _ask(hard_client, analyst, ORACLES[8])["rows"] == [{"n": 0}]
    # With contacts the same queries see the values.
    seen = json.dumps(_ask(hard_client, both, ORACLES[1]), ensure_ascii=False)
    assert ANNA["email"] in seen and BERND["phone"] in seen
    assert {"id": "person-anna"} in _ask(hard_client, both, ORACLES[7])["rows"]  # type: ignore[operator]


def test_the_redacted_copy_follows_every_write(
    hard_client: TestClient, hard_settings: Settings, rich_store: GraphStore
) -> None:
    analyst = {"X-API-Key": KeyStore(keys_path(hard_settings)).create("analyst")[1]}
    query = "MATCH (p:Person {id: 'person-new'}) RETURN p.role AS role, p.name AS name"
    assert _ask(hard_client, analyst, query)["rows"] == []
    rich_store.upsert_nodes(
        "Person",
        [NodeRow("person-new", {"name": "Zora Neu", "email": "zora@example.org", "role": "CTO"})],
        provenance=PROV,
    )
    assert _ask(hard_client, analyst, query)["rows"] == [{"role": "CTO", "name": None}]
    rich_store.erase_node("person-new")
    assert _ask(hard_client, analyst, query)["rows"] == []


def test_nobody_reads_the_suppression_list_through_cypher(
    hard_client: TestClient, hard_settings: Settings, rich_store: GraphStore
) -> None:
    everything = {
        "X-API-Key": KeyStore(keys_path(hard_settings)).create(
            ["analyst", "contacts", "editor", "admin"]
        )[1]
    }
    salt = hard_settings.suppression_salt.get_secret_value()
    report = erase_person(rich_store, "person-anna", salt)
    assert report.erased and report.suppressed_identifiers >= 3
    for query in (
        "MATCH (n) WHERE any(l IN labels(n) WHERE NOT l IN ['Organisation', 'Person']) "
        "RETURN labels(n) AS l, properties(n) AS p",
        "MATCH (n) WHERE n.hash IS NOT NULL RETURN n.hash AS h",
        "MATCH (n) WHERE size(keys(n)) = 1 RETURN n",
    ):
        rows = _ask(hard_client, everything, query)["rows"]
        assert not any("hash" in json.dumps(r) or "_Suppressed" in json.dumps(r) for r in rows)
    # ... and ingest and editors still find it
    assert rich_store.suppressed({"person-anna"}) == {"person-anna"}


def test_keys_combine_migrate_and_come_from_the_environment(
    hard_settings: Settings, rich_store: GraphStore, tmp_path: Path
) -> None:
    path = keys_path(hard_settings)
    store = KeyStore(path)
    record, old_key = store.create("analyst")
    # A keys file from before capabilities: one role of the old ladder.
    legacy = [{**record.to_json(), "role": "analyst"}]
    del legacy[0]["roles"]
    path.write_text(json.dumps(legacy))
    env_store = KeyStore(tmp_path / "other.json")
    env_record, env_key = env_store.create(["analyst", "contacts"])
    settings = hard_settings.model_copy(update={"api_keys": env_entry(env_record)})
    with TestClient(create_app(settings, rich_store)) as client:
        person = client.get("/api/v1/persons/person-anna", headers={"X-API-Key": old_key})
        assert person.status_code == 200, "a migrated analyst keeps the contacts it had"
        assert json.loads(path.read_text())[0]["roles"] == ["viewer", "contacts", "analyst"]
        from_env = client.get("/api/v1/persons/person-anna", headers={"X-API-Key": env_key})
        assert from_env.status_code == 200
        # a new key in the file works at once; a revoked one stops at once (no restart)
        _, new_key = KeyStore(path).create("viewer")
        assert (
            client.get("/api/v1/organisations", headers={"X-API-Key": new_key}).status_code == 200
        )
        assert (
            client.get("/api/v1/persons/person-anna", headers={"X-API-Key": new_key}).status_code
            == 403
        )
        KeyStore(path).revoke(record.key_id)
        assert (
            client.get("/api/v1/organisations", headers={"X-API-Key": old_key}).status_code == 401
        )
        # exact comparison: padding is not the key
        for padded in (f" {new_key}", f"{new_key} ", f"{new_key}\t", new_key.upper()):
            response = client.get("/api/v1/organisations", headers={"X-API-Key": padded})
            assert response.status_code == 401, repr(padded)
        bearer = client.get(
            "/api/v1/organisations", headers={"Authorization": f"Bearer  {new_key}"}
        )
        assert bearer.status_code == 401
