"""The synthetic population generator and the committed seed networks (Nordhessen, synthetic).

Checks that generation is deterministic, that every manifest only names schema properties and
allowed relationship endpoints, that values validate, that sizes follow --orgs, that the
committed demo population equals a fresh generation, and that both seeds ingest without a reject.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from scaleup_graph.graph_model import (
    NODE_TYPES,
    REL_TYPES,
    make_id,
    validate_node,
    validate_relationship,
)
from scaleup_graph.ingest.generate import (
    NORDHESSEN_ANCHORS,
    TOPICS,
    Population,
    generate,
    generate_population,
    write_demo_seed,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "src" / "scaleup_graph" / "seed"
NORDHESSEN = SEED_DIR / "nordhessen"
SYNTHETIC = SEED_DIR / "synthetic"
WINDOW = (dt.date(2021, 12, 1), dt.date(2023, 1, 31))


# -- helpers -----------------------------------------------------------------------------------


def _rows(path: Path, delimiter: str | None = None) -> list[dict[str, Any]]:
    if path.suffix in (".yaml", ".yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(data, list), path
        return data
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter or ","))


def _columns(rows: list[dict[str, Any]]) -> set[str]:
    return {key for row in rows for key in row}


def _spec_columns(spec: Any) -> set[str]:
    """The columns a manifest value or endpoint spec reads (without |filters)."""
    if isinstance(spec, str):
        return {spec.split("|")[0].strip()}
    if isinstance(spec, dict):
        for key in ("column", "key", "key_from"):
            if key in spec:
                return {str(spec[key]).split("|")[0].strip()}
    return set()


def _check_manifest(manifest: Path) -> dict[str, list[dict[str, Any]]]:
    """Assert every label, type, property, endpoint and column in a manifest is valid.

    Returns the rows of every file, by file name.
    """
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    files: dict[str, list[dict[str, Any]]] = {}
    for entry in data["files"]:
        path = manifest.parent / entry["path"]
        rows = _rows(path, entry.get("delimiter"))
        assert rows, f"{path.name} has no rows"
        columns = _columns(rows)
        files[entry["path"]] = rows
        for node in entry.get("nodes", []):
            nt = NODE_TYPES[node["label"]]
            allowed = {p.name for p in nt.all_properties}
            assert _spec_columns(node) <= columns, (path.name, node)
            for prop, spec in node["properties"].items():
                assert prop in allowed, f"{path.name}: {nt.label} has no property {prop}"
                assert _spec_columns(spec) <= columns, f"{path.name}: {spec} is not a column"
            for column in node.get("where", {}):
                assert column in columns
        for rel in entry.get("relationships", []):
            rt = REL_TYPES[rel["type"]]
            assert rel["start"]["label"] in rt.sources, (path.name, rel)
            assert rel["end"]["label"] in rt.targets, (path.name, rel)
            assert _spec_columns(rel["start"]) | _spec_columns(rel["end"]) <= columns
            allowed = {p.name for p in rt.properties}
            for prop, spec in (rel.get("properties") or {}).items():
                assert prop in allowed, f"{path.name}: {rt.type} has no property {prop}"
                assert _spec_columns(spec) <= columns
            for column in rel.get("where", {}):
                assert column in columns
    # and the ingest engine's own manifest check agrees
    from scaleup_graph.ingest.manifest import load_manifest

    load_manifest(manifest)
    return files


def _value(spec: Any, row: dict[str, Any]) -> Any:
    if isinstance(spec, str):
        return row[spec]
    return row[spec["column"]] if "column" in spec else spec["value"]


def _tree(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


def _generated_nodes(population: Population) -> dict[str, dict[str, str]]:
    """id -> label for every node the population's manifest writes."""
    data = yaml.safe_load(population.manifest.read_text(encoding="utf-8"))
    ids: dict[str, dict[str, str]] = {}
    for entry in data["files"]:
        for node in entry.get("nodes", []):
            for row in _rows(population.manifest.parent / entry["path"]):
                ids.setdefault(node["label"], {})[row["id"]] = entry["path"]
    return ids


# -- determinism and size ----------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_differs(tmp_path: Path) -> None:
    generate_population(300, 5, tmp_path / "a")
    generate_population(300, 5, tmp_path / "b")
    generate_population(300, 6, tmp_path / "c")
    a, b, c = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert a == b
    assert a["organisations.csv"] != c["organisations.csv"]
    assert a["persons.csv"] != c["persons.csv"]


def test_committed_demo_population_equals_a_fresh_generation(tmp_path: Path) -> None:
    write_demo_seed(tmp_path)
    committed = {k: v for k, v in _tree(SYNTHETIC).items() if k.endswith((".csv", ".yaml"))}
    assert _tree(tmp_path) == committed, (
        "seed/synthetic is stale: regenerate it with "
        "python -c 'from pathlib import Path; from scaleup_graph.ingest.generate import "
        'write_demo_seed; write_demo_seed(Path("src/scaleup_graph/seed/synthetic"))\''
    )


def test_sizes_scale_with_orgs(tmp_path: Path) -> None:
    small = generate(200, 3, tmp_path / "s")
    large = generate(2000, 3, tmp_path / "l")
    assert small.nodes["Organisation"] == 200 + 1  # plus one generated network
    assert large.nodes["Organisation"] == 2000 + 13
    assert large.nodes["Person"] == 10 * small.nodes["Person"] == 1000
    assert large.nodes["Challenge"] == 10 * small.nodes["Challenge"] == 250
    ratio = large.relationship_total / small.relationship_total
    assert 8 < ratio < 12
    # about five to seven relationships per organisation, as the 50,000 / 250,000 benchmark
    assert 4 * 2000 < large.relationship_total < 8 * 2000


def test_rerun_into_same_folder_leaves_no_stale_files(tmp_path: Path) -> None:
    generate(300, 1, tmp_path)
    (tmp_path / "notes.csv").write_text("mine\n", encoding="utf-8")
    generate(20, 1, tmp_path, anchors=NORDHESSEN_ANCHORS)
    data = yaml.safe_load((tmp_path / "manifest.yaml").read_text(encoding="utf-8"))
    listed = {entry["path"] for entry in data["files"]}
    on_disk = {p.name for p in tmp_path.glob("*.csv")}
    assert on_disk - listed == {"notes.csv"}  # the user's own file is left alone
    assert "events.csv" not in on_disk  # anchored: the seed's pitch event, no generated one


# -- schema conformance ------------------------------------------------------------------------


@pytest.mark.parametrize("anchored", [False, True])
def test_generated_manifest_uses_schema_properties_and_allowed_endpoints(
    tmp_path: Path, anchored: bool
) -> None:
    population = generate(400, 11, tmp_path, anchors=NORDHESSEN_ANCHORS if anchored else None)
    _check_manifest(population.manifest)


def test_generated_values_validate_and_every_node_is_synthetic(tmp_path: Path) -> None:
    population = generate(400, 13, tmp_path)
    data = yaml.safe_load(population.manifest.read_text(encoding="utf-8"))
    for entry in data["files"]:
        rows = _rows(tmp_path / entry["path"])
        for node in entry.get("nodes", []):
            nt = NODE_TYPES[node["label"]]
            props = node["properties"]
            if nt.label in ("Region", "Topic"):
                # shared vocabulary: never overwrites a real node's values or synthetic flag
                assert all(isinstance(s, dict) and s["if_missing"] for s in props.values())
                assert {row["synthetic"] for row in rows} == {"true"}
            else:
                assert props["synthetic"] == {"value": True}
            for row in rows:
                assert row["id"].startswith(nt.id_prefix + "-"), row["id"]
                raw = {p: _value(spec, row) for p, spec in props.items()}
                _, errors = validate_node(nt.label, {"id": row["id"], **raw})
                assert not errors, (entry["path"], row, errors)
        for rel in entry.get("relationships", []):
            for row in rows:
                props = {p: row[c] for p, c in (rel.get("properties") or {}).items()}
                _, errors = validate_relationship(rel["type"], props)
                assert not errors, (entry["path"], row, errors)


def test_relationships_only_between_generated_nodes(tmp_path: Path) -> None:
    population = generate(300, 17, tmp_path)
    ids = _generated_nodes(population)
    data = yaml.safe_load(population.manifest.read_text(encoding="utf-8"))
    for entry in data["files"]:
        for rel in entry.get("relationships", []):
            start, end = rel["start"]["label"], rel["end"]["label"]
            for row in _rows(tmp_path / entry["path"]):
                assert row["start"] in ids[start], (entry["path"], row)
                assert row["end"] in ids[end], (entry["path"], row)


def test_anchored_population_links_only_to_the_anchors(tmp_path: Path) -> None:
    population = generate(200, 19, tmp_path, anchors=NORDHESSEN_ANCHORS)
    ids = {i for by_label in _generated_nodes(population).values() for i in by_label}
    outside: set[str] = set()
    data = yaml.safe_load(population.manifest.read_text(encoding="utf-8"))
    for entry in data["files"]:
        for _rel in entry.get("relationships", []):
            for row in _rows(tmp_path / entry["path"]):
                outside |= {row["start"], row["end"]} - ids
    assert outside == {NORDHESSEN_ANCHORS.chamber_id, NORDHESSEN_ANCHORS.pitch_event_id}


def test_challenge_lifecycle_and_person_data(tmp_path: Path) -> None:
    generate(800, 23, tmp_path)
    challenges = _rows(tmp_path / "challenges.csv")
    assert {c["status"] for c in challenges} == {
        "draft",
        "published",
        "pitched",
        "solved",
        "closed",
    }
    for c in challenges:
        days = [
            dt.date.fromisoformat(c[k])
            for k in ("created_at", "published_at", "pitched_at", "closed_at")
            if c[k]
        ]
        assert days == sorted(days), c
        assert all(WINDOW[0] <= d <= WINDOW[1] for d in days), c
        assert (c["published_at"] == "") == (c["status"] == "draft")
        assert (
            bool(c["pitched_at"]) == (c["status"] in ("pitched", "solved"))
            or c["status"] == "closed"
        )
    proposals = {p["id"]: p for p in _rows(tmp_path / "proposals.csv")}
    by_challenge = {c["id"]: c for c in challenges}
    for link in _rows(tmp_path / "addresses.csv"):
        assert by_challenge[link["end"]]["status"] != "draft"
        if by_challenge[link["end"]]["status"] == "solved":
            assert any(
                proposals[x["start"]]["status"] == "accepted"
                for x in _rows(tmp_path / "addresses.csv")
                if x["end"] == link["end"]
            )
    persons = _rows(tmp_path / "persons.csv")
    assert all(p["email"].endswith("@example.org") for p in persons)
    assert len({p["email"] for p in persons}) == len(persons)
    assert any("newsletter" in p["consent"] for p in persons)
    assert all((p["lawful_basis"] == "consent") == bool(p["consent"]) for p in persons)


# -- the committed seeds -----------------------------------------------------------------------


def test_nordhessen_manifest_is_valid_and_its_ids_are_derived() -> None:
    files = _check_manifest(NORDHESSEN / "manifest.yaml")
    akteure = files["akteure.csv"]
    for row in akteure:
        assert row["ID"] == make_id("Organisation", row["Name"]), row["Name"]
    ids = {row["ID"] for row in akteure}
    assert NORDHESSEN_ANCHORS.chamber_id in ids
    events = {row["ID"]: row for row in files["veranstaltungen.yaml"]}
    pitch = events[NORDHESSEN_ANCHORS.pitch_event_id]
    assert pitch["Datum"] == NORDHESSEN_ANCHORS.pitch_date and pitch["Synthetisch"] is True
    assert events["event-scale-up-abschlussevent-2021-12-08"]["Datum"] == dt.date(2021, 12, 8)
    # the seven Scale Up partners with their roles
    roles = {
        (r["Organisation"], r["Rolle"])
        for r in files["projektbeteiligte.yaml"]
        if r["Projekt"] == "project-scale-up"
    }
    assert len(roles) == 7
    assert ("org-instituto-de-fomento-de-la-region-de-murcia", "lead") in roles
    assert ("org-eurada", "advisory") in roles


def test_nordhessen_persons_are_public_roles_without_invented_contacts() -> None:
    persons = _rows(NORDHESSEN / "personen.yaml")
    assert {p["Name"] for p in persons} == {
        "Tarek Al-Wazir",
        "Kai Georg Bachmann",
        "Dr. Astrid Szogs",
    }
    assert all(p["Oeffentliche_Rolle"] is True for p in persons)
    assert all("E-Mail" not in p and "email" not in p for p in persons)
    assert [p["Telefon"] for p in persons if p["Telefon"]] == ["+49 (0) 561 970 62-19"]


def test_seed_topics_agree_with_the_generator_vocabulary() -> None:
    vocabulary = dict(TOPICS)
    for row in _rows(NORDHESSEN / "themen.yaml"):
        assert vocabulary[row["Name"]] == row["Name_de"]


def test_seed_regions_carry_the_eurostat_names(shared_data: Path) -> None:
    nuts = {}
    with open(shared_data / "nuts-2021" / "NUTS2021.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names = [row[k] for k in ("Country", "NUTS1", "NUTS2", "NUTS3") if row[k] != "NA"]
            if names:  # a few rows carry no name at all
                nuts[row["code2021"]] = names[0].strip()
    # Eurostat spells EL30 with a Latin "A"; the seed uses the Greek capital Alpha.
    nuts["EL30"] = nuts["EL30"].replace("A", "\u0391", 1)
    for row in _rows(NORDHESSEN / "regionen.yaml"):
        assert row["Name"] == nuts[row["Code"]], row["Code"]


def test_both_seeds_ingest_without_rejects(store: Any, tmp_path: Path) -> None:
    from scaleup_graph.ingest import IngestOptions, run_ingest
    from scaleup_graph.ingest.manifest import load_manifest

    options = IngestOptions(state_dir=tmp_path, check_duplicates=False)
    for manifest in (NORDHESSEN / "manifest.yaml", SYNTHETIC / "manifest.yaml"):
        report = run_ingest(store, load_manifest(manifest), options)
        assert report.rejects == [], report.rejects[:5]
    counts = store.counts()
    assert counts["nodes"]["Organisation"] == 16 + 120
    assert counts["nodes"]["Person"] == 3 + 60
    assert counts["nodes"]["Challenge"] == 15
    assert counts["relationships"]["TRANSFERRED_TO"] == 2
    rows = store.read("MATCH (n) WHERE n.synthetic IS NULL AND NOT n:_History RETURN count(n) AS c")
    assert rows[0]["c"] == 0
    rows = store.read(
        "MATCH (t:Topic {id: 'topic-mobility'}) RETURN t.synthetic AS s, t.name_de AS de"
    )
    assert rows == [{"s": False, "de": "Mobilität"}]
    rows = store.read(
        "MATCH (:BestPractice {id: 'practice-mowin-innovation-lab'})-[:TRANSFERRED_TO]->(r) "
        "RETURN r.nuts_code AS code ORDER BY code"
    )
    assert [r["code"] for r in rows] == ["EL30", "PL81"]


def test_generated_population_ingests_completely(store: Any, tmp_path: Path) -> None:
    from scaleup_graph.ingest import IngestOptions, run_ingest
    from scaleup_graph.ingest.manifest import load_manifest

    population = generate(250, 29, tmp_path / "pop")
    options = IngestOptions(state_dir=tmp_path / "state", check_duplicates=False)
    report = run_ingest(store, load_manifest(population.manifest), options)
    assert report.rejects == [], report.rejects[:5]
    counts = store.counts()
    assert {k: v for k, v in counts["nodes"].items() if v} == population.nodes
    assert {k: v for k, v in counts["relationships"].items() if v} == population.relationships


# -- the command -------------------------------------------------------------------------------


def _cli() -> typer.Typer:
    from scaleup_graph.cli.generate_cmds import register

    app = typer.Typer()

    @app.callback()
    def _root() -> None:  # keeps "generate" a subcommand, as in the real app
        pass

    register(app)
    return app


def test_generate_command_writes_and_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _cli(), ["generate", "--orgs", "50", "--seed", "1", "--out", str(tmp_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["nodes"]["Organisation"] == 51
    assert Path(report["manifest"]).exists()


def test_generate_command_refuses_a_file_as_out(tmp_path: Path) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["generate", "--orgs", "5", "--out", str(target)])
    assert result.exit_code == 2
