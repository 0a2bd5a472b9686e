"""The ad-hoc copies of issue 15 seen from a test: make every copy, read a copy's contents and
its indexes (tests/hard/test_adhoc_views.py and test_parked_copies.py compare them)."""

from __future__ import annotations

import json
from functools import partial

from scaleup_graph.store.falkordb import FalkorDBStore
from scaleup_graph.store.views import VIEWS, AdhocView

__all__ = ["copy_contents", "index_kinds", "make_every_copy"]


def make_every_copy(store: FalkorDBStore) -> None:
    """One ad-hoc query per kind of key, so that every copy exists and follows the writes."""
    for view in VIEWS:
        store.read_adhoc(
            "RETURN 1 AS x",
            timeout_ms=5_000,
            row_cap=10,
            personal=view.personal,
            drafts=view.drafts,
        )


def copy_contents(store: FalkorDBStore, view: AdhocView) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (ends, type, properties) of a copy,
    as sorted JSON lines: two copies are equal if these are."""
    assert store._wdb is not None
    graph = store._wdb.select_graph(store.view_names[view])
    nodes = graph.query("MATCH (n) RETURN labels(n), properties(n)").result_set
    rels = graph.query(
        "MATCH (a)-[k]->(b) RETURN a.id, labels(a), type(k), b.id, labels(b), properties(k)"
    ).result_set
    dump = partial(json.dumps, sort_keys=True, ensure_ascii=False, default=str)
    return sorted(dump(row) for row in nodes), sorted(dump(row) for row in rels)


def index_kinds(store: FalkorDBStore, graph: str) -> dict[str, set[str]]:
    """Each kind of index (RANGE, FULLTEXT) of ``graph`` -> the labels that have one."""
    assert store._wdb is not None
    rows = store._wdb.select_graph(graph).query(
        "CALL db.indexes() YIELD label, types RETURN label, types"
    )
    out: dict[str, set[str]] = {}
    for label, types in rows.result_set:
        for kinds in dict(types).values():
            for kind in kinds:
                out.setdefault(str(kind), set()).add(str(label))
    return out
