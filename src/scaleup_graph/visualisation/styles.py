"""How each kind of node looks: colour and shape from a colour-blind-safe palette, the legend.

The palette is Okabe and Ito's (https://jfly.uni-koeln.de/color/), which stays apart for the common
forms of colour blindness; it has eight colours for eleven labels, so a label is told by colour
*and* shape together (no two labels share both). Every shape draws its label below the node, so
sizes and label boxes are what the layout planned. Names come from ``graph_model.words``.
"""

from __future__ import annotations

from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, words
from scaleup_graph.graph_model.schema import GREY, OKABE_ITO

__all__ = [
    "AGGREGATE_COLOUR",
    "COMMUNITY_PALETTE",
    "NODE_STYLES",
    "OKABE_ITO",
    "community_colour",
    "label_name",
    "legend",
    "node_style",
]

#: label -> colour and shape, from the schema (``NodeType.colour``/``shape``); colour *and*
#: shape tell labels apart
NODE_STYLES: dict[str, dict[str, str]] = {
    label: {"colour": t.colour, "shape": t.shape} for label, t in NODE_TYPES.items()
}

#: Community colours: the palette without black (kept for text), cycling.
COMMUNITY_PALETTE = (*(c for k, c in OKABE_ITO.items() if k != "black"), GREY)
AGGREGATE_COLOUR = "#5B6B7B"


def node_style(label: str) -> dict[str, str]:
    """Colour and shape of a label (grey dot for anything unknown)."""
    return NODE_STYLES.get(label, {"colour": GREY, "shape": "dot"})


def community_colour(community: Any) -> str:
    """The palette colour of a community number (or any hashable community key).

    >>> community_colour(0), community_colour(8) == community_colour(0)
    ('#E69F00', True)
    """
    try:
        index = int(float(community))
    except (TypeError, ValueError):
        index = sum(str(community).encode())
    return COMMUNITY_PALETTE[index % len(COMMUNITY_PALETTE)]


def label_name(label: str, lang: str, *, plural: bool = False) -> str:
    """A schema label as a reader of ``lang`` calls it ("Veranstaltung" / "Event")."""
    return words.label_name(label, lang, plural=plural)


def legend(lang: str) -> list[dict[str, str]]:
    """One legend entry per node label: label, its name in ``lang``, colour and shape."""
    return [
        {"label": name, "name": label_name(name, lang, plural=True), **node_style(name)}
        for name in NODE_TYPES
    ]
