"""The analytics commands as a user runs them: output, files, and clear errors (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scaleup_graph.cli import app
from scaleup_graph.store import GraphStore

runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # rich wraps long lines


@pytest.fixture
def env(small: GraphStore, store_env: dict[str, str]) -> dict[str, str]:
    return store_env


def test_metrics_json_and_write(env: dict[str, str]) -> None:
    code, out = _run("metrics", "pagerank", "brokerage", "--write", "--json", "--top", "3")
    assert code == 0, out
    data = json.loads(out)
    names = [m["name"] for m in data["metrics"]]
    assert names[0] == "pagerank" and "brokerage_total" in names
    assert data["metrics"][0]["top"][0]["name"]
    assert data["written"]["pagerank"] == data["projection"]["nodes"]


def test_metrics_table_shows_names(env: dict[str, str]) -> None:
    code, out = _run("metrics", "degree", "--label", "Organisation")
    assert code == 0, out
    assert "IHK Test" in out and "Projected 4 nodes" in out


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [  # exit codes by kind (README): 3 NotFound, 4 Invalid
        (["metrics", "fame"], "unknown metric", 4),
        (["metrics", "--label", "Company"], "unknown label", 4),
        (["metrics", "--label", "Event"], "too few", 4),
        (["metrics", "brokerage", "--group", "shoe_size"], "group attribute", 4),
        (["match", "challenge-nope"], "no challenge with this id", 3),
        (["snapshot", "diff", "a", "b"], "no snapshot with this name", 3),
        (["export", "json", "/nonexistent-dir/x.json"], "does not exist", 4),
        (["export", "csv", "out.csv", "--role", "boss"], "unknown role", 4),
        (["export", "html", "out.html", "--role", "boss"], "unknown role", 4),
        (["export", "neo4j-import", "out-dir", "--role", "boss"], "unknown role", 4),
    ],
)
def test_bad_input_is_one_clear_line(
    env: dict[str, str], args: list[str], message: str, exit_code: int
) -> None:
    code, out = _run(*args)
    assert code == exit_code
    assert message in out and "Traceback" not in out


def test_match_and_introductions(env: dict[str, str]) -> None:
    code, out = _run("match", "challenge-x")
    assert code == 0 and "Gamma Srl" in out and "via trusted IHK Test" in out
    code, out = _run("introductions", "--json")
    assert code == 0
    pairs = {(s["source"], s["target"]) for s in json.loads(out)["suggestions"]}
    assert ("org-sme-a", "org-sme-b") in pairs


def test_snapshot_create_and_diff(env: dict[str, str]) -> None:
    assert _run("snapshot", "create", "before", "--until", "2021-01-01")[0] == 0
    assert _run("snapshot", "create", "after")[0] == 0
    code, out = _run("snapshot", "diff", "before", "after", "--json")
    assert code == 0
    assert json.loads(out)["nodes_added"][0]["id"] == "challenge-x"
    assert "before" in _run("snapshot", "list")[1]


def test_exports_and_report(env: dict[str, str], tmp_path: Path) -> None:
    code, out = _run("export", "csv", str(tmp_path / "n.csv"), "--excel-de")
    assert code == 0 and "without personal data" in out
    assert (tmp_path / "n.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    code, out = _run("export", "graphml", str(tmp_path / "g.graphml"), "--role", "contacts")
    assert code == 0 and "with personal data" in out
    code, out = _run("report", str(tmp_path / "r.html"))
    assert code == 0, out
    page = (tmp_path / "r.html").read_text()
    assert "<svg" in page and "<img" not in page and "<script" not in page
    assert 'src="' not in page and 'href="http' not in page  # one offline file
    assert "Erika" not in page and "Netzwerkanalyse" in page
    assert (tmp_path / "r.csv").exists()
    code, out = _run("report", str(tmp_path / "r.html"), "--lang", "en", "--json")
    assert code == 0 and "Topics at the centre" in json.loads(out)["sections"]


@pytest.mark.parametrize(
    ("args", "message", "exit_code"),
    [  # 3 NotFound, 4 Invalid, 6 Forbidden
        (["report", "r.docx"], "name the file .html", 4),
        (["report", "r.html", "--lang", "fr"], "unknown language", 4),
        (["report", "r.html", "--persons"], "may not see persons", 6),
        (["report", "r.html", "--since-snapshot", "phase-9"], "no snapshot with this name", 3),
    ],
)
def test_report_bad_input_is_one_clear_line(
    env: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
    exit_code: int,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out = _run(*args)
    assert code == exit_code, out
    assert message in out and "Traceback" not in out
    assert list(tmp_path.glob("r.*")) == []


def test_brokerage_on_the_organisation_network(env: dict[str, str]) -> None:
    code, out = _run("metrics", "brokerage", "--actors", "--json", "--top", "1")
    assert code == 0, out
    data = json.loads(out)
    assert data["metrics"][-1]["name"] == "brokerage_total"
    # Beta (DE73) links Alpha (DE73, via the chamber) and Gamma (Lazio, via the project).
    assert data["metrics"][-1]["top"][0]["id"] in {"org-sme-b", "org-ihk"}


def test_a_seed_out_of_range_is_refused_before_any_work() -> None:
    from scaleup_graph.analytics import MetricOptions
    from scaleup_graph.errors import Invalid

    with pytest.raises(Invalid, match="seed must be a whole number from 0") as refused:
        MetricOptions(seed=-1)
    assert refused.value.field == "seed"
    assert MetricOptions(seed=2**32 - 1).seed == 2**32 - 1
