"""Form definitions for editing, generated from the schema and its plain words.

``GET /api/v1/schema/forms`` serves :func:`forms` with the API's paths added (api/forms.py: where
to send a form is the API's business, not the schema's); the explorer's editor renders them and
any other client can render the same forms. Nothing here repeats the schema by hand: labels,
fields, types, choices, required and personal flags come from :mod:`.schema`, names from
:mod:`.words`. Nodes that a workflow step makes (a challenge is drafted, a proposal submitted,
content published) carry the step's name and inputs as ``workflow``.

Examples
--------
>>> org = next(f for f in forms()["nodes"] if f["label"] == "Organisation")
>>> [f["name"] for f in org["fields"]][:3]
['name', 'short_name', 'alt_names']
>>> org["fields"][0]["label"]
{'de': 'Name', 'en': 'name'}
>>> editable_fields("Challenge")[:3]
('name', 'topics', 'created_at')
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scaleup_graph.graph_model import words
from scaleup_graph.graph_model.schema import (
    KEY,
    NODE_TYPES,
    PROVENANCE_PROPERTIES,
    REL_TYPES,
    Property,
    PropType,
    is_personal,
)

__all__ = ["SYSTEM_FIELDS", "WORKFLOWS", "WORKFLOW_FIELDS", "editable_fields", "forms"]

#: Written by the system, never by a form: the key, provenance and the demo flag.
SYSTEM_FIELDS = frozenset({KEY, "synthetic", *(p.name for p in PROVENANCE_PROPERTIES)})
#: Fields that a workflow step sets; forms show them read-only and point to the steps.
WORKFLOW_FIELDS: dict[str, dict[str, str]] = {
    "Challenge": {
        f: "set by the challenge's steps (draft, published, pitched, solved, closed)"
        for f in ("status", "published_at", "pitched_at", "closed_at")
    },
    "Proposal": {"status": "set by the challenge's steps (pitched, solved)"},
}

_INPUT = {
    PropType.STR: "text",
    PropType.TEXT: "textarea",
    PropType.INT: "integer",
    PropType.FLOAT: "number",
    PropType.BOOL: "checkbox",
    PropType.DATE: "date",
    PropType.DATETIME: "datetime",
    PropType.URL: "url",
    PropType.EMAIL: "email",
    PropType.PHONE: "tel",
    PropType.STR_LIST: "list",
}


def _w(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


def _prop_words(name: str) -> dict[str, str]:
    return {lang: words.prop_name(name, lang) for lang in words.LANGS}


@cache
def editable_fields(label: str) -> tuple[str, ...]:
    """The properties a form may set for ``label`` (schema order, description last)."""
    nt = NODE_TYPES[label]
    locked = WORKFLOW_FIELDS.get(label, {})
    own = tuple(
        p.name for p in nt.properties if p.name not in SYSTEM_FIELDS and p.name not in locked
    )
    return (*own, "description")


def _field(prop: Property, *, read_only: str = "") -> dict[str, Any]:
    if prop.choices:
        kind = "multiselect" if prop.type is PropType.STR_LIST else "select"
    else:
        kind = _INPUT[prop.type]
    out: dict[str, Any] = {
        "name": prop.name,
        "type": str(prop.type),
        "input": kind,
        "label": _prop_words(prop.name),
        "required": prop.required,
        "personal": prop.pii,
        "max_length": prop.max_length,
        "description": prop.description,
        "choices": [
            {"value": c, **{lang: words.choice_name(prop.name, c, lang) for lang in words.LANGS}}
            for c in prop.choices
        ],
    }
    if read_only:
        out["read_only"] = read_only
    return out


def _node_form(label: str) -> dict[str, Any]:
    nt = NODE_TYPES[label]
    locked = WORKFLOW_FIELDS.get(label, {})
    by_name = {p.name: p for p in nt.all_properties}
    fields = [_field(by_name[name]) for name in editable_fields(label)]
    fields += [_field(by_name[name], read_only=why) for name, why in locked.items()]
    links = []
    for rt in REL_TYPES.values():
        for direction, mine, other in (
            ("out", rt.sources, rt.targets),
            ("in", rt.targets, rt.sources),
        ):
            symmetric = (
                direction == "in"
                and label in rt.sources
                and words.rel_name(rt.type, direction="in") == words.rel_name(rt.type)
            )
            if label in mine and not symmetric:  # "cooperates with" is offered once
                links.append(
                    {
                        "type": rt.type,
                        "direction": direction,
                        "other_labels": list(other),
                        "label": {
                            lang: words.rel_name(rt.type, lang, direction=direction)  # type: ignore[arg-type]
                            for lang in words.LANGS
                        },
                    }
                )
    form: dict[str, Any] = {
        "label": label,
        "name": {lang: words.label_name(label, lang) for lang in words.LANGS},
        "plural": {lang: words.label_name(label, lang, plural=True) for lang in words.LANGS},
        "description": nt.description,
        "id_prefix": nt.id_prefix,
        # persons are erased (GDPR Art. 17, admin) and kept out of re-imports, not deleted
        "gdpr_erasure": is_personal(label),
        "fields": fields,
        "relationships": links,
    }
    if label in WORKFLOWS:
        form["workflow"] = WORKFLOWS[label]
    return form


def _rel_form(type_: str) -> dict[str, Any]:
    rt = REL_TYPES[type_]
    return {
        "type": type_,
        "label": {lang: words.rel_name(type_, lang) for lang in words.LANGS},
        "inverse": {lang: words.rel_name(type_, lang, direction="in") for lang in words.LANGS},
        "description": rt.description,
        "sources": list(rt.sources),
        "targets": list(rt.targets),
        "fields": [_field(p) for p in rt.properties],
    }


def _param(
    name: str, input_: str, label: dict[str, str], *, required: bool = False, **extra: Any
) -> dict[str, Any]:
    return {
        "name": name,
        "type": "str" if input_ != "list" else "list[str]",
        "input": input_,
        "label": label,
        "required": required,
        "personal": False,
        "choices": [],
        **extra,
    }


_ORG = _w("Organisation", "organisation")


def _step(name: str, *fields: dict[str, Any]) -> dict[str, Any]:
    return {"step": name, "fields": list(fields)}


#: Nodes made by a workflow step (with the relationships the step adds), not by a plain create:
#: the step's name and inputs. The step's route is the API's (api/forms.py).
WORKFLOWS: dict[str, dict[str, Any]] = {
    "Challenge": _step(
        "challenge_draft",
        _param(
            "posed_by",
            "node",
            _w("gestellt von (KMU)", "posed by (SME)"),
            required=True,
            node_labels=["Organisation"],
        ),
        _param("name", "text", _prop_words("name"), required=True, max_length=500),
        _param("description", "textarea", _prop_words("description"), max_length=20000),
        _param("topics", "nodes", _prop_words("topics"), required=True, node_labels=["Topic"]),
        _param("date", "date", _w("Datum", "date")),
    ),
    "Proposal": _step(
        "proposal_submit",
        _param(
            "challenge",
            "node",
            _w("Challenge (veröffentlicht)", "challenge (published)"),
            required=True,
            node_labels=["Challenge"],
        ),
        _param("organisation", "node", _ORG, required=True, node_labels=["Organisation"]),
        _param("name", "text", _prop_words("name"), required=True, max_length=500),
        _param("description", "textarea", _prop_words("description"), max_length=20000),
        _param("date", "date", _w("Datum", "date")),
    ),
    "ContentItem": _step(
        "content_publish",
        _param(
            "publisher",
            "node",
            _w("veröffentlicht von", "published by"),
            required=True,
            node_labels=["Organisation"],
        ),
        _param(
            "kind",
            "select",
            _prop_words("kind"),
            required=True,
            choices=[
                {"value": c, **{lang: words.choice_name("kind", c, lang) for lang in words.LANGS}}
                for c in ("news", "offer", "event", "study")
            ],
        ),
        _param("name", "text", _w("Titel", "title"), required=True, max_length=500),
        _param("topics", "nodes", _prop_words("topics"), required=True, node_labels=["Topic"]),
        _param("url", "url", _prop_words("url"), max_length=2000),
        _param("description", "textarea", _prop_words("description"), max_length=20000),
        _param("date", "date", _w("Datum", "date")),
    ),
}


@cache
def _all() -> dict[str, Any]:
    return {
        "languages": list(words.LANGS),
        "nodes": [_node_form(label) for label in NODE_TYPES],
        "relationships": [_rel_form(t) for t in REL_TYPES],
    }


def forms() -> dict[str, Any]:
    """Every label's form (fields with types, choices, required and personal flags, German and
    English names), every relationship type's form, and the workflow-made nodes' step with its
    inputs (``workflow``). No paths: the API adds those."""
    return _all()
