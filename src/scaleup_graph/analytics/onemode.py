"""The actor network of an affiliation graph: organisations linked by shared projects, events ...

Brokerage, structural holes and introductions are about actors. In a graph where organisations
meet through projects (CORDIS: organisation -> project), the project sits between every two of
its partners and no organisation ever brokers. The one-mode projection links two actors when
they are tied directly or share an affiliation; the weight counts the shared affiliations.
Topics and regions are not affiliations: sharing a topic is no acquaintance, and linking all
actors of a region would erase the very gaps brokerage by region measures.

Example
-------
>>> import networkx as nx
>>> g = nx.Graph([("a", "p"), ("b", "p"), ("c", "p"), ("c", "q"), ("d", "q")])
>>> nx.set_node_attributes(g, {"a": "Organisation", "b": "Organisation", "c": "Organisation",
...                            "d": "Organisation", "p": "Project", "q": "Project"}, "label")
>>> actors = co_affiliation(g)
>>> sorted(actors.edges()), actors.edges["c", "d"]["weight"]
([('a', 'b'), ('a', 'c'), ('b', 'c'), ('c', 'd')], 1)
"""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

from scaleup_graph.graph_model.schema import AFFILIATION_LABELS

__all__ = ["AFFILIATIONS", "co_affiliation"]

#: Labels whose nodes tie their members together: the schema's ``affiliation`` flag.
AFFILIATIONS = AFFILIATION_LABELS


def co_affiliation(
    graph: nx.Graph,
    *,
    actor_label: str = "Organisation",
    via: Collection[str] = AFFILIATIONS,
    max_members: int | None = None,
) -> nx.Graph:
    """Actors of ``graph`` linked by direct ties and by shared ``via`` nodes.

    Parameters
    ----------
    graph
        Undirected projection (``Projection.undirected()``).
    actor_label
        Label of the actors to keep.
    via
        Labels of the affiliations that link their members.
    max_members
        Skip affiliations with more members than this (a programme with thousands of partners
        would link everyone); ``None`` keeps all.
    """
    actors = nx.Graph()
    actors.add_nodes_from(
        (n, d) for n, d in graph.nodes(data=True) if d.get("label") == actor_label
    )
    for a, b in graph.edges():
        if a in actors and b in actors and a != b:
            actors.add_edge(a, b, weight=1)
    wanted = set(via)
    for w, label in graph.nodes(data="label"):
        if label not in wanted:
            continue
        members = sorted((m for m in graph.adj[w] if m in actors), key=str)
        if max_members is not None and len(members) > max_members:
            continue
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                if actors.has_edge(a, b):
                    actors.edges[a, b]["weight"] += 1
                else:
                    actors.add_edge(a, b, weight=1)
    return actors
