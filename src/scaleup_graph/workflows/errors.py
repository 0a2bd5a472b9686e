"""The workflows raise the package's error kinds (:mod:`scaleup_graph.errors`).

Each says what is wrong and what to do next, names ids, statuses and fields, never personal
values; a refused step writes nothing. Catch :class:`~scaleup_graph.errors.ScaleUpError`.
"""

from __future__ import annotations

from scaleup_graph.errors import Conflict, Invalid, NotFound

__all__ = ["Conflict", "Invalid", "NotFound"]
