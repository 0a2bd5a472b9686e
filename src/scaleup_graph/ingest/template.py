"""An Excel workbook made from the schema that ingests without a manifest.

``scaleup template akteure.xlsx`` writes one sheet per label and one per relationship type,
with German headers, dropdowns for choices, a note on required and personal columns and a sheet
that explains it all. ``scaleup ingest akteure.xlsx`` reads the filled-in workbook back: a hidden
sheet records which column is which property, so the German headers can stay as they are.

Nodes are keyed by their name (``key_from``), so the name in a relationship sheet finds the node
in its own sheet, and the same name gives the same id in every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model import KEY, NODE_TYPES, REL_TYPES, Property, PropType
from scaleup_graph.graph_model.reference import TYPE_FORMATS
from scaleup_graph.graph_model.words import choice_name, label_name, prop_name, rel_name
from scaleup_graph.ingest.manifest import (
    EndpointSpec,
    FileSpec,
    Manifest,
    ManifestError,
    NodeMapping,
    RelMapping,
    ValueSpec,
)

__all__ = ["MAP_SHEET", "is_template", "template_manifest", "write_template"]

#: The hidden sheet that says which column of which sheet is which property.
MAP_SHEET = "_scaleup"
GUIDE_SHEET = "Anleitung"
_ROWS = 1000  # rows that get dropdowns
#: Node properties the template leaves out: ingest writes provenance; ``synthetic`` marks
#: generated demo data.
_SKIPPED = frozenset({KEY, "synthetic", "source", "ingest_run", "ingested_at", "updated_at"})
_BOOL = ("ja", "nein")  # coerce reads both, and true/false, 1/0


@dataclass(frozen=True, slots=True)
class _Column:
    sheet: str
    kind: str  # "node" or "relationship"
    name: str  # label or relationship type
    header: str
    role: str  # "key", "prop:<name>", "start_label", "start", "end_label", "end"


def _sheet_title(text: str, taken: set[str]) -> str:
    title = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31]
    base, n = title, 2
    while title.casefold() in taken:
        suffix = f" {n}"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.casefold())
    return title


def _headers(props: list[Property]) -> dict[str, str]:
    """German header per property; a word two properties share gets the property's name."""
    words = {p.name: prop_name(p.name, "de") for p in props}
    counts: dict[str, int] = {}
    for w in words.values():
        counts[w] = counts.get(w, 0) + 1
    return {k: (w if counts[w] == 1 else f"{w} ({k})") for k, w in words.items()}


def _choices(prop: Property) -> list[str]:
    if prop.type is PropType.BOOL:
        return list(_BOOL)
    if prop.type is PropType.STR_LIST:
        return list(prop.choices)  # several values: "SME; Stakeholder", so codes, not words
    return [choice_name(prop.name, c, "de") for c in prop.choices]


def _value_map(prop: Property) -> dict[str, Any] | None:
    """German choice words back to the stored codes (the codes themselves are accepted too)."""
    if not prop.choices or prop.type is PropType.STR_LIST:
        return None
    out: dict[str, Any] = {c: c for c in prop.choices}
    out.update({choice_name(prop.name, c, "de"): c for c in prop.choices})
    return out


def _note(prop: Property) -> str:
    parts = [TYPE_FORMATS[prop.type]]
    if prop.required:
        parts.insert(0, "Pflichtfeld (required): leer = Zeile wird abgelehnt.")
    if prop.pii:
        parts.append(
            "Personenbezogen (personal data): nur für Rollen mit Zugriff auf Kontaktdaten "
            "sichtbar; nur mit Rechtsgrundlage erfassen."
        )
    if prop.description:
        parts.append(prop.description)
    return "\n".join(parts)


_Col = tuple[str, str, Property | None, list[str]]


def _plan() -> list[tuple[str, str, str, list[_Col]]]:
    """(sheet, kind, name, [(header, role, property, choices)]) for every sheet."""
    taken = {GUIDE_SHEET.casefold(), MAP_SHEET.casefold()}
    plan: list[tuple[str, str, str, list[_Col]]] = []
    for nt in NODE_TYPES.values():
        props = [p for p in nt.all_properties if p.name not in _SKIPPED]
        props.sort(key=lambda p: (p.name != "name", not p.required))
        headers = _headers(props)
        columns: list[_Col] = [
            (headers[p.name], "key" if p.name == "name" else f"prop:{p.name}", p, _choices(p))
            for p in props
        ]
        plan.append(
            (
                _sheet_title(label_name(nt.label, "de", plural=True), taken),
                "node",
                nt.label,
                columns,
            )
        )
    for rt in REL_TYPES.values():
        cols: list[_Col] = []
        for end, labels, word in (("start", rt.sources, "Von"), ("end", rt.targets, "Nach")):
            if len(labels) > 1:
                cols.append(
                    (f"{word}: Art", f"{end}_label", None, [label_name(x, "de") for x in labels])
                )
                cols.append((f"{word}: Name", end, None, []))
            else:
                cols.append((f"{word}: {label_name(labels[0], 'de')} (Name)", end, None, []))
        headers = _headers(list(rt.properties))
        cols += [(headers[p.name], f"prop:{p.name}", p, _choices(p)) for p in rt.properties]
        phrase = rel_name(rt.type, "de")
        title = (
            f"{label_name(rt.sources[0], 'de')} {phrase}"
            if len(rt.sources) == 1
            else phrase[:1].upper() + phrase[1:]
        )
        plan.append((_sheet_title(title, taken), "relationship", rt.type, cols))
    return plan


_GUIDE = """So füllen Sie diese Arbeitsmappe aus (ScaleUp Graph)

1. Jedes Blatt ist eine Art von Knoten (Organisationen, Personen, Projekte, ...) oder eine Art
   von Beziehung zwischen ihnen. Füllen Sie nur die Blätter aus, die Sie brauchen; leere Blätter
   werden übersprungen.
2. Eine Zeile = ein Eintrag. Die Kopfzeile nicht ändern: sie sagt, welche Spalte welches Feld ist.
3. Knoten werden über ihren Namen erkannt: derselbe Name ergibt denselben Eintrag, auch in
   späteren Läufen. In den Beziehungsblättern nennen Sie beide Enden mit genau diesem Namen.
4. Pflichtfelder und personenbezogene Felder haben eine Notiz in der Kopfzeile (Maus darüber).
   Personenbezogene Daten (Namen, E-Mail, Telefon von Personen) nur mit Rechtsgrundlage erfassen.
5. Felder mit Auswahlliste: einen Wert aus der Liste wählen. Listen (z. B. Arten einer
   Organisation): mehrere Werte mit ; trennen, z. B. "SME; Stakeholder".
6. Datum: 31.12.2024 oder 2024-12-31. Zahlen: 1.234,50 oder 1234.5. Webadressen mit https://.
7. Prüfen ohne zu speichern:   scaleup ingest akteure.xlsx --dry-run
   Speichern:                  scaleup ingest akteure.xlsx
   Fehlerhafte Zeilen stehen danach in rejects.csv (Blatt und Zeilennummer). Ein ungültiger
   Wert in einem freiwilligen Feld wird weggelassen und gemeldet; der Eintrag wird gespeichert.
8. Organisationsnamen, die wie der Name einer Person aussehen (zwei oder drei Wörter ohne
   Rechtsform wie GmbH), werden nicht gespeichert, sondern gemeldet.
9. Das verborgene Blatt _scaleup nicht löschen: es ordnet die Spalten den Feldern zu.

Alle Felder mit Typ, Grenzen und Bedeutung: docs/schema.md. Manifeste für eigene Dateien:
docs/manifest.md.
"""


def write_template(path: Path) -> Path:
    """Write the workbook to ``path`` (.xlsx) and return it."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if path.suffix.lower() != ".xlsx":
        raise ManifestError(f"{path.name}: the template is an Excel workbook; name it *.xlsx")
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    for i, line in enumerate(_GUIDE.splitlines(), start=1):
        guide.cell(row=i, column=1, value=line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 100
    mapping = book.create_sheet(MAP_SHEET)
    mapping.append(["sheet", "kind", "name", "header", "role"])
    bold, required_fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for title, kind, name, columns in _plan():
        ws = book.create_sheet(title)
        for col, (header, role, prop, choices) in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=col, value=header)
            cell.font = bold
            letter = get_column_letter(col)
            ws.column_dimensions[letter].width = max(14, len(header) + 4)
            mapping.append([title, kind, name, header, role])
            note = _note(prop) if prop is not None else ""
            if role in ("key", "start", "end"):
                note = (
                    "Pflichtfeld (required): der Name, unter dem der Eintrag erfasst ist.\n" + note
                )
                cell.fill = required_fill
            elif prop is not None and prop.required:
                cell.fill = required_fill
            if note:
                cell.comment = Comment(note.strip(), "ScaleUp Graph", width=320, height=160)
            if choices:
                listed = ",".join(c.replace(",", " ") for c in choices)
                dv = DataValidation(type="list", formula1=f'"{listed}"', allow_blank=True)
                if prop is not None and prop.type is PropType.STR_LIST:
                    dv.errorStyle = "warning"  # several values separated by ; are fine
                dv.add(f"{letter}2:{letter}{_ROWS + 1}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A2"
    mapping.sheet_state = "hidden"
    book.move_sheet(mapping, offset=len(book.sheetnames) - 1 - book.index(mapping))
    book.save(path)
    return path


def is_template(path: Path) -> bool:
    """Whether ``path`` is a workbook written by :func:`write_template`."""
    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return False
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - not a readable workbook: the reader says why later
        return False
    try:
        return MAP_SHEET in book.sheetnames
    finally:
        book.close()


def _read_map(path: Path) -> list[_Column]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        rows = list(book[MAP_SHEET].iter_rows(min_row=2, values_only=True))
        filled = {ws.title for ws in book.worksheets if ws.max_row and ws.max_row > 1}
    finally:
        book.close()
    columns = [_Column(*(str(v) for v in row[:5])) for row in rows if row and row[0]]
    return [c for c in columns if c.sheet in filled]


def template_manifest(path: Path) -> Manifest:
    """The manifest of a filled-in template: one file spec per sheet that has rows."""
    by_sheet: dict[str, list[_Column]] = {}
    for column in _read_map(path):
        by_sheet.setdefault(column.sheet, []).append(column)
    files = []
    for sheet, columns in by_sheet.items():
        kind, name = columns[0].kind, columns[0].name
        if kind == "node":
            files.append(_node_file(path, sheet, name, columns))
        elif kind == "relationship":
            files.append(_rel_file(path, sheet, name, columns))
    if not files:
        raise ManifestError(
            f"{path.name}: every sheet is empty; fill in at least one row below a header"
        )
    return Manifest(files=files, source=path.name, path=path, text=f"template:{path.resolve()}")


def _props(owner: Any, columns: list[_Column]) -> dict[str, ValueSpec]:
    out = {}
    for c in columns:
        if not c.role.startswith("prop:"):
            continue
        prop = owner.prop(c.role[5:])
        if prop is None:
            raise ManifestError(f"{c.sheet}: unknown field {c.role[5:]!r} in the hidden sheet")
        mapping = _value_map(prop)
        out[prop.name] = ValueSpec(column=c.header, mapping=mapping, keep_unmapped=True)
    return out


def _node_file(path: Path, sheet: str, label: str, columns: list[_Column]) -> FileSpec:
    nt = NODE_TYPES[label]
    key = next(c for c in columns if c.role == "key")
    props = {"name": ValueSpec(column=key.header), **_props(nt, columns)}
    mapping = NodeMapping(label, EndpointSpec(label, ValueSpec(column=key.header), True), props)
    return FileSpec(path=path, nodes=[mapping], relationships=[], sheet=sheet)


def _rel_file(path: Path, sheet: str, type_: str, columns: list[_Column]) -> FileSpec:
    rt = REL_TYPES[type_]
    role = {c.role: c.header for c in columns}
    props = _props(rt, columns)
    pairs = []
    for end_role, labels in (("start_label", rt.sources), ("end_label", rt.targets)):
        if end_role not in role:
            continue
        names = sorted({label_name(x, "de") for x in labels} | set(labels))
        unknown = re.compile(rf"^(?!(?:{'|'.join(map(re.escape, names))})$)")
        pairs.append(
            RelMapping(
                type=type_,
                start=EndpointSpec(rt.sources[0], ValueSpec(column=role["start"]), True),
                end=EndpointSpec(rt.targets[0], ValueSpec(column=role["end"]), True),
                properties={},
                where={role[end_role]: unknown},
                reject_rows=f"{role[end_role]}: choose one of "
                + ", ".join(label_name(x, "de") for x in labels),
            )
        )
    for start in rt.sources:
        for end in rt.targets:
            where: dict[str, Any] = {}
            if "start_label" in role:
                where[role["start_label"]] = {label_name(start, "de"), start}
            if "end_label" in role:
                where[role["end_label"]] = {label_name(end, "de"), end}
            pairs.append(
                RelMapping(
                    type=type_,
                    start=EndpointSpec(start, ValueSpec(column=role["start"]), True),
                    end=EndpointSpec(end, ValueSpec(column=role["end"]), True),
                    properties=props,
                    where=where,
                )
            )
    return FileSpec(path=path, nodes=[], relationships=pairs, sheet=sheet)
