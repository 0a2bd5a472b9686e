"""The docs a data manager works from are complete and current, and the Excel template ingests
without a manifest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES, make_id
from scaleup_graph.graph_model.reference import schema_markdown
from scaleup_graph.graph_model.words import label_name, prop_name
from scaleup_graph.ingest import IngestOptions, ingest_path, load_manifest, run_ingest
from scaleup_graph.ingest.manifest import DUPLICATE_POLICIES, FILTERS, OPTIONS
from scaleup_graph.ingest.template import MAP_SHEET, write_template
from scaleup_graph.store import GraphStore

REPO = Path(__file__).resolve().parents[2]
MANIFEST_DOC = REPO / "docs" / "manifest.md"


def options(tmp_path: Path) -> IngestOptions:
    return IngestOptions(state_dir=tmp_path / "state", batch_size=3, check_duplicates=False)


# -- docs/schema.md --------------------------------------------------------------------------


def test_schema_doc_is_generated_and_current() -> None:
    current = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert current == schema_markdown(), (
        "docs/schema.md is out of date: run scaleup schema --markdown > docs/schema.md"
    )


def test_schema_doc_names_every_label_property_and_type() -> None:
    text = schema_markdown()
    for nt in NODE_TYPES.values():
        assert f"### {nt.label}" in text and label_name(nt.label, "de") in text
        for p in nt.properties:
            assert f"`{p.name}`" in text and prop_name(p.name, "de") in text
    for rt in REL_TYPES.values():
        assert f"| `{rt.type}` |" in text
    # the facts the data manager had to find through error messages
    row = next(line for line in text.splitlines() if line.startswith("| `PARTNER_IN` |"))
    assert "Organisation | Project | `role`, `contribution`" in row
    assert "≤ 100 characters" in text  # short_name's limit
    website = next(line for line in text.splitlines() if line.startswith("| `website` |"))
    assert "http://" in website


def test_schema_command_prints_the_doc(store_env: dict[str, str]) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "scaleup_graph", "schema", "--markdown"],
        env=store_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0 and out.stdout == schema_markdown()


# -- docs/manifest.md ------------------------------------------------------------------------


def _documented_options() -> set[str]:
    text = MANIFEST_DOC.read_text(encoding="utf-8")
    section = text.split("## Every option", 1)[1].split("## Worked example", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+):` \|", section, flags=re.MULTILINE))


def test_manifest_doc_lists_exactly_the_options_the_parser_accepts() -> None:
    accepted = {name for names in OPTIONS.values() for name in names}
    assert _documented_options() == accepted


def test_manifest_doc_lists_filters_and_duplicate_policies() -> None:
    text = MANIFEST_DOC.read_text(encoding="utf-8")
    for name in FILTERS:
        assert f"| `{name}` |" in text
    for name in DUPLICATE_POLICIES:
        assert f"| `{name}` |" in text


def test_unknown_option_is_refused_with_the_closest_name(tmp_path: Path) -> None:
    (tmp_path / "m.yaml").write_text(
        "files:\n  - path: a.csv\n    nodes: [{label: Topic, key: id, uniqe: false}]\n"
    )
    from scaleup_graph.ingest import ManifestError

    with pytest.raises(ManifestError, match="unknown option 'uniqe'; did you mean unique"):
        load_manifest(tmp_path / "m.yaml")


def _code_blocks(after: str) -> list[str]:
    text = MANIFEST_DOC.read_text(encoding="utf-8").split(after, 1)[1]
    return re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.DOTALL)


def test_the_flat_participation_example_in_the_doc_works(store: GraphStore, tmp_path: Path) -> None:
    data, manifest = _code_blocks("## Worked example: a flat participation file")[:2]
    (tmp_path / "participations.csv").write_text(data, encoding="utf-8")
    (tmp_path / "manifest.yaml").write_text(manifest, encoding="utf-8")
    report = run_ingest(store, load_manifest(tmp_path / "manifest.yaml"), options(tmp_path))
    assert report.rejects == []
    counts = store.counts()
    assert counts["nodes"]["Organisation"] == 2 and counts["nodes"]["Project"] == 2
    assert counts["relationships"]["PARTNER_IN"] == 3
    rows = store.read(
        "MATCH (:Organisation {id: 'org-pic-999854661'})-[e:PARTNER_IN]->"
        "(:Project {id: 'project-rcn-101000001'}) RETURN e.contribution AS c, e.role AS r"
    )
    assert rows == [{"c": 86432.02, "r": "coordinator"}]


# -- the Excel template ----------------------------------------------------------------------


def _sheet(book: openpyxl.Workbook, kind: str, name: str) -> str:
    for sheet, k, n, *_ in book[MAP_SHEET].iter_rows(min_row=2, values_only=True):
        if k == kind and n == name:
            return str(sheet)
    raise AssertionError(f"no sheet for {kind} {name}")


def _fill(book: openpyxl.Workbook, sheet: str, rows: list[dict[str, object]]) -> None:
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    for row in rows:
        ws.append([row.get(str(h)) for h in headers])


def test_template_has_german_headers_dropdowns_notes_and_a_guide(tmp_path: Path) -> None:
    path = write_template(tmp_path / "akteure.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "Anleitung"
    assert "scaleup ingest akteure.xlsx" in " ".join(
        str(c.value) for c in book["Anleitung"]["A"] if c.value
    )
    assert book[MAP_SHEET].sheet_state == "hidden"
    for nt in NODE_TYPES.values():
        _sheet(book, "node", nt.label)
    for rt in REL_TYPES.values():
        _sheet(book, "relationship", rt.type)
    persons = book[_sheet(book, "node", "Person")]
    headers = {c.value: c for c in persons[1]}
    email = headers[prop_name("email", "de")]
    assert "Personenbezogen" in email.comment.text
    assert "Pflichtfeld" in headers[prop_name("name", "de")].comment.text
    lawful = persons.data_validations.dataValidation
    assert any(
        "consent" in (dv.formula1 or "") or "Einwilligung" in (dv.formula1 or "") for dv in lawful
    )
    orgs = book[_sheet(book, "node", "Organisation")]
    assert any("SME" in (dv.formula1 or "") for dv in orgs.data_validations.dataValidation)


def test_filled_template_ingests_without_a_manifest(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    path = write_template(tmp_path / "akteure.xlsx")
    book = openpyxl.load_workbook(path)
    de = {p: prop_name(p, "de") for p in ("name", "city", "kinds", "website", "short_name")}
    _fill(
        book,
        _sheet(book, "node", "Organisation"),
        [
            {de["name"]: "Musterbau GmbH", de["city"]: "Fulda", de["kinds"]: "SME"},
            {de["name"]: "IHK Kassel-Marburg", de["website"]: "ihk.example"},  # bad website
            {de["city"]: "Kassel"},  # line 4: no name
        ],
    )
    _fill(book, _sheet(book, "node", "Project"), [{prop_name("name", "de"): "Scale Up"}])
    partner = book[_sheet(book, "relationship", "PARTNER_IN")]
    headers = [str(c.value) for c in partner[1]]
    row = {
        headers[0]: "Musterbau GmbH",
        headers[1]: "Scale Up",
        prop_name("contribution", "de"): "1.234,50",
    }
    _fill(book, partner.title, [row])
    located = book[_sheet(book, "relationship", "LOCATED_IN")]
    lh = [str(c.value) for c in located[1]]
    _fill(
        book,
        located.title,
        [
            {lh[0]: label_name("Project", "de"), lh[1]: "Scale Up", lh[2]: "Nordhessen"},
            {lh[1]: "Musterbau GmbH", lh[2]: "Nordhessen"},
        ],  # line 3: the kind is missing
    )
    _fill(book, _sheet(book, "node", "Region"), [{prop_name("name", "de"): "Nordhessen"}])
    book.save(path)

    out = subprocess.run(
        [sys.executable, "-m", "scaleup_graph", "ingest", str(path), "--json"],
        env=store_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr  # the report has entries
    musterbau = make_id("Organisation", "Musterbau GmbH")
    props = store.node_properties("Organisation", [musterbau])[musterbau]
    assert props["city"] == "Fulda" and props["kinds"] == ["SME"]
    ihk = make_id("Organisation", "IHK Kassel-Marburg")
    assert "website" not in store.node_properties("Organisation", [ihk])[ihk]
    rows = store.read(
        "MATCH (o:Organisation)-[e:PARTNER_IN]->(p:Project) RETURN o.id AS o, e.contribution AS c"
    )
    assert rows == [{"o": musterbau, "c": 1234.5}]
    assert store.read(
        "MATCH (p:Project)-[:LOCATED_IN]->(r:Region) RETURN p.name AS p, r.name AS r"
    ) == [{"p": "Scale Up", "r": "Nordhessen"}]
    import json

    report = json.loads(out.stdout)
    problems = {
        (r["file"].split("[")[-1].rstrip("]"), r["line"], r["outcome"]) for r in report["rejects"]
    }
    org_sheet = _sheet(book, "node", "Organisation")
    assert (org_sheet, 3, "cell dropped") in problems
    assert (org_sheet, 4, "row rejected") in problems
    assert (located.title, 3, "row rejected") in problems


def test_template_command_refuses_to_overwrite(store_env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "akteure.xlsx"
    cli = [sys.executable, "-m", "scaleup_graph", "template", str(path)]
    first = subprocess.run(cli, env=store_env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0 and path.exists()
    again = subprocess.run(cli, env=store_env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--force" in again.stderr


def test_plain_workbook_still_needs_a_label(store: GraphStore, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["name"])
    book.active.append(["Mobilität"])
    book.save(tmp_path / "topics.xlsx")
    from scaleup_graph.ingest import ManifestError

    with pytest.raises(ManifestError, match="--label"):
        ingest_path(store, tmp_path / "topics.xlsx", options=options(tmp_path))
