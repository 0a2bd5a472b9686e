"""A search without name text is answered from ids kept per graph generation
(:mod:`scaleup_graph.queries.search_pages`): the same rows in the same order as the composed
text for every filter, page and role, and any write (of this process or another) shows at the
next page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.graph_model.roles import ROLES
from scaleup_graph.queries import search_pages
from scaleup_graph.queries.catalogue import catalogue
from scaleup_graph.queries.runner import run_query
from scaleup_graph.queries.search_organisations import PAGE_BY_IDS
from scaleup_graph.store import GraphStore, NodeRow, open_store
from tests.support.graphs import ingest_generated

QUERY = catalogue()["search_organisations"]
GRAPH = "search_pages"


@pytest.fixture(scope="module")
def generated(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """300 generated organisations: topics listed and linked, regions, kinds, umlauts."""
    store = open_store(f"embedded://{db_dir}", graph=GRAPH)
    ingest_generated(store, 300, 13, tmp_path_factory.mktemp("generated"))
    yield store
    store.clear()
    store.close()


class _Spy:
    """The store, noting the text of every read."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.sent: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def read(self, text: str, params: Mapping[str, Any] | None = None, **kw: Any) -> Any:
        self.sent.append(text)
        return self.store.read(text, params, **kw)


def _reference(store: GraphStore, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The composed text's rows, as every page was read before the ids were kept."""
    bound = QUERY.bind(params, dialect=store.dialect)
    text = QUERY.text(store.dialect, bound)
    return store.read(text, {k: v for k, v in bound.items() if f"${k}" in text})


def _search(store: Any, role: str = "viewer", **params: Any) -> list[dict[str, Any]]:
    return run_query(store, "search_organisations", params, role).rows


def _filters(store: GraphStore) -> list[dict[str, str]]:
    listed = Counter(
        t
        for row in store.read("MATCH (o:Organisation) RETURN o.topics AS t")
        for t in row["t"] or []
    )
    topic = listed.most_common(1)[0][0]
    umlaut = next((t for t in listed if any(c in t for c in "äöüÄÖÜ")), topic)
    spelled = umlaut.upper().replace("Ä", "AE").replace("Ö", "OE").replace("Ü", "UE")
    nuts = Counter(
        str(r["n"])[:3]
        for r in store.read("MATCH (o:Organisation) RETURN o.nuts_code AS n")
        if r["n"]
    )
    return [
        {},
        {"topic": topic},
        {"topic": spelled},  # another spelling of a topic with an umlaut: the same key
        {"topic": "no such topic"},
        {"region": nuts.most_common(1)[0][0]},
        {"kind": "SME"},
        {"topic": topic, "kind": "SME"},
        {"topic": topic, "region": "DE"},
    ]


def test_every_page_is_the_composed_texts_page_for_every_role(
    generated: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    search_pages.clear()
    # small numbers so that 300 organisations need more ids read, and pages past the most
    monkeypatch.setattr(search_pages, "FIRST_ROWS", 8)
    monkeypatch.setattr(search_pages, "MOST_ROWS", 64)
    sizes = []
    for filters in _filters(generated):
        everything = _reference(generated, {**filters, "limit": 501})
        n = len(everything)
        sizes.append(n)
        pages = [(0, 20), (0, 5), (3, 4), (20, 20), (max(n - 2, 0), 5), (40, 30), (0, 501)]
        for role in ROLES:
            for skip, limit in pages:
                params = {**filters, "skip": skip, "limit": limit}
                expected = _reference(generated, params)
                assert expected == everything[skip : skip + limit]
                assert _search(generated, role, **params) == expected, (role, params)
    # real answers: past the first ids read and past the most (64) except the unknown topic
    assert sizes[3] == 0 and min(sizes[:3] + sizes[4:]) > 64, sizes


def test_a_page_inside_the_kept_ids_reads_only_its_rows(generated: GraphStore) -> None:
    search_pages.clear()
    topic = _filters(generated)[1]["topic"]
    spy = _Spy(generated)
    first = _search(spy, topic=topic, limit=10)
    assert len(first) == 10 and len(spy.sent) == 2  # the ids, then the page by id
    spy.sent.clear()
    second = _search(spy, topic=topic, skip=10, limit=10)
    assert spy.sent == [PAGE_BY_IDS]
    assert [r["id"] for r in first + second] == [
        r["id"] for r in _reference(generated, {"topic": topic, "limit": 20})
    ]
    # the same topic in another spelling is the same listing
    spy.sent.clear()
    assert _search(spy, topic=topic.upper(), limit=10) == first and spy.sent == [PAGE_BY_IDS]
    # a search with name text is ranked and cut by the full-text index, as before
    spy.sent.clear()
    _search(spy, q="gmbh", topic=topic, limit=10)
    assert PAGE_BY_IDS not in spy.sent and len(spy.sent) == 1


def test_a_write_of_another_process_shows_at_the_next_page(
    generated: GraphStore, db_dir: Path
) -> None:
    search_pages.clear()
    topic = _filters(generated)[1]["topic"]
    before = _search(generated, topic=topic, limit=5)
    other = open_store(f"embedded://{db_dir}", graph=GRAPH)  # as another worker would
    try:
        other.upsert_nodes(
            "Organisation",
            [NodeRow("org-aaa-erste", {"name": "AAA Erste GmbH", "topics": [topic]})],
            provenance={"source": "test"},
        )
        now = _search(generated, topic=topic, limit=5)
        assert [r["id"] for r in now] == ["org-aaa-erste", *(r["id"] for r in before[:4])]
        other.write("MATCH (o:Organisation {id: 'org-aaa-erste'}) SET o.name = 'zzz Letzte'")
        assert _search(generated, topic=topic, limit=5) == before
        everything = _search(generated, topic=topic, limit=501)
        assert everything[-1]["name"] == "zzz Letzte"
        assert everything == _reference(generated, {"topic": topic, "limit": 501})
        other.write("MATCH (o:Organisation {id: 'org-aaa-erste'}) DETACH DELETE o")
        assert "org-aaa-erste" not in {r["id"] for r in _search(generated, topic=topic, limit=501)}
    finally:
        other.close()


def test_a_row_deleted_after_the_generation_was_read_is_not_answered(
    generated: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write between the generation's GET and the page's read: the composed text answers."""
    search_pages.clear()
    topic = _filters(generated)[1]["topic"]
    monkeypatch.setattr(generated, "generation", lambda: "a generation that stays")
    first = _search(generated, topic=topic, limit=5)
    gone = first[2]["id"]
    props = generated.read(
        "MATCH (o:Organisation {id: $id}) RETURN o.name AS name, o.topics AS topics", {"id": gone}
    )[0]
    generated.write("MATCH (o:Organisation {id: $id}) DETACH DELETE o", {"id": gone})
    try:
        now = _search(generated, topic=topic, limit=5)
        assert gone not in {r["id"] for r in now}
        assert now == _reference(generated, {"topic": topic, "limit": 5})
        assert [r["id"] for r in now[:4]] == [r["id"] for r in first if r["id"] != gone]
    finally:
        generated.upsert_nodes("Organisation", [NodeRow(gone, props)], provenance={"source": "t"})
