"""The FastAPI application factory.

Routers are discovered: every module in :mod:`scaleup_graph.api.routes` that has a ``router``
attribute is included, and each router carries its own full prefix (``/api/v1/...``; the explorer
serves ``/`` itself). Other teams add a routes module without editing this file.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from starlette.routing import BaseRoute, Route

from scaleup_graph import __version__
from scaleup_graph.api import routes
from scaleup_graph.api.audit import AuditLog, audit_path
from scaleup_graph.api.deps import set_audit_log
from scaleup_graph.api.errors import ERROR_RESPONSES, install_error_handlers
from scaleup_graph.api.guards import BodyLimit, SecurityHeaders
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings, get_settings
from scaleup_graph.store import GraphStore, StoreError, StoreUnloadable, open_store

__all__ = ["create_app", "discover_routers", "shadowed_routes"]

log = logging.getLogger(__name__)

_DESCRIPTION = """
The Nordhessen innovation network (Scale Up, Interreg Europe) as a knowledge graph.

Send an API key as `Authorization: Bearer <key>` or `X-API-Key: <key>`. A key carries one or
more capabilities: **viewer** (the network: organisations and links, no personal data; every key
has it), **contacts** (persons' names, e-mails, phones, consent and free text), **analyst**
(ad-hoc Cypher without personal properties unless the key also has contacts, metrics),
**editor** (writes), **admin** (erasure, GDPR export).
"""


_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "hint": {"type": ["string", "null"]},
                "field": {"type": ["string", "null"]},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
_ERRORS = {
    "401": "no API key, or not a valid one",
    "403": "the key lacks the capability this needs",
    "404": "no such node, query or snapshot",
    "409": "the graph's state forbids it (an erased person, an existing one, a closed round)",
    "422": "a parameter or field is missing or malformed",
    "429": "too many ad-hoc queries at once; retry after Retry-After seconds",
    "503": "the database is not reachable (retry after Retry-After seconds) or cannot be "
    "loaded (code database_unloadable, no Retry-After: the operator must act)",
}
_CSV_ROUTES = ("/api/v1/contacts/newsletter",)
#: FastAPI (0.16x) looks up OpenTelemetry's global providers on every request and wraps each
#: step in an operation context; nothing here configures a provider, so it is off
_TELEMETRY: dict[str, Any] = (
    {"telemetry": {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}}
    if "telemetry" in inspect.signature(FastAPI).parameters
    else {}
)


def _document_errors(app: FastAPI) -> None:
    """Declare the error answers (and CSV bodies) each operation can give in the OpenAPI."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        body = {"application/json": {"schema": _ERROR_SCHEMA}}
        for path, operations in schema.get("paths", {}).items():
            for method, op in operations.items():
                responses = op.setdefault("responses", {})
                codes = ["503"]
                if path.startswith("/api/"):
                    codes += ["401", "403", "422"]
                if "{" in path:
                    codes.append("404")
                if method in ("post", "put", "delete") and path.startswith("/api/"):
                    codes.append("409")
                if path == "/api/v1/cypher":
                    codes.append("429")
                for code in codes:
                    responses.setdefault(code, {"description": _ERRORS[code], "content": body})
                if path in _CSV_ROUTES and "200" in responses:
                    content = responses["200"].setdefault("content", {})
                    content["text/csv"] = {"schema": {"type": "string"}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


#: Route modules whose reads are the interactive paths (search, detail, neighbourhood): tried
#: first. A request tries the routes in order until one matches, about 1.5 us each (FastAPI
#: 0.16x): the organisation detail, 51st of 68, spent 80 us of CPU finding its route.
FIRST = ("organisations", "network")


def discover_routers() -> list[APIRouter]:
    """The ``router`` of every module in the routes package: those named in :data:`FIRST`
    first, then the others in module-name order."""
    found = []

    def order(info: pkgutil.ModuleInfo) -> tuple[int, str]:
        return (FIRST.index(info.name) if info.name in FIRST else len(FIRST), info.name)

    for info in sorted(pkgutil.iter_modules(routes.__path__), key=order):
        module = importlib.import_module(f"{routes.__name__}.{info.name}")
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found


def _flat(routes: Sequence[BaseRoute]) -> list[Route]:
    """The routes in the order requests try them; an included router (FastAPI >= 0.16x keeps
    it whole, our routers are included without a further prefix) stands for its own routes."""
    flat: list[Route] = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        if isinstance(inner, APIRouter):
            flat += _flat(inner.routes)
        elif isinstance(route, APIRoute | Route):
            flat.append(route)
    return flat


def shadowed_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Pairs ``(earlier, later)`` where a route declared earlier takes every request meant for
    a later one: same method, and the earlier path pattern matches the later path (Starlette
    tries routes in order, so ``GET /challenges/{id}`` before ``GET /challenges/open`` would
    answer ``/challenges/open`` itself).

    >>> from fastapi import FastAPI
    >>> demo = FastAPI()
    >>> _ = demo.get("/challenges/{challenge_id}")(lambda challenge_id: None)
    >>> _ = demo.get("/challenges/open")(lambda: None)
    >>> shadowed_routes(demo)
    [('GET /challenges/{challenge_id}', 'GET /challenges/open')]
    """
    routes = _flat(app.routes)
    found = []
    for i, earlier in enumerate(routes):
        for later in routes[i + 1 :]:
            methods = (earlier.methods or set()) & (later.methods or set()) - {"HEAD"}
            if methods and earlier.path_regex.match(later.path_format):
                method = sorted(methods)[0]
                found.append((f"{method} {earlier.path_format}", f"{method} {later.path_format}"))
    return found


def create_app(settings: Settings | None = None, store: GraphStore | None = None) -> FastAPI:
    """Build the API.

    Parameters
    ----------
    settings
        Defaults to :func:`~scaleup_graph.settings.get_settings`.
    store
        An open store to serve (the caller keeps ownership). Without one the app opens the
        configured store in its lifespan; if that fails it still starts, answers 503 and
        opens the store as soon as it is reachable.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.store is None:
            try:
                app.state.store = open_store(
                    settings.database_url,
                    graph=settings.graph,
                    settings=settings,
                    bounded_reads=True,
                )
                app.state.owns_store = True
            except StoreUnloadable as exc:
                log.error(
                    "starting without the graph database: %s. Requests get 503 until the "
                    "folder loads (tried again when its files change, or after a minute)",
                    exc,
                )
            except StoreError as exc:
                log.warning(
                    "starting without the graph database (%s); requests get 503 until "
                    "it is reachable",
                    exc,
                )
        try:
            yield
        finally:
            if app.state.owns_store and app.state.store is not None:
                app.state.store.close()
                app.state.store = None

    app = FastAPI(
        title="ScaleUp Graph API",
        version=__version__,
        description=_DESCRIPTION,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        **_TELEMETRY,
    )
    app.state.settings = settings
    app.state.store = store
    app.state.owns_store = False
    app.state.keys = KeyStore(keys_path(settings), settings.api_keys)
    app.state.audit = AuditLog(audit_path(settings))
    set_audit_log(app.state.audit)
    install_error_handlers(app)
    # Outermost: the body limit acts before routing and the key check; every answer, errors
    # included, carries the security headers.
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    if settings.cors_origins:  # off unless explicit origins are configured; never "*"
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o for o in settings.cors_origins if o != "*"],
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    _document_errors(app)
    for router in discover_routers():
        app.include_router(router)
    return app
