"""Ingest of the files people have, on the real embedded store: formats, bad input, idempotency."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from scaleup_graph.graph_model import identifier_hashes, make_id, person_id
from scaleup_graph.ingest import (
    IngestOptions,
    ManifestError,
    ReadError,
    ingest_path,
    load_manifest,
    run_ingest,
)
from scaleup_graph.store import GraphStore

GERMAN_CSV = (
    "ID;Name;Ort;Typ;Gegründet\r\n"
    "org-ihk;IHK Kassel-Marburg;Kassel;Stakeholder; \r\n"
    "org-rmn;Regionalmanagement Nordhessen GmbH;Kassel;Stakeholder;\r\n"
    'org-koeln;Köln Innovations GmbH;Köln;SME;"2019"\r\n'
)
MANIFEST = """
source: test
files:
  - path: akteure.csv
    nodes:
      - label: Organisation
        key: ID
        properties:
          name: Name
          city: Ort
          kinds: Typ
    relationships:
      - type: LOCATED_IN
        start: {label: Organisation, key: ID}
        end: {label: Region, key_from: Ort}
  - path: regionen.yaml
    nodes:
      - label: Region
        key_from: name
        properties:
          name: name
          country: land
"""
REGIONS = "- {name: Kassel, land: DE}\n- {name: Köln, land: DE}\n"


def options(tmp_path: Path, **kw: object) -> IngestOptions:
    opts = IngestOptions(state_dir=tmp_path / "state", suppression_salt="salt", batch_size=2)
    for k, v in kw.items():
        setattr(opts, k, v)
    return opts


@pytest.fixture
def german(tmp_path: Path) -> Path:
    (tmp_path / "akteure.csv").write_bytes(b"\xef\xbb\xbf" + GERMAN_CSV.encode())
    (tmp_path / "regionen.yaml").write_text(REGIONS, encoding="utf-8")
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(MANIFEST, encoding="utf-8")
    return manifest


def test_german_semicolon_csv_with_bom_and_yaml(
    store: GraphStore, german: Path, tmp_path: Path
) -> None:
    report = run_ingest(store, load_manifest(german), options(tmp_path))
    assert report.rejects == []
    rows = store.read(
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) "
        "RETURN o.name AS org, r.name AS region ORDER BY org"
    )
    assert rows[0] == {"org": "IHK Kassel-Marburg", "region": "Kassel"}
    assert {"org": "Köln Innovations GmbH", "region": "Köln"} in rows
    assert store.read("MATCH (n:SME) RETURN n.id AS id") == [{"id": "org-koeln"}]
    ihk = store.node_properties("Organisation", ["org-ihk"])["org-ihk"]
    assert ihk["source"] == "test" and ihk["ingest_run"] == report.run_id and ihk["ingested_at"]


def test_rerun_creates_nothing_new(store: GraphStore, german: Path, tmp_path: Path) -> None:
    run_ingest(store, load_manifest(german), options(tmp_path))
    first, counts = store.fingerprint(), store.counts()
    run_ingest(store, load_manifest(german), options(tmp_path))
    assert store.fingerprint() == first
    assert store.counts() == counts


def test_batch_size_does_not_change_the_graph(
    store: GraphStore, german: Path, tmp_path: Path
) -> None:
    run_ingest(store, load_manifest(german), options(tmp_path, batch_size=1))
    one = store.fingerprint()
    store.clear()
    run_ingest(store, load_manifest(german), options(tmp_path, batch_size=1000))
    assert store.fingerprint() == one


def test_xlsx_keeps_formula_cells_as_text(store: GraphStore, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "name", "website", "description"])
    sheet.append(["org-a", "Alpha GmbH", "https://alpha.example", '=HYPERLINK("http://x","y")'])
    sheet.append(["org-b", "Beta AG", None, 42])
    path = tmp_path / "orgs.xlsx"
    book.save(path)
    report = ingest_path(store, path, label="Organisation", options=options(tmp_path))
    assert report.rejects == []
    props = store.node_properties("Organisation", ["org-a", "org-b"])
    assert props["org-a"]["description"] == '=HYPERLINK("http://x","y")'
    assert props["org-b"]["description"] == "42"


def test_json_node_file(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "topics.json"
    path.write_text(json.dumps([{"name": "Mobilität"}, {"name": "Digitalisierung"}]))
    ingest_path(store, path, label="Topic", options=options(tmp_path))
    ids = {r["id"] for r in store.read("MATCH (t:Topic) RETURN t.id AS id")}
    assert ids == {make_id("Topic", "Mobilität"), make_id("Topic", "Digitalisierung")}


def test_bad_rows_go_to_the_reject_report_and_good_rows_are_written(
    store: GraphStore, tmp_path: Path
) -> None:
    (tmp_path / "orgs.csv").write_text(
        "id,name,website,kinds\n"
        "org-ok,Good GmbH,https://good.example,SME\n"
        "org-noname,,https://x.example,\n"
        "org-badurl,Bad URL,not a url,\n"
        "org-ok,Good GmbH again,,\n"
        "org-kind,Kind,,Spaceship\n",
        encoding="utf-8",
    )
    (tmp_path / "links.csv").write_text(
        "from,to\norg-ok,org-missing\norg-ok,org-ok2\n", encoding="utf-8"
    )
    (tmp_path / "orgs2.csv").write_text("id,name\norg-ok2,Second\n", encoding="utf-8")
    (tmp_path / "m.yaml").write_text("""
files:
  - path: orgs.csv
    nodes: [{label: Organisation, key: id, properties: {name: name, website: website,
             kinds: kinds}}]
  - path: links.csv
    relationships:
      - type: COOPERATES_WITH
        start: {label: Organisation, key: from}
        end: {label: Organisation, key: to}
  - path: orgs2.csv
    nodes: [{label: Organisation, key: id, properties: {name: name}}]
""")
    report = run_ingest(store, load_manifest(tmp_path / "m.yaml"), options(tmp_path))
    reasons = {(r.file, r.line): r.reason for r in report.rejects}
    assert "name is required but empty" in reasons[("orgs.csv", 3)]
    assert "not a web address" in reasons[("orgs.csv", 4)]
    assert "duplicate key org-ok" in reasons[("orgs.csv", 5)]
    assert "Spaceship not allowed" in reasons[("orgs.csv", 6)]
    assert "does not exist" in reasons[("links.csv", 2)]
    # the link whose target comes from a later file of the manifest is written
    assert store.read(
        "MATCH (:Organisation {id: 'org-ok'})-[:COOPERATES_WITH]->(b) RETURN b.id AS id"
    ) == [{"id": "org-ok2"}]
    # an invalid optional cell (website, kinds) is left out; the organisation is stored
    assert store.counts()["nodes"]["Organisation"] == 4
    outcomes = {(r.file, r.line): r.outcome for r in report.rejects}
    assert outcomes[("orgs.csv", 4)] == outcomes[("orgs.csv", 6)] == "cell dropped"
    assert "website" not in store.node_properties("Organisation", ["org-badurl"])["org-badurl"]
    assert report.rejected_rows == 3
    report_csv = (Path(report.report_dir or "") / "rejects.csv").read_text("utf-8-sig")
    assert report_csv.splitlines()[0] == "file;line;column;value;reason;outcome"
    assert len(report_csv.splitlines()) == 1 + len(report.rejects)
    data = json.loads((Path(report.report_dir or "") / "rejects.json").read_text())
    assert {d["line"] for d in data if d["file"] == "orgs.csv"} == {3, 4, 5, 6}


def test_wrong_types_name_the_column(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(
        "id;name;start_date;total_cost\n"
        "p1;Scale Up;01.08.2019;1.234,50\n"
        "p2;Broken;31.02.2020;lots\n",
        encoding="utf-8",
    )
    report = ingest_path(store, tmp_path / "p.csv", label="Project", options=options(tmp_path))
    assert {(r.line, r.column) for r in report.rejects} == {(3, "start_date"), (3, "total_cost")}
    assert store.node_properties("Project", ["p1"])["p1"]["start_date"] == "2019-08-01"
    assert store.node_properties("Project", ["p1"])["p1"]["total_cost"] == 1234.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        ("id;name\norg-a;Stra\xdfe GmbH\n".encode("latin-1"), "not valid utf-8"),
    ],
)
def test_unreadable_files_write_nothing(
    store: GraphStore, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes(content)
    with pytest.raises(ReadError, match=message):
        ingest_path(store, path, label="Organisation", options=options(tmp_path))
    assert store.counts()["nodes"]["Organisation"] == 0


def test_non_utf8_can_be_read_with_an_explicit_encoding(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_bytes("id;name\norg-a;Stra\xdfe GmbH\n".encode("cp1252"))
    (tmp_path / "m.yaml").write_text(
        "files:\n  - path: orgs.csv\n    encoding: cp1252\n"
        "    nodes: [{label: Organisation, key: id, "
        "properties: {name: name}}]\n"
    )
    run_ingest(store, load_manifest(tmp_path / "m.yaml"), options(tmp_path))
    assert store.node_properties("Organisation", ["org-a"])["org-a"]["name"] == "Straße GmbH"


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            "files:\n  - path: a.csv\n    nodes: [{label: Company, key: id}]\n",
            "unknown label 'Company'",
        ),
        (
            "files:\n  - path: a.csv\n    relationships: [{type: LIKES, start: {label: "
            "Organisation, key: id}, end: {label: Organisation, key: id}}]\n",
            "unknown relationship type 'LIKES'",
        ),
        (
            "files:\n  - path: a.csv\n    relationships: [{type: POSES, start: {label: "
            "Topic, key: id}, end: {label: Challenge, key: id}}]\n",
            "POSES cannot start at Topic",
        ),
        (
            "files:\n  - path: a.csv\n    nodes: [{label: Organisation, key: id, properties: "
            "{colour: c}}]\n",
            "has no property 'colour'",
        ),
    ],
)
def test_manifest_errors_stop_before_reading(tmp_path: Path, manifest: str, message: str) -> None:
    (tmp_path / "m.yaml").write_text(manifest)
    with pytest.raises(ManifestError, match=message):
        load_manifest(tmp_path / "m.yaml")


def test_unknown_column_for_single_file_label(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "orgs.csv").write_text("id,name,farbe\norg-a,A,blau\n")
    with pytest.raises(ManifestError, match="no property 'farbe'"):
        ingest_path(store, tmp_path / "orgs.csv", label="Organisation", options=options(tmp_path))


def test_near_duplicate_names_are_listed_not_merged(store: GraphStore, tmp_path: Path) -> None:
    # Spellings that differ only in case, accents or punctuation give the same id (one node);
    # a typo gives another id, and the pair is listed for a person to decide.
    (tmp_path / "orgs.csv").write_text(
        "name\nIHK Kassel-Marburg\nIHK Kassel-Marbrug\nScience Park Kassel\n"
    )
    report = ingest_path(
        store, tmp_path / "orgs.csv", label="Organisation", options=options(tmp_path)
    )
    assert [(d.name_a, d.name_b) for d in report.near_duplicates] == [
        ("IHK Kassel-Marbrug", "IHK Kassel-Marburg")
    ]
    assert store.counts()["nodes"]["Organisation"] == 3
    assert "IHK Kassel" in (Path(report.report_dir or "") / "near_duplicates.csv").read_text(
        "utf-8-sig"
    )


def test_erased_person_is_not_brought_back(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text(
        "name,email,phone\nErika Muster,erika@example.org,+49 561 1234\n"
        "Max Beispiel,max@example.org,\n",
        encoding="utf-8",
    )
    ingest_path(store, tmp_path / "people.csv", label="Person", options=options(tmp_path))
    erika = person_id("erika@example.org")
    props = store.node_properties("Person", [erika])[erika]
    store.add_suppressed(identifier_hashes(props, "salt") | {erika})
    store.erase_node(erika)
    report = ingest_path(store, tmp_path / "people.csv", label="Person", options=options(tmp_path))
    assert report.suppressed == 1
    names = {r["name"] for r in store.read("MATCH (p:Person) RETURN p.name AS name")}
    assert names == {"Max Beispiel"}


def test_personal_values_are_redacted_in_the_reject_report(
    store: GraphStore, tmp_path: Path
) -> None:
    (tmp_path / "people.csv").write_text("name,email\nErika Muster,erika-at-example.org\n")
    report = ingest_path(store, tmp_path / "people.csv", label="Person", options=options(tmp_path))
    text = (Path(report.report_dir or "") / "rejects.csv").read_text("utf-8-sig")
    assert "erika-at-example.org" not in text and "redacted" in text


def test_dry_run_writes_nothing(store: GraphStore, german: Path, tmp_path: Path) -> None:
    report = run_ingest(store, load_manifest(german), options(tmp_path, dry_run=True))
    assert report.rejects == []
    assert sum(store.counts()["nodes"].values()) == 0


def test_the_readme_worked_example(store: GraphStore, tmp_path: Path) -> None:
    manifest = (
        Path(__file__).resolve().parents[2] / "docs" / "examples" / "akteure" / "manifest.yaml"
    )
    report = run_ingest(store, load_manifest(manifest), options(tmp_path))
    assert report.rejects == []
    rows = store.read(
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) "
        "RETURN o.id AS org, r.id AS region ORDER BY org"
    )
    assert rows == [
        {"org": "org-ihk-kassel-marburg", "region": "region-de73"},
        {"org": "org-musterbau-gmbh", "region": "region-de732"},
        {"org": "org-regionalmanagement-nordhessen-gmbh", "region": "region-de73"},
    ]
    assert store.read("MATCH (n:PublicBody) RETURN n.name AS name") == [
        {"name": "Regionalmanagement Nordhessen GmbH"}
    ]
