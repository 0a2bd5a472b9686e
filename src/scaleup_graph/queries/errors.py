"""Errors of the query layer, as kinds of :class:`~scaleup_graph.errors.ScaleUpError`.

Each message says what to do next. ``QueryError`` is the root under its old name.
"""

from __future__ import annotations

from scaleup_graph.errors import Forbidden, Invalid, NotFound, ScaleUpError

__all__ = ["CatalogueError", "ParamError", "PermissionDenied", "QueryError", "QueryNotFound"]

#: the old root of this layer's errors: every query error is a ScaleUpError
QueryError = ScaleUpError


class CatalogueError(ScaleUpError):
    """A *.cypher file has a malformed header (a defect of ours, found at load time)."""

    code = "catalogue_error"


class QueryNotFound(NotFound):
    """No named query has this name."""

    code = "unknown_query"

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(
            f"there is no named query {name!r}; available: {', '.join(available)}",
            hint="list them: GET /api/v1/queries or `scaleup query --list`",
            available=available,
        )


class ParamError(Invalid):
    """A parameter is missing, unknown, or has the wrong type or value."""

    def __init__(self, param: str, message: str) -> None:
        self.param = param
        super().__init__(f"parameter {param!r}: {message}", field=param)


class PermissionDenied(Forbidden):
    """The caller's role is below the role the query or action needs."""

    def __init__(self, needed: str, role: str) -> None:
        self.needed = needed
        self.role = role
        super().__init__(f"this needs the {needed!r} role; your key has {role!r}")
