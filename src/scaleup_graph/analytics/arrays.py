"""A projected graph as integer arrays: what the fast metrics run on.

Node ``i`` is ``nodes[i]`` (the node's id); each relationship is one entry of ``src``/``dst``
(node indices) and ``rel`` (an index into ``rel_types``). The undirected simple graph the
metrics use (opposite and parallel relationships merged, the merged count as ``weight``, no
self-loops) is derived once with numpy, and so are the igraph / networkit copies: no Python
object per edge anywhere.

Example
-------
>>> import numpy as np
>>> g = GraphArrays(
...     nodes=["a", "b", "c"], labels=np.zeros(3, np.int8), label_names=("Organisation",),
...     src=np.array([0, 1, 1]), dst=np.array([1, 0, 2]), rel=np.zeros(3, np.int8),
...     rel_types=("COOPERATES_WITH",),
... )
>>> g.number_of_nodes(), g.number_of_edges(), g.degree().tolist(), g.edges()[2].tolist()
(3, 2, [1, 2, 1], [2.0, 1.0])
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scaleup_graph.analytics.results import NodeValues

if TYPE_CHECKING:
    import igraph as ig
    import networkit as nk
    import networkx as nx

__all__ = ["GraphArrays", "import_igraph", "import_networkit", "import_quietly"]


def import_quietly(name: str) -> Any:
    """``igraph`` or ``networkit``, imported without their matplotlib drawing support.

    Both import matplotlib.pyplot when they can (1.5-2 s of a command's start); nothing here
    draws with them, so matplotlib is hidden while they load. If matplotlib is already loaded,
    they find it as usual.
    """
    if name in sys.modules:
        return sys.modules[name]
    hide = "matplotlib" not in sys.modules
    if hide:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # makes the import fail
    try:
        module = importlib.import_module(name)
    finally:
        if hide:
            del sys.modules["matplotlib"]
    return module


def import_igraph() -> Any:
    """:func:`import_quietly` of igraph."""
    return import_quietly("igraph")


def import_networkit() -> Any:
    """:func:`import_quietly` of networkit."""
    return import_quietly("networkit")


@dataclass(slots=True, eq=False)
class GraphArrays:
    """The structure of a projection; see the module docstring."""

    nodes: list[str]
    labels: NDArray[np.int8]
    label_names: tuple[str, ...]
    src: NDArray[np.int64]
    dst: NDArray[np.int64]
    rel: NDArray[np.int8]
    rel_types: tuple[str, ...]
    _simple: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]] | None = field(
        default=None, repr=False
    )
    _copies: dict[str, Any] = field(default_factory=dict, repr=False)
    _rank: NDArray[np.int64] | None = field(default=None, repr=False)
    _degree: NDArray[np.int64] | None = field(default=None, repr=False)

    # -- the networkx-like size questions the run records ask ----------------------------------

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        """Edges of the undirected simple graph (as ``nx.Graph.number_of_edges``)."""
        return len(self.edges()[0])

    # -- derived arrays, each computed once ---------------------------------------------------

    def edges(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
        """``(u, v, weight)`` of the undirected simple graph, ``u < v``, sorted."""
        if self._simple is None:
            n = max(len(self.nodes), 1)
            keep = self.src != self.dst
            a, b = self.src[keep], self.dst[keep]
            pairs = np.minimum(a, b) * n + np.maximum(a, b)
            unique, counts = np.unique(pairs, return_counts=True)
            self._simple = (unique // n, unique % n, counts.astype(np.float64))
            self._degree = None
        return self._simple

    def degree(self) -> NDArray[np.int64]:
        """Neighbours of each node in the simple graph.

        Counted at the first call (two ``bincount`` over the edges: 0.7 ms on CORDIS) and kept
        with the simple graph, as igraph reads degrees off the index it built with its graph:
        the metric, matchmaking and the explorer's sizing then read it. The array is shared:
        copy it before changing it.
        """
        if self._degree is None:
            u, v, _ = self.edges()
            n = len(self.nodes)
            self._degree = np.bincount(u, minlength=n) + np.bincount(v, minlength=n)
        return self._degree

    def strength(self) -> NDArray[np.float64]:
        """Sum of the weights of each node's edges."""
        u, v, w = self.edges()
        n = len(self.nodes)
        return np.bincount(u, w, minlength=n) + np.bincount(v, w, minlength=n)

    def key_rank(self) -> NDArray[np.int64]:
        """Each node's position when the node ids are sorted as strings (stable tie-breaks)."""
        if self._rank is None:
            order = sorted(range(len(self.nodes)), key=self.nodes.__getitem__)
            rank = np.empty(len(self.nodes), dtype=np.int64)
            rank[order] = np.arange(len(self.nodes))
            self._rank = rank
        return self._rank

    def igraph(self) -> ig.Graph:
        """An undirected igraph copy with a ``weight`` edge attribute (built once)."""
        if "igraph" not in self._copies:
            ig = import_igraph()
            u, v, w = self.edges()
            copy = ig.Graph(
                n=len(self.nodes), edges=np.column_stack((u, v)).tolist(), directed=False
            )
            copy.es["weight"] = w.tolist()
            self._copies["igraph"] = copy
        return self._copies["igraph"]

    def networkit(self) -> nk.Graph:
        """An undirected, weighted networkit copy (built once)."""
        if "networkit" not in self._copies:
            nk = import_networkit()
            u, v, w = self.edges()
            copy = nk.Graph(len(self.nodes), weighted=True, directed=False)
            copy.addEdges((w, (u, v)))
            self._copies["networkit"] = copy
        return self._copies["networkit"]

    def node_values(self, values: Any) -> NodeValues:
        """Per-node values keyed by node id (a dict only when read whole)."""
        return NodeValues(self.nodes, np.asarray(values, dtype=np.float64))

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> GraphArrays:
        """The arrays of an undirected networkx graph (weights from ``weight``, default 1)."""
        nodes = list(graph)
        index = {node: i for i, node in enumerate(nodes)}
        m = graph.number_of_edges()
        src = np.empty(m, dtype=np.int64)
        dst = np.empty(m, dtype=np.int64)
        weight = np.empty(m, dtype=np.float64)
        for i, (a, b, w) in enumerate(graph.edges(data="weight", default=1.0)):
            src[i], dst[i], weight[i] = index[a], index[b], w
        made = cls(
            nodes=[str(x) for x in nodes],
            labels=np.zeros(len(nodes), dtype=np.int8),
            label_names=("",),
            src=src,
            dst=dst,
            rel=np.zeros(m, dtype=np.int8),
            rel_types=("",),
        )
        keep = src != dst
        lo, hi = np.minimum(src[keep], dst[keep]), np.maximum(src[keep], dst[keep])
        order = np.lexsort((hi, lo))
        made._simple = (lo[order], hi[order], weight[keep][order])
        return made
