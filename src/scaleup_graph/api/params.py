"""What route modules share: callers by role, path and body parameters, audited writes.

``principal: Viewer`` admits keys with the viewer role (or one that includes it); ``Id`` is a
node id in the path; a request body model derives from :class:`StrictBody` (unknown fields are
refused with 422).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Path
from pydantic import BaseModel, ConfigDict, Field

from scaleup_graph.api.deps import Principal, audit, require_role
from scaleup_graph.errors import ScaleUpError

__all__ = [
    "Admin",
    "Analyst",
    "Contacts",
    "Date",
    "Editor",
    "Id",
    "StrictBody",
    "Viewer",
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


def audited[T](principal: Principal, action: str, subject: str, step: Callable[[], T]) -> T:
    """Run a write step and audit it (``ok``, or ``refused:<code>`` when it raises)."""
    try:
        result = step()
    except ScaleUpError as exc:
        audit(principal, action, [subject], f"refused:{exc.code}")
        raise
    audit(principal, action, [subject], "ok")
    return result
