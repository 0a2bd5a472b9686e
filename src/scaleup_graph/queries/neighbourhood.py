"""Neighbourhoods with bounded work: the walk goes level by level and stops at hubs.

A variable-length match (``(s)-[*1..2]-(m)``) reaches everything within two hops before it
keeps ``limit`` nodes: from an ordinary SME that is the whole region and every firm sharing a
topic (12,751 nodes at 40,000 organisations). Here each level is one query from the nodes of the
level before, ranked by relevance (how many shown nodes link to a candidate, then how many
links, then PageRank where analysts computed it) and cut at a cap, so the engine touches about
``limit x degree`` relationships, not the graph.

Hubs (regions, topics, programmes, and any node with more than ``hub_degree`` relationships)
are shown but not walked through, unless their label is asked for (``labels``). The answer says
what was left out and how to ask for it (``left_out``, ``hubs``, ``ask``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scaleup_graph.graph_model import KEY, METRIC_PREFIX, NODE_TYPES
from scaleup_graph.queries.errors import ParamError, PermissionDenied
from scaleup_graph.queries.privacy import (
    Visibility,
    drop_hidden,
    has_role,
    strip_pii,
    visibility,
)
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cypher_label

__all__ = [
    "HUB_DEGREE",
    "HUB_LABELS",
    "Level",
    "bounded_neighbourhood",
    "is_hub_label",
    "walk_level",
]

#: Labels whose nodes connect whole populations: walking through them reaches everything.
HUB_LABELS: tuple[str, ...] = ("Region", "Topic", "Programme")
#: Any node with more relationships than this is a hub too.
HUB_DEGREE = 100
_ALL_LABELS = frozenset(NODE_TYPES) | {k for nt in NODE_TYPES.values() for k in nt.extra_labels}
_RANK = f"{METRIC_PREFIX}pagerank"


def _centre_query(node_label: str) -> str:
    where = f":{cypher_label(node_label)}" if node_label else ""
    return f"MATCH (m{where} {{{KEY}: $id}}) RETURN m AS node LIMIT 1"


def _lookup(groups: list[str], prefix: str = "ids") -> str:
    """The nodes of ``$ids0``, ``$ids1``, ... (one list per label) collected as ``found``, each
    lookup by its label's key index. No CALL subquery: FalkorDB has no scope clause, and Neo4j
    deprecates a CALL without one in Cypher 25; no lookup by internal id either (FalkorDB
    scans every node for ``id(n) IN $list``)."""
    parts, carried = [], ""
    for i, lbl in enumerate(groups):
        parts.append(
            f"OPTIONAL MATCH (f{i}:{cypher_label(lbl)}) WHERE f{i}.{KEY} IN ${prefix}{i} "
            f"WITH {carried}collect(f{i}) AS c{i}"
        )
        carried += f"c{i}, "
    every = " + ".join(f"c{i}" for i in range(len(groups)))
    return " ".join(parts) + f" WITH {every} AS found"


def _level_query(groups: list[str], seen: Visibility, dialect: str = "falkordb") -> str:
    """One level of the walk from the frontier (see :func:`_level_query_any`); on FalkorDB
    :func:`_level_query_directed`, the same answer at a fraction of the engine's time."""
    if dialect == "falkordb":
        return _level_query_directed(groups, seen)
    return _level_query_any(groups, seen)


def _level_query_directed(groups: list[str], seen: Visibility) -> str:
    """:func:`_level_query_any` with each frontier node's links read in two directed steps.

    FalkorDB expands a pattern without direction that names its relationship
    (``(f)-[r]-(m)``), and counts one in a pattern comprehension, at some 20 us a link (for 90
    frontier nodes with 450 links: 13 ms for the degrees, 10 ms for the walk, at 40,000
    organisations); the outgoing and then the incoming links, each named, cost a tenth of that.
    Each frontier node's links are read once, as ``[relationship, neighbour, node]``, and serve
    for its degree and its walk. A link to itself is read once, as FalkorDB's undirected
    pattern reads it (not again among the incoming ones), so degrees, ``via`` and ``links``
    are the same numbers; the hubs keep the frontier's order. Links that ``seen`` hides or
    that lead to a node left out become a row without a neighbour, which the ranking leaves
    out, as the OPTIONAL MATCH's WHERE did; one row with none always follows, so the hubs come
    back when nothing is walked. Every relationship counts for every role: the text without
    direction, with a relationship clause of ``true`` (the contacts role), counted parallel
    links once on FalkorDB (``tests/queries/test_neighbourhood_directed.py``).
    """
    return (
        f"{_lookup(groups)} UNWIND range(0, size(found) - 1) AS i WITH i, found[i] AS f "
        "OPTIONAL MATCH (f)-[ro]->(mo) "
        "WITH i, f, collect(CASE WHEN ro IS NULL THEN NULL ELSE [ro, mo, f] END) AS outs "
        "OPTIONAL MATCH (f)<-[ri]-(mi) "
        "WITH i, f, outs, "
        "collect(CASE WHEN ri IS NULL OR mi = f THEN NULL ELSE [ri, mi, f] END) AS ins "
        "WITH f, outs + ins AS around ORDER BY i "
        f"WITH collect(CASE WHEN size(around) > $hub_degree THEN f.{KEY} END) AS hubs, "
        "collect(CASE WHEN size(around) > $hub_degree THEN [] ELSE around END) AS walk "
        "UNWIND walk + [[NULL]] AS around UNWIND around AS p "
        "WITH hubs, p[0] AS r, p[1] AS m, p[2] AS f "
        "WITH hubs, f, CASE WHEN "
        f"NOT m.{KEY} IN $seen AND {seen.rel_clause('r')} AND {seen.node_clause('m')} "
        "AND (size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels)) "
        "AND NOT any(l IN labels(m) WHERE l STARTS WITH '_') THEN m END AS m "
        "WITH hubs, m, count(DISTINCT f) AS via, count(f) AS links "
        f"ORDER BY via DESC, links DESC, coalesce(m.{_RANK}, 0.0) DESC, m.{KEY} "
        "WITH hubs, collect(m) AS candidates "
        "RETURN hubs, candidates[0..$cap] AS kept, size(candidates) AS total"
    )


def _level_query_any(groups: list[str], seen: Visibility) -> str:
    """One level of the walk from the frontier (``$ids0``, ``$ids1``, ... by label), over
    what ``seen`` lets the reader see (no draft, no KNOWS without contacts).

    A frontier node with more than ``$hub_degree`` links is a hub: it is reported in ``hubs``
    and not walked through. (Its links are counted by a pattern, which reads them from the
    node's own adjacency; FalkorDB's ``indegree()`` costs about 0.3 ms a node at 40,000
    organisations.) The candidates are ranked by how many frontier nodes link to them, then by
    how many links, then by PageRank, and cut at ``$cap``.
    """
    return (
        f"{_lookup(groups)} UNWIND found AS f "
        "WITH f, size([(f)--() | 1]) AS degree "
        f"WITH collect(CASE WHEN degree > $hub_degree THEN f.{KEY} END) AS hubs, "
        "collect(CASE WHEN degree > $hub_degree THEN NULL ELSE f END) AS walk "
        # no frontier node left to walk: one row all the same, so the hubs come back
        "UNWIND (CASE WHEN size(walk) = 0 THEN [NULL] ELSE walk END) AS f "
        "OPTIONAL MATCH (f)-[r]-(m) "
        f"WHERE NOT m.{KEY} IN $seen AND {seen.rel_clause('r')} AND {seen.node_clause('m')} "
        "AND (size($labels) = 0 OR any(l IN labels(m) WHERE l IN $labels)) "
        "AND NOT any(l IN labels(m) WHERE l STARTS WITH '_') "
        "WITH hubs, m, count(DISTINCT f) AS via, count(f) AS links "
        f"ORDER BY via DESC, links DESC, coalesce(m.{_RANK}, 0.0) DESC, m.{KEY} "
        "WITH hubs, collect(m) AS candidates "
        "RETURN hubs, candidates[0..$cap] AS kept, size(candidates) AS total"
    )


def _links_query(groups: list[str], seen: Visibility) -> str:
    """Relationships among the shown nodes, each read once from its start node: a hub's many
    links mostly point at it (members, located in, competences), so its own are few. A UNION,
    not a CALL around one: FalkorDB has no CALL scope clause, Neo4j deprecates a CALL without
    one, and UNION already drops duplicates. Only those the reader sees (``seen``)."""
    return " UNION ".join(
        f"MATCH (x:{cypher_label(lbl)})-[r]->(y) WHERE x.{KEY} IN $ids{i} AND y.{KEY} IN $all "
        f"AND {seen.rel_clause('r')} "
        f"RETURN type(r) AS type, x.{KEY} AS start, y.{KEY} AS end"
        for i, lbl in enumerate(groups)
    )


def _primary(node: dict[str, Any]) -> str:
    labels = node.get("_labels", [])
    return next((lbl for lbl in NODE_TYPES if lbl in labels), "")


def _by_label(nodes: list[dict[str, Any]]) -> tuple[list[str], dict[str, Any]]:
    """Labels present among ``nodes`` and the parameters ``ids0``, ``ids1``, ... per label."""
    groups: dict[str, list[str]] = {}
    for node in nodes:
        label = _primary(node)
        if label:
            groups.setdefault(label, []).append(str(node.get(KEY)))
    labels = sorted(groups)
    return labels, {f"ids{i}": groups[lbl] for i, lbl in enumerate(labels)}


def _hub_label(node: dict[str, Any], walk: frozenset[str]) -> bool:
    labels = set(node.get("_labels", []))
    return not labels & walk and bool(labels & set(HUB_LABELS))


@dataclass(frozen=True)
class Level:
    """One level of a bounded walk: the nodes kept (most relevant first), how many were found,
    and the frontier nodes that were hubs (shown, not walked through)."""

    kept: list[dict[str, Any]]
    found: int
    hubs: list[str]


def is_hub_label(node: dict[str, Any]) -> bool:
    """A region, topic or programme: shown, but a walk does not go through it."""
    return bool(set(node.get("_labels", [])) & set(HUB_LABELS))


def walk_level(
    store: GraphStore,
    role: str,
    frontier: list[dict[str, Any]],
    seen: list[str],
    *,
    cap: int,
    hub_degree: int = HUB_DEGREE,
    timeout_ms: int | None = None,
) -> Level:
    """One level of the bounded walk from ``frontier`` (nodes as the store returns them):
    the neighbours not in ``seen`` that ``role`` sees, ranked by relevance and cut at ``cap``;
    frontier nodes with more than ``hub_degree`` links are hubs and not walked through. One
    query, whose cost follows the frontier's relationships, not the graph."""
    groups, ids = _by_label(frontier)
    if not groups:
        return Level([], 0, [])
    rows = store.read(
        _level_query(groups, visibility(role), store.dialect),
        {**ids, "seen": seen, "labels": [], "cap": cap, "hub_degree": hub_degree},
        timeout_ms=timeout_ms,
    )
    answer: dict[str, Any] = rows[0] if rows else {"hubs": [], "kept": [], "total": 0}
    return Level(list(answer["kept"]), int(answer["total"]), [str(h) for h in answer["hubs"]])


def bounded_neighbourhood(
    store: GraphStore,
    role: str,
    node_id: str,
    *,
    hops: int = 1,
    labels: list[str] | None = None,
    limit: int = 200,
    hub_degree: int = HUB_DEGREE,
    node_label: str = "",
    timeout_ms: int | None = None,
) -> dict[str, Any] | None:
    """Nodes within ``hops`` of ``node_id`` and the relationships among them; None if unknown.

    Parameters
    ----------
    store
        The graph store.
    role
        The caller's role (personal fields are removed unless it may see them).
    node_id
        The centre.
    hops
        1 to 3.
    labels
        Walk only through nodes with these labels; hubs of these labels are walked through too.
    limit
        At most this many nodes besides the centre, the most relevant of each level first.
    hub_degree
        Nodes with more relationships than this are not walked through (unless asked).
    node_label
        The centre's label (found from its id prefix when empty).

    Returns
    -------
    dict
        ``nodes`` and ``relationships`` (as before), and ``complete`` (nothing was left out),
        ``levels`` (per hop: found, shown, left_out), ``hubs`` (shown, not walked through) and
        ``ask`` (how to get what was left out).
    """
    if not has_role(role, "viewer"):
        raise PermissionDenied("viewer", role)
    if not 1 <= hops <= 3:
        raise ParamError("hops", "must be between 1 and 3")
    if not 1 <= limit <= 1000:
        raise ParamError("limit", "must be between 1 and 1000")
    wanted = list(labels or [])
    unknown = [x for x in wanted if x not in _ALL_LABELS]
    if unknown:
        raise ParamError("labels", f"unknown label {unknown[0]!r}; use schema labels")
    from scaleup_graph.queries.daily import label_for_id

    centre_label = node_label or label_for_id(node_id)
    if centre_label and centre_label not in _ALL_LABELS:
        raise ParamError("label", f"unknown label {centre_label!r}; use schema labels")
    found = store.read(_centre_query(centre_label), {"id": node_id}, timeout_ms=timeout_ms)
    seen_by = visibility(role)
    if not found or seen_by.hides_node(found[0]["node"]):  # a draft is unknown to a viewer
        return None
    centre = found[0]
    walk = frozenset(wanted)
    nodes: list[dict[str, Any]] = [centre["node"]]
    seen: list[str] = [node_id]
    frontier: list[dict[str, Any]] = [centre["node"]]
    levels: list[dict[str, int]] = []
    hubs: list[dict[str, Any]] = []
    by_id = {node_id: centre["node"]}
    unlimited = 10**9
    for level in range(1, hops + 1):
        room = limit - (len(nodes) - 1)
        if not frontier or room <= 0:
            break
        groups, ids = _by_label(frontier)
        # The centre is always walked; past it, a node with more than hub_degree links is a
        # hub, unless labels were asked for (then every node shown has an asked-for label).
        probing = level > 1 and not wanted
        rows = store.read(
            _level_query(groups, seen_by, store.dialect),
            {
                **ids,
                "seen": seen,
                "labels": wanted,
                "cap": room,
                "hub_degree": hub_degree if probing else unlimited,
            },
            timeout_ms=timeout_ms,
        )
        answer: dict[str, Any] = rows[0] if rows else {"hubs": [], "kept": [], "total": 0}
        kept: list[dict[str, Any]] = answer["kept"]
        total = int(answer["total"])
        for hub_id in answer["hubs"]:
            hub = by_id.get(hub_id, {})
            hubs.append(
                {"id": hub_id, "label": _primary(hub), "why": f"more than {hub_degree} links"}
            )
        levels.append(
            {"hop": level, "found": total, "shown": len(kept), "left_out": total - len(kept)}
        )
        frontier = []
        for node in kept:
            nodes.append(node)
            seen.append(str(node.get(KEY)))
            by_id[str(node.get(KEY))] = node
            if level == hops:
                continue
            if _hub_label(node, walk):
                hubs.append({"id": node.get(KEY), "label": _primary(node), "why": "label"})
            else:
                frontier.append(node)
    groups, ids = _by_label(nodes)
    links = store.read(_links_query(groups, seen_by), {**ids, "all": seen}, timeout_ms=timeout_ms)
    relationships = [{"type": r["type"], "start": r["start"], "end": r["end"]} for r in links]
    left_out = sum(lv["left_out"] for lv in levels)
    ask: list[str] = []
    if left_out:
        ask.append(f"{left_out} more nodes were found than shown: raise limit (at most 1000)")
    if hubs:
        hub_labels = sorted({h["label"] for h in hubs if h["label"]})
        ask.append(
            "hubs were shown but not walked through; to walk through them, pass "
            + " ".join(f"labels={x}" for x in hub_labels)
            + " (with the other labels you want)"
        )
    # drafts and KNOWS links are left out as the named queries leave them out (issue 15)
    shown = drop_hidden([{"nodes": nodes, "relationships": relationships}], role)
    body = strip_pii(shown, role)[0]
    body.update(
        {
            "complete": not left_out and not hubs,
            "levels": levels,
            "hubs": hubs,
            "ask": ask,
        }
    )
    return body
