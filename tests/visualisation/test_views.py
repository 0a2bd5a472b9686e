"""The explorer's views as a page user meets them: ego views, filters, groups, bad input."""

from __future__ import annotations

import json

import pytest

from scaleup_graph.errors import Invalid, NotFound, ScaleUpError
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import (
    ViewFilter,
    details,
    expand,
    explorer_view,
    search,
)
from tests.support.sample_network import EMAIL, IHK, PERSON, PERSON_NAME


def _ids(view: dict) -> set[str]:
    return {n["id"] for n in view["nodes"]}


def test_ego_view_grows_with_hops(sample: GraphStore) -> None:
    one = explorer_view(sample, role="viewer", focus=IHK, hops=1)
    two = explorer_view(sample, role="viewer", focus=IHK, hops=2)
    assert {IHK, "org-rmn", PERSON, "region-de73"} <= _ids(one)
    assert "org-lazio-innova" not in _ids(one)
    assert "org-lazio-innova" in _ids(two)
    assert all("x" in n and "y" in n for n in two["nodes"]), "positions come from the server"
    assert {(e["from"], e["to"]) for e in one["edges"]} >= {(PERSON, IHK), (IHK, "org-rmn")}


def test_bad_input_is_explained(sample: GraphStore) -> None:
    with pytest.raises(NotFound) as unknown:
        explorer_view(sample, role="viewer", focus="org-gibt-es-nicht")
    assert "gibt es nicht" in unknown.value.in_language("de")
    assert "org-gibt-es-nicht" not in unknown.value.in_language("de")  # ids are not echoed
    with pytest.raises(Invalid) as hops:
        explorer_view(sample, role="viewer", focus=IHK, hops=7)
    assert hops.value.in_language("en") == "Hops must be between 1 and 3."
    with pytest.raises(ScaleUpError, match="unknown label 'Robot'"):
        ViewFilter(labels=("Robot",))


def test_region_filter_keeps_only_that_region(sample: GraphStore) -> None:
    view = explorer_view(
        sample, role="viewer", focus="org-rmn", hops=2, filters=ViewFilter(region="region-iti4")
    )
    # Roma Robotics is in Lazio too, but three hops from RMN.
    assert _ids(view) == {"org-rmn", "region-iti4", "org-lazio-innova"}


def test_topic_and_label_filters(sample: GraphStore) -> None:
    topic = explorer_view(sample, role="viewer", filters=ViewFilter(topic="topic-digital"))
    assert {"org-tueftler", "org-roma-robotics", "challenge-lager"} <= _ids(topic)
    assert "org-mowin" not in _ids(topic)
    people = explorer_view(
        sample, role="viewer", focus=IHK, filters=ViewFilter(labels=("Organisation",))
    )
    assert PERSON not in _ids(people) and "org-rmn" in _ids(people)


def test_filter_matching_nothing_says_so(sample: GraphStore) -> None:
    with pytest.raises(NotFound) as empty:
        explorer_view(
            sample,
            role="viewer",
            focus="org-mowin",
            filters=ViewFilter(project="project-scale-up", labels=("Person",)),
        )
    assert empty.value.code == "filter_empty"


def test_large_view_is_grouped_and_groups_open(sample: GraphStore) -> None:
    overview = explorer_view(sample, role="viewer", aggregate_above=5)
    assert overview["aggregated"]
    assert all(n.get("aggregate") for n in overview["nodes"])
    assert sum(n["count"] for n in overview["nodes"]) == overview["total"] == 15
    nordhessen = next(n for n in overview["nodes"] if n["group"] == "region:region-de73")
    opened = explorer_view(sample, role="viewer", aggregate_above=50, group=nordhessen["group"])
    assert IHK in _ids(opened) and "org-lazio-innova" not in _ids(opened)


def test_viewer_never_receives_personal_data(sample: GraphStore) -> None:
    answers = [
        explorer_view(sample, role="viewer", focus=IHK, hops=2),
        details(sample, PERSON, role="viewer"),
        details(sample, IHK, role="viewer"),
        expand(sample, IHK, role="viewer"),
        search(sample, "anna", role="viewer"),
        search(sample, "Referentin", role="viewer"),
    ]
    text = json.dumps(answers, ensure_ascii=False)
    assert EMAIL not in text and PERSON_NAME not in text
    assert details(sample, PERSON, role="viewer")["personalHidden"] is True
    assert search(sample, "anna", role="viewer") == []


def test_contacts_role_sees_the_person(sample: GraphStore) -> None:
    person = details(sample, PERSON, role="contacts")
    assert {f["name"]: f["value"] for f in person["facts"]}["E-Mail"] == EMAIL
    assert person["caption"] == PERSON_NAME
    assert [h["id"] for h in search(sample, "anna beispiel", role="contacts")] == [PERSON]


def test_search_is_accent_and_case_insensitive(sample: GraphStore) -> None:
    assert search(sample, "ihk kassel", role="viewer")[0]["id"] == IHK
    assert search(sample, "FOERDERTECHNIK", role="viewer")[0]["id"] == "org-foerdertechnik"
    assert search(sample, "mobilität", role="viewer")[0]["id"] == "topic-mobility"
    assert search(sample, "zzzz-nichts", role="viewer") == []


def test_expand_returns_neighbours_with_their_links(sample: GraphStore) -> None:
    grown = expand(sample, "org-rmn", role="viewer")
    assert {"org-lazio-innova", "org-mowin", IHK, "project-scale-up"} <= _ids(grown)
    # every link of a new node comes along, so the page can draw those to nodes it shows
    new = _ids(grown)
    assert all(e["from"] in new or e["to"] in new for e in grown["edges"])
    assert {("org-lazio-innova", "region-iti4")} <= {(e["from"], e["to"]) for e in grown["edges"]}
    partners = expand(sample, "org-rmn", role="viewer", rel="PARTNER_IN", direction="out")
    assert _ids(partners) == {"project-scale-up"}
    with pytest.raises(Invalid):
        expand(sample, "org-rmn", role="viewer", rel="LIKES")


def test_every_link_between_two_shown_nodes_is_in_the_view(sample: GraphStore) -> None:
    for hops in (1, 2, 3):
        view = explorer_view(sample, role="viewer", focus=IHK, hops=hops)
        shown = sorted(_ids(view))
        rows = sample.read(
            "MATCH (a)-[e]->(b) WHERE a.id IN $ids AND b.id IN $ids "
            "RETURN a.id AS a, type(e) AS t, b.id AS b",
            {"ids": shown},
        )
        expected = {(r["a"], r["t"], r["b"]) for r in rows}
        drawn = {(e["from"], e["type"], e["to"]) for e in view["edges"]}
        assert drawn == expected, f"{hops} hops: missing {expected - drawn}"


def test_details_speak_plain_german(sample: GraphStore) -> None:
    sample.write("MATCH (n:Organisation) SET n.metric_pagerank = 0.123456789")
    sample.write("MATCH (n:Organisation {id: $id}) SET n.metric_pagerank = 0.9", {"id": IHK})
    panel = details(sample, IHK, role="viewer", lang="de")
    shown = [(f["name"], f["value"]) for f in panel["facts"] + panel["measures"]]
    text = json.dumps([shown, [s["name"] for s in panel["sections"]]], ensure_ascii=False)
    for technical in ("ingested_at", "name_fold", "MEMBER_OF", "metric_", "0.123456789"):
        assert technical not in text
    measure = panel["measures"][0]
    assert measure["value"].startswith("Platz 1 von ") and measure["explanation"]
    assert any(s["name"] == "Mitglieder" for s in panel["sections"]) or panel["sections"]
    assert {o["key"] for o in panel["origin"]} >= {"id"}


def test_metrics_and_communities_reach_the_page(sample: GraphStore) -> None:
    sample.write("MATCH (n:Organisation) SET n.metric_pagerank = 0.5, n.metric_community = 2")
    view = explorer_view(sample, role="viewer", focus=IHK)
    assert view["metrics"] == ["metric_pagerank"]
    ihk = next(n for n in view["nodes"] if n["id"] == IHK)
    assert ihk["metrics"] == {"metric_pagerank": 0.5} and ihk["community"] == 2
    grouped = explorer_view(sample, role="viewer", aggregate_above=5)
    assert "community:2" in {n["group"] for n in grouped["nodes"]}
