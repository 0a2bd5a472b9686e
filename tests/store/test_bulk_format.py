"""The GRAPH.BULK encoding of relationships looks values up by what they are (most repeat:
provenance, a level, a role); what it sends must be byte for byte what encoding each one gives,
for repeated values, values that never repeat, and lists (which cannot be looked up)."""

from __future__ import annotations

from typing import Any

from scaleup_graph.store import bulk as bulk_format
from scaleup_graph.store.base import GraphStore, NodeRow, RelRow
from scaleup_graph.store.staged import StagedGraph


def _graph(store: GraphStore, values: list[dict[str, Any]]) -> StagedGraph:
    graph = StagedGraph(store)
    provenance = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-12-02T05:00:00Z"}
    graph.upsert_nodes(
        "Organisation",
        [NodeRow(f"o{i}", {"name": f"O {i}"}) for i in range(60)],
        provenance=provenance,
    )
    graph.upsert_nodes(
        "Topic", [NodeRow(f"t{i}", {"name": f"T {i}"}) for i in range(50)], provenance=provenance
    )
    rows = [RelRow(f"o{i % 60}", f"t{i // 60}", props) for i, props in enumerate(values)]
    graph.upsert_relationships(
        "HAS_COMPETENCE", "Organisation", "Topic", rows, provenance=provenance
    )
    return graph


def _each_encoded(graph: StagedGraph) -> list[bytes]:
    _, position = bulk_format.encode_nodes(graph)
    rels = graph.relationships["HAS_COMPETENCE"]
    names = sorted({name for _, _, props in rels.values() for name in props})
    return [
        bulk_format._ENDS.pack(position[a.serial], position[b.serial])
        + b"".join(bulk_format.encode_value(props.get(n)) for n in names)
        for a, b, props in rels.values()
    ]


def _sent(graph: StagedGraph) -> bytes:
    _, position = bulk_format.encode_nodes(graph)
    [command] = bulk_format.encode_relationships(graph, ["HAS_COMPETENCE"], position)
    [token] = command.types
    return token


def test_repeated_unrepeated_and_list_values_are_sent_as_each_encodes(store: GraphStore) -> None:
    levels = ["basic", "advanced", "expert"]
    values: list[dict[str, Any]] = [{"level": levels[i % 3]} for i in range(1000)]
    values += [{"level": f"level {i}", "note": str(i)} for i in range(1000, 2000)]
    values += [{"level": ["a", "b"][: 1 + i % 2]} for i in range(2000, 3000)]
    graph = _graph(store, values)
    assert len(graph.relationships["HAS_COMPETENCE"]) == 3000
    assert _sent(graph).endswith(b"".join(_each_encoded(graph)))


def test_values_that_never_repeat_are_sent_as_each_encodes(store: GraphStore) -> None:
    graph = _graph(store, [{"level": f"l{i}", "since": i} for i in range(3000)])
    assert _sent(graph).endswith(b"".join(_each_encoded(graph)))


def test_nodes_of_every_kind_of_value_are_sent_as_each_value_encodes(store: GraphStore) -> None:
    """Runs of texts are encoded at once: the bytes are those of each value encoded alone,
    for texts, empty texts, umlauts, numbers, booleans and lists (empty ones too)."""
    graph = StagedGraph(store)
    provenance = {"source": "test", "ingest_run": "r1", "ingested_at": "2026-12-02T05:00:00Z"}
    values: list[dict[str, Any]] = [
        {"name": "Ölmühle Kassel", "city": "", "topics": ["Energie", "Wärme"], "founded": 1990},
        {"name": "Firma", "topics": [], "employees": 12, "turnover": 1.5, "sme": True},
        {"name": "ß", "description": "a\nb", "topics": ["x"], "sme": False, "city": "Fulda"},
    ]
    rows = [NodeRow(f"o{i}", props) for i, props in enumerate(values)]
    graph.upsert_nodes("Organisation", rows, provenance=provenance)
    [command], position = bulk_format.encode_nodes(graph)
    sent = b"".join(command.labels)
    for node in graph.nodes():
        names = sorted(node.props)
        expected = b"".join(bulk_format.encode_value(node.props[n]) for n in names)
        assert expected in sent, node.props
    assert len(position) == len(values)
