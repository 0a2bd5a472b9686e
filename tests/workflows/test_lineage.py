"""Best-practice lineage over HTTP on the seed network (facts from the press release)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_mowin_lab_presented_in_nordhessen_and_transferred_to_greece_and_poland(
    seeded_client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    body = seeded_client.get(
        "/api/v1/practices/practice-mowin-innovation-lab/lineage", headers=keys["viewer"]
    ).json()
    assert body["practice"]["name"] == "MoWiN Innovation Lab"
    presenters = {(p["id"], p["label"]) for p in body["presented_by"]}
    assert presenters == {("org-mowin-net-e-v", "Organisation"), ("region-de73", "Region")}
    transfers = [(t["nuts_code"], t["country"], t["phase"]) for t in body["transferred_to"]]
    assert transfers == [("EL30", "EL", "Umsetzungsphase"), ("PL81", "PL", "Umsetzungsphase")]
    assert body["inspired"] == [] and body["modelled_on"] == []


def test_lazio_practice_inspired_the_nordhessen_open_innovation_challenge(
    seeded_client: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    body = seeded_client.get(
        "/api/v1/practices/practice-open-innovation-challenge-lazio-innova/lineage",
        headers=keys["viewer"],
    ).json()
    assert [p["id"] for p in body["presented_by"] if p["label"] == "Organisation"] == [
        "org-lazio-innova"
    ]
    assert body["inspired"] == [
        {
            "id": "project-open-innovation-challenge-nordhessen",
            "name": "Open Innovation Challenge Nordhessen",
            "depth": 1,
            "label": "Project",
        }
    ]
    missing = seeded_client.get("/api/v1/practices/practice-nope/lineage", headers=keys["viewer"])
    assert missing.status_code == 404
    assert "no BestPractice with this id" in missing.json()["error"]["message"]
    assert seeded_client.get("/api/v1/practices/practice-nope/lineage").status_code == 401
