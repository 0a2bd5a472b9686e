"""Louvain communities with a seed, and their modularity.

networkx's Louvain is the reference; on the projection's arrays and above
:data:`~scaleup_graph.analytics.centrality.FAST_ABOVE` nodes the same method runs on networkit
(PLM without refinement, one thread: plain Louvain; the default, 2-3x faster than igraph on
CORDIS) or igraph (multilevel), which the tests show find partitions of equal modularity. Community
numbers are ordered by size (0 is the largest, ties by smallest member id), so they are stable
across backends and runs.

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
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from scaleup_graph.analytics.arrays import GraphArrays, import_igraph, import_networkit
from scaleup_graph.analytics.backends import seed_networkit
from scaleup_graph.analytics.centrality import FAST_ABOVE, Graph
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


def _networkit(arrays: GraphArrays, seed: int, resolution: float) -> NDArray[np.int64]:
    nk = import_networkit()  # slow to import; needed only here

    copy = arrays.networkit()
    with seed_networkit(seed):
        algo = nk.community.PLM(copy, refine=False, gamma=resolution, par="none")
        algo.run()
        partition = algo.getPartition()
    return np.asarray(partition.getVector(), dtype=np.int64)


def _igraph(arrays: GraphArrays, seed: int, resolution: float) -> NDArray[np.int64]:
    ig = import_igraph()
    copy = arrays.igraph()
    _, _, w = arrays.edges()
    # all weights 1 (no parallel or opposite links): the unweighted call, the same partition
    weights = None if not len(w) or bool((w == 1.0).all()) else "weight"
    # igraph draws from Python's random module; seeding a private generator keeps runs equal.
    ig.set_random_number_generator(random.Random(seed))
    try:
        clustering = copy.community_multilevel(weights=weights, resolution=resolution)
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(clustering.membership, dtype=np.int64)


_ARRAY_RUN = {"networkit": _networkit, "igraph": _igraph}


def ordered_membership(arrays: GraphArrays, membership: NDArray[np.int64]) -> NDArray[np.int64]:
    """Community numbers renamed by size (0 the largest), ties by smallest member id.

    >>> g = GraphArrays.from_networkx(nx.Graph([("b", "c"), ("a", "d"), ("d", "e")]))
    >>> ordered_membership(g, np.array([7, 7, 3, 3, 3])).tolist()
    [1, 1, 0, 0, 0]
    """
    _, dense = np.unique(membership, return_inverse=True)
    k = int(dense.max()) + 1 if len(dense) else 0
    sizes = np.bincount(dense, minlength=k)
    smallest = np.full(k, np.iinfo(np.int64).max)
    np.minimum.at(smallest, dense, arrays.key_rank())
    order = np.lexsort((smallest, -sizes))
    new = np.empty(k, dtype=np.int64)
    new[order] = np.arange(k)
    return new[dense]


def array_modularity(
    arrays: GraphArrays, membership: NDArray[np.int64], resolution: float
) -> float:
    """Newman's modularity with resolution (as networkx defines it) from the arrays."""
    u, v, w = arrays.edges()
    total = float(w.sum())
    if total == 0:
        return 0.0
    k = int(membership.max()) + 1
    same = membership[u] == membership[v]
    inside = np.bincount(membership[u][same], w[same], minlength=k)
    degree = np.bincount(membership, arrays.strength(), minlength=k)
    return float((inside / total - resolution * (degree / (2 * total)) ** 2).sum())


def louvain(
    graph: Graph, *, seed: int = 42, resolution: float = 1.0, backend: str = "auto"
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
    small = isinstance(graph, nx.Graph) and n <= FAST_ABOVE
    use = backend if backend != "auto" else ("networkx" if small else "networkit")
    if use not in BACKENDS:
        raise AnalyticsError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if use == "networkx" and isinstance(graph, GraphArrays):
        use = "networkit"  # arrays have no networkx graph

    def compute() -> tuple[Mapping[str, float], dict[str, Any]]:
        values: Mapping[str, float]
        if use == "networkx":
            assert isinstance(graph, nx.Graph)
            groups = _networkx(graph, seed, resolution)
            values = {node: float(i) for i, members in enumerate(groups) for node in members}
            community = {x: i for i, g in enumerate(groups) for x in g}
            modularity = _modularity(graph, community, resolution)
            sizes = [len(g) for g in groups]
        else:
            arrays = graph if isinstance(graph, GraphArrays) else GraphArrays.from_networkx(graph)
            membership = ordered_membership(arrays, _ARRAY_RUN[use](arrays, seed, resolution))
            lazy = arrays.node_values(membership)
            values = lazy if isinstance(graph, GraphArrays) else lazy.as_dict()
            modularity = array_modularity(arrays, membership, resolution)
            sizes = np.bincount(membership).tolist()
        return values, {
            "modularity": round(float(modularity), 6),
            "communities": len(sizes),
            "sizes": sizes[:20],
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
