"""Challenge matchmaking: ranked providers with matching topics and an introduction path."""

from __future__ import annotations

import pytest

from scaleup_graph.analytics import AnalyticsError
from scaleup_graph.analytics.matchmaking import match_challenge
from scaleup_graph.errors import NotFound
from scaleup_graph.store import GraphStore


def test_small_network_match_explains_topic_and_trusted_path(small: GraphStore) -> None:
    result = match_challenge(small, "challenge-x")
    assert result.challenge["topics"] == ["Logistics"]
    assert result.challenge["posed_by"] == ["org-sme-a"]
    best = result.matches[0]
    assert best.id == "org-sme-c"
    assert best.matching_topics == ["Logistics"]
    # Alpha -> IHK (trusted) -> Beta -> project -> Gamma
    assert [h["id"] for h in best.path] == [
        "org-sme-a",
        "org-ihk",
        "org-sme-b",
        "project-p",
        "org-sme-c",
    ]
    assert best.via_trusted == ["IHK Test"]
    assert "covers 1 of 1 challenge topics (Logistics)" in best.explanation
    assert "via trusted IHK Test" in best.explanation
    assert all(m.id != "org-sme-a" for m in result.matches)  # not the poser itself


def test_seed_challenge_ranks_providers_that_hold_its_topics(seeded: GraphStore) -> None:
    challenge = seeded.read(
        "MATCH (c:Challenge)-[:CONCERNS]->(t:Topic) RETURN c.id AS id, collect(t.name) AS topics "
        "ORDER BY c.id LIMIT 1"
    )[0]
    result = match_challenge(seeded, challenge["id"], top=5)
    assert len(result.matches) == 5
    assert result.matches[0].matching_topics
    assert set(result.matches[0].matching_topics) <= set(challenge["topics"])
    scores = [m.score for m in result.matches]
    assert scores == sorted(scores, reverse=True)
    assert any(m.path for m in result.matches)
    text = repr(result.as_dict())
    for row in seeded.read("MATCH (p:Person) RETURN p.name AS name LIMIT 20"):
        assert row["name"] not in text


def test_unknown_challenge_and_bad_weights(small: GraphStore) -> None:
    with pytest.raises(NotFound, match="no challenge with this id"):
        match_challenge(small, "challenge-nope")
    with pytest.raises(AnalyticsError, match="weights"):
        match_challenge(small, "challenge-x", weights={"topic": 1.0})
