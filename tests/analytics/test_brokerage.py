"""Gould-Fernandez roles against counts worked out by hand, and the fast count against the
definition on random graphs."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from scaleup_graph.analytics import AnalyticsError
from scaleup_graph.analytics.brokerage import (
    brokerage,
    brokerage_counts,
    brokerage_counts_naive,
)


def _hand_graph() -> tuple[nx.DiGraph, dict[str, str]]:
    # j in {a, e, f} -> b -> k in {c, d, g}; a -> c closes one two-path.
    g = nx.DiGraph(
        [("a", "b"), ("e", "b"), ("f", "b"), ("b", "c"), ("b", "d"), ("b", "g"), ("a", "c")]
    )
    groups = {"a": "X", "f": "X", "g": "X", "b": "Y", "c": "Y", "e": "Y", "d": "Z"}
    return g, groups


def test_directed_roles_equal_the_hand_count() -> None:
    g, groups = _hand_graph()
    # a-b-d liaison, a-b-g itinerant, e-b-c coordinator, e-b-d and e-b-g representative,
    # f-b-c gatekeeper, f-b-d liaison, f-b-g itinerant; a-b-c is closed by a -> c.
    expected = {
        "coordinator": 1,
        "itinerant": 2,
        "gatekeeper": 1,
        "representative": 2,
        "liaison": 2,
        "total": 8,
    }
    for count in (brokerage_counts, brokerage_counts_naive):
        counts = count(g, groups)
        assert counts["b"] == expected
        assert counts["a"]["total"] == counts["c"]["total"] == 0


def test_undirected_ties_count_from_both_ends() -> None:
    path = nx.Graph([("x", "y"), ("y", "z")])
    counts = brokerage_counts(path, {"x": "A", "y": "B", "z": "A"})
    assert counts["y"]["itinerant"] == 2 and counts["y"]["total"] == 2
    counts = brokerage_counts(path, {"x": "A", "y": "A", "z": "B"})
    assert counts["y"]["representative"] == counts["y"]["gatekeeper"] == 1
    path.add_edge("x", "z")  # a triangle: no one brokers
    assert brokerage_counts(path, {"x": "A", "y": "B", "z": "A"})["y"]["total"] == 0


@pytest.mark.parametrize("seed", range(12))
def test_fast_count_equals_the_definition(seed: int) -> None:
    rnd = random.Random(seed)
    g = nx.gnp_random_graph(30, 0.12, seed=seed, directed=seed % 2 == 0)
    groups = {v: rnd.choice("ABC") for v in g if rnd.random() > 0.15}
    assert brokerage_counts(g, groups) == brokerage_counts_naive(g, groups)


def test_nodes_without_the_attribute_are_left_out_and_counted() -> None:
    g = nx.Graph([("x", "y"), ("y", "z"), ("z", "w")])
    nx.set_node_attributes(g, {"x": "DE", "y": "IT", "z": "DE"}, "region")
    result = brokerage(g, "region")
    assert result.missing == 1
    assert result.counts["y"]["itinerant"] == 2
    assert "w" not in result.counts
    names = [r.name for r in result.results()]
    assert names[-1] == "brokerage_total" and "brokerage_liaison" in names


def test_unknown_attribute_lists_the_ones_that_exist() -> None:
    g = nx.Graph([("x", "y"), ("y", "z")])
    nx.set_node_attributes(g, "DE", "country")
    with pytest.raises(AnalyticsError, match="use one of: country"):
        brokerage(g, "sector")


def test_partners_of_a_project_broker_on_the_organisation_network() -> None:
    from scaleup_graph.analytics.onemode import co_affiliation

    # x (DE) and y (DE) share project p; y and z (IT) share project q: y links the two regions.
    g = nx.Graph([("x", "p"), ("y", "p"), ("y", "q"), ("z", "q")])
    labels = {"x": "Organisation", "y": "Organisation", "z": "Organisation"}
    nx.set_node_attributes(g, {**labels, "p": "Project", "q": "Project"}, "label")
    nx.set_node_attributes(g, {"x": "DE", "y": "DE", "z": "IT"}, "region")
    assert brokerage(g, "region").counts["y"]["total"] == 0  # projects sit in between
    counts = brokerage(co_affiliation(g), "region").counts
    assert counts["y"] == {
        "coordinator": 0,
        "itinerant": 0,
        "gatekeeper": 1,
        "representative": 1,
        "liaison": 0,
        "total": 2,
    }
