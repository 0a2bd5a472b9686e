"""Colours, shapes and the legend, all taken from the schema; a palette for communities."""

from __future__ import annotations

from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, words

__all__ = ["AGGREGATE_COLOUR", "COMMUNITY_PALETTE", "community_colour", "label_name", "legend"]

#: Tableau-like colours that stay apart on a white canvas; communities cycle through them.
COMMUNITY_PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
    "#86bcb6",
    "#d37295",
)
AGGREGATE_COLOUR = "#6b7b8c"


def community_colour(community: Any) -> str:
    """The palette colour of a community number (or any hashable community key).

    >>> community_colour(0), community_colour(12) == community_colour(0)
    ('#4e79a7', True)
    """
    try:
        index = int(community)
    except (TypeError, ValueError):
        index = sum(str(community).encode())
    return COMMUNITY_PALETTE[index % len(COMMUNITY_PALETTE)]


def label_name(label: str, lang: str) -> str:
    """A schema label as a reader of ``lang`` calls it ("Veranstaltung" / "Event")."""
    return words.label_name(label, lang)


def legend(lang: str) -> list[dict[str, str]]:
    """One legend entry per node label: label, its name in ``lang``, colour and shape."""
    return [
        {"label": name, "name": label_name(name, lang), "colour": nt.colour, "shape": nt.shape}
        for name, nt in NODE_TYPES.items()
    ]
