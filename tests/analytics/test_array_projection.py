"""The array projection and the metrics on it give what networkx gives, on real CORDIS rows.

The reference graph is built independently: every node and relationship read row by row with
plain Cypher into networkx, as the projection did before it streamed arrays. Persons stay out
of every array result, as they stayed out of the networkx one.
"""

from __future__ import annotations

import csv
import gzip
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from scaleup_graph.analytics import ProjectionFilter, project, run_metrics
from scaleup_graph.analytics.centrality import betweenness, closeness, degree, pagerank
from scaleup_graph.analytics.cohesion import k_core
from scaleup_graph.analytics.communities import louvain
from scaleup_graph.analytics.projection import clear_projection_cache
from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES, is_personal
from scaleup_graph.store import GraphStore, NodeRow, open_store

#: rows of h2020.csv.gz kept: about 2,000 organisations and projects, above FAST_ABOVE
ROWS = 1500


@pytest.fixture(scope="module")
def cordis(
    db_dir: Path, shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The first CORDIS participation rows with the real names and NUTS files, loaded once."""
    from scaleup_graph.ingest import IngestOptions, load_cordis

    folder = tmp_path_factory.mktemp("cordis-subset")
    shutil.copytree(shared_data / "nuts-2021", folder / "nuts-2021")
    source, target = shared_data / "cordis-h2020", folder / "cordis-h2020"
    target.mkdir()
    shutil.copy(source / "SOURCE.md", target / "SOURCE.md")
    with gzip.open(source / "h2020.csv.gz", "rt", encoding="utf-8") as fh:
        head = [next(fh) for _ in range(ROWS + 1)]
    with gzip.open(target / "h2020.csv.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(head)
    rows = list(csv.DictReader(head))
    pics, rcns = {r["pic"] for r in rows}, {r["rcn"] for r in rows}
    # the other two files only for these organisations and projects
    with gzip.open(source / "programme_parts.csv.gz", "rt", encoding="utf-8") as fh:
        parts = [line for i, line in enumerate(fh) if i == 0 or line.split(",")[0] in rcns]
    with gzip.open(target / "programme_parts.csv.gz", "wt", encoding="utf-8") as fh:
        fh.writelines(parts)
    with (source / "stacked_dump.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        kept = [r for r in reader if r["orgId"] in pics]
        fields = reader.fieldnames or []
    with (target / "stacked_dump.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, quoting=csv.QUOTE_NONNUMERIC)
        writer.writeheader()
        writer.writerows(kept)
    store = open_store(f"embedded://{db_dir}", graph=f"cordis_{uuid.uuid4().hex[:8]}")
    options = IngestOptions(state_dir=tmp_path_factory.mktemp("state"), check_duplicates=False)
    load_cordis(store, folder, options=options)
    yield store
    store.clear()
    store.close()


def reference(store: GraphStore) -> nx.Graph:
    """Row-by-row networkx build: every node but persons, relationships merged undirected with
    their count as weight, no self-loops."""
    graph = nx.Graph()
    for lab in NODE_TYPES:
        if not is_personal(lab):
            graph.add_nodes_from(
                r["id"] for r in store.read(f"MATCH (n:`{lab}`) RETURN n.id AS id")
            )
    for type_ in REL_TYPES:
        for row in store.read(f"MATCH (a)-[:`{type_}`]->(b) RETURN a.id AS a, b.id AS b"):
            a, b = row["a"], row["b"]
            if a in graph and b in graph and a != b:
                weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
                graph.add_edge(a, b, weight=weight)
    return graph


def test_arrays_hold_the_reference_graph(cordis: GraphStore) -> None:
    clear_projection_cache()
    arrays = project(cordis, networkx=False).arrays
    ref = reference(cordis)
    assert arrays.number_of_nodes() > 1000  # above FAST_ABOVE: the fast paths run
    assert sorted(arrays.nodes) == sorted(ref)
    u, v, w = arrays.edges()
    got = {
        frozenset((arrays.nodes[a], arrays.nodes[b])): weight
        for a, b, weight in zip(u.tolist(), v.tolist(), w.tolist(), strict=True)
    }
    assert got == {frozenset((a, b)): float(d["weight"]) for a, b, d in ref.edges(data=True)}
    # the networkx projection built from the same arrays is the same graph
    undirected = project(cordis).undirected()
    assert sorted(undirected) == sorted(ref)
    assert {frozenset((a, b)): float(d["weight"]) for a, b, d in undirected.edges(data=True)} == got


def test_metrics_on_arrays_equal_networkx(cordis: GraphStore) -> None:
    arrays = project(cordis, networkx=False).arrays
    ref = reference(cordis)

    assert degree(arrays).values == {n: float(d) for n, d in ref.degree()}
    ours = pagerank(arrays)
    expected = nx.pagerank(ref, weight=None)
    assert ours.run.backend == "numpy"
    assert max(abs(ours.values[n] - expected[n]) for n in ref) < 1e-12
    assert k_core(arrays).values == {n: float(c) for n, c in nx.core_number(ref).items()}


@pytest.mark.parametrize("backend", ["auto", "networkit", "igraph"])
def test_louvain_on_arrays_is_as_good_as_networkx(cordis: GraphStore, backend: str) -> None:
    arrays = project(cordis, networkx=False).arrays
    ref = reference(cordis)
    community = louvain(arrays, seed=3, backend=backend)
    assert community.run.backend == ("networkit" if backend == "auto" else backend)
    groups: dict[float, set[str]] = {}
    for node, number in community.values.items():
        groups.setdefault(number, set()).add(node)
    # the modularity we report is networkx's for our partition ...
    q = nx.community.modularity(ref, groups.values(), weight="weight")
    assert abs(community.extra["modularity"] - q) < 1e-6
    # ... and as good as networkx's own Louvain finds
    theirs = nx.community.louvain_communities(ref, weight="weight", seed=3)
    assert q > nx.community.modularity(ref, theirs, weight="weight") - 0.02
    sizes = [len(groups[float(i)]) for i in range(len(groups))]
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[:20] == community.extra["sizes"]


def test_betweenness_and_closeness_on_arrays_equal_networkx(cordis: GraphStore) -> None:
    projects = [r["id"] for r in cordis.read("MATCH (p:Project) RETURN p.id AS id LIMIT 40")]
    flt = ProjectionFilter(projects=tuple(projects))
    arrays = project(cordis, flt, networkx=False).arrays
    graph = project(cordis, flt).undirected()
    assert arrays.number_of_edges() == graph.number_of_edges() > 100
    ours = betweenness(arrays).values
    expected = nx.betweenness_centrality(graph)
    assert max(abs(ours[n] - b) for n, b in expected.items()) < 1e-9
    ours = closeness(arrays).values
    expected = nx.closeness_centrality(graph)
    assert max(abs(ours[n] - c) for n, c in expected.items()) < 1e-9


def test_run_metrics_on_arrays_ranks_and_names_as_the_networkx_path(cordis: GraphStore) -> None:
    clear_projection_cache()
    fast = run_metrics(cordis, ["degree", "pagerank", "community"])
    assert fast.projection["nodes"] > 1000
    slow = run_metrics(cordis, ["degree", "pagerank", "community"], projection=project(cordis))
    del fast.projection["seconds"], slow.projection["seconds"]
    assert fast.projection == slow.projection
    for a, b in zip(fast.results, slow.results, strict=True):
        assert a.values.keys() == b.values.keys()
        assert fast.ranked(a, 20) == slow.ranked(b, 20)
        assert all(row["name"] for row in fast.ranked(a, 20))


@pytest.fixture
def with_person(small: GraphStore) -> GraphStore:
    """The small network plus a second person with a name, e-mail and phone."""
    small.upsert_nodes(
        "Person",
        [NodeRow("person-2", {"name": "Max Mustermann", "email": "max@example.org"})],
        provenance={"source": "analytics-test"},
    )
    return small


def test_persons_stay_out_of_array_results(with_person: GraphStore) -> None:
    clear_projection_cache()
    run = run_metrics(with_person, ["degree", "pagerank", "community"])
    for result in run.results:
        assert not any(node.startswith("person-") for node in result.values)
    # with persons asked for, they are there by id only: no name is ever read for them
    sent: list[str] = []
    for name in ("read", "read_keyed_ids", "read_int_lists"):
        method = getattr(with_person, name)

        def recording(query: str, *args: Any, _method: Any = method, **kwargs: Any) -> Any:
            sent.append(query)
            return _method(query, *args, **kwargs)

        setattr(with_person, name, recording)
    flt = ProjectionFilter(include_persons=True)
    run = run_metrics(with_person, ["degree", "pagerank"], flt=flt, named=100)
    assert {"person-1", "person-2"} <= set(run.results[0].values)
    shown = repr(run.as_dict(top=100))
    assert "person-1" in shown
    assert "Erika" not in shown and "Max Mustermann" not in shown and "example.org" not in shown
    person_queries = [q for q in sent if "Person" in q]
    assert person_queries  # persons were projected ...
    assert not any(f in q for q in person_queries for f in ("name", "email", "phone", "n {"))


def test_a_cached_array_projection_gains_its_networkx_graph(small: GraphStore) -> None:
    clear_projection_cache()
    arrays_only = project(small, networkx=False)
    assert not arrays_only.has_graph
    full = project(small)
    assert full is arrays_only and full.has_graph
    assert full.graph.nodes["org-sme-a"]["name"] == "Alpha GmbH"
    assert project(small, networkx=False) is full


def test_keys_with_a_comma_come_back_whole(store: GraphStore) -> None:
    """The engine's text of a key list cannot be split on ", " when a key holds one: the typed
    reply is used instead, and keys stay aligned with the engine's ids."""
    store.write(
        "CREATE (:Topic {id: 'topic-a, b', name: 'A'}), (:Topic {id: 'topic-c', name: 'C'})"
    )
    nodes, keys = store.read_keyed_ids(
        "MATCH (n:Topic) RETURN collect(id(n)) AS node, collect(n.id) AS key"
    )
    assert sorted(keys) == ["topic-a, b", "topic-c"] and len(nodes) == 2
    back = {r["k"]: r["i"] for r in store.read("MATCH (n:Topic) RETURN id(n) AS i, n.id AS k")}
    assert dict(zip(keys, nodes.tolist(), strict=True)) == back
    lists = store.read_int_lists(
        "MATCH (n:Topic) RETURN collect(id(n)) AS a, collect(size(n.id)) AS b"
    )
    assert sorted(lists["a"].tolist()) == sorted(back.values())
    assert sorted(lists["b"].tolist()) == [7, 10]


def test_metrics_on_arrays_are_written_back(small: GraphStore) -> None:
    clear_projection_cache()
    run = run_metrics(small, ["pagerank", "community"], write=True)
    assert run.written["pagerank"] == run.projection["nodes"]
    stored = {
        r["id"]: r["v"]
        for r in small.read(
            "MATCH (n) WHERE n.metric_pagerank IS NOT NULL "
            "RETURN n.id AS id, n.metric_pagerank AS v"
        )
    }
    values = run.results[0].values
    assert stored.keys() == set(values)
    assert all(abs(stored[n] - values[n]) < 1e-12 for n in stored)  # the engine keeps 15 digits
    assert "person-1" not in stored
