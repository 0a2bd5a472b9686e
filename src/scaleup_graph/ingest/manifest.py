"""The ingest manifest (docs/manifest.md): which files and columns become which nodes and links.

A manifest is checked against the schema before a single row is read, so a typo in a label,
a relationship type or a property name stops the run with the list of valid names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from scaleup_graph.graph_model import KEY, NODE_TYPES, make_id, node_type, rel_type

__all__ = [
    "EndpointSpec",
    "FileSpec",
    "Manifest",
    "ManifestError",
    "NodeMapping",
    "RelMapping",
    "ValueSpec",
    "load_manifest",
    "single_file_manifest",
]

_FILTERS: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "strip": str.strip,
    "parent": lambda s: s[:-1],  # NUTS: the parent code is the code without its last character
    "country": lambda s: s[:2].upper(),  # NUTS: the country is the first two characters
}
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


class ManifestError(Exception):
    """The manifest itself is wrong; nothing was written."""


def _column_ref(ref: str) -> tuple[str, tuple[str, ...]]:
    name, *filters = (part.strip() for part in ref.split("|"))
    for f in filters:
        if f not in _FILTERS:
            raise ManifestError(f"unknown filter {f!r} in {ref!r}; use: {', '.join(_FILTERS)}")
    return name, tuple(filters)


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
            if _blank(raw):
                return None
            raw = _apply(raw, self.filters)
            if self.mapping is not None:
                return self.mapping.get(str(raw).strip())
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


def _render(template: str, row: Mapping[str, Any]) -> str | None:
    out = []
    for literal, name, filters in _compile(template):
        out.append(literal)
        if name is None:
            continue
        raw = row.get(name)
        if _blank(raw):
            continue
        text = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else str(raw).strip()
        out.append(_apply(text, filters) if filters else text)
    text = "".join(out).strip()
    return text or None


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    """How a node's key is found in a row: ``key`` (as is), ``key_from`` (make_id), or a
    ``key_template``."""

    label: str
    source: ValueSpec
    derive: bool  # True: make_id(label, value)

    def key(self, row: Mapping[str, Any]) -> str | None:
        value = self.source.get(row)
        if _blank(value):
            return None
        text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
        return make_id(self.label, text) if self.derive else text.strip()


@dataclass(slots=True)
class NodeMapping:
    label: str
    key: EndpointSpec
    properties: dict[str, ValueSpec]
    unique: bool = True  # a repeated key in one file is a reject unless the mapping says not
    where: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class RelMapping:
    type: str
    start: EndpointSpec
    end: EndpointSpec
    properties: dict[str, ValueSpec]
    on_missing_endpoint: str = "reject"  # or "skip"
    where: dict[str, Any] = field(default_factory=dict)


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
        unknown = set(spec) - {"column", "template", "value", "map", "if_missing"}
        if unknown:
            raise ManifestError(f"{where}: unknown option(s) {', '.join(sorted(unknown))}")
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


def _endpoint(spec: Any, label: str | None, where: str) -> EndpointSpec:
    if not isinstance(spec, dict):
        raise ManifestError(f"{where}: expected {{label: ..., key: COLUMN}}")
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


def _file_spec(raw: Any, base: Path, index: int) -> FileSpec:
    where = f"files[{index}]"
    if not isinstance(raw, dict) or "path" not in raw:
        raise ManifestError(f"{where}: each file needs a path")
    path = Path(str(raw["path"]))
    path = path if path.is_absolute() else base / path
    nodes = []
    for j, node in enumerate(raw.get("nodes") or []):
        w = f"{where}.nodes[{j}]"
        if not isinstance(node, dict):
            raise ManifestError(f"{w}: expected a mapping")
        try:
            nt = node_type(str(node.get("label")))
        except ValueError as exc:
            raise ManifestError(f"{w}: {exc}") from None
        allowed = {p.name for p in nt.all_properties}
        nodes.append(
            NodeMapping(
                label=nt.label,
                key=_endpoint({**node, "label": nt.label}, nt.label, w),
                properties=_properties(node.get("properties"), allowed, nt.label, w),
                unique=bool(node.get("unique", True)),
                where=_where(node.get("where"), w),
            )
        )
    rels = []
    for j, rel in enumerate(raw.get("relationships") or []):
        w = f"{where}.relationships[{j}]"
        if not isinstance(rel, dict):
            raise ManifestError(f"{w}: expected a mapping")
        try:
            rt = rel_type(str(rel.get("type")))
        except ValueError as exc:
            raise ManifestError(f"{w}: {exc}") from None
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
        rels.append(
            RelMapping(
                type=rt.type,
                start=start,
                end=end,
                properties=_properties(
                    rel.get("properties"), {p.name for p in rt.properties}, rt.type, w
                ),
                on_missing_endpoint=missing,
                where=_where(rel.get("where"), w),
            )
        )
    if not nodes and not rels:
        raise ManifestError(f"{where} ({path.name}): map it to nodes, relationships or both")
    na = raw.get("na_values") or []
    return FileSpec(
        path=path,
        nodes=nodes,
        relationships=rels,
        sheet=raw.get("sheet"),
        delimiter=raw.get("delimiter"),
        encoding=str(raw.get("encoding", "utf-8")),
        na_values=frozenset(str(v) for v in na),
        source=raw.get("source"),
    )


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
    base = base_dir or path.parent
    files = [_file_spec(raw, base, i) for i, raw in enumerate(data["files"])]
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
            ValueSpec(column="email" if label == "Person" and "email" in columns else "name"),
            derive=True,
        )
    else:
        raise ManifestError(f"{path.name}: needs an 'id' or a 'name' column to key {label} nodes")
    props = {c: ValueSpec(column=c) for c in columns if c != KEY}
    return Manifest(
        files=[FileSpec(path=path, nodes=[NodeMapping(label, key, props)], relationships=[])],
        text=f"single:{label}",
    )
