"""Suggested introductions: scores as networkx defines them, never an existing link, evidence."""

from __future__ import annotations

import networkx as nx
import pytest

from scaleup_graph.analytics import AnalyticsError, ProjectionFilter, project
from scaleup_graph.analytics.link_prediction import suggest_introductions
from scaleup_graph.store import GraphStore


def _orgs_and_projects(seed: int = 2) -> nx.Graph:
    g = nx.bipartite.random_graph(25, 12, 0.18, seed=seed)
    g = nx.relabel_nodes(g, {n: f"o{n}" if n < 25 else f"p{n}" for n in g})
    nx.set_node_attributes(g, {n: "Organisation" if n[0] == "o" else "Project" for n in g}, "label")
    g.add_edge("o0", "o1")  # an existing cooperation
    return g


@pytest.mark.parametrize(
    ("method", "reference"),
    [
        ("adamic_adar", nx.adamic_adar_index),
        ("resource_allocation", nx.resource_allocation_index),
        ("jaccard", nx.jaccard_coefficient),
    ],
)
def test_scores_equal_networkx(method: str, reference: object) -> None:
    g = _orgs_and_projects()
    result = suggest_introductions(g, method=method, top=500)
    assert result.suggestions
    pairs = [(s.source, s.target) for s in result.suggestions]
    expected = {(u, v): p for u, v, p in reference(g, pairs)}  # type: ignore[operator]
    for s in result.suggestions:
        assert s.score == pytest.approx(expected[(s.source, s.target)], abs=1e-6)
        assert not g.has_edge(s.source, s.target)
        assert s.source.startswith("o") and s.target.startswith("o")
    scores = [s.score for s in result.suggestions]
    assert scores == sorted(scores, reverse=True)


def test_suggestions_on_the_small_network_carry_evidence(small: GraphStore) -> None:
    graph = project(small).undirected()
    result = suggest_introductions(graph, top=10)
    pairs = {(s.source, s.target): s for s in result.suggestions}
    # Alpha and Beta share the chamber (and the region): an introduction; Alpha-IHK exists.
    best = pairs[("org-sme-a", "org-sme-b")]
    assert {c["id"] for c in best.common} >= {"org-ihk", "region-de73"}
    assert ("org-sme-a", "org-ihk") not in pairs
    only_c = suggest_introductions(graph, node="org-sme-c")
    assert all("org-sme-c" in (s.source, s.target) for s in only_c.suggestions)


def test_bad_method_and_node() -> None:
    g = _orgs_and_projects()
    with pytest.raises(AnalyticsError, match="unknown method"):
        suggest_introductions(g, method="magic")
    with pytest.raises(AnalyticsError, match="no node"):
        suggest_introductions(g, node="o-nope")


def test_no_candidates_gives_a_note(small: GraphStore) -> None:
    flt = ProjectionFilter(labels=("Organisation",), rel_types=("MEMBER_OF", "PARTNER_IN"))
    graph = project(small, flt).undirected()
    graph.add_edge("org-sme-a", "org-sme-b")
    result = suggest_introductions(graph)
    assert result.suggestions == [] and "widen the filter" in result.notes[0]
