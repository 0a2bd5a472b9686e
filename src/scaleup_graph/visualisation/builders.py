"""Turning store nodes and edges into vis-network JSON, with personal data filtered by role.

Titles (the hover text) are plain text: the page renders them with ``textContent``, so a name
such as ``<img onerror=...>`` stays a string. Personal fields are removed here, before anything
reaches JSON, for every role that may not see them.
"""

from __future__ import annotations

from typing import Any

from scaleup_graph.graph_model import DERIVED_SEARCH_PROPERTIES, KEY, METRIC_PREFIX, NODE_TYPES
from scaleup_graph.queries.privacy import sees_pii, strip_pii
from scaleup_graph.visualisation.aggregate import COMMUNITY
from scaleup_graph.visualisation.fetch import Subgraph, primary_label
from scaleup_graph.visualisation.styles import (
    AGGREGATE_COLOUR,
    community_colour,
    label_name,
)
from scaleup_graph.visualisation.texts import text

__all__ = [
    "GROUP_PREFIX",
    "aggregate_node",
    "caption",
    "group_name",
    "node_details",
    "plain_title",
    "vis_edge",
    "vis_node",
]

GROUP_PREFIX = "group:"
CAPTION_MAX = 48
#: fields never listed in the details panel: internal or already shown elsewhere
#: internal bookkeeping, not information: labels (shown as the type), the run id, search keys
_HIDDEN_DETAILS = frozenset({"_labels", "ingest_run", *DERIVED_SEARCH_PROPERTIES})


def _short(value: str, limit: int = CAPTION_MAX) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def caption(node: dict[str, Any], role: str, lang: str) -> str:
    """The text under a node. A person is shown by name only to roles that may see names.

    >>> p = {"id": "person-1", "name": "Anna Muster", "role": "CEO", "_labels": ["Person"]}
    >>> caption(p, "viewer", "de"), caption(p, "contacts", "de")
    ('CEO', 'Anna Muster')
    """
    label = primary_label(node)
    if label == "Person":
        if sees_pii(role) and node.get("name"):
            return _short(str(node["name"]))
        return _short(str(node.get("role") or label_name(label, lang)))
    node_type = NODE_TYPES.get(label)
    field = node_type.caption if node_type else "name"
    return _short(str(node.get(field) or node.get("name") or node.get(KEY) or "?"))


def _metrics(node: dict[str, Any]) -> dict[str, float]:
    out = {}
    for key, value in node.items():
        if key.startswith(METRIC_PREFIX) and isinstance(value, int | float) and key != COMMUNITY:
            out[key] = round(float(value), 6)
    return out


def plain_title(node: dict[str, Any], role: str, lang: str) -> str:
    """Hover text as plain lines: caption, type, place, metrics."""
    label = primary_label(node)
    lines = [caption(node, role, lang), label_name(label, lang)]
    place = ", ".join(str(node[k]) for k in ("city", "country") if node.get(k))
    if place:
        lines.append(place)
    for key, value in sorted(_metrics(node).items()):
        lines.append(f"{key.removeprefix(METRIC_PREFIX)}: {value:.4g}")
    return "\n".join(lines)


def vis_node(
    node: dict[str, Any], role: str, lang: str, position: tuple[float, float] | None = None
) -> dict[str, Any]:
    """One vis-network node; the page picks colour and size from ``colour``/``community``/
    ``metrics`` so switching them needs no round trip."""
    label = primary_label(node)
    node_type = NODE_TYPES.get(label)
    out: dict[str, Any] = {
        "id": node[KEY],
        "label": caption(node, role, lang),
        "title": plain_title(node, role, lang),
        "type": label,
        "shape": node_type.shape if node_type else "dot",
        "colour": node_type.colour if node_type else AGGREGATE_COLOUR,
        "metrics": _metrics(node),
    }
    if node.get(COMMUNITY) is not None:
        out["community"] = node[COMMUNITY]
        out["communityColour"] = community_colour(node[COMMUNITY])
    if position is not None:
        out["x"], out["y"] = position
    return out


def vis_edge(start: str, end: str, type_: str, count: int = 1) -> dict[str, Any]:
    out: dict[str, Any] = {"from": start, "to": end, "type": type_, "title": type_}
    if count > 1:
        out["title"] = str(count)
        out["label"] = str(count)
        out["width"] = min(1 + count**0.5, 12)
    return out


def group_name(key: str, graph: Subgraph, lang: str) -> str:
    """A readable name for a group key ("community:3", "region:region-de73", "label:Topic")."""
    kind, _, value = key.partition(":")
    if kind == "community":
        return f"{text('by_community', lang)} {value}"
    if kind == "region":
        region = graph.nodes.get(value, {})
        return str(region.get("name") or value)
    if kind == "label":
        return label_name(value, lang)
    return "…"


def aggregate_node(
    key: str,
    members: list[str],
    graph: Subgraph,
    lang: str,
    position: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """A node standing for a whole group; the page opens it on click."""
    name = group_name(key, graph, lang)
    kind, _, value = key.partition(":")
    colour = community_colour(value) if kind == "community" else AGGREGATE_COLOUR
    if kind == "label" and value in NODE_TYPES:
        colour = NODE_TYPES[value].colour
    out: dict[str, Any] = {
        "id": GROUP_PREFIX + key,
        "group": key,
        "aggregate": True,
        "count": len(members),
        "label": f"{name} ({len(members)})",
        "title": f"{text('group', lang)}: {name}\n{text('members', lang)}: {len(members)}",
        "type": "",
        "shape": "hexagon",
        "colour": colour,
        "metrics": {},
        "value": len(members),
    }
    if position is not None:
        out["x"], out["y"] = position
    return out


def node_details(
    node: dict[str, Any],
    links: list[tuple[str, str, dict[str, Any]]],
    role: str,
    lang: str,
    *,
    max_links: int = 200,
) -> dict[str, Any]:
    """The details panel: properties (personal ones only for allowed roles) and links.

    ``links`` are (direction "out"/"in", relationship type, other node).
    """
    # strip_pii filters the values of a row, so the node goes in as the value of one column.
    visible = strip_pii([{"node": node}], role)[0]["node"]
    label = primary_label(node)
    hidden = bool(NODE_TYPES[label].pii_fields) if label in NODE_TYPES else False
    properties = {
        k: v
        for k, v in sorted(visible.items())
        if k not in _HIDDEN_DETAILS and v is not None and v != ""
    }
    ordered = sorted(links, key=lambda link: (link[1], caption(link[2], role, lang)))
    return {
        "id": node[KEY],
        "type": label,
        "typeName": label_name(label, lang),
        "caption": caption(node, role, lang),
        "properties": properties,
        "personalHidden": hidden and not sees_pii(role),
        "links": [
            {
                "direction": direction,
                "rel": rel,
                "id": other[KEY],
                "caption": caption(other, role, lang),
                "type": primary_label(other),
            }
            for direction, rel, other in ordered[:max_links]
        ],
        "linkCount": len(links),
    }
