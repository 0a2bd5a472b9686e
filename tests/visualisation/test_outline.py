"""The grouped overview from the graph's outline says what the whole graph says: the same groups,
members, links between groups and counts, also where two nodes are linked twice."""

from __future__ import annotations

from scaleup_graph.store import GraphStore, RelRow
from scaleup_graph.visualisation import explorer_view
from scaleup_graph.visualisation.aggregate import group_nodes
from scaleup_graph.visualisation.fetch import fetch_outline, fetch_whole_graph
from tests.support.graphs import PROV


def test_the_outline_groups_as_the_whole_graph_does(seeded_store: GraphStore) -> None:
    # an organisation that has a topic as competence and subscribes to it as well
    org, topic = "org-ihk-kassel-marburg", "topic-innovation-consulting"
    for kind in ("HAS_COMPETENCE", "SUBSCRIBES_TO"):
        seeded_store.upsert_relationships(
            kind, "Organisation", "Topic", [RelRow(org, topic)], provenance=PROV
        )
    outline, whole = fetch_outline(seeded_store), fetch_whole_graph(seeded_store)
    assert set(outline.nodes) == set(whole.nodes)
    assert len(outline.edges) == len(whole.edges)
    assert sum(seeded_store.counts()["relationships"].values()) == len(whole.edges)
    from_outline, from_whole = group_nodes(outline), group_nodes(whole)
    assert from_outline.members == from_whole.members
    assert from_outline.links == from_whole.links
    assert from_outline.degree == from_whole.degree


def test_the_grouped_overview_names_groups_and_counts_links(seeded_store: GraphStore) -> None:
    view = explorer_view(seeded_store, role="viewer", aggregate_above=50, whole=True)
    grouping = group_nodes(fetch_whole_graph(seeded_store))
    assert view["aggregated"] and view["total"] == sum(len(m) for m in grouping.members.values())
    assert {n["group"]: n["count"] for n in view["nodes"]} == {
        k: len(m) for k, m in grouping.members.items()
    }
    drawn = {tuple(e["id"].split("|")[1:]): e["count"] for e in view["edges"]}
    assert drawn == dict(grouping.links)
    kassel = next(n for n in view["nodes"] if n["group"] == "region:region-de73")
    assert kassel["name"] == "Kassel"  # the region of that key, by its name
