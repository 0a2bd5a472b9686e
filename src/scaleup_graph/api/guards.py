"""HTTP-level guards every response passes: security headers, a request body limit, and
redirects that never name the host a client claimed.

Pure ASGI middleware (no per-request task), so they also cover the explorer's static files and
errors raised before routing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["CSP", "SECURITY_HEADERS", "BodyLimit", "SecurityHeaders"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: The explorer's scripts and styles are static files of this server; no inline script runs
#: (its data block is ``type="application/json"``, which is not executed).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_OURS = frozenset(h for h, _ in SECURITY_HEADERS)
_WITH_CSP = (*SECURITY_HEADERS, (b"content-security-policy", CSP.encode()))
#: FastAPI's interactive docs load their scripts from a CDN: no CSP there (they show no data).
_NO_CSP = ("/docs", "/redoc")


class SecurityHeaders:
    """Adds CSP, X-Frame-Options, nosniff and Referrer-Policy; makes redirects relative."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        added = (
            _WITH_CSP if not str(scope.get("path", "")).startswith(_NO_CSP) else SECURITY_HEADERS
        )

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    _relative(k, v) if k.lower() == b"location" else (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in _OURS
                ]
                headers.extend(added)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, wrapped)


def _relative(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    """A Location header as a path: redirects never send a client to the Host it claimed."""
    if name.lower() != b"location":
        return name, value
    parts = urlsplit(value.decode("latin-1"))
    if not parts.scheme and not parts.netloc:
        return name, value
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if path.startswith("//"):  # never a protocol-relative URL
        path = "/" + path.lstrip("/")
    return name, path.encode("latin-1")


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, before any route (or the key
    check) reads them: by Content-Length when sent, else while the body streams in."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def _refuse(self, send: Send) -> None:
        body = json.dumps(
            {
                "error": {
                    "code": "too_large",
                    "message": f"the request body is larger than {self.limit:,} bytes; "
                    "send less (SCALEUP_MAX_BODY_BYTES sets the limit)",
                    "hint": None,
                    "field": None,
                }
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    await self._refuse(send)
                    return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # No (valid) Content-Length: read the body here, at most limit + 1 bytes, and replay it.
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay([message]), send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.limit:
                await self._refuse(send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, _replay([body], receive), send)


def _replay(messages: list[Message], then: Receive | None = None) -> Receive:
    queue = list(messages)

    async def receive() -> Message:
        if queue:
            return queue.pop(0)
        if then is not None:
            return await then()
        return {"type": "http.disconnect"}

    return receive
