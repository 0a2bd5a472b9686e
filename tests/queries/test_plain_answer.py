"""A named query's answer is filtered for the caller in one walk when no filter can change it
(``privacy.plain_answer``): the rows must be exactly those of the three filters (system-value
check, ``drop_hidden``, ``strip_pii``), for every role, on random answers and on the store's."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaleup_graph.queries import catalogue, run_query
from scaleup_graph.queries.privacy import drop_hidden, plain_answer, strip_pii, visibility
from scaleup_graph.queries.runner import WALKED, _filtered, _has_system_value
from scaleup_graph.store import GraphStore
from tests.support.graphs import build_small_graph

ROLES = ("viewer", "contacts", "editor", "analyst", "contacts+editor", "contacts+analyst+admin")


def _three_filters(rows: list[dict[str, Any]], role: str, pii: frozenset[str]) -> Any:
    """The filters as run_query ran them before the one-walk path."""
    kept = [row for row in rows if not _has_system_value(row)]
    return strip_pii(drop_hidden(kept, role), role, pii)


_NODES = st.sampled_from(
    [
        {"id": "org-a", "name": "A GmbH", "_labels": ["Organisation", "SME"]},
        {"id": "region-de73", "name": "Kassel", "_labels": ["Region"]},
        {"id": "person-1", "name": "Anna", "email": "a@x.de", "_labels": ["Person"]},
        {"id": "challenge-x", "status": "draft", "_labels": ["Challenge"]},
        {"id": "challenge-y", "status": "open", "_labels": ["Challenge"]},
        {"id": "s-1", "_labels": ["_Suppressed"]},
        {"id": "t", "name": "Mobilität"},
        {"_type": "KNOWS", "_start": "person-1", "_end": "person-2"},
        {"type": "POSES", "start": "org-a", "end": "challenge-x"},
        {"type": "LOCATED_IN", "start": "org-a", "end": "region-de73"},
        {"nodes": [], "relationships": []},
    ]
)
_VALUES = st.recursive(
    st.one_of(st.none(), st.integers(), st.text(max_size=3), _NODES),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(st.sampled_from(["id", "name", "nodes", "x"]), inner, max_size=2),
    ),
    max_leaves=8,
)
_ROWS = st.lists(
    st.dictionaries(st.sampled_from(["organisation", "regions", "email", "n"]), _VALUES),
    max_size=3,
)


@settings(max_examples=400, deadline=None)
@given(rows=_ROWS, role=st.sampled_from(ROLES), pii=st.sampled_from([(), ("email",)]))
def test_one_walk_gives_the_rows_of_the_three_filters(
    rows: list[dict[str, Any]], role: str, pii: tuple[str, ...]
) -> None:
    assert _filtered(rows, role, frozenset(pii)) == _three_filters(rows, role, frozenset(pii))


def test_an_answer_any_filter_acts_on_is_not_plain() -> None:
    organisation = {"id": "org-a", "_labels": ["Organisation"]}
    assert plain_answer([{"organisation": organisation, "topics": [{"id": "t", "name": "x"}]}])
    for inside in (
        {"id": "person-1", "name": "Anna", "_labels": ["Person"]},
        {"id": "challenge-x", "status": "draft", "_labels": ["Challenge"]},
        {"id": "s", "_labels": ["_Suppressed"]},
        {"type": "POSES", "start": "org-a", "end": "challenge-x"},
        {"_type": "KNOWS", "_start": "person-1", "_end": "person-2"},
        {"nodes": [], "relationships": []},
        ("a tuple",),
    ):
        assert not plain_answer([{"organisation": organisation, "x": [inside]}]), inside


def _params(name: str) -> list[dict[str, Any]]:
    return {
        "organisation": [{"id": i} for i in ("org-rmn", "org-kassel-tech", "org-nope")],
        "organisation_contacts": [{"id": "org-rmn"}, {"id": "org-kassel-tech"}],
        "person": [{"id": "person-anna"}],
        "challenge_proposals": [{"id": "challenge-last-mile"}, {"id": "challenge-hr"}],
        "paths": [{"source": "org-rmn", "target": "org-stadtwerke-koeln"}],
        "search_organisations": [{}, {"q": "kassel"}, {"topic": "Mobilität"}],
        "challenges": [{}],
        "content_feed": [{}],
        "partner_regions": [{}],
    }.get(name, [{}])


@pytest.mark.parametrize("role", ROLES)
def test_every_named_query_answers_as_with_the_three_filters(store: GraphStore, role: str) -> None:
    """The small graph holds persons, a KNOWS link and a challenge in draft."""
    build_small_graph(store)
    plain_seen = set()
    for name, query in catalogue().items():
        if name in WALKED or not query.role or not _allowed(role, query.role):
            continue
        for params in _params(name):
            bound = query.bind(params, dialect=store.dialect)
            text = query.text(store.dialect, bound)
            raw = store.read(text, {**bound, **visibility(role).query_params()})
            if raw and plain_answer(raw):
                plain_seen.add(name)
            wanted = _three_filters(raw, role, query.pii_columns)
            assert run_query(store, name, params, role).rows == wanted, (name, params)
    # the one-walk path is the one the organisation detail and the search take
    assert {"organisation", "search_organisations"} <= plain_seen
    assert "organisation_contacts" not in plain_seen  # its rows are persons


def _allowed(role: str, needed: str) -> bool:
    from scaleup_graph.queries.privacy import has_role

    return has_role(role, needed)
