"""A small Nordhessen network for explorer tests, written through the real store.

Used until the seed loader lands, and kept afterwards because its facts are fixed: one person
with a known e-mail, a name that looks like markup, two regions, a project and topics.
"""

from __future__ import annotations

from scaleup_graph.store import GraphStore, NodeRow, RelRow

__all__ = ["EMAIL", "IHK", "PERSON", "PERSON_NAME", "SCRIPT_NAME", "build_sample"]

IHK = "org-ihk-kassel-marburg"
PERSON = "person-anna"
PERSON_NAME = "Anna Beispielfrau"
EMAIL = "anna.beispielfrau@ihk-test.example"
SCRIPT_NAME = '<img src=x onerror="window.__pwned=1">Tüftler GmbH'

_ORGS = [
    (IHK, "IHK Kassel-Marburg", ["Stakeholder", "PublicBody"], "Kassel", "DE"),
    ("org-rmn", "Regionalmanagement Nordhessen GmbH", ["Stakeholder"], "Kassel", "DE"),
    ("org-een-hessen", "Enterprise Europe Network Hessen", ["Stakeholder"], "Kassel", "DE"),
    ("org-mowin", "MoWiN.net", ["Stakeholder"], "Kassel", "DE"),
    ("org-lazio-innova", "Lazio Innova", ["PartnerOrganisation"], "Roma", "IT"),
    ("org-foerdertechnik", "Fördertechnik Nord GmbH", ["SME"], "Baunatal", "DE"),
    ("org-tueftler", SCRIPT_NAME, ["SME"], "Kassel", "DE"),
    ("org-roma-robotics", "Roma Robotics Srl", ["SME"], "Roma", "IT"),
]


def build_sample(store: GraphStore) -> None:
    """Write the sample network into ``store``."""
    prov = {"source": "explorer-test"}
    for node_id, name, kinds, city, country in _ORGS:
        store.upsert_nodes(
            "Organisation",
            [
                NodeRow(
                    node_id,
                    {
                        "name": name,
                        "kinds": kinds,
                        "city": city,
                        "country": country,
                        "website": "https://example.org/" + node_id,
                    },
                    tuple(kinds),
                )
            ],
            provenance=prov,
        )
    store.upsert_nodes(
        "Person",
        [
            NodeRow(
                PERSON,
                {
                    "name": PERSON_NAME,
                    "email": EMAIL,
                    "phone": "+49 561 0000",
                    "role": "Referentin Innovation",
                },
            ),
        ],
        provenance=prov,
    )
    store.upsert_nodes(
        "Region",
        [
            NodeRow("region-de73", {"name": "Nordhessen", "nuts_code": "DE73", "country": "DE"}),
            NodeRow("region-iti4", {"name": "Lazio", "nuts_code": "ITI4", "country": "IT"}),
        ],
        provenance=prov,
    )
    store.upsert_nodes(
        "Project", [NodeRow("project-scale-up", {"name": "Scale Up"})], provenance=prov
    )
    store.upsert_nodes(
        "Topic",
        [
            NodeRow("topic-digital", {"name": "Digitalisierung"}),
            NodeRow("topic-mobility", {"name": "Mobilität"}),
        ],
        provenance=prov,
    )
    store.upsert_nodes(
        "Challenge",
        [
            NodeRow(
                "challenge-lager",
                {
                    "name": "Lagerlogistik automatisieren",
                    "status": "published",
                    "topics": ["Digitalisierung"],
                },
            )
        ],
        provenance=prov,
    )

    def rel(type_: str, start_label: str, end_label: str, pairs: list[tuple[str, str]]) -> None:
        store.upsert_relationships(
            type_, start_label, end_label, [RelRow(a, b) for a, b in pairs], provenance=prov
        )

    rel(
        "LOCATED_IN",
        "Organisation",
        "Region",
        [
            (IHK, "region-de73"),
            ("org-rmn", "region-de73"),
            ("org-een-hessen", "region-de73"),
            ("org-mowin", "region-de73"),
            ("org-foerdertechnik", "region-de73"),
            ("org-tueftler", "region-de73"),
            ("org-lazio-innova", "region-iti4"),
            ("org-roma-robotics", "region-iti4"),
        ],
    )
    rel("WORKS_AT", "Person", "Organisation", [(PERSON, IHK)])
    rel(
        "PARTNER_IN",
        "Organisation",
        "Project",
        [("org-rmn", "project-scale-up"), ("org-lazio-innova", "project-scale-up")],
    )
    rel(
        "COOPERATES_WITH",
        "Organisation",
        "Organisation",
        [
            (IHK, "org-rmn"),
            (IHK, "org-een-hessen"),
            ("org-rmn", "org-mowin"),
            ("org-rmn", "org-lazio-innova"),
        ],
    )
    rel(
        "MEMBER_OF",
        "Organisation",
        "Organisation",
        [("org-foerdertechnik", IHK), ("org-tueftler", IHK)],
    )
    rel(
        "HAS_COMPETENCE",
        "Organisation",
        "Topic",
        [
            ("org-mowin", "topic-mobility"),
            ("org-roma-robotics", "topic-digital"),
            ("org-tueftler", "topic-digital"),
        ],
    )
    rel("POSES", "Organisation", "Challenge", [("org-foerdertechnik", "challenge-lager")])
    rel("CONCERNS", "Challenge", "Topic", [("challenge-lager", "topic-digital")])
