"""A search without name text is answered from ids kept per graph generation
(:mod:`scaleup_graph.queries.search_pages`): the same rows in the same order as the composed
text for every filter, page and role, and any write (of this process or another) shows at the
next page."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.graph_model import fold
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


def _written_elsewhere(db_dir: Path, *writes: tuple[str, dict[str, Any]]) -> None:
    """``writes`` made by another process (a Python started for them) on the same database."""
    code = (
        "import json, sys\n"
        "from scaleup_graph.store import open_store\n"
        "store = open_store(sys.argv[1], graph=sys.argv[2])\n"
        "try:\n"
        "    for text, params in json.loads(sys.argv[3]):\n"
        "        store.write(text, params)\n"
        "finally:\n"
        "    store.close()\n"
    )
    url = f"embedded://{db_dir}"
    done = subprocess.run(
        [sys.executable, "-c", code, url, GRAPH, json.dumps(writes)], capture_output=True
    )
    assert done.returncode == 0, done.stderr.decode()


def test_after_writes_elsewhere_the_rows_up_to_the_last_name_are_the_first_rows(
    generated: GraphStore, db_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a write the ids are read again, ranked only up to the last name the listing
    before held: for every filter, page and role the composed text's rows, after another
    process renamed rows out of and into the first ones, deleted some, added one, and gave
    names that are not texts (a list ranks before every text, a number or none after)."""
    search_pages.clear()
    monkeypatch.setattr(search_pages, "FIRST_ROWS", 8)
    monkeypatch.setattr(search_pages, "MOST_ROWS", 64)
    filters = _filters(generated)
    pages = [(0, 20), (3, 4), (20, 20), (0, 5), (60, 10)]
    spy = _Spy(generated)

    def same_everywhere() -> None:
        for f in filters:
            for role in ROLES:
                for skip, limit in pages:
                    params = {**f, "skip": skip, "limit": limit}
                    assert _search(spy, role, **params) == _reference(generated, params), (
                        role,
                        params,
                    )
            # and every id kept for the filters, not only those of the pages asked for
            bound = QUERY.bind(f, dialect=generated.dialect)
            for key, (ids, _) in list(search_pages._kept.items()):
                if key == search_pages._kept_key(bound, generated.generation()):
                    rows = _reference(generated, {**f, "limit": max(len(ids), 1)})
                    assert list(ids) == [r["id"] for r in rows][: len(ids)], f

    same_everywhere()  # each filter's first listing: every row ranked
    assert not any("$up_to" in text for text in spy.sent)
    first = [r["id"] for r in _reference(generated, {**filters[4], "limit": 3})]  # a region's
    in_topic = [r["id"] for r in _reference(generated, {**filters[1], "limit": 4})]
    late = _reference(generated, {"skip": 200, "limit": 1})[0]["id"]
    saved = generated.read(
        "MATCH (o:Organisation) WHERE o.id IN $ids RETURN o.id AS id, properties(o) AS p",
        {"ids": [*first, *in_topic, late]},
    )
    region = filters[4]["region"]
    steps: list[tuple[tuple[str, dict[str, Any]], ...]] = [
        # the first row renamed to the end, a late one renamed to the front
        (
            ("MATCH (o:Organisation {id: $id}) SET o.name = 'zzz Ende'", {"id": first[0]}),
            ("MATCH (o:Organisation {id: $id}) SET o.name = '0 Anfang'", {"id": late}),
        ),
        # rows of the topic's first ones deleted: fewer up to the last name
        (("MATCH (o:Organisation) WHERE o.id IN $ids DETACH DELETE o", {"ids": in_topic[:3]}),),
        # a new first row in every filter
        (
            (
                "CREATE (:Organisation {id: 'org-000-neu', name: '000 Neu', kinds: ['SME'],"
                " nuts_code: $nuts, country: 'DE', topics: [$topic], topics_fold: [$folded]})",
                {
                    "nuts": region + "1",
                    "topic": filters[1]["topic"],
                    "folded": fold(filters[1]["topic"]),
                },
            ),
        ),
        # names that are not texts: a list, a number, none
        (
            ("MATCH (o:Organisation {id: $id}) SET o.name = ['Liste']", {"id": first[1]}),
            ("MATCH (o:Organisation {id: $id}) SET o.name = 42", {"id": first[2]}),
            ("MATCH (o:Organisation {id: 'org-000-neu'}) REMOVE o.name", {}),
        ),
    ]
    try:
        for step in steps:
            _written_elsewhere(db_dir, *step)
            spy.sent.clear()
            same_everywhere()
            # a region's and a kind's rows ranked only up to a name; no filter, a topic alone:
            # every row
            bounded = [t for t in spy.sent if "$up_to" in t]
            assert bounded and all("kind" in t or "region" in t for t in bounded)
    finally:
        generated.write("MATCH (o:Organisation {id: 'org-000-neu'}) DETACH DELETE o")
        for row in saved:
            generated.write(
                "MERGE (o:Organisation {id: $id}) SET o = $p", {"id": row["id"], "p": row["p"]}
            )
