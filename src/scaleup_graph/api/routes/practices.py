"""``/api/v1/practices``: best practices and their transfer between regions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scaleup_graph import workflows as wf
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep
from scaleup_graph.api.params import Id, Viewer

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/practices", tags=["practices"])


@router.get("/{practice_id}/lineage", summary="Lineage of a best practice", **m.typed(m.Lineage))
def lineage(practice_id: Id, principal: Viewer, store: StoreDep) -> Any:
    """Who presented it (organisations, regions), the regions it was transferred to (with
    phase), what was modelled on it (`inspired`, with depth) and what it was modelled on."""
    return wf.practice_lineage(store, practice_id, role=principal.role)
