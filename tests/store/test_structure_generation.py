"""The structure's generation (what the explorer's overview keeps its groups by) stays the same
across a property edit and changes with every write that may change the structure: seen from
another connection to the same graph too (another worker process)."""

from __future__ import annotations

from scaleup_graph.graph_model import VERSION
from scaleup_graph.store import GraphStore, NodeRow, RelRow, open_store
from tests.support.graphs import PROV

NOW = "2026-12-02T00:00:00+00:00"


def _edit(store: GraphStore, label: str, node_id: str, **props: object) -> None:
    record = store.node_record(node_id, [label])
    assert record is not None
    version = int(record[1][VERSION])
    assert store.update_node(label, node_id, props, version=version, now=NOW, history=[{}])


def test_only_writes_that_may_change_the_structure_change_its_generation(
    store: GraphStore, db_url: str
) -> None:
    store.upsert_nodes(
        "Organisation",
        [NodeRow("org-a", {"name": "A"}), NodeRow("org-b", {"name": "B"})],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Challenge", [NodeRow("challenge-x", {"name": "x", "status": "draft"})], provenance=PROV
    )
    other = open_store(db_url, graph=store.graph_name)  # type: ignore[attr-defined]
    try:
        steps = [
            ("rename", lambda: _edit(store, "Organisation", "org-a", name="A2", city="Kassel")),
            ("challenge text", lambda: _edit(store, "Challenge", "challenge-x", name="y")),
            ("draft flag", lambda: _edit(store, "Challenge", "challenge-x", status="published")),
            ("rename again", lambda: _edit(store, "Organisation", "org-b", name="B2")),
            ("a measure", lambda: _edit(store, "Organisation", "org-b", metric_pagerank=0.5)),
            ("a community", lambda: _edit(store, "Organisation", "org-a", metric_community=1)),
            (
                "a relationship",
                lambda: store.upsert_relationships(
                    "COOPERATES_WITH",
                    "Organisation",
                    "Organisation",
                    [RelRow("org-a", "org-b")],
                    provenance=PROV,
                ),
            ),
            ("rename after it", lambda: _edit(store, "Organisation", "org-a", name="A3")),
            ("a plain write", lambda: store.write("MATCH (o:Organisation) SET o.note = 'x'")),
            ("erase", lambda: store.erase_node("org-b")),
            ("clear", store.clear),
        ]
        kept = {"rename", "challenge text", "rename again", "rename after it"}
        for name, write in steps:
            before = (store.generation(), store.structure_generation())
            assert other.structure_generation() == before[1]
            write()
            after = (store.generation(), store.structure_generation())
            assert after[0] != before[0], name  # every write is a new generation
            assert (after[1] == before[1]) == (name in kept), name
            assert other.structure_generation() == after[1], name
    finally:
        other.close()
