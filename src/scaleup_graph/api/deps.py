"""Shared FastAPI dependencies: the store, the caller (by API key) and the audit log.

Roles are capabilities that combine (viewer, contacts, analyst, editor, admin): a key carries one
or more, and ``Principal.role`` names them joined by ``+``. Only ``contacts`` sees personal
fields.
Keys come in ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. No key: 401; a key whose
role is too weak: 403.

The dependencies are ``async``: they do no blocking I/O (keys are verified from memory), and
FastAPI runs every plain ``def`` dependency in a worker thread, one hop there and back per
dependency per request. Only a store that must be opened first goes to a thread.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from anyio import to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from scaleup_graph.api.audit import AuditLog, audit_path
from scaleup_graph.api.keys import KeyStore
from scaleup_graph.api.lean import ANSWERS_RESPONSE
from scaleup_graph.queries.privacy import ROLES, has_role, person_ids, sees_pii
from scaleup_graph.settings import Settings, get_settings
from scaleup_graph.store import GraphStore, StoreUnavailable, open_store

__all__ = [
    "ROLES",
    "AuditDep",
    "Principal",
    "SettingsDep",
    "StoreDep",
    "audit",
    "audit_personal_reads",
    "get_store",
    "json_response",
    "on_loop",
    "require_role",
    "set_audit_log",
    "threaded",
]

log = logging.getLogger(__name__)
_OPEN_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller, identified by an API key."""

    key_id: str
    role: str

    def can(self, role: str) -> bool:
        """True if this caller's role includes ``role``."""
        return has_role(self.role, role)


def json_response(content: Any) -> Response:
    """``content`` as a JSON response, the very bytes FastAPI's default path sends.

    FastAPI passes the answer of a route without a response model through
    ``jsonable_encoder`` (a Python walk over every value: 3 ms of CPU for a 2-hop answer of
    58 KB at 40,000 organisations) before ``json.dumps``; the store's rows are JSON types
    already, so the C encoder takes them as they are (0.3 ms) and only a value it does not know
    goes through ``jsonable_encoder``. Same separators, same non-ASCII text, NaN refused.
    """
    return Response(_ENCODER.encode(content).encode("utf-8"), media_type="application/json")


#: ``json.dumps`` with these arguments builds this encoder on every call; it keeps no state
#: between calls
_ENCODER = json.JSONEncoder(
    ensure_ascii=False,
    allow_nan=False,
    indent=None,
    separators=(",", ":"),
    default=jsonable_encoder,
)


def threaded[**P](route: Callable[P, Any]) -> Callable[P, Awaitable[Response]]:
    """A route that reads the store, as a coroutine that runs it in one worker thread.

    FastAPI runs a plain ``def`` route in a worker thread and then, because the route is not a
    coroutine, validates its answer in a second one: two hops of the event loop to a thread
    and back per request. This runs the route's own body in one, and serialises its answer
    there (:func:`json_response`; the route's declared model documents the answer). The route
    keeps its signature, so its parameters, dependencies and documentation are unchanged.
    """

    def run(*args: P.args, **kwargs: P.kwargs) -> Response:
        answer = route(*args, **kwargs)
        return answer if isinstance(answer, Response) else json_response(answer)

    @functools.wraps(route)
    async def in_thread(*args: P.args, **kwargs: P.kwargs) -> Response:
        return await run_in_threadpool(run, *args, **kwargs)

    setattr(in_thread, ANSWERS_RESPONSE, True)
    return in_thread


def on_loop[**P](route: Callable[P, Any]) -> Callable[P, Awaitable[Response]]:
    """A route whose store read is one short indexed statement, as a coroutine that runs it on
    the event loop itself, without the hop to a worker thread :func:`threaded` makes.

    The hop costs a wake-up of a worker thread and one of the loop per request, and the two
    threads then take turns on the GIL: at 40,000 organisations about 0.15 ms of CPU and 0.2 ms
    of latency of the organisation detail's 1.4 ms (bench/README.md, fifth part of issue 14).
    The loop waits while the statement runs, so only a read whose work is bounded by one
    node's links belongs here (the detail: its answer lists that node's direct links); a read
    whose work grows with the graph or with the matches (search, neighbourhoods, paths) stays
    :func:`threaded`. ``scaleup serve`` runs one process per core, so a waiting loop holds back
    only its own process; a frozen database holds it for the socket's limit (the query limit
    plus a margin) and then answers 504, as the threaded routes do.
    """

    @functools.wraps(route)
    async def direct(*args: P.args, **kwargs: P.kwargs) -> Response:
        answer = route(*args, **kwargs)
        return answer if isinstance(answer, Response) else json_response(answer)

    setattr(direct, ANSWERS_RESPONSE, True)
    return direct


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]


async def get_store(request: Request) -> GraphStore:
    """The app's store; if it could not be opened (or was lost), try again now (in a thread).

    The API starts even while the database is down and answers 503 until it is back.
    """
    store: GraphStore | None = request.app.state.store
    if store is not None:
        return store
    return await to_thread.run_sync(_open_store, request)


def _open_store(request: Request) -> GraphStore:
    state = request.app.state
    with _OPEN_LOCK:
        if state.store is None:
            try:
                state.store = open_store(
                    state.settings.database_url,
                    graph=state.settings.graph,
                    settings=state.settings,
                    bounded_reads=True,
                )
                state.owns_store = True
            except StoreUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - any failure to open means "unavailable"
                log.warning("cannot open the store: %s", type(exc).__name__)
                raise StoreUnavailable("the graph database cannot be opened") from None
        opened: GraphStore = state.store
        return opened


StoreDep = Annotated[GraphStore, Depends(get_store)]


async def get_audit(request: Request) -> AuditLog:
    audit_log: AuditLog = request.app.state.audit
    return audit_log


AuditDep = Annotated[AuditLog, Depends(get_audit)]


def _presented_key(request: Request) -> str | None:
    # Exactly as sent: a key with padding or other characters around it is not the key.
    header = request.headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:] or None
    return request.headers.get("x-api-key") or None


def require_role(role: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that admits callers whose key carries the capability ``role``.

    >>> dep = require_role("analyst")  # use as: principal: Principal = Depends(dep)
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; valid roles are: {', '.join(ROLES)}")

    async def dependency(request: Request) -> Principal:
        presented = _presented_key(request)
        if not presented:
            raise HTTPException(
                401,
                "send an API key: 'Authorization: Bearer <key>' or 'X-API-Key: <key>' "
                "(create one with `scaleup keys create --role viewer`)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        keys: KeyStore = request.app.state.keys
        record = keys.verify(presented)
        if record is None:
            raise HTTPException(
                401,
                "this API key is not valid (revoked or mistyped)",
                headers={"WWW-Authenticate": "Bearer"},
            )
        principal = Principal(key_id=record.key_id, role=record.role)
        request.state.principal = principal
        if not principal.can(role):
            raise HTTPException(
                403,
                f"this needs the {role!r} capability; your key has {principal.role!r} "
                f"(an admin adds it: `scaleup keys create --role {role} ...`)",
            )
        return principal

    dependency.__name__ = f"require_{role}"
    return dependency


_current_audit: AuditLog | None = None


def set_audit_log(log_file: AuditLog) -> None:
    """Make ``log_file`` the log :func:`audit` writes to (create_app calls this)."""
    global _current_audit
    _current_audit = log_file


def audit(
    principal: Principal,
    action: str,
    subject_ids: Iterable[str],
    outcome: str,
    *,
    log_file: AuditLog | None = None,
) -> None:
    """Write one audit line: when, key id, role, action, subject ids, outcome.

    Call it for every read of personal data and every write. Pass ids only (person ids are
    hashes), never names, e-mails or other values.
    """
    target = log_file or _current_audit or AuditLog(audit_path(get_settings()))
    target.write(
        key_id=principal.key_id,
        role=principal.role,
        action=action,
        subject_ids=subject_ids,
        outcome=outcome,
    )


def audit_personal_reads(principal: Principal, action: str, rows: object) -> None:
    """Audit a read if it showed this caller any person's personal fields."""
    if sees_pii(principal.role):
        ids = person_ids(rows)
        if ids:
            audit(principal, action, ids, "read")
