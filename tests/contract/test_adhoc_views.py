"""What ad-hoc Cypher of each kind of key sees, on every reachable store (issue 15).

``GraphStore.read_adhoc(personal=..., drafts=...)`` runs a query where what the key may not see
is absent: no personal property and no KNOWS without contacts, no system node (``_History``)
for anyone, no draft without editor. On FalkorDB (embedded and over TCP) that is a copy of the
graph per view, kept in step by the write path. On Neo4j it is the database users whose roles
``scaleup neo4j-privileges`` prints: this test runs those statements against the server named
by ``SCALEUP_TEST_NEO4J_URL`` (Enterprise; skipped with the reason on Community), creates a
user per role and asks as each. On Neo4j both roles are denied drafts.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore, NodeRow, RelRow
from scaleup_graph.store.cypher import HISTORY_LABEL
from tests.contract.test_store_contract import PROV, load

#: (personal, drafts): the four kinds of analyst key
VIEWS = ((False, False), (False, True), (True, False), (True, True))
QUERIES = {
    "nodes": "MATCH (n) RETURN count(n) AS n",
    "email oracle": "MATCH (p:Person) WHERE p.email STARTS WITH 'erika' RETURN count(p) AS n",
    "draft oracle": "MATCH (c:Challenge) WHERE c.name STARTS WITH 'Entwurf' RETURN count(c) AS n",
    "published": "MATCH (c:Challenge) WHERE c.name = 'Offen' RETURN count(c) AS n",
    "knows": "MATCH ()-[k:KNOWS]->() RETURN count(k) AS n",
    "history": "MATCH (n) WHERE n.values IS NOT NULL RETURN count(n) AS n",
}


def _fill(store: GraphStore) -> int:
    """The contract graph, a published and a draft challenge, a KNOWS link and one history
    entry holding an old e-mail; returns the number of schema nodes."""
    load(store)
    store.upsert_nodes("Person", [NodeRow("person-0002", {"name": "Max Muster"})], provenance=PROV)
    store.upsert_relationships(
        "KNOWS", "Person", "Person", [RelRow("person-0001", "person-0002")], provenance=PROV
    )
    store.upsert_nodes(
        "Challenge",
        [
            NodeRow("challenge-open", {"name": "Offen", "status": "published"}),
            NodeRow("challenge-draft", {"name": "Entwurf", "status": "draft"}),
        ],
        provenance=PROV,
    )
    store.write(
        f"CREATE (:{HISTORY_LABEL} {{node: 'person-0001', values: $v}})",
        {"v": '{"email": "erika.alt@example.org"}'},
    )
    return sum(n for label, n in store.counts()["nodes"].items() if not label.startswith("_"))


def _neo4j_with_roles(store: GraphStore, url: str) -> GraphStore:
    """Run ``scaleup neo4j-privileges``' statements on the server, create a user per role, and
    open the store as the application does with those users configured."""
    from neo4j.exceptions import ClientError

    from scaleup_graph.store.neo4j import Neo4jStore, privilege_statements

    assert isinstance(store, Neo4jStore)
    password = secrets.token_urlsafe(16)
    users = {"scaleup_reader": "scaleup_test_reader", "scaleup_redacted": "scaleup_test_redacted"}
    statements = privilege_statements(store.database)
    for role, user in users.items():
        statements += [
            f"CREATE OR REPLACE USER {user} SET PASSWORD '{password}' CHANGE NOT REQUIRED",
            f"GRANT ROLE {role} TO {user}",
        ]
    try:
        with store._driver.session(database="system") as session:
            for statement in statements:
                session.run(statement).consume()
    except ClientError as exc:
        if "nsupported administration" in str(exc) or "Enterprise" in str(exc):
            pytest.skip(f"this Neo4j has no roles (Community Edition?): {exc.message}")
        raise
    settings = Settings(
        neo4j_database=store.database,
        neo4j_adhoc_user=users["scaleup_reader"],
        neo4j_adhoc_password=SecretStr(password),
        neo4j_redacted_user=users["scaleup_redacted"],
        neo4j_redacted_password=SecretStr(password),
    )
    return Neo4jStore(url, settings=settings)


@pytest.fixture
def adhoc_store(cstore: GraphStore, request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    if cstore.dialect != "neo4j":
        yield cstore
        return
    store = _neo4j_with_roles(cstore, request.getfixturevalue("neo4j_checked"))
    try:
        yield store
    finally:
        store.close()


def test_adhoc_queries_run_where_hidden_data_is_absent(
    cstore: GraphStore, adhoc_store: GraphStore
) -> None:
    network = _fill(cstore)

    def ask(personal: bool, drafts: bool) -> dict[str, int]:
        return {
            name: int(
                adhoc_store.read_adhoc(
                    query, timeout_ms=5_000, row_cap=10, personal=personal, drafts=drafts
                )[0][0]["n"]
            )
            for name, query in QUERIES.items()
        }

    def expected(personal: bool, drafts: bool) -> dict[str, int]:
        sees_drafts = drafts and cstore.dialect != "neo4j"  # Neo4j: both roles are denied them
        return {
            "nodes": network - (0 if sees_drafts else 1),
            "email oracle": 1 if personal else 0,
            "draft oracle": 1 if sees_drafts else 0,
            "published": 1,
            "knows": 1 if personal else 0,
            "history": 0,
        }

    for personal, drafts in VIEWS:
        assert ask(personal, drafts) == expected(personal, drafts), (personal, drafts)
    # a later write: a second draft and a published challenge, an e-mail, a history entry
    cstore.upsert_nodes(
        "Challenge",
        [
            NodeRow("challenge-draft-2", {"name": "Entwurf 2", "status": "draft"}),
            NodeRow("challenge-open-2", {"name": "Offen", "status": "published"}),
        ],
        provenance=PROV,
    )
    cstore.write(f"CREATE (:{HISTORY_LABEL} {{node: 'x', values: '{{}}'}})")
    network += 2
    for personal, drafts in VIEWS:
        want = expected(personal, drafts)
        want["published"] = 2
        if want["draft oracle"]:
            want["draft oracle"] = 2
        else:
            want["nodes"] -= 1  # the second draft is hidden too
        assert ask(personal, drafts) == want, (personal, drafts)
