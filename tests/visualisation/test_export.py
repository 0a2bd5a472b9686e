"""The offline HTML export: self-contained, no external URL, filtered by role, plain-text names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaleup_graph.cli import app
from scaleup_graph.errors import NotFound
from scaleup_graph.store import GraphStore
from scaleup_graph.visualisation import export_data, export_html
from tests.support.sample_network import EMAIL, IHK, PERSON_NAME


def test_export_is_self_contained_without_external_urls(sample: GraphStore) -> None:
    html = export_html(sample, role="viewer")
    assert not re.search(r"https?://", html), "no URL of any kind is left in the file"
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=\"(?!data:)", html, re.I)
    assert "vis-network" in html and "new vis.Network" in html
    # vis-network, the data, the page script (the library itself mentions "<script" in a string)
    assert len(re.findall(r"^<script", html, re.M)) == 3


def test_viewer_export_holds_no_personal_data(sample: GraphStore) -> None:
    viewer = export_html(sample, role="viewer")
    assert EMAIL not in viewer and PERSON_NAME not in viewer
    contacts = export_html(sample, role="contacts")
    assert EMAIL in contacts and PERSON_NAME in contacts


def test_names_that_look_like_markup_stay_text(sample: GraphStore) -> None:
    html = export_html(sample, role="viewer")
    assert "<img src=x" not in html
    assert "\\u003cimg src=x" in html


def test_focused_export_holds_only_the_ego_network(sample: GraphStore) -> None:
    data = export_data(sample, role="viewer", focus=IHK, hops=1)
    assert IHK in data["nodes"] and "org-lazio-innova" not in data["nodes"]
    assert data["views"][""]["focus"] == IHK
    with pytest.raises(NotFound):
        export_data(sample, role="viewer", focus="org-unbekannt")


def test_large_export_carries_every_group(sample: GraphStore) -> None:
    data = export_data(sample, role="viewer", aggregate_above=5)
    groups = {n["group"] for n in data["views"][""]["nodes"]}
    assert groups == set(data["views"]) - {""}
    assert {n["group"] for n in data["nodes"].values()} == groups


def test_cli_writes_the_file(sample: GraphStore, store_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "netz.html"
    result = CliRunner().invoke(app, ["export", "html", str(out), "--focus", IHK, "--hops", "2"])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and out.stat().st_size > 400_000
    assert EMAIL not in out.read_text(encoding="utf-8")


def test_cli_refuses_bad_input_readably(
    sample: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    runner = CliRunner()
    bad_role = runner.invoke(app, ["export", "html", str(tmp_path / "a.html"), "--role", "boss"])
    assert bad_role.exit_code == 4 and "unknown role 'boss'" in bad_role.output
    unknown = runner.invoke(app, ["export", "html", str(tmp_path / "b.html"), "--focus", "x-1"])
    assert unknown.exit_code == 3 and "does not exist" in unknown.output  # NotFound
    assert "Traceback" not in unknown.output


def test_export_details_speak_plain_words_and_name_what_was_left_out(sample: GraphStore) -> None:
    sample.write("MATCH (n:Organisation) SET n.metric_pagerank = 0.1")
    sample.write("MATCH (n:Organisation {id: $id}) SET n.metric_pagerank = 0.5", {"id": IHK})
    data = export_data(sample, role="viewer", focus=IHK, hops=1)
    ihk = data["details"][IHK]
    assert ihk["measures"][0]["value"].startswith("Platz 1 von ")
    assert ihk["missing"] == 0  # the focus keeps all its links
    # RMN is a direct neighbour: its partners further out are named as left out
    assert data["details"]["org-rmn"]["missing"] > 0
    links = {(e["from"], e["to"]) for e in data["views"][""]["edges"]}
    assert (IHK, "org-rmn") in links
