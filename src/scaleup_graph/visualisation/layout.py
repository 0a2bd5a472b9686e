"""Server-side node positions, so the browser never runs physics on a large view.

Small views use networkx's spring layout (the reference); above :data:`NETWORKX_UP_TO` nodes
igraph's grid Fruchterman-Reingold takes over, because networkx needs seconds per thousand nodes
on two cores while igraph lays out 10,000 nodes in under a second. Both are seeded, so the same
view always gets the same picture, and results are cached per view (node and edge set).
"""

from __future__ import annotations

import hashlib
import math
import random
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

import igraph
import networkx as nx

__all__ = ["NETWORKX_UP_TO", "LayoutCache", "compute_layout", "layout_cache"]

NETWORKX_UP_TO = 300
#: canvas units per node: a view of n nodes spans about SPACING * sqrt(n) units
SPACING = 70.0

Position = tuple[float, float]


def _view_key(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for node in sorted(nodes):
        digest.update(node.encode() + b"\0")
    digest.update(b"\1")
    for a, b in sorted({(min(a, b), max(a, b)) for a, b in edges}):
        digest.update(a.encode() + b"\0" + b.encode() + b"\0")
    return digest.hexdigest()


def compute_layout(
    nodes: Sequence[str], edges: Iterable[tuple[str, str]], *, seed: int = 7
) -> dict[str, Position]:
    """Positions for ``nodes`` in canvas units, centred on (0, 0).

    >>> pos = compute_layout(["a", "b"], [("a", "b")])
    >>> sorted(pos) == ["a", "b"] and pos["a"] != pos["b"]
    True
    """
    ordered = sorted(set(nodes))
    if not ordered:
        return {}
    if len(ordered) == 1:
        return {ordered[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(ordered)}
    pairs = sorted({(index[a], index[b]) for a, b in edges if a in index and b in index and a != b})
    raw: list[Position]
    if len(ordered) <= NETWORKX_UP_TO:
        graph = nx.Graph()
        graph.add_nodes_from(range(len(ordered)))
        graph.add_edges_from(pairs)
        placed = nx.spring_layout(graph, seed=seed, iterations=60)
        raw = [(float(placed[i][0]), float(placed[i][1])) for i in range(len(ordered))]
    else:
        random.seed(seed)  # igraph draws its start positions from Python's random module
        graph = igraph.Graph(n=len(ordered), edges=pairs)
        grid = "grid" if len(ordered) > 1000 else "nogrid"
        coords = graph.layout_fruchterman_reingold(grid=grid, niter=300)
        raw = [(float(x), float(y)) for x, y in coords]
    return dict(zip(ordered, _scale(raw), strict=True))


def _scale(raw: list[Position]) -> list[Position]:
    xs = [p[0] for p in raw]
    ys = [p[1] for p in raw]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    extent = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    target = SPACING * math.sqrt(len(raw)) * 2
    factor = target / extent
    return [(round((x - cx) * factor, 1), round((y - cy) * factor, 1)) for x, y in raw]


class LayoutCache:
    """A small LRU of layouts keyed by the view's node and edge sets; thread-safe."""

    def __init__(self, size: int = 128) -> None:
        self.size = size
        self._items: OrderedDict[str, dict[str, Position]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def positions(
        self, nodes: Sequence[str], edges: Iterable[tuple[str, str]]
    ) -> dict[str, Position]:
        edge_list = list(edges)
        key = _view_key(nodes, edge_list)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        placed = compute_layout(nodes, edge_list)
        with self._lock:
            self.misses += 1
            self._items[key] = placed
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return placed


#: the process-wide cache the explorer uses
layout_cache = LayoutCache()
