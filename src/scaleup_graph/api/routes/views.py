"""``/api/v1/views``: saved explorer views ("Perspektiven"), listed and kept on the server."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from scaleup_graph.api.params import Viewer
from scaleup_graph.errors import Invalid
from scaleup_graph.settings import get_settings
from scaleup_graph.visualisation.perspectives import PerspectiveError, PerspectiveStore

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["explorer"])


class NewView(BaseModel):
    name: str = Field(description="what the view shows, e.g. 'IHK und ihre Mitglieder'")
    params: str = Field(
        description="the explorer's address parameters, e.g. 'focus=org-ihk-kassel-marburg&hops=2'"
    )


def _store() -> PerspectiveStore:
    return PerspectiveStore(get_settings().state_dir / "perspectives.json")


@router.get("/views", summary="Saved explorer views (Perspektiven) this key may see")
def list_views(principal: Viewer) -> dict[str, Any]:
    """Newest first; a view whose parameters name a person only for roles that see persons."""
    return {"views": [PerspectiveStore.public(p) for p in _store().list(principal.role)]}


@router.post("/views", status_code=201, summary="Keep the current explorer view under a name")
def add_view(body: NewView, principal: Viewer) -> Any:
    """Open it later with ``/?<params>``; the language and the key never go into it."""
    try:
        made = _store().add(body.name, body.params)
    except PerspectiveError as exc:
        raise Invalid(
            str(exc),
            field=exc.field,
            hint="name: 1-120 characters; params: the part of the explorer's address after "
            "'?', e.g. focus=org-ihk-kassel-marburg&hops=2",
        ) from None
    return PerspectiveStore.public(made)
