"""Editors' writes through the API: the same validation as ingest, then store upserts.

A node is validated with graph_model.validate_node and written with store.upsert_nodes; a
relationship's type, endpoint labels and properties are checked against the schema and both
endpoints must exist. An erased person cannot be re-created by hand either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scaleup_graph.errors import Conflict, Invalid, NotFound
from scaleup_graph.graph_model import (
    KEY,
    extra_labels,
    identifier_hashes,
    node_type,
    rel_type,
    validate_node,
    validate_relationship,
)
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.store.cypher import label as cypher_label

__all__ = ["EditRejected", "write_node", "write_relationship"]


@dataclass(frozen=True, slots=True)
class FieldProblem:
    field: str
    reason: str


class EditRejected(Invalid):
    """The write was refused; ``problems`` name each field and what is wrong (no values)."""

    def __init__(self, message: str, problems: list[FieldProblem] | None = None) -> None:
        self.problems = problems or []
        super().__init__(
            message,
            self.problems[0].field if self.problems else None,
            problems=[{"parameter": p.field, "problem": p.reason} for p in self.problems],
        )


def _provenance(key_id: str) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {"source": f"api:{key_id}", "ingest_run": f"api-{key_id}", "ingested_at": now}


def write_node(
    store: GraphStore,
    label: str,
    node_id: str,
    raw: Mapping[str, Any],
    *,
    key_id: str,
    salt: str,
) -> dict[str, Any]:
    """Create or update one node; returns its stored properties.

    Raises
    ------
    EditRejected
        With one problem per invalid field.
    NotFound
        For an unknown label.
    Conflict
        For an erased person.
    """
    try:
        node_type(label)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    props = {k: v for k, v in raw.items() if k != KEY}
    clean, errors = validate_node(label, {KEY: node_id, **props})
    if errors:
        problems = [FieldProblem(e.field, e.reason) for e in errors]
        raise EditRejected(
            f"{len(problems)} invalid field(s): "
            + "; ".join(f"{p.field} {p.reason}" for p in problems),
            problems,
        )
    if label == "Person" and store.suppressed(identifier_hashes(clean, salt) | {node_id}):
        raise Conflict("this person was erased at their request and may not be re-created")
    clean.pop(KEY, None)
    store.upsert_nodes(
        label,
        [NodeRow(node_id, clean, tuple(extra_labels(label, clean)))],
        provenance=_provenance(key_id),
    )
    rows = store.read(
        f"MATCH (n:{cypher_label(label)} {{{KEY}: $id}}) RETURN properties(n) AS p", {"id": node_id}
    )
    return dict(rows[0]["p"]) if rows else {}


def _endpoint_label(store: GraphStore, node_id: str, allowed: tuple[str, ...]) -> str | None:
    for label in allowed:
        if store.existing_ids(label, [node_id]):
            return label
    return None


def write_relationship(
    store: GraphStore, type_: str, start: str, end: str, raw: Mapping[str, Any], *, key_id: str
) -> dict[str, Any]:
    """Create or update one relationship between existing nodes."""
    try:
        rt = rel_type(type_)
    except ValueError as exc:
        raise NotFound(str(exc)) from None
    clean, errors = validate_relationship(type_, raw)
    if errors:
        problems = [FieldProblem(e.field, e.reason) for e in errors]
        raise EditRejected(
            f"{len(problems)} invalid field(s): "
            + "; ".join(f"{p.field} {p.reason}" for p in problems),
            problems,
        )
    start_label = _endpoint_label(store, start, rt.sources)
    end_label = _endpoint_label(store, end, rt.targets)
    for side, found, allowed in (
        ("start", start_label, rt.sources),
        ("end", end_label, rt.targets),
    ):
        if found is None:
            raise EditRejected(
                f"{side}: no {' or '.join(allowed)} with that id; {type_} "
                f"goes from {'/'.join(rt.sources)} to {'/'.join(rt.targets)}",
                [FieldProblem(side, "not found")],
            )
    assert start_label and end_label
    store.upsert_relationships(
        type_, start_label, end_label, [RelRow(start, end, clean)], provenance=_provenance(key_id)
    )
    return {"type": type_, "start": start, "end": end, "properties": clean}
