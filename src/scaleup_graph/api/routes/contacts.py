"""``/api/v1/contacts``: exports of contact persons for a purpose they consented to."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from scaleup_graph import workflows as wf
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep, audit
from scaleup_graph.api.params import Contacts
from scaleup_graph.errors import ScaleUpError

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/contacts", tags=["contacts"])


@router.get(
    "/newsletter",
    summary="Contacts who consented to a purpose (contacts role)",
    **m.typed(m.Newsletter),
)
def newsletter(
    principal: Contacts,
    store: StoreDep,
    purpose: Annotated[str, Query(max_length=50, description="e.g. newsletter")],
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> Any:
    """Only persons whose `consent` list contains the purpose, with e-mail and organisations;
    the purpose and the persons' ids (never their names) are written to the audit log."""
    try:
        export = wf.newsletter_contacts(store, purpose)
    except ScaleUpError as exc:
        audit(principal, "newsletter_export", [], f"refused:{exc.code}")
        raise
    audit(
        principal,
        f"newsletter_export purpose={export['purpose']}",
        [c["id"] for c in export["contacts"]],
        "read",
    )
    if format == "csv":
        return PlainTextResponse(wf.as_csv(export), media_type="text/csv; charset=utf-8")
    return export
