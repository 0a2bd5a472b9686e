"""Snapshots: freeze the network's metrics now, compare two phases of the project later.

A snapshot holds the links, each node's degree, PageRank, betweenness and community, and the
run records, as ``<state_dir>/snapshots/<name>.json.gz``. :func:`diff` says what changed: nodes
and links that appeared or went, who gained or lost centrality, and communities that merged or
split (a community *merged* when two or more old communities put most of their members into
it; one *split* when it is the main source of two or more new communities).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scaleup_graph.analytics.centrality import betweenness, degree, pagerank
from scaleup_graph.analytics.communities import louvain
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.projection import Projection, require_size
from scaleup_graph.errors import NotFound

__all__ = ["create_snapshot", "diff", "list_snapshots", "load_snapshot", "snapshot_path"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MIN_COMMUNITY = 3


def snapshot_path(state_dir: Path, name: str) -> Path:
    if not _NAME.match(name):
        raise AnalyticsError(
            "this snapshot name is not allowed: use letters, digits, '.', '_' or '-' "
            "(up to 64 characters), e.g. phase-1"
        )
    return state_dir / "snapshots" / f"{name}.json.gz"


def create_snapshot(
    state_dir: Path,
    name: str,
    projection: Projection,
    *,
    seed: int = 42,
    overwrite: bool = False,
) -> dict[str, Any]:
    """Compute the snapshot metrics on ``projection`` and save them under ``name``.

    Returns a summary (name, path, nodes, links, communities). Refuses to replace an existing
    snapshot unless ``overwrite``.
    """
    path = snapshot_path(state_dir, name)
    if path.exists() and not overwrite:
        raise AnalyticsError(f"a snapshot named {name!r} exists; pick another name or overwrite")
    graph = projection.undirected()
    require_size(graph, nodes=3, edges=1, what="a snapshot")
    results = [
        degree(graph),
        pagerank(graph),
        betweenness(graph, seed=seed),
        louvain(graph, seed=seed),
    ]
    metrics = {r.name: dict(r.values) for r in results}
    data = {
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "filter": projection.filter.as_dict(),
        "nodes": {
            str(n): {"label": d.get("label"), "name": d.get("name")}
            for n, d in graph.nodes(data=True)
        },
        "links": sorted(sorted((str(a), str(b))) for a, b in graph.edges()),
        "metrics": metrics,
        "runs": {r.name: r.run.as_dict() for r in results},
        "modularity": results[-1].extra["modularity"],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as fh:
        json.dump(data, fh)
    tmp.replace(path)  # atomic: a half-written snapshot never carries the name
    return {
        "name": name,
        "path": str(path),
        "nodes": graph.number_of_nodes(),
        "links": graph.number_of_edges(),
        "communities": results[-1].extra["communities"],
        "modularity": data["modularity"],
    }


def load_snapshot(state_dir: Path, name: str) -> dict[str, Any]:
    path = snapshot_path(state_dir, name)
    if not path.exists():
        known = ", ".join(s["name"] for s in list_snapshots(state_dir)) or "none yet"
        # the name is not echoed: it is the caller's input and may hold anything
        raise NotFound(
            f"no snapshot with this name (known: {known}); create one with "
            "`scaleup snapshot create NAME`"
        )
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def list_snapshots(state_dir: Path) -> list[dict[str, Any]]:
    folder = state_dir / "snapshots"
    out = []
    for path in sorted(folder.glob("*.json.gz")) if folder.exists() else []:
        out.append({"name": path.name.removesuffix(".json.gz"), "bytes": path.stat().st_size})
    return out


def _named(nodes: dict[str, Any], node: str) -> dict[str, Any]:
    info = nodes.get(node, {})
    return {"id": node, "name": info.get("name"), "label": info.get("label")}


def _changes(a: dict[str, Any], b: dict[str, Any], metric: str, top: int) -> dict[str, Any]:
    va, vb = a["metrics"][metric], b["metrics"][metric]
    deltas = sorted(((vb[n] - va[n], n) for n in va.keys() & vb.keys()), key=lambda x: (x[0], x[1]))
    gained = [
        {**_named(b["nodes"], n), "before": va[n], "after": vb[n], "change": d}
        for d, n in reversed(deltas[-top:])
        if d > 0
    ]
    lost = [
        {**_named(b["nodes"], n), "before": va[n], "after": vb[n], "change": d}
        for d, n in deltas[:top]
        if d < 0
    ]
    return {"gained": gained, "lost": lost}


def _majority(source: dict[int, set[str]], target_of: dict[str, int]) -> dict[int, int]:
    """For each source community: the target community most of its surviving members are in."""
    out = {}
    for c, members in source.items():
        tally = Counter(target_of[m] for m in members if m in target_of)
        if len(members) >= _MIN_COMMUNITY and tally:
            best, n = tally.most_common(1)[0]
            if n * 2 > sum(tally.values()):
                out[c] = best
    return out


def _groups(values: dict[str, float]) -> dict[int, set[str]]:
    groups: dict[int, set[str]] = {}
    for node, c in values.items():
        groups.setdefault(int(c), set()).add(node)
    return groups


def _community_changes(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    ca, cb = a["metrics"]["community"], b["metrics"]["community"]
    ga, gb = _groups(ca), _groups(cb)
    to_b = _majority(ga, {n: int(c) for n, c in cb.items()})
    to_a = _majority(gb, {n: int(c) for n, c in ca.items()})
    merged = [
        {"into": t, "size": len(gb[t]), "from": sorted(s for s, tt in to_b.items() if tt == t)}
        for t in sorted(set(to_b.values()))
        if sum(1 for tt in to_b.values() if tt == t) >= 2
    ]
    split = [
        {"community": s, "size": len(ga[s]), "into": sorted(t for t, ss in to_a.items() if ss == s)}
        for s in sorted(set(to_a.values()))
        if sum(1 for ss in to_a.values() if ss == s) >= 2
    ]
    return {
        "before": len(ga),
        "after": len(gb),
        "merged": merged,
        "split": split,
        "modularity_before": a.get("modularity"),
        "modularity_after": b.get("modularity"),
    }


def diff(state_dir: Path, name_a: str, name_b: str, *, top: int = 10) -> dict[str, Any]:
    """What changed from snapshot ``name_a`` to ``name_b``."""
    a, b = load_snapshot(state_dir, name_a), load_snapshot(state_dir, name_b)
    links_a = {tuple(x) for x in a["links"]}
    links_b = {tuple(x) for x in b["links"]}
    nodes_all = {**a["nodes"], **b["nodes"]}
    new_links = sorted(links_b - links_a)
    gone_links = sorted(links_a - links_b)

    def link(pair: tuple[str, ...]) -> dict[str, Any]:
        return {"source": _named(nodes_all, pair[0]), "target": _named(nodes_all, pair[1])}

    return {
        "from": {
            "name": name_a,
            "created_at": a["created_at"],
            "nodes": len(a["nodes"]),
            "links": len(links_a),
        },
        "to": {
            "name": name_b,
            "created_at": b["created_at"],
            "nodes": len(b["nodes"]),
            "links": len(links_b),
        },
        "nodes_added": [
            _named(b["nodes"], n) for n in sorted(b["nodes"].keys() - a["nodes"].keys())[:100]
        ],
        "nodes_removed": [
            _named(a["nodes"], n) for n in sorted(a["nodes"].keys() - b["nodes"].keys())[:100]
        ],
        "new_links_count": len(new_links),
        "removed_links_count": len(gone_links),
        "new_links": [link(p) for p in new_links[:100]],
        "removed_links": [link(p) for p in gone_links[:100]],
        "centrality": {m: _changes(a, b, m, top) for m in ("degree", "pagerank", "betweenness")},
        "communities": _community_changes(a, b),
    }
