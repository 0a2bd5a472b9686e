"""Small graphs with known content, and counts to prove that a refused write wrote nothing."""

from __future__ import annotations

from pathlib import Path

from scaleup_graph.store import GraphStore, NodeRow, RelRow

PROV = {"source": "test", "ingest_run": "t1", "ingested_at": "2026-01-01T00:00:00"}

#: Personal values of the small graph: no viewer output may contain any of them.
ANNA = {"name": "Anna Beispiel", "email": "anna.beispiel@example.org", "phone": "+49 561 7654321"}
BERND = {"name": "Bernd Muster", "email": "bernd@example.org", "phone": "+49 561 1112223"}
PII_VALUES = (*ANNA.values(), *BERND.values(), "7654321", "1112223")

#: An ingest manifest for two files: organisations (``orgs.csv``: id, name, city) and their
#: cooperations (``links.csv``: a, b).
ORGS_AND_LINKS_MANIFEST = """
files:
  - path: orgs.csv
    nodes: [{label: Organisation, key: id, properties: {name: name, city: city}}]
  - path: links.csv
    relationships:
      - {type: COOPERATES_WITH, start: {label: Organisation, key: a},
         end: {label: Organisation, key: b}}
"""


def build_small_graph(store: GraphStore) -> None:
    """A dozen nodes that exercise every daily query."""

    def nodes(label: str, *rows: NodeRow) -> None:
        store.upsert_nodes(label, list(rows), provenance=PROV)

    def rels(type_: str, start: str, end: str, *pairs: tuple[str, str]) -> None:
        store.upsert_relationships(
            type_, start, end, [RelRow(a, b) for a, b in pairs], provenance=PROV
        )

    nodes(
        "Organisation",
        NodeRow(
            "org-stadtwerke-koeln",
            {
                "name": "Stadtwerke Köln GmbH",
                "kinds": ["SME"],
                "city": "Köln",
                "country": "DE",
                "nuts_code": "DEA23",
                "topics": ["Mobilität"],
            },
            ("SME",),
        ),
        NodeRow(
            "org-kassel-tech",
            {"name": "Kassel Tech GmbH", "kinds": ["SME"], "country": "DE", "nuts_code": "DE731"},
            ("SME",),
        ),
        NodeRow(
            "org-rmn",
            {
                "name": "Regionalmanagement Nordhessen GmbH",
                "short_name": "RMN",
                "kinds": ["PartnerOrganisation"],
                "country": "DE",
                "nuts_code": "DE73",
            },
            ("PartnerOrganisation",),
        ),
        NodeRow(
            "org-podkarpackie",
            {
                "name": "Podkarpackie Voivodeship",
                "kinds": ["PartnerOrganisation"],
                "country": "PL",
                "nuts_code": "PL82",
            },
            ("PartnerOrganisation",),
        ),
    )
    nodes(
        "Person",
        NodeRow("person-anna", {**ANNA, "role": "Clusterleitung Mobilität"}),
        NodeRow("person-bernd", {**BERND, "role": "CEO"}),
    )
    nodes(
        "Region",
        NodeRow("region-de73", {"name": "Kassel", "nuts_code": "DE73"}),
        NodeRow("region-pl82", {"name": "Podkarpackie", "nuts_code": "PL82"}),
    )
    nodes("Topic", NodeRow("topic-mobility", {"name": "Mobilität"}))
    nodes(
        "Challenge",
        NodeRow(
            "challenge-last-mile",
            {"name": "Letzte Meile", "status": "published", "topics": ["Mobilität"]},
        ),
        NodeRow("challenge-hr", {"name": "Fachkräfte finden", "status": "draft"}),
    )
    nodes("Proposal", NodeRow("proposal-cargo-bike", {"name": "Lastenrad-Sharing"}))
    nodes("BestPractice", NodeRow("practice-mowin-lab", {"name": "MoWiN Innovation Lab"}))
    nodes(
        "ContentItem",
        NodeRow(
            "content-old",
            {
                "name": "Pitch-Event",
                "kind": "event",
                "published_at": "2022-01-10",
                "topics": ["Mobilität"],
            },
        ),
        NodeRow(
            "content-new", {"name": "Förderangebot", "kind": "offer", "published_at": "2022-06-01"}
        ),
    )
    rels(
        "WORKS_AT",
        "Person",
        "Organisation",
        ("person-anna", "org-rmn"),
        ("person-bernd", "org-kassel-tech"),
    )
    rels("KNOWS", "Person", "Person", ("person-anna", "person-bernd"))
    rels(
        "LOCATED_IN",
        "Organisation",
        "Region",
        ("org-rmn", "region-de73"),
        ("org-kassel-tech", "region-de73"),
        ("org-podkarpackie", "region-pl82"),
    )
    rels(
        "COOPERATES_WITH",
        "Organisation",
        "Organisation",
        ("org-rmn", "org-kassel-tech"),
        ("org-rmn", "org-podkarpackie"),
        ("org-stadtwerke-koeln", "org-kassel-tech"),
    )
    rels("HAS_COMPETENCE", "Organisation", "Topic", ("org-kassel-tech", "topic-mobility"))
    rels("POSES", "Organisation", "Challenge", ("org-stadtwerke-koeln", "challenge-last-mile"))
    rels("CONCERNS", "Challenge", "Topic", ("challenge-last-mile", "topic-mobility"))
    rels("PROPOSES", "Organisation", "Proposal", ("org-kassel-tech", "proposal-cargo-bike"))
    rels("ADDRESSES", "Proposal", "Challenge", ("proposal-cargo-bike", "challenge-last-mile"))
    rels("PRESENTED", "Organisation", "BestPractice", ("org-rmn", "practice-mowin-lab"))
    rels("TRANSFERRED_TO", "BestPractice", "Region", ("practice-mowin-lab", "region-pl82"))
    rels(
        "PUBLISHES",
        "Organisation",
        "ContentItem",
        ("org-rmn", "content-old"),
        ("org-rmn", "content-new"),
    )


def count(store: GraphStore, label: str) -> int:
    """How many nodes of ``label`` the graph holds (``label`` is a schema constant)."""
    from scaleup_graph.store.cypher import label as cypher_label

    return int(store.read(f"MATCH (n:{cypher_label(label)}) RETURN count(n) AS n")[0]["n"])


def rel_count(store: GraphStore) -> int:
    return int(store.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"])


def ingest_generated(store: GraphStore, organisations: int, seed: int, work: Path) -> GraphStore:
    """Empty ``store`` and ingest a generated population into it (``ingest.generate``: names
    with umlauts, topics listed and linked, regions), its files and state under ``work``."""
    from scaleup_graph.ingest import IngestOptions, run_ingest
    from scaleup_graph.ingest.generate import generate_population
    from scaleup_graph.ingest.manifest import load_manifest

    manifest = generate_population(organisations, seed, work / "pop")
    store.clear()
    store.setup_schema()
    run_ingest(
        store,
        load_manifest(manifest),
        IngestOptions(state_dir=work / "state", check_duplicates=False),
    )
    return store
