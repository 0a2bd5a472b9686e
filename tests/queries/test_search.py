"""Indexed search: finds what the scan found, forgives umlaut spellings, ranks the name first,
and every search example of README.md and docs/explorer.md finds something on the demo data."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from scaleup_graph.graph_model import fold, search_fold
from scaleup_graph.queries import daily
from scaleup_graph.queries.search import find_nodes
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import search as explorer_search
from tests.support.graphs import ingest_generated

REPO = Path(__file__).resolve().parents[2]


def _names(rows: list[dict]) -> list[str]:
    return [str(r["name"]) for r in rows]


def _org_search(store: GraphStore, q: str, limit: int = 500) -> list[dict]:
    return daily.search_organisations(store, "viewer", q=q, limit=limit).rows


@pytest.fixture(scope="module")
def generated(db_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    """300 generated organisations (the generator's names carry umlauts: Hün..., Fördertechnik)."""
    from scaleup_graph.store import open_store

    store = open_store(f"embedded://{db_dir}", graph="search_generated")
    yield ingest_generated(store, 300, 11, tmp_path_factory.mktemp("generated"))
    store.clear()
    store.close()


def _scan(store: GraphStore) -> list[tuple[str, str, str]]:
    rows = store.read("MATCH (o:Organisation) RETURN o.id AS id, o.name AS name, o.short_name AS s")
    return [(r["id"], str(r["name"]), str(r["s"] or "")) for r in rows]


def _queries(names: list[str]) -> list[str]:
    """What people type: whole words, beginnings of words, two words, umlauts spelt three ways."""
    out: set[str] = set()
    for name in names[:60]:
        # one or two letters find names with a word that starts with them, not any name that
        # holds them somewhere: the scan's answer there was nearly every name
        words = [w for w in re.findall(r"[^\W_]+", name) if len(w) >= 3]
        for word in words:
            out.add(word)
            if len(word) > 4:
                out.add(word[:4])
        if len(words) >= 2:
            out.add(" ".join(words[:2]))
    umlauts = {q for q in out if any(c in q for c in "äöüÄÖÜß")}
    for q in umlauts:
        out.add(q.replace("ü", "u").replace("ö", "o").replace("ä", "a"))
        out.add(q.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae"))
    return sorted(out)


def test_indexed_search_finds_what_the_scan_found(generated: GraphStore) -> None:
    scan = _scan(generated)
    queries = _queries([name for _, name, _ in scan])
    assert any("ö" in q or "ü" in q for q in queries)  # the umlaut cases are really there
    for q in queries:
        needle, loose = fold(q), search_fold(q)
        # the old scan: the folded name contains the folded text ("für" = "fuer")
        by_scan = {i for i, name, short in scan if needle in fold(name) or needle in fold(short)}
        # the forgiving scan: any umlaut spelling ("fur" = "fuer" = "für")
        by_loose = {i for i, name, short in scan if loose in search_fold(f"{name} {short}")}
        rows = _org_search(generated, q)
        found = [r["id"] for r in rows]
        assert by_scan <= set(found), q
        assert by_loose <= set(found), q
        # what the scan found comes before anything found only as a similar spelling
        first_other = next((k for k, i in enumerate(found) if i not in by_loose), len(found))
        assert set(found[:first_other]) >= by_loose, q


def test_umlauts_are_folded_both_ways(generated: GraphStore) -> None:
    names = [name for _, name, _ in _scan(generated) if "Fördertechnik" in name]
    assert names, "the generator names machine builders ...Fördertechnik"
    for spelling in ("Fördertechnik", "Foerdertechnik", "fordertechnik", "FOERDERTECHNIK"):
        assert set(_names(_org_search(generated, spelling))) >= set(names), spelling


def test_exact_and_prefix_hits_come_first_and_typos_are_forgiven(seeded_store: GraphStore) -> None:
    rows = _org_search(seeded_store, "IHK Kassel-Marburg")
    assert rows[0]["name"] == "IHK Kassel-Marburg" and rows[0]["match"] == "exact"
    rows = _org_search(seeded_store, "mowin")
    assert rows[0]["name"] == "MoWiN.net e.V." and rows[0]["match"] == "prefix"
    rows = _org_search(seeded_store, "kassel")
    matches = [r["match"] for r in rows]
    assert matches == sorted(matches, key=["exact", "prefix", "word", "contains", "similar"].index)
    assert "word" in matches and "IHK Kassel-Marburg" in _names(rows)
    # one letter wrong in a longer word
    assert "Science Park Kassel" in _names(_org_search(seeded_store, "Sciense Park"))
    assert _names(_org_search(seeded_store, "kasel"))  # Kassel, one s short


def test_partner_regions_by_german_english_and_own_names(seeded_store: GraphStore) -> None:
    for text, code in [
        ("Attika", "EL30"),
        ("Attica", "EL30"),
        ("Αττική", "EL30"),
        ("Lubelskie", "PL81"),
        ("Lublin", "PL81"),
        ("Latium", "ITI4"),
        ("Murcia", "ES62"),
    ]:
        hits = find_nodes(seeded_store, text, labels=("Region",), limit=10)
        assert f"region-{code.lower()}" in [h["id"] for h in hits], text


def test_search_text_never_holds_personal_names(seeded_store: GraphStore) -> None:
    rows = seeded_store.read(
        "MATCH (p:Person) WHERE p.search_text IS NOT NULL RETURN count(p) AS n"
    )
    assert rows[0]["n"] == 0
    with pytest.raises(ValueError):
        find_nodes(seeded_store, "anna", labels=("Person",))


def test_a_graph_without_search_text_gets_it_when_opened(seeded_store: GraphStore) -> None:
    seeded_store.write("MATCH (o:Organisation) REMOVE o.search_text")
    assert not _org_search(seeded_store, "Science Park")
    seeded_store.setup_schema()
    assert "Science Park Kassel" in _names(_org_search(seeded_store, "Science Park"))


def _by_topic_scan(store: GraphStore, topic: str, **filters: str) -> list[str]:
    """The old topic filter, by reading every organisation: a listed topic or a competence."""
    rows = daily.search_organisations(store, "viewer", limit=501, **filters).rows
    needle = fold(topic)
    competent = {
        r["id"]
        for r in store.read(
            "MATCH (o:Organisation)-[:HAS_COMPETENCE]->(t:Topic) "
            "RETURN o.id AS id, t.id AS tid, t.name AS name"
        )
        if r["tid"] == needle or fold(str(r["name"])) == needle
    }
    listed = {r["id"] for r in rows if any(fold(t) == needle for t in r["topics"] or [])}
    return sorted(r["id"] for r in rows if r["id"] in competent | listed)


def test_a_topic_alone_finds_what_the_scan_found(generated: GraphStore) -> None:
    topics = generated.read("MATCH (t:Topic) RETURN t.id AS id, t.name AS name ORDER BY id")
    listed = generated.read("MATCH (o:Organisation) RETURN o.topics AS topics LIMIT 50")
    spellings = {str(t) for row in listed for t in row["topics"] or []}
    cases = [*(t["id"] for t in topics), *(t["name"] for t in topics), *sorted(spellings)]
    cases += [c.upper() for c in cases[:5]] + ["no such topic"]
    for topic in cases:
        found = daily.search_organisations(generated, "viewer", topic=topic, limit=501).rows
        assert sorted(r["id"] for r in found) == _by_topic_scan(generated, topic), topic
        with_kind = daily.search_organisations(
            generated, "viewer", topic=topic, kind="SME", limit=501
        ).rows
        assert {r["id"] for r in with_kind} <= {r["id"] for r in found}, topic
    assert any(len(_by_topic_scan(generated, t)) > 5 for t in cases)  # real answers compared


def test_a_listed_topic_without_a_link_is_found_by_its_folded_spelling(
    seeded_store: GraphStore,
) -> None:
    from scaleup_graph.store import NodeRow

    seeded_store.upsert_nodes(
        "Organisation",
        [NodeRow("org-listed-only", {"name": "Listed Only GmbH", "topics": ["Künstliche Kälte"]})],
        provenance={"source": "test"},
    )
    for spelling in ("Künstliche Kälte", "kuenstliche kaelte", "KÜNSTLICHE KÄLTE"):
        rows = daily.search_organisations(seeded_store, "viewer", topic=spelling).rows
        assert [r["id"] for r in rows] == ["org-listed-only"], spelling
    # a graph written before topics_fold existed gets it when opened
    seeded_store.write("MATCH (o:Organisation) REMOVE o.topics_fold")
    assert not daily.search_organisations(seeded_store, "viewer", topic="Künstliche Kälte").rows
    seeded_store.setup_schema()
    rows = daily.search_organisations(seeded_store, "viewer", topic="Künstliche Kälte").rows
    assert [r["id"] for r in rows] == ["org-listed-only"]
    seeded_store.write("MATCH (o:Organisation {id: 'org-listed-only'}) DETACH DELETE o")


def _documented_searches() -> list[str]:
    """Search texts shown in README.md and docs/explorer.md (URLs, JSON and prose examples)."""
    found: list[str] = []
    for doc in (REPO / "README.md", REPO / "docs" / "explorer.md"):
        text = doc.read_text(encoding="utf-8")
        found += [m.replace("%20", " ") for m in re.findall(r"[?&]q=([^&'\"\s)]+)", text)]
        found += re.findall(r'"q":\s*"([^"]+)"', text)
        for prose in re.findall(
            r"(?:search box|\*\*Search\*\*)[^(]*\(([^)]*)\)", text, flags=re.DOTALL
        ):
            found += re.findall(r'"([^"]+)"', prose)
    return sorted(set(found))


def test_docs_show_search_examples() -> None:
    assert {"Foerdertechnik", "fur wirtschaft"} <= set(_documented_searches())


@pytest.mark.parametrize("text", _documented_searches())
def test_every_documented_search_finds_something_on_the_demo_data(
    seeded_store: GraphStore, text: str
) -> None:
    assert _org_search(seeded_store, text), f"API search for {text!r} found nothing"
    page = explorer_search(seeded_store, text, role="viewer")
    assert page, f"explorer search for {text!r} found nothing"
