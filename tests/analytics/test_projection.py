"""The projection loads what the filter keeps, and never a person's data."""

from __future__ import annotations

import pytest

from scaleup_graph.analytics import AnalyticsError, ProjectionFilter, project
from scaleup_graph.store import GraphStore


def test_whole_graph_leaves_persons_out(small: GraphStore) -> None:
    graph = project(small).graph
    assert "person-1" not in graph
    assert graph.has_edge("org-sme-a", "org-ihk")
    assert graph.edges["org-sme-a", "org-ihk"]["types"] == ["MEMBER_OF"]
    assert graph.nodes["org-sme-a"]["region"] == "region-de73"
    assert graph.nodes["org-sme-a"]["kinds"] == ["SME"]


def test_persons_are_carried_by_id_only(small: GraphStore) -> None:
    graph = project(small, ProjectionFilter(include_persons=True)).graph
    assert graph.nodes["person-1"] == {"label": "Person", "kinds": []}
    assert "Erika" not in repr(graph.nodes(data=True))


def test_label_and_type_filters(small: GraphStore) -> None:
    flt = ProjectionFilter(labels=("Organisation",), rel_types=("MEMBER_OF",))
    graph = project(small, flt).graph
    assert {graph.nodes[n]["label"] for n in graph} == {"Organisation"}
    assert sorted(graph.edges()) == [("org-sme-a", "org-ihk"), ("org-sme-b", "org-ihk")]


def test_organisation_kind_as_label(small: GraphStore) -> None:
    graph = project(small, ProjectionFilter(labels=("SME",))).graph
    assert sorted(graph) == ["org-sme-a", "org-sme-b", "org-sme-c"]


def test_region_keeps_located_actors_and_their_projects(small: GraphStore) -> None:
    graph = project(small, ProjectionFilter(region="DE73")).graph
    assert {"org-sme-a", "org-sme-b", "org-ihk", "project-p"} <= set(graph)
    assert "org-sme-c" not in graph  # located in Lazio


def test_project_filter(small: GraphStore) -> None:
    graph = project(small, ProjectionFilter(projects=("project-p",))).graph
    assert sorted(graph) == ["org-sme-b", "org-sme-c", "project-p"]


def test_time_window_drops_nodes_dated_outside(small: GraphStore) -> None:
    graph = project(small, ProjectionFilter(since="2022-01-01")).graph
    assert "project-p" not in graph  # ended 2020
    assert "challenge-x" in graph
    graph = project(small, ProjectionFilter(until="2021-01-01")).graph
    assert "project-p" in graph and "challenge-x" not in graph


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"labels": ("Company",)}, "unknown label"),
        ({"rel_types": ("LIKES",)}, "unknown relationship type"),
        ({"since": "01.02.2022"}, "must be a date"),
        ({"since": "2023-01-01", "until": "2022-01-01"}, "is after"),
    ],
)
def test_bad_filters_are_explained(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(AnalyticsError, match=message):
        ProjectionFilter(**kwargs)  # type: ignore[arg-type]


def test_unknown_region_and_project(small: GraphStore) -> None:
    with pytest.raises(AnalyticsError, match="no region"):
        project(small, ProjectionFilter(region="FR10"))
    with pytest.raises(AnalyticsError, match="no project"):
        project(small, ProjectionFilter(projects=("project-nope",)))
