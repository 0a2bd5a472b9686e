"""Point 8: the personal-data matrix, generated from the schema and the route table.

Rows: every operation of the OpenAPI route table (GET with ids and with personal values as
input, writes with personal values in path and body), every named query, ad-hoc Cypher, every
export format (graphml, gexf, json, csv, html, neo4j-import), the audit log and the application
logs. Columns: every role. Fixture values: for every label with ``pii`` fields in the schema a
node whose personal fields carry distinctive values (plus the small graph's Anna and Bernd).

A cell passes when a personal value appears only where the role may see it: never for a role
below ``contacts``, never in an error body, never in the audit log or the application logs; and
where a role may see personal data, the matrix must show it somewhere (else the test could not
fail), and every API answer that showed a person's fields wrote an audit line naming them.

Point 6 of issue 15 in every output: a challenge in draft (the fixture ``DRAFT_ID``, posed by
the fixture organisation, concerning a topic, inspired by a practice) shows only to keys with
editor or admin, and a KNOWS link between persons only to keys with contacts. Besides the
route table, the explorer's views (overview, every group drill-down, ego views, details,
expand, tags, the path finder, search suggestions), the workflow panels, the analyst report
and every export are read by every key; where a key may see them, they must show somewhere.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from scaleup_graph.analytics.exports import FORMATS, export_graph
from scaleup_graph.analytics.report import ReportOptions, write_report
from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES
from scaleup_graph.graph_model.schema import PropType
from scaleup_graph.queries import catalogue
from scaleup_graph.queries.privacy import has_role, sees_pii, visibility
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.store.neo4j_import import write_import_files
from scaleup_graph.visualisation.builders import GROUP_PREFIX
from scaleup_graph.visualisation.export import write_export
from tests.hard.conftest import MATRIX_ROLES
from tests.support.graphs import ANNA, BERND, PROV

pytestmark = pytest.mark.hard

ORG = "org-rmn"
#: A challenge in draft whose name and id no other output carries.
DRAFT_ID = "challenge-matrix-draft"
DRAFT_NAME = "Xylophant Quillwerk Entwurfsrunde"
#: Outputs that describe the schema (every relationship type by name), not the data.
SCHEMA_OUTPUTS = ("GET /api/v1/schema",)


def _fixture_value(label: str, prop: str, type_: PropType) -> str:
    tag = label.lower()
    if type_ is PropType.EMAIL:
        return f"zq.{tag}.{prop}@matrix-fixture.example.org"
    if type_ is PropType.PHONE:
        return "+49 561 9988776"
    return f"Zephyrine Quaxwell {tag} {prop}"


#: label -> (node id, {pii field: distinctive value}), generated from the schema's pii flags.
FIXTURES: dict[str, tuple[str, dict[str, str]]] = {
    label: (
        f"{nt.id_prefix}-matrix-fixture",
        {p.name: _fixture_value(label, p.name, p.type) for p in nt.all_properties if p.pii},
    )
    for label, nt in NODE_TYPES.items()
    if nt.pii_fields
}


def _needles(values: dict[str, str]) -> set[str]:
    """What must not appear: each value, case-folded, and a phone's digits without spaces."""
    found = set()
    for value in values.values():
        found |= {value.casefold(), value.replace(" ", "").casefold()}
        digits = "".join(c for c in value if c.isdigit())
        if len(digits) >= 7:
            found.add(digits[-7:])
    return found


#: node id -> needles; the small graph's two persons count too.
PERSONS: dict[str, set[str]] = {
    **{node_id: _needles(values) for node_id, values in FIXTURES.values()},
    "person-anna": _needles(ANNA),
    "person-bernd": _needles(BERND),
}
PERSON_ID, PERSON_VALUES = FIXTURES["Person"]


def shown(text: str) -> set[str]:
    """Ids of the persons whose personal values occur in ``text`` (case-insensitive)."""
    folded = text.casefold()
    return {pid for pid, needles in PERSONS.items() if any(n in folded for n in needles)}


def draft_shown(text: str) -> bool:
    """Whether ``text`` shows the fixture challenge in draft."""
    return DRAFT_ID in text or DRAFT_NAME.casefold() in text.casefold()


def knows_shown(output: str, text: str) -> bool:
    """Whether ``text`` shows a KNOWS link: the type's name in data (edge ids and types of the
    explorer, exports, query rows), not as a key of the page's dictionary of relationship
    words and not in the outputs that describe the schema."""
    return bool(_KNOWS.search(text)) and not output.startswith(SCHEMA_OUTPUTS)


_KNOWS = re.compile(r'KNOWS(?!"\s*:)')


def _add_draft(store: GraphStore) -> None:
    store.upsert_nodes(
        "Challenge",
        [NodeRow(DRAFT_ID, {"name": DRAFT_NAME, "status": "draft", "topics": ["Mobilität"]})],
        provenance=PROV,
    )
    for type_, start, end, a, b in (
        ("POSES", "Organisation", "Challenge", ORG, DRAFT_ID),
        ("CONCERNS", "Challenge", "Topic", DRAFT_ID, "topic-mobility"),
        ("INSPIRED_BY", "Challenge", "BestPractice", DRAFT_ID, "practice-mowin-lab"),
    ):
        if start in REL_TYPES[type_].sources and end in REL_TYPES[type_].targets:
            store.upsert_relationships(type_, start, end, [RelRow(a, b)], provenance=PROV)


def _add_fixtures(store: GraphStore) -> None:
    _add_draft(store)
    for label, (node_id, values) in FIXTURES.items():
        store.upsert_nodes(label, [NodeRow(node_id, {**values})], provenance=PROV)
        for type_, rel in REL_TYPES.items():
            if label in rel.sources and "Organisation" in rel.targets:
                store.upsert_relationships(
                    type_, label, "Organisation", [RelRow(node_id, ORG)], provenance=PROV
                )
            if label in rel.sources and label in rel.targets and label == "Person":
                store.upsert_relationships(
                    type_, label, label, [RelRow(node_id, "person-anna")], provenance=PROV
                )


#: Parameters checked against a closed vocabulary (topics, query and metric names, labels):
#: their error messages name the unknown word so the caller sees the typo; they take ids or
#: free text from nobody, so personal values are sent only into the other parameters.
_VOCABULARY = {
    "name": "person",
    "label": "Person",
    "rel_type": "WORKS_AT",
    "topic": "Mobilität",
    "kind": "SME",
    "status": "published",
    "lang": "de",
    "format": "json",
    "method": "adamic_adar",
    "labels": "Person",
    "group": "Person",
}

#: Values for query parameters by name: ids that reach the fixture person.
_IDS = {
    "q": PERSON_VALUES["name"],
    "id": PERSON_ID,
    "source": PERSON_ID,
    "target": "person-bernd",
    "organisation": ORG,
    "org": ORG,
    "focus": PERSON_ID,
    "seed": PERSON_ID,
    "purpose": "newsletter",
    "a": "a",
    "b": "b",
    "hops": "2",
}


def _get_requests(app: FastAPI) -> list[tuple[str, str, dict[str, str]]]:
    """(operation, url, query) for every GET of the route table: path parameters as the fixture
    person's id, the organisation it works at, and a personal value (error bodies)."""
    out = []
    for path, ops in app.openapi()["paths"].items():
        op = ops.get("get")
        if op is None:
            continue
        params = op.get("parameters", [])
        path_params = [p["name"] for p in params if p["in"] == "path"]
        query = {
            p["name"]: _IDS[p["name"]] for p in params if p["in"] == "query" and p["name"] in _IDS
        }
        for value in (PERSON_ID, ORG, PERSON_VALUES["email"]):
            url = path
            for name in path_params:
                url = url.replace("{" + name + "}", quote(_VOCABULARY.get(name, value), safe=""))
            out.append((f"GET {path}", url, query))
            if not path_params:
                break
        hostile = {
            p["name"]: PERSON_VALUES["email"]
            for p in params
            if p["in"] == "query" and p["name"] not in _VOCABULARY
        }
        if hostile:  # personal values as input: never echoed, to any role
            url = path
            for name in path_params:
                value = _VOCABULARY.get(name, PERSON_VALUES["name"])
                url = url.replace("{" + name + "}", quote(value, safe=""))
            out.append((f"GET {path} (personal input)", url, hostile))
    return out


def _write_requests(app: FastAPI) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(operation, method, url, body) for every write: personal values in path and body, in a
    shape the route refuses (so the graph is unchanged and the error body is what we read)."""
    out = []
    body = {"unexpected": dict(PERSON_VALUES), "params": 3, "query": 7}
    for path, ops in app.openapi()["paths"].items():
        for method in ("post", "put", "delete"):
            if method not in ops or path in ("/api/v1/cypher", "/api/v1/queries/{name}"):
                continue
            url = path
            for p in ops[method].get("parameters", []):
                if p["in"] == "path":
                    value = _VOCABULARY.get(p["name"], PERSON_VALUES["email"])
                    url = url.replace("{" + p["name"] + "}", quote(value, safe=""))
            out.append((f"{method.upper()} {path}", method, url, body))
    return out


def _point6_requests() -> list[tuple[str, str, dict[str, str]]]:
    """(output, url, query): the explorer's views, the workflow panels and analytics that can
    reach the draft challenge or a KNOWS link."""
    view, path = "/api/v1/explorer/view", "/api/v1/explorer/path"
    return [
        ("explorer search (draft)", "/api/v1/explorer/search", {"q": DRAFT_NAME[:9]}),
        ("explorer view (overview)", view, {}),
        ("explorer view (ego organisation)", view, {"focus": ORG, "hops": "2"}),
        ("explorer view (ego person)", view, {"focus": PERSON_ID, "hops": "2"}),
        ("explorer view (topic filter)", view, {"topic": "topic-mobility"}),
        ("explorer details (draft)", f"/api/v1/explorer/nodes/{DRAFT_ID}", {}),
        ("explorer details (organisation)", f"/api/v1/explorer/nodes/{ORG}", {}),
        ("explorer details (person)", "/api/v1/explorer/nodes/person-anna", {}),
        ("explorer expand (organisation)", "/api/v1/explorer/expand", {"id": ORG}),
        ("explorer expand (person)", "/api/v1/explorer/expand", {"id": "person-anna"}),
        ("explorer path (persons)", path, {"source": PERSON_ID, "target": "person-bernd"}),
        ("explorer path (draft)", path, {"source": ORG, "target": DRAFT_ID}),
        ("challenge round (draft)", f"/api/v1/challenges/{DRAFT_ID}/round", {}),
        ("challenge matches (draft)", f"/api/v1/challenges/{DRAFT_ID}/matches", {}),
        ("challenge proposals (draft)", f"/api/v1/challenges/{DRAFT_ID}/proposals", {}),
        ("challenges (all)", "/api/v1/challenges", {}),
        ("practice lineage", "/api/v1/practices/practice-mowin-lab/lineage", {}),
        ("analytics metrics", "/api/v1/analytics/metrics", {"top": "1000"}),
        ("analytics introductions", "/api/v1/analytics/introductions", {"top": "1000"}),
        ("node record (draft)", f"/api/v1/nodes/{DRAFT_ID}/record", {}),
        ("node history (draft)", f"/api/v1/nodes/{DRAFT_ID}/history", {}),
        ("node links (draft)", f"/api/v1/nodes/{DRAFT_ID}/links", {}),
        ("node links (person)", "/api/v1/nodes/person-anna/links", {}),
        ("node neighbourhood (draft)", f"/api/v1/nodes/{DRAFT_ID}/neighbourhood", {}),
        ("node neighbourhood (person)", "/api/v1/nodes/person-anna/neighbourhood", {}),
        ("node lookup (draft)", "/api/v1/nodes/lookup", {"q": DRAFT_NAME[:9]}),
    ]


#: Ad-hoc reads that return a personal value, or use one as an oracle (the answer is the
#: fixture person's id only if the filter or sort could read the value).
ORACLES = {
    "cypher (oracle properties)": "MATCH (p:Person) RETURN properties(p) AS props",
    "cypher (oracle map)": "MATCH (p:Person) RETURN p{.*} AS m",
    "cypher (oracle collect)": "MATCH (p:Person) RETURN collect(p.email) AS e",
    "cypher (oracle starts with)": (
        f"MATCH (p:Person) WHERE p.email STARTS WITH '{PERSON_VALUES['email'][:8]}' "
        "RETURN p.id AS id"
    ),
    "cypher (oracle order by)": (
        "MATCH (p:Person) WHERE p.name IS NOT NULL RETURN p.id AS id ORDER BY p.name DESC LIMIT 1"
    ),
    "cypher (oracle free text)": (
        "MATCH (p:Person) WHERE p.description CONTAINS 'Zephyrine' RETURN p.id AS id"
    ),
}


#: The oracles that choose persons by a personal value (the others return every person).
FILTERING = {"cypher (oracle starts with)", "cypher (oracle order by)", "cypher (oracle free text)"}
#: GDPR Art. 15: the admin's export of everything held about one person is the point of it.
GDPR_EXPORT = "GET /api/v1/persons/{person_id}/export"


def may_see(output: str, role: str) -> bool:
    """Whether ``role`` may see personal values in ``output``."""
    return sees_pii(role) or (output == GDPR_EXPORT and has_role(role, "admin"))


def test_personal_data_matrix(
    hard_client: TestClient,
    hard_app: FastAPI,
    rich_store: GraphStore,
    role_headers: dict[str, dict[str, str]],
    hard_settings: Settings,
    tmp_path: Path,
    artifacts: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert FIXTURES, "the schema declares no personal fields"
    _add_fixtures(rich_store)
    audit_file = hard_settings.state_dir / "audit.jsonl"
    violations: list[str] = []
    matrix: dict[str, dict[str, str]] = {}
    unaudited: list[str] = []
    cells: Counter[str] = Counter()

    def audit_lines() -> list[dict[str, Any]]:
        if not audit_file.exists():
            return []
        return [json.loads(line) for line in audit_file.read_text().splitlines() if line]

    hidden_seen: dict[str, set[str]] = {"draft": set(), "knows": set()}

    def record(output: str, role: str, status: int, text: str, audited: bool = False) -> None:
        seen = visibility(role)
        if draft_shown(text):
            if not seen.drafts:
                violations.append(f"{output}: {role} sees the challenge in draft")
            hidden_seen["draft"].add(f"{output} | {role}")
        if knows_shown(output, text):
            if not (seen.personal_links or (output == GDPR_EXPORT and has_role(role, "admin"))):
                violations.append(f"{output}: {role} sees a KNOWS link between persons")
            hidden_seen["knows"].add(f"{output} | {role}")
        people = shown(text)
        cells["total"] += 1
        state = "shown" if people else ("refused" if status in (401, 403) else "hidden")
        row = matrix.setdefault(output, {})
        if row.get(role) != "shown":
            row[role] = state
        if not people:
            return
        if not may_see(output, role):
            violations.append(f"{output}: {role} sees {sorted(people)}")
        elif status >= 400:
            violations.append(f"{output}: error body {status} for {role} has {sorted(people)}")
        elif audited:
            return
        else:
            unaudited.append(f"{output}: {role}")

    def call(output: str, role: str, method: str, url: str, **kw: Any) -> None:
        before = len(audit_lines())
        response = hard_client.request(method, url, headers=role_headers[role], **kw)
        assert response.status_code < 500, (output, role, response.status_code, response.text)
        subjects = {s for e in audit_lines()[before:] for s in e["subject_ids"]}
        people = shown(response.text)
        record(output, role, response.status_code, response.text, audited=people <= subjects)

    caplog.set_level(logging.DEBUG)
    gets = _get_requests(hard_app)
    writes = _write_requests(hard_app)
    assert len(gets) >= 40 and len(writes) >= 8
    for role in MATRIX_ROLES:
        for output, url, query in gets:
            call(output, role, "GET", url, params=query)
        for output, method, url, body in writes:
            call(output, role, method.upper(), url, json=body)
        for name, q in catalogue().items():
            params = {p.name: _IDS.get(p.name, PERSON_ID) for p in q.params if p.required}
            for p in q.params:
                if p.name in _IDS:
                    params[p.name] = _IDS[p.name]
            call(f"query {name}", role, "POST", f"/api/v1/queries/{name}", json={"params": params})
        call(
            "cypher (nodes)",
            role,
            "POST",
            "/api/v1/cypher",
            json={"query": "MATCH (p:Person)-[r]-(o) RETURN p, r, o", "params": {}},
        )
        call(  # a failing query with a personal value as parameter: the error must not echo it
            "cypher (error)",
            role,
            "POST",
            "/api/v1/cypher",
            json={
                "query": "RETURN toInteger($e) + [1] AS x",
                "params": {"e": PERSON_VALUES["email"]},
            },
        )
        for name, query in ORACLES.items():
            before = len(audit_lines())
            response = hard_client.post(
                "/api/v1/cypher", json={"query": query}, headers=role_headers[role]
            )
            assert response.status_code < 500, (name, role, response.text)
            subjects = {s for e in audit_lines()[before:] for s in e["subject_ids"]}
            record(name, role, response.status_code, response.text, audited=PERSON_ID in subjects)
            # an oracle answers with the fixture person's id only for a key that may see them
            if name in FILTERING and PERSON_ID in response.text and not sees_pii(role):
                violations.append(f"{name}: {role} inferred {PERSON_ID} from a personal value")
            if PERSON_ID in response.text and PERSON_ID not in subjects and sees_pii(role):
                unaudited.append(f"{name}: {role} (oracle without an audit line)")
        nested: object = PERSON_VALUES["email"]
        for _ in range(14):
            nested = [nested]
        call(
            "cypher (nesting)",
            role,
            "POST",
            "/api/v1/cypher",
            json={
                "query": "RETURN " + "[" * 14 + "$e" + "]" * 14 + " AS x",
                "params": {"e": nested},
            },
        )
        for fmt in FORMATS:
            out = tmp_path / role / f"graph.{fmt}"
            out.parent.mkdir(parents=True, exist_ok=True)
            written = export_graph(rich_store, fmt, out, role=role)
            text = "".join(Path(f).read_text(encoding="utf-8") for f in written["files"])
            record(f"export {fmt}", role, 200, text, audited=True)
        html = tmp_path / role / "explorer.html"
        write_export(rich_store, html, role=role)
        record("export html", role, 200, html.read_text(encoding="utf-8"), audited=True)
        for output, url, query in _point6_requests():
            call(output, role, "GET", url, params=query)
        overview = hard_client.get("/api/v1/explorer/view", headers=role_headers[role]).json()
        for node in overview.get("nodes", []):  # every group's drill-down
            if str(node["id"]).startswith(GROUP_PREFIX):
                group = str(node["id"])[len(GROUP_PREFIX) :]
                call(
                    f"explorer group {group}",
                    role,
                    "GET",
                    "/api/v1/explorer/view",
                    params={"group": group},
                )
        call(
            "explorer tags",
            role,
            "POST",
            "/api/v1/explorer/tags",
            json={"ids": [DRAFT_ID, ORG, PERSON_ID, "person-anna"]},
        )
        report = tmp_path / role / "report.html"
        write_report(rich_store, report, options=ReportOptions(role=role, persons=sees_pii(role)))
        record("report html", role, 200, report.read_text(encoding="utf-8"), audited=True)
        record("report csv", role, 200, report.with_suffix(".csv").read_text("utf-8-sig"), True)
        for focus in (ORG, PERSON_ID):
            html = tmp_path / role / f"ego-{focus}.html"
            write_export(rich_store, html, role=role, focus=focus, hops=2)
            record("export html (ego)", role, 200, html.read_text(encoding="utf-8"), True)
        neo = write_import_files(
            rich_store,
            tmp_path / role / "neo4j",
            personal_data=sees_pii(role),
            drafts=visibility(role).drafts,
        )
        text = "".join(f.read_text(encoding="utf-8") for f in neo.out_dir.glob("*.csv"))
        record("export neo4j-import", role, 200, text, audited=True)

    audit_text = audit_file.read_text() if audit_file.exists() else ""
    if shown(audit_text):
        violations.append(f"audit log holds personal values of {sorted(shown(audit_text))}")
    # the application's loggers (the in-process test client's own httpx lines are not the app's)
    app_records = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    log_text = "\n".join(r.getMessage() + (r.exc_text or "") for r in app_records)
    if shown(log_text):
        violations.append(f"application logs hold personal values of {sorted(shown(log_text))}")

    allowed = [r for r in MATRIX_ROLES if sees_pii(r)]
    summary = {
        "fixture_labels": sorted(FIXTURES),
        "pii_fields": {label: sorted(v) for label, (_, v) in FIXTURES.items()},
        "outputs": len(matrix),
        "roles": list(MATRIX_ROLES),
        "cells": cells["total"],
        "audit_lines": len(audit_text.splitlines()),
        "log_records": len(app_records),
        "violations": violations,
        "point6_shown": {k: sorted(v) for k, v in hidden_seen.items()},
        "unaudited": unaudited,
        "matrix": matrix,
    }
    (artifacts / "pii_matrix.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(
        f"\npii matrix: {len(matrix)} outputs x {len(MATRIX_ROLES)} roles, "
        f"{cells['total']} checks, "
        f"{len(violations)} violations, {len(unaudited)} unaudited personal reads"
    )
    assert not violations, "\n".join(violations[:20])
    assert not unaudited, "personal reads without an audit line:\n" + "\n".join(unaudited[:20])
    for role in allowed:  # the fixture is reachable: the matrix could fail
        seen = {o for o, row in matrix.items() if row.get(role) == "shown"}
        assert "GET /api/v1/persons/{person_id}" in seen, role
        assert {"export json", "export html", "export neo4j-import"} <= seen, role
        if has_role(role, "analyst"):
            assert {"cypher (nodes)", "cypher (oracle properties)"} <= seen, role
    assert not any(row.get("viewer") == "shown" for row in matrix.values())
    # point 6 could fail: editors see the draft and contacts the KNOWS links, in the explorer,
    # the exports and the workflow panels
    for role in MATRIX_ROLES:
        outputs = {o.split(" | ")[0] for o in hidden_seen["draft"] if o.endswith(f"| {role}")}
        if visibility(role).drafts:
            assert {
                "explorer search (draft)",
                "explorer view (ego organisation)",
                "challenge round (draft)",
                "practice lineage",
                "export json",
                "export html",
            } <= outputs, (role, sorted(outputs))
        outputs = {o.split(" | ")[0] for o in hidden_seen["knows"] if o.endswith(f"| {role}")}
        if visibility(role).personal_links:
            assert {
                "explorer view (ego person)",
                "explorer expand (person)",
                "export json",
                "export graphml",
                "export html",
            } <= outputs, (role, sorted(outputs))
    for role in ("analyst", "editor"):  # capabilities, not a ladder: no personal data
        assert not any(row.get(role) == "shown" for row in matrix.values()), role
