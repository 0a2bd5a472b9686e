"""A full Open Innovation Challenge round over HTTP on the Nordhessen seed network: a synthetic
SME drafts a challenge, publishes it, real and synthetic actors propose, it is pitched at the
pitch event and solved; refusals on the way store nothing."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from scaleup_graph.api.audit import audit_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from tests.support.graphs import count, rel_count

POSER = "org-syn2021-000001"  # Fulando Logistik GmbH & Co. KG (synthetic SME, logistics)
SCIENCE_PARK = "org-science-park-kassel"  # a real actor of the press release
PITCH = "event-oic-pitch-2022"


def test_full_round_from_draft_to_solved(
    seeded_client: TestClient,
    seeded_store: GraphStore,
    keys: dict[str, dict[str, str]],
    api_settings: Settings,
) -> None:
    editor, viewer = keys["editor"], keys["viewer"]
    draft = seeded_client.post(
        "/api/v1/challenges",
        headers=editor,
        json={
            "posed_by": POSER,
            "name": "Digitale Tourenplanung für Lieferfahrten",
            "description": "Wir suchen Software, die unsere Touren und Lieferfenster plant.",
            "topics": ["Logistics", "Digitalisierung"],
            "date": "2022-03-01",
        },
    )
    assert draft.status_code == 201, draft.text
    challenge = draft.json()
    cid = challenge["id"]
    assert challenge["status"] == "draft" and challenge["next"] == ["published", "closed"]
    assert challenge["topics"] == ["Logistics", "Digitalisation"]

    # a viewer may look but not write
    assert (
        seeded_client.post(
            f"/api/v1/challenges/{cid}/transitions", headers=viewer, json={"to": "published"}
        ).status_code
        == 403
    )
    # out of order: straight to the pitch
    early = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions",
        headers=editor,
        json={"to": "pitched", "event": PITCH},
    )
    assert early.status_code == 409
    assert "'draft'" in early.json()["error"]["message"]
    assert "published" in early.json()["error"]["message"]
    # proposals only once published; nothing stored
    before = (count(seeded_store, "Proposal"), rel_count(seeded_store))
    too_soon = seeded_client.post(
        f"/api/v1/challenges/{cid}/proposals",
        headers=editor,
        json={"organisation": SCIENCE_PARK, "name": "Routing-Studie"},
    )
    assert too_soon.status_code == 409
    assert "only while a challenge is 'published'" in too_soon.json()["error"]["message"]
    assert (count(seeded_store, "Proposal"), rel_count(seeded_store)) == before

    published = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions",
        headers=editor,
        json={"to": "published", "date": "2022-03-10"},
    )
    assert published.status_code == 200, published.text
    assert published.json()["published_at"] == "2022-03-10"
    opened = seeded_client.get("/api/v1/challenges/open?topic=logistics", headers=viewer).json()
    assert [c["challenge"]["id"] for c in opened["challenges"]] == [cid]
    # one home: the same rows as the named query behind GET /challenges?status=published
    listed = seeded_client.get(
        "/api/v1/challenges", params={"topic": "logistics", "status": "published"}, headers=viewer
    ).json()["items"]
    assert listed == opened["challenges"]
    assert opened["by_topic"][0]["topic"]["name"] == "Logistics"

    # the matchmaking suggests providers; the best one and a real actor propose
    round_ = seeded_client.get(f"/api/v1/challenges/{cid}/round", headers=viewer).json()
    suggested = round_["suggested_providers"]
    assert suggested and all(m["id"] != POSER for m in suggested)
    assert "Logistics" in suggested[0]["matching_topics"]
    best = suggested[0]["id"]
    proposal_ids = []
    for org, title in ((best, "Tourenplanung als Dienst"), (SCIENCE_PARK, "Forschungskooperation")):
        made = seeded_client.post(
            f"/api/v1/challenges/{cid}/proposals",
            headers=editor,
            json={"organisation": org, "name": title, "date": "2022-04-02"},
        )
        assert made.status_code == 201, made.text
        proposal_ids.append(made.json()["id"])
    twice = seeded_client.post(
        f"/api/v1/challenges/{cid}/proposals",
        headers=editor,
        json={"organisation": best, "name": "Noch einmal"},
    )
    assert twice.status_code == 409 and "already proposed" in twice.json()["error"]["message"]
    own = seeded_client.post(
        f"/api/v1/challenges/{cid}/proposals",
        headers=editor,
        json={"organisation": POSER, "name": "Selbst gemacht"},
    )
    assert own.status_code == 409
    listed = seeded_client.get(f"/api/v1/challenges/{cid}/proposals", headers=viewer).json()
    assert sorted(p["proposal"]["id"] for p in listed["items"]) == sorted(proposal_ids)

    # pitched at the pitch event: the date defaults to the event's date
    pitched = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions",
        headers=editor,
        json={"to": "pitched", "event": PITCH},
    )
    assert pitched.status_code == 200, pitched.text
    assert pitched.json()["pitched_at"] == "2022-09-22"
    programme = seeded_client.get(f"/api/v1/events/{PITCH}/programme", headers=viewer).json()
    ours = [c for c in programme["challenges"] if c["id"] == cid]
    assert len(ours) == 1
    assert ours[0]["posers"] == [{"id": POSER, "name": "Fulando Logistik GmbH & Co. KG"}]
    assert sorted(p["id"] for p in ours[0]["proposals"]) == sorted(proposal_ids)
    assert {p["status"] for p in ours[0]["proposals"]} == {"pitched"}
    assert programme["total_challenges"] > 1  # the seed's own pitched challenges are there too
    late = seeded_client.post(
        f"/api/v1/challenges/{cid}/proposals",
        headers=editor,
        json={"organisation": "org-ihk-kassel-marburg", "name": "Zu spät"},
    )
    assert late.status_code == 409 and "'pitched'" in late.json()["error"]["message"]

    backwards = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions",
        headers=editor,
        json={"to": "solved", "date": "2022-09-01"},
    )
    assert backwards.status_code == 422 and backwards.json()["error"]["field"] == "date"
    solved = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions",
        headers=editor,
        json={"to": "solved", "date": "2022-10-15", "accepted": [proposal_ids[0]]},
    )
    assert solved.status_code == 200, solved.text
    final = seeded_client.get(f"/api/v1/challenges/{cid}/round", headers=viewer).json()
    assert final["status"] == "solved" and final["next"] == []
    assert [h["status"] for h in final["history"]] == ["draft", "published", "pitched", "solved"]
    assert [h["date"] for h in final["history"]] == [
        "2022-03-01",
        "2022-03-10",
        "2022-09-22",
        "2022-10-15",
    ]
    statuses = {p["proposal"]["id"]: p["proposal"]["status"] for p in final["proposals"]}
    paged = seeded_client.get(f"/api/v1/challenges/{cid}/proposals", headers=viewer).json()
    assert sorted(paged["items"], key=str) == sorted(final["proposals"], key=str)  # one shape
    assert statuses == {proposal_ids[0]: "accepted", proposal_ids[1]: "pitched"}
    # each proposal's own history says what the round did to it, newest first (issue 17)
    for pid, actions in (
        (proposal_ids[0], ["step:proposal_accepted", "step:proposal_pitched"]),
        (proposal_ids[1], ["step:proposal_pitched"]),
    ):
        entries = seeded_client.get(f"/api/v1/nodes/{pid}/history", headers=viewer).json()
        steps = [e for e in entries["entries"] if str(e["action"]).startswith("step:proposal_")]
        assert [e["action"] for e in steps] == actions
        record = seeded_client.get(f"/api/v1/nodes/{pid}/record", headers=viewer).json()
        assert steps[0]["version"] == record["version"]
        assert {c["field"]: c["new"] for c in steps[0]["changes"]}["status"] == (
            "accepted" if len(actions) == 2 else "pitched"
        )
    assert final["pitched_at_events"][0]["id"] == PITCH
    reopened = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions", headers=editor, json={"to": "published"}
    )
    assert reopened.status_code == 409 and "round is over" in reopened.json()["error"]["message"]

    entries = [json.loads(line) for line in audit_path(api_settings).read_text().splitlines()]
    actions = [(e["action"], e["outcome"]) for e in entries if cid in e["subject_ids"]]
    assert ("challenge_published", "ok") in actions
    assert ("challenge_solved", "ok") in actions
    assert ("challenge_pitched", "refused:conflict") in actions


def test_proposal_to_a_closed_challenge_is_refused(
    seeded_client: TestClient, seeded_store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    editor = keys["editor"]
    cid = seeded_client.post(
        "/api/v1/challenges",
        headers=editor,
        json={"posed_by": POSER, "name": "Lagerflächen teilen", "topics": ["topic-logistics"]},
    ).json()["id"]
    closed = seeded_client.post(
        f"/api/v1/challenges/{cid}/transitions", headers=editor, json={"to": "closed"}
    )
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    before = (count(seeded_store, "Proposal"), rel_count(seeded_store))
    refused = seeded_client.post(
        f"/api/v1/challenges/{cid}/proposals",
        headers=editor,
        json={"organisation": SCIENCE_PARK, "name": "Idee"},
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["message"].startswith(f"challenge {cid} is 'closed'")
    assert (count(seeded_store, "Proposal"), rel_count(seeded_store)) == before


def test_bad_drafts_are_refused_with_nothing_stored(
    seeded_client: TestClient, seeded_store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    editor = keys["editor"]
    before = (count(seeded_store, "Challenge"), rel_count(seeded_store))
    cases = {
        "unknown topic": (
            {"posed_by": POSER, "name": "X", "topics": ["Quantenkochen"]},
            422,
            "unknown topic(s) 'Quantenkochen'",
        ),
        "no topic": ({"posed_by": POSER, "name": "X", "topics": []}, 422, "topics is empty"),
        "unknown poser": (
            {"posed_by": "org-nope", "name": "X", "topics": ["Logistics"]},
            404,
            "no Organisation with this id",
        ),
        "empty name": (
            {"posed_by": POSER, "name": " ", "topics": ["Logistics"]},
            422,
            "name is required",
        ),
        "bad date": (
            {"posed_by": POSER, "name": "X", "topics": ["Logistics"], "date": "31.02.22"},
            422,
            "YYYY-MM-DD",
        ),
    }
    for case, (body, status, message) in cases.items():
        response = seeded_client.post("/api/v1/challenges", headers=editor, json=body)
        assert response.status_code == status, case
        assert message in response.json()["error"]["message"], case
        assert "Traceback" not in response.text
    assert (count(seeded_store, "Challenge"), rel_count(seeded_store)) == before
    unknown_to = seeded_client.post(
        "/api/v1/challenges/challenge-syn2021-00001/transitions",
        headers=editor,
        json={"to": "reopened"},
    )
    assert unknown_to.status_code == 422 and "to" in unknown_to.json()["error"]["message"]
    missing = seeded_client.post(
        "/api/v1/challenges/challenge-nope/transitions", headers=editor, json={"to": "published"}
    )
    assert missing.status_code == 404
    no_event = seeded_client.post(
        "/api/v1/challenges/challenge-syn2021-00001/transitions",
        headers=editor,
        json={"to": "published", "date": "2022-06-01"},
    )
    assert no_event.status_code == 200
    pitch_without_event = seeded_client.post(
        "/api/v1/challenges/challenge-syn2021-00001/transitions",
        headers=editor,
        json={"to": "pitched"},
    )
    assert pitch_without_event.status_code == 422
    assert pitch_without_event.json()["error"]["field"] == "event"


def test_a_drafted_challenge_is_found_like_an_imported_one(
    seeded_client: TestClient, seeded_store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    cid = seeded_client.post(
        "/api/v1/challenges",
        headers=keys["editor"],
        json={"posed_by": POSER, "name": "Kühlware bündeln", "topics": ["topic-logistics"]},
    ).json()["id"]
    # the store's write path made its search keys: found without the umlauts, as typed
    hits = seeded_client.get(
        "/api/v1/explorer/search", params={"q": "kuehlware"}, headers=keys["editor"]
    ).json()
    assert cid in {h["id"] for h in hits}
    # ... by editors: a challenge in draft is not shown to a viewer (issue 15, point 6)
    hidden = seeded_client.get(
        "/api/v1/explorer/search", params={"q": "kuehlware"}, headers=keys["viewer"]
    ).json()
    assert cid not in {h["id"] for h in hidden}
    stored = seeded_store.node_properties("Challenge", [cid])[cid]
    assert stored["source"].startswith("workflow:") and stored["version"] == 1
