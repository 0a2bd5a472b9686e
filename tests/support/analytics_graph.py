"""A small hand-made network whose analytics answers are known: two regions, a trusted chamber,
SMEs, one project, topics, a challenge and a person."""

from __future__ import annotations

from scaleup_graph.store import GraphStore, NodeRow, RelRow

PROV = {"source": "analytics-test"}


def build_small(store: GraphStore) -> None:
    """Two regions, a trusted chamber, SMEs, one project, topics, a challenge and a person.

    ::

        sme-a (DE73) --MEMBER_OF--> ihk (DE73, Stakeholder) <--MEMBER_OF-- sme-b (DE73)
        sme-c (ITI4) --PARTNER_IN--> project-p <--PARTNER_IN-- sme-b
        sme-a POSES challenge-x CONCERNS topic-logistics
        sme-c HAS_COMPETENCE topic-logistics; sme-b HAS_COMPETENCE topic-ai
        person-1 WORKS_AT sme-a
    """
    org = [
        NodeRow("org-ihk", {"name": "IHK Test"}, ("Stakeholder",)),
        NodeRow("org-sme-a", {"name": "Alpha GmbH", "sector": "manufacturing"}, ("SME",)),
        NodeRow("org-sme-b", {"name": "Beta KG", "sector": "software"}, ("SME",)),
        NodeRow(
            "org-sme-c",
            {
                "name": "Gamma Srl",
                "sector": "logistics",
                "description": "Logistik und Lagerhaltung in Echtzeit",
            },
            ("SME",),
        ),
    ]
    store.upsert_nodes("Organisation", org, provenance=PROV)
    store.upsert_nodes(
        "Region",
        [
            NodeRow("region-de73", {"name": "Kassel", "nuts_code": "DE73"}),
            NodeRow("region-iti4", {"name": "Lazio", "nuts_code": "ITI4"}),
        ],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Project",
        [NodeRow("project-p", {"name": "P", "start_date": "2020-01-01", "end_date": "2020-12-31"})],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Topic",
        [NodeRow("topic-logistics", {"name": "Logistics"}), NodeRow("topic-ai", {"name": "AI"})],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Challenge",
        [
            NodeRow(
                "challenge-x",
                {
                    "name": "Lager in Echtzeit sehen",
                    "description": "Logistik: Lagerbestand in Echtzeit",
                    "created_at": "2022-03-01",
                },
            )
        ],
        provenance=PROV,
    )
    store.upsert_nodes(
        "Person",
        [NodeRow("person-1", {"name": "Erika Mustermann", "email": "erika@example.org"})],
        provenance=PROV,
    )
    rels = [
        (
            "MEMBER_OF",
            "Organisation",
            "Organisation",
            [("org-sme-a", "org-ihk"), ("org-sme-b", "org-ihk")],
        ),
        (
            "PARTNER_IN",
            "Organisation",
            "Project",
            [("org-sme-c", "project-p"), ("org-sme-b", "project-p")],
        ),
        (
            "LOCATED_IN",
            "Organisation",
            "Region",
            [
                ("org-sme-a", "region-de73"),
                ("org-sme-b", "region-de73"),
                ("org-ihk", "region-de73"),
                ("org-sme-c", "region-iti4"),
            ],
        ),
        ("POSES", "Organisation", "Challenge", [("org-sme-a", "challenge-x")]),
        ("CONCERNS", "Challenge", "Topic", [("challenge-x", "topic-logistics")]),
        (
            "HAS_COMPETENCE",
            "Organisation",
            "Topic",
            [("org-sme-c", "topic-logistics"), ("org-sme-b", "topic-ai")],
        ),
        ("WORKS_AT", "Person", "Organisation", [("person-1", "org-sme-a")]),
    ]
    for type_, start, end, pairs in rels:
        store.upsert_relationships(
            type_, start, end, [RelRow(a, b) for a, b in pairs], provenance=PROV
        )
