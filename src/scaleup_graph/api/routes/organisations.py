"""``/api/v1/organisations``: search, detail and contact persons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from scaleup_graph.api.deps import Principal, StoreDep, audit_personal_reads, require_role
from scaleup_graph.api.pagination import PageDep, page_body
from scaleup_graph.errors import NotFound
from scaleup_graph.queries import daily

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/organisations", tags=["organisations"])
Viewer = Annotated[Principal, Depends(require_role("viewer"))]


@router.get("", summary="Search organisations (case- and accent-insensitive: Koeln finds Köln)")
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


@router.get("/{org_id}", summary="One organisation with regions, topics, projects, partners")
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
)
def contacts(org_id: str, principal: Viewer, store: StoreDep, page: PageDep) -> dict[str, Any]:
    result = daily.organisation_contacts(
        store, principal.role, org_id, skip=page.offset, limit=page.limit + 1
    )
    body = page_body(result.rows, page)
    audit_personal_reads(principal, "organisation_contacts", body["items"])
    return body
