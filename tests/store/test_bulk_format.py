"""The GRAPH.BULK encoding of relationships looks values up by what they are (most repeat:
provenance, a level, a role); what it sends must be byte for byte what encoding each one gives,
for repeated values, values that never repeat, and lists (which cannot be looked up)."""

from __future__ import annotations

from typing import Any

from scaleup_graph.store import bulk as bulk_format
from scaleup_graph.store.base import NodeRow, RelRow
from scaleup_graph.store.staged import StagedGraph


def _graph(values: list[dict[str, Any]]) -> StagedGraph:
    graph = StagedGraph(target=None)  # type: ignore[arg-type]  # no suppression asked
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


def test_repeated_unrepeated_and_list_values_are_sent_as_each_encodes() -> None:
    levels = ["basic", "advanced", "expert"]
    values: list[dict[str, Any]] = [{"level": levels[i % 3]} for i in range(1000)]
    values += [{"level": f"level {i}", "note": str(i)} for i in range(1000, 2000)]
    values += [{"level": ["a", "b"][: 1 + i % 2]} for i in range(2000, 3000)]
    graph = _graph(values)
    assert len(graph.relationships["HAS_COMPETENCE"]) == 3000
    assert _sent(graph).endswith(b"".join(_each_encoded(graph)))


def test_values_that_never_repeat_are_sent_as_each_encodes() -> None:
    graph = _graph([{"level": f"l{i}", "since": i} for i in range(3000)])
    assert _sent(graph).endswith(b"".join(_each_encoded(graph)))
