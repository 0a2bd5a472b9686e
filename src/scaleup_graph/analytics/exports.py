"""Exports of the graph, filtered by role: GraphML, GEXF, JSON (node-link) and CSV tables.

Gephi, networkx and igraph read the files: list and dict properties are flattened (lists as
``a; b``, dicts as JSON text) because GraphML and GEXF hold only scalars. Personal fields are
written only for roles that may see them. CSV tables can be written for German Excel
(semicolon, UTF-8 BOM, decimal comma). Open data keeps its attribution in every file.

Every node carries ``label`` (its name, what Gephi shows), ``type`` (its schema label) and
``labels``; every relationship ``type``. Endpoints never share a name with a property: the CSV
edge table has ``source_id``/``target_id`` (a relationship's own ``source`` is its provenance),
and JSON node-link keeps properties under ``properties``.

Example
-------
>>> flatten({"topics": ["a", "b"], "n": 1, "x": None})
{'topics': 'a; b', 'n': 1}
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.analytics.privacy import check_role, pii_allowed, public_props
from scaleup_graph.analytics.projection import ProjectionFilter, project
from scaleup_graph.graph_model import KEY, NODE_TYPES, REL_TYPES
from scaleup_graph.store import GraphStore
from scaleup_graph.store.cypher import label as cy_label
from scaleup_graph.store.cypher import rel as cy_rel

__all__ = [
    "ATTRIBUTIONS",
    "FORMATS",
    "attributions",
    "export_graph",
    "flatten",
    "load_export_graph",
    "node_link",
    "write_csv_table",
]

FORMATS = ("graphml", "gexf", "json", "csv")

#: Attribution text per open-data source (matched in the nodes' ``source`` property).
ATTRIBUTIONS = {
    "cordis": (
        "Source: CORDIS - EU research projects under Horizon 2020 (2014-2020), (c) European "
        "Union, data.europa.eu/data/datasets/cordish2020projects (snapshot of 2020-12-14; 2017 "
        "for the name lookup), CC BY 4.0. Modified: columns selected and joined by "
        "zambujo/eunets (MIT) and spaghetti-open-data (MIT); projected into a graph by "
        "ScaleUp Graph."
    ),
    "nuts": "Regions: Eurostat NUTS 2021 classification, (c) European Union - Eurostat.",
}


def attributions(sources: Iterable[Any]) -> list[str]:
    """Attribution lines for the open data among ``sources`` (``source`` property values)."""
    text = " ".join(str(s).lower() for s in sources if s)
    return [line for key, line in ATTRIBUTIONS.items() if key in text]


def flatten(props: Mapping[str, Any]) -> dict[str, Any]:
    """Scalar-only properties: lists joined with ``; ``, dicts as JSON, ``None`` dropped."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if value is None or key.startswith("_"):
            continue
        if isinstance(value, list | tuple):
            out[key] = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        else:
            out[key] = value
    return out


def load_export_graph(
    store: GraphStore, role: str, flt: ProjectionFilter | None = None
) -> nx.MultiDiGraph:
    """Every node the filter keeps with all its (role-filtered) properties, and every
    relationship between them with its properties and ``type``."""
    check_role(role)
    # What the role does not see at all (drafts, KNOWS between persons) is never read.
    flt = replace(flt or ProjectionFilter(include_persons=True), role=role)
    kept = project(store, flt).graph
    graph = nx.MultiDiGraph()
    by_label: dict[str, list[str]] = {}
    for node, lab in kept.nodes(data="label"):
        by_label.setdefault(lab, []).append(node)
    sources: set[str] = set()
    for lab, ids in by_label.items():
        # whole nodes: they leave the store without the derived search keys
        rows = store.read(
            f"UNWIND $ids AS id MATCH (n:{cy_label(lab)} {{{KEY}: id}}) RETURN n",
            {"ids": sorted(ids)},
        )
        for row in rows:
            labels = row["n"].pop("_labels")
            props = public_props(lab, row["n"], role)
            sources.add(str(props.get("source") or ""))
            kinds = sorted(x for x in labels if x != lab and x in _KINDS)
            node_id = props.pop(KEY)
            graph.add_node(
                node_id,
                label=_display_name(lab, node_id, props),
                type=lab,
                labels="; ".join([lab, *kinds]),
                **flatten(props),
            )
    for type_ in flt.relationship_types():
        rt = REL_TYPES[type_]
        for start in rt.sources:
            for end in rt.targets:
                if start not in by_label or end not in by_label:
                    continue
                rows = store.read(
                    f"UNWIND $ids AS id MATCH (a:{cy_label(start)} {{{KEY}: id}})"
                    f"-[e:{cy_rel(type_)}]->(b:{cy_label(end)}) "
                    f"RETURN a.{KEY} AS a, b.{KEY} AS b, properties(e) AS props",
                    {"ids": by_label[start]},
                )
                for row in rows:
                    if row["b"] in graph:
                        graph.add_edge(row["a"], row["b"], type=type_, **flatten(row["props"]))
    graph.graph.update(
        {
            "role": role,
            "personal_data": pii_allowed(role),
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "attribution": " | ".join(attributions(sources)) or "ScaleUp Graph",
        }
    )
    return graph


_KINDS = frozenset(k for nt in NODE_TYPES.values() for k in nt.extra_labels)
#: Attribute names the writers give a meaning of their own; node properties never use them.
_NODE_KEYS = ("id", "label", "type", "labels")


def _display_name(label: str, node_id: str, props: Mapping[str, Any]) -> str:
    """What a viewer sees on the node: its name, else its caption (a person's role for roles
    that may not see names), else its id. ``props`` are already filtered by role."""
    nt = NODE_TYPES[label]
    for key in ("name", nt.caption):
        value = props.get(key)
        if value not in (None, ""):
            return str(value)
    return node_id


def _decimal(value: Any, decimal_comma: bool) -> Any:
    if decimal_comma and isinstance(value, float):
        return repr(value).replace(".", ",")
    return value


def write_csv_table(
    path: Path,
    rows: Iterable[Mapping[str, Any]],
    *,
    first: Iterable[str] = (),
    semicolon: bool = False,
    bom: bool = False,
    decimal_comma: bool = False,
) -> int:
    """Write ``rows`` as CSV with the union of their keys as columns; returns rows written.

    ``semicolon``, ``bom`` and ``decimal_comma`` together make a file German Excel opens
    cleanly by double-click (it expects ``;`` between fields and ``,`` in numbers, and needs the
    BOM to read UTF-8 umlauts).
    """
    listed = [flatten(r) for r in rows]
    columns = list(dict.fromkeys([*first, *sorted({k for r in listed for k in r})]))
    encoding = "utf-8-sig" if bom else "utf-8"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(
            fh, columns, delimiter=";" if semicolon else ",", extrasaction="ignore"
        )
        writer.writeheader()
        for row in listed:
            writer.writerow({k: _decimal(v, decimal_comma) for k, v in row.items()})
    return len(listed)


def _write_csv(graph: nx.MultiDiGraph, out: Path, **options: bool) -> list[Path]:
    edges_path = out.with_name(out.stem + "_edges" + (out.suffix or ".csv"))
    nodes = [{"id": n, **d} for n, d in graph.nodes(data=True)]
    edges = [{"source_id": a, "target_id": b, **d} for a, b, d in graph.edges(data=True)]
    write_csv_table(out, nodes, first=("id", "label", "type", "labels"), **options)
    write_csv_table(edges_path, edges, first=("source_id", "target_id", "type"), **options)
    return [out, edges_path]


def node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Node-link JSON (networkx's layout) with each element's properties under ``properties``,
    so a relationship's provenance ``source`` never collides with its endpoint ``source``.

    ``networkx.node_link_graph(data, edges="links")`` reads it back.
    """
    nodes = []
    for node, data in graph.nodes(data=True):
        props = {k: v for k, v in data.items() if k not in _NODE_KEYS}
        item = {k: data[k] for k in _NODE_KEYS[1:] if k in data}
        nodes.append({"id": node, **item, "properties": props})
    links = []
    for a, b, key, data in graph.edges(keys=True, data=True):
        props = {k: v for k, v in data.items() if k != "type"}
        links.append(
            {"source": a, "target": b, "key": key, "type": data["type"], "properties": props}
        )
    return {
        "directed": True,
        "multigraph": True,
        "graph": dict(graph.graph),
        "nodes": nodes,
        "links": links,
    }


def _for_gexf(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GEXF gives an edge's ``type`` a meaning (directed/undirected) and shows ``label``: the
    relationship type goes to both ``label`` and ``relationship``."""
    out = nx.MultiDiGraph(**graph.graph)
    out.add_nodes_from(graph.nodes(data=True))
    for a, b, key, data in graph.edges(keys=True, data=True):
        props = {k: v for k, v in data.items() if k != "type"}
        out.add_edge(a, b, key=key, label=data["type"], relationship=data["type"], **props)
    return out


def export_graph(
    store: GraphStore,
    fmt: str,
    out: Path,
    *,
    role: str = "viewer",
    flt: ProjectionFilter | None = None,
    semicolon: bool = False,
    bom: bool = False,
    decimal_comma: bool = False,
) -> dict[str, Any]:
    """Write the graph in ``fmt`` to ``out``; returns what was written.

    The file is written beside ``out`` first and then renamed, so a failed export leaves no
    half-written file. CSV writes two tables: ``out`` (nodes) and ``<stem>_edges.csv``.
    """
    if fmt not in FORMATS:
        raise AnalyticsError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not out.parent.exists():
        raise AnalyticsError(f"the folder {out.parent} does not exist; create it first")
    graph = load_export_graph(store, role, flt)
    if graph.number_of_nodes() == 0:
        raise AnalyticsError("nothing to export: the store (or the filter) holds no nodes")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    files = [out]
    try:
        if fmt == "graphml":
            nx.write_graphml(graph, tmp)
        elif fmt == "gexf":
            nx.write_gexf(_for_gexf(graph), tmp)
        elif fmt == "json":
            data = node_link(graph)
            tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
        else:
            files = _write_csv(
                graph, tmp, semicolon=semicolon, bom=bom, decimal_comma=decimal_comma
            )
            edges_tmp = files[1]
            edges_out = out.with_name(out.stem + "_edges" + (out.suffix or ".csv"))
            edges_tmp.replace(edges_out)
            files = [out, edges_out]
        tmp.replace(out)
    finally:
        for leftover in out.parent.glob(f".{out.name}.{os.getpid()}*"):
            leftover.unlink(missing_ok=True)
    return {
        "format": fmt,
        "files": [str(f) for f in files],
        "nodes": graph.number_of_nodes(),
        "relationships": graph.number_of_edges(),
        "role": role,
        "personal_data": graph.graph["personal_data"],
        "attribution": graph.graph["attribution"],
    }
