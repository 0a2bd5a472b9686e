"""``search_organisations`` composed from the filters given answers exactly what the catalogue
file's one text answered: the same rows in the same order, for every combination of name text,
topic, region and kind, and for pages, on generated data."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.graph_model import fold
from scaleup_graph.queries import daily
from scaleup_graph.queries.catalogue import catalogue
from scaleup_graph.queries.search import words
from scaleup_graph.store import GraphStore, NodeRow, RelRow, open_store
from tests.support.graphs import ingest_generated

QUERY = catalogue()["search_organisations"]


@pytest.fixture(scope="module")
def generated(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """400 generated organisations: names with umlauts, topics listed and linked, regions."""
    store = open_store(f"embedded://{db_dir}", graph="search_composed")
    ingest_generated(store, 400, 5, tmp_path_factory.mktemp("generated"))
    # one organisation without NUTS code, country or listed topics: found by its links only
    org = "org-links-only-gmbh"
    prov = {"source": "test"}
    store.upsert_nodes("Organisation", [NodeRow(org, {"name": "Links Only GmbH"})], provenance=prov)
    region = store.read("MATCH (r:Region) RETURN r.id AS id ORDER BY id LIMIT 1")[0]["id"]
    topic = store.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY id LIMIT 1")[0]["id"]
    store.upsert_relationships(
        "LOCATED_IN", "Organisation", "Region", [RelRow(org, region)], provenance=prov
    )
    store.upsert_relationships(
        "HAS_COMPETENCE", "Organisation", "Topic", [RelRow(org, topic)], provenance=prov
    )
    yield store
    store.clear()
    store.close()


def _values(store: GraphStore) -> dict[str, list[str]]:
    """Filter values taken from the data: common and rare ones, other spellings, unknowns."""
    orgs = store.read(
        "MATCH (o:Organisation) RETURN o.name AS name, o.nuts_code AS nuts, "
        "o.country AS country, o.kinds AS kinds"
    )
    common = Counter(w for o in orgs for w in set(words(fold(str(o["name"])))) if len(w) >= 4)
    name_words = [w for w, _ in common.most_common()]
    umlaut = next(w for o in orgs for w in str(o["name"]).split() if any(c in w for c in "äöü"))
    topics = store.read(
        "MATCH (t:Topic)<-[:HAS_COMPETENCE]-(o:Organisation) "
        "RETURN t.id AS id, t.name AS name, count(o) AS n ORDER BY n DESC, id"
    )
    listed = Counter(
        t
        for row in store.read("MATCH (o:Organisation) RETURN o.topics AS t")
        for t in row["t"] or []
    )
    nuts = Counter(str(o["nuts"])[:4] for o in orgs if o["nuts"])
    regions = store.read(
        "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) "
        "RETURN r.id AS id, count(o) AS n ORDER BY n DESC, id"
    )
    countries = Counter(o["country"] for o in orgs if o["country"])
    kinds = Counter(k for o in orgs for k in o["kinds"] or [])
    return {
        "q": [
            "",
            name_words[0],  # in many names: the page is a small part of the matches
            name_words[len(name_words) // 2],
            umlaut.replace("ü", "ue").replace("ö", "o").replace("ä", "ae"),  # another spelling
            name_words[0][:-1] + "x" if len(name_words[0]) >= 5 else "kasel",  # a typo
            "-",  # no letters: compared as it is, without the index
            "zzqqy",
        ],
        "topic": [
            "",
            topics[0]["name"],
            topics[-1]["id"],
            store.read("MATCH (t:Topic) RETURN t.id AS id ORDER BY id LIMIT 1")[0]["id"],
            listed.most_common(1)[0][0].upper(),
            "no such topic",
        ],
        "region": [
            "",
            countries.most_common(1)[0][0],
            nuts.most_common(1)[0][0],
            regions[0]["id"],
            regions[-1]["id"],
            store.read("MATCH (r:Region) RETURN r.id AS id ORDER BY id LIMIT 1")[0]["id"],
        ],
        "kind": ["", *(k for k, _ in kinds.most_common(2))],
    }


def _both(store: GraphStore, params: dict[str, Any]) -> tuple[list[dict], list[dict]]:
    bound = QUERY.bind(params, dialect=store.dialect)
    composed = store.read(QUERY.text(store.dialect, bound), bound)
    reference = store.read(QUERY.file_text(store.dialect, bound), bound)
    return composed, reference


def test_every_filter_combination_gives_the_file_texts_rows(generated: GraphStore) -> None:
    values = _values(generated)
    sizes = []
    for q, topic, region, kind in itertools.product(*values.values()):
        params = {"q": q, "topic": topic, "region": region, "kind": kind, "limit": 501}
        composed, reference = _both(generated, params)
        assert composed == reference, params
        sizes.append(len(reference))
        if kind == "" and len(reference) > 5:  # pages: cut where the full ranking says
            for skip, limit in ((0, 5), (3, 4), (len(reference) - 2, 5)):
                page = {**params, "skip": skip, "limit": limit}
                composed, reference_page = _both(generated, page)
                assert composed == reference_page == reference[skip : skip + limit], page
    # the comparison saw real answers: empty ones, small ones, and many rows to rank
    assert len(sizes) - sizes.count(0) >= 100, sizes
    # the organisation known only by its links was among the answers
    found = _both(generated, {"q": "links only", "region": values["region"][-1]})[0]
    assert [r["id"] for r in found] == ["org-links-only-gmbh"]
    assert max(sizes) >= 300 and sum(1 for n in sizes if 1 <= n <= 20) >= 20


def test_the_composed_text_holds_only_the_filters_given() -> None:
    def text(**params: Any) -> str:
        bound = QUERY.bind(params)
        return QUERY.text("falkordb", bound)

    plain = text(q="kassel")
    assert "LOCATED_IN" not in plain and "HAS_COMPETENCE" not in plain and "$kind" not in plain
    assert "LOCATED_IN" in text(q="kassel", region="DE73")
    assert "HAS_COMPETENCE" in text(q="kassel", topic="Energie")
    # the values stay parameters, whatever they hold
    hostile = "' OR 1=1 //"
    assert hostile not in text(q=hostile, topic=hostile, region="x' RETURN 1 //")
    # the page is cut before the columns are read
    assert plain.index("LIMIT $limit") < plain.index("RETURN")
    # Neo4j keeps its variant file
    bound = QUERY.bind({"q": "kassel"}, dialect="neo4j")
    assert QUERY.text("neo4j", bound) == QUERY.file_text("neo4j", bound)


def test_the_api_search_uses_the_composed_text(generated: GraphStore) -> None:
    rows = daily.search_organisations(generated, "viewer", region="DE", limit=3).rows
    _, reference = _both(generated, {"region": "DE", "limit": 3})
    assert rows == reference and len(rows) == 3
