"""Snapshots and their diff; exports that Gephi, networkx and igraph read, filtered by role."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import igraph as ig
import networkx as nx
import pytest

from scaleup_graph.analytics import AnalyticsError, ProjectionFilter, project, run_metrics
from scaleup_graph.analytics.exports import export_graph
from scaleup_graph.analytics.snapshots import create_snapshot, diff
from scaleup_graph.errors import NotFound
from scaleup_graph.store import GraphStore, RelRow

PROV = {"source": "analytics-test"}


def test_snapshot_diff_shows_new_links_and_centrality_change(
    small: GraphStore, tmp_path: Path
) -> None:
    create_snapshot(tmp_path, "phase-1", project(small))
    small.upsert_relationships(
        "COOPERATES_WITH",
        "Organisation",
        "Organisation",
        [RelRow("org-sme-a", "org-sme-c")],
        provenance=PROV,
    )
    create_snapshot(tmp_path, "phase-2", project(small))
    change = diff(tmp_path, "phase-1", "phase-2")
    assert change["new_links_count"] == 1
    link = change["new_links"][0]
    assert {link["source"]["name"], link["target"]["name"]} == {"Alpha GmbH", "Gamma Srl"}
    gained = {g["id"] for g in change["centrality"]["degree"]["gained"]}
    assert gained == {"org-sme-a", "org-sme-c"}
    assert change["communities"]["before"] >= 1
    with pytest.raises(AnalyticsError, match="exists"):
        create_snapshot(tmp_path, "phase-1", project(small))


def test_snapshot_names_and_missing_snapshots(small: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="not allowed"):
        create_snapshot(tmp_path, "../evil", project(small))
    with pytest.raises(NotFound, match="no snapshot with this name"):
        diff(tmp_path, "nope", "other")


def test_write_back_stores_metric_properties(small: GraphStore, tmp_path: Path) -> None:
    run = run_metrics(small, ["pagerank", "community"], write=True, state_dir=tmp_path)
    assert run.written["pagerank"] == run.projection["nodes"]
    rows = small.read(
        "MATCH (o:Organisation {id: 'org-ihk'}) "
        "RETURN o.metric_pagerank AS pr, o.metric_community AS c"
    )
    assert rows[0]["pr"] == pytest.approx(run.results[0].values["org-ihk"])
    records = (tmp_path / "analytics" / "runs.jsonl").read_text().splitlines()
    assert json.loads(records[0])["algorithm"] == "pagerank"


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_exports_are_readable_and_hide_personal_data_from_viewers(
    small: GraphStore, tmp_path: Path, fmt: str
) -> None:
    viewer = tmp_path / f"viewer.{fmt}"
    contacts = tmp_path / f"contacts.{fmt}"
    summary = export_graph(small, fmt, viewer, role="viewer")
    export_graph(small, fmt, contacts, role="contacts")
    assert summary["personal_data"] is False
    assert "Erika" not in viewer.read_text(encoding="utf-8")
    assert "erika@example.org" in contacts.read_text(encoding="utf-8")
    if fmt == "graphml":
        g = nx.read_graphml(viewer)
        assert g.nodes["org-sme-c"]["labels"] == "Organisation; SME"
        assert ig.Graph.Read_GraphML(str(viewer)).vcount() == g.number_of_nodes()
    elif fmt == "gexf":
        g = nx.read_gexf(viewer)
    else:
        g = nx.node_link_graph(json.loads(viewer.read_text()), edges="links")
    assert g.number_of_nodes() == summary["nodes"] == 11  # the person too, by id
    assert g.number_of_edges() == summary["relationships"]


def test_csv_for_german_excel(small: GraphStore, tmp_path: Path) -> None:
    run_metrics(small, ["pagerank"], write=True)
    out = tmp_path / "nodes.csv"
    export_graph(small, "csv", out, semicolon=True, bom=True, decimal_comma=True)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    ihk = next(r for r in rows if r["id"] == "org-ihk")
    assert "," in ihk["metric_pagerank"] and "." not in ihk["metric_pagerank"]
    edges = list(
        csv.DictReader((tmp_path / "nodes_edges.csv").open(encoding="utf-8-sig"), delimiter=";")
    )
    assert {"source_id", "target_id", "type", "source"} <= set(edges[0])
    assert not list(tmp_path.glob(".*tmp*"))


def test_export_errors(small: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(AnalyticsError, match="unknown role"):
        export_graph(small, "json", tmp_path / "x.json", role="boss")
    with pytest.raises(AnalyticsError, match="does not exist"):
        export_graph(small, "json", tmp_path / "no" / "x.json")
    with pytest.raises(AnalyticsError, match="nothing to export"):
        export_graph(small, "json", tmp_path / "x.json", flt=ProjectionFilter(labels=("Event",)))
    assert not (tmp_path / "x.json").exists()
