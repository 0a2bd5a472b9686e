"""Scale-Up content exchange: publish items with known topics, subscribe to topics, read a feed,
record who shared an item with whom (SHARED_WITH with ``by`` and ``date``).

An organisation may share an item it published or received; that keeps every share on a chain
back to the publisher, so :mod:`.reach` can count hops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scaleup_graph.graph_model import choices, make_id, validate_node
from scaleup_graph.graph_model.validation import invalid
from scaleup_graph.queries import daily
from scaleup_graph.queries.edits import Actor
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import history_foreach
from scaleup_graph.workflows.errors import Conflict, Invalid
from scaleup_graph.workflows.lookup import require_node, resolve_topics
from scaleup_graph.workflows.records import node_props, parse_date, provenance, step_history

__all__ = [
    "KINDS",
    "MAX_SHARE_TARGETS",
    "feed",
    "publish_content",
    "share_content",
    "subscribe",
    "subscriptions",
]

KINDS = choices("ContentItem", "kind")
MAX_SHARE_TARGETS = 100
_IDS_PER_CALL = 50  # a named query's list parameter holds at most 50 values

_PUBLISH = (
    "MATCH (o:Organisation {id: $org}) "
    "CREATE (c:ContentItem) SET c = $props "
    "CREATE (o)-[p:PUBLISHES]->(c) SET p += $rel"
    + history_foreach("c")
    + " WITH c UNWIND $topics AS tid MATCH (t:Topic {id: tid}) "
    "CREATE (c)-[a:ABOUT]->(t) SET a += $rel "
    "RETURN count(a) AS topics"
)
_SUBSCRIBE = (
    "MATCH (o:Organisation {id: $org}) "
    "OPTIONAL MATCH (o)-[s:SUBSCRIBES_TO]->(:Topic) DELETE s "
    "WITH DISTINCT o UNWIND $topics AS tid MATCH (t:Topic {id: tid}) "
    "MERGE (o)-[r:SUBSCRIBES_TO]->(t) SET r += $rel "
    "RETURN count(r) AS topics"
)
_SUBSCRIPTIONS = (
    "MATCH (o:Organisation {id: $org})-[:SUBSCRIBES_TO]->(t:Topic) "
    "RETURN t.id AS id, t.name AS name ORDER BY t.name"
)
_SUBSCRIBED_ITEMS = (
    "MATCH (o:Organisation {id: $org})-[:SUBSCRIBES_TO]->(t:Topic)<-[:ABOUT]-(c:ContentItem) "
    "WHERE NOT (o)-[:PUBLISHES]->(c) "
    "RETURN c.id AS id, collect(t.name) AS matched"
)
_SHARED_ITEMS = (
    "MATCH (c:ContentItem)-[s:SHARED_WITH]->(o:Organisation {id: $org}) "
    "OPTIONAL MATCH (b:Organisation {id: s.by}) "
    "RETURN c.id AS id, collect({id: s.by, name: b.name, date: s.date}) AS shared_by"
)
_HOLDERS = (
    "MATCH (c:ContentItem {id: $id}) "
    "OPTIONAL MATCH (p:Organisation)-[:PUBLISHES]->(c) "
    "OPTIONAL MATCH (c)-[:SHARED_WITH]->(r:Organisation) "
    "RETURN collect(DISTINCT p.id) AS publishers, collect(DISTINCT r.id) AS receivers"
)
_SHARE = (
    "MATCH (c:ContentItem {id: $id}) "
    "UNWIND $targets AS oid MATCH (o:Organisation {id: oid}) "
    "MERGE (c)-[s:SHARED_WITH {by: $by}]->(o) "
    "ON CREATE SET s.date = $date, s.source = $rel.source, s.ingest_run = $rel.ingest_run, "
    "s.ingested_at = $rel.ingested_at "
    "SET s.updated_at = $rel.updated_at "
    "RETURN o.id AS id, s.date AS date"
)


def _rel(actor: str) -> dict[str, Any]:
    prov = provenance(actor)
    return {**prov, "updated_at": prov["ingested_at"]}


def publish_content(
    store: GraphStore,
    *,
    publisher: str,
    kind: str,
    name: str,
    topics: Sequence[str],
    url: str | None = None,
    description: str = "",
    date: str | None = None,
    actor: str = "cli",
    by: Actor | None = None,
) -> dict[str, Any]:
    """Publish a content item (news, offer, event, study) about known topics.

    Raises
    ------
    Invalid
        Unknown kind or topic, no topic, bad url or date.
    NotFound
        The publisher is no organisation.
    Conflict
        The publisher already published an item of that title on that date.
    """
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", "kind")
    require_node(store, "Organisation", publisher, "publisher")
    found = resolve_topics(store, topics)
    published = parse_date(date, "date")
    raw = {
        "name": (name or "").strip(),
        "kind": kind,
        "url": url or None,
        "description": description.strip() or None,
        "published_at": published,
        "topics": [t["name"] for t in found],
    }
    clean, errors = validate_node("ContentItem", {"id": "x", **raw})
    if errors:
        raise invalid(errors)
    content_id = make_id(
        "ContentItem", f"{clean['name']} {published} {publisher.removeprefix('org-')}"
    )
    if store.existing_ids("ContentItem", [content_id]):
        raise Conflict(f"this item is already published as {content_id}", "name")
    clean["id"] = content_id
    with store.changing_structure_at([content_id]):  # the item, its PUBLISHES and ABOUT
        _write_item(store, publisher, clean, actor, found, by)
    return {**clean, "publisher": publisher}


def _write_item(
    store: GraphStore,
    publisher: str,
    clean: dict[str, Any],
    actor: str,
    found: list[dict[str, Any]],
    by: Actor | None,
) -> None:
    content_id = clean["id"]
    store.write(
        _PUBLISH,
        {
            "org": publisher,
            "props": node_props("ContentItem", clean, actor),
            "rel": _rel(actor),
            "topics": [t["id"] for t in found],
            "history": step_history(
                by,
                "ContentItem",
                content_id,
                "create",
                {k: (None, v) for k, v in clean.items() if k != "id" and v is not None},
            ),
        },
    )


def subscribe(
    store: GraphStore, organisation: str, topics: Sequence[str], *, actor: str = "cli"
) -> list[dict[str, str]]:
    """Replace the organisation's topic subscriptions with ``topics`` (at least one)."""
    require_node(store, "Organisation", organisation, "organisation")
    if not [t for t in topics if str(t).strip()]:
        raise Invalid(
            "topics is empty: subscribing to nothing is not possible; name at least one topic",
            "topics",
        )
    found = resolve_topics(store, topics)
    with store.changing_structure_at([organisation]):  # its SUBSCRIBES_TO, old and new
        store.write(
            _SUBSCRIBE,
            {"org": organisation, "topics": [t["id"] for t in found], "rel": _rel(actor)},
        )
    return subscriptions(store, organisation)


def subscriptions(store: GraphStore, organisation: str) -> list[dict[str, str]]:
    """The topics an organisation subscribes to."""
    require_node(store, "Organisation", organisation, "organisation")
    return store.read(_SUBSCRIPTIONS, {"org": organisation})


def _items(store: GraphStore, ids: list[str]) -> list[dict[str, Any]]:
    """The items ``ids`` as rows of the named query ``content_feed`` (``item``,
    ``published_by``, ``topics``), the one home of the item shape."""
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), _IDS_PER_CALL):
        chunk = ids[start : start + _IDS_PER_CALL]
        rows += daily.content_feed(store, "viewer", ids=chunk, limit=len(chunk)).rows
    return rows


def feed(
    store: GraphStore,
    organisation: str,
    *,
    since: str | None = None,
    until: str | None = None,
    limit: int = 50,
) -> dict[str, Any]:
    """Items about the organisation's topics and items shared with it, newest first.

    An item is a row of the named query ``content_feed`` (``item``, ``published_by``,
    ``topics``) that also says why it is in the feed: ``matched_topics`` and/or ``shared_by``,
    and its ``feed_date``. ``since``
    and ``until`` (inclusive) filter on the item's publication date or, for shared items, on
    the share date.
    """
    if not 1 <= limit <= 500:
        raise Invalid("limit must be between 1 and 500", "limit")
    subscribed = subscriptions(store, organisation)
    lo = parse_date(since, "since") if since else ""
    hi = parse_date(until, "until") if until else "9999-12-31"
    reasons: dict[str, dict[str, Any]] = {}
    for r in store.read(_SUBSCRIBED_ITEMS, {"org": organisation}):
        reasons.setdefault(r["id"], {})["matched_topics"] = sorted(set(r["matched"]))
    for r in store.read(_SHARED_ITEMS, {"org": organisation}):
        reasons.setdefault(r["id"], {})["shared_by"] = [s for s in r["shared_by"] if s["id"]]
    items = []
    for row in _items(store, sorted(reasons)):
        why = reasons[row["item"]["id"]]
        dates = [row["item"].get("published_at") or ""] if "matched_topics" in why else []
        dates += [s["date"] or "" for s in why.get("shared_by", [])]
        if not any(lo <= d <= hi for d in dates):
            continue
        items.append(
            {
                **row,
                "matched_topics": why.get("matched_topics", []),
                "shared_by": why.get("shared_by", []),
                "feed_date": max(d for d in dates if lo <= d <= hi),
            }
        )
    items.sort(key=lambda i: (i["feed_date"], i["item"]["id"]), reverse=True)
    notes = []
    if not subscribed:
        notes.append(
            "this organisation subscribes to no topic: the feed holds only items shared with it; "
            "subscribe with PUT /api/v1/organisations/{id}/subscriptions"
        )
    return {
        "organisation": organisation,
        "subscriptions": subscribed,
        "items": items[:limit],
        "total": len(items),
        "notes": notes,
    }


def share_content(
    store: GraphStore,
    content_id: str,
    *,
    by: str,
    targets: Sequence[str],
    date: str | None = None,
    actor: str = "cli",
) -> dict[str, Any]:
    """Record that organisation ``by`` shared an item with each of ``targets``.

    Raises
    ------
    Conflict
        ``by`` neither published nor received the item, or shares it with itself.
    Invalid
        No targets, too many, or a bad date.
    """
    require_node(store, "ContentItem", content_id, "content")
    require_node(store, "Organisation", by, "by")
    wanted = list(dict.fromkeys(t for t in targets if str(t).strip()))
    if not wanted:
        raise Invalid("with is empty: name the organisations the item was shared with", "with")
    if len(wanted) > MAX_SHARE_TARGETS:
        raise Invalid(f"with: at most {MAX_SHARE_TARGETS} organisations per request", "with")
    if by in wanted:
        raise Conflict("an organisation cannot share an item with itself", "with")
    for target in wanted:
        require_node(store, "Organisation", target, "with")
    holders = store.read(_HOLDERS, {"id": content_id})[0]
    if by not in holders["publishers"] and by not in holders["receivers"]:
        raise Conflict(
            f"{by} neither published nor received {content_id}; record the share that reached "
            f"{by} first (or share from the publisher)",
            "by",
        )
    when = parse_date(date, "date")
    with store.changing_structure_at([content_id]):  # its new SHARED_WITH
        rows = store.write(
            _SHARE,
            {"id": content_id, "by": by, "targets": wanted, "date": when, "rel": _rel(actor)},
        )
    return {"content": content_id, "by": by, "shared_with": rows}
