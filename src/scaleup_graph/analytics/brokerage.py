"""Gould-Fernandez (1989) brokerage roles by a group attribute (region, sector, kind ...).

A node ``i`` brokers on every *open two-path* ``j -> i -> k``: ``j`` and ``k`` are distinct,
``j`` has no tie to ``k``, and all three have a group. By the groups of ``j``, ``i`` and ``k``:

============== =========================== ==================================================
role           groups                      meaning
============== =========================== ==================================================
coordinator    g(j) = g(i) = g(k)          mediates inside its own group
itinerant      g(j) = g(k) != g(i)         an outsider mediating inside another group
gatekeeper     g(j) != g(i) = g(k)         lets an outsider into its own group
representative g(j) = g(i) != g(k)         speaks for its group to an outsider
liaison        g(j), g(i), g(k) all differ mediates between two groups it belongs to neither
============== =========================== ==================================================

An undirected graph is read as a symmetric directed one (each tie both ways), as statnet and
UCINET do: an open path ``j - i - k`` then counts once from each end, so in undirected graphs
gatekeeper and representative counts are equal per unordered pair and the others count twice.
Nodes lacking the attribute take part in no two-path; how many there were is reported.

Example
-------
>>> import networkx as nx
>>> line = nx.DiGraph([("a", "b"), ("b", "c")])
>>> counts = brokerage_counts(line, {"a": "x", "b": "y", "c": "y"})
>>> counts["b"]["gatekeeper"], counts["b"]["total"]
(1, 1)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import require_size
from scaleup_graph.analytics.results import MetricResult, RunRecord, timed

__all__ = [
    "ROLES",
    "BrokerageResult",
    "brokerage",
    "brokerage_counts",
    "brokerage_counts_naive",
    "group_of",
    "role_of",
]

ROLES = ("coordinator", "itinerant", "gatekeeper", "representative", "liaison")


def role_of(gj: Any, gi: Any, gk: Any) -> str:
    """The role of ``i`` on a two-path ``j -> i -> k`` from the three groups.

    >>> role_of("DE", "DE", "DE"), role_of("DE", "IT", "DE"), role_of("PL", "IT", "DE")
    ('coordinator', 'itinerant', 'liaison')
    """
    if gj == gi:
        return "coordinator" if gk == gi else "representative"
    if gk == gi:
        return "gatekeeper"
    return "itinerant" if gj == gk else "liaison"


def _arcs(graph: nx.Graph) -> tuple[Mapping[Hashable, Any], Mapping[Hashable, Any]]:
    """Predecessor and successor maps; an undirected graph is symmetric."""
    if graph.is_directed():
        return graph.pred, graph.succ
    return graph.adj, graph.adj


def _empty() -> dict[str, int]:
    return dict.fromkeys((*ROLES, "total"), 0)


def brokerage_counts_naive(
    graph: nx.Graph, groups: Mapping[Hashable, Any]
) -> dict[Hashable, dict[str, int]]:
    """Role counts by enumerating every two-path: the definition, kept as the test reference."""
    pred, succ = _arcs(graph)
    counts = {i: _empty() for i in graph if i in groups}
    for i in counts:
        for j in pred[i]:
            for k in succ[i]:
                if j == k or i in (j, k) or j not in groups or k not in groups:
                    continue
                if k in succ[j]:
                    continue  # j reaches k directly: no brokerage
                counts[i][role_of(groups[j], groups[i], groups[k])] += 1
                counts[i]["total"] += 1
    return counts


def brokerage_counts(
    graph: nx.Graph, groups: Mapping[Hashable, Any]
) -> dict[Hashable, dict[str, int]]:
    """Role counts per node with group ``groups[node]`` (nodes without one are skipped).

    Counts all ``(j, k)`` pairs per broker from group tallies, then subtracts the closed pairs
    (``j -> k`` exists) by intersecting neighbour sets, which costs the number of triangles
    rather than the number of two-paths.
    """
    pred, succ = _arcs(graph)
    counts: dict[Hashable, dict[str, int]] = {}
    for i in graph:
        if i not in groups:
            continue
        gi = groups[i]
        ins = [j for j in pred[i] if j != i and j in groups]
        outs = {k for k in succ[i] if k != i and k in groups}
        cin = Counter(groups[j] for j in ins)
        cout = Counter(groups[k] for k in outs)
        cboth = Counter(groups[j] for j in ins if j in outs)  # j == k is no two-path
        in_other, out_other = len(ins) - cin[gi], len(outs) - cout[gi]
        other_same = sum(cin[g] * cout[g] for g in cin if g != gi)
        both_other = sum(n for g, n in cboth.items() if g != gi)
        row = {
            "coordinator": cin[gi] * cout[gi] - cboth[gi],
            "itinerant": other_same - both_other,
            "gatekeeper": in_other * cout[gi],
            "representative": cin[gi] * out_other,
            "liaison": in_other * out_other - other_same,
        }
        for j in ins:
            succ_j = succ[j]
            small, large = (succ_j, outs) if len(succ_j) < len(outs) else (outs, succ_j)
            for k in small:
                if k in large and k != j:
                    row[role_of(groups[j], gi, groups[k])] -= 1
        row["total"] = sum(row[r] for r in ROLES)
        counts[i] = row
    return counts


def group_of(graph: nx.Graph, attribute: str) -> dict[Hashable, Any]:
    """Node -> group value of ``attribute``; lists become one sorted ``a+b`` value.

    Raises
    ------
    AnalyticsError
        When no node has the attribute (the message lists the attributes that exist).
    """
    groups: dict[Hashable, Any] = {}
    for node, value in graph.nodes(data=attribute):
        if isinstance(value, list | tuple):
            value = "+".join(sorted(str(v) for v in value)) or None
        if value not in (None, ""):
            groups[node] = value
    if not groups:
        present = sorted({key for _, data in graph.nodes(data=True) for key in data})
        raise AnalyticsError(
            f"no node in the filtered graph has the group attribute {attribute!r}; "
            f"use one of: {', '.join(present) or '(none: the graph is empty)'}"
        )
    return groups


@dataclass(slots=True)
class BrokerageResult:
    """Role counts per node, and how the groups were formed."""

    attribute: str
    counts: dict[str, dict[str, int]]
    groups: dict[str, Any]
    missing: int
    run: RunRecord

    def results(self) -> list[MetricResult]:
        """One :class:`MetricResult` per role and one for the total (``brokerage_<role>``)."""
        return [
            MetricResult(
                name=f"brokerage_{role}",
                values={n: float(c[role]) for n, c in self.counts.items()},
                run=self.run,
                extra={"attribute": self.attribute, "missing_attribute": self.missing},
            )
            for role in (*ROLES, "total")
        ]

    def top(self, n: int = 10, role: str = "total") -> list[dict[str, Any]]:
        ranked = sorted(self.counts.items(), key=lambda kv: (-kv[1][role], kv[0]))[:n]
        return [{"id": node, "group": self.groups.get(node), **c} for node, c in ranked]


def brokerage(graph: nx.Graph, attribute: str = "region") -> BrokerageResult:
    """Gould-Fernandez roles of every node that has ``attribute``.

    Parameters
    ----------
    graph
        Directed or undirected graph (see the module notes on undirected counting).
    attribute
        Node attribute naming the group: ``region``, ``country``, ``sector``, ``kinds``,
        ``label`` ...
    """
    require_size(graph, nodes=3, edges=2, what="brokerage")
    groups = group_of(graph, attribute)
    result = timed(
        "brokerage",
        graph,
        lambda: ({}, {"counts": brokerage_counts(graph, groups)}),
        algorithm="gould-fernandez-1989",
        params={"attribute": attribute},
    )
    counts = {str(k): v for k, v in result.extra["counts"].items()}
    return BrokerageResult(
        attribute=attribute,
        counts=counts,
        groups={str(k): v for k, v in groups.items()},
        missing=graph.number_of_nodes() - len(groups),
        run=result.run,
    )
