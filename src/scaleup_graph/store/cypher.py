"""The Cypher that store/ writes itself, in the subset both FalkorDB and Neo4j run.

Labels and relationship types are spliced into query text only after :func:`label` or
:func:`rel` checked them against the schema; every value is a ``$parameter``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scaleup_graph.graph_model import (
    KEY,
    NODE_TYPES,
    REL_TYPES,
    SEARCH_KEYS,
    SEARCH_TEXT,
    VERSION,
)

__all__ = [
    "HISTORY_LABEL",
    "create_node",
    "delete_node",
    "existing_ids",
    "history_foreach",
    "label",
    "link",
    "merge_nodes",
    "merge_relationships",
    "rel",
    "unlink",
    "update_node",
    "update_relationship",
]


def label(name: str) -> str:
    """A label from the schema's allowlist, back-quoted for Cypher; anything else is refused."""
    allowed = set(NODE_TYPES) | {k for nt in NODE_TYPES.values() for k in nt.extra_labels}
    if name not in allowed:
        raise ValueError(f"unknown label {name!r}")
    return f"`{name}`"


def rel(name: str) -> str:
    if name not in REL_TYPES:
        raise ValueError(f"unknown relationship type {name!r}")
    return f"`{name}`"


def provenance_params(provenance: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "source": provenance.get("source"),
        "run": provenance.get("ingest_run"),
        "now": provenance.get("ingested_at"),
    }


def prop(node_label: str, name: str) -> str:
    """A property name of ``node_label`` from the schema, safe to splice into Cypher."""
    if NODE_TYPES[node_label].prop(name) is None and name not in (
        *SEARCH_KEYS.values(),
        SEARCH_TEXT,
    ):
        raise ValueError(f"{node_label} has no property {name!r}")
    return f"`{name}`"


def merge_nodes(
    node_label: str,
    extra_labels: Iterable[str] = (),
    fill: Iterable[str] = (),
    history: bool = False,
) -> str:
    """MERGE on the key; ``r.props`` overwrite, ``r.fill`` properties only fill gaps.

    With ``history``, each node the statement changes that an earlier run or an editor made
    gets one history entry in the same statement (action ``ingest:update``, the changed field
    names, the run ``$run`` and source ``$source``; no values: the source file holds them;
    nothing an editor's entry needs for an undo, which an import is not). A node this run
    creates gets none: its provenance (``source``, ``ingest_run``, ``ingested_at``) is its
    creation entry (queries/history.py shows it so), which keeps a first load as cheap as
    before. A row that changes nothing adds none, so a repeated import leaves the history as
    it was.
    """
    extra = "".join(f", n:{label(x)}" for x in extra_labels)
    names = [prop(node_label, p) for p in sorted(fill)]
    gaps = "".join(f", n.{q} = coalesce(n.{q}, r.fill.{q})" for q in names)
    query = (
        f"UNWIND $rows AS r MERGE (n:{label(node_label)} {{{KEY}: r.{KEY}}}) "
        "ON CREATE SET n.source = $source, n.ingest_run = $run, n.ingested_at = $now "
        + ("WITH n, r, properties(n) AS before " if history else "")
        + f"SET n += r.props, n.updated_at = $now, n.{VERSION} = coalesce(n.{VERSION}, 0) + 1"
        f"{gaps}{extra}"
    )
    if not history:
        return query
    return query + (
        " WITH n, before, [k IN keys(r.props) WHERE NOT k IN $derived"
        " AND coalesce(before[k] <> r.props[k], true)]"
        " + [k IN keys(r.fill) WHERE before[k] IS NULL] AS changed"
        " WHERE size(changed) > 0 AND coalesce(before.ingest_run, '') <> $run"
        f" CREATE (h:{HISTORY_LABEL}) SET h.node = n.{KEY}, h.label = $label,"
        " h.action = 'ingest:update', h.at = $at, h.key_id = 'ingest',"
        " h.key_note = $source, h.ingest_run = $run,"
        f" h.fields = changed, h.{VERSION} = n.{VERSION}"
    )


def merge_relationships(type_: str, start_label: str, end_label: str, history: bool = False) -> str:
    """MERGE relationships between existing nodes; returns how many were written.

    With ``history``, each node at an end of a relationship the statement creates or changes
    gets one entry per statement (action ``ingest:link``, the type, run and source), not one
    per relationship; not the nodes this run created (their creation says it)."""
    head = (
        f"UNWIND $rows AS r MATCH (a:{label(start_label)} {{{KEY}: r.start}}) "
        f"MATCH (b:{label(end_label)} {{{KEY}: r.end}}) "
        f"MERGE (a)-[e:{rel(type_)}]->(b) "
        "ON CREATE SET e.source = $source, e.ingest_run = $run, e.ingested_at = $now "
    )
    if not history:
        return head + "SET e += r.props, e.updated_at = $now RETURN count(e) AS written"
    return head + (
        "WITH a, b, e, r, properties(e) AS before "
        "SET e += r.props, e.updated_at = $now "
        "WITH a, b, e, before.updated_at IS NULL"
        " OR any(k IN keys(r.props) WHERE coalesce(before[k] <> r.props[k], true)) AS changed "
        f"WITH count(e) AS written, collect(DISTINCT CASE WHEN changed"
        f" AND coalesce(a.ingest_run, '') <> $run THEN a.{KEY} END) AS s,"
        f" collect(DISTINCT CASE WHEN changed"
        f" AND coalesce(b.ingest_run, '') <> $run THEN b.{KEY} END) AS t "
        "FOREACH (nid IN s + [x IN t WHERE NOT x IN s] |"
        f" CREATE (h:{HISTORY_LABEL}) SET h.node = nid,"
        " h.label = CASE WHEN nid IN s THEN $start_label ELSE $end_label END,"
        " h.action = 'ingest:link',"
        " h.rel_type = $type, h.at = $at, h.key_id = 'ingest', h.key_note = $source,"
        " h.ingest_run = $run) "
        "RETURN written"
    )


def update_relationship(type_: str, start_label: str, end_label: str) -> str:
    """SET ``$props`` on an existing relationship (a null removes one) with its history."""
    return (
        f"MATCH (a:{label(start_label)} {{{KEY}: $start}})-[e:{rel(type_)}]->"
        f"(b:{label(end_label)} {{{KEY}: $end}}) "
        "SET e += $props, e.updated_at = $now" + _tail("e") + " RETURN entries AS written"
    )


def existing_ids(node_label: str) -> str:
    return f"UNWIND $ids AS id MATCH (n:{label(node_label)} {{{KEY}: id}}) RETURN n.{KEY} AS id"


def node_properties(node_label: str) -> str:
    return (
        f"UNWIND $ids AS id MATCH (n:{label(node_label)} {{{KEY}: id}}) "
        f"RETURN n.{KEY} AS id, properties(n) AS props"
    )


def missing_search_text(node_label: str) -> str:
    return (
        f"MATCH (n:{label(node_label)}) WHERE n.{SEARCH_TEXT} IS NULL AND n.name IS NOT NULL "
        f"RETURN n.{KEY} AS id, n.name AS name, n.short_name AS short_name, "
        "n.alt_names AS alt_names LIMIT $limit"
    )


def set_search_text(node_label: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (n:{label(node_label)} {{{KEY}: r.id}}) "
        f"SET n.{SEARCH_TEXT} = r.text"
    )


def missing_search_key(node_label: str, source: str, key: str) -> str:
    return (
        f"MATCH (n:{label(node_label)}) WHERE n.{prop(node_label, key)} IS NULL "
        f"AND n.{prop(node_label, source)} IS NOT NULL "
        f"RETURN n.{KEY} AS id, n.{prop(node_label, source)} AS value LIMIT $limit"
    )


def set_search_key(node_label: str, key: str) -> str:
    return (
        f"UNWIND $rows AS r MATCH (n:{label(node_label)} {{{KEY}: r.id}}) "
        f"SET n.{prop(node_label, key)} = r.value"
    )


def fulltext_index_name(node_label: str) -> str:
    """The name of a label's full-text index on Neo4j (FalkorDB names it by the label)."""
    return "scaleup_" + node_label.lower() + "_search"


NODE_TOTAL = "MATCH (n) RETURN count(n) AS n"
REL_TOTAL = "MATCH ()-[e]->() RETURN count(e) AS n"
COUNT_NODES = "MATCH (n) RETURN labels(n) AS labels, count(n) AS n"
COUNT_RELS = "MATCH ()-[e]->() RETURN type(e) AS type, count(e) AS n"
ALL_NODES = (
    "MATCH (n) WHERE NOT n:_Migration AND NOT n:_History RETURN"
    " labels(n) AS labels, properties(n) AS props"
)
ALL_RELS = (
    f"MATCH (a)-[e]->(b) RETURN a.{KEY} AS start, type(e) AS type, b.{KEY} AS end, "
    "properties(e) AS props"
)
ERASE_NODE = f"MATCH (n {{{KEY}: $id}}) DETACH DELETE n RETURN count(*) AS deleted"

#: The suppression list lives in the graph (so every process and every store type shares it)
#: under a system label that no schema label, query or export ever matches.
SUPPRESSED_LABEL = "_Suppressed"
ADD_SUPPRESSED = f"UNWIND $hashes AS h MERGE (:{SUPPRESSED_LABEL} {{hash: h}})"
FIND_SUPPRESSED = f"UNWIND $hashes AS h MATCH (s:{SUPPRESSED_LABEL} {{hash: h}}) RETURN s.hash AS h"

# --- editors' writes: one statement each, so the change and its history entry land together --

#: Node history lives in the graph, beside the data it describes, under a system label that no
#: schema label, named query or export matches (like the suppression list).
HISTORY_LABEL = "_History"

# Every edit ends like this: write the history entries, then mark what an undo reverted.
_HISTORY_TAIL = (
    f" WITH {{carry}} UNWIND $history AS hp CREATE (h:{HISTORY_LABEL}) SET h = hp"
    " WITH {carry}, count(h) AS entries"
    f" OPTIONAL MATCH (u:{HISTORY_LABEL} {{change: $undoes}})"
    " WITH {carry}, entries, collect(u) AS us FOREACH (x IN us | SET x.undone = true)"
)


def history_foreach(var: str, *, per_node: str | None = None) -> str:
    """A clause that writes ``$history`` (possibly empty) beside the write that changed ``var``,
    in the same statement; each entry takes the node's new version. Unlike UNWIND, an empty
    list keeps the statement's rows: workflow steps use it (see workflows/records.py).

    ``per_node``: take the entries from that map parameter instead, keyed by ``var``'s id (none
    for an id it does not name): for a FOREACH over several nodes, each with its own entry.
    """
    if not var.isidentifier():
        raise ValueError(f"not a Cypher variable: {var!r}")
    if per_node is not None and not per_node.isidentifier():
        raise ValueError(f"not a parameter name: {per_node!r}")
    entries = "$history" if per_node is None else f"coalesce(${per_node}[{var}.{KEY}], [])"
    return (
        f" FOREACH (hp IN {entries} | CREATE (h:{HISTORY_LABEL}) SET h = hp,"
        f" h.{VERSION} = {var}.{VERSION})"
    )


def _tail(carry: str) -> str:
    return _HISTORY_TAIL.replace("{carry}", carry)


def create_node(
    node_label: str,
    extra_labels: Iterable[str] = (),
    restore: Iterable[tuple[str, str, str]] = (),
) -> str:
    """CREATE a node; the unique constraint on the key refuses a duplicate.

    ``restore``: relationships to give it back in the same statement (undo of a delete), one
    group per (type, direction ``out``/``in``, other end's label) with parameters
    ``$restore_ids_<i>`` (the other ends' ids; those that no longer exist are skipped) and
    ``$restore_props_<i>`` (other id -> the relationship's properties).
    """
    extra = "".join(f":{label(x)}" for x in extra_labels)
    links = ""
    for i, (type_, direction, other) in enumerate(restore):
        arrow = f"(n)-[e:{rel(type_)}]->(m)" if direction == "out" else f"(m)-[e:{rel(type_)}]->(n)"
        links += (
            f" WITH n OPTIONAL MATCH (m{i}:{label(other)}) WHERE m{i}.{KEY} IN $restore_ids_{i}"
            f" WITH n, collect(m{i}) AS ms{i}"
            f" FOREACH (m IN ms{i} | CREATE {arrow} SET e = $restore_props_{i}[m.{KEY}])"
        )
    return (
        f"CREATE (n:{label(node_label)}{extra}) SET n = $props, n.{KEY} = $id, n.{VERSION} = 1, "
        "n.source = $source, n.ingest_run = $run, n.ingested_at = $now, n.updated_at = $now"
        + links
        + _tail("n")
        + f" RETURN n.{VERSION} AS version"
    )


def update_node(
    node_label: str, add_labels: Iterable[str] = (), remove_labels: Iterable[str] = ()
) -> str:
    """SET ``$props`` (a null removes a property) if the stored version is ``$version``."""
    added = "".join(f", n:{label(x)}" for x in add_labels)
    removed = ", ".join(f"n:{label(x)}" for x in remove_labels)
    return (
        f"MATCH (n:{label(node_label)} {{{KEY}: $id}}) "
        f"WHERE coalesce(n.{VERSION}, 0) = $version "
        f"SET n += $props, n.updated_at = $now, n.{VERSION} = coalesce(n.{VERSION}, 0) + 1{added}"
        + (f" REMOVE {removed}" if removed else "")
        + _tail("n")
        + f" RETURN n.{VERSION} AS version"
    )


def delete_node(node_label: str) -> str:
    """DETACH DELETE a node if the stored version is ``$version`` and it still has ``$links``
    relationships (the ones its history entry keeps for an undo)."""
    return (
        f"MATCH (n:{label(node_label)} {{{KEY}: $id}}) "
        f"WHERE coalesce(n.{VERSION}, 0) = $version "
        "OPTIONAL MATCH (n)-[x]-() WITH n, count(x) AS links WHERE links = $links "
        "DETACH DELETE n" + _tail("1 AS one") + " RETURN entries AS deleted"
    )


def link(type_: str, start_label: str, end_label: str) -> str:
    """CREATE a relationship between two existing nodes unless it exists."""
    return (
        f"MATCH (a:{label(start_label)} {{{KEY}: $start}}) "
        f"MATCH (b:{label(end_label)} {{{KEY}: $end}}) "
        f"OPTIONAL MATCH (a)-[x:{rel(type_)}]->(b) WITH a, b, x WHERE x IS NULL "
        f"CREATE (a)-[e:{rel(type_)}]->(b) SET e = $props, e.source = $source, "
        "e.ingest_run = $run, e.ingested_at = $now, e.updated_at = $now"
        + _tail("e")
        + " RETURN entries AS written"
    )


def unlink(type_: str, start_label: str, end_label: str) -> str:
    """DELETE the relationship between two nodes (no row if there is none)."""
    return (
        f"MATCH (a:{label(start_label)} {{{KEY}: $start}})-[e:{rel(type_)}]->"
        f"(b:{label(end_label)} {{{KEY}: $end}}) "
        "DELETE e" + _tail("1 AS one") + " RETURN entries AS deleted"
    )


def relationship(type_: str, start_label: str, end_label: str) -> str:
    return (
        f"MATCH (a:{label(start_label)} {{{KEY}: $start}})-[e:{rel(type_)}]->"
        f"(b:{label(end_label)} {{{KEY}: $end}}) RETURN properties(e) AS props"
    )


def node_record(node_label: str) -> str:
    return (
        f"MATCH (n:{label(node_label)} {{{KEY}: $id}}) "
        "RETURN labels(n) AS labels, properties(n) AS props"
    )


def node_links(node_label: str) -> str:
    return (
        f"MATCH (n:{label(node_label)} {{{KEY}: $id}})-[e]-(m) "
        f"RETURN type(e) AS type, startNode(e).{KEY} AS start, endNode(e).{KEY} AS end, "
        f"m.{KEY} AS other, labels(m) AS other_labels, m.name AS other_name, "
        "m.role AS other_role ORDER BY type, other LIMIT $limit"
    )


def node_relationships(node_label: str) -> str:
    """Every relationship of a node with its properties (what a delete's history keeps)."""
    return (
        f"MATCH (n:{label(node_label)} {{{KEY}: $id}})-[e]-(m) "
        f"RETURN type(e) AS type, startNode(e).{KEY} AS start, endNode(e).{KEY} AS end, "
        f"m.{KEY} AS other, labels(m) AS other_labels, m.name AS other_name, "
        "properties(e) AS props"
    )


def node_link_count(node_label: str) -> str:
    return f"MATCH (n:{label(node_label)} {{{KEY}: $id}})-[e]-() RETURN count(e) AS n"


HISTORY_OF = (
    f"MATCH (h:{HISTORY_LABEL} {{node: $id}}) RETURN properties(h) AS h "
    "ORDER BY h.at DESC, h.seq DESC LIMIT $limit"
)
DELETE_HISTORY = f"MATCH (h:{HISTORY_LABEL} {{node: $id}}) DELETE h RETURN count(*) AS deleted"
