"""Run the API with uvicorn: ``scaleup serve`` and the serving half of ``scaleup demo``."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn
from pydantic import SecretStr
from rich.console import Console

from scaleup_graph.api.app import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.errors import Invalid
from scaleup_graph.queries.privacy import ROLES
from scaleup_graph.settings import Settings, get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI

    from scaleup_graph.store import GraphStore

__all__ = [
    "DEFAULT_SALT",
    "NoDelayHTTP",
    "app_from_env",
    "check_secret",
    "default_workers",
    "demo_keys",
    "frozen_after_start",
    "serve",
    "serve_demo",
]

try:  # the protocol uvicorn's "auto" would pick
    import httptools  # noqa: F401
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _HTTP
except ImportError:
    from uvicorn.protocols.http.h11_impl import H11Protocol as _HTTP  # type: ignore[assignment]


class NoDelayHTTP(_HTTP):
    """uvicorn's HTTP protocol with Nagle's algorithm off on every connection.

    asyncio turns it off only for sockets whose ``proto`` is TCP; the listening socket uvicorn
    hands to its worker processes comes back with ``proto`` 0, and every response then waited
    for the client's delayed ACK: 40 ms per request at one client (measured with wrk, bare
    route: 44 ms with --workers 2, 0.12 ms with one process).
    """

    def connection_made(self, transport: Any) -> None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):  # a unix socket has no Nagle to turn off
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)


HTTP_PROTOCOL = f"{__name__}:NoDelayHTTP"


#: the development default of SCALEUP_SUPPRESSION_SALT: public, so only for the demo
DEFAULT_SALT = Settings.model_fields["suppression_salt"].default.get_secret_value()


def check_secret(settings: Settings, *, demo: bool) -> None:
    """Refuse the public default installation secret outside the demo (it keys person ids and
    the erasure list: with a public key both can be tested against guesses)."""
    if demo or settings.suppression_salt.get_secret_value() != DEFAULT_SALT:
        return
    raise Invalid(
        "SCALEUP_SUPPRESSION_SALT is the public development default; set a secret of your own "
        "before serving real data (person ids and the erasure list are keyed with it), e.g. "
        "export SCALEUP_SUPPRESSION_SALT=\"$(python3 -c 'import secrets; "
        "print(secrets.token_urlsafe(32))')\" and keep it with your backups. "
        "`scaleup demo` serves the demo data with the default",
        field="SCALEUP_SUPPRESSION_SALT",
    )


@contextlib.contextmanager
def _checked_store(
    settings: Settings, *, demo: bool, store: GraphStore | None = None
) -> Iterator[GraphStore | None]:
    """Refuse (raise) a database folder that cannot be loaded: serving it would only answer
    503 until the operator repairs it. Outside the demo, give persons of earlier versions keyed
    ids (the demo's seed is loaded with them).

    Yields the store it checked with, open, and closes it only after the serve: the embedded
    server that loaded the folder for the check then serves the app's own connections (its
    worker processes attach to it) instead of stopping and loading the whole folder again. With
    ``store`` (the demo's, which loaded the seed; the caller closes it) the check is that it
    still answers, which starts its server again if it went away (and refuses if that fails).
    Yields None for a database that is only unreachable: the API starts anyway and answers 503
    until it is back."""
    from scaleup_graph.queries.persons import migrate_person_ids
    from scaleup_graph.store import StoreError, StoreUnloadable, open_store

    opened = None
    try:
        if store is None:
            store = opened = open_store(settings=settings)
        else:
            store.health()
        changed = 0 if demo else migrate_person_ids(store)
    except StoreUnloadable:
        if opened is not None:
            opened.close()
        raise
    except StoreError:
        if opened is not None:
            opened.close()
        store = None
        changed = 0
    if changed:
        Console(stderr=True).print(f"Gave {changed} persons keyed ids (see docs/privacy.md).")
    try:
        yield store
    finally:
        if opened is not None:
            opened.close()


_DEMO_KEYS = "demo-keys.json"
#: one key per capability, an analyst who may see contacts, and one with every capability
DEMO_ROLES = (*ROLES, "contacts+analyst", "+".join(ROLES[1:]))


def demo_keys(settings: Settings) -> dict[str, str]:
    """One key per role for the demo, created once and kept (readable) in the state dir.

    Demo only: real keys are stored hashed and shown once (``scaleup keys create``). The file
    has mode 0600; delete it and revoke the keys before sharing a demo machine.
    """
    path = settings.state_dir / _DEMO_KEYS
    known: dict[str, str] = {}
    if path.exists():
        known = dict(json.loads(path.read_text(encoding="utf-8")))
    keys = KeyStore(keys_path(settings))
    valid = {role: key for role, key in known.items() if keys.verify(key) is not None}
    for role in DEMO_ROLES:
        if role not in valid:
            _, valid[role] = keys.create(role, note="demo")
    if valid != known:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(valid, handle, indent=1)
    return valid


def default_workers() -> int:
    """One worker process per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def frozen_after_start(app: FastAPI) -> FastAPI:
    """``app``, whose start (the lifespan: the store opened) ends with everything alive moved
    out of the garbage collector's reach (``gc.freeze``).

    A served process holds about 120,000 objects from its start (FastAPI's routes and models,
    pydantic's validators, the libraries' modules) that live as long as it does. Every full
    collection walked them all again: measured in process at 40,000 organisations, 1,000 2-hop
    requests triggered 10 full collections of up to 330 ms each (1.8 s in all, on a busy
    machine), the tail of the latency; frozen, 23 of at most 5 ms (36 ms in all).
    Only for the server: a test suite starts apps by the hundred.
    """
    started = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[Any]:
        async with started(app) as state:
            gc.collect()
            gc.freeze()
            yield state

    app.router.lifespan_context = lifespan
    return app


def app_from_env() -> FastAPI:
    """The app as a worker process builds it: settings from the environment (uvicorn factory)."""
    get_settings.cache_clear()
    return frozen_after_start(create_app(get_settings()))


def _env_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _settings_env(settings: Settings) -> dict[str, str]:
    """``settings`` as SCALEUP_* variables, so that worker processes build the same app."""
    out = {}
    for name in type(settings).model_fields:
        value = _env_value(getattr(settings, name))
        if value is not None:
            out[f"SCALEUP_{name.upper()}"] = value
    return out


def serve(
    host: str | None = None,
    port: int | None = None,
    *,
    reload: bool = False,
    settings: Settings | None = None,
    workers: int | None = None,
    demo: bool = False,
    store: GraphStore | None = None,
) -> None:
    """Serve the API (and the explorer at ``/``) until interrupted.

    ``workers`` processes (default: one per core) answer requests side by side; they share the
    one database: the embedded store's server is started once, by the start check below, and
    attached to by every worker (store/embedded.py); it stops when the last of them closes,
    this process's store of the check after the workers.

    Refuses to start with the public default ``SCALEUP_SUPPRESSION_SALT`` unless it serves the
    demo; refuses a database folder that cannot be loaded (``StoreUnloadable``), the demo's
    too, and gives persons of earlier versions keyed ids first (:func:`migrate_person_ids`). A
    database that is only unreachable (a FalkorDB or Neo4j server down) does not stop it: it
    answers 503 until the database is back.

    The embedded server is started once: the store of that check (or ``store``, an open store
    of the configured database the caller keeps, e.g. the demo's that loaded the seed) stays
    open while the app serves, so the app's connections attach to its server.
    """
    settings = settings or get_settings()
    check_secret(settings, demo=demo)
    workers = default_workers() if workers is None else workers
    if workers < 1:
        raise ValueError("workers must be at least 1")
    with _checked_store(settings, demo=demo, store=store):
        _run(settings, host, port, reload=reload, workers=workers)


def _run(
    settings: Settings, host: str | None, port: int | None, *, reload: bool, workers: int
) -> None:
    host, port = host or settings.api_host, port or settings.api_port
    if workers == 1 or reload:
        uvicorn.run(
            frozen_after_start(create_app(settings)),
            host=host,
            port=port,
            log_level="warning",
            reload=reload,
            http=HTTP_PROTOCOL,
        )
        return
    # Worker processes are started fresh and read their settings from the environment.
    os.environ.update(_settings_env(settings))
    uvicorn.run(
        f"{__name__}:app_from_env",
        factory=True,
        http=HTTP_PROTOCOL,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


def serve_demo(
    settings: Settings | None = None,
    console: Console | None = None,
    store: GraphStore | None = None,
) -> None:
    """Print the URLs and one demo key per role, then serve (``store``: the open store that
    loaded the seed, kept open while serving so its server is not started again)."""
    settings = settings or get_settings()
    console = console or Console()
    base = f"http://{settings.api_host}:{settings.api_port}"
    console.print(f"Explorer:  [link={base}/]{base}/[/link]")
    console.print(f"API docs:  [link={base}/docs]{base}/docs[/link]")
    console.print("Demo API keys (one per role; each key on one line, whole, to copy):")
    keys = demo_keys(settings)
    width = max(len(role) for role in keys)
    for role, key in keys.items():
        # never a table: a narrow terminal would cut or wrap the key and it could not be copied
        console.print(f"  {role:<{width}}  {key}", soft_wrap=True, highlight=False, markup=False)
    console.print(
        f"Keys are kept in {Path(settings.state_dir) / _DEMO_KEYS} for the demo. "
        "Try: curl -H 'X-API-Key: <viewer key>' "
        f"'{base}/api/v1/organisations?q=kassel'"
    )
    if _port_in_use(settings.api_host, settings.api_port):
        # An API already serves there (docker compose's api service, another shell): the keys
        # above work with it, and a second server could not bind the port anyway.
        console.print(f"An API is already listening on {base}; not starting another one.")
        return
    serve(settings=settings, demo=True, store=store)


def _port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
