"""The grouped overview keeps its groups across writes that cannot change them (a property edit
reads nothing of the whole graph again) and equals a fresh read after every kind of write, for
every role: over real HTTP, with the editors' and the erasure's own routes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from scaleup_graph.graph_model import VERSION
from scaleup_graph.graph_model.roles import LADDER, role_name
from scaleup_graph.ingest import IngestOptions, ingest_path
from scaleup_graph.ingest.generate import generate
from scaleup_graph.queries import edits
from scaleup_graph.queries.privacy import visibility
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import fetch, views
from scaleup_graph.visualisation.aggregate import group_outline, named_by
from scaleup_graph.visualisation.builders import group_name
from scaleup_graph.visualisation.fetch import Subgraph
from scaleup_graph.visualisation.views import OVERVIEW_KEPT_AS, ViewFilter

Keys = dict[str, dict[str, str]]
VIEW = "/api/v1/explorer/view"
#: the keys of the old ladder see three different graphs: no drafts and no KNOWS (viewer),
#: KNOWS (contacts), everything (editor, admin)
KEYS = ("viewer", "contacts", "editor", "admin")
FRESH_OUTLINE = fetch.fetch_outline_arrays


def _answer(http: httpx.Client, keys: Keys, key: str, **params: Any) -> dict[str, Any]:
    answer = http.get(VIEW, params={"lang": "de", **params}, headers=keys[key])
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _groups(answer: dict[str, Any]) -> tuple[dict[str, int], dict[tuple[str, ...], int], int]:
    """What the overview says of the groups: members per group, links between groups, total."""
    assert answer["aggregated"], answer["messages"]
    members = {n["group"]: n["count"] for n in answer["nodes"]}
    links = {tuple(e["id"].split("|")[1:]): e["count"] for e in answer["edges"]}
    return members, links, answer["total"]


def _fresh(store: GraphStore, key: str) -> tuple[dict[str, int], dict[tuple[str, ...], int], int]:
    """The same read freshly from the graph, for the key's role."""
    outline = FRESH_OUTLINE(store, role=role_name(LADDER[key]))
    grouping = group_outline(outline)
    members = {k: len(m) for k, m in grouping.members.items()}
    return members, dict(grouping.links), len(outline.keys)


@pytest.fixture
def outline_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The roles whose whole-graph outline the app read (the app runs in this process)."""
    reads: list[str] = []

    def counted(store: GraphStore, *, role: str, timeout_ms: int | None = None) -> Any:
        reads.append(role)
        return FRESH_OUTLINE(store, role=role, timeout_ms=timeout_ms)

    monkeypatch.setattr(fetch, "fetch_outline_arrays", counted)
    return reads


def _same_as_fresh(http: httpx.Client, keys: Keys, store: GraphStore) -> None:
    """Every key's overview is what a fresh grouping of the graph gives, and so are the
    groups the store keeps for other workers (written again in parts after a patch)."""
    persons = [str(r["n"]) for r in store.read("MATCH (p:Person) RETURN p.name AS n") if r["n"]]
    for key in KEYS:
        answer = _answer(http, keys, key)
        assert _groups(answer) == _fresh(store, key), key
        role = role_name(LADDER[key])
        fresh = group_outline(FRESH_OUTLINE(store, role=role))
        # the groups' names too, as a fresh read names them; persons' names only where the
        # key may see them (never in the overview's group names)
        found = fetch.fetch_nodes(store, named_by(fresh), role=role)
        names = {k: group_name(k, fresh, Subgraph(found, set()), "de") for k in fresh.members}
        assert {n["group"]: n["name"] for n in answer["nodes"]} == names, key
        assert not [p for p in persons if p in json.dumps(answer)], key
        name = f"{OVERVIEW_KEPT_AS}-{visibility(role).tag}"
        kept = store.load_derived_parts(name, store.structure_generation())
        assert kept is not None, key
        shared = views._Overview.from_parts(kept).grouping
        assert list(shared.members.items()) == list(fresh.members.items()), key
        assert shared.links == fresh.links and dict(shared.degree) == dict(fresh.degree), key


def _record(http: httpx.Client, keys: Keys, node_id: str) -> dict[str, Any]:
    found = http.get(f"/api/v1/nodes/{node_id}/record", headers=keys["editor"])
    assert found.status_code == 200, found.text
    return dict(found.json())


def _edit(http: httpx.Client, keys: Keys, label: str, node_id: str, **props: Any) -> None:
    version = _record(http, keys, node_id)["version"]
    edited = http.put(
        f"/api/v1/nodes/{label}/{node_id}",
        json={"version": version, "properties": props},
        headers=keys["editor"],
    )
    assert edited.status_code == 200, edited.text


def _one(store: GraphStore, query: str) -> dict[str, Any]:
    rows = store.read(query)
    assert rows, query
    return rows[0]


def test_the_overview_survives_a_property_edit_and_follows_every_other_write(
    http: httpx.Client, keys: Keys, large: GraphStore, outline_reads: list[str]
) -> None:
    _same_as_fresh(http, keys, large)
    assert len(outline_reads) == 3  # one outline per visibility: editor and admin share one
    org = _one(large, "MATCH (o:Organisation)-[:LOCATED_IN]->(r:Region) RETURN o.id AS id")["id"]

    # a property edit: the groups are kept (no outline read again), the answer is current
    outline_reads.clear()
    _edit(http, keys, "Organisation", org, name="Umbenannt Nordhessen GmbH", city="Fulda")
    _same_as_fresh(http, keys, large)
    assert outline_reads == []
    group = _answer(http, keys, "viewer")
    opened = next(
        g["group"] for g in group["nodes"] if org in _members(http, keys, "viewer", g["group"])
    )
    page = _answer(http, keys, "viewer", group=opened)
    assert any(n["name"] == "Umbenannt Nordhessen GmbH" for n in page["nodes"])

    # a workflow step that changes what a role sees (a challenge out of draft): it says where
    # the structure changed, so the groups are changed there, the outline is not read again
    draft = _one(large, "MATCH (c:Challenge {status: 'draft'}) RETURN c.id AS id")["id"]
    viewer_total = _answer(http, keys, "viewer")["total"]
    published = http.post(
        f"/api/v1/challenges/{draft}/transitions", json={"to": "published"}, headers=keys["editor"]
    )
    assert published.status_code == 200, published.text
    _same_as_fresh(http, keys, large)
    assert _answer(http, keys, "viewer")["total"] == viewer_total + 1
    assert outline_reads == []

    # the editors' writes say at which nodes they change the structure: the kept groups are
    # changed there, the whole graph's outline is not read again (and the answer is as fresh)
    # a new organisation, then its relationship to a region
    created = http.post(
        "/api/v1/nodes/Organisation",
        json={"properties": {"name": "Neu im Überblick GmbH", "country": "DE"}},
        headers=keys["editor"],
    )
    assert created.status_code == 201, created.text
    new_id = created.json()["id"]
    _same_as_fresh(http, keys, large)
    region = _one(large, "MATCH (r:Region)<-[:LOCATED_IN]-() RETURN r.id AS id")["id"]
    linked = http.post(
        "/api/v1/relationships/LOCATED_IN",
        json={"start": new_id, "end": region},
        headers=keys["editor"],
    )
    assert linked.status_code in (200, 201), linked.text
    _same_as_fresh(http, keys, large)
    assert new_id in _members(http, keys, "viewer", f"region:{region}")

    # a deleted node, with its relationships
    gone = _one(
        large,
        "MATCH (o:Organisation)--() WHERE o.id <> $x RETURN o.id AS id LIMIT 1".replace(
            "$x", f"'{org}'"
        ),
    )["id"]
    record = _record(http, keys, gone)
    deleted = http.delete(
        f"/api/v1/nodes/Organisation/{gone}",
        params={"version": record["version"], "confirm": "true"},
        headers=keys["editor"],
    )
    assert deleted.status_code == 200, deleted.text
    _same_as_fresh(http, keys, large)

    # an edit of a challenge's draft flag through the editing API: patched at that node
    draft = _one(large, "MATCH (c:Challenge {status: 'draft'}) RETURN c.id AS id")["id"]
    viewer_total = _answer(http, keys, "viewer")["total"]
    large.update_node(
        "Challenge",
        draft,
        {"status": "published"},
        version=int(_record(http, keys, draft)["version"]),
        now="2026-12-02T00:00:00+00:00",
        history=[{}],
    )
    _same_as_fresh(http, keys, large)
    assert _answer(http, keys, "viewer")["total"] == viewer_total + 1
    assert outline_reads == []


def large_today() -> str:
    """Today's date: the steps before were recorded today, and steps go in order."""
    import datetime as dt

    return dt.date.today().isoformat()


def _ok(answer: httpx.Response) -> dict[str, Any]:
    assert answer.status_code in (200, 201), answer.text
    return dict(answer.json())


def test_workflow_steps_and_ingest_batches_say_where_they_change_the_structure(
    http: httpx.Client,
    keys: Keys,
    large: GraphStore,
    outline_reads: list[str],
    tmp_path: Path,
) -> None:
    """After each workflow step and an ingest run, every role's overview equals a fresh
    grouping, and no outline is read whole again: the groups are changed where the step or
    batch says it changed the structure."""
    _same_as_fresh(http, keys, large)
    outline_reads.clear()
    editor = keys["editor"]
    orgs = [r["id"] for r in large.read("MATCH (o:Organisation) RETURN o.id AS id LIMIT 4")]
    topics = [r["id"] for r in large.read("MATCH (t:Topic) RETURN t.id AS id LIMIT 2")]
    event = _one(large, "MATCH (e:Event) RETURN e.id AS id")["id"]
    steps: list[tuple[str, Any]] = []

    def step(name: str, answer: httpx.Response) -> dict[str, Any]:
        found = _ok(answer)
        _same_as_fresh(http, keys, large)
        assert outline_reads == [], name
        steps.append((name, found))
        return found

    challenge = step(
        "draft a challenge",
        http.post(
            "/api/v1/challenges",
            json={"posed_by": orgs[0], "name": "Überblick im Entwurf", "topics": topics[:1]},
            headers=editor,
        ),
    )["id"]
    step(
        "publish it",
        http.post(
            f"/api/v1/challenges/{challenge}/transitions", json={"to": "published"}, headers=editor
        ),
    )
    step(
        "a proposal",
        http.post(
            f"/api/v1/challenges/{challenge}/proposals",
            json={"organisation": orgs[1], "name": "Ein Vorschlag"},
            headers=editor,
        ),
    )
    step(
        "pitch it",
        http.post(
            f"/api/v1/challenges/{challenge}/transitions",
            json={"to": "pitched", "event": event, "date": large_today()},
            headers=editor,
        ),
    )
    item = step(
        "publish content",
        http.post(
            "/api/v1/content",
            json={"publisher": orgs[2], "kind": "news", "name": "Neu", "topics": topics},
            headers=editor,
        ),
    )["id"]
    step(
        "share it",
        http.post(
            f"/api/v1/content/{item}/shares", json={"by": orgs[2], "with": orgs[:2]}, headers=editor
        ),
    )
    step(
        "subscribe",
        http.put(
            f"/api/v1/organisations/{orgs[3]}/subscriptions",
            json={"topics": topics[1:]},
            headers=editor,
        ),
    )
    # an ingest run of a small population: new and known organisations, persons, links
    population = generate(12, 5, tmp_path / "more")
    manifest = getattr(population, "manifest", population)
    before = _answer(http, keys, "editor")["total"]
    ingest_path(
        large,
        Path(str(manifest)),
        options=IngestOptions(state_dir=tmp_path / "more-state", check_duplicates=False),
    )
    _same_as_fresh(http, keys, large)
    assert outline_reads == []
    assert _answer(http, keys, "editor")["total"] > before


def _members(http: httpx.Client, keys: Keys, key: str, group: str) -> list[str]:
    first = _answer(http, keys, key, group=group)
    found = [n["id"] for n in first["nodes"]]
    for page in range(1, first["pages"]):
        found += [n["id"] for n in _answer(http, keys, key, group=group, page=page)["nodes"]]
    return found


def test_nothing_kept_names_an_erased_person(
    http: httpx.Client, keys: Keys, large: GraphStore, outline_reads: list[str]
) -> None:
    person = _one(
        large,
        "MATCH (p:Person)-[:WORKS_AT]->(:Organisation)-[:LOCATED_IN]->(r:Region) "
        "RETURN p.id AS id, p.name AS name, r.id AS region LIMIT 1",
    )
    group = f"region:{person['region']}"
    earlier = {*views._kept, *views._rendered, *views._indexes}  # other tests' apps
    for key in KEYS:  # every role's overview and the person's group page are kept
        assert group in _groups(_answer(http, keys, key))[0]
        assert person["id"] in _members(http, keys, key, group)
    outline_reads.clear()
    seen = http.get(f"/api/v1/explorer/view?group={group}&lang=de", headers=keys["contacts"])
    assert person["name"] in seen.text  # a contacts key sees the name on the group's page
    assert person["name"] not in _answer(http, keys, "viewer", group=group).__repr__()

    erased = http.delete(f"/api/v1/persons/{person['id']}", headers=keys["admin"])
    assert erased.status_code == 200, erased.text
    # the store keeps no derived picture that names them, before anyone asks again
    generation = large.structure_generation()
    for tag in ("-", "k", "dk"):
        kept = large.load_derived_parts(f"{OVERVIEW_KEPT_AS}-{tag}", generation)
        assert kept is None or not any(person["id"].encode() in v for v in kept.values())
    # the erasure says nothing of where it changed the structure (that would keep the
    # person's id in the journal of described writes): the outline is read whole again
    _same_as_fresh(http, keys, large)
    assert outline_reads
    for key in KEYS:
        answers = [_answer(http, keys, key), _answer(http, keys, key, group=group)]
        assert person["id"] not in _members(http, keys, key, group)
        assert all(person["name"] not in repr(a) for a in answers)
    # nor does what this process keeps in memory for the app's store (the app runs here)
    kept_here = {
        repr(k): repr(v)
        for k, v in [*views._kept.items(), *views._rendered.items(), *views._indexes.items()]
        if k not in earlier
    }
    assert not [
        (k, v[:80]) for k, v in kept_here.items() if person["id"] in v or person["name"] in v
    ]


def test_a_property_edit_in_another_process_keeps_the_groups_too(
    http: httpx.Client, keys: Keys, large: GraphStore, outline_reads: list[str]
) -> None:
    # another worker's store connection edits through the same store API
    _same_as_fresh(http, keys, large)
    region = _one(large, "MATCH (r:Region)<-[:LOCATED_IN]-() RETURN r.id AS id")["id"]
    record = large.node_record(region)
    assert record is not None
    outline_reads.clear()
    edits.update_node(
        large,
        "Region",
        region,
        {"name": "Anderswo umbenannt"},
        edits.Actor("another-worker"),
        version=int(record[1][VERSION]),
        salt="s",
    )
    answer = _answer(http, keys, "viewer")
    assert outline_reads == []
    assert next(g for g in answer["nodes"] if g["group"] == f"region:{region}")["name"] == (
        "Anderswo umbenannt"
    )
    # an ordinary write nobody described (an ingest run, a script) is taken as a change
    large.write("MATCH (o:Organisation) WITH o LIMIT 1 SET o.note = 'x'")
    _same_as_fresh(http, keys, large)
    assert outline_reads


def test_filtered_views_over_http_answer_as_the_whole_graph_filtered(
    http: httpx.Client, keys: Keys, large: GraphStore
) -> None:
    region = _one(large, "MATCH (r:Region)<-[:LOCATED_IN]-() RETURN r.id AS id")["id"]
    topic = _one(large, "MATCH (t:Topic)<--() RETURN t.id AS id")["id"]
    asked: list[tuple[dict[str, str], ViewFilter]] = [
        ({"region": region}, ViewFilter(region=region)),
        (
            {"topic": topic, "labels": "Organisation"},
            ViewFilter(topic=topic, labels=("Organisation",)),
        ),
        ({"labels": "Person,Organisation"}, ViewFilter(labels=("Person", "Organisation"))),
    ]
    grouped = 0
    for key in KEYS:
        role = role_name(LADDER[key])
        whole = fetch.fetch_whole_graph(large, role=role)
        for params, filters in asked:
            before = views._apply_filters(large, whole, None, filters, role, None)
            expected = views.render_view(before, role=role, lang="de")
            answer = _answer(http, keys, key, **params)
            assert answer["total"] == expected["total"] == len(before.nodes), (key, params)
            assert [n["id"] for n in answer["nodes"]] == [n["id"] for n in expected["nodes"]]
            assert answer["nodes"] == expected["nodes"], (key, params)
            assert answer["edges"] == expected["edges"], (key, params)
            if not expected["aggregated"]:
                continue
            grouped += 1
            # an opened group of a large filtered view, page by page, as before too
            biggest = max(expected["nodes"], key=lambda g: g["count"])["group"]
            first = views.render_view(before, role=role, lang="de", group=biggest)
            for page in range(min(first["pages"], 2)):
                expected = views.render_view(before, role=role, lang="de", group=biggest, page=page)
                answer = _answer(http, keys, key, group=biggest, page=page, **params)
                assert answer == expected, (key, params, biggest, page)
    assert grouped >= len(KEYS)  # a large filtered view is grouped for every key
