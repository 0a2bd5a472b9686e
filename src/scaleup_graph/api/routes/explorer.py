"""The network explorer: the page at ``/``, its static files, and its data under
``/api/v1/explorer``. Thin: every answer comes from :mod:`scaleup_graph.visualisation`.

The page itself needs no key (it asks for one); every data route needs at least ``viewer``, and
personal fields are filtered by the caller's role inside the library.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, StringConstraints

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import StoreDep, audit
from scaleup_graph.api.params import Viewer
from scaleup_graph.errors import NotFound
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.privacy import sees_pii
from scaleup_graph.settings import get_settings
from scaleup_graph.visualisation import (
    ASSETS,
    ViewFilter,
    asset,
    boot_data,
    details,
    expand,
    explorer_view,
    filter_options,
    node_tags,
    path_view,
    render_page,
    search,
)
from scaleup_graph.visualisation.views import warm_overview

__all__ = ["router"]

log = logging.getLogger(__name__)
router = APIRouter(tags=["explorer"])
API = "/api/v1/explorer"

Lang = Annotated[Literal["de", "en"], Query(description="language of captions and messages")]


_PERSON_PREFIX = f"{NODE_TYPES['Person'].id_prefix}-"


def _person_ids(value: Any) -> set[str]:
    """Ids of the persons in an explorer answer (its nodes carry ``id``, not ``_labels``)."""
    if isinstance(value, dict):
        found = {value["id"]} if str(value.get("id", "")).startswith(_PERSON_PREFIX) else set()
        return found.union(*(_person_ids(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_person_ids(v) for v in value))
    return set()


def _answer(
    lang: str, build: Callable[[], Any], principal: Any = None, action: str = "explorer"
) -> Any:
    """Run ``build``; an answer that shows persons to a role allowed to see their fields is
    audited. Refusals are raised: api/errors.py says them in the request's ``lang``."""
    del lang
    result = build()
    if principal is not None and sees_pii(principal.role):
        ids = _person_ids(result)
        if ids:
            audit(principal, action, ids, "read")
    return result


def _timeout() -> int:
    return get_settings().query_timeout_ms


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def explorer_page(request: Request) -> HTMLResponse:
    """The explorer page; it asks for an API key and keeps it in sessionStorage only.

    While the reader signs in, the overview is read and planned in the background (nothing of
    it is sent before a key is checked), so a large graph's first picture does not wait."""
    store = getattr(request.app.state, "store", None)
    if (
        store is not None
        and "focus" not in request.query_params
        and "group" not in request.query_params
    ):
        threading.Thread(target=_warm, args=(store,), daemon=True).start()
    return HTMLResponse(render_page(boot_data("live"), inline=False))


def _warm(store: Any) -> None:
    try:
        warm_overview(store)
    except Exception:
        log.debug("explorer overview warm-up failed", exc_info=True)


@router.get("/explorer/assets/{name}", include_in_schema=False)
def explorer_asset(name: str) -> Response:
    """The page's script and style files, vis-network from the installed pyvis wheel."""
    if name not in ASSETS:
        raise NotFound(f"no such file: {name[:80]}")
    return Response(
        asset(name), media_type=ASSETS[name][2], headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get(f"{API}/config", **m.typed(m.ExplorerConfig))
def explorer_config(store: StoreDep, principal: Viewer, lang: Lang = "de") -> Any:
    """The caller's role and the filter choices (topics, regions, projects)."""
    return _answer(
        lang,
        lambda: {
            "role": principal.role,
            "options": filter_options(store, lang=lang, timeout_ms=_timeout()),
        },
    )


@router.get(f"{API}/search", **m.typed(list[m.ExplorerHit]))
def explorer_search(
    store: StoreDep,
    principal: Viewer,
    q: Annotated[str, Query(max_length=200, description="part of a name")],
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    lang: Lang = "de",
) -> Any:
    """Type-ahead: nodes whose name contains ``q`` (persons by name only for contacts+)."""
    return _answer(
        lang,
        lambda: search(
            store, q, role=principal.role, lang=lang, limit=limit, timeout_ms=_timeout()
        ),
        principal,
        "explorer_search",
    )


@router.get(f"{API}/view", **m.typed(m.ExplorerView))
def explorer_view_route(
    store: StoreDep,
    principal: Viewer,
    focus: Annotated[
        str | None, Query(max_length=300, description="node id; none: whole graph")
    ] = None,
    hops: Annotated[int, Query(description="1 to 3")] = 1,
    group: Annotated[str | None, Query(max_length=300, description="open one aggregate")] = None,
    page: Annotated[
        int, Query(ge=0, le=10_000, description="page of an opened group's members")
    ] = 0,
    labels: Annotated[str | None, Query(description="comma-separated node labels")] = None,
    topic: Annotated[str | None, Query(max_length=300)] = None,
    region: Annotated[str | None, Query(max_length=300)] = None,
    project: Annotated[str | None, Query(max_length=300)] = None,
    lang: Lang = "de",
    whole: Annotated[
        bool,
        Query(
            alias="all",
            description="without focus: the whole network, not the start around its "
            "best-connected organisation",
        ),
    ] = False,
) -> Any:
    """An ego view of 1-3 hops (or the whole graph), filtered, laid out, grouped when large.

    Without a focus, a network too dense to read at once (61 to 400 nodes) starts around its
    best-connected organisation (``"start": true``); ``all=true`` shows the whole network."""

    def build() -> Any:
        wanted = tuple(x for x in (labels or "").split(",") if x)
        filters = ViewFilter(labels=wanted, topic=topic, region=region, project=project)
        return explorer_view(
            store,
            role=principal.role,
            lang=lang,
            focus=focus,
            hops=hops,
            filters=filters,
            group=group,
            page=page,
            timeout_ms=_timeout(),
            whole=whole,
        )

    return _answer(lang, build, principal, "explorer_view")


@router.get(f"{API}/expand", **m.typed(m.ExplorerExpand))
def explorer_expand(
    store: StoreDep,
    principal: Viewer,
    id: Annotated[str, Query(max_length=300, description="node id")],
    rel: Annotated[
        str | None, Query(max_length=60, description="only over this relationship type")
    ] = None,
    direction: Annotated[
        Literal["out", "in"] | None,
        Query(description="only relationships leaving (out) or reaching (in) the node"),
    ] = None,
    lang: Lang = "de",
) -> Any:
    """The neighbours of a node, all or over one relationship type (the node's menu)."""
    return _answer(
        lang,
        lambda: expand(
            store,
            id,
            role=principal.role,
            lang=lang,
            rel=rel or None,
            direction=direction,
            timeout_ms=_timeout(),
        ),
        principal,
        "explorer_expand",
    )


class TagRequest(BaseModel):
    ids: list[Annotated[str, StringConstraints(max_length=300)]] = Field(max_length=20_000)


@router.post(f"{API}/tags", **m.typed(m.ExplorerTags))
def explorer_tags(store: StoreDep, principal: Viewer, body: TagRequest, lang: Lang = "de") -> Any:
    """For each node id: the topics, regions and projects it is linked to (filter counts)."""
    return _answer(
        lang,
        lambda: {"tags": node_tags(store, body.ids, role=principal.role, timeout_ms=_timeout())},
    )


@router.get(f"{API}/path", **m.typed(m.ExplorerPath))
def explorer_path(
    store: StoreDep,
    principal: Viewer,
    source: Annotated[str, Query(max_length=300, description="node id")],
    target: Annotated[str, Query(max_length=300, description="node id")],
    lang: Lang = "de",
) -> Any:
    """ "Wer kann mich vorstellen?": the shortest paths (``/api/v1/paths``) as a picture."""
    return _answer(
        lang,
        lambda: path_view(
            store, source, target, role=principal.role, lang=lang, timeout_ms=_timeout()
        ),
        principal,
        "explorer_path",
    )


@router.get(f"{API}/nodes/{{node_id}}", **m.typed(m.ExplorerNode))
def explorer_node(store: StoreDep, principal: Viewer, node_id: str, lang: Lang = "de") -> Any:
    """A node's properties (personal fields only for contacts and above) and its links."""
    return _answer(
        lang,
        lambda: details(store, node_id, role=principal.role, lang=lang, timeout_ms=_timeout()),
        principal,
        "explorer_node",
    )


@cache
def _panel_script() -> str:
    return (
        resources.files("scaleup_graph.visualisation")
        .joinpath("static/workflows.js")
        .read_text(encoding="utf-8")
    )


@router.get(f"{API}/workflows.js", include_in_schema=False)
def panel_script() -> Response:
    """The explorer's challenge and lineage panels (loaded by explorer.js in live mode)."""
    return Response(
        _panel_script(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=3600"},
    )
