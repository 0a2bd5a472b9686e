"""The grouped overview from the graph's outline says what the whole graph says: the same groups,
members, links between groups and counts, also where two nodes are linked twice."""

from __future__ import annotations

import pytest

from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.visualisation import explorer_view
from scaleup_graph.visualisation.aggregate import group_nodes, group_outline
from scaleup_graph.visualisation.fetch import (
    fetch_outline,
    fetch_outline_arrays,
    fetch_whole_graph,
)
from tests.support.graphs import PROV


@pytest.mark.parametrize("role", ["contacts+editor", "viewer"])
def test_the_outline_groups_as_the_whole_graph_does(seeded_store: GraphStore, role: str) -> None:
    # an organisation that has a topic as competence and subscribes to it as well
    org, topic = "org-ihk-kassel-marburg", "topic-innovation-consulting"
    for kind in ("HAS_COMPETENCE", "SUBSCRIBES_TO"):
        seeded_store.upsert_relationships(
            kind, "Organisation", "Topic", [RelRow(org, topic)], provenance=PROV
        )
    # a challenge in draft posed by it: the viewer's outline, as its whole graph, leaves it out
    seeded_store.upsert_nodes(
        "Challenge",
        [NodeRow("challenge-outline-draft", {"name": "x", "status": "draft"})],
        provenance=PROV,
    )
    seeded_store.upsert_relationships(
        "POSES",
        "Organisation",
        "Challenge",
        [RelRow(org, "challenge-outline-draft")],
        provenance=PROV,
    )
    outline = fetch_outline(seeded_store, role=role)
    whole = fetch_whole_graph(seeded_store, role=role)
    assert set(outline.nodes) == set(whole.nodes)
    assert len(outline.edges) == len(whole.edges)
    everything = sum(seeded_store.counts()["relationships"].values())
    if role == "viewer":
        assert "challenge-outline-draft" not in whole.nodes
        assert len(whole.edges) < everything  # KNOWS and the draft's link are left out
    else:
        assert everything == len(whole.edges)
    from_outline, from_whole = group_nodes(outline), group_nodes(whole)
    assert from_outline.members == from_whole.members
    assert from_outline.links == from_whole.links
    assert from_outline.degree == from_whole.degree
    # the overview groups the outline's arrays directly: the same answer
    from_arrays = group_outline(fetch_outline_arrays(seeded_store, role=role))
    assert from_arrays.by == from_whole.by == "region"
    assert from_arrays.members == from_whole.members
    assert list(from_arrays.members) == list(from_whole.members)
    assert from_arrays.links == from_whole.links
    assert from_arrays.degree == from_whole.degree


def test_the_arrays_group_by_community_as_the_whole_graph_does(seeded_store: GraphStore) -> None:
    # communities on most nodes (analytics wrote them), a few without: those go by region
    seeded_store.write(
        "MATCH (n) WHERE n.id IS NOT NULL AND NOT n:Region SET n.metric_community = size(n.id) % 5"
    )
    whole = group_nodes(fetch_whole_graph(seeded_store, role="viewer"))
    arrays = group_outline(fetch_outline_arrays(seeded_store, role="viewer"))
    assert whole.by == arrays.by == "community"
    assert arrays.members == whole.members and list(arrays.members) == list(whole.members)
    assert arrays.links == whole.links and arrays.degree == whole.degree


def test_the_grouped_overview_names_groups_and_counts_links(seeded_store: GraphStore) -> None:
    view = explorer_view(seeded_store, role="viewer", aggregate_above=50, whole=True)
    grouping = group_nodes(fetch_whole_graph(seeded_store, role="viewer"))
    assert view["aggregated"] and view["total"] == sum(len(m) for m in grouping.members.values())
    assert {n["group"]: n["count"] for n in view["nodes"]} == {
        k: len(m) for k, m in grouping.members.items()
    }
    drawn = {tuple(e["id"].split("|")[1:]): e["count"] for e in view["edges"]}
    assert drawn == dict(grouping.links)
    kassel = next(n for n in view["nodes"] if n["group"] == "region:region-de73")
    assert kassel["name"] == "Kassel"  # the region of that key, by its name
