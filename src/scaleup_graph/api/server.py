"""Run the API with uvicorn: ``scaleup serve`` and the serving half of ``scaleup demo``."""

from __future__ import annotations

import json
import os
from pathlib import Path

import uvicorn
from rich.console import Console
from rich.table import Table

from scaleup_graph.api.app import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.queries.privacy import ROLES
from scaleup_graph.settings import Settings, get_settings

__all__ = ["demo_keys", "serve", "serve_demo"]

_DEMO_KEYS = "demo-keys.json"


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
    for role in ROLES:
        if role not in valid:
            _, valid[role] = keys.create(role, note="demo")
    if valid != known:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(valid, handle, indent=1)
    return valid


def serve(
    host: str | None = None,
    port: int | None = None,
    *,
    reload: bool = False,
    settings: Settings | None = None,
) -> None:
    """Serve the API (and the explorer at ``/``) until interrupted."""
    settings = settings or get_settings()
    app = create_app(settings)
    uvicorn.run(
        app,
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_level="warning",
        reload=reload,
    )


def serve_demo(settings: Settings | None = None, console: Console | None = None) -> None:
    """Print the URLs and one demo key per role, then serve."""
    settings = settings or get_settings()
    console = console or Console()
    base = f"http://{settings.api_host}:{settings.api_port}"
    table = Table(title="Demo API keys (one per role)", show_lines=False)
    table.add_column("role")
    table.add_column("key")
    for role, key in demo_keys(settings).items():
        table.add_row(role, key)
    console.print(f"Explorer:  [link={base}/]{base}/[/link]")
    console.print(f"API docs:  [link={base}/docs]{base}/docs[/link]")
    console.print(table)
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
    serve(settings=settings)


def _port_in_use(host: str, port: int) -> bool:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0
