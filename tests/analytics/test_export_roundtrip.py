"""Every export read back with networkx and igraph equals the store: nodes, relationships with
their endpoints and types, a property per type, and the names Gephi shows."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path
from typing import Any

import igraph as ig
import networkx as nx
import pytest

from scaleup_graph.analytics.exports import FORMATS, export_graph
from scaleup_graph.store import GraphStore, RelRow
from tests.support.analytics_graph import build_small


@pytest.fixture
def graph(store: GraphStore) -> GraphStore:
    build_small(store)
    store.upsert_relationships(
        "PARTNER_IN",
        "Organisation",
        "Project",
        [
            # new: created with this provenance; the existing one only gains properties
            RelRow("org-sme-a", "project-p", {"role": "coordinator", "contribution": 86432.02}),
            RelRow("org-sme-b", "project-p", {"role": "participant", "contribution": 5000.0}),
        ],
        provenance={"source": "CORDIS H2020 participations"},
    )
    return store


def store_edges(store: GraphStore) -> list[tuple[str, str, str, dict[str, Any]]]:
    rows = store.read(
        "MATCH (a)-[e]->(b) WHERE NOT a:_Suppressed "
        "RETURN a.id AS a, type(e) AS t, b.id AS b, properties(e) AS p"
    )
    return [(r["a"], r["t"], r["b"], r["p"]) for r in rows if r["a"] and r["b"]]


def from_csv(nodes_path: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    with nodes_path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            g.add_node(row.pop("id"), **row)
    edges_path = nodes_path.with_name(nodes_path.stem + "_edges.csv")
    with edges_path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            g.add_edge(row.pop("source_id"), row.pop("target_id"), **row)
    return g


def read_back(fmt: str, files: list[str]) -> tuple[nx.MultiDiGraph, ig.Graph]:
    """The export as networkx reads it, and as igraph reads it (GEXF: through networkx,
    igraph has no GEXF reader)."""
    path = Path(files[0])
    if fmt == "graphml":
        return nx.read_graphml(path, force_multigraph=True), ig.Graph.Read_GraphML(str(path))
    if fmt == "gexf":
        g = nx.read_gexf(path)
        return g, ig.Graph.from_networkx(g)
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        g = nx.node_link_graph(data, edges="links")
        i = ig.Graph.DictList(
            data["nodes"],
            [{k: v for k, v in e.items() if k != "key"} for e in data["links"]],
            directed=True,
            vertex_name_attr="id",
            edge_foreign_keys=("source", "target"),
        )
        return g, i
    g = from_csv(path)
    edges = [dict(source_id=a, target_id=b, **d) for a, b, d in g.edges(data=True)]
    i = ig.Graph.DictList(
        [{"id": n, **d} for n, d in g.nodes(data=True)],
        edges,
        directed=True,
        vertex_name_attr="id",
        edge_foreign_keys=("source_id", "target_id"),
    )
    return g, i


def edge_props(fmt: str, data: dict[str, Any]) -> dict[str, Any]:
    return data["properties"] if fmt == "json" else data


def edge_type(fmt: str, data: dict[str, Any]) -> str:
    return str(data["relationship"] if fmt == "gexf" else data["type"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_reads_back_equal_to_the_store(
    graph: GraphStore, tmp_path: Path, fmt: str
) -> None:
    summary = export_graph(graph, fmt, tmp_path / f"graph.{fmt}", role="admin+contacts")
    g, i = read_back(fmt, summary["files"])
    truth = store_edges(graph)
    ids = {r["id"] for r in graph.read("MATCH (n) WHERE n.id IS NOT NULL RETURN n.id AS id")}

    # nodes and relationships: counts and endpoints, in networkx and in igraph
    assert set(g.nodes) == ids
    assert g.number_of_edges() == len(truth) == summary["relationships"]
    expected = Counter((a, t, b) for a, t, b, _ in truth)
    assert Counter((a, edge_type(fmt, d), b) for a, b, d in g.edges(data=True)) == expected
    assert i.vcount() == len(ids) and i.ecount() == len(truth)
    vid = i.vs["id"] if "id" in i.vs.attributes() else i.vs["_nx_name"]
    ig_type = "relationship" if fmt == "gexf" else "type"
    assert Counter((vid[e.source], e[ig_type], vid[e.target]) for e in i.es) == expected

    # one property per type: the relationship's provenance source, and PARTNER_IN's contribution
    by_key = {(a, t, b): p for a, t, b, p in truth}
    for a, b, d in g.edges(data=True):
        props = edge_props(fmt, d)
        stored = by_key[(a, edge_type(fmt, d), b)]
        assert props["source"] == stored["source"]
        if "contribution" in stored:
            assert float(props["contribution"]) == stored["contribution"]
    sources = {s for _, _, _, p in truth for s in [p["source"]]}
    assert sources == {"analytics-test", "CORDIS H2020 participations"}

    # one property per label: every node's name and its label, as stored
    stored_nodes = {
        r["id"]: (r["name"], r["labels"])
        for r in graph.read("MATCH (n) RETURN n.id AS id, n.name AS name, labels(n) AS labels")
    }
    for node, d in g.nodes(data=True):
        name, labels = stored_nodes[node]
        props = d["properties"] if fmt == "json" else d
        assert props.get("name") == name
        assert d["type"] in labels

    # Gephi shows label: the organisation's name, not its type
    assert g.nodes["org-sme-a"]["label"] == "Alpha GmbH"
    assert g.nodes["org-sme-a"]["type"] == "Organisation"


def test_csv_edge_table_keeps_endpoints_and_provenance_apart(
    graph: GraphStore, tmp_path: Path
) -> None:
    export_graph(graph, "csv", tmp_path / "g.csv", role="viewer")
    with (tmp_path / "g_edges.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:3] == ["source_id", "target_id", "type"]
    partner = next(r for r in rows if r["source_id"] == "org-sme-a" and r["type"] == "PARTNER_IN")
    assert partner["target_id"] == "project-p"
    assert partner["source"] == "CORDIS H2020 participations"


def test_viewer_exports_label_persons_without_their_name(graph: GraphStore, tmp_path: Path) -> None:
    for fmt in ("gexf", "graphml"):
        out = tmp_path / f"viewer.{fmt}"
        export_graph(graph, fmt, out, role="viewer")
        assert "Erika" not in out.read_text(encoding="utf-8")
        g = nx.read_gexf(out) if fmt == "gexf" else nx.read_graphml(out)
        assert g.nodes["person-1"]["label"] == "person-1"


def test_metrics_on_actors_with_a_label_filter_ties_them_through_projects(
    store: GraphStore,
) -> None:
    """``scaleup metrics degree --label Organisation --actors`` on CORDIS-like data, where
    organisations meet only in projects: the projects stay in the projection to tie them."""
    from scaleup_graph.analytics.metrics import MetricOptions, run_metrics
    from scaleup_graph.analytics.projection import ProjectionFilter
    from scaleup_graph.store import NodeRow

    prov = {"source": "test"}
    store.upsert_nodes(
        "Organisation", [NodeRow(f"org-{x}", {"name": x}) for x in "abcd"], provenance=prov
    )
    store.upsert_nodes(
        "Project",
        [NodeRow("project-1", {"name": "P1"}), NodeRow("project-2", {"name": "P2"})],
        provenance=prov,
    )
    pairs = [("org-a", "project-1"), ("org-b", "project-1"), ("org-c", "project-1")]
    pairs.append(("org-d", "project-2"))
    store.upsert_relationships(
        "PARTNER_IN", "Organisation", "Project", [RelRow(a, b) for a, b in pairs], provenance=prov
    )
    run = run_metrics(
        store,
        ["degree"],
        flt=ProjectionFilter(labels=("Organisation",)),
        options=MetricOptions(actors=True),
    )
    degree = run.results[0].values
    assert set(degree) == {"org-a", "org-b", "org-c", "org-d"}  # actors only
    assert degree["org-a"] > 0 and degree["org-d"] == 0
