"""The schema as a reference page (docs/schema.md): every label, property and relationship type,
in English and German, generated from :mod:`schema` so it cannot drift.

``scaleup schema --markdown > docs/schema.md`` writes it; a test fails when the file in the
repository differs from what this module renders.
"""

from __future__ import annotations

from collections.abc import Iterable

from scaleup_graph.graph_model.schema import (
    COMMON_PROPERTIES,
    NODE_TYPES,
    PROVENANCE_PROPERTIES,
    REL_TYPES,
    Property,
    PropType,
)
from scaleup_graph.graph_model.words import choice_name, label_name, prop_name, rel_name

__all__ = ["TYPE_FORMATS", "schema_markdown"]

#: What a cell may hold for each property type (what ingest accepts).
TYPE_FORMATS: dict[PropType, str] = {
    PropType.STR: "text",
    PropType.TEXT: "long text",
    PropType.INT: "whole number (`12`, `1.234` with German thousands dots)",
    PropType.FLOAT: "number (`1234.5`, `1.234,5` or `1234,5`)",
    PropType.BOOL: "yes/no (`true`/`false`, `ja`/`nein`, `1`/`0`, `x`)",
    PropType.DATE: "date (`2021-12-08` or `08.12.2021`)",
    PropType.DATETIME: "ISO timestamp (`2021-12-08T14:30:00`)",
    PropType.URL: "web address starting with `http://` or `https://`",
    PropType.EMAIL: "e-mail address (`name@domain.tld`)",
    PropType.PHONE: "phone number (digits, spaces, `+ ( ) / . -`)",
    PropType.STR_LIST: "list, items separated by `;` or `|`",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _limit(prop: Property) -> str:
    if prop.type in (PropType.STR, PropType.TEXT, PropType.URL, PropType.EMAIL, PropType.PHONE):
        return f"≤ {prop.max_length:,} characters"
    if prop.type is PropType.STR_LIST:
        return f"items ≤ {prop.max_length:,} characters"
    return ""


def _choices(prop: Property) -> str:
    out = []
    for c in prop.choices:
        de = choice_name(prop.name, c)
        out.append(f"`{c}` ({de})" if de != c else f"`{c}`")
    return ", ".join(out)


def _property_table(props: Iterable[Property]) -> list[str]:
    lines = [
        "| property | English | Deutsch | type | required | limit | choices | personal | "
        "description |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in props:
        lines.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    f"`{p.name}`",
                    prop_name(p.name, "en"),
                    prop_name(p.name, "de"),
                    f"{p.type.value}: {TYPE_FORMATS[p.type]}",
                    "yes" if p.required else "",
                    _limit(p),
                    _choices(p),
                    "**yes**" if p.pii else "",
                    p.description,
                )
            )
            + " |"
        )
    return lines


def schema_markdown() -> str:
    """docs/schema.md, rendered from the schema."""
    out = [
        "# Schema reference",
        "",
        "<!-- Generated from src/scaleup_graph/graph_model/schema.py by "
        "`scaleup schema --markdown > docs/schema.md`. Do not edit: a test fails when this "
        "file is out of date. -->",
        "",
        "Every label, property and relationship type the graph holds, with the English name "
        "used in manifests, the API and Cypher, and the German name used in the explorer and "
        "the Excel template (`scaleup template`). Ingest checks every value against this: a "
        "required property left empty rejects the row; any other invalid cell is left out and "
        "listed in the report (docs/manifest.md). Personal properties are shown only to roles "
        "allowed to see personal data (docs/privacy.md).",
        "",
        "## Node labels",
        "",
        "| label | English | Deutsch | id prefix | description |",
        "|---|---|---|---|---|",
    ]
    for nt in NODE_TYPES.values():
        out.append(
            f"| [{nt.label}](#{nt.label.lower()}) | {_cell(label_name(nt.label, 'en'))} | "
            f"{_cell(label_name(nt.label, 'de'))} | `{nt.id_prefix}-` | "
            f"{_cell(nt.description)} |"
        )
    out += [
        "",
        "Every node also has these properties (provenance is written by ingest, not mapped):",
        "",
        *_property_table(COMMON_PROPERTIES + PROVENANCE_PROPERTIES),
        "",
    ]
    for nt in NODE_TYPES.values():
        out += [
            f"### {nt.label}",
            "",
            f"{label_name(nt.label, 'en')} / {label_name(nt.label, 'de')}. {nt.description}",
            "",
        ]
        if nt.extra_labels:
            out += [
                "Extra labels (from `kinds`): " + ", ".join(f"`{x}`" for x in nt.extra_labels),
                "",
            ]
        if nt.draft:
            out += [
                f"A {nt.label} with `{nt.draft[0]}` = `{nt.draft[1]}` is a draft: only keys "
                "with the editor or admin capability see it, in every output (docs/privacy.md).",
                "",
            ]
        incoming = [rt.type for rt in REL_TYPES.values() if nt.label in rt.targets]
        outgoing = [rt.type for rt in REL_TYPES.values() if nt.label in rt.sources]
        out += [
            f"Shown by its `{nt.caption}`. Relationships out: "
            + (", ".join(f"`{t}`" for t in outgoing) or "none")
            + "; in: "
            + (", ".join(f"`{t}`" for t in incoming) or "none")
            + ".",
            "",
            *_property_table(nt.properties),
            "",
        ]
    out += [
        "## Relationship types",
        "",
        "| type | English | Deutsch | from | to | properties | description |",
        "|---|---|---|---|---|---|---|",
    ]
    for rt in REL_TYPES.values():
        out.append(
            f"| `{rt.type}` | {_cell(rel_name(rt.type, 'en'))} | "
            f"{_cell(rel_name(rt.type, 'de'))} | {', '.join(rt.sources)} | "
            f"{', '.join(rt.targets)} | "
            f"{', '.join(f'`{p.name}`' for p in rt.properties) or ''} | "
            f"{_cell(rt.description)} |"
        )
    personal = [f"`{rt.type}`" for rt in REL_TYPES.values() if rt.personal]
    out += [
        "",
        "Every relationship also has the provenance properties `source`, `ingest_run`, "
        "`ingested_at` and `updated_at`.",
        "",
    ]
    if personal:
        out += [
            "Links between persons (" + ", ".join(personal) + ") are personal data: only keys "
            "with the contacts capability see them, in every output (docs/privacy.md).",
            "",
        ]
    for rt in REL_TYPES.values():
        if not rt.properties:
            continue
        out += [
            f"### {rt.type}",
            "",
            f"{rel_name(rt.type, 'en')} / {rel_name(rt.type, 'de')}: "
            f"{', '.join(rt.sources)} → {', '.join(rt.targets)}. "
            f"{rt.description}",
            "",
            *_property_table(rt.properties),
            "",
        ]
    return "\n".join(out).rstrip() + "\n"
