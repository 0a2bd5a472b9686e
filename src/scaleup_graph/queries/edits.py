"""Editors' writes: create, update, delete nodes and link or unlink them, with history.

Every write is validated exactly as ingest validates (graph_model.validate_node and
validate_relationship), checked against the node's ``version`` (an edit based on an older
version is refused with the current values, never applied in silence), and written in one
statement together with its history entry (see :mod:`scaleup_graph.queries.history`), so a
refused or failed write leaves nothing behind.

Examples
--------
>>> sorted(SYSTEM_FIELDS)[:3]
['id', 'ingest_run', 'ingested_at']
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from scaleup_graph.errors import Conflict, Invalid, NotFound, ScaleUpError
from scaleup_graph.graph_model import (
    KEY,
    NODE_TYPES,
    VERSION,
    extra_labels,
    fold,
    identifier_hashes,
    is_personal,
    make_id,
    node_type,
    rel_type,
    validate_node,
    validate_relationship,
    words,
)
from scaleup_graph.graph_model.forms import SYSTEM_FIELDS, WORKFLOW_FIELDS, editable_fields
from scaleup_graph.graph_model.messages import (
    REFUSALS,
    field_message,
    refused,
    summary_message,
)
from scaleup_graph.graph_model.schema import SEARCH_TEXT_SOURCES
from scaleup_graph.graph_model.validation import FieldError
from scaleup_graph.queries.privacy import sees_pii, visibility
from scaleup_graph.store import GraphStore, NodeRow
from scaleup_graph.store.cypher import label as cypher_label

__all__ = [
    "SYSTEM_FIELDS",
    "WORKFLOW_FIELDS",
    "Actor",
    "FieldProblem",
    "create_node",
    "delete_node",
    "editable_fields",
    "history_entry",
    "link",
    "lookup",
    "node_record",
    "now_iso",
    "refusal",
    "unlink",
    "update_node",
    "upsert_relationship",
]

#: How many relationships a delete confirmation names (the total is always given).
MAX_NAMED = 50


@dataclass(frozen=True, slots=True)
class Actor:
    """Who writes: the API key's public id and its note (never a person's value)."""

    key_id: str
    note: str = ""
    role: str = "editor"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A field's problem: ``reason`` in English; ``code`` and ``params`` say it in German too
    (:mod:`scaleup_graph.graph_model.messages`)."""

    field: str
    reason: str
    code: str = "invalid"
    params: Mapping[str, Any] = dc_field(default_factory=dict)

    @classmethod
    def of(cls, field: str, code: str, **params: Any) -> FieldProblem:
        return cls(field, field_message(code, "en", **params), code, params)

    def message(self, lang: str) -> str:
        if lang == "en" or self.code == "invalid":
            return self.reason
        return field_message(self.code, lang, **self.params)


def refusal(
    message: str,
    problems: list[FieldProblem] | None = None,
    *,
    kind: type[ScaleUpError] = Invalid,
    code: str | None = None,
    words: dict[str, Any] | None = None,
    **details: Any,
) -> ScaleUpError:
    """The error for a refused write (nothing was written), of the error model's ``kind``:
    Invalid with one problem per field (``problems``: field and what to do, never the value),
    Conflict (a stale version with ``current``, a delete that needs ``confirm`` with
    ``dependents``), NotFound, Forbidden. api/errors.py turns the kind into a status."""
    found = problems or []
    if found:
        # ``message`` in English; ``code`` and ``params`` let the API answer in the reader's
        # language (api/errors.py), ``params`` are schema facts, never the value sent
        details["problems"] = [
            {"field": p.field, "message": p.reason, "code": p.code, "params": dict(p.params)}
            for p in found
        ]
    field = found[0].field if found else None
    if code in REFUSALS:  # the German sentence for the editor page; ``words`` are its parameters
        return refused(kind, message, code, field, code=code, details=details, **(words or {}))
    return kind(message, field, code=code, **details)


def now_iso() -> str:
    """A UTC timestamp with microseconds: history entries sort by it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _provenance(actor: Actor, now: str) -> dict[str, Any]:
    return {
        "source": f"api:{actor.key_id}",
        "ingest_run": f"api-{actor.key_id}",
        "ingested_at": now,
    }


def _label_of(labels: list[str]) -> str | None:
    return next((lb for lb in labels if lb in NODE_TYPES), None)


def _filtered(label: str, props: Mapping[str, Any], role: str) -> dict[str, Any]:
    hidden = set() if sees_pii(role) else set(NODE_TYPES[label].pii_fields)
    return {k: v for k, v in props.items() if k not in hidden}


def node_record(store: GraphStore, node_id: str, role: str) -> dict[str, Any]:
    """The node's label, version and schema properties as a form shows them (role-filtered).

    Raises
    ------
    ScaleUpError
        404 if there is no such node.
    """
    found = store.node_record(node_id)
    label = _label_of(found[0]) if found else None
    if found is None or label is None or visibility(role).hides_label_props(label, found[1]):
        # a node the role does not see at all (a challenge in draft) is not found either
        raise refusal(
            "there is no node with this id; search for it first", kind=NotFound, code="not_found"
        )
    props = found[1]
    nt = NODE_TYPES[label]
    known = {p.name for p in nt.all_properties}
    shown = {k: v for k, v in props.items() if k in known and k not in SYSTEM_FIELDS}
    return {
        "label": label,
        "id": node_id,
        VERSION: int(props.get(VERSION) or 0),
        "labels": sorted(found[0]),
        "properties": _filtered(label, shown, role),
        "updated_at": props.get("updated_at"),
    }


def _invalid(errors: list[FieldProblem]) -> ScaleUpError:
    error = refusal(summary_message([(p.field, p.reason) for p in errors], "en"), errors)
    error.translate = lambda lang: summary_message(
        [(words.prop_name(p.field, lang), p.message(lang)) for p in errors], lang
    )
    return error


def _from_validation(errors: list[FieldError]) -> list[FieldProblem]:
    return [FieldProblem(e.field, e.reason, e.code, e.params) for e in errors]


def _check_fields(label: str, raw: Mapping[str, Any]) -> list[FieldProblem]:
    """Fields a form may not send: system fields, workflow fields, the version inside."""
    problems = []
    locked = WORKFLOW_FIELDS.get(label, {})
    for name in raw:
        if name in SYSTEM_FIELDS:
            problems.append(FieldProblem.of(name, "system_field"))
        elif name in locked:
            problems.append(FieldProblem.of(name, "workflow_field", reason=locked[name]))
        elif name == VERSION:
            problems.append(FieldProblem.of(name, "version_inside"))
    return problems


def _validate(label: str, node_id: str, merged: Mapping[str, Any]) -> dict[str, Any]:
    clean, errors = validate_node(label, {KEY: node_id, **merged})
    if errors:
        raise _invalid(_from_validation(errors))
    clean.pop(KEY, None)
    return clean


def history_entry(
    node_id: str,
    label: str,
    action: str,
    actor: Actor,
    *,
    at: str,
    change: str,
    version: int | None,
    fields: Mapping[str, tuple[Any, Any]] | None = None,
    rel: Mapping[str, Any] | None = None,
    links: list[dict[str, Any]] | None = None,
    seq: int = 0,
) -> dict[str, Any]:
    """One stored history entry (values as JSON text: FalkorDB stores no maps).

    ``links``: a deleted node's relationships (type, direction, other end's id and label,
    properties), kept so that an undo can give them back."""
    entry: dict[str, Any] = {
        "node": node_id,
        "label": label,
        "action": action,
        "change": change,
        "at": at,
        "seq": seq,
        "key_id": actor.key_id,
        "key_note": actor.note,
        "undone": False,
        "fields": sorted(fields or {}),
        "values": json.dumps(
            {k: {"old": old, "new": new} for k, (old, new) in (fields or {}).items()},
            ensure_ascii=False,
            default=str,
        ),
    }
    if version is not None:
        entry[VERSION] = version
    if rel is not None:
        entry["rel"] = json.dumps(dict(rel), ensure_ascii=False, default=str)
    if links is not None:
        entry["links"] = json.dumps(links, ensure_ascii=False, default=str)
    return entry


def _refuse_erased(
    store: GraphStore, label: str, clean: Mapping[str, Any], node_id: str, salt: str
) -> None:
    if is_personal(label) and store.suppressed(identifier_hashes(dict(clean), salt) | {node_id}):
        raise refusal(
            "this person was erased at their request and may not be re-created",
            kind=Conflict,
            code="erased",
        )


def create_node(
    store: GraphStore,
    label: str,
    raw: Mapping[str, Any],
    actor: Actor,
    *,
    salt: str,
    node_id: str | None = None,
    undoes: str | None = None,
    action: str = "create",
    restore: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Create one node; its id comes from its name (as ingest makes it) unless given.

    ``restore``: relationships to give it in the same statement (the undo of a delete, see
    :func:`scaleup_graph.queries.history.undo_last`).

    Raises
    ------
    ScaleUpError
        422 with one problem per invalid field; 409 if the id exists (edit that node) or the
        person was erased; 404 for an unknown label.
    """
    _require_label(label)
    problems = _check_fields(label, raw)
    if problems:
        raise _invalid(problems)
    clean = _validate(label, node_id or "new", raw)
    draft = NODE_TYPES[label].draft
    if draft is not None and action == "create" and draft[0] not in clean:
        # made by a person in the editor: a draft until published (a missing status would
        # mean published: NodeType.draft_missing), as the challenge's own create makes it
        clean[draft[0]] = draft[1]
    if node_id is None:
        natural = clean.get("email") if is_personal(label) else None
        node_id = make_id(label, str(natural or clean["name"]))
    _refuse_erased(store, label, clean, node_id, salt)
    now = now_iso()
    change = uuid.uuid4().hex
    entry = history_entry(
        node_id,
        label,
        action,
        actor,
        at=now,
        change=change,
        version=1,
        fields={k: (None, v) for k, v in clean.items()},
    )
    version = store.create_node(
        label,
        NodeRow(node_id, clean, tuple(extra_labels(label, clean))),
        provenance=_provenance(actor, now),
        history=[entry],
        undoes=undoes,
        restore=restore or (),
    )
    if version is None:
        raise refusal(
            f"a {label} with this name exists already ({node_id}); open it and edit it instead",
            [FieldProblem.of("name", "exists")],
            kind=Conflict,
            code="exists",
        )
    return node_record(store, node_id, actor.role)


def _require_label(label: str) -> None:
    try:
        node_type(label)
    except ValueError as exc:
        raise refusal(str(exc), kind=NotFound, code="unknown_label") from None


def _stored(store: GraphStore, label: str, node_id: str) -> dict[str, Any]:
    found = store.node_record(node_id, [label])
    if found is None or label not in found[0]:
        raise refusal(
            f"there is no {label} with this id; it may have been deleted meanwhile",
            kind=NotFound,
            code="not_found",
        )
    return found[1]


def _stale(store: GraphStore, node_id: str, role: str, sent: int) -> ScaleUpError:
    current = node_record(store, node_id, role)
    return refusal(
        f"this node was changed by someone else meanwhile (you edited version {sent}, it is "
        f"now version {current[VERSION]}); nothing was saved: compare with the current values, "
        "then send your change again with the current version",
        kind=Conflict,
        code="stale_version",
        words={"sent": sent, "now": current[VERSION]},
        current=current,
    )


def update_node(
    store: GraphStore,
    label: str,
    node_id: str,
    raw: Mapping[str, Any],
    actor: Actor,
    *,
    version: int,
    salt: str,
    undoes: str | None = None,
    action: str = "update",
    allow_locked: bool = False,
) -> dict[str, Any]:
    """Change the fields in ``raw`` (an empty value clears a field) if ``version`` is current.

    Fields not in ``raw`` keep their values. The result is validated as a whole, so a required
    field cannot be cleared.

    Raises
    ------
    ScaleUpError
        409 ``stale_version`` with the current values when the node moved on; 422 with one
        problem per invalid field; 404 if the node is gone.
    """
    _require_label(label)
    problems = [] if allow_locked else _check_fields(label, raw)
    if problems:
        raise _invalid(problems)
    stored = _stored(store, label, node_id)
    if int(stored.get(VERSION) or 0) != version:
        raise _stale(store, node_id, actor.role, version)
    nt = NODE_TYPES[label]
    known = {p.name for p in nt.all_properties} - SYSTEM_FIELDS
    current = {k: v for k, v in stored.items() if k in known}
    merged = {**current, **raw}
    clean = _validate(label, node_id, {k: v for k, v in merged.items() if k not in SYSTEM_FIELDS})
    changes = {
        k: (current.get(k), clean.get(k))
        for k in sorted(set(current) | set(clean))
        if current.get(k) != clean.get(k)
    }
    if not changes:
        return node_record(store, node_id, actor.role)
    if is_personal(label):
        _refuse_erased(store, label, clean, node_id, salt)
    kinds_before = set(extra_labels(label, current))
    kinds_after = set(extra_labels(label, clean))
    now = now_iso()
    entry = history_entry(
        node_id,
        label,
        action,
        actor,
        at=now,
        change=uuid.uuid4().hex,
        version=version + 1,
        fields=changes,
    )
    values = {k: new for k, (_, new) in changes.items()}
    if values.keys() & set(SEARCH_TEXT_SOURCES):
        # the store derives the search text from all of a node's names, not just the changed
        values.update({k: clean.get(k) for k in SEARCH_TEXT_SOURCES if k in clean})
    written = store.update_node(
        label,
        node_id,
        values,
        version=version,
        now=now,
        history=[entry],
        add_labels=sorted(kinds_after - kinds_before),
        remove_labels=sorted(kinds_before - kinds_after),
        undoes=undoes,
    )
    if written is None:  # another write came between our read and this statement
        raise _stale(store, node_id, actor.role, version)
    return node_record(store, node_id, actor.role)


def dependents(store: GraphStore, node_id: str, role: str) -> dict[str, Any]:
    """The relationships that go with a node when it is deleted (the other end named by its
    caption: a person by job title unless ``role`` may see names)."""
    node_record(store, node_id, role)  # not found for a node the role does not see
    rows, total = store.node_links(node_id, MAX_NAMED)
    seen = visibility(role)
    drafts: set[str] = set()
    if not seen.drafts:  # other ends in draft (challenges) are left out for this role
        for label in {_label_of(list(r["other_labels"])) for r in rows}:
            if label is not None and NODE_TYPES[label].draft:
                props = store.node_properties(label, [r["other"] for r in rows])
                drafts |= {i for i, p in props.items() if seen.hides_label_props(label, p)}
    hidden = [r for r in rows if seen.hides_rel(r["type"]) or r["other"] in drafts]
    rows = [r for r in rows if r not in hidden]
    total -= len(hidden)
    named = []
    for r in rows:
        label = _label_of(list(r["other_labels"]))
        hide = is_personal(label) and not sees_pii(role)
        caption = r["other_role"] if hide else r["other_name"]
        named.append(
            {
                "type": r["type"],
                "direction": "out" if r["start"] == node_id else "in",
                "other": r["other"],
                "other_label": label,
                "other_caption": str(caption or r["other"]),
            }
        )
    return {"total": total, "relationships": named}


def delete_node(
    store: GraphStore,
    label: str,
    node_id: str,
    actor: Actor,
    *,
    version: int,
    confirm: bool,
    action: str = "delete",
    undoes: str | None = None,
) -> dict[str, Any]:
    """Delete a node with its relationships, after confirmation when it has any.

    Persons are not deleted here: they are erased through the GDPR path (the route sends them
    there), which also keeps them on the suppression list.

    Raises
    ------
    ScaleUpError
        409 ``confirm_required`` naming the relationships that would go (nothing deleted);
        409 ``stale_version``; 404.
    """
    _require_label(label)
    stored = _stored(store, label, node_id)
    if int(stored.get(VERSION) or 0) != version:
        raise _stale(store, node_id, actor.role, version)
    going = dependents(store, node_id, actor.role)
    if going["total"] and not confirm:
        raise refusal(
            f"this {label} has {going['total']} relationship(s) that would be deleted with it; "
            "send the request again with confirm=true to delete them all",
            kind=Conflict,
            code="confirm_required",
            words={"total": going["total"]},
            dependents=going,
        )
    now = now_iso()
    nt = NODE_TYPES[label]
    known = {p.name for p in nt.all_properties} - SYSTEM_FIELDS
    links = [
        {
            "type": r["type"],
            "direction": "out" if r["start"] == node_id else "in",
            "other": r["other"],
            "other_label": _label_of(list(r["other_labels"])),
            # the other end's name, to say which link could not come back once it is gone
            # too; never a person's (it would outlive the person's erasure here)
            "other_name": None
            if is_personal(_label_of(list(r["other_labels"])))
            else r["other_name"],
            "properties": dict(r["props"]),
        }
        for r in store.node_relationships(label, node_id)
    ]
    entry = history_entry(
        node_id,
        label,
        action,
        actor,
        at=now,
        change=uuid.uuid4().hex,
        version=version + 1,
        fields={k: (v, None) for k, v in stored.items() if k in known},
        links=links,
    )
    if not store.delete_node(
        label, node_id, version=version, now=now, history=[entry], undoes=undoes, links=len(links)
    ):
        # the node moved on, or a relationship came or went since we read them
        raise _stale(store, node_id, actor.role, version)
    return {"deleted": node_id, "label": label, "relationships_removed": going["total"]}


def _endpoints(
    store: GraphStore, type_: str, start: str, end: str
) -> tuple[tuple[str, str], tuple[str, str]]:
    try:
        rt = rel_type(type_)
    except ValueError as exc:
        raise refusal(str(exc), kind=NotFound, code="unknown_type") from None
    found: list[tuple[str, str]] = []
    for side, node_id, allowed in (("start", start, rt.sources), ("end", end, rt.targets)):
        record = store.node_record(node_id, list(allowed))
        label = next((lb for lb in allowed if record and lb in record[0]), None)
        if label is None:
            raise refusal(
                f"{side}: no {' or '.join(allowed)} with that id; {type_} goes from "
                f"{'/'.join(rt.sources)} to {'/'.join(rt.targets)}",
                [FieldProblem.of(side, "no_such_end", labels=list(allowed))],
            )
        found.append((label, node_id))
    if start == end:
        raise refusal("a node cannot be linked to itself", [FieldProblem.of("end", "self_link")])
    return found[0], found[1]


def _rel_entries(
    type_: str,
    a: tuple[str, str],
    b: tuple[str, str],
    action: str,
    actor: Actor,
    props: Mapping[str, Any],
) -> list[dict[str, Any]]:
    now, change = now_iso(), uuid.uuid4().hex
    rel = {"type": type_, "start": a[1], "end": b[1], "properties": dict(props)}
    return [
        history_entry(
            node, label, action, actor, at=now, change=change, version=None, rel=rel, seq=i
        )
        for i, (label, node) in enumerate((a, b))
    ]


def link(
    store: GraphStore,
    type_: str,
    start: str,
    end: str,
    raw: Mapping[str, Any],
    actor: Actor,
    *,
    undoes: str | None = None,
    action: str = "link",
) -> dict[str, Any]:
    """Create a relationship between two existing nodes of the schema's labels for ``type_``.

    Raises
    ------
    ScaleUpError
        422 for wrong endpoints or properties, 409 if the relationship exists already.
    """
    a, b = _endpoints(store, type_, start, end)
    clean, errors = validate_relationship(type_, raw)
    if errors:
        raise _invalid(_from_validation(errors))
    entries = _rel_entries(type_, a, b, action, actor, clean)
    if not store.link(
        type_,
        a,
        b,
        clean,
        provenance=_provenance(actor, entries[0]["at"]),
        history=entries,
        undoes=undoes,
    ):
        raise refusal(
            f"{start} already {type_} {end}; edit or delete that relationship instead",
            kind=Conflict,
            code="exists",
        )
    return {"type": type_, "start": start, "end": end, "properties": clean}


def unlink(
    store: GraphStore,
    type_: str,
    start: str,
    end: str,
    actor: Actor,
    *,
    undoes: str | None = None,
    action: str = "unlink",
) -> dict[str, Any]:
    """Delete the relationship ``start -[type_]-> end``; its properties go to the history."""
    a, b = _endpoints(store, type_, start, end)
    props = store.relationship_properties(type_, a, b)
    if props is None:
        raise refusal(f"there is no {type_} from {start} to {end}", kind=NotFound, code="not_found")
    kept = {k: v for k, v in props.items() if k not in SYSTEM_FIELDS}
    entries = _rel_entries(type_, a, b, action, actor, kept)
    if not store.unlink(type_, a, b, now=entries[0]["at"], history=entries, undoes=undoes):
        raise refusal(f"there is no {type_} from {start} to {end}", kind=NotFound, code="not_found")
    return {"type": type_, "start": start, "end": end, "deleted": True}


def upsert_relationship(
    store: GraphStore,
    type_: str,
    start: str,
    end: str,
    raw: Mapping[str, Any],
    actor: Actor,
    *,
    undoes: str | None = None,
    action: str = "relink",
    replace: bool = False,
) -> dict[str, Any]:
    """Create a relationship or set the properties of the existing one (``PUT``).

    A change of an existing relationship goes into both ends' history (``relink``, with the
    old and new properties) in the same statement. ``replace``: properties not in ``raw`` are
    removed (an undo puts back exactly the old ones).
    """
    a, b = _endpoints(store, type_, start, end)
    clean, errors = validate_relationship(type_, raw)
    if errors:
        raise _invalid(_from_validation(errors))
    stored = store.relationship_properties(type_, a, b)
    if stored is None:
        return link(store, type_, start, end, clean, actor, undoes=undoes)
    old = {k: v for k, v in stored.items() if k not in SYSTEM_FIELDS}
    new = clean if replace else {**old, **clean}
    if new == old:
        return {"type": type_, "start": start, "end": end, "properties": new}
    entries = _rel_entries(type_, a, b, action, actor, new)
    for entry in entries:
        rel = json.loads(entry["rel"])
        rel["old_properties"] = old
        entry["rel"] = json.dumps(rel, ensure_ascii=False, default=str)
        entry["fields"] = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    props = {k: new.get(k) for k in set(old) | set(new)}  # None removes a property
    if not store.update_relationship(
        type_, a, b, props, now=entries[0]["at"], history=entries, undoes=undoes
    ):
        raise refusal(f"there is no {type_} from {start} to {end}", kind=NotFound, code="not_found")
    return {"type": type_, "start": start, "end": end, "properties": new}


def lookup(
    store: GraphStore, text: str, labels: list[str], role: str, limit: int = 10
) -> list[dict[str, str]]:
    """Type-ahead for picking the other end of a relationship: nodes of ``labels`` whose name
    contains ``text`` (accent- and case-insensitive). Persons are found by name only for roles
    that may see names, otherwise by their job title; the caption follows the same rule."""
    needle = fold(text.strip())
    if not needle:
        return []
    found: list[dict[str, str]] = []
    for label in labels or list(NODE_TYPES):
        if label not in NODE_TYPES:
            raise refusal(
                f"unknown label {label!r}; valid labels are: {', '.join(NODE_TYPES)}",
                [FieldProblem("labels", "use the schema's labels")],
            )
        nt = NODE_TYPES[label]
        personal = "name" in nt.pii_fields and not sees_pii(role)
        caption = nt.caption if personal else "name"
        if is_personal(label):
            query = (
                f"MATCH (n:{cypher_label(label)}) WHERE n.{caption} IS NOT NULL "
                f"RETURN n.{KEY} AS id, n.{caption} AS caption"
            )
            rows = [r for r in store.read(query) if needle in fold(str(r["caption"]))]
            rows = sorted(rows, key=lambda r: str(r["caption"]))[:limit]
        else:
            query = (
                f"MATCH (n:{cypher_label(label)}) WHERE n.name_fold CONTAINS $q "
                f"AND {visibility(role).node_clause('n')} "
                f"RETURN n.{KEY} AS id, n.name AS caption "
                "ORDER BY size(n.name), n.name LIMIT $limit"
            )
            rows = store.read(query, {"q": needle, "limit": limit})
        found += [{"id": r["id"], "label": label, "caption": str(r["caption"])} for r in rows]
    found.sort(key=lambda r: (0 if fold(r["caption"]).startswith(needle) else 1, len(r["caption"])))
    return found[:limit]
