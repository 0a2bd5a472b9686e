"""Analytics raise the package's error kinds (:mod:`scaleup_graph.errors`) for input a user can
fix: ``AnalyticsError`` (an :class:`~scaleup_graph.errors.Invalid`, its old name) for a bad
filter, name or option, :class:`~scaleup_graph.errors.NotFound` for an unknown challenge or
snapshot."""

from __future__ import annotations

from scaleup_graph.errors import Invalid

__all__ = ["AnalyticsError", "GraphTooSmall"]

AnalyticsError = Invalid


class GraphTooSmall(Invalid):
    """The filtered graph has too few nodes or edges for the metric asked for."""
