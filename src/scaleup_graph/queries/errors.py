"""Errors of the query layer; each message says what to do next."""

from __future__ import annotations

__all__ = ["CatalogueError", "ParamError", "PermissionDenied", "QueryError", "QueryNotFound"]


class QueryError(Exception):
    """A problem with a request for a query that the caller can fix."""


class CatalogueError(QueryError):
    """A *.cypher file has a malformed header (a defect of ours, found at load time)."""


class QueryNotFound(QueryError):
    """No named query has this name."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(f"there is no named query {name!r}; available: {', '.join(available)}")


class ParamError(QueryError):
    """A parameter is missing, unknown, or has the wrong type or value."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(f"parameter {param!r}: {message}")


class PermissionDenied(QueryError):
    """The caller's role is below the role the query or action needs."""

    def __init__(self, needed: str, role: str) -> None:
        self.needed = needed
        self.role = role
        super().__init__(f"this needs the {needed!r} role; your key has {role!r}")
