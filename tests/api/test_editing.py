"""Editors keep the network current over HTTP: create, edit with versions, delete with a
confirmation, link, history and undo; everything validated as ingest validates it."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow
from tests.support.graphs import ANNA, PROV

Keys = dict[str, dict[str, str]]


def _audit(settings: Settings) -> list[dict[str, Any]]:
    path = settings.state_dir / "audit.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_editor_creates_edits_and_the_version_counts_every_write(
    client: TestClient, keys: Keys, api_settings: Settings, small_store: GraphStore
) -> None:
    created = client.post(
        "/api/v1/nodes/Organisation",
        json={"properties": {"name": "Neue Firma GmbH", "kinds": ["SME"], "country": "DE"}},
        headers=keys["editor"],
    )
    assert created.status_code == 201, created.text
    made = created.json()
    assert made["id"] == "org-neue-firma-gmbh" and made["version"] == 1
    found = client.get(
        "/api/v1/organisations", params={"kind": "SME", "q": "neue firma"}, headers=keys["viewer"]
    ).json()["items"]
    assert [o["id"] for o in found] == ["org-neue-firma-gmbh"]
    url = "/api/v1/nodes/Organisation/org-neue-firma-gmbh"
    edited = client.put(
        url,
        json={"version": 1, "properties": {"name": "Neue Firma AG", "country": ""}},
        headers=keys["editor"],
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    assert edited.json()["properties"] == {"name": "Neue Firma AG", "kinds": ["SME"]}
    # an ingest-style write through the store bumps the version too
    small_store.upsert_nodes(
        "Organisation", [NodeRow("org-neue-firma-gmbh", {"city": "Kassel"})], provenance=PROV
    )
    record = client.get("/api/v1/nodes/org-neue-firma-gmbh/record", headers=keys["viewer"])
    assert record.json()["version"] == 3
    assert [e["outcome"] for e in _audit(api_settings)] == ["written", "written"]
    assert created.json()["id"] in _audit(api_settings)[0]["subject_ids"]


def test_a_stale_edit_is_refused_with_the_current_values_and_nothing_changes(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    url = "/api/v1/nodes/Organisation/org-kassel-tech"
    first = client.put(
        url, json={"version": 1, "properties": {"city": "Kassel"}}, headers=keys["editor"]
    )
    assert first.status_code == 200
    before = small_store.fingerprint()
    stale = client.put(
        url, json={"version": 1, "properties": {"city": "Baunatal"}}, headers=keys["admin"]
    )
    assert stale.status_code == 409
    error = stale.json()["error"]
    assert error["code"] == "stale_version"
    assert error["current"]["version"] == 2 and error["current"]["properties"]["city"] == "Kassel"
    assert small_store.fingerprint() == before


def test_a_stale_person_edit_shows_personal_values_only_to_keys_that_see_them(
    client: TestClient, keys: Keys
) -> None:
    url = "/api/v1/nodes/Person/person-anna"
    ok = client.put(url, json={"version": 1, "properties": {"role": "CEO"}}, headers=keys["editor"])
    assert ok.status_code == 200
    stale = client.put(
        url, json={"version": 1, "properties": {"role": "x"}}, headers=keys["editor"]
    )
    assert stale.json()["error"]["current"]["properties"]["email"] == ANNA["email"]
    viewer = client.get("/api/v1/nodes/person-anna/record", headers=keys["viewer"])
    assert viewer.status_code == 200 and viewer.json()["properties"] == {"role": "CEO"}
    for value in ANNA.values():
        assert value not in viewer.text


INVALID = [
    # (label, properties, field, words the message must contain)
    ("Organisation", {"city": "Kassel"}, "name", "required"),
    ("Region", {"name": "X", "level": "zwei"}, "level", "whole number"),
    ("Organisation", {"name": "X", "activity_type": "ABC"}, "activity_type", "one of"),
    ("Organisation", {"name": "X", "country": "DEU"}, "country", "longer than 2"),
    ("Organisation", {"name": "X", "website": "www.x.de"}, "website", "web address"),
    ("Person", {"name": "X Y", "email": "not-an-address"}, "email", "e-mail address"),
    ("Project", {"name": "X", "start_date": "31.02.2022"}, "start_date", "not a date"),
    ("Organisation", {"name": "X", "shoe_size": 44}, "shoe_size", "no property"),
    ("Organisation", {"name": "X", "source": "me"}, "source", "set by the system"),
]


def test_every_kind_of_invalid_field_gets_its_message_and_nothing_is_stored(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    before = small_store.fingerprint()
    for label, props, field, words in INVALID:
        response = client.post(
            f"/api/v1/nodes/{label}", json={"properties": props}, headers=keys["editor"]
        )
        assert response.status_code == 422, (label, props, response.text)
        error = response.json()["error"]
        messages = {p["field"]: p["message"] for p in error["problems"]}
        assert words in messages[field], (field, messages)
        assert error["field"] in messages
    many = client.put(
        "/api/v1/nodes/Organisation/org-rmn",
        json={"version": 1, "properties": {"name": "", "website": "nope", "country": "DEU"}},
        headers=keys["editor"],
    )
    assert many.status_code == 422
    assert {p["field"] for p in many.json()["error"]["problems"]} == {"name", "website", "country"}
    assert (
        "not-an-address"
        not in client.post(
            "/api/v1/nodes/Person",
            json={"properties": {"name": "X", "email": "not-an-address"}},
            headers=keys["editor"],
        ).text
    )
    assert small_store.fingerprint() == before
    unknown = client.post(
        "/api/v1/nodes/Spaceship", json={"properties": {}}, headers=keys["editor"]
    )
    assert unknown.status_code == 404 and "Organisation" in unknown.json()["error"]["message"]


GERMAN = {
    # field -> words the German message must contain (what is wrong and what to do)
    "name": "Pflichtfeld",
    "level": "ganze Zahl",
    "activity_type": "vorgesehenen Werte",
    "country": "höchstens 2 Zeichen",
    "website": "https://",
    "email": "name@beispiel.de",
    "start_date": "TT.MM.JJJJ",
    "shoe_size": "gibt es bei",
    "source": "vom System gesetzt",
}


def test_field_messages_come_in_the_requests_language(client: TestClient, keys: Keys) -> None:
    for i, (label, props, field, english) in enumerate(INVALID):
        # Accept-Language as a browser sends it, or ?lang= (which wins)
        asked: dict[str, Any] = (
            {"headers": {**keys["editor"], "Accept-Language": "de-DE,de;q=0.9,en;q=0.8"}}
            if i % 2
            else {"headers": {**keys["editor"], "Accept-Language": "en"}, "params": {"lang": "de"}}
        )
        response = client.post(f"/api/v1/nodes/{label}", json={"properties": props}, **asked)
        assert response.status_code == 422
        error = response.json()["error"]
        messages = {p["field"]: p["message"] for p in error["problems"]}
        assert GERMAN[field] in messages[field], (field, messages[field])
        assert english not in messages[field]
        assert {p["field"]: p["code"] for p in error["problems"]}[field]
        for value in props.values():  # never the value sent
            assert str(value) not in messages[field] or str(value) in ("X", "X Y")
        assert "bitte korrigieren" in error["message"]
    english = client.post(
        "/api/v1/nodes/Organisation",
        json={"properties": {"name": "X", "website": "www.x.de"}},
        headers={**keys["editor"], "Accept-Language": "fr, en;q=0.5"},
    ).json()["error"]
    assert english["problems"][0]["message"].startswith("is not a web address")
    # a workflow step's form speaks German too
    step = client.post(
        "/api/v1/challenges",
        json={"posed_by": "org-kassel-tech", "name": "x" * 600, "topics": ["Mobilität"]},
        headers={**keys["editor"], "Accept-Language": "de"},
    )
    assert step.status_code == 422
    assert step.json()["error"]["problems"][0]["field"] == "name"
    assert "höchstens 500 Zeichen" in step.json()["error"]["problems"][0]["message"]
    empty = client.post(
        "/api/v1/challenges",
        json={"posed_by": "org-kassel-tech", "name": " ", "topics": ["Mobilität"]},
        headers={**keys["editor"], "Accept-Language": "de"},
    ).json()["error"]
    assert empty["field"] == "name" and empty["message"] == "Name: Pflichtfeld: bitte ausfüllen."


def test_relationships_between_existing_nodes_with_history_on_both_ends(
    client: TestClient, keys: Keys
) -> None:
    body = {
        "start": "org-podkarpackie",
        "end": "org-stadtwerke-koeln",
        "properties": {"since": "01.02.2023"},
    }
    ok = client.post("/api/v1/relationships/COOPERATES_WITH", json=body, headers=keys["editor"])
    assert ok.status_code == 201, ok.text
    assert ok.json()["properties"] == {"since": "2023-02-01"}
    again = client.post("/api/v1/relationships/COOPERATES_WITH", json=body, headers=keys["editor"])
    assert again.status_code == 409
    wrong = client.post(
        "/api/v1/relationships/WORKS_AT",
        json={"start": "org-rmn", "end": "org-kassel-tech"},
        headers=keys["editor"],
    )
    assert wrong.status_code == 422 and "Person" in wrong.json()["error"]["message"]
    for end in ("org-podkarpackie", "org-stadtwerke-koeln"):
        entries = client.get(f"/api/v1/nodes/{end}/history", headers=keys["viewer"]).json()
        assert entries["entries"][0]["action"] == "link"
        assert entries["entries"][0]["relationship"]["type"] == "COOPERATES_WITH"
    gone = client.delete(
        "/api/v1/relationships/COOPERATES_WITH",
        params={"start": "org-podkarpackie", "end": "org-stadtwerke-koeln"},
        headers=keys["editor"],
    )
    assert gone.status_code == 200
    undo = client.post("/api/v1/nodes/org-podkarpackie/undo", headers=keys["editor"])
    assert undo.status_code == 200, undo.text
    coop = client.get("/api/v1/organisations/org-podkarpackie", headers=keys["viewer"]).json()
    assert "org-stadtwerke-koeln" in json.dumps(coop)


def test_history_newest_first_with_personal_values_only_for_keys_that_see_them(
    client: TestClient, keys: Keys
) -> None:
    url = "/api/v1/nodes/Person/person-anna"
    client.put(
        url,
        json={"version": 1, "properties": {"email": "anna@neu.example.org"}},
        headers=keys["editor"],
    )
    client.put(url, json={"version": 2, "properties": {"role": "Leitung"}}, headers=keys["editor"])
    seen = client.get("/api/v1/nodes/person-anna/history", headers=keys["contacts"]).json()
    # the two edits, then the import that made the node
    assert [e["fields"] for e in seen["entries"]][:2] == [["role"], ["email"]]
    assert [e["action"] for e in seen["entries"][2:]] == ["ingest:create"]
    assert seen["entries"][0]["at"] > seen["entries"][1]["at"]
    assert seen["entries"][1]["changes"][0] == {
        "field": "email",
        "personal": True,
        "old": ANNA["email"],
        "new": "anna@neu.example.org",
    }
    hidden = client.get("/api/v1/nodes/person-anna/history", headers=keys["viewer"])
    assert hidden.json()["entries"][1]["changes"][0] == {"field": "email", "personal": True}
    assert "example.org" not in hidden.text
    assert hidden.json()["entries"][0]["changes"][0]["new"] == "Leitung"


def test_undo_reverts_only_the_callers_own_last_change(
    client: TestClient, keys: Keys, api_settings: Settings
) -> None:
    url = "/api/v1/nodes/Organisation/org-rmn"
    client.put(url, json={"version": 1, "properties": {"city": "Kassel"}}, headers=keys["editor"])
    client.put(url, json={"version": 2, "properties": {"city": "Fulda"}}, headers=keys["admin"])
    theirs = client.post("/api/v1/nodes/org-rmn/undo", headers=keys["editor"])
    assert theirs.status_code == 409 and theirs.json()["error"]["code"] == "not_your_change"
    mine = client.post("/api/v1/nodes/org-rmn/undo", headers=keys["admin"])
    assert mine.status_code == 200
    assert mine.json()["node"]["properties"]["city"] == "Kassel"
    assert mine.json()["node"]["version"] == 4
    back = client.post("/api/v1/nodes/org-rmn/undo", headers=keys["editor"])
    assert back.status_code == 200
    assert "city" not in back.json()["node"]["properties"]
    entries = client.get("/api/v1/nodes/org-rmn/history", headers=keys["viewer"]).json()["entries"]
    assert [(e["action"], e["undone"]) for e in entries][:4] == [
        ("undo", False),
        ("undo", False),
        ("update", True),
        ("update", True),
    ]
    assert all(e["action"].startswith("ingest:") for e in entries[4:])  # the graph's import
    nothing = client.post("/api/v1/nodes/org-rmn/undo", headers=keys["editor"])
    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "nothing_to_undo"


def test_delete_names_what_goes_with_it_and_asks_first(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    url = "/api/v1/nodes/Organisation/org-podkarpackie"
    asked = client.delete(url, params={"version": 1}, headers=keys["editor"])
    assert asked.status_code == 409
    error = asked.json()["error"]
    assert error["code"] == "confirm_required"
    assert {(r["type"], r["other"]) for r in error["dependents"]["relationships"]} == {
        ("LOCATED_IN", "region-pl82"),
        ("COOPERATES_WITH", "org-rmn"),
    }
    assert small_store.existing_ids("Organisation", ["org-podkarpackie"])
    done = client.delete(url, params={"version": 1, "confirm": True}, headers=keys["editor"])
    assert done.status_code == 200 and done.json()["relationships_removed"] == 2
    assert not small_store.existing_ids("Organisation", ["org-podkarpackie"])


def test_a_person_is_erased_through_the_gdpr_path_not_deleted(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    url = "/api/v1/nodes/Person/person-anna"
    client.put(url, json={"version": 1, "properties": {"role": "CEO"}}, headers=keys["editor"])
    refused = client.delete(url, params={"version": 2}, headers=keys["editor"])
    assert refused.status_code == 403 and "erase" in refused.json()["error"]["message"]
    erased = client.delete(url, params={"version": 2}, headers=keys["admin"])
    assert erased.status_code == 200 and erased.json()["erased"] is True
    assert small_store.node_history("person-anna") == []  # the old values went too
    undo = client.post("/api/v1/nodes/person-anna/undo", headers=keys["admin"])
    assert undo.status_code == 404 and "cannot be undone" in undo.json()["error"]["message"]
    again = client.post("/api/v1/nodes/Person", json={"properties": ANNA}, headers=keys["editor"])
    assert again.status_code == 409 and again.json()["error"]["code"] == "erased"


def test_forms_come_from_the_schema_with_both_languages(client: TestClient, keys: Keys) -> None:
    forms = client.get("/api/v1/schema/forms", headers=keys["viewer"]).json()
    assert forms["caller"] == {
        "role": "viewer",
        "can_write": False,
        "can_erase": False,
        "sees_personal": False,
    }
    person = next(f for f in forms["nodes"] if f["label"] == "Person")
    email = next(f for f in person["fields"] if f["name"] == "email")
    assert email["personal"] and email["input"] == "email" and email["label"]["en"]
    challenge = next(f for f in forms["nodes"] if f["label"] == "Challenge")
    status = next(f for f in challenge["fields"] if f["name"] == "status")
    assert status["read_only"] and [c["value"] for c in status["choices"]][:2] == [
        "draft",
        "published",
    ]
    assert challenge["create"]["path"] == "/api/v1/challenges"
    org = next(f for f in forms["nodes"] if f["label"] == "Organisation")
    kinds = next(f for f in org["fields"] if f["name"] == "kinds")
    assert (
        kinds["input"] == "multiselect"
        and {"value": "SME", "de": "KMU", "en": "SME"} in kinds["choices"]
    )
    assert next(f for f in org["fields"] if f["name"] == "name")["required"] is True
    assert {"MEMBER_OF", "COOPERATES_WITH", "PARTNER_IN", "LOCATED_IN", "HAS_COMPETENCE"} <= {
        r["type"] for r in org["relationships"]
    }


def test_below_editor_writes_are_forbidden(client: TestClient, keys: Keys) -> None:
    for role in ("viewer", "contacts", "analyst"):
        response = client.post(
            "/api/v1/nodes/Organisation", json={"properties": {"name": "x"}}, headers=keys[role]
        )
        assert response.status_code == 403
        assert client.post("/api/v1/nodes/org-rmn/undo", headers=keys[role]).status_code == 403


def test_challenge_steps_are_in_the_history_and_a_step_can_be_undone(
    client: TestClient, keys: Keys
) -> None:
    drafted = client.post(
        "/api/v1/challenges",
        json={"posed_by": "org-kassel-tech", "name": "Abwärme nutzen", "topics": ["Mobilität"]},
        headers=keys["editor"],
    )
    assert drafted.status_code == 201, drafted.text
    cid = drafted.json()["id"]
    step = client.post(
        f"/api/v1/challenges/{cid}/transitions", json={"to": "published"}, headers=keys["editor"]
    )
    assert step.status_code == 200
    record = client.get(f"/api/v1/nodes/{cid}/record", headers=keys["viewer"]).json()
    assert record["version"] == 2
    entries = client.get(f"/api/v1/nodes/{cid}/history", headers=keys["viewer"]).json()["entries"]
    assert [e["action"] for e in entries] == ["step:challenge_published", "create"]
    assert {c["field"]: c["new"] for c in entries[0]["changes"]}["status"] == "published"
    undone = client.post(f"/api/v1/nodes/{cid}/undo", headers=keys["editor"])
    assert undone.status_code == 200, undone.text
    round_ = client.get(f"/api/v1/challenges/{cid}/round", headers=keys["editor"]).json()
    assert round_["status"] == "draft" and round_["published_at"] is None
    # back in draft, the challenge is hidden from viewers again (issue 15, point 6)
    assert client.get(f"/api/v1/challenges/{cid}/round", headers=keys["viewer"]).status_code == 404
    assert round_["next"] == ["published", "closed"]


def test_a_step_and_its_history_entry_are_one_write_statement(
    client: TestClient, keys: Keys, small_store: GraphStore, monkeypatch: Any
) -> None:
    """The step and its history entry land together: one statement changes the challenge and
    writes the entry, which carries the version that statement gave the node."""
    drafted = client.post(
        "/api/v1/challenges",
        json={"posed_by": "org-kassel-tech", "name": "Abwärme nutzen", "topics": ["Mobilität"]},
        headers=keys["editor"],
    ).json()
    cid = drafted["id"]
    sent: list[str] = []
    real_write = small_store.write

    def recording(query: str, params: Any = None, **kw: Any) -> Any:
        sent.append(query)
        return real_write(query, params, **kw)

    monkeypatch.setattr(small_store, "write", recording)
    step = client.post(
        f"/api/v1/challenges/{cid}/transitions", json={"to": "published"}, headers=keys["editor"]
    )
    assert step.status_code == 200, step.text
    assert len(sent) == 1 and "_History" in sent[0] and "c.status = $to" in sent[0]
    entries = client.get(f"/api/v1/nodes/{cid}/history", headers=keys["viewer"]).json()["entries"]
    record = client.get(f"/api/v1/nodes/{cid}/record", headers=keys["viewer"]).json()
    assert entries[0]["version"] == record["version"] == 2
    assert entries[0]["key_id"] and entries[0]["action"] == "step:challenge_published"


def test_history_is_not_reachable_through_ad_hoc_cypher(client: TestClient, keys: Keys) -> None:
    client.put(
        "/api/v1/nodes/Person/person-anna",
        json={"version": 1, "properties": {"email": "neu@example.org"}},
        headers=keys["editor"],
    )
    refused = client.post(
        "/api/v1/cypher",
        json={"query": "MATCH (h:_History) RETURN h.values AS v"},
        headers=keys["analyst"],
    )
    assert refused.status_code == 400
    nodes = client.post(
        "/api/v1/cypher", json={"query": "MATCH (n) RETURN n"}, headers=keys["analyst"]
    )
    assert nodes.status_code == 200 and "neu@example.org" in nodes.text  # the node itself
    assert ANNA["email"] not in nodes.text  # the old value lives only in the history


def test_forms_name_the_api_routes_only_through_the_api(client: TestClient, keys: Keys) -> None:
    from scaleup_graph.graph_model.forms import forms

    assert "/api/" not in json.dumps(forms())  # the schema's forms know no routes
    served = client.get("/api/v1/schema/forms", headers=keys["viewer"]).json()
    proposal = next(f for f in served["nodes"] if f["label"] == "Proposal")
    assert proposal["create"]["path"] == "/api/v1/challenges/{challenge}/proposals"
    assert proposal["create"]["fields"][0] == {**proposal["create"]["fields"][0], "in_path": True}
    person = next(f for f in served["nodes"] if f["label"] == "Person")
    assert person["delete"]["gdpr_erasure"] is True
    # every path a form names is a route of this API
    routes = [
        re.compile(re.sub(r"\{[^}]+\}", "[^/]+", path) + "$")
        for path in client.get("/openapi.json").json()["paths"]
    ]
    for form in served["nodes"] + served["relationships"]:
        for op in ("create", "update", "delete"):
            sent = re.sub(r"\{[^}]+\}", "x-1", form[op]["path"])
            assert any(r.match(sent) for r in routes), form[op]["path"]


def test_relationship_history_names_the_other_end_by_role(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    made = client.post(
        "/api/v1/relationships/WORKS_AT",
        json={"start": "person-anna", "end": "org-kassel-tech"},
        headers=keys["editor"],
    )
    assert made.status_code == 201, made.text
    client.post(
        "/api/v1/relationships/COOPERATES_WITH",
        json={"start": "org-kassel-tech", "end": "org-podkarpackie"},
        headers=keys["editor"],
    )
    url = "/api/v1/nodes/org-kassel-tech/history"
    seen = client.get(url, headers=keys["viewer"])
    links = [e["relationship"] for e in seen.json()["entries"] if "relationship" in e]
    assert [(r["type"], r["direction"], r["other"]["caption"]) for r in links] == [
        ("COOPERATES_WITH", "out", small_store.node_record("org-podkarpackie")[1]["name"]),  # type: ignore[index]
        ("WORKS_AT", "in", "Clusterleitung Mobilität"),  # the job title, not the name
    ]
    assert ANNA["name"] not in seen.text
    named = client.get(url, headers=keys["contacts"]).json()["entries"]
    assert named[1]["relationship"]["other"]["caption"] == ANNA["name"]
    # a deleted other end is still named by its id, marked as gone
    client.delete(
        "/api/v1/nodes/Organisation/org-podkarpackie",
        params={"version": 1, "confirm": True},
        headers=keys["editor"],
    )
    gone = client.get(url, headers=keys["viewer"]).json()["entries"]
    assert gone[0]["relationship"]["other"] == {
        "id": "org-podkarpackie",
        "label": None,
        "caption": "org-podkarpackie",
        "exists": False,
    }


def test_undo_of_a_delete_gives_back_the_relationships_to_nodes_that_still_exist(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    ed = keys["editor"]
    client.post(
        "/api/v1/nodes/Organisation", json={"properties": {"name": "Kurz GmbH"}}, headers=ed
    )
    client.post(
        "/api/v1/relationships/COOPERATES_WITH",
        json={
            "start": "org-podkarpackie",
            "end": "org-kurz-gmbh",
            "properties": {"since": "2022-03-01"},
        },
        headers=ed,
    )
    before = sorted(
        (r["type"], r["other"], json.dumps(r["props"], sort_keys=True))
        for r in small_store.node_relationships("Organisation", "org-podkarpackie")
    )
    assert len(before) == 3
    version = client.get("/api/v1/nodes/org-podkarpackie/record", headers=ed).json()["version"]
    done = client.delete(
        "/api/v1/nodes/Organisation/org-podkarpackie",
        params={"version": version, "confirm": True},
        headers=ed,
    )
    assert done.status_code == 200 and done.json()["relationships_removed"] == 3
    deleted = client.get("/api/v1/nodes/org-podkarpackie/history", headers=keys["viewer"])
    assert deleted.json()["entries"][0]["relationships_removed"] == 3
    # one end goes meanwhile: its link cannot come back
    client.delete("/api/v1/nodes/Organisation/org-kurz-gmbh", params={"version": 1}, headers=ed)
    undone = client.post("/api/v1/nodes/org-podkarpackie/undo", headers=ed)
    assert undone.status_code == 200, undone.text
    body = undone.json()
    assert body["relationships_restored"] == 2
    assert body["not_restored"] == [
        {
            "type": "COOPERATES_WITH",
            "direction": "out",
            "other": "org-kurz-gmbh",
            "other_caption": "Kurz GmbH",
        }
    ]
    after = sorted(
        (r["type"], r["other"], json.dumps(r["props"], sort_keys=True))
        for r in small_store.node_relationships("Organisation", "org-podkarpackie")
    )
    assert after == [x for x in before if x[1] != "org-kurz-gmbh"]  # properties and all


def test_a_delete_is_refused_when_a_relationship_came_since_it_was_read(
    client: TestClient, keys: Keys, small_store: GraphStore, monkeypatch: Any
) -> None:
    """The delete statement checks the number of relationships its history entry keeps, so a
    link made between the read and the delete is not lost without a trace."""
    real = small_store.node_relationships

    def then_a_link_arrives(label: str, node_id: str) -> list[dict[str, Any]]:
        found = real(label, node_id)
        small_store.write(
            "MATCH (a:Organisation {id: 'org-podkarpackie'}), (b:Organisation {id: 'org-rmn'}) "
            "CREATE (a)-[:MEMBER_OF]->(b)"
        )
        return found

    monkeypatch.setattr(small_store, "node_relationships", then_a_link_arrives)
    refused = client.delete(
        "/api/v1/nodes/Organisation/org-podkarpackie",
        params={"version": 1, "confirm": True},
        headers=keys["editor"],
    )
    assert refused.status_code == 409, refused.text
    assert small_store.existing_ids("Organisation", ["org-podkarpackie"])


def test_refused_writes_explain_themselves_in_the_requests_language(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    """The editor page is German: a stale edit, a delete that needs confirming and a step the
    round does not allow are explained in German there, in English to other clients."""
    german = {**keys["editor"], "Accept-Language": "de-DE,de;q=0.9"}
    url = "/api/v1/nodes/Organisation/org-kassel-tech"
    assert client.put(url, json={"version": 1, "properties": {"city": "Kassel"}}, headers=german)
    stale = client.put(url, json={"version": 1, "properties": {"city": "X"}}, headers=german)
    assert stale.status_code == 409
    assert stale.json()["error"]["message"].startswith("Jemand anderes hat diesen Eintrag")
    assert "Fassung 1" in stale.json()["error"]["message"]
    assert "Fassung 2" in stale.json()["error"]["message"]
    english = client.put(
        url, json={"version": 1, "properties": {"city": "X"}}, headers=keys["editor"]
    )
    assert english.json()["error"]["message"].startswith("this node was changed by someone else")

    asked = client.delete(
        "/api/v1/nodes/Organisation/org-podkarpackie", params={"version": 1}, headers=german
    )
    assert asked.json()["error"]["message"].startswith("Mit diesem Eintrag würden 2 Verbindung")

    drafted = client.post(
        "/api/v1/challenges",
        json={"posed_by": "org-kassel-tech", "name": "Kälte speichern", "topics": ["Mobilität"]},
        headers=german,
    )
    cid = drafted.json()["id"]
    before = small_store.fingerprint()
    step = client.post(
        f"/api/v1/challenges/{cid}/transitions", json={"to": "solved"}, headers=german
    )
    assert step.status_code == 409
    error = step.json()["error"]
    assert error["code"] == "conflict" and error["field"] == "to"
    assert error["message"] == (
        "Die Challenge ist „Entwurf“ und kann nicht zu „gelöst“ wechseln. "
        "Mögliche nächste Schritte: veröffentlicht, geschlossen."
    )
    assert small_store.fingerprint() == before
    proposal = client.post(
        f"/api/v1/challenges/{cid}/proposals",
        json={"organisation": "org-rmn", "name": "Eisspeicher"},
        headers=german,
    )
    assert proposal.status_code == 409, proposal.text
    assert "Lösungsvorschläge sind nur möglich" in proposal.json()["error"]["message"]
    client.post(f"/api/v1/challenges/{cid}/transitions", json={"to": "published"}, headers=german)
    pitch = client.post(
        f"/api/v1/challenges/{cid}/transitions", json={"to": "pitched"}, headers=german
    )
    assert pitch.status_code == 422 and pitch.json()["error"]["field"] == "event"
    assert pitch.json()["error"]["message"].startswith("Bitte die Pitch-Veranstaltung wählen")


def test_a_challenge_made_in_the_editor_is_a_draft_until_published(
    client: TestClient, keys: Keys, small_store: GraphStore
) -> None:
    """Issue 15: a challenge without status counts as published (imported from a sheet without
    the column), so one an editor makes through the generic form gets ``draft`` written, as
    the challenge's own create does: the viewer does not see it until it is published."""
    created = client.post(
        "/api/v1/nodes/Challenge",
        json={"properties": {"name": "Geheimer Plan"}},
        headers=keys["editor"],
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    rows = small_store.read("MATCH (c:Challenge {id: $id}) RETURN c.status AS s", {"id": cid})
    assert rows == [{"s": "draft"}]
    assert client.get(f"/api/v1/nodes/{cid}/record", headers=keys["viewer"]).status_code == 404
    assert client.get(f"/api/v1/nodes/{cid}/record", headers=keys["editor"]).status_code == 200
    panel = client.get(f"/api/v1/challenges/{cid}/round", headers=keys["editor"])
    assert panel.json()["status"] == "draft"
