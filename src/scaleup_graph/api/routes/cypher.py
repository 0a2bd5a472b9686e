"""``POST /api/v1/cypher``: read-only ad-hoc Cypher for analysts, with time and row limits."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import (
    SettingsDep,
    StoreDep,
    audit,
)
from scaleup_graph.api.params import Analyst
from scaleup_graph.queries import run_adhoc
from scaleup_graph.queries.adhoc import MAX_QUERY_LENGTH, AdhocSlots
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["cypher"])


class AdhocQuery(BaseModel):
    query: str = Field(
        description=f"a Cypher read query, at most {MAX_QUERY_LENGTH} characters",
        examples=[
            "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) "
            "RETURN r.name AS region, count(o) AS n ORDER BY n DESC"
        ],
    )
    params: dict[str, Any] = Field(default_factory=dict, description="$parameters")


def _slots(request: Request, store: GraphStore, settings: Settings) -> AdhocSlots:
    slots: AdhocSlots | None = getattr(request.app.state, "adhoc_slots", None)
    if slots is None:
        slots = AdhocSlots.for_store(
            settings.state_dir / "adhoc-slots", store, settings.query_timeout_ms
        )
        request.app.state.adhoc_slots = slots
    return slots


@router.post(
    "/cypher",
    summary="Run read-only Cypher (analyst); writes, LOAD CSV and procedure calls are refused",
    **m.typed(m.CypherResult),
)
def adhoc(
    request: Request, body: AdhocQuery, principal: Analyst, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    result = run_adhoc(
        store,
        body.query,
        body.params,
        principal.role,
        timeout_ms=settings.query_timeout_ms,
        row_cap=settings.adhoc_row_cap,
        key_id=principal.key_id,
        slots=_slots(request, store, settings),
    )
    if result.personal:  # returned or filtered on a personal field: ids only, never values
        audit(principal, "cypher", sorted(result.subject_ids), "read")
    return {
        "columns": result.columns,
        "rows": result.rows,
        "truncated": result.truncated,
        "row_cap": settings.adhoc_row_cap,
    }
