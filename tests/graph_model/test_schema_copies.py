"""What other rooms take from the schema stays in step with it (graph_model/schema.py).

The explorer's styles and filters, the analytics' affiliations, the lineage's kinds and the
generator's statuses used to be hand-written copies of the schema; they are now derived from its
flags (``colour``/``shape``, ``view_filter``, ``affiliation``, ``choices``). These tests fail
when the schema gains a label or a choice that one of them would not handle, and when a new
hand-written list of labels or choices appears in src/.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

from scaleup_graph.analytics.onemode import AFFILIATIONS
from scaleup_graph.api.routes.explorer import explorer_view_route
from scaleup_graph.graph_model import NODE_TYPES, REL_TYPES, choices
from scaleup_graph.graph_model.schema import GREY, OKABE_ITO, VIEW_FILTERS
from scaleup_graph.ingest import generate
from scaleup_graph.visualisation.styles import NODE_STYLES, legend
from scaleup_graph.visualisation.views import FILTER_LABELS, ViewFilter
from scaleup_graph.workflows.lineage import _kind

SRC = Path(__file__).resolve().parents[2] / "src" / "scaleup_graph"
#: vis-network shapes that draw their label below the node (the layout plans for that)
SHAPES_WITH_LABEL_BELOW = {
    "dot",
    "diamond",
    "triangle",
    "triangleDown",
    "square",
    "star",
    "hexagon",
}


def test_every_label_has_its_own_palette_style() -> None:
    assert set(NODE_STYLES) == set(NODE_TYPES)
    palette = {*OKABE_ITO.values(), GREY}
    for label, style in NODE_STYLES.items():
        assert style["colour"] in palette, label
        assert style["shape"] in SHAPES_WITH_LABEL_BELOW, label
    pairs = [(s["colour"], s["shape"]) for s in NODE_STYLES.values()]
    assert len(set(pairs)) == len(pairs), "two labels look the same"
    assert [e["label"] for e in legend("de")] == list(NODE_TYPES)


def test_every_view_filter_is_a_field_of_the_view_and_a_parameter_of_the_route() -> None:
    assert FILTER_LABELS == VIEW_FILTERS
    fields = {f.name for f in dataclasses.fields(ViewFilter)} - {"labels"}
    assert fields == set(VIEW_FILTERS), "ViewFilter needs one field per view_filter"
    params = set(inspect.signature(explorer_view_route).parameters)
    assert set(VIEW_FILTERS) <= params, "GET /explorer/view needs one parameter per filter"
    for label in VIEW_FILTERS.values():
        assert not NODE_TYPES[label].personal, label


def test_every_affiliation_is_something_organisations_take_part_in() -> None:
    assert set(AFFILIATIONS) == {label for label, t in NODE_TYPES.items() if t.affiliation}
    for label in AFFILIATIONS:
        assert any(
            ("Organisation" in r.sources and label in r.targets)
            or ("Organisation" in r.targets and label in r.sources)
            for r in REL_TYPES.values()
        ), f"no relationship ties an organisation to {label}"
    # sharing a topic or a region is no acquaintance (analytics/onemode.py)
    assert not {"Topic", "Region", "Organisation", "Person"} & set(AFFILIATIONS)


def test_the_lineage_names_every_label_by_its_schema_label() -> None:
    for label, t in NODE_TYPES.items():
        assert _kind([*t.extra_labels[:1], label]) == label


def test_the_generator_draws_every_challenge_status() -> None:
    assert choices("Challenge", "status") == generate._STATUSES
    assert len(generate._STATUS_CUM) == len(generate._STATUSES), (
        "give the new status a share in generate._STATUS_CUM"
    )
    assert list(generate._STATUS_CUM) == sorted(generate._STATUS_CUM)
    assert generate._STATUS_CUM[-1] == 100


# --- no new hand-written copies --------------------------------------------------------------

#: copies that remain (docs/design.md, graph_model): shrink this set, never grow it
KNOWN_COPIES = {
    ("workflows/challenges.py", "Challenge.status"),
    ("ingest/natural_persons.py", "Organisation.kinds"),
    ("ingest/natural_persons.py", "Organisation.activity_type"),
    ("ingest/generate.py", "ContentItem.kind"),
    ("ingest/generate.py", "Proposal.status"),
    ("visualisation/texts.py", "labels"),
    ("visualisation/texts.py", "Challenge.status"),
    ("visualisation/export.py", "labels"),
    ("visualisation/views.py", "labels"),
    ("analytics/matchmaking.py", "labels"),
    ("analytics/matchmaking.py", "relationship types"),
    ("queries/neighbourhood.py", "labels"),
    ("analytics/report/data.py", "Organisation.kinds"),
    ("analytics/report/data.py", "labels"),
}


def _pools() -> dict[str, set[str]]:
    pools = {"labels": set(NODE_TYPES), "relationship types": set(REL_TYPES)}
    for label, t in NODE_TYPES.items():
        for prop in t.all_properties:
            if len(prop.choices) >= 3:
                pools[f"{label}.{prop.name}"] = set(prop.choices)
    return pools


def _copies() -> set[tuple[str, str]]:
    """(file, what) for every literal in src/ (outside graph_model) that lists three or more
    labels, relationship types or choices of one property."""
    pools, found = _pools(), set()
    for path in SRC.rglob("*.py"):
        if path.relative_to(SRC).parts[0] == "graph_model":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                items = node.elts
            elif isinstance(node, ast.Dict):
                items = [*node.values, *(k for k in node.keys if k is not None)]
            else:
                continue
            strings = {e.value for e in items if isinstance(e, ast.Constant)}
            for what, pool in pools.items():
                if len(strings & pool) >= 3:
                    found.add((str(path.relative_to(SRC)), what))
    return found


def test_no_new_hand_written_copy_of_the_schema() -> None:
    new = _copies() - KNOWN_COPIES
    assert not new, (
        f"take these from graph_model.schema (a flag, choices(), NODE_TYPES) instead: {sorted(new)}"
    )
    gone = KNOWN_COPIES - _copies()
    assert not gone, f"remove from KNOWN_COPIES (derived now, thank you): {sorted(gone)}"
