"""The typed routes for the daily jobs, over HTTP against the embedded store."""

from __future__ import annotations

from fastapi.testclient import TestClient

Keys = dict[str, dict[str, str]]


def _names(response_json: dict) -> list[str]:
    return [item["name"] for item in response_json["items"]]


def test_search_is_case_and_accent_insensitive(client: TestClient, keys: Keys) -> None:
    for text in ("Koeln", "KÖLN", "köln", "stadtwerke koeln"):
        response = client.get("/api/v1/organisations", params={"q": text}, headers=keys["viewer"])
        assert response.status_code == 200
        assert _names(response.json()) == ["Stadtwerke Köln GmbH"], text


def test_search_by_topic_region_and_kind(client: TestClient, keys: Keys) -> None:
    viewer = keys["viewer"]
    by_topic = client.get(
        "/api/v1/organisations", params={"topic": "mobilitaet"}, headers=viewer
    ).json()
    assert sorted(_names(by_topic)) == ["Kassel Tech GmbH", "Stadtwerke Köln GmbH"]
    by_region = client.get(
        "/api/v1/organisations", params={"region": "DE73"}, headers=viewer
    ).json()
    assert sorted(_names(by_region)) == ["Kassel Tech GmbH", "Regionalmanagement Nordhessen GmbH"]
    partners = client.get(
        "/api/v1/organisations", params={"kind": "PartnerOrganisation"}, headers=viewer
    ).json()
    assert sorted(_names(partners)) == [
        "Podkarpackie Voivodeship",
        "Regionalmanagement Nordhessen GmbH",
    ]
    wrong_kind = client.get("/api/v1/organisations", params={"kind": "Spaceship"}, headers=viewer)
    assert wrong_kind.status_code == 422
    assert "kind" in wrong_kind.json()["error"]["message"]


def test_pagination_walks_all_rows_and_caps_the_page(client: TestClient, keys: Keys) -> None:
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = client.get(
            "/api/v1/organisations", params={"limit": 3, "offset": offset}, headers=keys["viewer"]
        ).json()
        seen += _names(page)
        offset = page["next_offset"]
    assert len(seen) == 4 == len(set(seen))
    too_big = client.get("/api/v1/organisations", params={"limit": 101}, headers=keys["viewer"])
    assert too_big.status_code == 422
    assert "limit" in too_big.json()["error"]["message"]


def test_organisation_detail_and_unknown_id(client: TestClient, keys: Keys) -> None:
    found = client.get("/api/v1/organisations/org-rmn", headers=keys["viewer"]).json()
    assert found["organisation"]["short_name"] == "RMN"
    assert {p["id"] for p in found["cooperates_with"]} == {"org-kassel-tech", "org-podkarpackie"}
    assert found["contacts"] == 1
    missing = client.get("/api/v1/organisations/org-nope", headers=keys["viewer"])
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_contacts_show_personal_fields_only_from_the_contacts_role(
    client: TestClient, keys: Keys
) -> None:
    url = "/api/v1/organisations/org-rmn/contacts"
    as_viewer = client.get(url, headers=keys["viewer"]).json()["items"][0]["person"]
    as_contacts = client.get(url, headers=keys["contacts"]).json()["items"][0]["person"]
    assert as_viewer["role"] == "Clusterleitung Mobilität"
    assert {"name", "email", "phone"}.isdisjoint(as_viewer)
    assert as_contacts["email"] == "anna.beispiel@example.org"


def test_neighbourhood_by_hops_and_labels(client: TestClient, keys: Keys) -> None:
    url = "/api/v1/nodes/org-stadtwerke-koeln/neighbourhood"
    one = client.get(url, params={"hops": 1}, headers=keys["viewer"]).json()
    two = client.get(url, params={"hops": 2}, headers=keys["viewer"]).json()
    ids_one = {n["id"] for n in one["nodes"]}
    ids_two = {n["id"] for n in two["nodes"]}
    assert ids_one == {"org-stadtwerke-koeln", "org-kassel-tech", "challenge-last-mile"}
    assert {"org-rmn", "person-bernd", "topic-mobility"} <= ids_two
    orgs_only = client.get(
        url, params={"hops": 3, "labels": ["Organisation"]}, headers=keys["viewer"]
    ).json()
    assert {n["id"] for n in orgs_only["nodes"]} == {
        "org-stadtwerke-koeln",
        "org-kassel-tech",
        "org-rmn",
        "org-podkarpackie",
    }
    assert {(r["start"], r["end"]) for r in orgs_only["relationships"]} == {
        ("org-rmn", "org-kassel-tech"),
        ("org-rmn", "org-podkarpackie"),
        ("org-stadtwerke-koeln", "org-kassel-tech"),
    }
    assert client.get(url, params={"hops": 4}, headers=keys["viewer"]).status_code == 422
    assert (
        client.get("/api/v1/nodes/org-nope/neighbourhood", headers=keys["viewer"]).status_code
        == 404
    )


def test_paths_between_two_actors_shortest_first(client: TestClient, keys: Keys) -> None:
    response = client.get(
        "/api/v1/paths",
        params={"source": "org-stadtwerke-koeln", "target": "org-podkarpackie"},
        headers=keys["viewer"],
    )
    paths = response.json()["paths"]
    assert paths[0]["hops"] == 3
    assert [n["id"] for n in paths[0]["path"]["nodes"]] == [
        "org-stadtwerke-koeln",
        "org-kassel-tech",
        "org-rmn",
        "org-podkarpackie",
    ]
    assert [p["hops"] for p in paths] == sorted(p["hops"] for p in paths)


def test_challenges_by_topic_and_status_and_their_proposals(client: TestClient, keys: Keys) -> None:
    viewer = keys["viewer"]
    published = client.get(
        "/api/v1/challenges", params={"status": "published", "topic": "Mobilitaet"}, headers=viewer
    ).json()["items"]
    assert [c["challenge"]["name"] for c in published] == ["Letzte Meile"]
    assert published[0]["posed_by"] == [
        {"id": "org-stadtwerke-koeln", "name": "Stadtwerke Köln GmbH"}
    ]
    assert published[0]["proposals"] == 1
    # challenges in draft are for editors and admins (issue 15, point 6)
    drafts = client.get("/api/v1/challenges", params={"status": "draft"}, headers=viewer).json()
    assert drafts["items"] == []
    editor = keys["editor"]
    drafts = client.get("/api/v1/challenges", params={"status": "draft"}, headers=editor).json()
    assert [c["challenge"]["id"] for c in drafts["items"]] == ["challenge-hr"]
    proposals = client.get(
        "/api/v1/challenges/challenge-last-mile/proposals", headers=viewer
    ).json()["items"]
    assert proposals[0]["proposal"]["name"] == "Lastenrad-Sharing"
    assert proposals[0]["proposed_by"][0]["id"] == "org-kassel-tech"


def test_partner_regions_and_transferred_practices(client: TestClient, keys: Keys) -> None:
    regions = client.get("/api/v1/partner-regions", headers=keys["viewer"]).json()["regions"]
    by_id = {r["region"]["id"]: r for r in regions}
    assert by_id["region-pl82"]["practices_received"] == [
        {"id": "practice-mowin-lab", "name": "MoWiN Innovation Lab"}
    ]
    assert by_id["region-de73"]["partners"][0]["id"] == "org-rmn"


def test_content_feed_newest_first_and_by_topic(client: TestClient, keys: Keys) -> None:
    feed = client.get("/api/v1/content", headers=keys["viewer"]).json()["items"]
    assert [i["item"]["id"] for i in feed] == ["content-new", "content-old"]
    assert feed[0]["published_by"][0]["id"] == "org-rmn"
    mobility = client.get(
        "/api/v1/content", params={"topic": "mobilität"}, headers=keys["viewer"]
    ).json()["items"]
    assert [i["item"]["id"] for i in mobility] == ["content-old"]


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/organisations" in paths and "/api/v1/cypher" in paths
