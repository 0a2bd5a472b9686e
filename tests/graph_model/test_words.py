"""Every name the schema and the analytics can show has plain words in both languages.

A new label, relationship type, property, choice or measure without words would reach a
stakeholder's page as a technical name ("MEMBER_OF", "ingested_at"); these tests stop that.
"""

from __future__ import annotations

import pytest

from scaleup_graph.analytics.brokerage import ROLES
from scaleup_graph.analytics.link_prediction import METHODS
from scaleup_graph.analytics.metrics import METRICS
from scaleup_graph.graph_model import NODE_TYPES, ORGANISATION_KINDS, REL_TYPES, SEARCH_KEYS, words


def _all_properties() -> set[str]:
    names = {p.name for nt in NODE_TYPES.values() for p in nt.all_properties}
    names |= {p.name for rt in REL_TYPES.values() for p in rt.all_properties}
    return names | set(SEARCH_KEYS.values())


@pytest.mark.parametrize("lang", words.LANGS)
def test_every_label_relationship_and_property_has_words(lang: str) -> None:
    for label in (*NODE_TYPES, *ORGANISATION_KINDS):
        assert label in words.LABELS or label in words.EXTRA_LABELS, label
        assert words.label_name(label, lang) and words.label_name(label, lang, plural=True)
    for rel in REL_TYPES:
        for direction in ("out", "in"):
            phrase = words.rel_name(rel, lang, direction=direction)
            assert "_" not in phrase and phrase != phrase.upper(), (rel, phrase)
            assert words.rel_group(rel, lang, direction=direction)
        assert rel in words.RELATIONSHIPS
    missing = _all_properties() - set(words.PROPERTIES)
    assert not missing, f"properties without words: {sorted(missing)}"


def test_every_choice_value_has_words() -> None:
    for nt in NODE_TYPES.values():
        for prop in nt.all_properties:
            for value in prop.choices:
                assert value in words.CHOICES.get(prop.name, {}), (nt.label, prop.name, value)


def test_every_measure_is_named_and_explained() -> None:
    names = set(METRICS) | {f"brokerage_{r}" for r in (*ROLES, "total")} | set(METHODS)
    for metric in names:
        assert metric in words.MEASURES, metric
        for lang in words.LANGS:
            sentence = words.measure_explanation(metric, lang)
            assert sentence.endswith(".") and len(sentence.split()) >= 4, (metric, lang)


def test_german_is_the_default_and_differs_from_english() -> None:
    assert words.label_name("ContentItem") == "Beitrag"
    assert words.label_name("ContentItem", "en") == "Content item"
    assert words.rel_name("COOPERATES_WITH", "en") == "cooperates with"
    assert words.prop_name("metric_pagerank") == "Bedeutung im Netz"
    assert words.choice_name("kind", "study") == "Studie"


def test_technical_fields_are_recognised() -> None:
    for prop in ("ingested_at", "name_fold", "ingest_run", "metric_pagerank", "source"):
        assert words.is_technical(prop)
    for prop in ("name", "city", "topics", "website"):
        assert not words.is_technical(prop)
