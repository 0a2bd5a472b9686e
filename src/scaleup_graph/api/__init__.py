"""The HTTP API: app factory, routers, API keys and roles, audit log, error mapping.

``create_app`` is imported on first use, so that ``scaleup keys ...`` can use
:mod:`scaleup_graph.api.keys` without loading FastAPI and every route.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scaleup_graph.api.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from scaleup_graph.api.app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
