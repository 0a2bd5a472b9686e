"""``scaleup export html``: one self-contained HTML file that works offline, filtered by role.

The file carries the view (grouped when large), every group's drill-down, each node's details
and a search index, all already filtered for the role: whatever the role may not see is not in
the file at all, not merely hidden.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scaleup_graph.errors import NotFound
from scaleup_graph.graph_model import KEY
from scaleup_graph.queries.privacy import role_rank
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import fetch
from scaleup_graph.visualisation.aggregate import AGGREGATE_ABOVE, group_nodes
from scaleup_graph.visualisation.builders import node_details, vis_node
from scaleup_graph.visualisation.fetch import primary_label
from scaleup_graph.visualisation.page import boot_data, render_page
from scaleup_graph.visualisation.texts import DEFAULT_LANG
from scaleup_graph.visualisation.views import ViewFilter, load_view, refused, render_view

__all__ = ["export_data", "export_html", "write_export"]


def export_data(
    store: GraphStore,
    *,
    role: str = "viewer",
    focus: str | None = None,
    hops: int = 1,
    lang: str = DEFAULT_LANG,
    aggregate_above: int = AGGREGATE_ABOVE,
    timeout_ms: int | None = None,
) -> dict[str, Any]:
    """Everything the offline page needs, filtered for ``role``."""
    role_rank(role)  # ValueError naming the valid roles
    graph, _ = load_view(
        store, role=role, focus=focus, hops=hops, filters=ViewFilter(), timeout_ms=timeout_ms
    )
    if not graph.nodes:
        raise refused("empty_graph", NotFound)
    root = render_view(graph, role=role, lang=lang, focus=focus, aggregate_above=aggregate_above)
    views = {"": root}
    of_node: dict[str, str] = {}
    if root["aggregated"]:
        grouping = group_nodes(graph, frozenset({focus}) if focus else frozenset())
        of_node = grouping.of_node
        for key in grouping.members:
            views[key] = render_view(
                graph, role=role, lang=lang, focus=focus, group=key, aggregate_above=aggregate_above
            )
    links: dict[str, list[tuple[str, str, dict[str, Any]]]] = {i: [] for i in graph.nodes}
    for a, b, t in graph.edges:
        links[a].append(("out", t, graph.nodes[b]))
        links[b].append(("in", t, graph.nodes[a]))
    in_store = fetch.degrees(store, graph.nodes, role=role, timeout_ms=timeout_ms)
    names_de = fetch.topic_names(store, timeout_ms=timeout_ms)
    places = fetch.metric_places(store, graph.nodes, role=role, timeout_ms=timeout_ms)
    details = {}
    for i, n in graph.nodes.items():
        entry = node_details(n, links[i], role, lang, ranks=places.get(i), topic_names=names_de)
        entry["missing"] = max(0, in_store.get(i, 0) - len(links[i]))
        details[i] = entry
    # Every node once, without position: the page searches, expands and builds ego views
    # from these; "group" says which drill-down view holds it.
    nodes = {
        i: {
            **vis_node(n, role, lang),
            "group": of_node.get(i, ""),
        }
        for i, n in sorted(graph.nodes.items())
    }
    kinds = {i: primary_label(n) for i, n in graph.nodes.items()}
    topic_ids = {str(n.get("name")): i for i, n in graph.nodes.items() if kinds[i] == "Topic"}
    tags: dict[str, dict[str, set[str]]] = {i: {} for i in graph.nodes}
    for a, b, _ in graph.edges:
        for mine, other in ((a, b), (b, a)):
            if kinds[other] in ("Topic", "Region", "Project"):
                tags[mine].setdefault(kinds[other].lower(), set()).add(other)
    for i, n in graph.nodes.items():
        for name in n.get("topics") or ():
            if str(name) in topic_ids:
                tags[i].setdefault("topic", set()).add(topic_ids[str(name)])
    options = {
        field_name: sorted(
            (
                {"id": n[KEY], "name": str(n.get("name") or n[KEY])}
                for n in graph.nodes.values()
                if primary_label(n) == node_label
            ),
            key=lambda o: o["name"].casefold(),
        )
        for field_name, node_label in (
            ("topic", "Topic"),
            ("region", "Region"),
            ("project", "Project"),
        )
    }
    return {
        "role": role,
        "focus": focus,
        "hops": hops,
        "views": views,
        "details": details,
        "nodes": nodes,
        "options": options,
        "tags": {i: {k: sorted(v) for k, v in t.items()} for i, t in tags.items() if t},
        "metrics": root.get("metrics", []),
    }


def export_html(store: GraphStore, **kwargs: Any) -> str:
    """The offline explorer as one HTML string; arguments as :func:`export_data`."""
    return render_page(boot_data("offline", data=export_data(store, **kwargs)), inline=True)


def write_export(store: GraphStore, out: Path, **kwargs: Any) -> dict[str, int]:
    """Write the offline explorer to ``out``; returns node count and bytes written."""
    data = export_data(store, **kwargs)
    html = render_page(boot_data("offline", data=data), inline=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return {"nodes": len(data["nodes"]), "bytes": len(html.encode())}
