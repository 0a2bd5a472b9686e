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
from scaleup_graph.store.falkordb import FalkorDBStore
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


def test_old_personal_values_in_the_history_reach_no_key_without_contacts(
    hard_client: TestClient, hard_settings: Settings, rich_store: GraphStore, tmp_path: Path
) -> None:
    """Issue 17's ``_History`` entries hold old values as JSON text. After a person's e-mail
    and phone were changed (and a KNOWS link made), the old values are in the main graph's
    history, but never in the redacted copy, the exports, the explorer or ad-hoc answers of a
    key without contacts, also not through unlabelled scans that never name ``_History``."""
    from scaleup_graph.analytics.exports import FORMATS, export_graph
    from scaleup_graph.visualisation.export import write_export

    keys = KeyStore(keys_path(hard_settings))
    editor = {"X-API-Key": keys.create(["editor", "contacts"])[1]}
    analyst = {"X-API-Key": keys.create(["analyst", "editor", "admin"])[1]}
    both = {"X-API-Key": keys.create(["analyst", "contacts", "editor"])[1]}
    viewer = {"X-API-Key": keys.create("viewer")[1]}
    new = {"email": "anna.neu@example.org", "phone": "+49 561 5550001"}
    edited = hard_client.put(
        "/api/v1/nodes/Person/person-anna",
        json={"version": 1, "properties": new},
        headers=editor,
    )
    assert edited.status_code == 200, edited.text
    old = [ANNA["email"], ANNA["phone"], "7654321", *new.values()]
    history = rich_store.read("MATCH (h:_History {node: 'person-anna'}) RETURN h.values AS v")
    assert any(ANNA["email"] in str(r["v"]) for r in history), "the test needs a history entry"
    unlabelled = (
        "MATCH (h) WHERE h.values IS NOT NULL RETURN h.values AS v, h.node AS n",
        "MATCH (h) WHERE h.values CONTAINS '@' RETURN count(h) AS n",
        "MATCH (n) RETURN properties(n) AS p",
        "MATCH (n) RETURN [k IN keys(n) | n[k]] AS vals",
        "MATCH (a)-[k]->(b) RETURN type(k) AS t, a.id AS a, b.id AS b",
    )
    for query in unlabelled:
        body = _ask(hard_client, analyst, query)
        text = json.dumps(body, ensure_ascii=False).casefold()
        assert not [v for v in old if v.casefold() in text], query
        assert "knows" not in text, query
    counted = _ask(hard_client, analyst, unlabelled[1])["rows"]
    assert counted == [{"n": 0}]
    # the redacted copy itself holds no history, no KNOWS and no personal property
    assert isinstance(rich_store, FalkorDBStore)
    rich_store.refresh_redacted_copy()
    copy = rich_store._wdb.select_graph(rich_store.redacted_name)  # type: ignore[union-attr]
    assert copy.query("MATCH (h:_History) RETURN count(h)").result_set == [[0]]
    assert copy.query("MATCH ()-[k:KNOWS]->() RETURN count(k)").result_set == [[0]]
    assert copy.query("MATCH (p:Person) WHERE p.email IS NOT NULL RETURN count(p)").result_set == [
        [0]
    ]
    # the same key with contacts reads the current values (so the test can fail)
    seen = json.dumps(_ask(hard_client, both, "MATCH (p:Person) RETURN p.email AS e"))
    assert new["email"] in seen
    # the node history for a viewer: fields named, values not
    shown = hard_client.get("/api/v1/nodes/person-anna/history", headers=viewer)
    assert shown.status_code == 200 and "email" in shown.text
    assert not [v for v in old if v.casefold() in shown.text.casefold()]
    # exports and the offline explorer for keys without contacts
    for role in ("viewer", "analyst+editor+admin"):
        texts = []
        for fmt in FORMATS:
            out = tmp_path / role / f"g.{fmt}"
            out.parent.mkdir(parents=True, exist_ok=True)
            written = export_graph(rich_store, fmt, out, role=role)
            texts += [Path(f).read_text(encoding="utf-8") for f in written["files"]]
        html = tmp_path / role / "x.html"
        write_export(rich_store, html, role=role)
        texts.append(html.read_text(encoding="utf-8"))
        text = "\n".join(texts)
        assert not [v for v in old if v.casefold() in text.casefold()], role
        assert "_History" not in text, role


def test_the_copy_cleans_up_only_what_a_write_touched(rich_store: GraphStore) -> None:
    """Point 3: a write naming persons by id redacts those persons by id (no scan of every
    person); a write that names no person leaves the copy's persons alone; a bulk write on
    persons without ids falls back to the full scan. Each leaves no personal value behind."""
    from scaleup_graph.store.falkordb import REDACT, clean_up

    assert isinstance(rich_store, FalkorDBStore)
    rich_store.refresh_redacted_copy()
    copy = rich_store._wdb.select_graph(rich_store.redacted_name)  # type: ignore[union-attr]

    def personal_in_copy() -> int:
        rows = copy.query(
            "MATCH (p:Person) WHERE p.name IS NOT NULL OR p.email IS NOT NULL "
            "OR p.phone IS NOT NULL OR p.description IS NOT NULL OR p.consent IS NOT NULL "
            "RETURN count(p)"
        ).result_set
        return int(rows[0][0])

    rows = [
        NodeRow(f"person-bulk-{i}", {"name": f"P {i}", "email": f"p{i}@x.org"}) for i in range(3)
    ]
    plan = clean_up(
        "UNWIND $rows AS row MERGE (n:Person {id: row.id})", {"rows": [{"id": r.id} for r in rows]}
    )
    assert [p["ids"] for _, p in plan] == [sorted(r.id for r in rows)]
    rich_store.upsert_nodes("Person", rows, provenance=PROV)
    assert personal_in_copy() == 0
    rich_store.write("MATCH (p:Person) SET p.description = 'bulk note'")
    assert len(clean_up("MATCH (p:Person) SET p.description = 'bulk note'", {})) == len(REDACT)
    assert personal_in_copy() == 0
    rich_store.write("MATCH (p:Person {id: 'person-bulk-1'})-[:KNOWS]-(x) RETURN x")
    assert personal_in_copy() == 0
