"""No answer carries the search keys the store derives (``name_fold``, ``search_text``, ...).

They are the engine's lookups (schema: ``Property.derived``), not data: before they were
stripped, a 2-hop neighbourhood spent about a fifth of its bytes on them. Every GET of the
route table (one id per label for the routes that take a node), every named query, ad-hoc
nodes and paths, a create and an edit go over real HTTP to the real app on the seed network
with a key holding every capability; the graph exports and the explorer's HTML file are read
as written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from scaleup_graph.analytics.exports import FORMATS, export_graph
from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.graph_model import KEY, NODE_TYPES
from scaleup_graph.graph_model.schema import DERIVED_FIELDS
from scaleup_graph.queries import catalogue
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation.export import write_export
from tests.support.live_server import serve

ALL = "contacts+analyst+editor+admin"
ORG = "org-ihk-kassel-marburg"

#: Query parameters by name, where a route needs one to answer with data.
QUERY = {
    "q": "kassel",
    "id": ORG,
    "org": ORG,
    "organisation": ORG,
    "focus": ORG,
    "hops": "2",
    "source": ORG,
    "target": "org-regionalmanagement-nordhessen-gmbh",
    "purpose": "newsletter",
    "name": "degree",
}

#: Parameters of the named queries (typed JSON).
NAMED: dict[str, Any] = {**QUERY, "hops": 2}

#: Path parameter -> the label whose node it names (node_id: one of every label).
PATH_LABEL = {
    "org_id": "Organisation",
    "challenge_id": "Challenge",
    "content_id": "ContentItem",
    "event_id": "Event",
    "practice_id": "BestPractice",
    "person_id": "Person",
}


def derived_in(value: Any) -> set[str]:
    """Derived property names used as keys anywhere in a JSON value."""
    if isinstance(value, dict):
        found = {k for k in value if k in DERIVED_FIELDS}
        for v in value.values():
            found |= derived_in(v)
        return found
    if isinstance(value, list):
        return set().union(*(derived_in(v) for v in value)) if value else set()
    return set()


def derived_named(text: str) -> set[str]:
    """Derived property names anywhere in a text (HTML, CSV, GraphML, GEXF)."""
    return {name for name in DERIVED_FIELDS if name in text}


def one_id_per_label(store: GraphStore) -> dict[str, str]:
    out = {}
    for label in NODE_TYPES:
        rows = store.read(f"MATCH (n:`{label}`) RETURN n.{KEY} AS id ORDER BY id LIMIT 1")
        if rows:
            out[label] = rows[0]["id"]
    return out


@pytest.fixture
def served(seeded_store: GraphStore, api_settings: Settings) -> Any:
    key = KeyStore(keys_path(api_settings)).create(ALL)[1]
    with (
        serve(create_app(api_settings, seeded_store)) as base,
        httpx.Client(base_url=base, headers={"X-API-Key": key}, timeout=60) as client,
    ):
        yield client


def test_the_graph_holds_derived_fields_the_answers_leave_out(seeded_store: GraphStore) -> None:
    """The premise: the store writes every derived property (so the checks below could fail)."""
    assert {"name_fold", "short_name_fold", "topics_fold", "search_text"} <= DERIVED_FIELDS
    stored: set[str] = set()
    for row in seeded_store.read("MATCH (n) RETURN keys(n) AS k"):
        stored |= set(row["k"]) & DERIVED_FIELDS
    assert stored == DERIVED_FIELDS
    [row] = seeded_store.read(f"MATCH (o:Organisation {{{KEY}: $id}}) RETURN o", {"id": ORG})
    assert row["o"]["name"] and not derived_in(row)


def test_no_api_answer_carries_a_derived_field(
    served: httpx.Client, seeded_store: GraphStore
) -> None:
    ids = one_id_per_label(seeded_store) | {"Organisation": ORG}
    assert set(PATH_LABEL.values()) <= set(ids), "the seed network lacks a label"
    answers: dict[str, httpx.Response] = {}

    for path, ops in served.get("/openapi.json").json()["paths"].items():
        op = ops.get("get")
        if op is None or path == "/api/v1/queries/{name}":
            continue
        params = op.get("parameters", [])
        query = {
            p["name"]: QUERY[p["name"]] for p in params if p["in"] == "query" if p["name"] in QUERY
        }
        names = [p["name"] for p in params if p["in"] == "path"]
        if "node_id" in names:
            targets = [{"node_id": node_id} for node_id in ids.values()]
        else:
            targets = [{name: ids[PATH_LABEL[name]] for name in names}]
        for values in targets:
            url = path
            for name, value in values.items():
                url = url.replace("{" + name + "}", quote(value, safe=""))
            answers[f"GET {url}"] = served.get(url, params=query)
    for name, named in catalogue().items():
        params = {p.name: NAMED.get(p.name, ORG) for p in named.params if p.required}
        params |= {p.name: NAMED[p.name] for p in named.params if p.name in NAMED}
        answers[f"query {name}"] = served.post(f"/api/v1/queries/{name}", json={"params": params})
    for query in (
        "MATCH (o:Organisation)-[r]-(t:Topic) RETURN o, r, t LIMIT 5",
        "MATCH p = (o:Organisation)-[*1..2]-(x) RETURN p LIMIT 5",
    ):
        answers[f"cypher {query}"] = served.post("/api/v1/cypher", json={"query": query})
    made = served.post(
        "/api/v1/nodes/Organisation",
        json={"properties": {"name": "Derived Fields Prüf GmbH", "topics": ["Mobilität"]}},
    )
    answers["POST /api/v1/nodes/Organisation"] = made
    if made.status_code == 201:
        body = made.json()
        answers["PUT /api/v1/nodes/Organisation/{id}"] = served.put(
            f"/api/v1/nodes/Organisation/{body['id']}",
            json={"properties": {"city": "Kassel"}, "version": body["version"]},
        )

    carrying = {}
    for what, response in answers.items():
        assert response.status_code < 500, (what, response.text[:300])
        if response.headers.get("content-type", "").startswith("application/json"):
            found = derived_in(response.json())
        else:
            found = derived_named(response.text)
        if found:
            carrying[what] = sorted(found)
    assert not carrying, json.dumps(carrying, indent=1)
    # the answers had nodes to show: detail, search, neighbourhood, named queries, explorer
    ok = {what for what, r in answers.items() if r.status_code in (200, 201)}
    for must in (
        f"GET /api/v1/organisations/{ORG}",
        f"GET /api/v1/nodes/{ORG}/neighbourhood",
        "GET /api/v1/organisations",
        "GET /api/v1/challenges",
        "GET /api/v1/content",
        "GET /api/v1/partner-regions",
        "GET /api/v1/explorer/view",
        f"GET /api/v1/explorer/nodes/{ORG}",
        "query organisation",
        "query search_organisations",
        "query neighbourhood",
        "POST /api/v1/nodes/Organisation",
    ):
        assert must in ok, (must, answers[must].status_code, answers[must].text[:300])
    assert len(ok) >= 40, sorted(set(answers) - ok)
    neighbourhood = answers[f"GET /api/v1/nodes/{ORG}/neighbourhood"].json()
    assert len(json.dumps(neighbourhood)) > 10_000  # nodes with their properties, not ids


def test_no_export_carries_a_derived_field(seeded_store: GraphStore, tmp_path: Path) -> None:
    for fmt in FORMATS:
        written = export_graph(seeded_store, fmt, tmp_path / f"graph.{fmt}", role=ALL)
        text = "".join(Path(f).read_text(encoding="utf-8") for f in written["files"])
        assert "Kassel" in text and not derived_named(text), fmt
    html = tmp_path / "explorer.html"
    write_export(seeded_store, html, role=ALL)
    text = html.read_text(encoding="utf-8")
    assert "Kassel" in text and not derived_named(text)
