"""Everything runs on the real Nordhessen seed network, and shows the actors the source names."""

from __future__ import annotations

from pathlib import Path

from scaleup_graph.analytics import METRICS, ProjectionFilter, run_metrics
from scaleup_graph.analytics.report import build_report, render
from scaleup_graph.store import GraphStore


def test_every_metric_runs_on_the_seed(seeded: GraphStore) -> None:
    run = run_metrics(seeded, sorted(METRICS))
    by_name = {r.name: r for r in run.results}
    assert run.projection["nodes"] > 100
    # The chamber or the agency is among the best-connected actors of the support network.
    top = {node for node, _ in by_name["degree"].top(5)}
    assert top & {"org-ihk-kassel-marburg", "org-regionalmanagement-nordhessen-gmbh"}
    assert by_name["community"].extra["modularity"] > 0.3
    for result in run.results:
        assert result.run.nodes == run.projection["nodes"]
        assert result.run.seconds >= 0


def test_brokers_between_regions_in_the_organisation_network(seeded: GraphStore) -> None:
    flt = ProjectionFilter(labels=("Organisation",))
    run = run_metrics(seeded, ["brokerage"], flt=flt)
    total = next(r for r in run.results if r.name == "brokerage_total")
    top_ids = [node for node, _ in total.top(5)]
    assert "org-regionalmanagement-nordhessen-gmbh" in top_ids


def test_report_on_the_seed_has_no_person_names(seeded: GraphStore, tmp_path: Path) -> None:
    data = build_report(seeded)
    page = render(data)
    assert "IHK Kassel-Marburg" in page
    assert data["figures"]["nodes"] > 100
    for row in seeded.read("MATCH (p:Person) RETURN p.name AS name"):
        assert row["name"] not in page
