"""``GET /health``: is the API up and does the database answer? No key needed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scaleup_graph import __version__
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    summary="Liveness and database check (503 while the store is down)",
    **m.typed(m.Health),
)
def health(store: StoreDep) -> dict[str, Any]:
    return {"status": "ok", "version": __version__, "store": store.health()}
