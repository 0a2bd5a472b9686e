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
from scaleup_graph.queries.edits import Actor

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


def audited[T](principal: Principal, action: str, subject: str, step: Callable[[], T]) -> T:
    """Run a write step and audit it (``ok``, or ``refused:<code>`` when it raises).

    A step that changes a node writes that node's history entry itself, in its own statement
    (routes pass the writer as ``by=actor_of(request, principal)``).
    """
    try:
        result = step()
    except ScaleUpError as exc:
        audit(principal, action, [subject], f"refused:{exc.code}")
        raise
    audit(principal, action, [subject], "ok")
    return result
