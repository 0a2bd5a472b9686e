"""Centrality: degree, betweenness, PageRank, eigenvector and closeness.

All take an undirected networkx graph (``Projection.undirected()``) and return a
:class:`~scaleup_graph.analytics.results.MetricResult`. Values equal networkx's on every size;
above a size the work runs on networkit or igraph (exact), and betweenness above
``exact_limit`` nodes is estimated from ``k`` seeded source samples.

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

from typing import Any

import networkx as nx
import numpy as np

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


def _str(values: dict[Any, Any]) -> dict[str, float]:
    return {str(k): float(v) for k, v in values.items()}


def degree(graph: nx.Graph) -> MetricResult:
    """Number of neighbours of each node."""
    return timed(
        "degree", graph, lambda: (_str(dict(graph.degree())), {}), algorithm="degree", params={}
    )


def betweenness(
    graph: nx.Graph,
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
    import networkit as nk  # slow to import; needed only here

    require_size(graph, nodes=3, edges=1, what="betweenness")
    n = graph.number_of_nodes()
    sampled = k is not None or n > exact_limit
    sample = min(n, k or 256) if sampled else None
    use = backend if backend != "auto" else ("networkit" if n > FAST_ABOVE else "networkx")
    if use not in ("networkx", "networkit"):
        raise AnalyticsError(f"unknown backend {backend!r}; use networkx, networkit or auto")

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        extra: dict[str, Any] = {"exact": not sampled}
        if sample is not None:
            extra["sample_size"] = sample
        if use == "networkx":
            return _str(nx.betweenness_centrality(graph, k=sample, seed=seed)), extra
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
    estimate: dict[str, float], exact: dict[str, float], *, top: int = 20
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


def pagerank(graph: nx.Graph, *, alpha: float = 0.85, weighted: bool = False) -> MetricResult:
    """PageRank (networkx's scipy power iteration; fast enough at every size we measured)."""
    require_size(graph, nodes=1, edges=0, what="PageRank")
    weight = "weight" if weighted else None
    return timed(
        "pagerank",
        graph,
        lambda: (_str(nx.pagerank(graph, alpha=alpha, weight=weight)), {}),
        algorithm="pagerank",
        params={"alpha": alpha, "weighted": weighted},
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


def closeness(graph: nx.Graph, *, backend: str = "auto") -> MetricResult:
    """Closeness with the Wasserman-Faust correction for disconnected graphs (as networkx)."""
    require_size(graph, nodes=2, edges=1, what="closeness")
    n = graph.number_of_nodes()
    use = backend if backend != "auto" else ("igraph" if n > FAST_ABOVE else "networkx")
    if use not in ("networkx", "igraph"):
        raise AnalyticsError(f"unknown backend {backend!r}; use networkx, igraph or auto")

    def compute() -> tuple[dict[str, float], dict[str, Any]]:
        if use == "networkx":
            return _str(nx.closeness_centrality(graph)), {}
        copy, nodes = to_igraph(graph)
        raw = copy.closeness(normalized=True)
        # igraph counts only reachable nodes; scale by (r-1)/(n-1) as networkx does.
        reach = np.zeros(len(nodes))
        for members in copy.connected_components():
            reach[members] = len(members)
        scores = [0.0 if np.isnan(c) else c * (reach[i] - 1) / (n - 1) for i, c in enumerate(raw)]
        return as_dict(nodes, scores), {}

    return timed("closeness", graph, compute, algorithm="closeness-wf", params={}, backend=use)
