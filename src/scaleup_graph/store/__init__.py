"""The only package that talks to a database. :func:`open_store` picks the adapter by URL."""

from __future__ import annotations

from urllib.parse import urlparse

from scaleup_graph.graph_model import set_installation_secret
from scaleup_graph.settings import Settings, get_settings
from scaleup_graph.store.base import (
    GraphStore,
    NodeRow,
    QueryRejected,
    QueryTimeout,
    RelRow,
    StoreError,
    StoreUnavailable,
    StoreUnloadable,
    created_properties,
)

__all__ = [
    "GraphStore",
    "NodeRow",
    "QueryRejected",
    "QueryTimeout",
    "RelRow",
    "StoreError",
    "StoreUnavailable",
    "StoreUnloadable",
    "created_properties",
    "embedded_path",
    "open_store",
]


def embedded_path(url: str) -> str:
    """The directory of an ``embedded://`` URL.

    >>> embedded_path("embedded:///./.scaleup/db")
    './.scaleup/db'
    >>> embedded_path("embedded:///var/lib/scaleup")
    '/var/lib/scaleup'
    """
    rest = url.removeprefix("embedded://")
    if rest.startswith("/./") or rest.startswith("/../"):
        rest = rest[1:]
    return rest or "./.scaleup/db"


def open_store(
    url: str | None = None,
    *,
    graph: str | None = None,
    settings: Settings | None = None,
    setup: bool = True,
    bounded_reads: bool = False,
) -> GraphStore:
    """Open the store named by ``url`` (default: ``SCALEUP_DATABASE_URL``) and set up its schema.

    >>> store = open_store("nosuch://x")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    StoreError: unknown database URL scheme 'nosuch' ...

    ``bounded_reads`` (the API's store) puts every read under ``SCALEUP_QUERY_TIMEOUT_MS``: on
    FalkorDB the socket then waits the limit plus a margin, so a frozen server gives callers a
    timeout instead of a hang.
    """
    settings = settings or get_settings()
    set_installation_secret(settings.suppression_salt.get_secret_value())
    url = url or settings.database_url
    graph = graph or settings.graph
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    store: GraphStore
    if scheme == "embedded":
        from scaleup_graph.store.falkordb import FalkorDBStore

        store = FalkorDBStore(
            graph=graph,
            embedded_dir=embedded_path(url),
            query_timeout_ms=settings.query_timeout_ms,
            bounded_reads=bounded_reads,
        )
    elif scheme in ("falkordb", "redis"):
        from scaleup_graph.store.falkordb import FalkorDBStore

        parsed = urlparse(url)
        password = parsed.password or (
            settings.falkordb_password.get_secret_value() if settings.falkordb_password else None
        )
        store = FalkorDBStore(
            graph=graph,
            host=parsed.hostname,
            port=parsed.port or 6379,
            password=password,
            query_timeout_ms=settings.query_timeout_ms,
            bounded_reads=bounded_reads,
        )
    elif scheme in ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc"):
        from scaleup_graph.store.neo4j import Neo4jStore  # type: ignore[import-not-found,unused-ignore]

        store = Neo4jStore(url, settings=settings)
    else:
        raise StoreError(
            f"unknown database URL scheme {scheme!r} in {url!r}; use embedded:///path/to/dir, "
            "falkordb://host:port or neo4j://host:port"
        )
    if setup:
        try:
            store.setup_schema()
        except BaseException:
            store.close()
            raise
    return store
