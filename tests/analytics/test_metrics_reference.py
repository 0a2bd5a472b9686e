"""Each metric equals networkx's (the reference) and igraph's (an independent check)."""

from __future__ import annotations

import igraph as ig
import networkx as nx
import pytest

from scaleup_graph.analytics import AnalyticsError, GraphTooSmall
from scaleup_graph.analytics.centrality import (
    betweenness,
    closeness,
    degree,
    eigenvector,
    pagerank,
    rank_agreement,
)
from scaleup_graph.analytics.cohesion import k_core, single_points_of_failure
from scaleup_graph.analytics.communities import louvain, partition_of
from scaleup_graph.analytics.structural_holes import constraint, effective_size


def _karate() -> nx.Graph:
    return nx.relabel_nodes(nx.karate_club_graph(), str)


def _igraph(graph: nx.Graph) -> tuple[ig.Graph, list[str]]:
    nodes = list(graph)
    index = {n: i for i, n in enumerate(nodes)}
    return ig.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in graph.edges()]), nodes


def _close(a: dict[str, float], b: dict[str, float], tol: float = 1e-6) -> bool:
    return a.keys() == b.keys() and all(abs(a[k] - b[k]) <= tol for k in a)


def test_degree_and_pagerank_equal_networkx_and_igraph() -> None:
    g = _karate()
    assert degree(g).values == {n: float(d) for n, d in g.degree()}
    ours = pagerank(g).values
    assert _close(ours, nx.pagerank(g, weight=None))
    copy, nodes = _igraph(g)
    assert _close(ours, dict(zip(nodes, copy.pagerank(), strict=True)), tol=1e-4)


@pytest.mark.parametrize("backend", ["networkx", "networkit"])
def test_exact_betweenness_equals_networkx_and_igraph(backend: str) -> None:
    g = _karate()
    result = betweenness(g, backend=backend)
    assert result.extra["exact"] is True and result.run.backend == backend
    assert _close(result.values, nx.betweenness_centrality(g))
    copy, nodes = _igraph(g)
    n = g.number_of_nodes()
    scale = 2 / ((n - 1) * (n - 2))  # igraph is unnormalised
    assert _close(
        result.values, {v: b * scale for v, b in zip(nodes, copy.betweenness(), strict=True)}
    )


def test_sampled_betweenness_is_reproducible_and_reports_its_sample() -> None:
    g = nx.relabel_nodes(nx.barabasi_albert_graph(1500, 3, seed=7), str)
    first = betweenness(g, k=150, seed=3)
    again = betweenness(g, k=150, seed=3)
    assert first.values == again.values
    assert first.extra == {"exact": False, "sample_size": 150}
    assert first.run.seed == 3 and first.run.algorithm == "brandes-pich-sampled"
    agreement = rank_agreement(first.values, betweenness(g).values)
    assert agreement["spearman"] > 0.8 and agreement["top_overlap"] >= 0.7


@pytest.mark.parametrize("backend", ["networkx", "igraph"])
def test_closeness_equals_networkx_on_a_disconnected_graph(backend: str) -> None:
    g = nx.disjoint_union(nx.karate_club_graph(), nx.path_graph(5))
    g = nx.relabel_nodes(g, str)
    assert _close(closeness(g, backend=backend).values, nx.closeness_centrality(g))


def test_eigenvector_equals_networkx() -> None:
    g = _karate()
    assert _close(eigenvector(g).values, nx.eigenvector_centrality(g, max_iter=1000), tol=1e-4)


def test_kcore_structural_holes_equal_networkx() -> None:
    g = _karate()
    assert k_core(g).values == {n: float(c) for n, c in nx.core_number(g).items()}
    assert _close(constraint(g).values, nx.constraint(g))
    assert _close(effective_size(g).values, nx.effective_size(g))
    g.add_node("lonely")
    assert effective_size(g).extra["undefined_for"] == 1


def _planted() -> nx.Graph:
    g = nx.planted_partition_graph(4, 60, 0.3, 0.005, seed=11)
    return nx.relabel_nodes(g, str)


def test_louvain_backends_find_the_same_planted_communities() -> None:
    g = _planted()
    truth = {frozenset(str(x) for x in block) for block in g.graph["partition"]}
    found = {}
    for backend in ("networkx", "networkit", "igraph"):
        result = louvain(g, seed=5, backend=backend)
        found[backend] = {frozenset(m) for m in partition_of(result).values()}
        assert found[backend] == truth, backend
        assert result.extra["modularity"] == pytest.approx(
            nx.community.modularity(g, truth), abs=1e-6
        )


def test_louvain_modularity_agrees_across_backends_on_a_noisy_graph() -> None:
    g = nx.relabel_nodes(nx.barabasi_albert_graph(800, 2, seed=3), str)
    mods = {
        b: louvain(g, seed=1, backend=b).extra["modularity"]
        for b in ("networkx", "networkit", "igraph")
    }
    assert max(mods.values()) - min(mods.values()) < 0.03, mods
    assert louvain(g, seed=1).values == louvain(g, seed=1).values  # seeded: reproducible


def test_articulation_points_and_bridges_with_hand_computed_impact() -> None:
    # a triangle 1-2-3, a tail 3-4-5, and 4-6: removing 3 cuts off {4,5,6}; 4 cuts off 2 nodes
    g = nx.Graph([(1, 2), (2, 3), (3, 1), (3, 4), (4, 5), (4, 6)])
    found = single_points_of_failure(g)
    assert [(a["id"], a["cut_off"], a["pieces"]) for a in found["articulation_points"]] == [
        ("3", 2, 2),
        ("4", 2, 3),
    ]
    bridges = {(b["source"], b["target"]): b["cut_off"] for b in found["bridges"]}
    assert bridges == {("3", "4"): 3, ("4", "5"): 1, ("4", "6"): 1}
    assert {str(a) for a in nx.articulation_points(g)} == {"3", "4"}


def test_too_small_graphs_get_a_clear_message() -> None:
    with pytest.raises(GraphTooSmall, match="widen the filter"):
        betweenness(nx.Graph([("a", "b")]))
    with pytest.raises(GraphTooSmall):
        louvain(nx.empty_graph(1))
    with pytest.raises(AnalyticsError, match="unknown backend"):
        louvain(_karate(), backend="gephi")


def test_rankings_list_brokers_and_the_largest_community_first() -> None:
    g = _karate()
    ranked = louvain(g, seed=2).top(3)
    assert [value for _, value in ranked] == [0.0, 0.0, 0.0]
    least = min(nx.constraint(g).items(), key=lambda kv: (kv[1], kv[0]))
    assert constraint(g).top(1)[0][0] == least[0]
