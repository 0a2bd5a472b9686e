"""What route modules share: callers by role, path and body parameters, audited writes.

``principal: Viewer`` admits keys with the viewer role (or one that includes it); ``Id`` is a
node id in the path; a request body model derives from :class:`StrictBody` (unknown fields are
refused with 422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from scaleup_graph.api.deps import Principal, audit, require_role
from scaleup_graph.api.keys import KeyStore
from scaleup_graph.errors import ScaleUpError
from scaleup_graph.queries import history as node_history
from scaleup_graph.queries.edits import Actor
from scaleup_graph.store import GraphStore

__all__ = [
    "Admin",
    "Analyst",
    "Contacts",
    "Date",
    "Editor",
    "Id",
    "StrictBody",
    "Viewer",
    "actor_of",
    "audited",
]

Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Contacts = Annotated[Principal, Depends(require_role("contacts"))]
Analyst = Annotated[Principal, Depends(require_role("analyst"))]
Editor = Annotated[Principal, Depends(require_role("editor"))]
Admin = Annotated[Principal, Depends(require_role("admin"))]
Id = Annotated[str, Path(max_length=200, description="a node id, e.g. challenge-... or org-...")]
Date = Annotated[str | None, Field(default=None, max_length=10, description="YYYY-MM-DD; today")]


class StrictBody(BaseModel):
    model_config = ConfigDict(extra="forbid")


def actor_of(request: Request, principal: Principal) -> Actor:
    """The writer as a node's history records it: the key's id and note."""
    keys: KeyStore = request.app.state.keys
    note = next((k.note for k in keys.list() if k.key_id == principal.key_id), "")
    return Actor(principal.key_id, note, principal.role)


def audited[T](
    principal: Principal,
    action: str,
    subject: str,
    step: Callable[[], T],
    *,
    history: tuple[Request, GraphStore, str | None] | None = None,
) -> T:
    """Run a write step and audit it (``ok``, or ``refused:<code>`` when it raises).

    With ``history`` (request, store, id of the node the step changes, or None when it
    creates one: the result's ``id``) the step also goes into that node's history, so editors
    see it in the page and can undo it.
    """
    before = None
    if history is not None and history[2] is not None:
        before = node_history.snapshot(history[1], history[2])
    try:
        result = step()
    except ScaleUpError as exc:
        audit(principal, action, [subject], f"refused:{exc.code}")
        raise
    if history is not None:
        request, store, changed = history
        node_id = changed or (result.get("id") if isinstance(result, dict) else None)
        if isinstance(node_id, str):
            node_history.record_step(
                store,
                node_id,
                before if changed else None,
                actor_of(request, principal),
                f"step:{action}",
            )
    audit(principal, action, [subject], "ok")
    return result
