"""Louvain communities with a seed, and their modularity.

networkx's Louvain is the reference; above :data:`~scaleup_graph.analytics.centrality.FAST_ABOVE`
nodes the same method runs on networkit (PLM without refinement: plain Louvain) or igraph
(multilevel), which the tests show find partitions of equal modularity. Community numbers are
ordered by size (0 is the largest), so they are stable across backends and runs.

Example
-------
>>> import networkx as nx
>>> two_triangles = nx.Graph([(1, 2), (2, 3), (1, 3), (4, 5), (5, 6), (4, 6), (3, 4)])
>>> result = louvain(two_triangles, seed=1)
>>> result.extra["communities"], result.values["1"] == result.values["2"] != result.values["5"]
(2, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

import random
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx

from scaleup_graph.analytics.backends import seed_networkit, to_igraph, to_networkit
from scaleup_graph.analytics.centrality import FAST_ABOVE
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import require_size
from scaleup_graph.analytics.results import MetricResult, timed

__all__ = ["BACKENDS", "louvain", "partition_of"]

BACKENDS = ("networkx", "networkit", "igraph")


def _ordered(groups: Iterable[Iterable[Hashable]]) -> list[list[str]]:
    """Communities as sorted id lists, largest first, ties by smallest member."""
    listed = [sorted(str(x) for x in group) for group in groups]
    return sorted((g for g in listed if g), key=lambda g: (-len(g), g[0]))


def _networkx(graph: nx.Graph, seed: int, resolution: float) -> list[list[str]]:
    return _ordered(
        nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    )


def _networkit(graph: nx.Graph, seed: int, resolution: float) -> list[list[str]]:
    import networkit as nk  # slow to import; needed only here

    copy, nodes = to_networkit(graph, weighted=True)
    with seed_networkit(seed):
        algo = nk.community.PLM(copy, refine=False, gamma=resolution, par="none")
        algo.run()
        partition = algo.getPartition()
    groups: dict[int, list[Hashable]] = {}
    for i, node in enumerate(nodes):
        groups.setdefault(partition.subsetOf(i), []).append(node)
    return _ordered(groups.values())


def _igraph(graph: nx.Graph, seed: int, resolution: float) -> list[list[str]]:
    import igraph as ig  # slow to import; needed only here

    copy, nodes = to_igraph(graph, weighted=True)
    # igraph draws from Python's random module; seeding a private generator keeps runs equal.
    ig.set_random_number_generator(random.Random(seed))
    try:
        clustering = copy.community_multilevel(weights="weight", resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return _ordered([[nodes[i] for i in members] for members in clustering])


_RUN = {"networkx": _networkx, "networkit": _networkit, "igraph": _igraph}


def louvain(
    graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0, backend: str = "auto"
) -> MetricResult:
    """Louvain communities of an undirected graph (weights from the ``weight`` attribute).

    Parameters
    ----------
    graph
        Undirected graph; isolated nodes become communities of their own.
    seed
        Seed of the node order: the same seed gives the same communities.
    resolution
        Above 1 favours smaller communities, below 1 larger ones.
    backend
        ``networkx``, ``networkit``, ``igraph`` or ``auto``.

    Returns
    -------
    MetricResult
        ``values``: node -> community number (0 is the largest); ``extra``: ``modularity``,
        ``communities`` (how many) and ``sizes`` (the 20 largest).
    """
    require_size(graph, nodes=2, edges=1, what="communities")
    n = graph.number_of_nodes()
    use = backend if backend != "auto" else ("networkit" if n > FAST_ABOVE else "networkx")
    if use not in _RUN:
        raise AnalyticsError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        groups = _RUN[use](graph, seed, resolution)
        values = {node: float(i) for i, members in enumerate(groups) for node in members}
        modularity = _modularity(graph, {x: i for i, g in enumerate(groups) for x in g}, resolution)
        return values, {
            "modularity": round(float(modularity), 6),
            "communities": len(groups),
            "sizes": [len(g) for g in groups[:20]],
        }

    return timed(
        "community",
        graph,
        compute,
        algorithm="louvain",
        params={"resolution": resolution},
        seed=seed,
        backend=use,
        ascending=True,  # community 0 is the largest: list its members first
    )


def partition_of(result: MetricResult) -> dict[int, set[str]]:
    """The communities of a :func:`louvain` result as ``{number: {node ids}}``."""
    groups: dict[int, set[str]] = {}
    for node, community in result.values.items():
        groups.setdefault(int(community), set()).add(node)
    return groups


def _modularity(graph: nx.Graph, community: dict[str, int], resolution: float) -> float:
    """Newman's modularity with resolution, as networkx defines it, in one pass over the edges
    (networkx's own function took longer than the Louvain run itself on large graphs).

    >>> g = nx.Graph([(1, 2), (3, 4)])
    >>> round(_modularity(g, {"1": 0, "2": 0, "3": 1, "4": 1}, 1.0), 3)
    0.5
    """
    total = 0.0
    inside: dict[int, float] = {}
    degree: dict[int, float] = {}
    for a, b, w in graph.edges(data="weight", default=1.0):
        ca, cb = community[str(a)], community[str(b)]
        total += w
        degree[ca] = degree.get(ca, 0.0) + w
        degree[cb] = degree.get(cb, 0.0) + w
        if ca == cb:
            inside[ca] = inside.get(ca, 0.0) + w
    if total == 0:
        return 0.0
    return sum(
        inside.get(c, 0.0) / total - resolution * (d / (2 * total)) ** 2 for c, d in degree.items()
    )
