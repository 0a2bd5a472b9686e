"""The reach of a content item: who received it, in how many hops from the publisher, which
regions it reached.

A share is a step ``by -> receiver`` (SHARED_WITH carries ``by``). The hops of a receiver are
the fewest steps on the chain of shares from a publisher (breadth-first). A receiver whose
sharer has no recorded way back to the publisher keeps ``hops: null`` and is listed under
``unconnected``: its share was recorded, but not how the sharer got the item.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from scaleup_graph.store import GraphStore
from scaleup_graph.workflows.lookup import require_node

__all__ = ["content_reach"]

_PUBLISHERS = (
    "MATCH (o:Organisation)-[:PUBLISHES]->(c:ContentItem {id: $id}) "
    "RETURN o.id AS id, o.name AS name ORDER BY o.id"
)
_SHARES = (
    "MATCH (c:ContentItem {id: $id})-[s:SHARED_WITH]->(o:Organisation) "
    "RETURN s.by AS by, o.id AS id, o.name AS name, s.date AS date ORDER BY s.date, o.id"
)
_REGIONS = (
    "UNWIND $ids AS oid MATCH (o:Organisation {id: oid})-[:LOCATED_IN]->(r:Region) "
    "RETURN o.id AS org, r.id AS id, r.name AS name, r.nuts_code AS nuts_code, "
    "r.country AS country"
)
_SUBSCRIBERS = (
    "MATCH (c:ContentItem {id: $id})-[:ABOUT]->(:Topic)<-[:SUBSCRIBES_TO]-(o:Organisation) "
    "RETURN count(DISTINCT o) AS n"
)


def content_reach(store: GraphStore, content_id: str) -> dict[str, Any]:
    """Receivers with hops and regions, counts per hop, regions and countries reached.

    Returns
    -------
    dict
        ``publishers``; ``receivers`` (``id, name, hops, received_from, first_date,
        regions``); ``by_hops`` ({hops: count}); ``max_hops``; ``regions`` (each with the
        receivers located there); ``countries``; ``unconnected``; ``subscribers`` (organisations
        subscribed to one of its topics, who see it in their feed).
    """
    item = require_node(store, "ContentItem", content_id, "content")
    params = {"id": content_id}
    publishers = store.read(_PUBLISHERS, params)
    shares = store.read(_SHARES, params)
    hops: dict[str, int] = {p["id"]: 0 for p in publishers}
    out: dict[str, list[str]] = {}
    for s in shares:
        out.setdefault(s["by"], []).append(s["id"])
    queue = deque(hops)
    while queue:
        current = queue.popleft()
        for nxt in out.get(current, []):
            if nxt not in hops:
                hops[nxt] = hops[current] + 1
                queue.append(nxt)
    receivers: dict[str, dict[str, Any]] = {}
    for s in shares:
        entry = receivers.setdefault(
            s["id"],
            {"id": s["id"], "name": s["name"], "received_from": [], "first_date": s["date"]},
        )
        entry["received_from"].append({"by": s["by"], "date": s["date"]})
        if s["date"] and (not entry["first_date"] or s["date"] < entry["first_date"]):
            entry["first_date"] = s["date"]
    publisher_ids = {p["id"] for p in publishers}
    for pid in publisher_ids:
        receivers.pop(pid, None)  # a publisher that got its own item back did not "receive" it
    regions: dict[str, dict[str, Any]] = {}
    located: dict[str, list[str]] = {}
    for r in store.read(_REGIONS, {"ids": sorted(receivers)}):
        located.setdefault(r["org"], []).append(r["id"])
        region = regions.setdefault(
            r["id"], {k: r[k] for k in ("id", "name", "nuts_code", "country")} | {"receivers": []}
        )
        region["receivers"].append(r["org"])
    listed = []
    by_hops: dict[int, int] = {}
    for rid, entry in sorted(receivers.items(), key=lambda kv: (hops.get(kv[0], 99), kv[0])):
        h = hops.get(rid)
        if h is not None:
            by_hops[h] = by_hops.get(h, 0) + 1
        listed.append({**entry, "hops": h, "regions": sorted(located.get(rid, []))})
    return {
        "content": {k: item.get(k) for k in ("id", "name", "kind", "published_at", "topics")},
        "publishers": publishers,
        "receivers": listed,
        "total_receivers": len(listed),
        "by_hops": {str(k): v for k, v in sorted(by_hops.items())},
        "max_hops": max(by_hops, default=0),
        "regions": sorted(regions.values(), key=lambda r: r["id"]),
        "countries": sorted({r["country"] for r in regions.values() if r["country"]}),
        "unconnected": [r["id"] for r in listed if r["hops"] is None],
        "subscribers": store.read(_SUBSCRIBERS, params)[0]["n"],
    }
