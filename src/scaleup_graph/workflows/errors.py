"""One exception hierarchy for the workflows: each says what is wrong and what to do next.

The API maps them to JSON errors (404, 409, 422) and the CLI to one line on stderr; messages
name ids, statuses and fields, never personal values.
"""

from __future__ import annotations

__all__ = ["Conflict", "Invalid", "NotFound", "WorkflowError"]


class WorkflowError(Exception):
    """A workflow step was refused; nothing was written."""

    status = 400
    code = "refused"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(WorkflowError):
    """An id names no node of the expected kind."""

    status = 404
    code = "not_found"


class Conflict(WorkflowError):
    """The request is well-formed but the graph's state forbids it (a closed challenge)."""

    status = 409
    code = "conflict"


class Invalid(WorkflowError):
    """A field of the request is missing or malformed."""

    status = 422
    code = "invalid_parameter"
