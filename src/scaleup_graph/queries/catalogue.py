"""The named query catalogue: one ``*.cypher`` file a query, with a header that declares it.

Header lines are ``//`` comments at the top of the file::

    // summary: Organisations whose name contains the search text.
    // role: viewer
    // param q: str = "" fold search max-length 200 -- part of the name; "Koeln" finds "Köln"
    // param hops: int = 2 range 1..3 inline -- how far to look
    // param labels: list[str] = [] one-of @labels -- only these labels
    // columns: id, name, email:pii
    // distinct: source, target -- a path needs two different actors

``distinct`` names parameters that must not all be equal (Neo4j's shortest-path functions
raise an error for a path from a node to itself); ``bind()`` refuses such values with the text
after ``--``.
``name.cypher`` is the default text; ``name.falkordb.cypher`` or ``name.neo4j.cypher`` override
it for that store dialect (the header stays in the default file). ``inline`` parameters are small
integers from a closed range (variable-length bounds cannot be Cypher parameters) or schema labels
(so a lookup by key uses the label's index); only values from that closed set, checked by
``bind()``, are placed in the text, labels through the schema allowlist. A ``search``
parameter ``q`` also gives the query ``$q_text``, ``$q_ft`` and ``$q_all`` for the store's
full-text index (:func:`scaleup_graph.queries.search.search_params`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, ORGANISATION_KINDS, fold
from scaleup_graph.queries import search_organisations
from scaleup_graph.queries.errors import CatalogueError, ParamError, QueryError
from scaleup_graph.queries.folding import FOLD_PARAM, expand_fold, fold_pairs
from scaleup_graph.queries.privacy import ROLES
from scaleup_graph.queries.search import search_params
from scaleup_graph.store.cypher import label as cypher_label

__all__ = [
    "COMPOSED",
    "CYPHER_DIR",
    "NamedQuery",
    "QueryParam",
    "catalogue",
    "load_catalogue",
    "parse_query_file",
]

CYPHER_DIR = Path(__file__).with_name("cypher")
_TYPES = ("str", "int", "float", "bool", "list[str]")
_DIALECTS = ("falkordb", "neo4j")
_REQUIRED: Any = object()
_DEFAULT_MAX_LENGTH = 500
_MAX_LIST_ITEMS = 50
# Control characters other than tab and newline serve no search and confuse logs and drivers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>list\[str\]|\w+)\s*(?P<rest>.*)$")
_TOKEN_DEFAULT = re.compile(r"^=\s*(?P<json>\"(?:[^\"\\]|\\.)*\"|\[[^\]]*\]|\S+)\s*")


def _schema_choices(ref: str) -> tuple[str, ...]:
    if ref == "@labels":
        return tuple(NODE_TYPES) + ORGANISATION_KINDS
    if ref == "@kinds":
        return ORGANISATION_KINDS
    label, _, prop_name = ref[1:].partition(".")
    prop = NODE_TYPES[label].prop(prop_name) if label in NODE_TYPES else None
    if prop is None or not prop.choices:
        raise CatalogueError(f"unknown schema choice list {ref!r}")
    return prop.choices


@dataclass(frozen=True, slots=True)
class QueryParam:
    """One declared parameter of a named query."""

    name: str
    type: str
    default: Any = _REQUIRED
    description: str = ""
    choices: tuple[Any, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    inline: bool = False
    folded: bool = False
    search: bool = False
    max_length: int = _DEFAULT_MAX_LENGTH

    @property
    def required(self) -> bool:
        return self.default is _REQUIRED

    def describe(self) -> dict[str, Any]:
        """The parameter as the API and CLI list it."""
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "required": self.required,
            "description": self.description,
        }
        if not self.required:
            out["default"] = self.default
        if self.choices:
            out["choices"] = list(self.choices)
        if self.minimum is not None:
            out["minimum"], out["maximum"] = self.minimum, self.maximum
        if self.type == "str":
            out["max_length"] = self.max_length
        return out

    def convert(self, value: Any, *, from_text: bool = False) -> Any:
        """Check ``value`` (JSON, or shell text when ``from_text``) and return it typed.

        Raises ParamError naming the parameter and saying what is expected.
        """
        try:
            typed = self._typed(value, from_text)
        except (TypeError, ValueError) as exc:
            raise ParamError(self.name, str(exc)) from None
        self._check(typed)
        return fold(typed) if self.folded and isinstance(typed, str) else typed

    def _typed(self, value: Any, from_text: bool) -> Any:
        kind = self.type
        if kind == "str":
            if not isinstance(value, str):
                raise TypeError(f"expected text, got {type(value).__name__}")
            return value
        if kind == "int":
            if from_text and isinstance(value, str):
                return int(value.strip())
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"expected a whole number, got {type(value).__name__}")
            return value
        if kind == "float":
            if from_text and isinstance(value, str):
                return float(value.strip())
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"expected a number, got {type(value).__name__}")
            return float(value)
        if kind == "bool":
            if from_text and isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            if not isinstance(value, bool):
                raise TypeError("expected true or false")
            return value
        # list[str]
        if from_text and isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError("expected a list of text values")
        return list(value)

    def _check(self, value: Any) -> None:
        items = value if isinstance(value, list) else [value]
        if isinstance(value, list) and len(value) > _MAX_LIST_ITEMS:
            raise ParamError(self.name, f"at most {_MAX_LIST_ITEMS} items")
        for item in items:
            if isinstance(item, str):
                if len(item) > self.max_length:
                    raise ParamError(self.name, f"longer than {self.max_length} characters")
                if _CONTROL.search(item):
                    raise ParamError(self.name, "contains control characters; remove them")
            if self.choices and item not in self.choices and item != self.default:
                shown = ", ".join(str(c) for c in self.choices)
                raise ParamError(self.name, f"must be one of: {shown}")
        if (
            self.minimum is not None
            and self.maximum is not None
            and not (self.minimum <= value <= self.maximum)
        ):
            raise ParamError(self.name, f"must be between {self.minimum} and {self.maximum}")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query of the catalogue: its header and its text per dialect."""

    name: str
    summary: str
    role: str
    params: tuple[QueryParam, ...]
    columns: tuple[str, ...]
    pii_columns: frozenset[str]
    texts: Mapping[str, str] = field(repr=False)  # dialect ("" = default) -> text
    #: parameters that must not all be equal, and why
    distinct: tuple[tuple[str, ...], str] = ((), "")

    def param(self, name: str) -> QueryParam | None:
        return next((p for p in self.params if p.name == name), None)

    def bind(
        self, raw: Mapping[str, Any], *, from_text: bool = False, dialect: str = "falkordb"
    ) -> dict[str, Any]:
        """Validated, typed parameters with defaults filled in; ParamError names the culprit.

        ``dialect`` shapes the full-text query of ``search`` parameters.
        """
        known = {p.name for p in self.params}
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ParamError(
                unknown[0],
                f"not a parameter of {self.name!r}; it takes: "
                f"{', '.join(sorted(known)) or 'no parameters'}",
            )
        bound: dict[str, Any] = {}
        for p in self.params:
            if p.name in raw and raw[p.name] is not None:
                bound[p.name] = p.convert(raw[p.name], from_text=from_text)
            elif p.required:
                raise ParamError(p.name, f"is required ({p.type}): {p.description}")
            else:
                bound[p.name] = p.convert(p.default) if p.folded else p.default
        names, why = self.distinct
        if len(names) > 1 and len({repr(bound.get(n)) for n in names}) == 1:
            # The root kind, not Invalid: each value is fine alone, the request is not (400).
            raise QueryError(
                f"parameter {names[-1]!r} must differ from {names[0]!r}: "
                f"{why or 'give different values'}",
                field=names[-1],
                code="same_values",
            )
        folded = [bound[p.name] for p in self.params if p.folded and bound[p.name]]
        if any(p.folded for p in self.params):
            bound[FOLD_PARAM] = fold_pairs(folded)
        for p in self.params:
            if p.search:
                bound.update(search_params(p.name, bound[p.name], dialect))
        return bound

    def text(self, dialect: str, bound: Mapping[str, Any]) -> str:
        """The query text for ``dialect`` with inline parameters' prepared variant, or the text
        composed from the parameters given where :data:`COMPOSED` has one."""
        compose = COMPOSED.get((self.name, dialect))
        if compose is not None:
            return compose(bound)
        return self.file_text(dialect, bound)

    def file_text(self, dialect: str, bound: Mapping[str, Any]) -> str:
        """The catalogue file's text for ``dialect`` (the reference a composed text matches)."""
        text = self.texts.get(dialect) or self.texts[""]
        for p in self.params:
            if p.inline:
                text = text.replace("{{" + p.name + "}}", _inline(p, bound[p.name]))
        return text

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "summary": self.summary,
            "role": self.role,
            "params": [p.describe() for p in self.params],
            "columns": [{"name": c, "pii": c in self.pii_columns} for c in self.columns],
        }


#: (query, dialect) -> a function of the bound parameters giving the statement: the clauses of
#: the filters actually given, the values still parameters. The file's text answers every
#: combination of filters, so each row pays for every filter there (see
#: :mod:`scaleup_graph.queries.search_organisations`).
COMPOSED: dict[tuple[str, str], Callable[[Mapping[str, Any]], str]] = {
    ("search_organisations", "falkordb"): search_organisations.falkordb_text,
}


def _inline(param: QueryParam, value: Any) -> str:
    # Only values from a closed set reach here (bind() checked them); labels go through the
    # schema allowlist once more, as everywhere else.
    if param.type == "int":
        return str(int(value))
    return ":" + cypher_label(str(value)) if value else ""


def _parse_param(line: str, where: str) -> QueryParam:
    spec, _, description = line.partition(" -- ")
    match = _PARAM.match(spec.strip())
    if not match or match["type"] not in _TYPES:
        raise CatalogueError(f"{where}: cannot read parameter line {line!r}")
    rest = match["rest"].strip()
    kwargs: dict[str, Any] = {
        "name": match["name"],
        "type": match["type"],
        "description": description.strip(),
    }
    default = _TOKEN_DEFAULT.match(rest)
    if default:
        kwargs["default"] = json.loads(default["json"])
        rest = rest[default.end() :]
    tokens = rest.split()
    while tokens:
        token = tokens.pop(0)
        if token == "inline":
            kwargs["inline"] = True
        elif token == "fold":
            kwargs["folded"] = True
        elif token == "search":
            kwargs["search"] = True
        elif token == "range":
            low, high = tokens.pop(0).split("..")
            kwargs["minimum"], kwargs["maximum"] = int(low), int(high)
        elif token == "max-length":
            kwargs["max_length"] = int(tokens.pop(0))
        elif token == "one-of":
            ref = tokens.pop(0)
            kwargs["choices"] = (
                _schema_choices(ref) if ref.startswith("@") else tuple(ref.split("|"))
            )
        else:
            raise CatalogueError(f"{where}: unknown option {token!r} in {line!r}")
    param = QueryParam(**kwargs)
    closed = (param.type == "int" and param.minimum is not None) or (
        param.type == "str"
        and set(param.choices) <= set(_schema_choices("@labels"))
        and bool(param.choices)
    )
    if param.inline and not closed:
        raise CatalogueError(
            f"{where}: inline parameter {param.name!r} needs an int range or schema labels"
        )
    return param


def parse_query_file(path: Path) -> NamedQuery:
    """Read one default ``name.cypher`` file and any dialect variants beside it."""
    name = path.name.removesuffix(".cypher")
    header: dict[str, str] = {}
    params: list[QueryParam] = []
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not body and stripped.startswith("//"):
            content = stripped[2:].strip()
            key, _, value = content.partition(":")
            if content.startswith("param "):
                params.append(_parse_param(content.removeprefix("param ").strip(), path.name))
            elif key.strip():
                header[key.strip()] = value.strip()
        elif stripped or body:
            body.append(line)
    missing = [k for k in ("summary", "role", "columns") if k not in header]
    if missing:
        raise CatalogueError(f"{path.name}: header lacks {', '.join(missing)}")
    if header["role"] not in ROLES:
        raise CatalogueError(f"{path.name}: unknown role {header['role']!r}")
    columns, pii = [], set()
    for column in (c.strip() for c in header["columns"].split(",")):
        base, _, flag = column.partition(":")
        columns.append(base.strip())
        if flag.strip() == "pii":
            pii.add(base.strip())
    names, _, why = header.get("distinct", "").partition(" -- ")
    distinct = (tuple(n.strip() for n in names.split(",") if n.strip()), why.strip())
    unknown = [n for n in distinct[0] if n not in {p.name for p in params}]
    if unknown:
        raise CatalogueError(f"{path.name}: distinct names unknown parameters {unknown}")
    texts = {"": expand_fold("\n".join(body).strip())}
    for dialect in _DIALECTS:
        variant = path.with_name(f"{name}.{dialect}.cypher")
        if variant.exists():
            lines = variant.read_text(encoding="utf-8").splitlines()
            code = [ln for ln in lines if not ln.strip().startswith("//")]
            texts[dialect] = expand_fold("\n".join(code).strip())
    return NamedQuery(
        name=name,
        summary=header["summary"],
        role=header["role"],
        params=tuple(params),
        columns=tuple(columns),
        pii_columns=frozenset(pii),
        texts=texts,
        distinct=distinct,
    )


def load_catalogue(directory: Path) -> dict[str, NamedQuery]:
    """Every named query in ``directory``, by name (dialect variants folded into their query)."""
    queries = {}
    for path in sorted(directory.glob("*.cypher")):
        if any(path.name.endswith(f".{d}.cypher") for d in _DIALECTS):
            continue
        query = parse_query_file(path)
        queries[query.name] = query
    return queries


@cache
def catalogue() -> dict[str, NamedQuery]:
    """The packaged catalogue (parsed once per process).

    >>> "search_organisations" in catalogue()
    True
    """
    return load_catalogue(CYPHER_DIR)
