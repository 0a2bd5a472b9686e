"""The analyst report: one offline HTML file with key figures, brokers, communities, plots.

Plots are matplotlib PNGs inlined as base64, so the file loads nothing from the internet. Names
are HTML-escaped; persons never appear (the projection carries none by default, and the report
shows organisations only). Open data keeps its attribution in the footer.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot

import matplotlib.pyplot as plt
import networkx as nx

from scaleup_graph.analytics.brokerage import brokerage
from scaleup_graph.analytics.centrality import betweenness, degree, pagerank
from scaleup_graph.analytics.cohesion import single_points_of_failure
from scaleup_graph.analytics.communities import louvain
from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.exports import attributions
from scaleup_graph.analytics.link_prediction import suggest_introductions
from scaleup_graph.analytics.onemode import co_affiliation
from scaleup_graph.analytics.projection import (
    ProjectionFilter,
    project,
    require_size,
)
from scaleup_graph.store import GraphStore

__all__ = ["build_report", "write_report"]

_MAP_NODES = 600  # the community map draws the best-connected nodes only, to stay legible


def _png(fig: Any) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _degree_plot(graph: nx.Graph) -> str:
    counts = Counter(d for _, d in graph.degree())
    fig, ax = plt.subplots(figsize=(6, 3.6))
    xs = sorted(k for k in counts if k > 0)
    ax.loglog(xs, [counts[k] for k in xs], "o", markersize=4, color="#1f77b4")
    ax.set_xlabel("degree (links)")
    ax.set_ylabel("nodes")
    ax.set_title("Degree distribution")
    ax.grid(True, which="both", alpha=0.3)
    return _png(fig)


def _community_map(graph: nx.Graph, community: dict[str, float], seed: int) -> str:
    keep = sorted(graph.degree(), key=lambda nd: (-nd[1], str(nd[0])))[:_MAP_NODES]
    sub = graph.subgraph(n for n, _ in keep)
    pos = nx.spring_layout(sub, seed=seed, iterations=60)
    fig, ax = plt.subplots(figsize=(7, 6))
    colours = [int(community.get(str(n), 0)) % 20 for n in sub]
    nx.draw_networkx_edges(sub, pos, ax=ax, alpha=0.15, width=0.5)
    nx.draw_networkx_nodes(sub, pos, ax=ax, node_size=18, node_color=colours, cmap="tab20")
    ax.set_title(f"Communities ({sub.number_of_nodes()} best-connected nodes)")
    ax.axis("off")
    return _png(fig)


def _name(graph: nx.Graph, node: str) -> str:
    data = graph.nodes[node] if node in graph else {}
    if data.get("label") == "Person":
        return node  # persons by id only
    return str(data.get("name") or node)


def build_report(
    store: GraphStore,
    *,
    flt: ProjectionFilter | None = None,
    seed: int = 42,
    group: str = "region",
    top: int = 10,
) -> dict[str, Any]:
    """Compute everything the report shows; returns plain data (also used by tests)."""
    proj = project(store, flt)
    graph = proj.undirected()
    require_size(graph, nodes=3, edges=2, what="the report")
    pr, bt, dg = pagerank(graph), betweenness(graph, seed=seed), degree(graph)
    com = louvain(graph, seed=seed)
    spof = single_points_of_failure(graph)
    try:
        # Brokers are organisations: count them on the organisation network, where partners
        # of one project are tied (otherwise the project, not a partner, sits in between).
        brokers = brokerage(co_affiliation(graph), group)
        by_group: dict[str, list[dict[str, Any]]] = {}
        for row in brokers.top(n=len(brokers.counts)):
            # A region group is a Region node's id: show its name.
            group_name = _name(graph, row["group"]) if row["group"] in graph else row["group"]
            rows = by_group.setdefault(str(group_name), [])
            if len(rows) < 3 and row["total"] > 0:
                rows.append({**row, "name": _name(graph, row["id"])})
        broker_note = (
            "Counted on the organisation network (direct ties and shared projects, events, "
            f"challenges); {brokers.missing} organisation(s) without {group!r} were left out."
        )
    except AnalyticsError as exc:
        by_group, broker_note = {}, str(exc)
    try:
        intro = suggest_introductions(graph, top=top).as_dict()["suggestions"]
    except AnalyticsError:
        intro = []
    sources = [d.get("source") for _, d in graph.nodes(data=True)]
    sources += [
        s["source"]
        for s in store.read("MATCH (n:Organisation) RETURN DISTINCT n.source AS source LIMIT 50")
    ]
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "projection": proj.describe(),
        "figures": {
            "nodes": graph.number_of_nodes(),
            "links": graph.number_of_edges(),
            "density": round(nx.density(graph), 6),
            "components": spof["components"],
            "communities": com.extra["communities"],
            "modularity": com.extra["modularity"],
            "articulation_points": len(spof["articulation_points"]),
            "bridges": len(spof["bridges"]),
        },
        "central": [
            {
                "id": n,
                "name": _name(graph, n),
                "pagerank": v,
                "betweenness": bt.values.get(n, 0.0),
                "degree": dg.values.get(n, 0.0),
            }
            for n, v in pr.top(top)
        ],
        "brokers": by_group,
        "broker_note": broker_note,
        "spof": [{**a, "name": _name(graph, a["id"])} for a in spof["articulation_points"][:top]],
        "introductions": intro,
        "runs": [r.run.as_dict() for r in (pr, bt, dg, com)],
        "attribution": attributions(sources),
        "plots": {
            "degree": _degree_plot(graph),
            "communities": _community_map(graph, com.values, seed),
        },
    }


def _table(headers: list[str], rows: list[list[Any]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
    "table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}th{background:#f3f3f3}"
    "img{max-width:100%}footer{color:#666;font-size:.85rem}"
)


def render(data: dict[str, Any]) -> str:
    """The report as one HTML document."""
    f = data["figures"]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>ScaleUp Graph analyst report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>ScaleUp Graph: analyst report</h1>",
        f"<p>Generated {html.escape(data['generated_at'])}.</p>",
        "<h2>Key figures</h2>",
        _table(["figure", "value"], [[k.replace("_", " "), v] for k, v in f.items()]),
        "<h2>Central actors</h2>",
        _table(
            ["actor", "PageRank", "betweenness", "degree"],
            [
                [c["name"], f"{c['pagerank']:.4f}", f"{c['betweenness']:.4f}", int(c["degree"])]
                for c in data["central"]
            ],
        ),
        "<h2>Top brokers per group</h2>",
        f"<p>{html.escape(data['broker_note'])}</p>",
        _table(
            [
                "group",
                "broker",
                "total",
                "coordinator",
                "itinerant",
                "gatekeeper",
                "representative",
                "liaison",
            ],
            [
                [
                    g,
                    b["name"],
                    b["total"],
                    b["coordinator"],
                    b["itinerant"],
                    b["gatekeeper"],
                    b["representative"],
                    b["liaison"],
                ]
                for g, rows in sorted(data["brokers"].items())
                for b in rows
            ],
        ),
        "<h2>Community map</h2>",
        f"<img alt='community map' src='{data['plots']['communities']}'>",
        "<h2>Degree distribution</h2>",
        f"<img alt='degree distribution' src='{data['plots']['degree']}'>",
        "<h2>Single points of failure</h2>",
        _table(
            ["actor", "nodes cut off", "pieces", "degree"],
            [[a["name"], a["cut_off"], a["pieces"], a["degree"]] for a in data["spof"]],
        ),
        "<h2>Suggested introductions</h2>",
        _table(
            ["organisation", "organisation", "Adamic-Adar", "common neighbours", "shared topics"],
            [
                [
                    s["source_name"] or s["source"],
                    s["target_name"] or s["target"],
                    f"{s['score']:.3f}",
                    ", ".join(c["name"] or c["id"] for c in s["common"][:5]),
                    ", ".join(s["shared_topics"][:5]),
                ]
                for s in data["introductions"]
            ],
        ),
        "<h2>How this was computed</h2>",
        _table(
            ["algorithm", "backend", "parameters", "seed", "nodes", "links", "seconds"],
            [
                [
                    r["algorithm"],
                    r["backend"],
                    r["params"],
                    r["seed"],
                    r["nodes"],
                    r["edges"],
                    r["seconds"],
                ]
                for r in data["runs"]
            ],
        ),
        "<footer>",
        *(f"<p>{html.escape(line)}</p>" for line in data["attribution"]),
        "</footer></body></html>",
    ]
    return "\n".join(parts)


def write_report(
    store: GraphStore,
    out: Path,
    *,
    flt: ProjectionFilter | None = None,
    seed: int = 42,
    group: str = "region",
) -> dict[str, Any]:
    """Build the report and write it to ``out`` (atomically); returns a short summary."""
    if not out.parent.exists():
        raise AnalyticsError(f"the folder {out.parent} does not exist; create it first")
    data = build_report(store, flt=flt, seed=seed, group=group)
    text = render(data)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return {"path": str(out), "bytes": len(text.encode()), "nodes": data["figures"]["nodes"]}
