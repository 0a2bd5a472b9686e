"""``/api/v1/nodes/{id}/neighbourhood`` and ``/api/v1/paths``: the network around and between."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep, audit_personal_reads, threaded
from scaleup_graph.api.params import Viewer
from scaleup_graph.errors import NotFound
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["network"])


@router.get(
    "/nodes/{node_id}/neighbourhood",
    summary="Nodes within N hops (1-3) of a node and the relationships between them",
    **m.typed(m.Neighbourhood),
)
@threaded
def neighbourhood(
    node_id: str,
    principal: Viewer,
    store: StoreDep,
    hops: Annotated[int, Query(ge=1, le=3)] = 1,
    labels: Annotated[list[str] | None, Query(description="walk only through these labels")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="most nodes returned")] = 200,
) -> dict[str, Any]:
    found = daily.neighbourhood(
        store, principal.role, node_id, hops=hops, labels=labels, limit=limit
    )
    if found is None:
        raise NotFound("no node with this id; find ids with GET /api/v1/organisations?q=...")
    audit_personal_reads(principal, "neighbourhood", found)
    return found


@router.get(
    "/paths",
    summary="Shortest paths between two actors: who can introduce me?",
    **m.typed(m.Paths),
)
@threaded
def paths(
    principal: Viewer,
    store: StoreDep,
    source: Annotated[str, Query(max_length=200)],
    target: Annotated[str, Query(max_length=200)],
    max_hops: Annotated[int, Query(ge=1, le=5)] = 4,
    limit: Annotated[int, Query(ge=1, le=20)] = 3,
) -> dict[str, Any]:
    result = daily.paths(store, principal.role, source, target, max_hops=max_hops, limit=limit)
    audit_personal_reads(principal, "paths", result.rows)
    return {"paths": result.rows}
