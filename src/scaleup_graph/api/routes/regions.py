"""``/api/v1/partner-regions``: the Scale Up partnership."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep
from scaleup_graph.api.params import Viewer
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["partnership"])


@router.get(
    "/partner-regions",
    summary="Partner regions, their partners and the practices transferred to them",
    **m.typed(m.PartnerRegions),
)
def partner_regions(principal: Viewer, store: StoreDep) -> dict[str, Any]:
    return {"regions": daily.partner_regions(store, principal.role).rows}
