"""The grouped overview of a large graph over real HTTP: named groups that open and page through
all their members, and pictures that follow every write at the next request, also a write
through another store connection (another worker process, an ingest run)."""

from __future__ import annotations

from typing import Any

import httpx

from scaleup_graph.store import GraphStore, NodeRow
from tests.support.graphs import PROV

Keys = dict[str, dict[str, str]]
VIEW = "/api/v1/explorer/view"


def _overview(http: httpx.Client, keys: Keys, **params: Any) -> dict[str, Any]:
    answer = http.get(VIEW, params={"lang": "de", **params}, headers=keys["viewer"])
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def _rename(http: httpx.Client, keys: Keys, label: str, node_id: str, name: str) -> None:
    record = http.get(f"/api/v1/nodes/{node_id}/record", headers=keys["editor"]).json()
    edited = http.put(
        f"/api/v1/nodes/{label}/{node_id}",
        json={"version": record["version"], "properties": {"name": name}},
        headers=keys["editor"],
    )
    assert edited.status_code == 200, edited.text


def test_the_large_overview_shows_named_groups_that_page_through_every_member(
    http: httpx.Client, keys: Keys, large: GraphStore
) -> None:
    overview = _overview(http, keys)
    # a viewer's overview leaves out the challenges in draft (issue 15, point 6)
    drafts = large.read("MATCH (c:Challenge) WHERE c.status = 'draft' RETURN count(c) AS n")
    total = sum(large.counts()["nodes"].values()) - int(drafts[0]["n"])
    assert overview["aggregated"] and overview["total"] == total
    groups = overview["nodes"]
    assert sum(g["count"] for g in groups) == total
    assert all(g["count"] >= 3 for g in groups), [g["label"] for g in groups]
    assert all("Community" not in g["name"] and g["name"] for g in groups)
    assert len({g["name"] for g in groups}) == len(groups)
    assert overview["edges"] and all(e["count"] >= 1 for e in overview["edges"])

    biggest = max(groups, key=lambda g: g["count"])
    seen: list[str] = []
    first = _overview(http, keys, group=biggest["group"])
    for page in range(first["pages"]):
        shown = _overview(http, keys, group=biggest["group"], page=page)
        assert shown["groupName"] == biggest["name"]
        seen += [n["id"] for n in shown["nodes"]]
        # the links among the members on the page are drawn with their meaning
        assert all(e["type"] and not e["type"].startswith("~") for e in shown["edges"])
    assert len(seen) == len(set(seen)) == biggest["count"]


def test_an_edit_shows_in_the_overview_at_the_next_request(
    http: httpx.Client, keys: Keys, large: GraphStore
) -> None:
    before = _overview(http, keys)
    region = next(g for g in before["nodes"] if g["group"].startswith("region:"))
    region_id = region["group"].removeprefix("region:")
    assert _overview(http, keys)["nodes"] == before["nodes"]  # kept, same answer

    # an editor renames the region in the page's editing API: the group's name follows
    _rename(http, keys, "Region", region_id, "Nordhessen Mitte")
    after = _overview(http, keys)
    renamed = next(g for g in after["nodes"] if g["group"] == region["group"])
    assert renamed["name"] == "Nordhessen Mitte"
    assert renamed["label"].startswith("Nordhessen Mitte")

    # another process (a second worker, an ingest run) writes through its own connection:
    # a property-only change, the node and relationship counts stay the same
    large.upsert_nodes("Region", [NodeRow(region_id, {"name": "Region Mitte"})], provenance=PROV)
    again = next(g for g in _overview(http, keys)["nodes"] if g["group"] == region["group"])
    assert again["name"] == "Region Mitte"

    # an opened group follows as well: a member renamed elsewhere has its new name at once
    page = _overview(http, keys, group=region["group"])
    member = next(n for n in page["nodes"] if n["type"] == "Organisation")
    large.upsert_nodes(
        "Organisation", [NodeRow(member["id"], {"name": "Umbenannt GmbH"})], provenance=PROV
    )
    page = _overview(http, keys, group=region["group"])
    assert next(n for n in page["nodes"] if n["id"] == member["id"])["name"] == "Umbenannt GmbH"
