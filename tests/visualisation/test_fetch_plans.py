"""Where the explorer's walks start, read from the engine's plans (GRAPH.EXPLAIN).

A view, its filter tags, an expansion and the details of a node start from the ids the page
asks about and follow their relationships. If a condition on the far end (what the reader's
role may not see: drafts, KNOWS) sits where the engine takes it as a starting point, FalkorDB
scans every node of the graph once per given id instead: on the demo data nobody notices, at
10,000 nodes the 2-hop view of a hub ran past its time limit. The plans tell, whatever the size.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from scaleup_graph.store import GraphStore
from scaleup_graph.store.falkordb import FalkorDBStore, plan_operators
from scaleup_graph.visualisation import details, expand, explorer_view
from scaleup_graph.visualisation.views import node_tags
from tests.support.sample_network import IHK

#: plan steps that read the whole graph (or a whole label) to find nodes given by id
SCANS = ("All Node Scan", "Node By Label Scan")


@pytest.fixture
def recorded(sample: GraphStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Every read the explorer sends through ``sample`` while the test runs."""
    assert isinstance(sample, FalkorDBStore)
    reads: list[tuple[str, dict[str, Any]]] = []
    read = sample.read

    def recording(query: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        reads.append((query, dict(params or {})))
        return read(query, params, **kw)

    monkeypatch.setattr(sample, "read", recording)
    yield reads


@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_walks_from_given_ids_start_at_those_ids(
    sample: GraphStore, recorded: list[Any], role: str
) -> None:
    one = explorer_view(sample, role=role, focus=IHK, hops=1)
    explorer_view(sample, role=role, focus=IHK, hops=2)
    node_tags(sample, [n["id"] for n in one["nodes"]], role=role)
    expand(sample, "org-rmn", role=role)
    details(sample, "org-rmn", role=role)
    by_id = [(q, p) for q, p in recorded if "$ids" in q or "$id" in q]
    assert len(by_id) >= 10, "the explorer reads nodes by id"
    assert isinstance(sample, FalkorDBStore)
    scanning = {
        q: ops
        for q, p in by_id
        if (ops := [op for op in plan_operators(sample.explain(q, p)) if op in SCANS])
    }
    assert not scanning, f"walks from given ids that scan the graph as {role}: {scanning}"
