"""Array copies of a networkx graph for the fast backends (networkit, igraph).

networkx stays the interface and the reference; above a size the heavy algorithms run on a
networkit or igraph copy built once from integer indices (see DESIGN.md section 8 for timings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import igraph as ig
    import networkit as nk

from collections.abc import Hashable, Iterator
from contextlib import contextmanager
from typing import Any

import networkx as nx

from scaleup_graph.analytics.arrays import import_igraph, import_networkit

__all__ = ["as_dict", "seed_networkit", "to_igraph", "to_networkit"]


def _indexed_edges(graph: nx.Graph) -> tuple[list[Hashable], list[tuple[int, int]]]:
    nodes = list(graph.nodes())
    index = {node: i for i, node in enumerate(nodes)}
    return nodes, [(index[a], index[b]) for a, b in graph.edges()]


def to_networkit(graph: nx.Graph, *, weighted: bool = False) -> tuple[nk.Graph, list[Hashable]]:
    """An undirected networkit copy of ``graph`` and the node list (index -> id)."""
    nk = import_networkit()  # imported here: slow to import, needed only here

    nodes, edges = _indexed_edges(graph)
    copy = nk.Graph(len(nodes), weighted=weighted, directed=False)
    if weighted:
        index = {node: i for i, node in enumerate(nodes)}
        for a, b, w in graph.edges(data="weight", default=1.0):
            copy.addEdge(index[a], index[b], float(w))
    else:
        for a, b in edges:
            copy.addEdge(a, b)
    return copy, nodes


def to_igraph(graph: nx.Graph, *, weighted: bool = False) -> tuple[ig.Graph, list[Hashable]]:
    """An undirected igraph copy of ``graph`` and the node list (index -> id)."""
    ig = import_igraph()  # imported here: slow to import, needed only here

    nodes, edges = _indexed_edges(graph)
    copy = ig.Graph(n=len(nodes), edges=edges, directed=False)
    if weighted:
        copy.es["weight"] = [float(w) for _, _, w in graph.edges(data="weight", default=1.0)]
    return copy, nodes


@contextmanager
def seed_networkit(seed: int) -> Iterator[None]:
    """Run networkit's randomised algorithms reproducibly: one thread and a fixed seed inside,
    the previous thread count restored after (exact algorithms keep using every core)."""
    nk = import_networkit()  # imported here: slow to import, needed only here

    threads = nk.engineering.getMaxNumberOfThreads()
    nk.engineering.setSeed(seed, False)
    nk.engineering.setNumberOfThreads(1)
    try:
        yield
    finally:
        nk.engineering.setNumberOfThreads(threads)


def as_dict(nodes: list[Hashable], scores: Any) -> dict[str, float]:
    return {str(node): float(score) for node, score in zip(nodes, scores, strict=True)}
