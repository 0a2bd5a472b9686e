"""Change since a snapshot: new ties, risers and fallers, merged or split communities.

A snapshot holds the whole projection's nodes and links. The report's actors are
organisations, so both sides are turned into the organisation network (the same
:func:`~scaleup_graph.analytics.onemode.co_affiliation` the report uses) and measured the same
way (degree, PageRank, betweenness, Louvain with the report's seed). The two are then compared
with :func:`scaleup_graph.analytics.snapshots.diff`, in a temporary folder, so nothing is added
to the user's snapshots and the community names match the report's ("Gruppe um ...").
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path
from typing import Any

import networkx as nx

from scaleup_graph.analytics.centrality import betweenness, degree, pagerank
from scaleup_graph.analytics.communities import louvain
from scaleup_graph.analytics.onemode import co_affiliation
from scaleup_graph.analytics.snapshots import diff, load_snapshot, snapshot_path

__all__ = ["changes_since"]


def _graph(snapshot: dict[str, Any]) -> nx.Graph:
    graph = nx.Graph()
    for node, info in snapshot["nodes"].items():
        graph.add_node(node, label=info.get("label"), name=info.get("name"))
    graph.add_edges_from((a, b) for a, b in snapshot["links"] if a in graph and b in graph)
    return graph


def _freeze(
    folder: Path, name: str, actors: nx.Graph, created_at: str | None, seed: int
) -> dict[str, Any]:
    """Write ``actors`` with its measures in the snapshot format; returns the data."""
    metrics: dict[str, dict[str, float]] = {}
    modularity = None
    if actors.number_of_edges():
        for result in (degree(actors), pagerank(actors), betweenness(actors, seed=seed)):
            metrics[result.name] = dict(result.values)
        com = louvain(actors, seed=seed)
        metrics["community"] = dict(com.values)
        modularity = com.extra["modularity"]
    else:  # an empty past: nobody had ties yet
        zero = {str(n): 0.0 for n in actors}
        metrics = {"degree": zero, "pagerank": zero, "betweenness": zero}
        metrics["community"] = {str(n): float(i) for i, n in enumerate(actors)}
    data = {
        "name": name,
        "created_at": created_at,
        "nodes": {
            str(n): {"label": d.get("label"), "name": d.get("name")}
            for n, d in actors.nodes(data=True)
        },
        "links": sorted(sorted((str(a), str(b))) for a, b in actors.edges()),
        "metrics": metrics,
        "modularity": modularity,
    }
    path = snapshot_path(folder, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(data, fh)
    return data


def _leaders(snapshot: dict[str, Any]) -> dict[int, str]:
    """Community number -> name of its member with the highest PageRank."""
    nodes, metrics = snapshot["nodes"], snapshot["metrics"]
    best: dict[int, tuple[float, str]] = {}
    for node, c in metrics["community"].items():
        rank = metrics["pagerank"].get(node, 0.0)
        current = best.get(int(c))
        if current is None or rank > current[0]:
            best[int(c)] = (rank, str(nodes.get(node, {}).get("name") or node))
    return {c: v[1] for c, v in best.items()}


def _big_communities(snapshot: dict[str, Any], smallest: int = 3) -> int:
    sizes: dict[int, int] = {}
    for c in snapshot["metrics"]["community"].values():
        sizes[int(c)] = sizes.get(int(c), 0) + 1
    return sum(1 for n in sizes.values() if n >= smallest)


def changes_since(
    state_dir: Path, name: str, actors_now: nx.Graph, *, seed: int = 42, top: int = 10
) -> dict[str, Any]:
    """What changed in the organisation network from snapshot ``name`` to ``actors_now``."""
    saved = load_snapshot(state_dir, name)  # a clear error when there is no such snapshot
    with tempfile.TemporaryDirectory(prefix="scaleup-report-") as tmp:
        folder = Path(tmp)
        before = _freeze(
            folder, "before", co_affiliation(_graph(saved)), saved.get("created_at"), seed
        )
        after = _freeze(folder, "now", actors_now, None, seed)
        result = diff(folder, "before", "now", top=top)
    lead_before, lead_after = _leaders(before), _leaders(after)
    com = result["communities"]
    return {
        "name": name,
        "created_at": saved.get("created_at"),
        "filter": saved.get("filter") or {},
        "organisations_before": len(before["nodes"]),
        "organisations_after": len(after["nodes"]),
        "ties_before": len(before["links"]),
        "ties_after": len(after["links"]),
        "new_ties_count": result["new_links_count"],
        "removed_ties_count": result["removed_links_count"],
        "new_ties": result["new_links"][:top],
        "new_actors": result["nodes_added"][:top],
        "gone_actors": result["nodes_removed"][:top],
        "risers": {m: c["gained"] for m, c in result["centrality"].items()},
        "fallers": {m: c["lost"] for m, c in result["centrality"].items()},
        "communities_before": _big_communities(before),
        "communities_after": _big_communities(after),
        "merged": [
            {
                "into": lead_after.get(m["into"], str(m["into"])),
                "size": m["size"],
                "from": [lead_before.get(s, str(s)) for s in m["from"]],
            }
            for m in com["merged"]
        ],
        "split": [
            {
                "community": lead_before.get(s["community"], str(s["community"])),
                "size": s["size"],
                "into": [lead_after.get(t, str(t)) for t in s["into"]],
            }
            for s in com["split"]
        ],
    }
