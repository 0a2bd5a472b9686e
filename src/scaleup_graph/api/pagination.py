"""Pagination: ``offset`` and ``limit`` query parameters with a hard page-size cap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field

from scaleup_graph.errors import Invalid

__all__ = ["Page", "PageDep", "PageOut", "page_body"]


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    limit: int


async def _page(
    request: Request,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")] = 0,
    limit: Annotated[int, Query(ge=1, description="page size (capped, see error)")] = 50,
) -> Page:
    cap: int = min(request.app.state.settings.page_size_cap, 500)
    if limit > cap:
        raise Invalid(
            f"parameter 'limit': at most {cap} rows a page; page through with 'offset'", "limit"
        )
    return Page(offset, limit)


PageDep = Annotated[Page, Depends(_page)]


class PageOut(BaseModel):
    """The response of a paged route: one page of rows and where the next page starts."""

    items: list[dict[str, Any]]
    offset: int
    limit: int
    next_offset: int | None = Field(description="null on the last page")


def page_body(items: list[Any], page: Page) -> dict[str, Any]:
    """The response of a paged route; ``next_offset`` is null on the last page.

    The route asks for ``limit + 1`` rows, so a full page tells whether more follow.
    """
    more = len(items) > page.limit
    return {
        "items": items[: page.limit],
        "offset": page.offset,
        "limit": page.limit,
        "next_offset": page.offset + page.limit if more else None,
    }
