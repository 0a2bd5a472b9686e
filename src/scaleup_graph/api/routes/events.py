"""``/api/v1/events``: events of the network; the pitch event's programme."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scaleup_graph import workflows as wf
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep
from scaleup_graph.api.params import Id, Viewer

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/events", tags=["events"])


@router.get("/{event_id}/programme", summary="The pitch event's programme", **m.typed(m.Programme))
def programme(event_id: Id, principal: Viewer, store: StoreDep) -> Any:
    """The challenges pitched at the event, each with the proposals pitched for it and the
    organisations presenting them."""
    return wf.pitch_programme(store, event_id)
