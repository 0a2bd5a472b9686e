"""Map every failure to a JSON error body ``{"error": {"code": ..., "message": ...}}``.

Messages say what to do; none holds a traceback or a personal value. Request validation errors
name the parameter but never echo the value sent (it may be someone's e-mail).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from scaleup_graph.queries.errors import (
    ParamError,
    PermissionDenied,
    QueryError,
    QueryNotFound,
)
from scaleup_graph.store import QueryRejected, QueryTimeout, StoreError, StoreUnavailable

__all__ = ["RETRY_AFTER_S", "error_body", "install_error_handlers"]

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5
_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_parameter",
    429: "too_many_requests",
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _json(
    status: int, code: str, message: str, headers: dict[str, str] | None = None, **extra: Any
) -> JSONResponse:
    return JSONResponse(error_body(code, message, **extra), status_code=status, headers=headers)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


async def _validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"parameter": _where(tuple(e.get("loc", ()))), "problem": e.get("msg", "")}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"parameter": "body", "problem": "invalid"}
    return _json(
        422,
        "invalid_parameter",
        f"parameter {first['parameter']!r}: {first['problem']}",
        problems=problems,
    )


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    return _json(
        exc.status_code,
        _CODES.get(exc.status_code, "error"),
        detail,
        headers=getattr(exc, "headers", None),
    )


async def _query_error(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, QueryNotFound):
        return _json(404, "unknown_query", str(exc), available=exc.available)
    if isinstance(exc, ParamError):
        return _json(422, "invalid_parameter", str(exc), parameter=exc.param)
    if isinstance(exc, PermissionDenied):
        return _json(403, "forbidden", str(exc))
    return _json(400, "bad_request", str(exc))


async def _store_error(_: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, StoreUnavailable):
        log.warning("store unavailable: %s", exc)
        return _json(
            503,
            "store_unavailable",
            f"the graph database is not reachable; retry in {RETRY_AFTER_S} s",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )
    if isinstance(exc, QueryTimeout):
        return _json(
            504,
            "query_timeout",
            "the query ran past its time limit and was stopped; "
            "narrow it (fewer hops, a LIMIT, a label)",
        )
    if isinstance(exc, QueryRejected):
        return _json(400, "query_rejected", str(exc))
    # Other database errors are mostly Cypher mistakes in ad-hoc queries: the engine's message
    # names the problem. It quotes the query, never stored values.
    return _json(400, "query_failed", f"the database refused the query: {exc}")


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The type and route only: an exception's text may quote a personal value.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return _json(
        500,
        "internal_error",
        "something went wrong on our side; the request was not "
        "completed. Try again, and report it if it persists",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(QueryError, _query_error)
    app.add_exception_handler(StoreError, _store_error)
    app.add_exception_handler(Exception, _unexpected)
