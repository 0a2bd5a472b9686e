"""The graph schema as data: the single source of truth for labels, relationships and properties.

Ingest validates against it, store/ creates constraints from it, api/ allowlists labels and fields
from it, visualisation/ takes colours and legends from it. Nothing else repeats it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "AFFILIATION_LABELS",
    "COMMON_PROPERTIES",
    "DERIVED_FIELDS",
    "DERIVED_PROPERTIES",
    "DERIVED_SEARCH_PROPERTIES",
    "GREY",
    "KEY",
    "METRIC_PREFIX",
    "NODE_TYPES",
    "OKABE_ITO",
    "ORGANISATION_KINDS",
    "PERSONAL_LABELS",
    "PROVENANCE_PROPERTIES",
    "REL_TYPES",
    "SEARCH_KEYS",
    "SEARCH_TEXT",
    "SEARCH_TEXT_SOURCES",
    "VERSION",
    "VIEW_FILTERS",
    "VOLATILE_PROPERTIES",
    "NodeType",
    "PropType",
    "Property",
    "RelType",
    "choices",
    "is_personal",
    "schema_label",
    "without_derived",
]

KEY = "id"
#: Every node carries ``version``: 1 when created, +1 on every write through the store (ingest,
#: API edits, workflow steps). Editors send the version they read; an older one is refused.
VERSION = "version"
#: Analytics write their results back under this prefix (``metric_pagerank``); ingest refuses it.
METRIC_PREFIX = "metric_"


class PropType(StrEnum):
    STR = "str"
    TEXT = "text"  # long free text
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    DATE = "date"  # ISO 8601 date, stored as a string (FalkorDB has no date type)
    DATETIME = "datetime"  # ISO 8601 timestamp, stored as a string
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    STR_LIST = "list[str]"


@dataclass(frozen=True, slots=True)
class Property:
    name: str
    type: PropType = PropType.STR
    required: bool = False
    pii: bool = False
    description: str = ""
    choices: tuple[str, ...] = ()
    max_length: int = 2000
    #: written by the store from other properties (the search keys): kept for the engine's
    #: lookups, never part of an answer (see :func:`without_derived`)
    derived: bool = False


@dataclass(frozen=True, slots=True)
class NodeType:
    label: str
    id_prefix: str
    description: str
    properties: tuple[Property, ...]
    #: how the explorer, the exports and the report draw it: colour *and* shape tell labels apart
    #: (the Okabe-Ito palette has eight colours for eleven labels)
    colour: str
    shape: str = "dot"
    extra_labels: tuple[str, ...] = ()
    #: the property shown as the node's caption; for Person it is not personal data
    caption: str = "name"
    #: its nodes are natural persons: ids are hashes, names are personal data, erasure and the
    #: suppression list apply, projections leave them out unless asked
    personal: bool = False
    #: the explorer's filter field that narrows a view to one node of this label and what is
    #: linked to it (``?topic=``, ``?region=``, ``?project=``); None: not a filter
    view_filter: str | None = None
    #: organisations that share a node of this label are tied in the one-mode projection
    #: (analytics' co-affiliation: a project, an event, a challenge, ...)
    affiliation: bool = False
    #: (property, value) marking a node that is not published yet (a challenge in draft):
    #: only keys with editor or admin see it, in every output. A node is in draft only if the
    #: property holds that value: one without the property is not (see ``draft_missing``)
    draft: tuple[str, str] | None = None
    #: what a missing draft property means, everywhere (visibility, ad-hoc copies, workflow):
    #: the value reported for it. Every path that makes a draft writes the property (the API's
    #: create, the demo data); a node imported without it was not meant as a draft
    draft_missing: str | None = None

    def in_draft(self, props: Mapping[str, Any]) -> bool:
        """True if a node of this label with ``props`` is in draft (hidden without editor).

        >>> challenge = NODE_TYPES["Challenge"]
        >>> challenge.in_draft({"status": "draft"}), challenge.in_draft({})
        (True, False)
        """
        return self.draft is not None and props.get(self.draft[0]) == self.draft[1]

    def draft_value(self, props: Mapping[str, Any]) -> Any:
        """The draft property's value, ``draft_missing`` when the node has none.

        >>> NODE_TYPES["Challenge"].draft_value({})
        'published'
        """
        if self.draft is None:
            return None
        return props.get(self.draft[0]) or self.draft_missing

    def prop(self, name: str) -> Property | None:
        for prop in self.all_properties:
            if prop.name == name:
                return prop
        return None

    @property
    def all_properties(self) -> tuple[Property, ...]:
        # A label may declare a common property again to change it (Person's description is
        # personal data): its own declaration wins.
        own = {p.name for p in self.properties}
        common = tuple(p for p in COMMON_PROPERTIES + PROVENANCE_PROPERTIES if p.name not in own)
        return common + self.properties

    @property
    def pii_fields(self) -> frozenset[str]:
        return frozenset(p.name for p in self.all_properties if p.pii)

    @property
    def required_fields(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.all_properties if p.required)


@dataclass(frozen=True, slots=True)
class RelType:
    type: str
    description: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]
    properties: tuple[Property, ...] = field(default_factory=tuple)
    #: it links natural persons (who knows whom): personal data, only keys with contacts see it
    personal: bool = False

    def prop(self, name: str) -> Property | None:
        for prop in self.properties + PROVENANCE_PROPERTIES:
            if prop.name == name:
                return prop
        return None

    @property
    def all_properties(self) -> tuple[Property, ...]:
        return self.properties + PROVENANCE_PROPERTIES


# Every node has these; Person overrides nothing here because its name is declared PII below.
COMMON_PROPERTIES: tuple[Property, ...] = (
    Property(
        KEY,
        required=True,
        description="stable key, deterministic (see graph_model.ids)",
        max_length=200,
    ),
    Property("synthetic", PropType.BOOL, description="true for generated demo data"),
    Property("description", PropType.TEXT, max_length=20000),
)

PROVENANCE_PROPERTIES: tuple[Property, ...] = (
    Property("source", description="where the record came from (file name, API, seed text)"),
    Property("ingest_run", description="id of the ingest run that first wrote it"),
    Property("ingested_at", PropType.DATETIME, description="when it was first written"),
    Property("updated_at", PropType.DATETIME, description="when it was last written"),
)

#: Derived search keys the store writes beside a non-personal property: fold(value), so that
#: "Koeln" finds "Köln" with a plain CONTAINS (neither engine can transliterate in Cypher).
#: Never written for personal properties; not part of the response models. A list property
#: (the listed topics) gets the list of its folded values, which FalkorDB indexes item by item:
#: ``$topic IN o.topics_fold`` is an index lookup, not a scan.
SEARCH_KEYS: dict[str, str] = {
    "name": "name_fold",
    "short_name": "short_name_fold",
    "topics": "topics_fold",
}

#: One derived property per node with every name it is known by (name, short name, other
#: names), in search_fold() form: what the engine's full-text index holds. Derived like the
#: search keys: never for personal properties, never in dumps or details.
SEARCH_TEXT = "search_text"
SEARCH_TEXT_SOURCES: tuple[str, ...] = ("name", "short_name", "alt_names")

#: Every property the store writes by itself beside a node's own ones, flagged ``derived``.
DERIVED_PROPERTIES: tuple[Property, ...] = (
    *(
        Property(
            key,
            PropType.STR_LIST if source == "topics" else PropType.STR,
            description=f"search key: fold({source})",
            derived=True,
        )
        for source, key in SEARCH_KEYS.items()
    ),
    Property(
        SEARCH_TEXT,
        PropType.TEXT,
        description="what the full-text index holds: every name, folded, and word endings",
        derived=True,
    ),
)
#: Names of the derived properties: a node leaving the store (an answer of a query, the API,
#: the explorer, an export) never carries them; ``properties(n)`` and ``n.search_text`` still
#: read them for the store's own checks and the Neo4j import files.
DERIVED_FIELDS = frozenset(p.name for p in DERIVED_PROPERTIES if p.derived)
#: The former name of :data:`DERIVED_FIELDS`.
DERIVED_SEARCH_PROPERTIES = DERIVED_FIELDS


def without_derived(props: Mapping[str, Any]) -> dict[str, Any]:
    """``props`` without the properties the store derived for search.

    >>> without_derived({"id": "org-x", "name": "Köln AG", "name_fold": "koeln ag", "version": 2})
    {'id': 'org-x', 'name': 'Köln AG', 'version': 2}
    """
    return {k: v for k, v in props.items() if k not in DERIVED_FIELDS}


#: Provenance that differs between two otherwise equal runs; graph fingerprints ignore it
#: (a resumed ingest writes some batches twice, so its versions differ from a clean run's).
VOLATILE_PROPERTIES = frozenset({"ingest_run", "ingested_at", "updated_at", VERSION})

#: Okabe and Ito's colour-blind-safe palette (https://jfly.uni-koeln.de/color/) and a grey
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#8C8C8C"

ORGANISATION_KINDS = (
    "Stakeholder",
    "SME",
    "ResearchInstitute",
    "PublicBody",
    "PartnerOrganisation",
)

_NAME = Property("name", required=True, max_length=500)
_TOPICS = Property("topics", PropType.STR_LIST, description="topic names, see Topic nodes")
_ALT_NAMES = Property(
    "alt_names",
    PropType.STR_LIST,
    description="other names it is known by (German, English, its own language); found by search",
)

NODE_TYPES: dict[str, NodeType] = {
    nt.label: nt
    for nt in (
        NodeType(
            "Organisation",
            "org",
            "A company, public body, chamber, network or institute.",
            (
                _NAME,
                Property("short_name", max_length=100),
                _ALT_NAMES,
                Property(
                    "kinds",
                    PropType.STR_LIST,
                    choices=ORGANISATION_KINDS,
                    description="extra labels: " + ", ".join(ORGANISATION_KINDS),
                ),
                Property("sector"),
                Property("city"),
                Property("country", max_length=2, description="ISO / NUTS country code"),
                Property("nuts_code", max_length=10),
                Property("website", PropType.URL),
                Property("pic", description="EU participant identification code (CORDIS)"),
                Property("activity_type", choices=("HES", "PRC", "REC", "PUB", "OTH")),
                _TOPICS,
            ),
            colour=OKABE_ITO["blue"],
            shape="dot",
            extra_labels=ORGANISATION_KINDS,
        ),
        NodeType(
            "Person",
            "person",
            "A contact person. Name, e-mail, phone, consent and free text are personal data.",
            (
                Property("name", required=True, pii=True, max_length=300),
                Property("email", PropType.EMAIL, pii=True),
                Property("phone", PropType.PHONE, pii=True),
                Property("role", description="job title or public function"),
                Property(
                    "lawful_basis",
                    choices=("consent", "contract", "legitimate_interest", "public_task"),
                ),
                Property(
                    "consent",
                    PropType.STR_LIST,
                    pii=True,
                    description="purposes the person agreed to, e.g. newsletter",
                ),
                Property(
                    "description",
                    PropType.TEXT,
                    pii=True,
                    max_length=20000,
                    description="free text about the person: personal data (contacts only)",
                ),
                Property("collected_at", PropType.DATE),
                Property(
                    "public_role",
                    PropType.BOOL,
                    description="holds a public office or role named in public sources",
                ),
            ),
            colour=OKABE_ITO["orange"],
            shape="diamond",
            caption="role",
            personal=True,
        ),
        NodeType(
            "Region",
            "region",
            "A NUTS region (country = level 0) or a partner region.",
            (
                _NAME,
                Property("nuts_code", max_length=10),
                Property("country", max_length=2),
                Property("level", PropType.INT),
                _ALT_NAMES,
            ),
            colour=OKABE_ITO["bluish_green"],
            shape="triangle",
            view_filter="region",
        ),
        NodeType(
            "Project",
            "project",
            "A funded project such as Interreg Europe Scale Up.",
            (
                _NAME,
                Property("acronym"),
                Property("start_date", PropType.DATE),
                Property("end_date", PropType.DATE),
                Property("rcn", description="CORDIS project record number"),
                Property("total_cost", PropType.FLOAT),
                Property("programme_parts", PropType.STR_LIST),
                Property("url", PropType.URL),
                _TOPICS,
            ),
            colour=OKABE_ITO["reddish_purple"],
            shape="square",
            view_filter="project",
            affiliation=True,
        ),
        NodeType(
            "Programme",
            "programme",
            "A funding programme (Interreg Europe, Horizon 2020).",
            (_NAME, Property("url", PropType.URL)),
            affiliation=True,
            colour=OKABE_ITO["black"],
            shape="square",
        ),
        NodeType(
            "Challenge",
            "challenge",
            "A problem an SME poses in the Open Innovation Challenge.",
            (
                _NAME,
                Property("status", choices=("draft", "published", "pitched", "solved", "closed")),
                _TOPICS,
                Property("created_at", PropType.DATE),
                Property("published_at", PropType.DATE),
                Property("pitched_at", PropType.DATE),
                Property("closed_at", PropType.DATE),
            ),
            affiliation=True,
            colour=OKABE_ITO["vermillion"],
            shape="star",
            draft=("status", "draft"),
            # a challenge imported without a status is shown (issue 15: docs/privacy.md)
            draft_missing="published",
        ),
        NodeType(
            "Proposal",
            "proposal",
            "A solution an organisation proposes for a challenge.",
            (
                _NAME,
                Property("submitted_at", PropType.DATE),
                Property(
                    "status",
                    choices=("submitted", "shortlisted", "pitched", "accepted", "declined"),
                ),
            ),
            colour=OKABE_ITO["yellow"],
            shape="star",
        ),
        NodeType(
            "BestPractice",
            "practice",
            "A regional support instrument shown to partner regions.",
            (_NAME, _TOPICS),
            colour=OKABE_ITO["sky_blue"],
            shape="hexagon",
            affiliation=True,
        ),
        NodeType(
            "Event",
            "event",
            "A meeting, pitch event or conference.",
            (
                _NAME,
                Property("date", PropType.DATE),
                Property("end_date", PropType.DATE),
                Property("location"),
            ),
            colour=OKABE_ITO["sky_blue"],
            shape="triangleDown",
            affiliation=True,
        ),
        NodeType(
            "ContentItem",
            "content",
            "Scale-Up content: news, offer, event notice or study.",
            (
                _NAME,
                Property("kind", required=True, choices=("news", "offer", "event", "study")),
                Property("url", PropType.URL),
                Property("published_at", PropType.DATE),
                _TOPICS,
            ),
            colour=GREY,
            shape="dot",
        ),
        NodeType(
            "Topic",
            "topic",
            "A competence or subject (digitalisation, mobility, ...).",
            (_NAME, Property("name_de")),
            colour=OKABE_ITO["yellow"],
            shape="diamond",
            view_filter="topic",
        ),
    )
}

#: labels whose nodes are natural persons (the ``personal`` flag)
PERSONAL_LABELS = frozenset(label for label, t in NODE_TYPES.items() if t.personal)
#: the explorer's filter field -> its label (the ``view_filter`` flag)
VIEW_FILTERS = {t.view_filter: label for label, t in NODE_TYPES.items() if t.view_filter}
#: labels through which organisations are co-affiliated (the ``affiliation`` flag)
AFFILIATION_LABELS = tuple(label for label, t in NODE_TYPES.items() if t.affiliation)


def schema_label(labels: Iterable[str]) -> str:
    """The schema label among a node's labels (its kinds such as SME are extra labels).

    >>> schema_label(["SME", "Organisation"]), schema_label(["Unknown"])
    ('Organisation', '')
    """
    return next((label for label in labels if label in NODE_TYPES), "")


def choices(label: str, prop: str) -> tuple[str, ...]:
    """The allowed values of a property: the one list routes, workflows and forms take.

    >>> choices("ContentItem", "kind")
    ('news', 'offer', 'event', 'study')
    """
    found = NODE_TYPES[label].prop(prop)
    if found is None or not found.choices:
        raise KeyError(f"{label}.{prop} has no choices")
    return tuple(found.choices)


def is_personal(labels: str | Iterable[str] | None) -> bool:
    """Whether a node of this label (or of any of these labels) is a natural person.

    >>> is_personal("Person"), is_personal(["Organisation", "SME"]), is_personal(None)
    (True, False, False)
    """
    if labels is None:
        return False
    if isinstance(labels, str):
        return labels in PERSONAL_LABELS
    return any(label in PERSONAL_LABELS for label in labels)


_ANY_ACTOR = ("Organisation", "Person")
_ROLE = Property("role")
_SINCE = Property("since", PropType.DATE)
_DATE = Property("date", PropType.DATE)

REL_TYPES: dict[str, RelType] = {
    rt.type: rt
    for rt in (
        RelType(
            "WORKS_AT",
            "A person works at an organisation.",
            ("Person",),
            ("Organisation",),
            (_ROLE, _SINCE),
        ),
        RelType(
            "LOCATED_IN",
            "Where an actor, event or project is.",
            ("Organisation", "Event", "Project"),
            ("Region",),
        ),
        RelType(
            "PART_OF",
            "Region hierarchy; project within programme; event within project.",
            ("Region", "Project", "Event"),
            ("Region", "Programme", "Project"),
        ),
        RelType(
            "PARTNER_IN",
            "An organisation is a partner of a project.",
            ("Organisation",),
            ("Project",),
            (_ROLE, Property("contribution", PropType.FLOAT)),
        ),
        RelType(
            "FUNDS",
            "Funding from an organisation or programme.",
            ("Organisation", "Programme"),
            ("Project", "Challenge", "Programme", "Event"),
            (Property("amount", PropType.FLOAT),),
        ),
        RelType(
            "COOPERATES_WITH",
            "Two organisations work together.",
            ("Organisation",),
            ("Organisation",),
            (_SINCE, Property("context")),
        ),
        RelType(
            "MEMBER_OF",
            "Membership of a network, chamber or association.",
            _ANY_ACTOR,
            ("Organisation",),
            (_SINCE,),
        ),
        RelType("POSES", "An SME poses a challenge.", ("Organisation",), ("Challenge",)),
        RelType(
            "PROPOSES", "An organisation proposes a solution.", ("Organisation",), ("Proposal",)
        ),
        RelType("ADDRESSES", "A proposal addresses a challenge.", ("Proposal",), ("Challenge",)),
        RelType(
            "HAS_COMPETENCE",
            "An organisation is competent in a topic.",
            ("Organisation",),
            ("Topic",),
            (Property("level", PropType.INT),),
        ),
        RelType("CONCERNS", "A challenge concerns a topic.", ("Challenge",), ("Topic",)),
        RelType(
            "PRESENTED",
            "A region or organisation presented a best practice.",
            ("Region", "Organisation"),
            ("BestPractice",),
            (_DATE,),
        ),
        RelType(
            "TRANSFERRED_TO",
            "A best practice was transferred to a region.",
            ("BestPractice",),
            ("Region",),
            (_DATE, Property("phase")),
        ),
        RelType(
            "INSPIRED_BY",
            "Something was modelled on a practice or project.",
            ("BestPractice", "Project", "Challenge", "Event"),
            ("BestPractice", "Project"),
        ),
        RelType("ORGANISES", "An organisation organises an event.", ("Organisation",), ("Event",)),
        RelType(
            "PARTICIPATES_IN", "An actor takes part in an event.", _ANY_ACTOR, ("Event",), (_ROLE,)
        ),
        RelType(
            "PITCHED_AT",
            "A challenge or proposal is pitched at an event.",
            ("Challenge", "Proposal"),
            ("Event",),
        ),
        RelType(
            "PUBLISHES",
            "An organisation publishes a content item.",
            ("Organisation",),
            ("ContentItem",),
        ),
        RelType(
            "ABOUT",
            "What content, an event, project or practice is about.",
            ("ContentItem", "Event", "Project", "BestPractice"),
            ("Topic",),
        ),
        RelType(
            "SHARED_WITH",
            "A content item was shared with an organisation.",
            ("ContentItem",),
            ("Organisation",),
            (Property("by", description="id of the organisation that shared it"), _DATE),
        ),
        RelType(
            "SUBSCRIBES_TO", "An organisation subscribes to a topic.", ("Organisation",), ("Topic",)
        ),
        RelType("KNOWS", "Two persons know each other.", ("Person",), ("Person",), personal=True),
    )
}
