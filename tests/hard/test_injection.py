"""Point 2: every hostile string of the corpus goes into every string parameter of every read
route (from the OpenAPI) and of every named query, and into ad-hoc Cypher parameters: no server
error, and the fingerprint of the whole graph is unchanged afterwards.

Write routes (PUT nodes and relationships, DELETE persons, metrics/write) are left out here:
storing a hostile name is their job and changes the graph by design; the fuzzing test covers them
for server errors.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scaleup_graph.queries import catalogue
from scaleup_graph.store import GraphStore
from tests.hard.conftest import ALL
from tests.hard.corpus import CORPUS

pytestmark = pytest.mark.hard

#: Valid values for the parameters we do not attack in one request.
_URL_CAP = 4_096
_VALID = {"id": "org-rmn", "source": "org-rmn", "target": "org-kassel-tech"}


def _string_targets(app: FastAPI) -> list[tuple[str, str, str]]:
    """(path template, parameter, location) of every string parameter of every GET route."""
    targets = []
    for path, ops in app.openapi()["paths"].items():
        get = ops.get("get")
        if not get:
            continue
        for param in get.get("parameters", []):
            schema = param.get("schema", {})
            types = {schema.get("type")} | {s.get("type") for s in schema.get("anyOf", [])}
            if "string" in types or "array" in types:
                targets.append((path, param["name"], param["in"]))
    return targets


def _url(path: str, name: str, where: str, value: str) -> tuple[str, dict[str, str]]:
    if where == "path":
        filled = path.replace("{" + name + "}", quote(value, safe="") or "%20")
        for other in ("org_id", "node_id", "challenge_id", "person_id", "name"):
            filled = filled.replace("{" + other + "}", "org-rmn")
        return filled, {}
    filled = path
    for other in ("org_id", "node_id", "challenge_id", "person_id"):
        filled = filled.replace("{" + other + "}", "org-rmn")
    return filled.replace("{name}", "organisation"), {name: value}


def test_hostile_strings_in_every_parameter(
    hard_client: TestClient,
    hard_app: FastAPI,
    rich_store: GraphStore,
    role_headers: dict[str, dict[str, str]],
    artifacts: Path,
) -> None:
    assert len(CORPUS) >= 200
    before = rich_store.fingerprint()
    statuses: Counter[int] = Counter()
    errors: list[str] = []

    def check(response: Any, what: str) -> None:
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            errors.append(f"{what}: {response.status_code} {response.text[:200]}")

    targets = _string_targets(hard_app)
    assert len(targets) >= 20
    admin = role_headers[ALL]
    for path, name, where in targets:
        for value in CORPUS:
            # URLs are cut at 4,096 characters (24 KB encoded); bodies take the 1 MB string.
            url, params = _url(path, name, where, value[:_URL_CAP])
            check(hard_client.get(url, params=params, headers=admin), f"GET {path} {name}")

    queries = catalogue()
    for query in queries.values():
        required = {p.name: _VALID.get(p.name, "org-rmn") for p in query.params if p.required}
        for param in query.params:
            if param.type not in ("str", "list[str]"):
                continue
            for value in CORPUS:
                sent = [value] if param.type == "list[str]" else value
                response = hard_client.post(
                    f"/api/v1/queries/{query.name}",
                    json={"params": {**required, param.name: sent}},
                    headers=admin,
                )
                check(response, f"query {query.name}.{param.name}")

    for value in CORPUS:
        response = hard_client.post(
            "/api/v1/cypher",
            json={
                "query": "MATCH (o:Organisation {id: $x}) RETURN o.name AS n",
                "params": {"x": value},
            },
            headers=role_headers["analyst"],
        )
        check(response, "cypher $x")

    sent_total = sum(statuses.values())
    summary = {
        "strings": len(CORPUS),
        "route_parameters": len(targets),
        "named_query_parameters": sum(
            1 for q in queries.values() for p in q.params if p.type in ("str", "list[str]")
        ),
        "requests": sent_total,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": errors[:30],
    }
    (artifacts / "injection.json").write_text(json.dumps(summary, indent=2))
    print(f"\ninjection: {len(CORPUS)} strings, {sent_total} requests, {summary['statuses']}")
    assert not errors, "\n".join(errors[:10])
    assert rich_store.fingerprint() == before
