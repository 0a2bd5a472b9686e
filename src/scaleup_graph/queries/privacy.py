"""Capabilities and the personal-data filter every output path shares (API, explorer, exports).

Roles are capabilities that combine, not a ladder: ``viewer`` (the network: organisations,
links, no personal data), ``contacts`` (persons' personal fields), ``analyst`` (ad-hoc Cypher,
metrics), ``editor`` (writes), ``admin`` (keys, GDPR). They are defined in
:mod:`scaleup_graph.graph_model.roles` (no store behind them) and re-exported here. A role
string names them joined by ``+`` (``"analyst+contacts"``), so every function that takes a role
takes a combination too. Only ``contacts`` sees personal data: an analyst computing metrics
needs no e-mail addresses.

The filter removes personal fields as keys (not as nulls), so a response without ``contacts``
has no trace of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES, is_personal
from scaleup_graph.graph_model.roles import (
    LADDER,
    PII_ROLE,
    ROLES,
    capabilities,
    has_role,
    role_name,
    role_rank,
    sees_pii,
)

__all__ = [
    "LADDER",
    "PII_ROLE",
    "ROLES",
    "PersonalFields",
    "Visibility",
    "capabilities",
    "drop_hidden",
    "has_role",
    "is_system_value",
    "person_ids",
    "plain_answer",
    "role_name",
    "role_rank",
    "sees_pii",
    "strip_pii",
    "visibility",
]

_SCHEMA_LABELS = frozenset(NODE_TYPES) | {k for nt in NODE_TYPES.values() for k in nt.extra_labels}
#: (label, property, value) of every node kind that is hidden while in draft (schema flag)
_DRAFTS: tuple[tuple[str, str, str], ...] = tuple(
    (label, *nt.draft) for label, nt in NODE_TYPES.items() if nt.draft
)


@dataclass(frozen=True, slots=True)
class PersonalFields:
    """The one table of personal fields, per label, that every filter of this module reads:
    :func:`strip_pii` removes them, and :func:`plain_answer` lets an answer skip the filters
    only if none of its nodes has a label with one. Made from the schema's ``pii`` flags; a
    personal property added there reaches both (tests/queries/test_plain_answer.py).

    >>> fields = PersonalFields.of({"Person": {"email"}, "Region": set()})
    >>> dict(fields.by_label), "Person" in fields.plain_labels, "Region" in fields.plain_labels
    ({'Person': frozenset({'email'})}, False, True)
    """

    by_label: Mapping[str, frozenset[str]]
    #: schema labels no filter acts on: no personal field, no draft state
    plain_labels: frozenset[str]

    @classmethod
    def of(cls, by_label: Mapping[str, Iterable[str]]) -> PersonalFields:
        kept = {label: frozenset(fields) for label, fields in by_label.items() if fields}
        drafts = {label for label, _, _ in _DRAFTS}
        return cls(kept, _SCHEMA_LABELS - frozenset(kept) - drafts)


_PERSONAL = PersonalFields.of({label: nt.pii_fields for label, nt in NODE_TYPES.items()})


def is_system_value(value: Any) -> bool:
    """True for a node that carries a non-schema (system) label such as ``_Suppressed``."""
    if isinstance(value, Mapping) and "_labels" in value:
        return any(label not in _SCHEMA_LABELS for label in value["_labels"])
    return False


#: Values with nothing inside: checked first, since most values are these and a check against
#: the Mapping ABC costs a Python-level call (a 2-hop answer holds some 20,000 values).
_SCALARS = (str, int, float, bool, type(None))


def _strip(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return [v if isinstance(v, _SCALARS) else _strip(v) for v in value]
    if isinstance(value, Mapping):
        hidden: frozenset[str] = frozenset()
        by_label = _PERSONAL.by_label
        for label in value.get("_labels", ()) if "_labels" in value else ():
            hidden |= by_label.get(label, frozenset())
        return {
            k: v if isinstance(v, _SCALARS) else _strip(v)
            for k, v in value.items()
            if k not in hidden
        }
    return value


def strip_pii(
    rows: Iterable[Mapping[str, Any]],
    role: str,
    pii_columns: Iterable[str] = (),
    *,
    plain: bool = False,
) -> list[dict[str, Any]]:
    """Rows with personal data removed unless ``role`` may see it.

    Removes the personal fields of every Person node anywhere in a row (also inside paths and
    lists) and every column declared personal (``pii_columns``). Rows come back as new dicts.
    The one place that decides who sees personal data and what is left out of a row.

    Parameters
    ----------
    rows
        Result rows as the store returns them (nodes carry ``_labels``).
    role
        The caller's role.
    pii_columns
        Column names a named query declares as personal data.
    plain
        The caller found with :func:`plain_answer` that no value holds a node with personal
        fields: only the declared columns are left out, values are kept as they are.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> person = {"id": "person-1", "name": "Anna", "role": "CEO", "_labels": ["Person"]}
    >>> strip_pii([{"p": person, "email": "a@x.de"}], "viewer", ["email"])
    [{'p': {'id': 'person-1', 'role': 'CEO', '_labels': ['Person']}}]
    >>> strip_pii([{"email": "a@x.de"}], "analyst+contacts", ["email"])
    [{'email': 'a@x.de'}]
    """
    dropped = frozenset(pii_columns)
    if sees_pii(role) or (plain and not dropped):
        return [dict(row) for row in rows]
    if plain:
        return [{k: v for k, v in row.items() if k not in dropped} for row in rows]
    return [{k: _strip(v) for k, v in row.items() if k not in dropped} for row in rows]


#: relationship types that link natural persons (schema flag): contacts only
PERSONAL_REL_TYPES = frozenset(t for t, rt in REL_TYPES.items() if rt.personal)


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a key does not see at all (point 6 of issue 15), the one policy every output
    applies where data leaves the store (API, explorer, exports, workflow panels, reports):
    relationships that link persons (KNOWS) without ``contacts``, nodes in draft (challenges)
    without ``editor`` or ``admin``.

    >>> visibility("viewer").hides_rel("KNOWS"), visibility("contacts").hides_rel("KNOWS")
    (True, False)
    >>> visibility("viewer").node_clause("c")
    "NOT coalesce(c:Challenge AND c.status = 'draft', false)"
    >>> visibility("contacts+editor").everything
    True
    """

    drafts: bool
    personal_links: bool

    @property
    def everything(self) -> bool:
        """True if nothing is hidden from this key."""
        return self.drafts and self.personal_links

    @property
    def tag(self) -> str:
        """A short name for caches that hold what one visibility sees."""
        return ("d" if self.drafts else "") + ("k" if self.personal_links else "") or "-"

    @property
    def hidden_rel_types(self) -> frozenset[str]:
        return frozenset() if self.personal_links else PERSONAL_REL_TYPES

    def hides_rel(self, rel_type: str) -> bool:
        """True if a relationship of this type is left out."""
        return rel_type in self.hidden_rel_types

    def hides_node(self, node: Mapping[str, Any]) -> bool:
        """True if a node (store shape: properties and ``_labels``) is left out."""
        if self.drafts:
            return False
        labels = node.get("_labels", ())
        # NodeType.in_draft, inline (a hot path): a node without the property is not a draft
        return any(lab in labels and node.get(p) == v for lab, p, v in _DRAFTS)

    def hides_label_props(self, label: str, props: Mapping[str, Any]) -> bool:
        """:meth:`hides_node` for a node given as its schema label and properties."""
        return self.hides_node({**props, "_labels": [label]})

    def query_params(self) -> dict[str, Any]:
        """Parameters a named query's walk can use to keep out of what this key does not see:
        ``$seen_hidden_types`` (relationship types) and ``$seen_drafts`` (``{label, prop,
        value}`` per draft rule of the schema; empty when drafts are visible).

        >>> visibility("viewer").query_params()["seen_hidden_types"]
        ['KNOWS']
        """
        drafts = (
            [] if self.drafts else [{"label": lab, "prop": p, "value": v} for lab, p, v in _DRAFTS]
        )
        return {"seen_hidden_types": sorted(self.hidden_rel_types), "seen_drafts": drafts}

    def node_clause(self, var: str) -> str:
        """A Cypher predicate on node variable ``var`` (a name we write ourselves) that is true
        for the nodes this key sees; ``true`` if it sees all. Values come from the schema."""
        if self.drafts or not _DRAFTS:
            return "true"
        parts = [f"{var}:{lab} AND {var}.{p} = '{v}'" for lab, p, v in _DRAFTS]
        return f"NOT coalesce({' OR '.join(parts)}, false)"

    def rel_clause(self, var: str) -> str:
        """A Cypher predicate on relationship variable ``var``: true for those this key sees."""
        hidden = sorted(self.hidden_rel_types)
        if not hidden:
            return "true"
        return "NOT type(" + var + ") IN [" + ", ".join(f"'{t}'" for t in hidden) + "]"


def visibility(role: str) -> Visibility:
    """The :class:`Visibility` of a role string (ValueError names the valid roles)."""
    caps = capabilities(role)
    return Visibility(drafts=bool(caps & {"editor", "admin"}), personal_links=PII_ROLE in caps)


def drop_hidden(rows: Iterable[Mapping[str, Any]], role: str) -> list[dict[str, Any]]:
    """Rows without what ``role`` does not see at all (:class:`Visibility`): rows holding a
    node in draft or a relationship between persons, or a path through one, are left out, and
    such items are removed from lists (neighbours).

    >>> draft = {"id": "challenge-x", "status": "draft", "_labels": ["Challenge"]}
    >>> drop_hidden([{"c": draft}, {"c": {"id": "o", "_labels": ["Organisation"]}}], "viewer")
    [{'c': {'id': 'o', '_labels': ['Organisation']}}]
    >>> len(drop_hidden([{"c": draft}], "editor"))
    1
    >>> knows = {"_type": "KNOWS", "_start": "person-a", "_end": "person-b"}
    >>> drop_hidden([{"path": {"nodes": [], "relationships": [knows]}}], "viewer")
    []
    >>> poses = {"type": "POSES", "start": "org-a", "end": "challenge-x"}
    >>> drop_hidden([{"nodes": [draft], "relationships": [poses]}], "viewer")
    [{'nodes': [], 'relationships': []}]
    """
    vis = visibility(role)
    if vis.everything:
        return [dict(row) for row in rows]
    rows = list(rows)
    # ids of hidden nodes anywhere in the answer: a relationship given by its ends' ids
    # ({type, start, end}) to one of them is hidden too
    gone = {str(n.get("id")) for n in _mappings(rows) if vis.hides_node(n)}

    def hide(value: Any) -> bool:
        if not isinstance(value, dict | Mapping):  # a dict without the ABC's Python-level check
            return False
        if not ("_labels" in value or "_type" in value or "start" in value or "nodes" in value):
            return False  # a plain map ({id, name}): neither a node, a relationship nor a path
        if "nodes" in value and "relationships" in value:  # a path: hidden if any step is
            return any(hide(v) for v in (*value["nodes"], *value["relationships"]))
        kind = value.get("_type", value.get("type") if "start" in value else None)
        if isinstance(kind, str):
            ends = {str(value.get(k)) for k in ("start", "end", "_start", "_end")}
            if vis.hides_rel(kind) or ends & gone:
                return True
        return vis.hides_node(value)

    return [
        {k: _drop(v, hide) for k, v in row.items()}
        for row in rows
        if not any(hide(v) for v in row.values())
    ]


def _mappings(value: Any) -> list[Mapping[str, Any]]:
    """Every mapping anywhere in ``value`` (in no particular order), scalars skipped without a
    call: a 2-hop answer holds some 20,000 values, mostly strings in nodes' properties."""
    found: list[Mapping[str, Any]] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(v for v in item if not isinstance(v, _SCALARS))
        elif isinstance(item, dict | Mapping):
            found.append(item)
            stack.extend(v for v in item.values() if not isinstance(v, _SCALARS))
    return found


def _drop(value: Any, hide: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, list | tuple):
        return [
            v if isinstance(v, _SCALARS) else _drop(v, hide)
            for v in value
            if isinstance(v, _SCALARS) or not hide(v)
        ]
    if isinstance(value, dict | Mapping):
        return {k: v if isinstance(v, _SCALARS) else _drop(v, hide) for k, v in value.items()}
    return value


#: Keys by which :func:`drop_hidden` takes a map for a relationship or a path.
_SHAPE_KEYS = frozenset({"_type", "_start", "_end", "start", "nodes"})


def plain_answer(rows: Iterable[Mapping[str, Any]]) -> bool:
    """True if no filter of a named query's answer can change ``rows``: no system-labelled,
    personal or draft-capable node, no relationship and no path anywhere (one walk, scalars
    skipped without a call). The organisation detail and a search page are such answers; for
    them the system-value check, :func:`drop_hidden` and :func:`strip_pii` (three walks over
    the same values, each copying them) come down to this one walk.

    Conservative: a tuple, or a mapping that is not a dict, counts as not plain (the filters
    would return lists and dicts for them).

    >>> plain_answer([{"o": {"id": "org-a", "_labels": ["Organisation"]}, "topics": [{"id": "t"}]}])
    True
    >>> plain_answer([{"p": {"id": "person-1", "_labels": ["Person"]}}])
    False
    >>> plain_answer([{"r": {"_type": "KNOWS", "_start": "person-a", "_end": "person-b"}}])
    False
    """
    plain_labels = _PERSONAL.plain_labels
    stack: list[Any] = list(rows)
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if "_labels" in item:
                labels = item["_labels"]
                if type(labels) is not list or not plain_labels.issuperset(labels):
                    return False
            if not _SHAPE_KEYS.isdisjoint(item):
                return False
            stack.extend(v for v in item.values() if not isinstance(v, _SCALARS))
        elif type(item) is list:
            stack.extend(v for v in item if not isinstance(v, _SCALARS))
        elif isinstance(item, tuple | Mapping):
            return False
    return True


def person_ids(value: Any) -> set[str]:
    """Ids of every Person node anywhere in ``value`` (rows, paths, lists): audit subjects.

    >>> sorted(person_ids([{"p": {"id": "person-1", "_labels": ["Person"]}, "n": 3}]))
    ['person-1']
    """
    found: set[str] = set()
    if isinstance(value, _SCALARS):
        return found
    if isinstance(value, Mapping):
        if is_personal(value.get("_labels", ())) and isinstance(value.get("id"), str):
            found.add(value["id"])
        for v in value.values():
            found |= person_ids(v)
    elif isinstance(value, list | tuple):
        for v in value:
            found |= person_ids(v)
    return found
