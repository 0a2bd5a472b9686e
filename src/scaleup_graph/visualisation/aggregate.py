"""Grouping a large view into aggregate nodes (communities, else regions) that open on click.

A view above :data:`AGGREGATE_ABOVE` nodes would make the page crawl, so its nodes are grouped:
by ``metric_community`` when analytics wrote communities on most nodes, otherwise by the region
a node is located in (persons by their organisation's region), and what has no region by label.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from scaleup_graph.graph_model import METRIC_PREFIX
from scaleup_graph.visualisation.fetch import Outline, Subgraph, primary_label

__all__ = [
    "AGGREGATE_ABOVE",
    "MAX_GROUPS",
    "Grouping",
    "best_connected",
    "group_nodes",
    "group_outline",
    "named_by",
]

AGGREGATE_ABOVE = 400
#: beyond this many groups the smallest ones are pooled into one "other" group ("Weitere")
MAX_GROUPS = 60
#: a group needs this many members; smaller ones are pooled into "Weitere"
MIN_GROUP = 3
COMMUNITY = METRIC_PREFIX + "community"
OTHER = "other:"


@dataclass
class Grouping:
    """Which group each node belongs to, the groups' members and the links between groups."""

    by: str  # "community" or "region"
    of_node: dict[str, str] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    links: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: degree of each node in the whole view (names a community by its best-connected members)
    degree: Counter[str] = field(default_factory=Counter)


def _regions(graph: Subgraph) -> dict[str, str]:
    located: dict[str, str] = {}
    for start, end, _ in sorted(e for e in graph.edges if e[2] == "LOCATED_IN"):
        located.setdefault(start, end)
    for node_id, node in graph.nodes.items():
        if primary_label(node) == "Region":
            located.setdefault(node_id, node_id)
    for start, end, _ in sorted(e for e in graph.edges if e[2] == "WORKS_AT"):
        if end in located:
            located.setdefault(start, located[end])
    return located


def best_connected(grouping: Grouping, key: str, count: int = 2) -> list[str]:
    """The ``count`` members of a group with the most links (ties by id): a community's name."""
    members = grouping.members.get(key, [])
    return sorted(members, key=lambda i: (-grouping.degree.get(i, 0), i))[:count]


def named_by(grouping: Grouping) -> set[str]:
    """The nodes whose names make the groups' names: a community's two best-connected
    members, a region group's region."""
    found: set[str] = set()
    for key in grouping.members:
        kind, _, value = key.partition(":")
        if kind == "community":
            found.update(best_connected(grouping, key))
        elif kind == "region":
            found.add(value)
    return found


def _largest(sizes: Counter[str]) -> set[str]:
    """The groups that stay groups: the :data:`MAX_GROUPS` - 1 largest (equal sizes by key, so
    the answer does not depend on the order the nodes were read in) of at least
    :data:`MIN_GROUP` members."""
    ranked = sorted(sizes.items(), key=lambda item: (-item[1], item[0]))[: MAX_GROUPS - 1]
    return {key for key, count in ranked if count >= MIN_GROUP}


def group_nodes(graph: Subgraph, keep: frozenset[str] = frozenset()) -> Grouping:
    """Group every node except those in ``keep`` (the focus stays a node of its own).

    >>> g = Subgraph({"a": {"id": "a", "_labels": ["Topic"]}, "b": {"id": "b", "_labels":
    ...     ["Topic"]}}, set())
    >>> group_nodes(g).members  # groups below MIN_GROUP nodes join the "other" group
    {'other:': ['a', 'b']}
    """
    with_community = sum(1 for n in graph.nodes.values() if n.get(COMMUNITY) is not None)
    by_community = with_community * 2 >= max(len(graph.nodes), 1)
    grouping = Grouping("community" if by_community else "region")
    regions = {} if by_community else _regions(graph)
    for node_id, node in graph.nodes.items():
        if node_id in keep:
            continue
        if by_community and node.get(COMMUNITY) is not None:
            key = f"community:{node[COMMUNITY]}"
        elif node_id in regions:
            key = f"region:{regions[node_id]}"
        else:
            key = f"label:{primary_label(node)}"
        grouping.of_node[node_id] = key
    kept = _largest(Counter(grouping.of_node.values()))
    for node_id, key in grouping.of_node.items():
        if key not in kept:
            grouping.of_node[node_id] = OTHER
    for node_id, key in sorted(grouping.of_node.items()):
        grouping.members.setdefault(key, []).append(node_id)
    grouping.degree.update(e[0] for e in graph.edges)
    grouping.degree.update(e[1] for e in graph.edges)
    of = grouping.of_node.get
    ends = ((of(start, start), of(end, end)) for start, end, _ in graph.edges)
    grouping.links.update((a, b) if a < b else (b, a) for a, b in ends if a != b)
    return grouping


def group_outline(outline: Outline) -> Grouping:
    """:func:`group_nodes` of the whole graph from its :class:`~.fetch.Outline`, the same groups,
    members, links and degrees, computed on arrays: no Python object per relationship (at
    10,000 nodes a few ms instead of a few hundred)."""
    keys, n = outline.keys, len(outline.keys)
    by_community = len(outline.community) * 2 >= max(n, 1)
    grouping = Grouping("community" if by_community else "region")
    by_id = np.argsort(np.asarray(keys, dtype=str), kind="stable").astype(np.int64)
    rank = np.empty(n, dtype=np.int64)
    rank[by_id] = np.arange(n)
    region = np.full(n, -1, dtype=np.int64)
    if not by_community:  # as _regions does it, on arrays
        region = _outline_regions(outline, rank)[1]
    of_node: list[str] = []
    for at, name in enumerate(outline.labels):
        if by_community and at in outline.community:
            of_node.append(f"community:{outline.community[at]}")
        elif region[at] >= 0:
            of_node.append(f"region:{keys[region[at]]}")
        else:
            of_node.append(f"label:{name}")
    kept = _largest(Counter(of_node))
    of_node = [key if key in kept else OTHER for key in of_node]
    grouping.of_node = dict(zip(keys, of_node, strict=True))
    for at in by_id.tolist():
        grouping.members.setdefault(of_node[at], []).append(keys[at])
    # every relationship once: the pairs' counts and each typed pair
    codes = [outline.codes, *outline.typed.values()]
    weights = [outline.counts, *(np.ones(len(c), dtype=np.int64) for c in outline.typed.values())]
    a, b = outline.pairs(np.concatenate(codes))
    weight = np.concatenate(weights)
    degree = np.bincount(a, weights=weight, minlength=n)
    degree += np.bincount(b, weights=weight, minlength=n)
    linked = np.flatnonzero(degree > 0)
    grouping.degree = Counter(
        {keys[at]: int(count) for at, count in zip(linked.tolist(), degree[linked], strict=True)}
    )
    names = sorted(set(of_node))
    index = {k: i for i, k in enumerate(names)}
    of = np.asarray([index[k] for k in of_node], dtype=np.int64)
    ga, gb = of[a], of[b]
    other = (ga != gb) & (weight > 0)
    low, high = np.minimum(ga, gb)[other], np.maximum(ga, gb)[other]
    count = len(names)
    links = np.bincount(low * count + high, weights=weight[other], minlength=count * count)
    for code in np.flatnonzero(links).tolist():
        grouping.links[(names[code // count], names[code % count])] = int(links[code])
    return grouping


def _outline_regions(outline: Outline, rank: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each node's region (a position, -1 for none) as :func:`_regions` finds it: the first
    region (by id) a node is located in, a region itself, a person by the first employer (by
    id) that has a region. ``rank`` orders positions by id. Returns the regions before the
    employers' are taken over, and after."""

    def first(codes: np.ndarray, keep: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        a, b = outline.pairs(codes)
        if keep is not None:
            a, b = a[keep[b]], b[keep[b]]
        pick = np.lexsort((rank[b], a))
        a, b = a[pick], b[pick]
        starts = np.ones(len(a), dtype=bool)
        starts[1:] = a[1:] != a[:-1]
        return a[starts], b[starts]

    empty = np.empty(0, dtype=np.int64)
    region = np.full(len(outline.keys), -1, dtype=np.int64)
    a, b = first(outline.typed.get("LOCATED_IN", empty), None)
    region[a] = b
    own = np.asarray([name == "Region" for name in outline.labels], dtype=bool) & (region < 0)
    region[own] = np.flatnonzero(own)
    before = region.copy()
    a, b = first(outline.typed.get("WORKS_AT", empty), before >= 0)
    unset = before[a] < 0
    region[a[unset]] = before[b[unset]]
    return before, region
