"""Role by route: no personal value reaches a role without the contacts role, anywhere.

Every GET route, the named queries, error bodies and the audit log are searched for the small
graph's personal values (names, e-mails, phone numbers) as text.
"""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from scaleup_graph.queries import catalogue
from scaleup_graph.settings import Settings
from tests.support.graphs import PII_VALUES

Keys = dict[str, dict[str, str]]

VIEWER_READS = [
    ("/api/v1/organisations", {}),
    ("/api/v1/organisations", {"q": "Anna Beispiel"}),
    ("/api/v1/organisations/org-rmn", {}),
    ("/api/v1/organisations/org-rmn/contacts", {}),
    ("/api/v1/organisations/org-kassel-tech/contacts", {}),
    ("/api/v1/nodes/org-rmn/neighbourhood", {"hops": 3}),
    ("/api/v1/nodes/person-anna/neighbourhood", {"hops": 2}),
    ("/api/v1/paths", {"source": "person-anna", "target": "person-bernd"}),
    ("/api/v1/paths", {"source": "person-anna", "target": "org-podkarpackie"}),
    ("/api/v1/challenges", {}),
    ("/api/v1/challenges/challenge-last-mile/proposals", {}),
    ("/api/v1/partner-regions", {}),
    ("/api/v1/content", {}),
    ("/api/v1/queries", {}),
    # refused or failing requests: their error bodies count too
    ("/api/v1/persons/person-anna", {}),
    ("/api/v1/persons/person-anna/export", {}),
    ("/api/v1/organisations", {"limit": 10_000}),
    ("/api/v1/nodes/anna.beispiel@example.org/neighbourhood", {}),
]


def _leaks(text: str) -> list[str]:
    return [value for value in PII_VALUES if value in text]


def test_no_personal_value_reaches_a_viewer(
    client: TestClient, keys: Keys, api_settings: Settings
) -> None:
    viewer = keys["viewer"]
    for url, params in VIEWER_READS:
        response = client.get(url, params=params, headers=viewer)
        assert response.status_code < 500, url
        assert _leaks(response.text) == [], (url, response.status_code)
    for name, query in catalogue().items():
        params = {"id": "person-anna", "source": "person-anna", "target": "org-rmn"}
        wanted = {p.name: params[p.name] for p in query.params if p.name in params}
        response = client.post(f"/api/v1/queries/{name}", json={"params": wanted}, headers=viewer)
        assert response.status_code in (200, 403), name
        assert _leaks(response.text) == [], name
    cypher = client.post(
        "/api/v1/cypher", json={"query": "MATCH (p:Person) RETURN p"}, headers=viewer
    )
    assert cypher.status_code == 403 and _leaks(cypher.text) == []
    audit_log = api_settings.state_dir / "audit.jsonl"
    assert not audit_log.exists() or _leaks(audit_log.read_text()) == []


def test_viewer_responses_lack_personal_keys_not_just_values(
    client: TestClient, keys: Keys
) -> None:
    body = client.get(
        "/api/v1/nodes/person-anna/neighbourhood", params={"hops": 1}, headers=keys["viewer"]
    ).json()
    anna = next(n for n in body["nodes"] if n["id"] == "person-anna")
    assert {"name", "email", "phone"}.isdisjoint(anna)


def test_personal_reads_are_audited_without_personal_values(
    client: TestClient, keys: Keys, api_settings: Settings
) -> None:
    for role in ("contacts", "analyst", "admin"):
        response = client.get("/api/v1/organisations/org-rmn/contacts", headers=keys[role])
        assert "anna.beispiel@example.org" in response.text
    client.post(
        "/api/v1/cypher", json={"query": "MATCH (p:Person) RETURN p"}, headers=keys["analyst"]
    )
    client.get("/api/v1/persons/person-bernd", headers=keys["contacts"])
    lines = (api_settings.state_dir / "audit.jsonl").read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    assert [e["action"] for e in entries] == ["organisation_contacts"] * 3 + ["cypher", "person"]
    assert entries[0]["subject_ids"] == ["person-anna"]
    assert entries[3]["subject_ids"] == ["person-anna", "person-bernd"]
    # migrated ladder keys: the audit names the capabilities each one carries
    assert {e["role"] for e in entries} == {
        "contacts",
        "contacts+analyst",
        "contacts+analyst+editor+admin",
    }
    assert all(e["key_id"] and e["at"] for e in entries)
    assert _leaks("\n".join(lines)) == []
