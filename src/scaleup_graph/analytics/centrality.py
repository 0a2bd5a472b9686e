"""Centrality: degree, betweenness, PageRank, eigenvector and closeness.

All take an undirected networkx graph (``Projection.undirected()``) or the projection's
:class:`~scaleup_graph.analytics.arrays.GraphArrays` and return a
:class:`~scaleup_graph.analytics.results.MetricResult`. Values equal networkx's on every size.
networkx computes them on small networkx graphs; arrays and graphs above :data:`FAST_ABOVE`
nodes run on numpy (degree, PageRank: networkx's own power iteration, vectorised), igraph or
networkit, and betweenness above ``exact_limit`` nodes is estimated from ``k`` seeded source
samples.

Example
-------
>>> import networkx as nx
>>> result = degree(nx.path_graph(3))
>>> result.values
{'0': 1.0, '1': 2.0, '2': 1.0}
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from collections.abc import Hashable, Mapping
from typing import Any

import networkx as nx
import numpy as np
from numpy.typing import NDArray

from scaleup_graph.analytics.arrays import GraphArrays, import_networkit
from scaleup_graph.analytics.backends import as_dict, seed_networkit, to_igraph, to_networkit
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import require_size
from scaleup_graph.analytics.results import MetricResult, timed

__all__ = [
    "FAST_ABOVE",
    "betweenness",
    "closeness",
    "degree",
    "eigenvector",
    "pagerank",
    "rank_agreement",
]

#: graphs with more nodes than this run on networkit / igraph instead of networkx
FAST_ABOVE = 500


#: what the metrics take: an undirected networkx graph or a projection's arrays
type Graph = nx.Graph | GraphArrays


def _str(values: dict[Any, Any]) -> dict[str, float]:
    return {str(k): float(v) for k, v in values.items()}


def fast(graph: Graph) -> GraphArrays | None:
    """The arrays to run on: ``graph`` itself, the arrays of a networkx graph above
    :data:`FAST_ABOVE` nodes, or None (small networkx graphs: networkx, the reference)."""
    if isinstance(graph, GraphArrays):
        return graph
    if graph.number_of_nodes() > FAST_ABOVE:
        return GraphArrays.from_networkx(graph)
    return None


def degree(graph: Graph) -> MetricResult:
    """Number of neighbours of each node."""
    if isinstance(graph, GraphArrays):
        arrays = graph
        return timed(
            "degree",
            graph,
            lambda: (arrays.node_values(arrays.degree()), {}),
            algorithm="degree",
            params={},
            backend="numpy",
        )
    return timed(
        "degree", graph, lambda: (_str(dict(graph.degree())), {}), algorithm="degree", params={}
    )


def betweenness(
    graph: Graph,
    *,
    exact_limit: int = 5000,
    k: int | None = None,
    seed: int = 42,
    backend: str = "auto",
) -> MetricResult:
    """Normalised betweenness: exact up to ``exact_limit`` nodes, sampled above.

    Parameters
    ----------
    graph
        Undirected graph.
    exact_limit
        Largest node count computed exactly; above it ``k`` source nodes are sampled.
    k
        Sample size when sampling (default ``min(n, 256)``); giving ``k`` forces sampling.
    seed
        Seed of the sample: the same seed gives the same values.
    backend
        ``networkx``, ``networkit`` or ``auto`` (networkx up to :data:`FAST_ABOVE` nodes).
    """
    nk = import_networkit()  # slow to import; needed only here

    require_size(graph, nodes=3, edges=1, what="betweenness")
    n = graph.number_of_nodes()
    sampled = k is not None or n > exact_limit
    sample = min(n, k or 256) if sampled else None
    use = backend if backend != "auto" else ("networkit" if n > FAST_ABOVE else "networkx")
    if use not in ("networkx", "networkit"):
        raise AnalyticsError(f"unknown backend {backend!r}; use networkx, networkit or auto")
    if use == "networkx" and isinstance(graph, GraphArrays):
        use = "networkit"  # arrays have no networkx graph; networkit is exact too

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        extra: dict[str, Any] = {"exact": not sampled}
        if sample is not None:
            extra["sample_size"] = sample
        if use == "networkx":
            assert isinstance(graph, nx.Graph)
            return _str(nx.betweenness_centrality(graph, k=sample, seed=seed)), extra
        if isinstance(graph, GraphArrays):
            copy, nodes = graph.networkit(), list[Hashable](graph.nodes)
        else:
            copy, nodes = to_networkit(graph)
        algo: Any
        if sample is None:
            algo = nk.centrality.Betweenness(copy, normalized=True)
            algo.run()
        else:
            with seed_networkit(seed):
                algo = nk.centrality.EstimateBetweenness(copy, sample, True, False)
                algo.run()
        return as_dict(nodes, algo.scores()), extra

    params = {"exact_limit": exact_limit, "k": sample, "normalized": True}
    return timed(
        "betweenness",
        graph,
        compute,
        algorithm="brandes" if not sampled else "brandes-pich-sampled",
        params=params,
        seed=seed if sampled else None,
        backend=use,
    )


def rank_agreement(
    estimate: Mapping[str, float], exact: Mapping[str, float], *, top: int = 20
) -> dict[str, float]:
    """How well a sampled ranking agrees with the exact one.

    Returns Spearman's rank correlation over all nodes and the share of the exact top ``top``
    that the estimate also puts in its top ``top``.
    """
    from scipy import stats  # slow to import; needed only here

    keys = sorted(exact)
    if len(keys) < 2:
        return {"spearman": 1.0, "top_overlap": 1.0}
    a = np.array([estimate.get(key, 0.0) for key in keys])
    b = np.array([exact[key] for key in keys])
    rho = float(stats.spearmanr(a, b).statistic) if a.std() and b.std() else 1.0
    best = {x for x, _ in sorted(exact.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    got = {x for x, _ in sorted(estimate.items(), key=lambda kv: (-kv[1], kv[0]))[:top]}
    return {"spearman": round(rho, 4), "top_overlap": round(len(best & got) / len(best), 4)}


def pagerank(graph: Graph, *, alpha: float = 0.85, weighted: bool = False) -> MetricResult:
    """PageRank: networkx's power iteration (same start, dangling rule and stopping test), on
    numpy arrays above :data:`FAST_ABOVE` nodes."""
    require_size(graph, nodes=1, edges=0, what="PageRank")
    weight = "weight" if weighted else None
    params = {"alpha": alpha, "weighted": weighted}
    arrays = fast(graph)
    if arrays is None:
        return timed(
            "pagerank",
            graph,
            lambda: (_str(nx.pagerank(graph, alpha=alpha, weight=weight)), {}),
            algorithm="pagerank",
            params=params,
        )
    found = arrays

    def compute() -> tuple[Mapping[str, float], dict[str, Any]]:
        scores, iterations = power_pagerank(found, alpha=alpha, weighted=weighted)
        values = found.node_values(scores)
        if not isinstance(graph, GraphArrays):
            return values.as_dict(), {"iterations": iterations}
        return values, {"iterations": iterations}

    return timed("pagerank", graph, compute, algorithm="pagerank", params=params, backend="numpy")


def power_pagerank(
    arrays: GraphArrays,
    *,
    alpha: float = 0.85,
    weighted: bool = False,
    tol: float = 1.0e-6,
    max_iter: int = 100,
) -> tuple[NDArray[np.float64], int]:
    """networkx's ``_pagerank_scipy`` on the undirected arrays: x = alpha (x P + dangling mass /
    n) + (1 - alpha) / n from x = 1/n, until the L1 change is below n * tol.

    Returns the scores and the iterations it took.

    >>> g = GraphArrays.from_networkx(nx.path_graph(3))
    >>> [round(float(x), 4) for x in power_pagerank(g)[0]]
    [0.2568, 0.4865, 0.2568]
    """
    n = arrays.number_of_nodes()
    u, v, w = arrays.edges()
    if not weighted:
        w = np.ones(len(u))
    strength = np.bincount(u, w, minlength=n) + np.bincount(v, w, minlength=n)
    dangling = strength == 0
    inverse = np.zeros(n)
    inverse[~dangling] = 1.0 / strength[~dangling]
    x = np.full(n, 1.0 / n)
    for iteration in range(1, max_iter + 1):
        last = x
        share = x * inverse
        # every edge passes each end's share to the other end (weighted by the edge)
        passed = np.bincount(u, w * share[v], minlength=n) + np.bincount(
            v, w * share[u], minlength=n
        )
        x = alpha * (passed + x[dangling].sum() / n) + (1 - alpha) / n
        if np.abs(x - last).sum() < n * tol:
            return x, iteration
    raise AnalyticsError(
        f"PageRank did not converge in {max_iter} iterations; this should not happen on an "
        "undirected graph: report it with the filter used"
    )


def eigenvector(graph: nx.Graph) -> MetricResult:
    """Eigenvector centrality (scipy's sparse eigensolver, as networkx's ``_numpy`` variant).

    On a disconnected graph the values concentrate on the component with the largest
    eigenvalue; the result's ``extra['components']`` says how many components there were.
    """
    require_size(graph, nodes=2, edges=1, what="eigenvector centrality")

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        try:
            values = nx.eigenvector_centrality_numpy(graph, max_iter=1000, tol=1e-8)
        except Exception as exc:  # noqa: BLE001 - ARPACK errors differ between scipy versions
            raise AnalyticsError(
                f"eigenvector centrality did not converge on this graph ({type(exc).__name__}); "
                "use PageRank, which always converges"
            ) from None
        values = {key: abs(v) for key, v in values.items()}  # the eigenvector's sign is arbitrary
        return _str(values), {"components": nx.number_connected_components(graph)}

    return timed("eigenvector", graph, compute, algorithm="eigenvector-arpack", params={})


def closeness(graph: Graph, *, backend: str = "auto") -> MetricResult:
    """Closeness with the Wasserman-Faust correction for disconnected graphs (as networkx)."""
    require_size(graph, nodes=2, edges=1, what="closeness")
    n = graph.number_of_nodes()
    use = backend if backend != "auto" else ("igraph" if n > FAST_ABOVE else "networkx")
    if use not in ("networkx", "igraph"):
        raise AnalyticsError(f"unknown backend {backend!r}; use networkx, igraph or auto")
    if isinstance(graph, GraphArrays):
        use = "igraph"

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        if use == "networkx":
            assert isinstance(graph, nx.Graph)
            return _str(nx.closeness_centrality(graph)), {}
        if isinstance(graph, GraphArrays):
            copy, nodes = graph.igraph(), list[Hashable](graph.nodes)
        else:
            copy, nodes = to_igraph(graph)
        raw = copy.closeness(normalized=True)
        # igraph counts only reachable nodes; scale by (r-1)/(n-1) as networkx does.
        reach = np.zeros(len(nodes))
        for members in copy.connected_components():
            reach[members] = len(members)
        scores = [0.0 if np.isnan(c) else c * (reach[i] - 1) / (n - 1) for i, c in enumerate(raw)]
        return as_dict(nodes, scores), {}

    return timed("closeness", graph, compute, algorithm="closeness-wf", params={}, backend=use)
