"""Comparing two graphs the way a user would notice a difference, and a real-data input:
what the bulk load and the reading process are tested against (tests/ingest)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.ingest import IngestReport, open_data_dir
from scaleup_graph.store import GraphStore

#: provenance that names the run and its time: differs between any two runs
RUN_FIELDS = {"ingest_run", "ingested_at", "updated_at"}


def graph_state(store: GraphStore) -> dict[str, Any]:
    """Everything a user could notice: nodes with labels and every stored property (search
    keys and version included), relationships with theirs, indexes, constraints, and the nodes'
    history entries (all but their time and run id)."""
    nodes = {}
    for row in store.read(
        "MATCH (n) WHERE NOT n:_History RETURN labels(n) AS labels, properties(n) AS props"
    ):
        props = {k: v for k, v in row["props"].items() if k not in RUN_FIELDS}
        nodes[(props["id"], tuple(sorted(row["labels"])))] = props
    rels = sorted(
        json.dumps([r["start"], r["type"], r["end"], _drop_run(r["props"])], sort_keys=True)
        for r in store.read(
            "MATCH (a)-[e]->(b) RETURN a.id AS start, type(e) AS type, b.id AS end, "
            "properties(e) AS props"
        )
    )
    indexes = sorted(
        json.dumps(r, sort_keys=True)
        for r in store.read(
            "CALL db.indexes() YIELD label, properties, types, entitytype "
            "RETURN label, properties, types, entitytype"
        )
    )
    history = sorted(
        json.dumps(
            {
                **{k: v for k, v in h.items() if k not in ("at", "ingest_run")},
                "fields": sorted(h.get("fields") or []),
            },
            sort_keys=True,
        )
        for h in (r["h"] for r in store.read("MATCH (h:_History) RETURN properties(h) AS h"))
    )
    constraints = sorted(
        (r["label"], tuple(r["properties"]), r["type"])
        for r in store.read("CALL db.constraints() YIELD label, properties, type")
    )
    return {
        "nodes": nodes,
        "rels": rels,
        "indexes": indexes,
        "constraints": constraints,
        "history": history,
    }


def _drop_run(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in RUN_FIELDS}


def rejects_of(reports: list[IngestReport]) -> list[tuple[Any, ...]]:
    return [
        (r.file, r.line, r.column, r.value, r.reason, r.outcome)
        for report in reports
        for r in report.rejects
    ]


def assert_same_graph(ordinary: GraphStore, bulk: GraphStore) -> dict[str, Any]:
    want, got = graph_state(ordinary), graph_state(bulk)
    assert len(got["nodes"]) == len(want["nodes"])
    missing = [k for k in want["nodes"] if got["nodes"].get(k) != want["nodes"][k]]
    assert not missing, (missing[:3], [got["nodes"].get(k) for k in missing[:3]])
    assert got["rels"] == want["rels"]
    assert got["indexes"] == want["indexes"]
    assert got["constraints"] == want["constraints"]
    assert got["history"] == want["history"]  # a first load has none: provenance says it
    assert bulk.fingerprint() == ordinary.fingerprint()
    return got


def cordis_subset(folder: Path, rows: int = 3000) -> Path:
    """The first ``rows`` participations of the real CORDIS files, the organisation names and
    the NUTS regions, plus two broken rows (an empty PIC, a line cut inside quotes)."""
    data = open_data_dir()
    if data is None:
        pytest.skip("the CORDIS open data (../shared/data) is not on this machine")
    (folder / "cordis-h2020").mkdir(parents=True)
    (folder / "nuts-2021").mkdir()
    source = data / "cordis-h2020"
    with gzip.open(source / "h2020.csv.gz", "rt", encoding="utf-8") as f:
        lines = [next(f) for _ in range(rows + 1)]
    header = lines[0].rstrip("\n").split(",")
    empty_pic = lines[1].rstrip("\n").split(",")
    empty_pic[header.index("pic")] = ""
    lines.append(",".join(empty_pic) + "\n")
    lines.append(lines[2][:40] + '"cut off')  # the last line ends inside a quoted value
    with gzip.open(folder / "cordis-h2020" / "h2020.csv.gz", "wt", encoding="utf-8") as f:
        f.writelines(lines)
    with gzip.open(source / "programme_parts.csv.gz", "rt", encoding="utf-8") as f:
        parts = [next(f) for _ in range(201)]
    with gzip.open(folder / "cordis-h2020" / "programme_parts.csv.gz", "wt") as f:
        f.writelines(parts)
    with open(source / "stacked_dump.csv", encoding="utf-8") as f:
        names = [next(f) for _ in range(4001)]
    (folder / "cordis-h2020" / "stacked_dump.csv").write_text("".join(names), encoding="utf-8")
    nuts = (data / "nuts-2021" / "NUTS2021.csv").read_bytes()
    (folder / "nuts-2021" / "NUTS2021.csv").write_bytes(nuts)
    return folder
