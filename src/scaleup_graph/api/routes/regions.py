"""``/api/v1/partner-regions`` and ``/api/v1/content``: the Scale Up partnership and its feed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from scaleup_graph.api.deps import Principal, StoreDep, require_role
from scaleup_graph.api.pagination import PageDep, page_body
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["partnership"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.get(
    "/partner-regions",
    summary="Partner regions, their partners and the practices transferred to them",
)
def partner_regions(principal: Viewer, store: StoreDep) -> dict[str, Any]:
    return {"regions": daily.partner_regions(store, principal.role).rows}


@router.get("/content", summary="Scale-Up content feed, newest first")
def content(
    principal: Viewer,
    store: StoreDep,
    page: PageDep,
    topic: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=20, description="news, offer, event or study")] = "",
) -> dict[str, Any]:
    result = daily.content_feed(
        store, principal.role, topic=topic, kind=kind, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)
