"""The response shapes of the routes that are not paged, for the OpenAPI document.

Each model lists the keys an answer always has, with their JSON types; rows and nested records
whose keys depend on the data, the role or the query stay ``dict[str, Any]`` (personal fields,
for instance, appear only for roles that may see them). A model allows further keys, so a new
key does not break a client that validates against it.

The routes declare them with :func:`typed` (``responses={200: {"model": ...}}``): the OpenAPI
document shows the shape, and the answer is sent as the route builds it, with no second
validation on the way out. ``tests/api/test_response_models.py`` checks real answers against
these models for every role, and the fuzz test (tests/hard) checks every generated answer
against the OpenAPI document.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from scaleup_graph.graph_model.models import node_model

__all__ = ["typed"]

Row = dict[str, Any]


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


def typed(model: Any, status: int = 200, description: str = "Successful Response") -> Any:
    """Route keywords that document ``model`` as the answer of ``status`` in the OpenAPI."""
    return {
        "response_model": None,
        "responses": {status: {"model": model, "description": description}},
    }


# --- health, queries, Cypher -------------------------------------------------------------------


class Health(_Out):
    status: str = Field(description='"ok"')
    version: str
    store: Row = Field(description="the store's kind, graph and latency")


class QueryList(_Out):
    queries: list[Row] = Field(description="name, summary, role, params, columns of each")


class QueryDescription(_Out):
    name: str
    summary: str
    role: str
    params: list[Row]
    columns: list[Row]


class QueryResult(_Out):
    name: str
    columns: list[str]
    rows: list[Row]


class CypherResult(_Out):
    columns: list[str]
    rows: list[Row]
    truncated: bool
    row_cap: int


# --- organisations, persons, network ----------------------------------------------------------

Organisation = node_model("Organisation", with_pii=True)
Person = node_model("Person", with_pii=True)


class OrganisationDetail(_Out):
    organisation: Organisation  # type: ignore[valid-type]
    regions: list[Row]
    topics: list[Row]
    projects: list[Row]
    cooperates_with: list[Row]
    contacts: int = Field(description="how many contact persons (their names need a role)")


class Subscriptions(_Out):
    organisation: str
    topics: list[Row] = Field(description="{id, name} of each subscribed topic")


class PersonDetail(_Out):
    person: Person  # type: ignore[valid-type]
    organisations: list[Row]
    knows: list[str] = Field(description="ids of the persons they know")


class PersonExport(_Out):
    person: Person  # type: ignore[valid-type]
    labels: list[str]
    relationships: list[Row]


class PersonErased(_Out):
    person_id: str
    erased: bool
    relationships_removed: int
    suppressed_identifiers: int


class Neighbourhood(_Out):
    nodes: list[Row]
    relationships: list[Row] = Field(description="{type, start, end}")
    complete: bool = Field(description="false when a level was cut (see levels, hubs, ask)")
    levels: list[Row]
    hubs: list[Row]
    ask: list[Row | str]


class Paths(_Out):
    paths: list[Row] = Field(description="{path, hops}, shortest first")


class PartnerRegions(_Out):
    regions: list[Row] = Field(description="{region, partners, practices_received}")


# --- editing -----------------------------------------------------------------------------------


class NodeRecord(_Out):
    label: str
    id: str
    version: int = Field(description="send it back with an edit (optimistic concurrency)")
    labels: list[str]
    properties: Row = Field(description="the editable values the role may see")


class NodeDeleted(_Out):
    deleted: str
    label: str
    relationships_removed: int


class RelationshipOut(_Out):
    type: str
    start: str
    end: str


class NodeHistory(_Out):
    id: str
    entries: list[Row] = Field(description="newest first: at, action, fields, changes, ...")


class Undone(_Out):
    undone: str
    node: NodeRecord | None = None


class Lookup(_Out):
    items: list[Row] = Field(description="{id, label, caption}")


class Dependents(_Out):
    total: int
    relationships: list[Row]


class Forms(_Out):
    languages: list[str]
    nodes: list[Row]
    relationships: list[Row]
    caller: Row


# --- workflows ---------------------------------------------------------------------------------


class ChallengeState(_Out):
    id: str
    name: str
    status: str
    topics: list[str]
    history: list[Row] = Field(description="{status, date} of every step so far")
    next: list[str] = Field(description="the statuses it may move to")


class ChallengeRound(ChallengeState):
    posed_by: list[Row]
    pitched_at_events: list[Row]
    proposals: list[Row] = Field(description="{proposal, proposed_by, pitched_at}")
    suggested_providers: list[Row]


class OpenChallenges(_Out):
    total: int
    challenges: list[Row] = Field(description="{challenge, posed_by, topics, proposals}")
    by_topic: list[Row]


class ProposalOut(_Out):
    id: str
    name: str
    status: str
    submitted_at: str
    challenge: str
    organisation: str


class ChallengeMatches(_Out):
    challenge: Row
    weights: dict[str, float]
    run: Row
    notes: list[Any]
    matches: list[Row]


class ContentOut(_Out):
    id: str
    name: str
    kind: str
    published_at: str
    topics: list[str]
    publisher: str


class Shared(_Out):
    content: str
    by: str
    shared_with: list[Row] = Field(description="{id, date}")


class Reach(_Out):
    content: Row
    publishers: list[Row]
    receivers: list[Row]
    total_receivers: int
    by_hops: dict[str, int]
    max_hops: int
    regions: list[Row]
    countries: list[Any]
    unconnected: list[Any]
    subscribers: int


class Feed(_Out):
    organisation: str
    subscriptions: list[Row]
    items: list[Row] = Field(
        description="{item, published_by, topics, matched_topics, shared_by, feed_date}"
    )
    total: int
    notes: list[Any]


class Programme(_Out):
    event: Row
    challenges: list[Row]
    total_challenges: int
    total_proposals: int


class Lineage(_Out):
    practice: Row
    presented_by: list[Row]
    transferred_to: list[Row]
    inspired: list[Row]
    modelled_on: list[Row]


class Newsletter(_Out):
    purpose: str
    contacts: list[Row] = Field(description="{id, name, email, organisations}")
    total: int
    without_email: int


# --- analytics ---------------------------------------------------------------------------------


class Metrics(_Out):
    projection: Row
    written: dict[str, int]
    metrics: list[Row] = Field(description="{name, run, extra, top}")


class MetricsWritten(_Out):
    written: dict[str, int]
    runs: list[Row]


class Introductions(_Out):
    method: str
    candidates: int
    run: Row
    notes: list[Any]
    suggestions: list[Row]


class Snapshot(_Out):
    name: str
    bytes: int


class SnapshotDiff(_Out):
    from_: Row = Field(alias="from")
    to: Row
    nodes_added: list[Any]
    nodes_removed: list[Any]
    new_links_count: int
    removed_links_count: int
    new_links: list[Any]
    removed_links: list[Any]
    centrality: Row
    communities: Row


# --- explorer (/api/v1/explorer) and saved views (/api/v1/views) ------------------------------

_VIEW_NODES = (
    "{id, label, name, title, type, typeName, shape, colour, metrics, topics}, with the planned "
    "position {x, y, sizePx, fontPx, labelled, ring} and degree when laid out, community and "
    "communityColour when analytics wrote them; a group of a large graph is "
    "{id: 'group:...', group, aggregate: true, count, ...}, opened with ?group="
)
_VIEW_EDGES = (
    "{id, from, to, type, caption}; a link between two groups has type '' and count, the "
    "number of links it stands for"
)
_MESSAGES = "notes for the reader: {key, values}, e.g. truncated, aggregate_hint, start_hint"


class ExplorerConfig(_Out):
    role: str = Field(description="the caller's capabilities joined by '+', e.g. 'viewer'")
    options: dict[str, list[Row]] = Field(
        description="filter choices by filter (topic, region, project): {id, name} of each"
    )


class ExplorerHit(_Out):
    id: str
    label: str = Field(description="the node's caption (a person's name only for contacts+)")
    type: str = Field(description="the node's label, e.g. Organisation")
    typeName: str = Field(description="the label in the request's language")


class ExplorerPicture(_Out):
    nodes: list[Row] = Field(description=_VIEW_NODES)
    edges: list[Row] = Field(description=_VIEW_EDGES)
    focus: str | None = Field(description="the node the view centres on; null: whole graph")
    group: str | None = Field(description="the opened group, if any")
    groupName: str | None = Field(description="the opened group's name in words")
    aggregated: bool = Field(description="true when nodes stand for groups of a large graph")
    total: int = Field(description="how many nodes the view holds in all")
    shown: int = Field(description="how many nodes this answer draws")
    messages: list[Row] = Field(description=_MESSAGES)
    metrics: list[str] = Field(description="the measures the nodes carry, e.g. metric_pagerank")
    scale: float = Field(1.0, description="zoom of the planned first fit (absent when empty)")
    centre: list[float] = Field(
        default_factory=list, description="[x, y] of the planned first fit (absent when empty)"
    )


class ExplorerView(ExplorerPicture):
    groupedBy: str | None = Field(description="what the groups are, e.g. label or community")
    page: int = Field(0, description="the page of an opened group's members")
    pages: int = Field(1, description="how many pages the opened group has")
    start: bool = Field(
        False, description="true: a dense network starts around its best-connected organisation"
    )
    bounded: Row | None = Field(
        None,
        description="a wide ego walk (3 hops, or a ring wider than 150 nodes) goes on level by "
        "level, each level cut at the 200 most closely linked nodes, hubs (regions, topics, "
        "programmes, nodes with more than 100 links) shown but not walked through: {from_hop, "
        "levels: [{hop, found, shown, left_out}], left_out, hubs: [ids], hub_degree, ask}; "
        "absent when nothing was left out",
    )


class ExplorerExpand(_Out):
    focus: str = Field(description="the node that was expanded")
    nodes: list[Row] = Field(description=f"its neighbours, without position: {_VIEW_NODES}")
    edges: list[Row] = Field(description=f"every link of the new nodes: {_VIEW_EDGES}")
    messages: list[Row] = Field(description=_MESSAGES)


class ExplorerTags(_Out):
    tags: dict[str, dict[str, list[str]]] = Field(
        description="per node id the ids of its topics, regions and projects: "
        "{topic: [...], region: [...], project: [...]}, kinds without any left out; "
        "ids the caller may not see are left out"
    )


class ExplorerPath(ExplorerPicture):
    kind: str = Field(description='"path"')
    target: str = Field(description="the node the paths end at (focus: where they start)")
    highlight: list[str] = Field(description="node ids of the first path, in order; [] if none")
    paths: list[Row] = Field(
        description="shortest first: {nodes: [{id, caption}], steps: [{from, to, type, words}]}"
    )


class ExplorerNode(_Out):
    id: str
    type: str = Field(description="the node's label, e.g. Organisation")
    typeName: str = Field(description="the label in the request's language")
    kinds: list[str] = Field(description="its kinds in words, e.g. 'Projektpartner Scale Up'")
    caption: str
    facts: list[Row] = Field(description="{key, name, value}: the properties the role may see")
    measures: list[Row] = Field(description="{key, name, value, explanation} of each measure")
    origin: list[Row] = Field(description="{key, name, value}: id, source and other provenance")
    personalHidden: bool = Field(description="true when personal fields were left out (role)")
    sections: list[Row] = Field(
        description="links grouped by meaning, largest first: {rel, direction, name, phrase, "
        "count, items: [{id, caption, type, typeName}]}"
    )
    linkCount: int


class SavedView(_Out):
    id: str = Field(description="12 hex digits; PATCH or DELETE /api/v1/views/{id}")
    name: str
    params: str = Field(description="open it with /?<params>, e.g. focus=org-rmn&hops=2")
    created_at: str = Field(description="UTC, ISO 8601")
    mine: bool = Field(False, description="true when the caller's key saved it")
    can_change: bool = Field(False, description="true when the caller may rename or delete it")


class SavedViews(_Out):
    views: list[SavedView] = Field(description="newest first")
