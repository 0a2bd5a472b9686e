"""``/api/v1/queries``: list the named Cypher catalogue and run a query by name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body
from pydantic import BaseModel, Field

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import (
    SettingsDep,
    StoreDep,
    audit_personal_reads,
)
from scaleup_graph.api.params import Viewer
from scaleup_graph.queries import catalogue, get_query, has_role, run_query

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/queries", tags=["queries"])


class RunQuery(BaseModel):
    params: dict[str, Any] = Field(
        default_factory=dict, description="parameter values by name, as JSON"
    )


@router.get(
    "",
    summary="The named queries this key may run, with parameters and columns",
    **m.typed(m.QueryList),
)
def list_queries(principal: Viewer) -> dict[str, Any]:
    return {
        "queries": [q.describe() for q in catalogue().values() if has_role(principal.role, q.role)]
    }


@router.get("/{name}", summary="One named query's description", **m.typed(m.QueryDescription))
def describe_query(name: str, principal: Viewer) -> dict[str, Any]:
    return get_query(name).describe()


@router.post(
    "/{name}", summary="Run a named query with validated parameters", **m.typed(m.QueryResult)
)
def run_named_query(
    name: str,
    principal: Viewer,
    store: StoreDep,
    settings: SettingsDep,
    body: Annotated[RunQuery | None, Body()] = None,
) -> dict[str, Any]:
    result = run_query(
        store,
        name,
        (body or RunQuery()).params,
        principal.role,
        timeout_ms=settings.query_timeout_ms,
    )
    audit_personal_reads(principal, f"query:{name}", result.rows)
    return {"name": result.name, "columns": list(result.columns), "rows": result.rows}
