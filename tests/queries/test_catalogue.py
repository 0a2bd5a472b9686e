"""The catalogue files, parameter binding, folding and the privacy filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from scaleup_graph.graph_model import fold
from scaleup_graph.queries import ParamError, catalogue, run_query, strip_pii
from scaleup_graph.queries.catalogue import load_catalogue
from scaleup_graph.queries.folding import FOLD_TABLE, expand_fold, fold_pairs
from scaleup_graph.store import GraphStore, NodeRow

PROV = {"source": "test"}


def test_every_query_file_declares_summary_role_and_columns() -> None:
    queries = catalogue()
    assert {
        "search_organisations",
        "organisation",
        "organisation_contacts",
        "neighbourhood",
        "paths",
        "challenges",
        "challenge_proposals",
        "partner_regions",
        "content_feed",
    } <= set(queries)
    for query in queries.values():
        assert query.summary and query.columns and query.role
        assert "{{" not in query.texts[""].replace("{{hops}}", "").replace("{{label}}", "").replace(
            "{{max_hops}}", ""
        ).replace("{{source_label}}", "").replace("{{target_label}}", ""), query.name


def test_every_query_runs_on_an_empty_graph(store: GraphStore) -> None:
    params = {"id": "org-x", "source": "org-x", "target": "org-y"}
    for name, query in catalogue().items():
        wanted = {p.name: params[p.name] for p in query.params if p.required}
        assert run_query(store, name, wanted, "contacts+analyst+editor+admin").rows in (
            [],
            [{"nodes": [], "relationships": []}],
        )


def test_dialect_variant_overrides_the_default(tmp_path: Path) -> None:
    (tmp_path / "hello.cypher").write_text(
        "// summary: says hello\n// role: viewer\n"
        '// param who: str = "world" -- who to greet\n// columns: greeting\n'
        "RETURN 'hello ' + $who AS greeting\n"
    )
    (tmp_path / "hello.neo4j.cypher").write_text("// Neo4j\nRETURN 'hallo ' + $who AS greeting\n")
    query = load_catalogue(tmp_path)["hello"]
    assert query.text("falkordb", {}) == "RETURN 'hello ' + $who AS greeting"
    assert query.text("neo4j", {}) == "RETURN 'hallo ' + $who AS greeting"


def test_fold_table_agrees_with_fold() -> None:
    for ch, out in FOLD_TABLE:
        assert fold(ch) == out
    assert ["ö", "oe"] in fold_pairs([fold("Köln")])
    assert expand_fold("{{fold o.name}} = {{fold t}}").count("reduce(") == 2


@pytest.mark.parametrize(
    "name", ["Köln", "Région Bruxelles", "Łódź", "Málaga", "Straße", "Příbram", "Thessaloníki"]
)
def test_folded_search_matches_python_fold(store: GraphStore, name: str) -> None:
    store.upsert_nodes("Organisation", [NodeRow("org-a", {"name": name})], provenance=PROV)
    rows = run_query(store, "search_organisations", {"q": fold(name).upper()}, "viewer").rows
    assert [r["name"] for r in rows] == [name]


def test_binding_checks_types_ranges_and_choices() -> None:
    query = catalogue()["neighbourhood"]
    assert query.bind({"id": "x", "hops": "2"}, from_text=True)["hops"] == 2
    with pytest.raises(ParamError, match="between 1 and 3"):
        query.bind({"id": "x", "hops": 0})
    with pytest.raises(ParamError, match="one of"):
        query.bind({"id": "x", "label": "Organisation` DETACH DELETE"})
    with pytest.raises(ParamError, match="whole number"):
        query.bind({"id": "x", "hops": True})


def test_strip_pii_removes_person_fields_everywhere_for_viewers() -> None:
    person = {
        "id": "person-1",
        "name": "A",
        "email": "a@x.de",
        "role": "CEO",
        "_labels": ["Person"],
    }
    rows = [{"path": {"nodes": [person], "relationships": []}, "list": [person]}]
    viewer = strip_pii(rows, "viewer")
    assert viewer[0]["path"]["nodes"][0] == {"id": "person-1", "role": "CEO", "_labels": ["Person"]}
    assert "email" not in viewer[0]["list"][0]
    assert strip_pii(rows, "analyst+contacts")[0]["list"][0]["email"] == "a@x.de"
    assert "email" not in strip_pii(rows, "analyst")[0]["list"][0]  # capabilities, no ladder
