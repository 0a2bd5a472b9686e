"""``/api/v1/organisations``: search, detail, contact persons, topic subscriptions, digest."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from pydantic import Field

from scaleup_graph import workflows as wf
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep, audit_personal_reads, on_loop, threaded
from scaleup_graph.api.lean import LeanRoute
from scaleup_graph.api.pagination import PageDep, PageOut, page_body
from scaleup_graph.api.params import Editor, Id, StrictBody, Viewer, audited
from scaleup_graph.errors import NotFound
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"], route_class=LeanRoute)


@router.get(
    "",
    summary="Search organisations (case- and accent-insensitive: Koeln finds Köln)",
    response_model=PageOut,
)
@threaded
def search(
    principal: Viewer,
    store: StoreDep,
    page: PageDep,
    q: Annotated[str, Query(max_length=200, description="part of the name")] = "",
    topic: Annotated[str, Query(max_length=200, description="topic name or id")] = "",
    region: Annotated[
        str, Query(max_length=50, description="NUTS code prefix, country, or region id")
    ] = "",
    kind: Annotated[
        str,
        Query(
            max_length=50,
            description="SME, Stakeholder, PublicBody, ResearchInstitute or PartnerOrganisation",
        ),
    ] = "",
) -> dict[str, Any]:
    result = daily.search_organisations(
        store,
        principal.role,
        q=q,
        topic=topic,
        region=region,
        kind=kind,
        skip=page.offset,
        limit=page.limit + 1,
    )
    return page_body(result.rows, page)


@router.get(
    "/{org_id}",
    summary="One organisation with regions, topics, projects, partners",
    **m.typed(m.OrganisationDetail),
)
@on_loop
def detail(org_id: str, principal: Viewer, store: StoreDep) -> dict[str, Any]:
    found = daily.organisation(store, principal.role, org_id)
    if found is None:
        raise NotFound(
            "no organisation with this id; find ids with GET /api/v1/organisations?q=...",
        )
    return found


@router.get(
    "/{org_id}/contacts",
    summary="Contact persons (names, e-mails, phones only for contacts and above)",
    response_model=PageOut,
)
def contacts(org_id: str, principal: Viewer, store: StoreDep, page: PageDep) -> dict[str, Any]:
    result = daily.organisation_contacts(
        store, principal.role, org_id, skip=page.offset, limit=page.limit + 1
    )
    body = page_body(result.rows, page)
    audit_personal_reads(principal, "organisation_contacts", body["items"])
    return body


class SubscriptionsIn(StrictBody):
    topics: list[str] = Field(max_length=20, description="the complete new set of topics")


@router.put(
    "/{org_id}/subscriptions", summary="Set an organisation's topics", **m.typed(m.Subscriptions)
)
def set_subscriptions(org_id: Id, body: SubscriptionsIn, principal: Editor, store: StoreDep) -> Any:
    """Replaces the organisation's subscriptions with `topics` (at least one known topic)."""
    return audited(
        principal,
        "subscriptions_set",
        org_id,
        lambda: {
            "organisation": org_id,
            "topics": wf.subscribe(store, org_id, body.topics, actor=principal.key_id),
        },
    )


@router.get(
    "/{org_id}/subscriptions", summary="An organisation's topics", **m.typed(m.Subscriptions)
)
def get_subscriptions(org_id: Id, principal: Viewer, store: StoreDep) -> Any:
    return {"organisation": org_id, "topics": wf.subscriptions(store, org_id)}


@router.get(
    "/{org_id}/digest",
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
