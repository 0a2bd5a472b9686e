"""Turning store nodes and edges into vis-network JSON, with personal data filtered by role.

Titles (the hover text) are plain text: the page renders them with ``textContent``, so a name
such as ``<img onerror=...>`` stays a string. Personal fields are removed here, before anything
reaches JSON, for every role that may not see them.
"""

from __future__ import annotations

from typing import Any

from scaleup_graph.graph_model import (
    DERIVED_SEARCH_PROPERTIES,
    KEY,
    METRIC_PREFIX,
    NODE_TYPES,
    is_personal,
    words,
)
from scaleup_graph.queries.privacy import sees_pii, strip_pii
from scaleup_graph.visualisation.aggregate import COMMUNITY, Grouping, best_connected
from scaleup_graph.visualisation.fetch import Subgraph, primary_label
from scaleup_graph.visualisation.layout import Placed, wrap_label
from scaleup_graph.visualisation.styles import (
    AGGREGATE_COLOUR,
    community_colour,
    label_name,
    node_style,
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
_HIDDEN_DETAILS = frozenset({"_labels", *DERIVED_SEARCH_PROPERTIES})


def _short(value: str, limit: int = CAPTION_MAX) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def caption(node: dict[str, Any], role: str, lang: str) -> str:
    """The text under a node. A person is shown by name only to roles that may see names.

    >>> p = {"id": "person-1", "name": "Anna Muster", "role": "CEO", "_labels": ["Person"]}
    >>> caption(p, "viewer", "de"), caption(p, "contacts", "de")
    ('CEO', 'Anna Muster')
    """
    label = primary_label(node)
    if is_personal(label):
        if sees_pii(role) and node.get("name"):
            return _short(str(node["name"]))
        return _short(str(node.get("role") or label_name(label, lang)))
    if label == "Topic" and lang == "de" and node.get("name_de"):
        return _short(str(node["name_de"]))
    node_type = NODE_TYPES.get(label)
    field = node_type.caption if node_type else "name"
    return _short(str(node.get(field) or node.get("name") or node.get(KEY) or "?"))


def _metrics(node: dict[str, Any]) -> dict[str, float]:
    out = {}
    for key, value in node.items():
        if key.startswith(METRIC_PREFIX) and isinstance(value, int | float) and key != COMMUNITY:
            out[key] = round(float(value), 6)
    return out


def _plain_value(prop: str, value: Any, lang: str) -> str:
    """A property value as a reader sees it: choice words, rounded numbers, lists joined."""
    if isinstance(value, list):
        return ", ".join(_plain_value(prop, v, lang) for v in value)
    if isinstance(value, bool):
        return text("yes" if value else "no", lang)
    if isinstance(value, float):
        return _number(value, lang)
    return words.choice_name(prop, str(value), lang)


def _number(value: float, lang: str) -> str:
    """A number rounded for reading: 1.234,5 (de) / 1,234.5 (en)."""
    if abs(value) >= 100 or float(value).is_integer():
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:,.3g}" if abs(value) < 1 else f"{value:,.1f}"
    if lang == "de":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return shown


def plain_title(node: dict[str, Any], role: str, lang: str) -> str:
    """Hover text as plain lines: caption, kind, place."""
    label = primary_label(node)
    kinds = [words.label_name(k, lang) for k in node.get("kinds") or () if isinstance(k, str)]
    lines = [caption(node, role, lang), ", ".join([label_name(label, lang), *kinds])]
    place = ", ".join(str(node[k]) for k in ("city", "location") if node.get(k))
    if place:
        lines.append(place)
    return "\n".join(lines)


def vis_node(
    node: dict[str, Any], role: str, lang: str, placed: Placed | None = None
) -> dict[str, Any]:
    """One node for the page; the page picks colour and size from ``colour``/``community``/
    ``metrics`` so switching them needs no round trip. ``placed`` adds the planned position,
    dot size and label size (CSS px at the first fit)."""
    label = primary_label(node)
    style = node_style(label)
    name = caption(node, role, lang)
    out: dict[str, Any] = {
        "id": node[KEY],
        "label": wrap_label(name),
        "name": name,
        "title": plain_title(node, role, lang),
        "type": label,
        "typeName": label_name(label, lang),
        "shape": style["shape"],
        "colour": style["colour"],
        "metrics": _metrics(node),
        "topics": [str(t) for t in node.get("topics") or () if isinstance(t, str)],
    }
    if node.get(COMMUNITY) is not None:
        out["community"] = node[COMMUNITY]
        out["communityColour"] = community_colour(node[COMMUNITY])
    if placed is not None:
        out.update(
            x=placed.x,
            y=placed.y,
            sizePx=placed.size_px,
            fontPx=placed.font_px,
            labelled=placed.labelled,
            ring=placed.ring,
        )
    return out


def vis_edge(start: str, end: str, type_: str, count: int = 1, lang: str = "de") -> dict[str, Any]:
    """One link; ``caption`` says in words what it means ("ist Mitglied von")."""
    out: dict[str, Any] = {"from": start, "to": end, "type": type_}
    if type_:
        out["caption"] = words.rel_name(type_, lang)
    if count > 1 or not type_:
        out["count"] = count
        out["caption"] = text("group_links", lang, n=count)
        out["width"] = min(1 + count**0.5 / 2, 10)
    return out


def group_name(key: str, grouping: Grouping, graph: Subgraph, lang: str) -> str:
    """A readable name for a group: a community by its two best-connected members, a region by
    its name, the rest by type; the pooled small groups are "Weitere"."""
    kind, _, value = key.partition(":")
    if kind == "community":
        members = grouping.members.get(key, [])
        best = best_connected(grouping, key)
        names = [caption(graph.nodes[i], "viewer", lang) for i in best]
        names = [n if len(n) <= 28 else n[:27] + "…" for n in names]
        if len(members) > 2:
            return text("group_around", lang, a=names[0], b=names[1])
        return " / ".join(names)
    if kind == "region":
        region = graph.nodes.get(value, {})
        return str(region.get("name") or value)
    if kind == "label":
        return label_name(value, lang, plural=True)
    return text("group_other", lang)


def aggregate_node(
    key: str,
    members: list[str],
    name: str,
    lang: str,
    placed: Placed | None = None,
) -> dict[str, Any]:
    """A node standing for a whole group; the page opens it on click."""
    kind, _, value = key.partition(":")
    colour = AGGREGATE_COLOUR
    if kind == "label" and value in NODE_TYPES:
        colour = node_style(value)["colour"]
    elif kind == "community":
        colour = community_colour(value)
    out: dict[str, Any] = {
        "id": GROUP_PREFIX + key,
        "group": key,
        "aggregate": True,
        "count": len(members),
        "label": wrap_label(f"{name} ({len(members)})"),
        "name": name,
        "title": f"{text('group', lang)}: {name}\n{text('members', lang)}: {len(members)}",
        "type": "",
        "typeName": text("group", lang),
        "shape": "dot",
        "colour": colour,
        "metrics": {},
    }
    if placed is not None:
        out.update(
            x=placed.x,
            y=placed.y,
            sizePx=placed.size_px,
            fontPx=placed.font_px,
            labelled=placed.labelled,
            ring=placed.ring,
        )
    return out


def node_details(
    node: dict[str, Any],
    links: list[tuple[str, str, dict[str, Any]]],
    role: str,
    lang: str,
    *,
    ranks: dict[str, tuple[int, int]] | None = None,
    topic_names: dict[str, str] | None = None,
    max_links: int = 200,
) -> dict[str, Any]:
    """The details panel in plain words: facts, measures explained, links grouped by meaning,
    and a folded "Herkunft" with provenance and technical fields.

    ``links`` are (direction "out"/"in", relationship type, other node); ``ranks`` maps a
    metric to (place, out of); ``topic_names`` translates topic names for German readers.
    """
    # strip_pii filters the values of a row, so the node goes in as the value of one column.
    visible = strip_pii([{"node": node}], role)[0]["node"]
    label = primary_label(node)
    hidden = bool(NODE_TYPES[label].pii_fields) if label in NODE_TYPES else False
    facts: list[dict[str, str]] = []
    origin: list[dict[str, str]] = []
    for key in _fact_order(label, visible):
        value = visible[key]
        if key in _HIDDEN_DETAILS or value is None or value == "" or value == []:
            continue
        if key.startswith(METRIC_PREFIX):
            continue
        if key == "topics" and topic_names and lang == "de" and isinstance(value, list):
            value = [topic_names.get(str(v), str(v)) for v in value]
        if key == "kinds" and isinstance(value, list):
            value = [words.label_name(str(v), lang) for v in value]
        entry = {
            "key": key,
            "name": words.prop_name(key, lang),
            "value": _plain_value(key, value, lang),
        }
        if label == "Topic" and key == "name_de":
            continue
        (origin if words.is_technical(key) else facts).append(entry)
    measures = []
    for key, value in sorted(_metrics(node).items()):
        metric = key.removeprefix(METRIC_PREFIX)
        place = (ranks or {}).get(key)
        shown = (
            text("rank_of", lang, place=place[0], total=place[1]) if place else _number(value, lang)
        )
        measures.append(
            {
                "key": key,
                "name": words.measure_name(metric, lang),
                "value": shown,
                "explanation": words.measure_explanation(metric, lang),
            }
        )
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for direction, rel, other in sorted(
        links, key=lambda link: (link[1], link[0], caption(link[2], role, lang))
    ):
        groups.setdefault((rel, direction), []).append(
            {
                "id": other[KEY],
                "caption": caption(other, role, lang),
                "type": primary_label(other),
                "typeName": label_name(primary_label(other), lang),
            }
        )
    sections = [
        {
            "rel": rel,
            "direction": direction,
            "name": words.rel_group(rel, lang, direction=direction),  # type: ignore[arg-type]
            "phrase": words.rel_name(rel, lang, direction=direction),  # type: ignore[arg-type]
            "count": len(items),
            "items": items[:max_links],
        }
        for (rel, direction), items in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    ]
    kinds = [words.label_name(str(k), lang) for k in node.get("kinds") or ()]
    return {
        "id": node[KEY],
        "type": label,
        "typeName": label_name(label, lang),
        "kinds": kinds,
        "caption": caption(node, role, lang),
        "facts": facts,
        "measures": measures,
        "origin": origin,
        "personalHidden": hidden and not sees_pii(role),
        "sections": sections,
        "linkCount": len(links),
    }


_FIRST = (
    "name",
    "short_name",
    "kinds",
    "role",
    "email",
    "phone",
    "city",
    "location",
    "country",
    "sector",
    "topics",
    "status",
    "date",
    "start_date",
    "end_date",
    "description",
)


def _fact_order(label: str, visible: dict[str, Any]) -> list[str]:
    first = [k for k in _FIRST if k in visible]
    return first + sorted(k for k in visible if k not in first)
