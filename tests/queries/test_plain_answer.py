"""A named query's answer is filtered for the caller in one walk when no filter can change it
(``privacy.plain_answer``): the rows must be exactly those of the three filters (system-value
check, ``drop_hidden``, ``strip_pii``), for every role, on random answers and on the store's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaleup_graph.queries import catalogue, privacy, run_query
from scaleup_graph.queries.privacy import (
    PersonalFields,
    drop_hidden,
    has_role,
    plain_answer,
    sees_pii,
    strip_pii,
    visibility,
)
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


def _every_answer(store: GraphStore, role: str) -> Iterator[tuple[str, Any, bool]]:
    """(query name, rows run_query gives ``role``, whether the raw answer was plain), each
    checked against the three filters, for every named query ``role`` may run."""
    for name, query in catalogue().items():
        if name in WALKED or not query.role or not has_role(role, query.role):
            continue
        for params in _params(name):
            bound = query.bind(params, dialect=store.dialect)
            text = query.text(store.dialect, bound)
            raw = store.read(text, {**bound, **visibility(role).query_params()})
            wanted = _three_filters(raw, role, query.pii_columns)
            rows = run_query(store, name, params, role).rows
            assert rows == wanted, (name, params)
            yield name, rows, bool(raw) and plain_answer(raw)


@pytest.mark.parametrize("role", ROLES)
def test_every_named_query_answers_as_with_the_three_filters(store: GraphStore, role: str) -> None:
    """The small graph holds persons, a KNOWS link and a challenge in draft."""
    build_small_graph(store)
    plain_seen = {name for name, _, plain in _every_answer(store, role) if plain}
    # the one-walk path is the one the organisation detail and the search take
    assert {"organisation", "search_organisations"} <= plain_seen
    assert "organisation_contacts" not in plain_seen  # its rows are persons


def _organisations(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "Organisation" in value.get("_labels", ()):
            yield value
        for inner in value.values():
            yield from _organisations(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _organisations(inner)


@pytest.mark.parametrize("role", ROLES)
def test_a_personal_property_added_to_the_schema_is_left_out_on_every_path(
    store: GraphStore, role: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one-walk path and strip_pii read one table of personal fields: an organisation's
    ``city`` made personal there (as a new ``pii`` flag in the schema makes it) turns the
    organisation detail and the search into answers that are not plain, and leaves the city
    out for every role without ``contacts``, on the named queries' every path."""
    build_small_graph(store)
    by_label = {**privacy._PERSONAL.by_label, "Organisation": frozenset({"city"})}
    monkeypatch.setattr(privacy, "_PERSONAL", PersonalFields.of(by_label))
    answers = list(_every_answer(store, role))
    assert not any(plain for name, _, plain in answers if name == "organisation")
    organisations = [o for _, rows, _ in answers for o in _organisations(rows)]
    assert organisations  # the detail, the search, ... hold organisations as nodes
    with_city = [o for o in organisations if "city" in o]
    if sees_pii(role):
        assert with_city  # the test sees the property where it may be seen
    else:
        assert with_city == [], with_city[:1]
