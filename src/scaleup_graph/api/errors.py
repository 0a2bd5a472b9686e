"""The one place where failures become HTTP answers, all with one JSON body::

    {"error": {"code": "not_found", "message": "...", "hint": null, "field": null}}

``code`` is stable and machine-readable, ``message`` says what is wrong and what to do, ``hint``
names a further step (or is null), ``field`` the parameter or body field at fault (or null).
Some errors add facts of their own beside these four (``available``, ``problems``).

The library raises :class:`~scaleup_graph.errors.ScaleUpError` kinds with no HTTP knowledge;
:data:`STATUS` maps each kind to its status code. Messages hold no traceback and no personal
value; request validation errors name the parameter but never echo the value sent (it may be
someone's e-mail). The database's own words for an outage or a timeout go to the log, not to
the caller.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from scaleup_graph.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ScaleUpError,
    Timeout,
    Unavailable,
)
from scaleup_graph.graph_model.messages import MESSAGES, field_message
from scaleup_graph.store.base import StoreUnloadable

__all__ = [
    "ERROR_RESPONSES",
    "RETRY_AFTER_S",
    "STATUS",
    "ErrorBody",
    "error_body",
    "error_response",
    "install_error_handlers",
]

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5

#: kind -> status; the most specific kind in an exception's MRO wins. The root itself (a
#: refusal that is none of the kinds: a write in a read-only query, a Cypher mistake) is 400.
STATUS: dict[type[ScaleUpError], int] = {
    NotFound: 404,
    Invalid: 422,
    Conflict: 409,
    Forbidden: 403,
    RateLimited: 429,
    Unavailable: 503,
    Timeout: 504,
    ScaleUpError: 400,
}
_HTTP_CODES = {
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
#: what the caller reads for the kinds whose library message is about our infrastructure
_LANGS = ("de", "en")
_UNAVAILABLE = f"the graph database is not reachable; retry in {RETRY_AFTER_S} s"
#: a folder the server cannot load: retrying does not help, and the folder and the reason are
#: the operator's (the log has them)
_UNLOADABLE = "the database cannot be loaded; the operator must see the server log"
_TIMEOUT = (
    "the query ran past its time limit and was stopped; narrow it (fewer hops, a LIMIT, a label)"
)


class ErrorDetail(BaseModel):
    """What went wrong; some errors add facts (``available``, ``problems``)."""

    model_config = ConfigDict(extra="allow")
    code: str
    message: str
    hint: str | None = None
    field: str | None = None


class ErrorBody(BaseModel):
    """The one JSON error body of every route."""

    error: ErrorDetail


#: every route's OpenAPI lists these answers with the one error body (FastAPI's own 422 model
#: would describe a body this API never sends)
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Refused as a whole (e.g. a Cypher mistake)"),
        (401, "No or an unknown API key"),
        (403, "The key's role may not do this"),
        (404, "Unknown id or name"),
        (409, "The graph's state forbids it"),
        (422, "A parameter or field is missing or malformed"),
        (429, "Too many requests; see Retry-After"),
        (503, "The database is unreachable (see Retry-After) or cannot be loaded"),
        (504, "The query ran past its time limit"),
    )
}


def error_body(
    code: str,
    message: str,
    *,
    hint: str | None = None,
    field: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The JSON error body.

    >>> error_body("not_found", "no such node", field="id")
    {'error': {'code': 'not_found', 'message': 'no such node', 'hint': None, 'field': 'id'}}
    """
    return {"error": {"code": code, "message": message, "hint": hint, "field": field, **extra}}


def status_of(exc: ScaleUpError) -> int:
    """The status code of an error's kind.

    >>> from scaleup_graph.errors import Invalid
    >>> status_of(Invalid("bad"))
    422
    """
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def request_lang(request: Request) -> str | None:
    """The language an error message is wanted in: ``?lang=de|en``, else the first of German
    and English in the ``Accept-Language`` header (by its q-values), else None (English).

    >>> from starlette.requests import Request
    >>> def asking(header: str, query: str = "") -> Request:
    ...     return Request({"type": "http", "query_string": query.encode(),
    ...                     "headers": [(b"accept-language", header.encode())]})
    >>> request_lang(asking("de-DE,de;q=0.9,en;q=0.8")), request_lang(asking("fr, en;q=0.5"))
    ('de', 'en')
    >>> request_lang(asking("de", "lang=en")), request_lang(asking("fr"))
    ('en', None)
    """
    asked = request.query_params.get("lang", "")[:2].lower()
    if asked in _LANGS:
        return asked
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(request.headers.get("accept-language", "").split(",")[:20]):
        tag, _, q = part.strip().partition(";q=")
        lang = tag.strip()[:2].lower()
        if lang in _LANGS:
            try:
                weight = float(q) if q else 1.0
            except ValueError:
                weight = 0.0
            if weight > 0:
                ranked.append((-weight, i, lang))
    return min(ranked)[2] if ranked else None


def _localised(problems: Any, lang: str) -> Any:
    """Field problems with their message in ``lang`` where the code is known."""
    if not isinstance(problems, list):
        return problems
    out = []
    for p in problems:
        if isinstance(p, dict) and p.get("code") in MESSAGES:
            p = {**p, "message": field_message(p["code"], lang, **(p.get("params") or {}))}
        out.append(p)
    return out


def error_response(exc: ScaleUpError, lang: str | None = None) -> JSONResponse:
    """The answer for a library error (routes that must answer instead of raising use it);
    ``lang`` (``de``, ``en``): the message and the field problems in that language."""
    status = status_of(exc)
    headers: dict[str, str] = {}
    message = exc.in_language(lang)
    details = dict(exc.details)
    if lang and lang != "en" and "problems" in details:
        details["problems"] = _localised(details["problems"], lang)
    if isinstance(exc, StoreUnloadable):
        if not exc.repeated:  # once per failed load, not once per request
            log.error("%s", exc)
        message = _UNLOADABLE
    elif isinstance(exc, Unavailable) and exc.retry_after is not None:
        # the raiser knows how long to wait and wrote its message for the caller
        if not isinstance(exc, RateLimited):
            log.warning("unavailable: %s", exc)
        headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, Unavailable):
        log.warning("unavailable: %s", exc)
        headers["Retry-After"] = str(RETRY_AFTER_S)
        message = _UNAVAILABLE
    elif isinstance(exc, Timeout):
        log.warning("timed out: %s", exc)
        message = _TIMEOUT
    body = error_body(exc.code, message, hint=exc.hint, field=exc.field, **details)
    return JSONResponse(body, status_code=status, headers=headers or None)


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


#: pydantic's error types that the field messages' table can say in the reader's language
_PYDANTIC_CODES = {
    "missing": "required",
    "string_too_long": "too_long",
    "int_parsing": "not_integer",
    "int_from_float": "not_integer",
    "float_parsing": "not_number",
    "bool_parsing": "not_bool",
    "extra_forbidden": "unknown_parameter",
}


def _request_problem(e: Any, lang: str | None) -> dict[str, Any]:
    where = _where(tuple(e.get("loc", ())))
    problem: dict[str, Any] = {"parameter": where, "problem": e.get("msg", ""), "field": where}
    code = _PYDANTIC_CODES.get(str(e.get("type")))
    params: dict[str, Any] = {}
    if code == "too_long":
        given = e.get("input")
        params = {
            "max": (e.get("ctx") or {}).get("max_length"),
            "length": len(given) if isinstance(given, str) else "?",
        }
    if code is not None:
        problem.update(code=code, params=params)
    problem["message"] = (
        field_message(code, lang, **params)
        if code and lang and lang != "en"
        else problem["problem"]
    )
    return problem


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    lang = request_lang(request)
    problems = [_request_problem(e, lang) for e in exc.errors()]
    first = problems[0] if problems else {"parameter": "body", "problem": "invalid"}
    message = f"parameter {first['parameter']!r}: {first['problem']}"
    if problems and lang and lang != "en":
        message = f"{first['parameter']}: {first['message']}"
    return JSONResponse(
        error_body(
            "invalid_parameter",
            message,
            field=first["parameter"],
            problems=problems,
        ),
        status_code=422,
    )


async def _http(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else "request refused"
    return JSONResponse(
        error_body(_HTTP_CODES.get(exc.status_code, "error"), detail),
        status_code=exc.status_code,
        headers=getattr(exc, "headers", None),
    )


async def _library(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ScaleUpError)
    return error_response(exc, request_lang(request))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    # The type and route only: an exception's text may quote a personal value.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return JSONResponse(
        error_body(
            "internal_error",
            "something went wrong on our side; the request was not completed",
            hint="try again, and report it if it persists",
        ),
        status_code=500,
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(StarletteHTTPException, _http)
    app.add_exception_handler(ScaleUpError, _library)
    app.add_exception_handler(Exception, _unexpected)
