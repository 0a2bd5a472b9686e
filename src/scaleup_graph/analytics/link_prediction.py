"""Suggested introductions: link prediction between organisations that are not yet linked.

Two organisations with no direct relationship are a candidate pair when they share a neighbour
(a project, an event, a network, a topic). Each pair is scored by Adamic-Adar, resource
allocation and Jaccard (equal to networkx's definitions) and explained: the common neighbours
and the topics both hold.

Example
-------
>>> import networkx as nx
>>> g = nx.Graph([("a", "p"), ("b", "p"), ("a", "q"), ("b", "q"), ("c", "q")])
>>> nx.set_node_attributes(g, "Organisation", "label")
>>> nx.set_node_attributes(g, {"p": "Project", "q": "Project"}, "label")
>>> best = suggest_introductions(g, top=1).suggestions[0]
>>> (best.source, best.target, [c["id"] for c in best.common])
('a', 'b', ['p', 'q'])
"""

from __future__ import annotations

import math
import time
from collections.abc import Hashable
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import require_size
from scaleup_graph.analytics.results import RunRecord
from scaleup_graph.graph_model import is_personal

__all__ = ["METHODS", "Introduction", "Introductions", "pair_scores", "suggest_introductions"]

METHODS = ("adamic_adar", "resource_allocation", "jaccard")


@dataclass(slots=True)
class Introduction:
    """One suggested introduction and why."""

    source: str
    target: str
    score: float
    scores: dict[str, float]
    common: list[dict[str, Any]]
    shared_topics: list[str]
    source_name: str | None = None
    target_name: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Introductions:
    method: str
    suggestions: list[Introduction]
    candidates: int
    run: RunRecord
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "candidates": self.candidates,
            "run": self.run.as_dict(),
            "notes": self.notes,
            "suggestions": [s.as_dict() for s in self.suggestions],
        }


def pair_scores(graph: nx.Graph, u: Hashable, v: Hashable) -> dict[str, float]:
    """Adamic-Adar, resource allocation and Jaccard of one pair, as networkx defines them."""
    nu, nv = set(graph.adj[u]) - {u}, set(graph.adj[v]) - {v}
    common = nu & nv
    union = nu | nv
    return {
        "adamic_adar": sum(1 / math.log(graph.degree(w)) for w in common),
        "resource_allocation": sum(1 / graph.degree(w) for w in common),
        "jaccard": len(common) / len(union) if union else 0.0,
    }


def _display(graph: nx.Graph, node: Hashable) -> dict[str, Any]:
    data = graph.nodes[node]
    # Persons are carried by id only (see projection); a name appears only for other labels.
    name = None if is_personal(data.get("label")) else data.get("name")
    return {"id": str(node), "label": data.get("label"), "name": name}


def _topics(graph: nx.Graph, node: Hashable) -> set[str]:
    named = {str(t) for t in graph.nodes[node].get("topics") or []}
    linked = {
        str(graph.nodes[w].get("name") or w)
        for w in graph.adj[node]
        if graph.nodes[w].get("label") == "Topic"
    }
    return named | linked


def suggest_introductions(
    graph: nx.Graph,
    *,
    method: str = "adamic_adar",
    top: int = 20,
    node: str | None = None,
    actor_label: str = "Organisation",
    max_hub_degree: int = 100,
) -> Introductions:
    """Rank pairs of not-yet-linked ``actor_label`` nodes by ``method``, with evidence.

    Parameters
    ----------
    graph
        Undirected projection (``Projection.undirected()``).
    method
        ``adamic_adar``, ``resource_allocation`` or ``jaccard``.
    top
        How many suggestions to return.
    node
        Only suggestions for this node.
    actor_label
        Label of the nodes to introduce to each other.
    max_hub_degree
        Neighbours with more links than this (a topic half the region holds) do not propose
        pairs on their own, which keeps the candidate set small; they still count in the score
        of every pair they connect.
    """
    if method not in METHODS:
        raise AnalyticsError(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    if node is not None and node not in graph:
        # the id is not echoed: it is the caller's input and may be an e-mail address
        raise AnalyticsError("no node with this id in the filtered graph; check the id and filter")
    require_size(graph, nodes=3, edges=2, what="suggested introductions")
    started = time.perf_counter()
    actors = {n for n, lab in graph.nodes(data="label") if lab == actor_label}
    if node is not None and node not in actors:
        raise AnalyticsError(
            f"{node!r} is not an {actor_label}; introductions are between {actor_label} nodes"
        )
    # A cheap first pass: resource allocation from the small intermediaries only.
    rough: dict[tuple[Hashable, Hashable], float] = {}
    via = [node] if node is not None else None
    mids = {w for v in via for w in graph.adj[v]} if via else set(graph)
    for w in mids:
        deg = graph.degree(w)
        if deg < 2 or deg > max_hub_degree:
            continue
        members = sorted((a for a in graph.adj[w] if a in actors and a != w), key=str)
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if node is not None and node not in (a, b):
                    continue
                if graph.has_edge(a, b):
                    continue  # already linked: nothing to introduce
                rough[(a, b)] = rough.get((a, b), 0.0) + 1 / deg
    # Re-score a generous shortlist exactly, with every common neighbour.
    shortlist = sorted(rough, key=lambda p: (-rough[p], str(p[0]), str(p[1])))[: top * 5 + 50]
    scored = []
    for a, b in shortlist:
        scores = pair_scores(graph, a, b)
        scored.append((scores[method], a, b, scores))
    scored.sort(key=lambda s: (-s[0], str(s[1]), str(s[2])))
    suggestions = []
    for score, a, b, scores in scored[:top]:
        common = sorted((set(graph.adj[a]) & set(graph.adj[b])) - {a, b}, key=str)
        suggestions.append(
            Introduction(
                source=str(a),
                target=str(b),
                score=round(score, 6),
                scores={k: round(v, 6) for k, v in scores.items()},
                common=[
                    _display(graph, w) for w in common if graph.nodes[w].get("label") != "Topic"
                ],
                shared_topics=sorted(_topics(graph, a) & _topics(graph, b)),
                source_name=graph.nodes[a].get("name"),
                target_name=graph.nodes[b].get("name"),
            )
        )
    run = RunRecord(
        algorithm=f"link-prediction-{method}",
        params={
            "top": top,
            "node": node,
            "actor_label": actor_label,
            "max_hub_degree": max_hub_degree,
        },
        seed=None,
        nodes=graph.number_of_nodes(),
        edges=graph.number_of_edges(),
        seconds=round(time.perf_counter() - started, 4),
    )
    notes = (
        []
        if suggestions
        else [
            f"no two {actor_label} nodes share a neighbour without being linked already; "
            "widen the filter (more relationship types) to find candidates"
        ]
    )
    return Introductions(
        method=method, suggestions=suggestions, candidates=len(rough), run=run, notes=notes
    )
