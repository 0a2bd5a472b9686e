"""The HTTP API: app factory, routers, API keys and roles, audit log, error mapping."""

from scaleup_graph.api.app import create_app

__all__ = ["create_app"]
