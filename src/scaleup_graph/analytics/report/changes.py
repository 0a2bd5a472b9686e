"""Change since a snapshot: new ties, risers and fallers, merged or split communities.

The current network is frozen with the snapshot's own filter and compared with
:func:`scaleup_graph.analytics.snapshots.diff`, in a temporary folder, so the comparison is like
for like and nothing is added to the user's snapshots. Only organisations are reported: the
snapshot holds the whole projection, and topics or regions are not actors.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from scaleup_graph.analytics.projection import ProjectionFilter, project
from scaleup_graph.analytics.snapshots import create_snapshot, diff, load_snapshot, snapshot_path
from scaleup_graph.store import GraphStore

__all__ = ["changes_since"]

_ACTOR = "Organisation"


def _leaders(snapshot: dict[str, Any]) -> dict[int, str]:
    """Community number -> name of its member with the highest PageRank (organisations first)."""
    nodes, metrics = snapshot["nodes"], snapshot["metrics"]
    best: dict[int, tuple[int, float, str]] = {}
    for node, c in metrics["community"].items():
        info = nodes.get(node, {})
        rank = (1 if info.get("label") == _ACTOR else 0, metrics["pagerank"].get(node, 0.0))
        current = best.get(int(c))
        if current is None or rank > current[:2]:
            best[int(c)] = (*rank, str(info.get("name") or node))
    return {c: v[2] for c, v in best.items()}


def _count(snapshot: dict[str, Any]) -> int:
    return sum(1 for info in snapshot["nodes"].values() if info.get("label") == _ACTOR)


def changes_since(
    store: GraphStore, state_dir: Path, name: str, *, seed: int = 42, top: int = 10
) -> dict[str, Any]:
    """What changed for the organisations since snapshot ``name``."""
    before = load_snapshot(state_dir, name)  # a clear error when there is no such snapshot
    saved = before.get("filter") or {}
    flt = ProjectionFilter(
        **{k: tuple(v) if isinstance(v, list) else v for k, v in saved.items()}
    )
    now_name = "now" if name != "now" else "now-2"
    with tempfile.TemporaryDirectory(prefix="scaleup-report-") as tmp:
        folder = Path(tmp)
        copy = snapshot_path(folder, name)
        copy.parent.mkdir(parents=True)
        shutil.copyfile(snapshot_path(state_dir, name), copy)
        create_snapshot(folder, now_name, project(store, flt), seed=seed)
        result = diff(folder, name, now_name, top=10_000)
        after = load_snapshot(folder, now_name)

    def actors_only(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [r for r in rows if r.get("label") == _ACTOR][:top]

    new_ties = [
        t
        for t in result["new_links"]
        if t["source"]["label"] == _ACTOR and t["target"]["label"] == _ACTOR
    ]
    lead_before, lead_after = _leaders(before), _leaders(after)
    com = result["communities"]
    return {
        "name": name,
        "created_at": before.get("created_at"),
        "from": {**result["from"], "organisations": _count(before)},
        "to": {**result["to"], "organisations": _count(after)},
        "new_links_count": result["new_links_count"],
        "removed_links_count": result["removed_links_count"],
        "new_actor_ties": new_ties[:top],
        "new_actor_ties_count": len(new_ties),
        "new_actors": actors_only(result["nodes_added"]),
        "gone_actors": actors_only(result["nodes_removed"]),
        "risers": {m: actors_only(c["gained"]) for m, c in result["centrality"].items()},
        "fallers": {m: actors_only(c["lost"]) for m, c in result["centrality"].items()},
        "communities_before": com["before"],
        "communities_after": com["after"],
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
