"""``/api/v1/content`` and ``/api/v1/feed``: Scale-Up content exchange.

Items (news, offers, events, studies) are published about known topics, shared from
organisation to organisation (each share chains back to the publisher), and read as the whole
stream (the named query ``content_feed``) or as one organisation's feed (its topics and what was
shared with it). Reads need ``viewer``, writes ``editor`` (audited, also when refused).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from pydantic import Field

from scaleup_graph import workflows as wf
from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep
from scaleup_graph.api.pagination import PageDep, PageOut, page_body
from scaleup_graph.api.params import Date, Editor, Id, StrictBody, Viewer, actor_of, audited
from scaleup_graph.queries import daily
from scaleup_graph.workflows.content import KINDS

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["content"])


class ContentIn(StrictBody):
    publisher: str = Field(max_length=200, description="id of the publishing organisation")
    kind: Literal[KINDS]  # type: ignore[valid-type]  # from the schema
    name: str = Field(max_length=500, description="the title")
    topics: list[str] = Field(max_length=20, description="known topic ids or names")
    url: str | None = Field(default=None, max_length=2000)
    description: str = Field(default="", max_length=20000)
    date: Date = None


class ShareIn(StrictBody):
    by: str = Field(max_length=200, description="organisation that shared it (holds the item)")
    with_: list[str] = Field(alias="with", max_length=100, description="receiving organisations")
    date: Date = None


@router.get("/content", summary="Scale-Up content feed, newest first", response_model=PageOut)
def content(
    principal: Viewer,
    store: StoreDep,
    page: PageDep,
    topic: Annotated[str, Query(max_length=200)] = "",
    kind: Annotated[str, Query(max_length=20, description=f"one of: {', '.join(KINDS)}")] = "",
) -> dict[str, Any]:
    result = daily.content_feed(
        store, principal.role, topic=topic, kind=kind, skip=page.offset, limit=page.limit + 1
    )
    return page_body(result.rows, page)


@router.post(
    "/content",
    summary="Publish a Scale-Up content item",
    status_code=201,
    **m.typed(m.ContentOut, 201),
)
def publish(body: ContentIn, request: Request, principal: Editor, store: StoreDep) -> Any:
    """News, offer, event or study about known topics (unknown topics: 422, nothing stored)."""
    return audited(
        principal,
        "content_publish",
        body.publisher,
        lambda: wf.publish_content(
            store,
            publisher=body.publisher,
            kind=body.kind,
            name=body.name,
            topics=body.topics,
            url=body.url,
            description=body.description,
            date=body.date,
            actor=principal.key_id,
            by=actor_of(request, principal),
        ),
    )


@router.post(
    "/content/{content_id}/shares", summary="Record that an item was shared", **m.typed(m.Shared)
)
def share(content_id: Id, body: ShareIn, principal: Editor, store: StoreDep) -> Any:
    """`by` shared the item with each organisation of `with` (SHARED_WITH, with by and date).
    `by` must have published or received it, so every share chains back to the publisher."""
    return audited(
        principal,
        "content_share",
        content_id,
        lambda: wf.share_content(
            store,
            content_id,
            by=body.by,
            targets=body.with_,
            date=body.date,
            actor=principal.key_id,
        ),
    )


@router.get(
    "/content/{content_id}/reach",
    summary="Who an item reached, in how many hops",
    **m.typed(m.Reach),
)
def reach(content_id: Id, principal: Viewer, store: StoreDep) -> Any:
    """Receivers with their hops from the publisher (fewest shares), counts per hop, the
    regions and countries reached, and how many organisations subscribe to its topics."""
    return wf.content_reach(store, content_id)


@router.get("/feed", summary="An organisation's content feed", **m.typed(m.Feed))
def content_feed(
    principal: Viewer,
    store: StoreDep,
    organisation: Annotated[str, Query(max_length=200, description="organisation id")],
    since: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(max_length=10, description="YYYY-MM-DD")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> Any:
    """Items about its subscribed topics and items shared with it, newest first; each says
    why it is there (`matched_topics`, `shared_by`)."""
    return wf.feed(store, organisation, since=since, until=until, limit=limit)
