"""The fast paths above FAST_ABOVE nodes give networkx's answers."""

from __future__ import annotations

import random

import networkx as nx

from scaleup_graph.analytics.centrality import FAST_ABOVE
from scaleup_graph.analytics.cohesion import k_core
from scaleup_graph.analytics.communities import _modularity


def _graph() -> nx.Graph:
    g = nx.powerlaw_cluster_graph(FAST_ABOVE * 2, 3, 0.3, seed=11)
    return nx.relabel_nodes(g, {n: f"n{n}" for n in g})


def test_kcore_on_igraph_equals_networkx() -> None:
    g = _graph()
    result = k_core(g)
    assert result.values == {k: float(v) for k, v in nx.core_number(g).items()}


def test_modularity_equals_networkx_for_any_partition() -> None:
    g = _graph()
    rng = random.Random(3)
    for _, _, data in g.edges(data=True):
        data["weight"] = rng.choice([1.0, 2.0, 0.5])
    community = {n: rng.randrange(7) for n in g}
    groups = [{n for n in g if community[n] == c} for c in range(7)]
    for resolution in (0.5, 1.0, 2.0):
        expected = nx.community.modularity(g, groups, weight="weight", resolution=resolution)
        assert abs(_modularity(g, community, resolution) - expected) < 1e-9
