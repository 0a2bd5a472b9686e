"""``PUT /api/v1/nodes/{label}/{id}`` and ``PUT /api/v1/relationships/{type}``: editors' writes.

Validated like ingest (graph_model.validate_node), written with the store's upserts, audited.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from scaleup_graph.api.deps import SettingsDep, StoreDep, audit
from scaleup_graph.api.errors import status_of
from scaleup_graph.api.params import Editor
from scaleup_graph.errors import ScaleUpError
from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES
from scaleup_graph.queries.edits import write_node, write_relationship

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["editing"])


class RelationshipBody(BaseModel):
    start: str = Field(max_length=200, description="id of the start node")
    end: str = Field(max_length=200, description="id of the end node")
    properties: dict[str, Any] = Field(default_factory=dict)


#: The form of an id (prefix-slug or prefix-hash). A refused write's path and body may hold
#: anything (an e-mail typed as id): only ids of this form go to the audit log.
_ID_FORM = re.compile(r"[a-z][a-z0-9]*-[a-z0-9-]{1,200}")


def _audit_ids(*ids: str) -> list[str]:
    return [i for i in ids if _ID_FORM.fullmatch(i)]


@router.put(
    "/nodes/{label}/{node_id}", summary="Create or update a node (editor)", response_model=None
)
def put_node(
    label: str,
    node_id: str,
    principal: Editor,
    store: StoreDep,
    settings: SettingsDep,
    properties: Annotated[dict[str, Any], Body(description="the node's properties")],
) -> dict[str, Any]:
    try:
        stored = write_node(
            store,
            label,
            node_id,
            properties,
            key_id=principal.key_id,
            salt=settings.suppression_salt.get_secret_value(),
        )
    except ScaleUpError as exc:
        action = f"write_node:{label if label in NODE_TYPES else '(unknown label)'}"
        audit(principal, action, _audit_ids(node_id), f"rejected:{status_of(exc)}")
        raise
    audit(principal, f"write_node:{label}", [node_id], "written")
    return {"label": label, "id": node_id, "properties": stored}


@router.put(
    "/relationships/{rel_type}",
    summary="Create or update a relationship (editor)",
    response_model=None,
)
def put_relationship(
    rel_type: str, body: RelationshipBody, principal: Editor, store: StoreDep
) -> dict[str, Any]:
    try:
        written = write_relationship(
            store, rel_type, body.start, body.end, body.properties, key_id=principal.key_id
        )
    except ScaleUpError as exc:
        audit(
            principal,
            f"write_relationship:{rel_type if rel_type in REL_TYPES else '(unknown type)'}",
            _audit_ids(body.start, body.end),
            f"rejected:{status_of(exc)}",
        )
        raise
    audit(principal, f"write_relationship:{rel_type}", [body.start, body.end], "written")
    return written
