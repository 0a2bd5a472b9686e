"""The ingest manifest (docs/manifest.md): which files and columns become which nodes and links.

A manifest is checked against the schema before a single row is read, so a typo in a label,
a relationship type or a property name stops the run with the list of valid names.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scaleup_graph.errors import Invalid
from scaleup_graph.graph_model import (
    KEY,
    NODE_TYPES,
    is_personal,
    keyed_person_id,
    make_id,
    node_type,
    rel_type,
)

__all__ = [
    "DUPLICATE_POLICIES",
    "FILTERS",
    "OPTIONS",
    "EndpointSpec",
    "FileSpec",
    "Manifest",
    "ManifestError",
    "NodeMapping",
    "RelMapping",
    "ValueSpec",
    "load_manifest",
    "referenced_columns",
    "single_file_manifest",
]

_FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "strip": str.strip,
    "parent": lambda s: s[:-1],  # NUTS: the parent code is the code without its last character
    "country": lambda s: s[:2].upper(),  # NUTS: the country is the first two characters
}
FILTERS = tuple(_FILTERS)
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

#: Every option the parser accepts, per level: docs/manifest.md documents each (a test checks).
OPTIONS: dict[str, tuple[str, ...]] = {
    "manifest": ("source", "files", "strict", "names"),
    "file": (
        "path",
        "sheet",
        "delimiter",
        "encoding",
        "na_values",
        "source",
        "strict",
        "names",
        "nodes",
        "relationships",
    ),
    "node": (
        "label",
        "key",
        "key_from",
        "key_template",
        "properties",
        "unique",
        "where",
        "strict",
        "names",
    ),
    "relationship": (
        "type",
        "start",
        "end",
        "properties",
        "where",
        "on_missing_endpoint",
        "on_duplicate",
        "strict",
    ),
    "endpoint": ("label", "key", "key_from", "key_template"),
    "value": ("column", "template", "value", "map", "if_missing"),
}
#: What ``on_duplicate`` may say for a property of a relationship written twice in one run.
DUPLICATE_POLICIES = ("reject", "first", "last", "sum", "list")


class ManifestError(Invalid):
    """The manifest itself is wrong; nothing was written."""

    code = "invalid_manifest"


def _column_ref(ref: str) -> tuple[str, tuple[str, ...]]:
    name, *filters = (part.strip() for part in ref.split("|"))
    for f in filters:
        if f not in _FILTERS:
            raise ManifestError(f"unknown filter {f!r} in {ref!r}; use: {', '.join(_FILTERS)}")
    return name, tuple(filters)


def _entries[T](
    raw: Mapping[str, Any], key: str, level: str, where: str, lookup: Callable[[dict[str, Any]], T]
) -> Iterator[tuple[str, dict[str, Any], T]]:
    """Each mapping listed under ``raw[key]`` (a file's nodes or relationships) with its place
    in the manifest and what ``lookup`` makes of its label or type; a refusal names the place."""
    for j, entry in enumerate(raw.get(key) or []):
        w = f"{where}.{key}[{j}]"
        if not isinstance(entry, dict):
            raise ManifestError(f"{w}: expected a mapping")
        _check_options(entry, level, w)
        try:
            found = lookup(entry)
        except ValueError as exc:
            raise ManifestError(f"{w}: {exc}") from None
        yield w, entry, found


def _check_options(spec: Mapping[str, Any], level: str, where: str) -> None:
    allowed = OPTIONS[level]
    for name in spec:
        if name not in allowed:
            close = difflib.get_close_matches(str(name), allowed, n=1)
            hint = f"did you mean {close[0]}?" if close else f"valid: {', '.join(allowed)}"
            raise ManifestError(f"{where}: unknown option {name!r}; {hint}")


def _apply(value: Any, filters: tuple[str, ...]) -> Any:
    for f in filters:
        value = _FILTERS[f](str(value))
    return value


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True, slots=True)
class ValueSpec:
    """Where a property's value comes from: a column, a template or a constant."""

    column: str | None = None
    filters: tuple[str, ...] = ()
    template: str | None = None
    value: Any = None
    mapping: Mapping[str, Any] | None = None
    if_missing: bool = False
    #: with ``mapping``: a value the map does not name is kept (and validated) instead of
    #: left empty; the Excel template's dropdown words use it
    keep_unmapped: bool = False

    @property
    def columns(self) -> set[str]:
        if self.column:
            return {self.column}
        if self.template:
            return {_column_ref(m)[0] for m in _PLACEHOLDER.findall(self.template)}
        return set()

    def get(self, row: Mapping[str, Any]) -> Any:
        if self.column is not None:
            raw = row.get(self.column)
            if raw is None or (type(raw) is str and not raw.strip()):
                return None
            if not self.filters and self.mapping is None:
                return raw  # the commonest spec: one column as is
            if isinstance(raw, str) and not raw.strip():
                return None
            raw = _apply(raw, self.filters)
            if self.mapping is not None:
                text = str(raw).strip()
                return self.mapping.get(text, text if self.keep_unmapped else None)
            return raw
        if self.template is not None:
            return _render(self.template, row)
        return self.value


@lru_cache(maxsize=256)
def _compile(template: str) -> tuple[tuple[str, str | None, tuple[str, ...]], ...]:
    """A template as (literal text, column or None, filters) parts, parsed once."""
    parts: list[tuple[str, str | None, tuple[str, ...]]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        name, filters = _column_ref(match.group(1))
        parts.append((template[position : match.start()], name, filters))
        position = match.end()
    parts.append((template[position:], None, ()))
    return tuple(parts)


def _render(template: str, row: Mapping[str, Any], *, whole: bool = False) -> str | None:
    """A template filled from a row; a blank column leaves its place empty, or, with
    ``whole``, makes the result None."""
    parts = _compile(template)
    if len(parts) == 2 and (only := parts[0][1]) is not None and not parts[0][2]:
        # one column, no filter ("org-pic-{pic}", most key templates): no list to join
        before, after = parts[0][0], parts[1][0]
        raw = row.get(only)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None if whole else (before + after).strip() or None
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        return (before + text + after).strip() or None
    out = []
    for literal, name, filters in parts:
        out.append(literal)
        if name is None:
            continue
        raw = row.get(name)
        if _blank(raw):
            if whole:
                return None
            continue
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        out.append(_apply(text, filters) if filters else text)
    return "".join(out).strip() or None


def _render_all(template: str, row: Mapping[str, Any]) -> str | None:
    """A key template: None when any of its columns is blank, never a partial id."""
    return _render(template, row, whole=True)


_KEY_MEMO = 1 << 16  # keys an EndpointSpec.memo_key remembers at most


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """How a node's key is found in a row: ``key`` (as is), ``key_from`` (make_id), or a
    ``key_template`` (every column of it must be filled)."""

    label: str
    source: ValueSpec
    derive: bool  # True: make_id(label, value)

    def empty_columns(self, row: Mapping[str, Any]) -> list[str]:
        """The key's columns that are blank in ``row`` (why :meth:`key` gave None)."""
        return sorted(c for c in self.source.columns if _blank(row.get(c)))

    @property
    def partial_id(self) -> str | None:
        """The id an all-blank row gave before key templates were checked ("org-pic-")."""
        if self.source.template is None or not self.source.columns:
            return None
        return "".join(literal for literal, _, _ in _compile(self.source.template)).strip()

    def memo_key(self) -> Callable[[Mapping[str, Any]], str | None]:
        """:meth:`key`, remembered per text of its one column (a file of relationships names
        the same organisation on many rows); a key of several columns or none is not."""
        columns = self.source.columns
        if len(columns) != 1:
            return self.key
        (column,) = columns
        key = self.key
        memo: dict[str, str | None] = {}

        def keyed(row: Mapping[str, Any]) -> str | None:
            raw = row.get(column)
            if type(raw) is not str:
                return key(row)
            if raw in memo:
                return memo[raw]
            if len(memo) >= _KEY_MEMO:
                memo.clear()  # bounded: a stream of distinct keys is not worth keeping
            found = memo[raw] = key(row)
            return found

        return keyed

    def key(self, row: Mapping[str, Any]) -> str | None:
        source = self.source
        if source.template is not None:
            return _render_all(source.template, row)
        if (
            source.column is not None
            and not self.derive
            and not source.filters
            and source.mapping is None
            and type(raw := row.get(source.column)) is str
        ):
            # the commonest key: one column of text as is (what the lines below give it)
            text = raw.strip()
            if not text:
                return None
            return keyed_person_id(text) if self.label == "Person" else text
        value = source.get(row)
        if _blank(value):
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        if self.derive:
            return make_id(self.label, text)
        # A Person key from a file is keyed like a derived one: no id reveals or confirms a
        # person's identity, and the same file gives the same ids again.
        return keyed_person_id(text) if self.label == "Person" else text.strip()


@dataclass(slots=True)
class NodeMapping:
    label: str
    key: EndpointSpec
    properties: dict[str, ValueSpec]
    unique: bool = True  # a repeated key in one file is a reject unless the mapping says not
    where: dict[str, Any] = field(default_factory=dict)
    strict: bool = False  # an invalid optional cell rejects the whole row (default: drops it)
    public_names: bool = False  # names: public; else person-like names are withheld


@dataclass(slots=True)
class RelMapping:
    type: str
    start: EndpointSpec
    end: EndpointSpec
    properties: dict[str, ValueSpec]
    on_missing_endpoint: str = "reject"  # or "skip"
    where: dict[str, Any] = field(default_factory=dict)
    #: property -> what a second row for the same (start, end) does: DUPLICATE_POLICIES
    on_duplicate: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    #: not a manifest option: every row this mapping matches is rejected with this reason
    #: (the Excel template catches rows whose endpoint kind is missing or unknown)
    reject_rows: str | None = None


@dataclass(slots=True)
class FileSpec:
    path: Path
    nodes: list[NodeMapping]
    relationships: list[RelMapping]
    sheet: str | None = None
    delimiter: str | None = None
    encoding: str = "utf-8"
    na_values: frozenset[str] = frozenset()
    source: str | None = None


@dataclass(slots=True)
class Manifest:
    files: list[FileSpec]
    source: str | None = None
    path: Path | None = None
    text: str = ""


def _value_spec(spec: Any, where: str) -> ValueSpec:
    if isinstance(spec, str):
        name, filters = _column_ref(spec)
        return ValueSpec(column=name, filters=filters)
    if isinstance(spec, dict):
        _check_options(spec, "value", where)
        if "column" in spec:
            name, filters = _column_ref(str(spec["column"]))
            mapping = spec.get("map")
            if mapping is not None and not isinstance(mapping, dict):
                raise ManifestError(f"{where}: map must be a mapping of value: replacement")
            return ValueSpec(
                column=name,
                filters=filters,
                mapping=mapping,
                if_missing=bool(spec.get("if_missing")),
            )
        if "template" in spec:
            template = str(spec["template"])
            for ref in _PLACEHOLDER.findall(template):
                _column_ref(ref)
            return ValueSpec(template=template, if_missing=bool(spec.get("if_missing")))
        if "value" in spec:
            return ValueSpec(value=spec["value"], if_missing=bool(spec.get("if_missing")))
    raise ManifestError(
        f"{where}: give a column name, or {{column: ...}}, {{template: ...}} or {{value: ...}}"
    )


def _endpoint(
    spec: Any, label: str | None, where: str, *, own_options: bool = True
) -> EndpointSpec:
    if not isinstance(spec, dict):
        raise ManifestError(f"{where}: expected {{label: ..., key: COLUMN}}")
    if own_options:  # a node mapping's options are checked by its caller
        _check_options(spec, "endpoint", where)
    label = spec.get("label", label)
    if label not in NODE_TYPES:
        raise ManifestError(
            f"{where}: unknown label {label!r}; valid labels: {', '.join(sorted(NODE_TYPES))}"
        )
    given = [k for k in ("key", "key_from", "key_template") if k in spec]
    if len(given) != 1:
        raise ManifestError(f"{where}: give exactly one of key, key_from or key_template")
    kind = given[0]
    if kind == "key_template":
        source = ValueSpec(template=str(spec[kind]))
    else:
        name, filters = _column_ref(str(spec[kind]))
        source = ValueSpec(column=name, filters=filters)
    return EndpointSpec(label=str(label), source=source, derive=kind == "key_from")


def _properties(spec: Any, allowed: set[str], owner: str, where: str) -> dict[str, ValueSpec]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ManifestError(f"{where}: properties must map property names to columns")
    out = {}
    for prop, value in spec.items():
        if prop not in allowed:
            raise ManifestError(
                f"{where}: {owner} has no property {prop!r}; valid: {', '.join(sorted(allowed))}"
            )
        if prop == KEY:
            raise ManifestError(
                f"{where}: set the id with key/key_from/key_template, not as a property"
            )
        out[str(prop)] = _value_spec(value, f"{where}.{prop}")
    return out


def _where(spec: Any, where: str) -> dict[str, Any]:
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise ManifestError(f"{where}: where must map columns to allowed values")
    out: dict[str, Any] = {}
    for column, allowed in spec.items():
        if isinstance(allowed, dict) and "regex" in allowed:
            out[str(column)] = re.compile(str(allowed["regex"]))
        elif isinstance(allowed, list):
            out[str(column)] = {str(a) for a in allowed}
        else:
            out[str(column)] = {str(allowed)}
    return out


def row_matches(where: Mapping[str, Any], row: Mapping[str, Any]) -> bool:
    for column, allowed in where.items():
        value = row.get(column)
        text = "" if value is None else str(value).strip()
        if isinstance(allowed, re.Pattern):
            if not allowed.search(text):
                return False
        elif text not in allowed:
            return False
    return True


def _flag(raw: Mapping[str, Any], name: str, default: bool, where: str) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise ManifestError(f"{where}: {name} is true or false, not {value!r}")
    return value


def _names(raw: Mapping[str, Any], default: bool, where: str) -> bool:
    value = raw.get("names")
    if value is None:
        return default
    if value not in ("public", "check"):
        raise ManifestError(
            f"{where}: names is public (store every name as given) or check (the default: "
            "names that look like a natural person are withheld)"
        )
    return value == "public"


def _on_duplicate(spec: Any, props: Mapping[str, Any], where: str) -> dict[str, str]:
    if spec is None:
        return {}
    if isinstance(spec, str):
        spec = {name: spec for name in props}
    if not isinstance(spec, dict):
        raise ManifestError(
            f"{where}: on_duplicate is one of {', '.join(DUPLICATE_POLICIES)}, or a mapping "
            "of property: policy"
        )
    out = {}
    for prop, policy in spec.items():
        if prop not in props:
            raise ManifestError(
                f"{where}: on_duplicate names {prop!r}, which this relationship does not map; "
                f"mapped: {', '.join(props) or 'none'}"
            )
        if policy not in DUPLICATE_POLICIES:
            raise ManifestError(
                f"{where}: on_duplicate for {prop} is {policy!r}; use one of "
                f"{', '.join(DUPLICATE_POLICIES)}"
            )
        out[str(prop)] = str(policy)
    return out


def _file_spec(
    raw: Any, base: Path, index: int, *, strict: bool = False, public_names: bool = False
) -> FileSpec:
    where = f"files[{index}]"
    if not isinstance(raw, dict) or "path" not in raw:
        raise ManifestError(f"{where}: each file needs a path")
    _check_options(raw, "file", where)
    strict = _flag(raw, "strict", strict, where)
    public_names = _names(raw, public_names, where)
    path = Path(str(raw["path"]))
    path = path if path.is_absolute() else base / path
    nodes = []
    for w, node, nt in _entries(
        raw, "nodes", "node", where, lambda n: node_type(str(n.get("label")))
    ):
        allowed = {p.name for p in nt.all_properties}
        nodes.append(
            NodeMapping(
                label=nt.label,
                key=_endpoint({**node, "label": nt.label}, nt.label, w, own_options=False),
                properties=_properties(node.get("properties"), allowed, nt.label, w),
                unique=_flag(node, "unique", True, w),
                where=_where(node.get("where"), w),
                strict=_flag(node, "strict", strict, w),
                public_names=_names(node, public_names, w),
            )
        )
    rels = []
    entries = _entries(
        raw, "relationships", "relationship", where, lambda r: rel_type(str(r.get("type")))
    )
    for w, rel, rt in entries:
        start = _endpoint(rel.get("start"), None, f"{w}.start")
        end = _endpoint(rel.get("end"), None, f"{w}.end")
        if start.label not in rt.sources:
            raise ManifestError(
                f"{w}: {rt.type} cannot start at {start.label}; allowed: {', '.join(rt.sources)}"
            )
        if end.label not in rt.targets:
            raise ManifestError(
                f"{w}: {rt.type} cannot end at {end.label}; allowed: {', '.join(rt.targets)}"
            )
        missing = str(rel.get("on_missing_endpoint", "reject"))
        if missing not in ("reject", "skip"):
            raise ManifestError(f"{w}: on_missing_endpoint is reject or skip")
        props = _properties(rel.get("properties"), {p.name for p in rt.properties}, rt.type, w)
        rels.append(
            RelMapping(
                type=rt.type,
                start=start,
                end=end,
                properties=props,
                on_missing_endpoint=missing,
                where=_where(rel.get("where"), w),
                on_duplicate=_on_duplicate(rel.get("on_duplicate"), props, w),
                strict=_flag(rel, "strict", strict, w),
            )
        )
    if not nodes and not rels:
        raise ManifestError(f"{where} ({path.name}): map it to nodes, relationships or both")
    na = raw.get("na_values") or []
    encoding = str(raw.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise ManifestError(
            f"{where}: unknown encoding {encoding!r}; use utf-8, cp1252 or latin-1",
            field="encoding",
        ) from None
    return FileSpec(
        path=path,
        nodes=nodes,
        relationships=rels,
        sheet=raw.get("sheet"),
        delimiter=raw.get("delimiter"),
        encoding=encoding,
        na_values=frozenset(str(v) for v in na),
        source=raw.get("source"),
    )


def referenced_columns(spec: FileSpec) -> dict[str, str]:
    """Every column ``spec``'s mappings read, with where it is used (for the header check)."""
    used: dict[str, str] = {}

    def add(columns: set[str], use: str) -> None:
        for column in sorted(columns):
            used.setdefault(column, use)

    for node in spec.nodes:
        add(node.key.source.columns, f"{node.label} key")
        for prop, vs in node.properties.items():
            add(vs.columns, f"{node.label}.{prop}")
        add(set(node.where), f"{node.label} where")
    for rel in spec.relationships:
        add(rel.start.source.columns, f"{rel.type} start")
        add(rel.end.source.columns, f"{rel.type} end")
        for prop, vs in rel.properties.items():
            add(vs.columns, f"{rel.type}.{prop}")
        add(set(rel.where), f"{rel.type} where")
    return used


def load_manifest(path: Path, *, base_dir: Path | None = None) -> Manifest:
    """Read and check a manifest; ``base_dir`` overrides the folder its paths are relative to."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = yaml.safe_load(text)
    except OSError as exc:
        raise ManifestError(f"cannot read the manifest {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ManifestError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list) or not data["files"]:
        raise ManifestError(f"{path.name}: a manifest needs a non-empty 'files:' list")
    _check_options(data, "manifest", path.name)
    strict = _flag(data, "strict", False, path.name)
    public_names = _names(data, False, path.name)
    base = base_dir or path.parent
    files = [
        _file_spec(raw, base, i, strict=strict, public_names=public_names)
        for i, raw in enumerate(data["files"])
    ]
    return Manifest(files=files, source=data.get("source"), path=path, text=text)


def single_file_manifest(path: Path, label: str, columns: list[str]) -> Manifest:
    """The manifest of ``scaleup ingest FILE --label L``: columns map to same-named properties."""
    try:
        nt = node_type(label)
    except ValueError as exc:
        raise ManifestError(str(exc)) from None
    allowed = {p.name for p in nt.all_properties}
    unknown = [c for c in columns if c not in allowed]
    if unknown:
        raise ManifestError(
            f"{path.name}: {label} has no property {', '.join(map(repr, unknown))}; rename the "
            f"column(s) to one of: {', '.join(sorted(allowed))}, or write a manifest"
        )
    if KEY in columns:
        key = EndpointSpec(label, ValueSpec(column=KEY), derive=False)
    elif nt.caption in columns or "name" in columns:
        key = EndpointSpec(
            label,
            ValueSpec(column="email" if is_personal(label) and "email" in columns else "name"),
            derive=True,
        )
    else:
        raise ManifestError(f"{path.name}: needs an 'id' or a 'name' column to key {label} nodes")
    props = {c: ValueSpec(column=c) for c in columns if c != KEY}
    return Manifest(
        files=[FileSpec(path=path, nodes=[NodeMapping(label, key, props)], relationships=[])],
        text=f"single:{label}",
    )
