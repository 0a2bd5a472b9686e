"""Nothing merged, overwritten or dropped in silence: each hole a data manager found, on small
files made here and on the real CORDIS files, asserting what is stored and what the report says.
"""

from __future__ import annotations

import csv
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scaleup_graph.ingest import (
    IngestOptions,
    IngestReport,
    ManifestError,
    ReadError,
    ingest_path,
    load_manifest,
    run_ingest,
)
from scaleup_graph.store import GraphStore, NodeRow

FLAT = """
files:
  - path: participations.csv
    nodes:
      - label: Organisation
        key_template: "org-pic-{organisationID}"
        unique: false
        properties:
          name: name
          website: url
          short_name: shortName
      - label: Project
        key_template: "project-rcn-{projectID}"
        unique: false
        properties:
          name: {template: "Project {projectID}"}
    relationships:
      - type: PARTNER_IN
        start: {label: Organisation, key_template: "org-pic-{organisationID}"}
        end: {label: Project, key_template: "project-rcn-{projectID}"}
        properties:
          role: role
          contribution: ecContribution
"""
HEADER = "projectID;organisationID;name;shortName;url;role;ecContribution\n"


def options(tmp_path: Path, **kw: object) -> IngestOptions:
    opts = IngestOptions(state_dir=tmp_path / "state", batch_size=2, check_duplicates=False)
    for k, v in kw.items():
        setattr(opts, k, v)
    return opts


def flat(tmp_path: Path, rows: str, manifest: str = FLAT) -> Path:
    (tmp_path / "participations.csv").write_text(HEADER + rows, encoding="utf-8")
    path = tmp_path / "manifest.yaml"
    path.write_text(manifest, encoding="utf-8")
    return path


def ingest(store: GraphStore, manifest: Path, tmp_path: Path, **kw: object) -> IngestReport:
    return run_ingest(store, load_manifest(manifest), options(tmp_path, **kw))


def reasons(report: IngestReport) -> dict[int, str]:
    return {r.line: r.reason for r in report.rejects}


def partners(store: GraphStore) -> dict[tuple[str, str], dict[str, object]]:
    rows = store.read(
        "MATCH (o:Organisation)-[e:PARTNER_IN]->(p:Project) "
        "RETURN o.id AS o, p.id AS p, e.role AS role, e.contribution AS contribution"
    )
    return {(r["o"], r["p"]): {"role": r["role"], "contribution": r["contribution"]} for r in rows}


# -- 1. a column the manifest names must exist; an empty key part rejects the row ----------------


def test_renamed_key_column_stops_before_anything_is_written(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;;coordinator;10\n2;998;Beta GmbH;;;participant;20\n",
        FLAT.replace("{organisationID}", "{organisationId}"),
    )
    for dry_run in (True, False):
        with pytest.raises(ManifestError) as caught:
            ingest(store, manifest, tmp_path, dry_run=dry_run)
        assert "organisationId: no such column; did you mean organisationID?" in str(caught.value)
    assert store.counts()["nodes"]["Organisation"] == 0
    assert store.counts()["nodes"]["Project"] == 0


def test_renamed_column_exits_2_on_the_command_line(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    manifest = flat(tmp_path, "1;999;Alpha GmbH;;;coordinator;10\n", FLAT.replace("url", "URL"))
    out = subprocess.run(
        [sys.executable, "-m", "scaleup_graph", "ingest", str(manifest), "--dry-run"],
        env=store_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 2
    assert "URL: no such column; did you mean url?" in out.stderr
    assert "Traceback" not in out.stderr


def test_empty_key_part_rejects_the_row_and_makes_no_partial_node(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;;coordinator;10\n"
        "1;;Nameless SRL;;;participant;20\n"  # line 3: empty organisationID
        "2;998;Beta GmbH;;;participant;30\n",
    )
    report = ingest(store, manifest, tmp_path)
    ids = {r["id"] for r in store.read("MATCH (o:Organisation) RETURN o.id AS id")}
    assert ids == {"org-pic-999", "org-pic-998"}
    line3 = [r for r in report.rejects if r.line == 3]
    assert line3 and all("empty organisationID" in r.reason for r in line3)
    assert any(r.reason.startswith("PARTNER_IN not written") for r in line3)
    assert len(partners(store)) == 2


def test_a_partial_id_node_from_an_earlier_run_is_removed_on_reingest(
    store: GraphStore, tmp_path: Path
) -> None:
    store.upsert_nodes(
        "Organisation",
        [NodeRow("org-pic-", {"name": "KAYSER ITALIA SRL"})],
        provenance={"source": "old"},
    )
    manifest = flat(tmp_path, "1;999;Alpha GmbH;;;coordinator;10\n")
    report = ingest(store, manifest, tmp_path)
    assert report.removed_partial_ids == ["org-pic-"]
    assert store.existing_ids("Organisation", ["org-pic-", "org-pic-999"]) == {"org-pic-999"}


def test_cordis_name_lookup_row_without_pic_is_rejected(
    store: GraphStore, tmp_path: Path, shared_data: Path
) -> None:
    """The real stacked_dump.csv has one row (KAYSER ITALIA SRL) with an empty orgId."""
    source = shared_data / "cordis-h2020" / "stacked_dump.csv"
    with source.open(encoding="utf-8") as fh:
        lines = fh.readlines()
    kayser = next(i for i, text in enumerate(lines) if "KAYSER ITALIA SRL" in text)
    (tmp_path / "cordis-h2020").mkdir()
    (tmp_path / "cordis-h2020" / "stacked_dump.csv").write_text(
        "".join(lines[: kayser + 20]), encoding="utf-8"
    )
    manifest = tmp_path / "names.yaml"
    manifest.write_text(
        "files:\n  - path: cordis-h2020/stacked_dump.csv\n    nodes:\n"
        "      - {label: Organisation, key_template: 'org-pic-{orgId}', "
        "properties: {name: name, activity_type: activityType}}\n"
    )
    report = ingest(store, manifest, tmp_path)
    rejected = [r for r in report.rejects if r.outcome == "row rejected"]
    assert [(r.line, r.reason) for r in rejected] == [
        (kayser + 1, "empty orgId: the Organisation key needs it")
    ]
    assert not store.existing_ids("Organisation", ["org-pic-"])
    assert store.counts()["nodes"]["Organisation"] == kayser + 19 - 1


# -- 2. short, long and cut-off rows are rejected with their line -------------------------------


def test_truncated_last_line_and_wrong_widths_are_rejected_with_their_line(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;;coordinator;10\n"
        "2;998;Beta GmbH;;\n"  # line 3: short
        "3;997;Gamma GmbH;;;participant;30;extra\n"  # line 4: long
        '4;996;Delta GmbH;;;"coord',  # line 5: the file ends inside quotes
    )
    report = ingest(store, manifest, tmp_path)
    got = reasons(report)
    assert "row has 5 cells but the header has 7" in got[3]
    assert "row has 8 cells but the header has 7" in got[4]
    assert "file ends inside quotes" in got[5]
    assert report.rejected_rows == 3
    assert set(partners(store)) == {("org-pic-999", "project-rcn-1")}
    assert store.counts()["nodes"]["Organisation"] == 1


# -- 3. two rows for the same relationship are never merged in silence ------------------------


def test_duplicate_relationship_with_other_values_is_rejected_not_merged(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;;participant;86432,02\n"
        "1;998;Beta GmbH;;;participant;5\n"
        "1;999;Alpha GmbH;;;participant;86432,02\n"  # line 4: same values: nothing new
        "1;999;Alpha GmbH;;;participant;0,0\n",  # line 5: differs
    )
    report = ingest(store, manifest, tmp_path)
    got = reasons(report)
    assert set(got) == {5}
    assert got[5].startswith("duplicate of line 2")
    assert "contribution 86432.02 there, 0.0 here" in got[5]
    assert partners(store)[("org-pic-999", "project-rcn-1")]["contribution"] == 86432.02


@pytest.mark.parametrize(
    ("policy", "contribution", "role"),
    [
        ("{contribution: sum, role: first}", 15.0, "coordinator"),
        ("{contribution: last, role: last}", 5.0, "participant"),
        ("{contribution: first, role: list}", 10.0, ["coordinator", "participant"]),
    ],
)
def test_on_duplicate_policies(
    store: GraphStore, tmp_path: Path, policy: str, contribution: float, role: object
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;;coordinator;10\n1;999;Alpha GmbH;;;participant;5\n",
        FLAT.replace(
            "        properties:\n          role: role",
            f"        on_duplicate: {policy}\n        properties:\n          role: role",
        ),
    )
    report = ingest(store, manifest, tmp_path)
    assert report.rejects == []
    stored = partners(store)[("org-pic-999", "project-rcn-1")]
    assert stored == {"role": role, "contribution": contribution}
    again = ingest(store, manifest, tmp_path)  # a re-run changes nothing
    assert again.rejects == [] and partners(store)[("org-pic-999", "project-rcn-1")] == stored


def test_on_duplicate_must_name_a_mapped_property_and_a_known_policy(tmp_path: Path) -> None:
    bad = FLAT.replace(
        "        properties:\n          role: role",
        "        on_duplicate: {contribution: average}\n        properties:\n          role: role",
    )
    with pytest.raises(ManifestError, match="use one of reject, first, last, sum, list"):
        load_manifest(flat(tmp_path, "", bad))


# -- 4. an invalid optional cell drops the cell, not the organisation --------------------------


def test_invalid_optional_cell_is_left_out_and_listed(store: GraphStore, tmp_path: Path) -> None:
    long_name = "X" * 120
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;www.alpha.example;coordinator;10\n"
        f"1;998;Beta GmbH;{long_name};https://beta.example;participant;5\n"
        "1;997;;;;participant;7\n",  # line 4: the required name is empty
    )
    report = ingest(store, manifest, tmp_path)
    props = store.node_properties("Organisation", ["org-pic-999", "org-pic-998"])
    assert props["org-pic-999"]["name"] == "Alpha GmbH" and "website" not in props["org-pic-999"]
    assert props["org-pic-998"]["website"] == "https://beta.example"
    assert "short_name" not in props["org-pic-998"]
    dropped = {(r.line, r.column): r for r in report.rejects if r.outcome == "cell dropped"}
    assert set(dropped) == {(2, "url"), (3, "shortName")}
    assert "not a web address" in dropped[(2, "url")].reason
    assert dropped[(2, "url")].value == "www.alpha.example"
    assert "longer than 100 characters" in dropped[(3, "shortName")].reason
    # both organisations' participations are stored; the nameless one's link says why not
    assert set(partners(store)) == {
        ("org-pic-999", "project-rcn-1"),
        ("org-pic-998", "project-rcn-1"),
    }
    link = [r for r in report.rejects if r.line == 4 and r.reason.startswith("PARTNER_IN")]
    assert link[0].reason == (
        "PARTNER_IN not written: the Organisation of line 4 was rejected: "
        "name is required but empty"
    )
    assert report.rejected_rows == 1
    written = (Path(report.report_dir or "") / "rejects.csv").read_text("utf-8-sig")
    assert written.splitlines()[0] == "file;line;column;value;reason;outcome"
    assert "cell dropped" in written


def test_strict_restores_whole_row_rejection(store: GraphStore, tmp_path: Path) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;;www.alpha.example;coordinator;10\n",
        "strict: true\n" + FLAT,
    )
    report = ingest(store, manifest, tmp_path)
    assert store.counts()["nodes"]["Organisation"] == 0
    assert report.rejected_rows == 1
    assert any("Organisation of line 2 was rejected" in r.reason for r in report.rejects)


def test_personal_cell_dropped_is_redacted_in_the_report(store: GraphStore, tmp_path: Path) -> None:
    (tmp_path / "people.csv").write_text("name,email\nAnna Beispiel,anna-at-example\n")
    report = ingest_path(store, tmp_path / "people.csv", label="Person", options=options(tmp_path))
    assert store.counts()["nodes"]["Person"] == 1
    [cell] = report.rejects
    assert cell.outcome == "cell dropped" and cell.value == "<personal data redacted>"
    assert "anna-at-example" not in json.dumps(report.to_dict())


# -- 6. the encoding hint names an option that exists -----------------------------------------


def test_encoding_hint_names_an_option_that_works(
    store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "orgs.csv"
    path.write_bytes("id;name\norg-a;Straße GmbH\n".encode("cp1252"))
    with pytest.raises(ReadError) as caught:
        ingest_path(store, path, label="Organisation", options=options(tmp_path))
    assert "--encoding cp1252" in str(caught.value)
    cli = [sys.executable, "-m", "scaleup_graph", "ingest", str(path), "--label", "Organisation"]
    out = subprocess.run(
        [*cli, "--encoding", "cp1252"], env=store_env, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert store.node_properties("Organisation", ["org-a"])["org-a"]["name"] == "Straße GmbH"


# -- 7. names that look like a natural person are withheld ------------------------------------


def test_person_like_organisation_name_is_withheld_and_flagged(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;MUELLER ANNA;;;participant;10\n1;998;Kassel Robotics GmbH;;;coordinator;20\n",
    )
    report = ingest(store, manifest, tmp_path)
    names = {
        r["id"]: r["name"]
        for r in store.read("MATCH (o:Organisation) RETURN o.id AS id, o.name AS name")
    }
    assert names == {"org-pic-999": "org-pic-999", "org-pic-998": "Kassel Robotics GmbH"}
    [flag] = [r for r in report.rejects if r.outcome == "name withheld"]
    assert flag.line == 2 and flag.value == "<personal data redacted>"
    assert "names: public" in flag.reason
    assert "MUELLER" not in json.dumps(report.to_dict())
    assert len(partners(store)) == 2  # the participation itself is kept

    public = flat(tmp_path, "1;999;MUELLER ANNA;;;participant;10\n", "names: public\n" + FLAT)
    report = ingest(store, public, tmp_path)
    assert store.node_properties("Organisation", ["org-pic-999"])["org-pic-999"]["name"] == (
        "MUELLER ANNA"
    )
    assert report.rejects == []


def test_a_person_name_stored_by_an_earlier_run_is_replaced(
    store: GraphStore, tmp_path: Path
) -> None:
    store.upsert_nodes(
        "Organisation", [NodeRow("org-pic-999", {"name": "MUELLER ANNA"})], provenance={}
    )
    ingest(store, flat(tmp_path, "1;999;MUELLER ANNA;;;participant;10\n"), tmp_path)
    assert store.node_properties("Organisation", ["org-pic-999"])["org-pic-999"]["name"] == (
        "org-pic-999"
    )


# -- the data manager's file: real CORDIS rows in one flat table --------------------------------


def test_real_cordis_rows_are_all_stored_or_reported(
    store: GraphStore, tmp_path: Path, shared_data: Path
) -> None:
    """1,500 real participation rows with names from the 2017 lookup, written as a German
    Excel export (semicolons, decimal commas), plus one duplicate with another contribution."""
    names = {}
    with (shared_data / "cordis-h2020" / "stacked_dump.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["orgId"]:
                names[row["orgId"]] = (row["name"], row["shortName"], row["organizationUrl"])
    rows = []
    with gzip.open(shared_data / "cordis-h2020" / "h2020.csv.gz", "rt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["pic"] in names:
                rows.append(row)
            if len(rows) == 1500:
                break
    dup = dict(rows[10], contribution="0")
    body = []
    for row in [*rows, dup]:
        name, short, url = names[row["pic"]]
        contribution = row["contribution"].replace(".", ",")
        body.append(
            ";".join(
                f'"{v}"' if ";" in v or '"' in v else v
                for v in (
                    row["rcn"],
                    row["pic"],
                    name.replace('"', ""),
                    short.replace('"', ""),
                    url,
                    row["role"],
                    contribution,
                )
            )
        )
    manifest = flat(tmp_path, "\n".join(body) + "\n", "names: check\n" + FLAT)
    report = ingest(store, manifest, tmp_path, batch_size=500)
    pairs = {(r["pic"], r["rcn"]) for r in rows}
    stored = partners(store)
    rejected_lines = {r.line for r in report.rejects if r.outcome == "row rejected"}
    # every participation is stored, except the deliberate duplicate (its line is reported)
    assert len(stored) == len(pairs)
    assert rejected_lines == {len(rows) + 2}
    assert report.rejects[-1].reason.startswith("duplicate of line 12")
    first = next(r for r in rows if r["contribution"].replace(".", "").isdigit())
    assert stored[(f"org-pic-{first['pic']}", f"project-rcn-{first['rcn']}")]["contribution"] == (
        float(first["contribution"])
    )
    assert not store.existing_ids("Organisation", ["org-pic-"])
    again = ingest(store, manifest, tmp_path, batch_size=500)
    assert again.rejected_rows == 1 and partners(store) == stored


def test_repeated_node_with_a_different_value_keeps_the_first_and_says_so(
    store: GraphStore, tmp_path: Path
) -> None:
    manifest = flat(
        tmp_path,
        "1;999;Alpha GmbH;ALPHA;;coordinator;10\n"
        "2;999;Alpha GmbH;ALPHA;;participant;20\n"  # the same organisation again: nothing new
        "3;999;Alpha Holding GmbH;ALPHA;;participant;30\n",  # line 4: another name
    )
    report = ingest(store, manifest, tmp_path)
    props = store.node_properties("Organisation", ["org-pic-999"])["org-pic-999"]
    assert props["name"] == "Alpha GmbH"
    [cell] = report.rejects
    assert (cell.line, cell.column, cell.outcome) == (4, "name", "cell dropped")
    assert cell.reason == (
        "name differs from line 2 ('Alpha GmbH' there, 'Alpha Holding GmbH' here); "
        "Organisation org-pic-999 keeps the first value"
    )
    assert len(partners(store)) == 3


def test_unknown_encoding_in_the_manifest_is_a_manifest_error(tmp_path: Path) -> None:
    manifest = flat(
        tmp_path,
        "",
        FLAT.replace(
            "  - path: participations.csv\n",
            "  - path: participations.csv\n    encoding: windows-1252x\n",
        ),
    )
    with pytest.raises(ManifestError, match="unknown encoding 'windows-1252x'"):
        load_manifest(manifest)
