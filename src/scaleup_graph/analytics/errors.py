"""The one exception analytics raise for input a user can fix (a filter, an id, a name)."""

from __future__ import annotations

__all__ = ["AnalyticsError", "GraphTooSmall"]


class AnalyticsError(ValueError):
    """Bad analytics input; the message says what to do instead (CLI exit 2, API 4xx)."""


class GraphTooSmall(AnalyticsError):
    """The filtered graph has too few nodes or edges for the metric asked for."""
