"""Burt's structural holes: constraint and effective size of each node's ego network.

Low constraint and a high effective size mark brokers whose contacts are not connected among
themselves. Computed on the unweighted undirected graph as networkx defines them (Burt 1992;
effective size in Borgatti's 1997 simplification for undirected unweighted ties).

Example
-------
>>> import networkx as nx
>>> star = nx.star_graph(3)  # a centre with three unconnected contacts
>>> effective_size(star).values["0"], round(constraint(star).values["0"], 4)
(3.0, 0.3333)
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from scaleup_graph.analytics.projection import require_size
from scaleup_graph.analytics.results import MetricResult, timed

__all__ = ["constraint", "effective_size"]


def _defined(values: dict[Any, float]) -> tuple[dict[str, float], dict[str, Any]]:
    # Isolated nodes have no ego network: their value is undefined (NaN) and is left out.
    kept = {str(k): float(v) for k, v in values.items() if not math.isnan(v)}
    return kept, {"undefined_for": len(values) - len(kept)}


def constraint(graph: nx.Graph) -> MetricResult:
    """Burt's constraint (0..1+, lower = more brokerage opportunity); isolates are omitted."""
    require_size(graph, nodes=2, edges=1, what="constraint")
    return timed(
        "constraint",
        graph,
        lambda: _defined(nx.constraint(graph)),
        algorithm="burt-constraint",
        params={"weighted": False},
        ascending=True,  # the least constrained actors are the brokers
    )


def effective_size(graph: nx.Graph) -> MetricResult:
    """Burt's effective size (non-redundant contacts); isolates are omitted."""
    require_size(graph, nodes=2, edges=1, what="effective size")
    return timed(
        "effective_size",
        graph,
        lambda: _defined(nx.effective_size(graph)),
        algorithm="burt-effective-size",
        params={"weighted": False},
    )
