"""The graphs ad-hoc Cypher runs on: copies of the graph without what a key may not see.

An analyst's query runs where hidden data does not exist, so no result, aggregate or filter
(``WHERE c.name STARTS WITH 'a'``, ``count(n)``) can reveal it (issue 15, points 1 and 6). A
copy (:class:`AdhocView`) leaves out:

- always: system nodes (``_History``, ``_Suppressed``, ``_Migration``: anything without a
  schema label);
- without ``contacts``: personal properties and relationships between persons (KNOWS);
- without ``editor``/``admin``: nodes in draft (the schema's ``draft`` flag) and their
  relationships.

The FalkorDB adapter keeps each copy that is in use in step by replaying every write on it,
followed by the clean-up statements here (in one MULTI/EXEC, so no query sees the state in
between). The statements touch only what the write touched: persons by id, the system labels
and relationship types the write names, the drafts that exist.

A write that takes a node out of draft (a publication, an import setting ``status``) cannot be
replayed on a copy without drafts: the node is not there. The adapter reads the node and its
relationships from the graph after the write (:func:`published_nodes_query`,
:func:`published_relationships_query`, index lookups by id) and copies them in, redacted for
the copy (:func:`restore_published`), in the same MULTI/EXEC as the replayed write. A full
rebuild of the copy is left for what is not expected (a failed transaction, another process's
write in between).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scaleup_graph.graph_model import KEY, NODE_TYPES, REL_TYPES

__all__ = [
    "DRAFT_RULES",
    "PURGE",
    "REDACT",
    "REDACT_BY_ID",
    "VIEWS",
    "AdhocView",
    "clean_up",
    "delete_drafts",
    "published_nodes_query",
    "published_relationships_query",
    "purge",
    "restore_published",
    "touches_drafts",
]


@dataclass(frozen=True, slots=True)
class AdhocView:
    """One copy of the graph for ad-hoc queries.

    >>> AdhocView(personal=False, drafts=False).suffix
    'redacted'
    >>> AdhocView(personal=True, drafts=True).suffix
    'contacts_drafts'
    """

    #: keeps personal properties and relationships between persons (keys with contacts)
    personal: bool
    #: keeps nodes in draft (keys with editor or admin)
    drafts: bool

    @property
    def suffix(self) -> str:
        """The part of the copy's graph name after ``<graph>__``."""
        return ("contacts" if self.personal else "redacted") + ("_drafts" if self.drafts else "")


#: Every view, the one without personal data and drafts first.
VIEWS = tuple(AdhocView(personal=p, drafts=d) for p in (False, True) for d in (False, True))

#: Removes every personal property (from the schema's pii flags): a scan, for rebuilds.
REDACT = tuple(
    f"MATCH (n:{label}) WHERE "
    + " OR ".join(f"n.{f} IS NOT NULL" for f in sorted(nt.pii_fields))
    + " SET "
    + ", ".join(f"n.{f} = NULL" for f in sorted(nt.pii_fields))
    for label, nt in NODE_TYPES.items()
    if nt.pii_fields
)
#: The same for the nodes a write named by id (``$ids``): an index lookup per id, no scan.
REDACT_BY_ID = {
    f"{nt.id_prefix}-": f"UNWIND $ids AS i MATCH (n:{label} {{{KEY}: i}}) SET "
    + ", ".join(f"n.{f} = NULL" for f in sorted(nt.pii_fields))
    for label, nt in NODE_TYPES.items()
    if nt.pii_fields
}
#: Labels whose nodes carry personal properties, as they appear in a write's text.
_PII_LABELS = re.compile(
    r"\b(" + "|".join(sorted(label for label, nt in NODE_TYPES.items() if nt.pii_fields)) + r")\b"
)
#: Relationship types between persons (schema flag).
_PERSONAL_RELS = tuple(sorted(t for t, rt in REL_TYPES.items() if rt.personal))
#: A system label as a write names it (``:_History``); labels cannot be parameters.
_SYSTEM_LABEL = re.compile(r":\s*`?(_[A-Za-z]\w*)")
#: (label, property, value) of every node kind that is hidden while in draft (schema flag).
DRAFT_RULES: tuple[tuple[str, str, str], ...] = tuple(
    (label, *nt.draft) for label, nt in NODE_TYPES.items() if nt.draft
)
#: Every node that carries no schema label: the system nodes.
_SYSTEM_NODES = (
    "MATCH (n) WHERE NOT (" + " OR ".join(f"n:{label}" for label in sorted(NODE_TYPES)) + ") "
    "DETACH DELETE n"
)
#: What no copy holds besides personal data: the editing history (personal values of old
#: versions as JSON text) and every other system node. For rebuilds.
PURGE = (
    *(f"MATCH ()-[k:{t}]->() DELETE k" for t in _PERSONAL_RELS),
    _SYSTEM_NODES,
)


def purge(view: AdhocView) -> list[str]:
    """The statements that turn a fresh GRAPH.COPY of the graph into ``view`` (scans).

    >>> any("draft" in s for s in purge(AdhocView(personal=True, drafts=True)))
    False
    >>> len(purge(AdhocView(personal=False, drafts=False))) > len(PURGE)
    True
    """
    out = [_SYSTEM_NODES]
    if not view.personal:
        out = [*REDACT, *PURGE]
    if not view.drafts:
        out += [
            f"MATCH (n:{label}) WHERE n.{prop} = '{value}' DETACH DELETE n"
            for label, prop, value in DRAFT_RULES
        ]
    return out


def draft_ids_query() -> str:
    """One row per node in draft now, and per node named in ``$before`` (``id``, ``draft``):
    what the write path compares before and after a write to see drafts come and go. Both
    parts are index lookups (the draft property is indexed: setup_schema).

    >>> "n.status = 'draft' RETURN" in draft_ids_query()
    True
    """
    return " UNION ALL ".join(
        f"MATCH (n:{label}) WHERE n.{prop} = '{value}' RETURN n.{KEY} AS id, true AS draft "
        f"UNION ALL UNWIND $before AS i MATCH (n:{label} {{{KEY}: i}}) "
        f"RETURN n.{KEY} AS id, coalesce(n.{prop} = '{value}', false) AS draft"
        for label, prop, value in DRAFT_RULES
    )


#: Words a write must use to make a node of a draft label or to change its draft property.
_DRAFT_WORDS = frozenset(w for rule in DRAFT_RULES for w in rule[:2])
_DRAFT_PREFIXES = tuple(f"{NODE_TYPES[label].id_prefix}-" for label, _, _ in DRAFT_RULES)


def _keys(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield str(k)
            yield from _keys(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _keys(v)


def touches_drafts(query: str, params: Mapping[str, Any]) -> bool:
    """True if a write may make a node of a draft label or change a draft property: only then
    does the write path compare the drafts before and after it.

    A label is never a parameter, so a write that creates or merges a challenge names it; a
    write that publishes one sets its ``status``, by name in the text or as a key of a
    parameter map (``SET c += $props``). Writes naming a challenge's id are included too.

    >>> touches_drafts("MATCH (p:Person {id: $id}) SET p.name = $n", {"id": "person-1"})
    False
    >>> touches_drafts("UNWIND $rows AS r MATCH (n {id: r.id}) SET n += r.props",
    ...                {"rows": [{"id": "x", "props": {"status": "published"}}]})
    True
    >>> touches_drafts("MATCH (c:Challenge {id: $id}) SET c.name = $n", {})
    True
    """
    if not DRAFT_RULES:
        return False
    if _DRAFT_WORDS & set(re.findall(r"\w+", query)):
        return True
    if _DRAFT_WORDS & set(_keys(params)):
        return True
    return any(v.startswith(_DRAFT_PREFIXES) for v in _strings(params))


def delete_drafts(ids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
    """Statements that delete the nodes ``ids`` (drafts in the graph) from a copy, with their
    relationships: a write replayed there may have made them (``MERGE`` of a draft's id).

    >>> delete_drafts([])
    []
    >>> delete_drafts(["challenge-x"])[0][1]
    {'ids': ['challenge-x']}
    """
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return [
        (f"UNWIND $ids AS i MATCH (n:{label} {{{KEY}: i}}) DETACH DELETE n", {"ids": wanted})
        for label, _, _ in DRAFT_RULES
    ]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def clean_up(
    query: str, params: Mapping[str, Any], *, personal: bool = False
) -> list[tuple[str, dict[str, Any]]]:
    """The statements that take what a write brought in, and a copy must not hold, out of it
    again, touching only what the write touched (issue 15: not a scan of every person per
    write).

    - Without ``personal``: persons the write names by id (any parameter value with a personal
      label's id prefix) lose their personal properties by id, through the key index; a write
      whose text names a personal label but no such id (a migration) gets the full scan; a
      write naming a relationship type between persons (KNOWS) has those deleted (they are
      never in the copy between writes, so this reads only what the write just made).
    - Always: the system labels the write names (the editing history) are deleted.

    >>> [s for s, _ in clean_up("MATCH (o:Organisation {id: $id}) SET o.name = $n", {})]
    []
    >>> clean_up("MERGE (p:Person {id: $id})", {"id": "person-1"})[0][1]
    {'ids': ['person-1']}
    >>> len(clean_up("MATCH (p:Person) SET p.x = 1", {})) == len(REDACT)
    True
    >>> [s for s, _ in clean_up("CREATE (h:_History)", {}, personal=True)]
    ['MATCH (h:_History) DETACH DELETE h']
    """
    steps: list[tuple[str, dict[str, Any]]] = []
    if not personal:
        found: dict[str, set[str]] = {prefix: set() for prefix in REDACT_BY_ID}
        for value in _strings(params):
            for prefix, ids in found.items():
                if value.startswith(prefix):
                    ids.add(value)
        steps = [
            (REDACT_BY_ID[prefix], {"ids": sorted(ids)}) for prefix, ids in found.items() if ids
        ]
        if not steps and _PII_LABELS.search(query):
            steps = [(statement, {}) for statement in REDACT]
        named = set(re.findall(r"\w+", query)) | set(_strings(params))
        steps += [(f"MATCH ()-[k:{t}]->() DELETE k", {}) for t in _PERSONAL_RELS if t in named]
    for label in sorted(set(_SYSTEM_LABEL.findall(query))):
        steps.append((f"MATCH (h:{label}) DETACH DELETE h", {}))
    return steps


def published_nodes_query() -> str:
    """One row per node of a draft label named in ``$ids`` (``id``, ``labels``, ``props``):
    the nodes a write took out of draft, read from the graph after it, by the key index.

    >>> "UNWIND $ids AS i MATCH (n:Challenge {id: i})" in published_nodes_query()
    True
    """
    return " UNION ALL ".join(
        f"UNWIND $ids AS i MATCH (n:{label} {{{KEY}: i}}) "
        f"RETURN n.{KEY} AS id, labels(n) AS labels, properties(n) AS props"
        for label, _, _ in DRAFT_RULES
    )


def published_relationships_query() -> str:
    """One row per relationship of a node named in ``$ids`` (``a``, ``la``, ``t``, ``b``,
    ``lb``, ``props``: start id and labels, type, end id and labels, properties), each once: a
    relationship between two such nodes (or a loop) comes from its start node only.

    >>> published_relationships_query().count("UNION ALL") == 2 * len(DRAFT_RULES) - 1
    True
    """
    parts = []
    for label, _, _ in DRAFT_RULES:
        parts.append(
            f"UNWIND $ids AS i MATCH (n:{label} {{{KEY}: i}})-[k]->(o) "
            f"RETURN n.{KEY} AS a, labels(n) AS la, type(k) AS t, o.{KEY} AS b, "
            "labels(o) AS lb, properties(k) AS props"
        )
        parts.append(
            f"UNWIND $ids AS i MATCH (o)-[k]->(n:{label} {{{KEY}: i}}) "
            f"WHERE NOT coalesce(o.{KEY} IN $ids, false) "
            f"RETURN o.{KEY} AS a, labels(o) AS la, type(k) AS t, n.{KEY} AS b, "
            "labels(n) AS lb, properties(k) AS props"
        )
    return " UNION ALL ".join(parts)


_NAME = re.compile(r"^[A-Za-z_]\w*$")


def _schema_label(labels: Iterable[str]) -> str | None:
    """The schema label of a node (the one whose key index finds it), None for system nodes."""
    return next((label for label in labels if label in NODE_TYPES), None)


def restore_published(
    nodes: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    *,
    personal: bool,
) -> list[tuple[str, dict[str, Any]]]:
    """The statements that put nodes taken out of draft into a copy without drafts, as a fresh
    copy would hold them: whatever a replayed write made of them is deleted first, then each
    node is created with its labels and properties (without personal ones unless
    ``personal``), then its relationships to nodes the copy holds (a MATCH by key finds no
    draft, no system node; relationships between persons only if ``personal``).

    ``nodes`` and ``relationships`` are the rows of :func:`published_nodes_query` and
    :func:`published_relationships_query`. ValueError for a label or type that is not a plain
    name (the caller rebuilds the copy instead).

    >>> steps = restore_published(
    ...     [{"id": "challenge-x", "labels": ["Challenge"], "props": {"id": "challenge-x"}}],
    ...     [{"a": "org-a", "la": ["Organisation"], "t": "POSES", "b": "challenge-x",
    ...       "lb": ["Challenge"], "props": {}}],
    ...     personal=False,
    ... )
    >>> [s.split(" ")[0] for s, _ in steps]
    ['UNWIND', 'UNWIND', 'UNWIND']
    >>> steps[-1][1]
    {'rels': [{'a': 'org-a', 'b': 'challenge-x', 'p': {}}]}
    """
    nodes = list(nodes)
    if not nodes:
        return []
    steps = delete_drafts(str(n["id"]) for n in nodes)
    by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for node in nodes:
        labels = tuple(str(label) for label in node["labels"])
        if not labels or not all(_NAME.match(label) for label in labels):
            raise ValueError("a node taken out of draft has a label that is not a plain name")
        hidden: frozenset[str] = frozenset()
        if not personal:
            for label in labels:
                if label in NODE_TYPES:
                    hidden |= NODE_TYPES[label].pii_fields
        props = {k: v for k, v in dict(node["props"]).items() if k not in hidden}
        by_labels.setdefault(labels, []).append(props)
    for labels, rows in by_labels.items():
        names = ":".join(f"`{label}`" for label in labels)
        steps.append((f"UNWIND $nodes AS n CREATE (x:{names}) SET x = n", {"nodes": rows}))
    by_kind: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
    for rel in relationships:
        kind = str(rel["t"])
        if not _NAME.match(kind):
            raise ValueError("a relationship type that is not a plain name")
        if kind in _PERSONAL_RELS and not personal:
            continue
        start, end = _schema_label(rel["la"]), _schema_label(rel["lb"])
        if start is None or end is None or rel["a"] is None or rel["b"] is None:
            continue  # a system node: in no copy
        row = {"a": rel["a"], "b": rel["b"], "p": dict(rel["props"] or {})}
        by_kind.setdefault((kind, start, end), []).append(row)
    for (kind, start, end), rows in sorted(by_kind.items()):
        steps.append(
            (
                f"UNWIND $rels AS r MATCH (a:{start} {{{KEY}: r.a}}) "
                f"MATCH (b:{end} {{{KEY}: r.b}}) CREATE (a)-[k:`{kind}`]->(b) SET k = r.p",
                {"rels": rows},
            )
        )
    return steps
