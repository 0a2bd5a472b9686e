"""``challenges`` and ``content_feed`` rank and cut to the page before they read the page's
posers, publishers, topics and proposals, and FalkorDB finds a topic's rows through the index
of listed topics and the topic's links: the same rows in the same order as the texts before
(every match projected first, every ``topics`` list folded row by row), for every combination
of topic (name, id, another spelling, unknown), status or kind, chosen ids and page, on the
demo network and on generated data, with both the default text (Neo4j's) and FalkorDB's."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.queries.catalogue import CYPHER_DIR, NamedQuery, catalogue, parse_query_file
from scaleup_graph.store import GraphStore, open_store
from tests.support.graphs import ingest_generated

#: the bodies of the two files before (every match projected, then sorted and cut)
BEFORE = {
    "challenges": """MATCH (c:Challenge)
WHERE ($status = '' OR coalesce(c.status, 'published') = $status)
WITH c, CASE WHEN $topic = '' THEN [] ELSE [(c)-[:CONCERNS]->(x:Topic) | x] END AS concerns
WHERE ($topic = ''
       OR any(t IN coalesce(c.topics, []) WHERE {{fold t}} = $topic)
       OR any(x IN concerns WHERE x.id = $topic OR x.name_fold = $topic))
RETURN c AS challenge,
       [(o:Organisation)-[:POSES]->(c) | {id: o.id, name: o.name}] AS posed_by,
       [(c)-[:CONCERNS]->(t:Topic) | {id: t.id, name: t.name}] AS topics,
       size([(p:Proposal)-[:ADDRESSES]->(c) | p]) AS proposals
ORDER BY c.name, c.id
SKIP $skip LIMIT $limit
""",
    "content_feed": """MATCH (c:ContentItem)
WHERE ($kind = '' OR c.kind = $kind) AND (size($ids) = 0 OR c.id IN $ids)
WITH c, CASE WHEN $topic = '' THEN [] ELSE [(c)-[:ABOUT]->(x:Topic) | x] END AS about
WHERE ($topic = ''
       OR any(t IN coalesce(c.topics, []) WHERE {{fold t}} = $topic)
       OR any(x IN about WHERE x.id = $topic OR x.name_fold = $topic))
RETURN c AS item,
       [(o:Organisation)-[:PUBLISHES]->(c) | {id: o.id, name: o.name}] AS published_by,
       [(c)-[:ABOUT]->(t:Topic) | {id: t.id, name: t.name}] AS topics
ORDER BY coalesce(c.published_at, '') DESC, c.id
SKIP $skip LIMIT $limit
""",
}
PAGES = ((0, 5), (3, 4), (0, 501), (40, 10))


@pytest.fixture(scope="module")
def before(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NamedQuery]:
    """The two queries with their bodies before, under today's headers."""
    folder = tmp_path_factory.mktemp("before")
    out = {}
    for name, body in BEFORE.items():
        lines = (CYPHER_DIR / f"{name}.cypher").read_text().splitlines()
        header = [
            line
            for line in itertools.takewhile(lambda line: line.startswith("//"), lines)
            if line.startswith(("// summary:", "// role:", "// param ", "// columns:"))
        ]
        (folder / f"{name}.cypher").write_text("\n".join(header) + "\n" + body)
        out[name] = parse_query_file(folder / f"{name}.cypher")
    return out


@pytest.fixture(scope="module")
def generated(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """400 generated organisations with their challenges, proposals and content items."""
    store = open_store(f"embedded://{db_dir}", graph="feeds_cut_first")
    ingest_generated(store, 400, 3, tmp_path_factory.mktemp("generated"))
    # some rows linked to their topics but listing none: found through the links by name too
    for label in ("Challenge", "ContentItem"):
        store.write(
            f"MATCH (c:{label}) WITH c ORDER BY c.id LIMIT 10 SET c.topics = [], c.topics_fold = []"
        )
    yield store
    store.clear()
    store.close()


def _params(store: GraphStore, name: str) -> list[dict[str, Any]]:
    label, link = ("Challenge", "CONCERNS") if name == "challenges" else ("ContentItem", "ABOUT")
    listed = store.read(f"MATCH (c:{label}) UNWIND coalesce(c.topics, []) AS t RETURN DISTINCT t")
    linked = store.read(f"MATCH (:{label})-[:{link}]->(t:Topic) RETURN DISTINCT t.id AS id")
    names = sorted(str(r["t"]) for r in listed)[:4]
    topics = ["", *names, *(n.upper() for n in names[:2]), *sorted(r["id"] for r in linked)[:3]]
    topics += ["ae oe ue", "no such topic"]
    if name == "challenges":
        rows = store.read("MATCH (c:Challenge) RETURN DISTINCT c.status AS s")
        others = [{"status": s} for s in ["", *sorted(str(r["s"]) for r in rows if r["s"])]]
    else:
        rows = store.read("MATCH (c:ContentItem) RETURN c.kind AS k, c.id AS id ORDER BY id")
        kinds = sorted({str(r["k"]) for r in rows if r["k"]})
        chosen = [str(r["id"]) for r in rows[::3]]
        others = [{"kind": k} for k in ["", *kinds]] + [{"ids": chosen}]
    return [{"topic": t, **o} for t in topics for o in others]


def _same_as_before(store: GraphStore, before: dict[str, NamedQuery]) -> int:
    compared = 0
    for name, old in before.items():
        now = catalogue()[name]
        for params in _params(store, name):
            for skip, limit in PAGES:
                bound = now.bind({**params, "skip": skip, "limit": limit}, dialect="falkordb")
                expected = store.read(old.text("falkordb", bound), bound)
                for text in (now.text("falkordb", bound), now.file_text("", bound)):
                    assert store.read(text, bound) == expected, (name, params, skip, limit)
                compared += len(expected)
    return compared


def test_the_feeds_answer_as_before_on_the_demo(
    seeded_store: GraphStore, before: dict[str, NamedQuery]
) -> None:
    assert _same_as_before(seeded_store, before) > 20


def test_the_feeds_answer_as_before_on_generated_data(
    generated: GraphStore, before: dict[str, NamedQuery]
) -> None:
    assert _same_as_before(generated, before) > 500


def test_falkordb_finds_a_topics_rows_through_the_index(generated: GraphStore) -> None:
    """The topic's rows come from the index of listed topics, not a scan of the label."""
    for name, label in (("challenges", "Challenge"), ("content_feed", "ContentItem")):
        query = catalogue()[name]
        bound = query.bind({"topic": "x", "limit": 5}, dialect="falkordb")
        plan = generated.explain(query.text("falkordb", bound), bound)  # type: ignore[attr-defined]
        assert any(f"Node By Index Scan | (c:{label})" in line for line in plan), plan
