"""``scaleup export neo4j-import``: the files neo4j-admin reads, and the exact command.

No neo4j-admin runs here, so the strongest check available is a round trip: a small reader of
the importer's documented CSV header format loads the files into a fresh graph, which must equal
the exported one.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from scaleup_graph.cli import app
from scaleup_graph.store import GraphStore, NodeRow, RelRow, open_store

PROV = {"source": "crm.csv", "ingest_run": "r1", "ingested_at": "2026-01-01T00:00:00"}

runner = CliRunner()


def seed(store: GraphStore) -> None:
    store.upsert_nodes(
        "Organisation",
        [
            NodeRow(
                "org-mowin",
                {
                    "name": "MoWiN.net e.V.",
                    "city": "Kassel",
                    "topics": ["mobility", "logistics"],
                    "description": 'Netzwerk "Mobilität",\nNordhessen',
                },
                ("Stakeholder",),
            ),
            NodeRow("org-ihk", {"name": "IHK Kassel-Marburg", "metric_pagerank": 0.25}),
        ],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Person",
        [
            NodeRow(
                "person-a1",
                {
                    "name": "Erika Beispiel",
                    "email": "erika@example.org",
                    "role": "Netzwerkmanagerin",
                    "public_role": False,
                },
            ),
        ],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Region", [NodeRow("region-de73", {"name": "Kassel", "level": 2})], provenance=PROV
    )
    store.upsert_relationships(
        "WORKS_AT",
        "Person",
        "Organisation",
        [RelRow("person-a1", "org-mowin", {"since": "2019"})],
        provenance=PROV,
    )
    store.upsert_relationships(
        "LOCATED_IN",
        "Organisation",
        "Region",
        [RelRow("org-mowin", "region-de73"), RelRow("org-ihk", "region-de73")],
        provenance=PROV,
    )
    store.add_suppressed(["hash-of-an-erased-person"])


def parse(value: str, kind: str) -> Any:
    """One cell as neo4j-admin reads it (documented header types)."""
    if value == "":
        return None
    if kind.endswith("[]"):
        return [parse(v, kind[:-2]) for v in value.split(";")]
    return {"long": int, "double": float, "boolean": lambda v: v == "true"}.get(kind, str)(value)


def read_table(directory: Path, stem: str) -> tuple[list[str], list[list[str]]]:
    with open(directory / f"{stem}.header.csv", newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with open(directory / f"{stem}.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert all(len(row) == len(header) for row in rows), stem
    return header, rows


def load_import_files(directory: Path, target: GraphStore) -> None:
    """Load the files the way neo4j-admin would, through the port, into ``target``."""
    for path in sorted(directory.glob("nodes_*.header.csv")):
        header, rows = read_table(directory, path.name.removesuffix(".header.csv"))
        for row in rows:
            labels = row[1].split(";")
            props = {}
            for column, cell in zip(header[2:], row[2:], strict=True):
                name, _, kind = column.partition(":")
                if (value := parse(cell, kind)) is not None:
                    props[name] = value
            if labels == ["_Suppressed"]:
                target.add_suppressed([row[0]])
            else:
                target.upsert_nodes(
                    labels[0], [NodeRow(row[0], props, tuple(labels[1:]))], provenance={}
                )
    for path in sorted(directory.glob("rels_*.header.csv")):
        header, rows = read_table(directory, path.name.removesuffix(".header.csv"))
        start = header[0].split("(")[1].rstrip(")")
        end = header[1].split("(")[1].rstrip(")")
        for row in rows:
            props = {}
            for column, cell in zip(header[3:], row[3:], strict=True):
                name, _, kind = column.partition(":")
                if (value := parse(cell, kind)) is not None:
                    props[name] = value
            target.upsert_relationships(
                row[2], start, end, [RelRow(row[0], row[1], props)], provenance={}
            )


def _export_seed(store: GraphStore, tmp_path: Path, *options: str) -> tuple[Path, Any]:
    """Seed the graph and run ``scaleup export neo4j-import`` into a new folder: it succeeds."""
    seed(store)
    out = tmp_path / "import"
    result = runner.invoke(app, ["export", "neo4j-import", str(out), *options])
    assert result.exit_code == 0, result.output
    return out, result


@pytest.fixture
def target(db_url: str, graph_name: str) -> Any:
    other = open_store(db_url, graph=graph_name + "_import")
    yield other
    other.clear()
    other.close()


def test_admin_export_round_trips_to_the_same_graph(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path, target: GraphStore
) -> None:
    out, result = _export_seed(store, tmp_path, "--role", "admin+contacts")
    assert "Wrote 5 nodes and 3 relationships" in result.output
    assert "neo4j-admin database import full neo4j --overwrite-destination=true" in result.output
    load_import_files(out, target)
    assert target.fingerprint() == store.fingerprint()
    header, _ = read_table(out, "nodes_Organisation")
    assert header[:2] == ["id:ID(Organisation)", ":LABEL"]
    assert "topics:string[]" in header and "metric_pagerank:double" in header
    assert read_table(out, "rels_WORKS_AT_Person_Organisation")[0][:3] == [
        ":START_ID(Person)",
        ":END_ID(Organisation)",
        ":TYPE",
    ]


def test_import_script_holds_the_printed_command_for_these_files(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    out, result = _export_seed(store, tmp_path)
    script = (out / "import.sh").read_text()
    assert os.access(out / "import.sh", os.X_OK)
    assert script.startswith("#!/bin/sh")
    files = sorted(p.name for p in out.glob("*.csv"))
    for name in files:
        assert f"/{name}" in script and f"{out.resolve()}/{name}" in result.output.replace("\n", "")
    assert len(files) == 2 * (script.count("--nodes=") + script.count("--relationships="))
    assert "nodes_Topic.csv" not in files  # empty labels get no file


def test_default_view_leaves_out_personal_data(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    out, result = _export_seed(store, tmp_path)
    assert "Personal data of persons" in result.output
    everything = "".join(p.read_text() for p in out.iterdir())
    assert "erika" not in everything.lower() and "Beispiel" not in everything
    header, rows = read_table(out, "nodes_Person")
    assert "role" in header and "email" not in header and "name" not in header
    assert rows[0][0] == "person-a1"


def test_a_non_empty_directory_is_refused_and_left_alone(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    seed(store)
    out = tmp_path / "import"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = runner.invoke(app, ["export", "neo4j-import", str(out)])
    assert result.exit_code == 2
    assert "not an empty directory" in result.output and "Traceback" not in result.output
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_list_item_the_importer_would_split_stops_the_export_without_files(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    store.upsert_nodes(
        "Organisation", [NodeRow("org-x", {"name": "X", "topics": ["a;b"]})], provenance=PROV
    )
    out = tmp_path / "import"
    result = runner.invoke(app, ["export", "neo4j-import", str(out)])
    assert result.exit_code == 2
    assert "org-x" in result.output and "topics" in result.output
    assert not out.exists()
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".import")] == []


def test_an_unknown_role_is_invalid_input(store_env: dict[str, str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "neo4j-import", str(tmp_path / "x"), "--role", "boss"])
    assert result.exit_code == 4  # Invalid, as for every export
    assert "valid roles are: viewer" in result.output
