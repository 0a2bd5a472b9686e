"""Editing: nodes and relationships, each node's history, undo, and the form definitions.

Thin: the work is done by :mod:`scaleup_graph.queries.edits` and
:mod:`scaleup_graph.queries.history`. Writes need ``editor`` (erasing a person ``admin``),
reads ``viewer``; every write, refused or not, goes to the audit log (ids only). A refused
write raises a :class:`~scaleup_graph.errors.ScaleUpError` kind, answered as
``{"error": {"code", "message", "hint", "field", "problems": [{"field", "message"}]}}`` and,
for a stale version, ``current`` (the stored values, filtered by role); nothing is written in
part.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import Principal, SettingsDep, StoreDep, audit
from scaleup_graph.api.errors import request_lang
from scaleup_graph.api.forms import forms_with_paths
from scaleup_graph.api.params import Editor, Viewer, actor_of
from scaleup_graph.errors import Forbidden, NotFound, ScaleUpError
from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES, is_personal
from scaleup_graph.queries import edits, history
from scaleup_graph.queries.persons import erase_person
from scaleup_graph.queries.privacy import has_role, sees_pii

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["editing"])
NodeId = Annotated[str, Path(max_length=200, description="a node id, e.g. org-ihk-kassel-marburg")]

#: The form of an id (prefix-slug or prefix-hash). A refused write's path and body may hold
#: anything (an e-mail typed as id): only ids of this form go to the audit log.
_ID_FORM = re.compile(r"[a-z][a-z0-9]*-[a-z0-9-]{1,200}")


def _ids(*ids: str | None) -> list[str]:
    return [i for i in ids if i and _ID_FORM.fullmatch(i)]


def _label_for_audit(label: str) -> str:
    return label if label in NODE_TYPES else "(unknown label)"


class NodeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    properties: dict[str, Any] = Field(
        description="field -> value, as the form of GET /api/v1/schema/forms names them"
    )


class NodeUpdate(NodeIn):
    version: int = Field(
        ge=0,
        description="the version you read; an older one is refused with 409 and the current values",
    )


class RelationshipBody(BaseModel):
    start: str = Field(max_length=200, description="id of the start node")
    end: str = Field(max_length=200, description="id of the end node")
    properties: dict[str, Any] = Field(default_factory=dict)


@router.get(
    "/schema/forms",
    summary="Form definitions for editing, generated from the schema",
    **m.typed(m.Forms),
)
def schema_forms(principal: Viewer) -> dict[str, Any]:
    """Every label's fields (type, input, choices, required, personal, German and English
    names), its relationship types, and where to create, update and delete; plus what this
    key may do (`can_write`, `sees_personal`). Personal fields are shown only to keys that see
    personal data."""
    return {
        **forms_with_paths(),
        "caller": {
            "role": principal.role,
            "can_write": has_role(principal.role, "editor"),
            "can_erase": has_role(principal.role, "admin"),
            "sees_personal": sees_pii(principal.role),
        },
    }


@router.get(
    "/nodes/lookup",
    summary="Type-ahead: nodes of some labels by part of their name",
    **m.typed(m.Lookup),
)
def lookup(
    principal: Viewer,
    store: StoreDep,
    q: Annotated[str, Query(max_length=200, description="part of a name")],
    labels: Annotated[list[str], Query(max_length=20, description="e.g. Organisation")] = [],  # noqa: B006
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Any:
    """What the forms use to pick the other end of a relationship: `[{id, label, caption}]`.
    Persons are matched by name only for keys that see personal data (by job title
    otherwise)."""
    items = edits.lookup(store, q, labels, principal.role, limit)
    _audit_persons(principal, "node_lookup", items)
    return {"items": items}


@router.get(
    "/nodes/{node_id}/record",
    summary="A node's editable values and version",
    **m.typed(m.NodeRecord),
)
def record(node_id: NodeId, principal: Viewer, store: StoreDep) -> Any:
    """Label, `version` and the schema properties (personal ones only for keys that may see
    them): what an edit form starts from."""
    found = edits.node_record(store, node_id, principal.role)
    if is_personal(found["label"]) and sees_pii(principal.role):
        audit(principal, "node_record", [node_id], "read")
    return found


@router.post(
    "/nodes/{label}",
    summary="Create a node (editor)",
    status_code=201,
    **m.typed(m.NodeRecord, 201),
)
def create(
    label: str,
    body: NodeIn,
    request: Request,
    principal: Editor,
    store: StoreDep,
    settings: SettingsDep,
) -> Any:
    """Validated exactly as ingest validates; the id is made from the name as ingest makes it
    (a person's from the e-mail or name, as a hash). 409 if it exists: edit that node."""
    try:
        made = edits.create_node(
            store,
            label,
            body.properties,
            actor_of(request, principal),
            salt=settings.suppression_salt.get_secret_value(),
        )
    except ScaleUpError as exc:
        audit(principal, f"node_create:{_label_for_audit(label)}", [], f"refused:{exc.code}")
        raise
    audit(principal, f"node_create:{label}", [made["id"]], "written")
    return made


@router.put("/nodes/{label}/{node_id}", summary="Edit a node (editor)", **m.typed(m.NodeRecord))
def update(
    label: str,
    node_id: NodeId,
    body: NodeUpdate,
    request: Request,
    principal: Editor,
    store: StoreDep,
    settings: SettingsDep,
) -> Any:
    """Sets the fields sent (an empty value clears one; fields not sent keep their values) if
    `version` is still the stored one; answers the new record with `version` + 1. An older
    version: 409 `stale_version` with `current` (the stored values, filtered by role)."""
    action = f"node_update:{_label_for_audit(label)}"
    try:
        changed = edits.update_node(
            store,
            label,
            node_id,
            body.properties,
            actor_of(request, principal),
            version=body.version,
            salt=settings.suppression_salt.get_secret_value(),
        )
    except ScaleUpError as exc:
        audit(principal, action, _ids(node_id), f"refused:{exc.code}")
        raise
    audit(principal, action, [node_id], "written")
    return changed


@router.delete(
    "/nodes/{label}/{node_id}",
    summary="Delete a node (editor; persons: erase, admin)",
    **m.typed(m.NodeDeleted),
)
def delete(
    label: str,
    node_id: NodeId,
    request: Request,
    principal: Editor,
    store: StoreDep,
    settings: SettingsDep,
    version: Annotated[int, Query(ge=0, description="the version you read")],
    confirm: Annotated[
        bool, Query(description="true: also delete the relationships named in the 409")
    ] = False,
) -> Any:
    """Without `confirm`, a node that has relationships is not deleted: 409
    `confirm_required` names them (`dependents`). A person is erased through the GDPR path
    (admin): deleted with its history and kept on the suppression list."""
    if is_personal(label):
        return _erase(node_id, principal, store, settings.suppression_salt.get_secret_value())
    action = f"node_delete:{_label_for_audit(label)}"
    try:
        done = edits.delete_node(
            store, label, node_id, actor_of(request, principal), version=version, confirm=confirm
        )
    except ScaleUpError as exc:
        audit(principal, action, _ids(node_id), f"refused:{exc.code}")
        raise
    audit(principal, action, [node_id], "deleted")
    return done


def _erase(node_id: str, principal: Principal, store: Any, salt: str) -> Any:
    if not has_role(principal.role, "admin"):
        audit(principal, "person_erase", _ids(node_id), "refused:forbidden")
        raise Forbidden(
            "persons are not deleted but erased (GDPR Art. 17), which needs the 'admin' role; "
            f"your key has {principal.role!r}",
            hint="ask an administrator to erase the person",
        )
    report = erase_person(store, node_id, salt)
    audit(principal, "person_erase", _ids(node_id), "erased" if report.erased else "not_found")
    if not report.erased:
        raise NotFound("no person with this id", "id")
    return {
        "deleted": node_id,
        "label": "Person",
        "erased": True,
        "relationships_removed": report.relationships_removed,
    }


@router.post(
    "/relationships/{rel_type}",
    summary="Link two existing nodes (editor)",
    status_code=201,
    **m.typed(m.RelationshipOut, 201),
)
def link(
    rel_type: str, body: RelationshipBody, request: Request, principal: Editor, store: StoreDep
) -> Any:
    """The endpoints must exist and have the labels the schema allows for the type; the
    relationship's properties are validated like ingest's. 409 if it exists already."""
    action = f"relationship_create:{rel_type if rel_type in REL_TYPES else '(unknown type)'}"
    try:
        made = edits.link(
            store, rel_type, body.start, body.end, body.properties, actor_of(request, principal)
        )
    except ScaleUpError as exc:
        audit(principal, action, _ids(body.start, body.end), f"refused:{exc.code}")
        raise
    audit(principal, action, [body.start, body.end], "written")
    return made


@router.put(
    "/relationships/{rel_type}",
    summary="Create or update a relationship's properties (editor)",
    **m.typed(m.RelationshipOut),
)
def put_relationship(
    rel_type: str, body: RelationshipBody, request: Request, principal: Editor, store: StoreDep
) -> Any:
    """Like POST, but an existing relationship gets the properties sent (integrations that
    resend the same link)."""
    action = f"relationship_write:{rel_type if rel_type in REL_TYPES else '(unknown type)'}"
    try:
        written = edits.upsert_relationship(
            store, rel_type, body.start, body.end, body.properties, actor_of(request, principal)
        )
    except ScaleUpError as exc:
        audit(principal, action, _ids(body.start, body.end), f"refused:{exc.code}")
        raise
    audit(principal, action, [body.start, body.end], "written")
    return written


@router.delete(
    "/relationships/{rel_type}",
    summary="Delete a relationship (editor)",
    **m.typed(m.RelationshipOut),
)
def unlink(
    rel_type: str,
    request: Request,
    principal: Editor,
    store: StoreDep,
    start: Annotated[str, Query(max_length=200)],
    end: Annotated[str, Query(max_length=200)],
) -> Any:
    action = f"relationship_delete:{rel_type if rel_type in REL_TYPES else '(unknown type)'}"
    try:
        done = edits.unlink(store, rel_type, start, end, actor_of(request, principal))
    except ScaleUpError as exc:
        audit(principal, action, _ids(start, end), f"refused:{exc.code}")
        raise
    audit(principal, action, [start, end], "deleted")
    return done


@router.get(
    "/nodes/{node_id}/history", summary="A node's changes, newest first", **m.typed(m.NodeHistory)
)
def node_history(
    node_id: NodeId,
    request: Request,
    principal: Viewer,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=history.HISTORY_LIMIT)] = 50,
) -> Any:
    """Each entry: `at`, `key_id` and `key_note` (who), `action`, `fields` changed and
    `changes` with old and new values (personal values only for keys that may see them;
    `personal: true` marks the field), `undone`; a relationship entry names its other end
    (`relationship.other.caption`: a person's job title for keys that may not see names; a
    topic's German name for `Accept-Language: de`)."""
    found = history.node_history(store, node_id, principal.role, limit, request_lang(request))
    if sees_pii(principal.role) and any(
        c["personal"] for e in found["entries"] for c in e["changes"]
    ):
        audit(principal, "node_history", [node_id], "read")
    named = [
        e["relationship"]["other"]
        for e in found["entries"]
        if e.get("relationship", {}).get("other", {}).get("label") == "Person"
    ]
    _audit_persons(principal, "node_history_names", named)
    return found


@router.post(
    "/nodes/{node_id}/undo",
    summary="Undo your own last change on a node (editor)",
    **m.typed(m.Undone),
)
def undo(
    node_id: NodeId, request: Request, principal: Editor, store: StoreDep, settings: SettingsDep
) -> Any:
    """Reverts the caller's own last change as a new change in the history. 409 when the
    last change is another key's or the node changed since (edit it by hand then)."""
    try:
        done = history.undo_last(
            store,
            node_id,
            actor_of(request, principal),
            salt=settings.suppression_salt.get_secret_value(),
        )
    except ScaleUpError as exc:
        audit(principal, "node_undo", _ids(node_id), f"refused:{exc.code}")
        raise
    audit(principal, "node_undo", [node_id], "written")
    return done


@router.get(
    "/nodes/{node_id}/links",
    summary="What goes with a node when it is deleted",
    **m.typed(m.Dependents),
)
def links(node_id: NodeId, principal: Viewer, store: StoreDep) -> Any:
    """The node's relationships (type, direction, other end), at most 50 named, and the
    total: what a delete would remove."""
    found = edits.dependents(store, node_id, principal.role)
    _audit_persons(principal, "node_links", found)
    return found


def _audit_persons(principal: Principal, action: str, answer: Any) -> None:
    """Audit an answer that names persons to a key that sees their names (issue 15)."""
    if not sees_pii(principal.role):
        return
    ids = {s for s in _strings(answer) if s.startswith(f"{NODE_TYPES['Person'].id_prefix}-")}
    if ids:
        audit(principal, action, sorted(ids), "read")


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []
