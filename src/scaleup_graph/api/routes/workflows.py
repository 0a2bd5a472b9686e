"""Workflow routes: the Open Innovation Challenge round, best-practice lineage, Scale-Up content
exchange and the consent-checked newsletter export.

Thin: every answer comes from :mod:`scaleup_graph.workflows`. Writes need ``editor``, reads
``viewer``, the newsletter export ``contacts`` (its purpose goes to the audit log). A refused
step raises a :class:`~scaleup_graph.errors.ScaleUpError` kind (api/errors.py answers 404 for an
unknown id, 409 when the graph's state forbids it, 422 for bad input) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from scaleup_graph import workflows as wf
from scaleup_graph.api.deps import Principal, StoreDep, audit, require_role
from scaleup_graph.errors import ScaleUpError

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["workflows"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]
Editor = Annotated[Principal, Depends(require_role("editor"))]
Contacts = Annotated[Principal, Depends(require_role("contacts"))]
Id = Annotated[str, Path(max_length=200, description="a node id, e.g. challenge-... or org-...")]
Date = Annotated[str | None, Field(default=None, max_length=10, description="YYYY-MM-DD; today")]


def _write[T](principal: Principal, action: str, subject: str, step: Callable[[], T]) -> T:
    """Run a write step and audit it, also when it is refused."""
    try:
        result = step()
    except ScaleUpError as exc:
        audit(principal, action, [subject], f"refused:{exc.code}")
        raise
    audit(principal, action, [subject], "ok")
    return result


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SubscriptionsIn(_Body):
    topics: list[str] = Field(max_length=20, description="the complete new set of topics")


# --- challenges ---------------------------------------------------------------------------


@router.get("/events/{event_id}/programme", summary="The pitch event's programme")
def programme(event_id: Id, principal: Viewer, store: StoreDep) -> Any:
    """The challenges pitched at the event, each with the proposals pitched for it and the
    organisations presenting them."""
    return wf.pitch_programme(store, event_id)


# --- best practices -------------------------------------------------------------------------


@router.get("/practices/{practice_id}/lineage", summary="Lineage of a best practice")
def lineage(practice_id: Id, principal: Viewer, store: StoreDep) -> Any:
    """Who presented it (organisations, regions), the regions it was transferred to (with
    phase), what was modelled on it (`inspired`, with depth) and what it was modelled on."""
    return wf.practice_lineage(store, practice_id)


# --- content exchange -----------------------------------------------------------------------


@router.put("/organisations/{org_id}/subscriptions", summary="Set an organisation's topics")
def set_subscriptions(org_id: Id, body: SubscriptionsIn, principal: Editor, store: StoreDep) -> Any:
    """Replaces the organisation's subscriptions with `topics` (at least one known topic)."""
    return _write(
        principal,
        "subscriptions_set",
        org_id,
        lambda: {
            "organisation": org_id,
            "topics": wf.subscribe(store, org_id, body.topics, actor=principal.key_id),
        },
    )


@router.get("/organisations/{org_id}/subscriptions", summary="An organisation's topics")
def get_subscriptions(org_id: Id, principal: Viewer, store: StoreDep) -> Any:
    return {"organisation": org_id, "topics": wf.subscriptions(store, org_id)}


@router.get(
    "/organisations/{org_id}/digest",
    summary="The weekly digest as plain text or HTML",
    response_class=PlainTextResponse,
    responses={200: {"content": {"text/plain": {}, "text/html": {}}}},
)
def digest(
    org_id: Id,
    principal: Viewer,
    store: StoreDep,
    format: Annotated[Literal["text", "html"], Query(description="text or html")] = "text",
    lang: Annotated[Literal["de", "en"], Query()] = "de",
    week_ending: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
) -> Response:
    """The week's feed items and the open challenges in its topics; nothing is sent. An
    organisation without subscriptions gets 409 saying how to subscribe."""
    body = wf.weekly_digest(store, org_id, fmt=format, lang=lang, week_ending=week_ending)
    if format == "html":
        return HTMLResponse(body)
    return PlainTextResponse(body)


# --- newsletter -----------------------------------------------------------------------------


@router.get("/contacts/newsletter", summary="Contacts who consented to a purpose (contacts role)")
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


# --- the explorer's workflow panels ---------------------------------------------------------


@cache
def _panel_script() -> str:
    return (
        resources.files("scaleup_graph.visualisation")
        .joinpath("static/workflows.js")
        .read_text(encoding="utf-8")
    )


@router.get("/explorer/workflows.js", include_in_schema=False)
def panel_script() -> Response:
    """The explorer's challenge and lineage panels (loaded by explorer.js in live mode)."""
    return Response(
        _panel_script(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )
