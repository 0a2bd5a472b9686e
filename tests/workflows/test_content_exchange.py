"""Scale-Up content exchange over HTTP on a graph built by hand, where every answer is known:
publishing, subscriptions, feed, shares, reach, the weekly digest and the newsletter export."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from scaleup_graph.api.audit import audit_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from tests.support.graphs import PROV, count, rel_count

#: org id -> (name, region); the publisher is in Kassel, the item travels to Attica and Lublin
ORGS = {
    "org-pub": ("Regionalmanagement Nordhessen GmbH", "region-de73"),
    "org-b": ("Kassel Tech GmbH", "region-de73"),
    "org-c": ("Attica Cluster", "region-el30"),
    "org-d": ("Lublin Park", "region-pl81"),
    "org-e": ("Elsewhere Ltd", "region-pl81"),
    "org-x": ("Unlinked GmbH", "region-de73"),
}
REGIONS = {
    "region-de73": ("Kassel", "DE73", "DE"),
    "region-el30": ("Αττική", "EL30", "EL"),
    "region-pl81": ("Lubelskie", "PL81", "PL"),
}


def _build(store: GraphStore) -> None:
    store.upsert_nodes(
        "Region",
        [NodeRow(i, {"name": n, "nuts_code": c, "country": k}) for i, (n, c, k) in REGIONS.items()],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Organisation", [NodeRow(i, {"name": n}) for i, (n, _) in ORGS.items()], provenance=PROV
    )
    store.upsert_relationships(
        "LOCATED_IN",
        "Organisation",
        "Region",
        [RelRow(i, r) for i, (_, r) in ORGS.items()],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Topic",
        [
            NodeRow(
                "topic-digitalisation", {"name": "Digitalisation", "name_de": "Digitalisierung"}
            ),
            NodeRow("topic-mobility", {"name": "Mobility", "name_de": "Mobilität"}),
        ],
        provenance=PROV,
    )


@pytest.fixture
def client(empty_client: TestClient, store: GraphStore) -> TestClient:
    _build(store)
    return empty_client


def _publish(client: TestClient, editor: dict[str, str], **extra: object) -> dict[str, object]:
    body = {
        "publisher": "org-pub",
        "kind": "study",
        "name": "Studie KI im Mittelstand",
        "topics": ["Digitalisierung"],
        "date": "2024-05-06",
        **extra,
    }
    response = client.post("/api/v1/content", headers=editor, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_reach_counts_receivers_hops_and_regions(
    client: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    editor = keys["editor"]
    cid = _publish(client, editor)["id"]

    def share(by: str, *targets: str, date: str = "2024-05-07") -> int:
        return client.post(
            f"/api/v1/content/{cid}/shares",
            headers=editor,
            json={"by": by, "with": list(targets), "date": date},
        ).status_code

    assert share("org-pub", "org-b", "org-c") == 200
    assert share("org-b", "org-d", date="2024-05-08") == 200
    assert share("org-c", "org-d", date="2024-05-09") == 200  # D again, by a second route
    assert share("org-d", "org-e", date="2024-05-10") == 200
    # X never got the item: refused, nothing stored
    before = rel_count(store)
    refused = client.post(
        f"/api/v1/content/{cid}/shares", headers=editor, json={"by": "org-x", "with": ["org-b"]}
    )
    assert refused.status_code == 409 and "neither published nor received" in refused.text
    assert (
        client.post(
            f"/api/v1/content/{cid}/shares", headers=editor, json={"by": "org-b", "with": ["org-b"]}
        ).status_code
        == 409
    )
    assert (
        client.post(
            f"/api/v1/content/{cid}/shares", headers=editor, json={"by": "org-b", "with": []}
        ).status_code
        == 422
    )
    assert rel_count(store) == before

    reach = client.get(f"/api/v1/content/{cid}/reach", headers=keys["viewer"]).json()
    hops = {r["id"]: r["hops"] for r in reach["receivers"]}
    assert hops == {"org-b": 1, "org-c": 1, "org-d": 2, "org-e": 3}
    assert reach["by_hops"] == {"1": 2, "2": 1, "3": 1} and reach["max_hops"] == 3
    d = next(r for r in reach["receivers"] if r["id"] == "org-d")
    assert d["first_date"] == "2024-05-08" and len(d["received_from"]) == 2
    regions = {r["id"]: sorted(r["receivers"]) for r in reach["regions"]}
    assert regions == {
        "region-de73": ["org-b"],
        "region-el30": ["org-c"],
        "region-pl81": ["org-d", "org-e"],
    }
    assert reach["countries"] == ["DE", "EL", "PL"]
    assert reach["unconnected"] == []


def test_publish_with_unknown_topic_or_kind_stores_nothing(
    client: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    editor = keys["editor"]
    before = (count(store, "ContentItem"), rel_count(store))
    bad_topic = client.post(
        "/api/v1/content",
        headers=editor,
        json={
            "publisher": "org-pub",
            "kind": "news",
            "name": "N",
            "topics": ["Mobility", "Raumfahrt"],
        },
    )
    assert bad_topic.status_code == 422
    message = bad_topic.json()["error"]["message"]
    assert "unknown topic(s) 'Raumfahrt'" in message and "Digitalisation" in message
    bad_kind = client.post(
        "/api/v1/content",
        headers=editor,
        json={"publisher": "org-pub", "kind": "podcast", "name": "N", "topics": ["Mobility"]},
    )
    assert bad_kind.status_code == 422 and "kind" in bad_kind.json()["error"]["message"]
    assert (
        client.post(
            "/api/v1/content",
            headers=keys["viewer"],
            json={"publisher": "org-pub", "kind": "news", "name": "N", "topics": ["Mobility"]},
        ).status_code
        == 403
    )
    assert (count(store, "ContentItem"), rel_count(store)) == before


def test_subscriptions_feed_and_weekly_digest(
    client: TestClient, store: GraphStore, keys: dict[str, dict[str, str]]
) -> None:
    editor, viewer = keys["editor"], keys["viewer"]
    # no subscriptions yet: the digest says how to subscribe
    empty = client.get("/api/v1/organisations/org-b/digest", headers=viewer)
    assert empty.status_code == 409
    assert "subscribes to no topic" in empty.json()["error"]["message"]
    nothing = client.put(
        "/api/v1/organisations/org-b/subscriptions", headers=editor, json={"topics": []}
    )
    assert nothing.status_code == 422 and "subscribing to nothing" in nothing.text
    assert rel_count(store) == 6  # only the LOCATED_IN links of the hand-built graph

    subscribed = client.put(
        "/api/v1/organisations/org-b/subscriptions",
        headers=editor,
        json={"topics": ["digitalisierung"]},
    )
    assert subscribed.json()["topics"] == [{"id": "topic-digitalisation", "name": "Digitalisation"}]
    _publish(client, editor, name="<b>KI</b> & Mittelstand", url="https://example.org/s")
    _publish(client, editor, kind="news", name="Mobilitätsnews", topics=["Mobility"])
    old = _publish(client, editor, kind="offer", name="Altes Angebot", date="2024-01-10")
    shared = client.post(
        f"/api/v1/content/{old['id']}/shares",
        headers=editor,
        json={"by": "org-pub", "with": ["org-b"], "date": "2024-05-08"},
    )
    assert shared.status_code == 200

    feed = client.get("/api/v1/feed", params={"organisation": "org-b"}, headers=viewer).json()
    names = [i["item"]["name"] for i in feed["items"]]
    assert names == ["Altes Angebot", "<b>KI</b> & Mittelstand"]  # shared 05-08, published 05-06
    assert feed["items"][0]["shared_by"][0]["id"] == "org-pub"
    assert feed["items"][1]["matched_topics"] == ["Digitalisation"]
    # one home: a feed item is the row GET /content (the named query content_feed) gives
    stream = client.get("/api/v1/content", headers=viewer).json()["items"]
    by_id = {row["item"]["id"]: row for row in stream}
    for entry in feed["items"]:
        row = {k: entry[k] for k in ("item", "published_by", "topics")}
        assert row == by_id[entry["item"]["id"]]

    text = client.get(
        "/api/v1/organisations/org-b/digest", params={"week_ending": "2024-05-12"}, headers=viewer
    )
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "Woche 2024-05-06 bis 2024-05-12" in text.text
    assert "<b>KI</b> & Mittelstand" in text.text and "Mobilitätsnews" not in text.text
    assert "geteilt von Regionalmanagement Nordhessen GmbH" in text.text
    page = client.get(
        "/api/v1/organisations/org-b/digest",
        params={"week_ending": "2024-05-12", "format": "html", "lang": "en"},
        headers=viewer,
    )
    assert page.headers["content-type"].startswith("text/html")
    assert "&lt;b&gt;KI&lt;/b&gt; &amp; Mittelstand" in page.text and "<b>KI" not in page.text
    assert '<a href="https://example.org/s">' in page.text and "Week 2024-05-06" in page.text
    quiet = client.get(
        "/api/v1/organisations/org-b/digest", params={"week_ending": "2024-03-01"}, headers=viewer
    )
    assert "Keine neuen Inhalte in dieser Woche." in quiet.text
    assert (
        client.get(
            "/api/v1/organisations/org-b/digest", params={"format": "pdf"}, headers=viewer
        ).status_code
        == 422
    )


def test_newsletter_export_only_consented_persons_and_audits_the_purpose(
    client: TestClient, store: GraphStore, keys: dict[str, dict[str, str]], api_settings: Settings
) -> None:
    store.upsert_nodes(
        "Person",
        [
            NodeRow(
                "person-yes",
                {
                    "name": "Anna Ja",
                    "email": "anna@example.org",
                    "consent": ["newsletter", "events"],
                },
            ),
            NodeRow(
                "person-other",
                {"name": "Bert Anders", "email": "bert@example.org", "consent": ["matchmaking"]},
            ),
            NodeRow("person-none", {"name": "Carla Nie", "email": "carla@example.org"}),
            NodeRow("person-nomail", {"name": "Dora Ohne", "consent": ["Newsletter"]}),
        ],
        provenance=PROV,
    )
    store.upsert_relationships(
        "WORKS_AT", "Person", "Organisation", [RelRow("person-yes", "org-b")], provenance=PROV
    )
    assert (
        client.get(
            "/api/v1/contacts/newsletter", params={"purpose": "newsletter"}, headers=keys["viewer"]
        ).status_code
        == 403
    )
    export = client.get(
        "/api/v1/contacts/newsletter", params={"purpose": "Newsletter"}, headers=keys["contacts"]
    ).json()
    assert export["contacts"] == [
        {
            "id": "person-yes",
            "name": "Anna Ja",
            "email": "anna@example.org",
            "organisations": [{"id": "org-b", "name": "Kassel Tech GmbH"}],
        }
    ]
    assert export["without_email"] == 1
    csv = client.get(
        "/api/v1/contacts/newsletter",
        params={"purpose": "newsletter", "format": "csv"},
        headers=keys["contacts"],
    )
    assert csv.text.splitlines() == [
        "id,name,email,organisations",
        "person-yes,Anna Ja,anna@example.org,Kassel Tech GmbH",
    ]
    bad = client.get(
        "/api/v1/contacts/newsletter", params={"purpose": "news letter!"}, headers=keys["contacts"]
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "purpose"

    log = audit_path(api_settings).read_text()
    entries = [json.loads(line) for line in log.splitlines()]
    exports = [e for e in entries if e["action"].startswith("newsletter_export purpose=")]
    assert exports[0]["action"] == "newsletter_export purpose=newsletter"
    assert exports[0]["subject_ids"] == ["person-yes"] and exports[0]["role"] == "contacts"
    for value in ("Anna Ja", "anna@example.org", "Dora"):
        assert value not in log
