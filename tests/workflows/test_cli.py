"""The workflow commands as a person runs them, on a private copy of the seed network."""

from __future__ import annotations

import json
from pathlib import Path

from scaleup_graph.store import GraphStore
from tests.support.cli import scaleup


def test_lineage_digest_and_a_refused_move(
    seeded_store: GraphStore, store_env: dict[str, str], tmp_path: Path
) -> None:
    lineage = scaleup(store_env, "lineage", "practice-mowin-innovation-lab", "--json")
    assert lineage.returncode == 0, lineage.stderr
    regions = [t["nuts_code"] for t in json.loads(lineage.stdout)["transferred_to"]]
    assert regions == ["EL30", "PL81"]

    out = tmp_path / "digest.html"
    made = scaleup(
        store_env,
        "digest",
        "org-syn2021-000022",
        "--format",
        "html",
        "--out",
        str(out),
        "--week-ending",
        "2022-03-30",
    )
    assert made.returncode == 0, made.stderr
    html = out.read_text(encoding="utf-8")
    assert "Kasaraar Recycling GmbH" in html and "Stammtisch in Eschwege" in html

    refused = scaleup(store_env, "challenge", "move", "challenge-syn2021-00000", "published")
    assert refused.returncode == 5  # Conflict: the challenge's state forbids the move
    assert "is 'solved' and cannot move to 'published'" in " ".join(refused.stderr.split())
    assert "Traceback" not in refused.stderr
