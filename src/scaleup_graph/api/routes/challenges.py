"""``/api/v1/challenges``: Open Innovation Challenge entries and their proposals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from scaleup_graph.api.deps import Principal, StoreDep, require_role
from scaleup_graph.api.pagination import PageDep, page_body
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/challenges", tags=["challenges"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.get("", summary="Challenges by topic and status")
def challenges(
    principal: Viewer,
    store: StoreDep,
    page: PageDep,
    topic: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[
        str, Query(max_length=50, description="draft, published, pitched, solved or closed")
    ] = "",
) -> dict[str, Any]:
    result = daily.challenges(
        store, principal.role, topic=topic, status=status, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)


@router.get("/{challenge_id}/proposals", summary="Proposals submitted for a challenge")
def proposals(
    challenge_id: str, principal: Viewer, store: StoreDep, page: PageDep
) -> dict[str, Any]:
    result = daily.challenge_proposals(
        store, principal.role, challenge_id, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)
