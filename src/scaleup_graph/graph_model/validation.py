"""Turn raw cell values (strings from CSV, numbers from XLSX, JSON values) into typed properties.

One function per job: :func:`coerce` for one value, :func:`validate_node` and
:func:`validate_relationship` for a whole record. Errors name the field and say what is wrong
in a sentence a person who edits the spreadsheet understands.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from typing import Any

from scaleup_graph.errors import Invalid
from scaleup_graph.graph_model.messages import field_message
from scaleup_graph.graph_model.schema import (
    KEY,
    METRIC_PREFIX,
    NODE_TYPES,
    REL_TYPES,
    NodeType,
    Property,
    PropType,
    RelType,
)
from scaleup_graph.graph_model.words import prop_name

__all__ = [
    "FieldError",
    "RowValidator",
    "coerce",
    "invalid",
    "node_type",
    "rel_type",
    "validate_node",
    "validate_relationship",
]

_TRUE = {"true", "1", "yes", "ja", "y", "j", "x", "wahr"}
_FALSE = {"false", "0", "no", "nein", "n", "falsch", ""}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[+0-9 ()/.\-]{4,40}$")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"\s*[;|]\s*")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One field's problem: ``reason`` in English (reject reports), ``code`` and ``params`` to
    say it in another language (:func:`scaleup_graph.graph_model.messages.field_message`)."""

    field: str
    value: Any
    reason: str
    code: str = "invalid"
    params: Mapping[str, Any] = dc_field(default_factory=dict)

    def message(self, lang: str) -> str:
        """The problem in ``lang`` (``de``, ``en``): what is wrong and what to do."""
        if lang == "en" or self.code == "invalid":
            return self.reason
        return field_message(self.code, lang, **self.params)


def _bad(code: str, **params: Any) -> Invalid:
    """The error for a value: the English sentence, with the code and parameters that say it in
    another language (never the value itself)."""
    return Invalid(field_message(code, "en", **params), problem=code, params=params)


def _problem(exc: ValueError) -> tuple[str, dict[str, Any]]:
    details = exc.details if isinstance(exc, Invalid) else {}
    return str(details.get("problem") or "invalid"), dict(details.get("params") or {})


def node_type(label: str) -> NodeType:
    """The schema entry for a label, or an Invalid (a ValueError) that lists the valid ones."""
    try:
        return NODE_TYPES[label]
    except KeyError:
        raise Invalid(
            f"unknown label {label!r}; valid labels are: {', '.join(sorted(NODE_TYPES))}"
        ) from None


def rel_type(type_: str) -> RelType:
    try:
        return REL_TYPES[type_]
    except KeyError:
        raise Invalid(
            f"unknown relationship type {type_!r}; valid types are: {', '.join(sorted(REL_TYPES))}"
        ) from None


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def _number(text: str) -> float:
    """Accept "1234.5", "1.234,5" and "1234,5" (German Excel) alike."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif "," in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def coerce(prop: Property, value: Any) -> Any:
    """Return ``value`` as the property's type, or raise ValueError with the reason.

    >>> from scaleup_graph.graph_model.schema import Property, PropType
    >>> coerce(Property("n", PropType.FLOAT), "1.234,5")
    1234.5
    >>> coerce(Property("d", PropType.DATE), "08.12.2021")
    '2021-12-08'
    >>> coerce(Property("t", PropType.STR_LIST), "mobility; digitalisation")
    ['mobility', 'digitalisation']
    """
    kind = prop.type
    if kind is PropType.STR and type(value) is str and not prop.choices:
        # the common case, kept cheap: ingest calls this for every cell
        text = value.strip()
        if len(text) > prop.max_length or "\x00" in text:
            if "\x00" in text:
                raise _bad("nul_byte")
            raise _bad("too_long", max=prop.max_length, length=len(text))
        return text
    if kind in (PropType.STR, PropType.TEXT, PropType.PHONE, PropType.EMAIL, PropType.URL):
        if isinstance(value, bool | dict | list):
            raise _bad("not_text", got=type(value).__name__)
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if "\x00" in text:
            raise _bad("nul_byte")
        if len(text) > prop.max_length:
            raise _bad("too_long", max=prop.max_length, length=len(text))
        if kind is PropType.EMAIL and not _EMAIL.match(text):
            raise _bad("not_email")
        if kind is PropType.PHONE and not _PHONE.match(text):
            raise _bad("not_phone")
        if kind is PropType.URL and not _URL.match(text):
            raise _bad("not_url")
        if prop.choices and text not in prop.choices:
            raise _bad("not_choice", property=prop.name, choices=list(prop.choices))
        return text
    if kind is PropType.INT:
        if isinstance(value, bool):
            raise _bad("integer_not_bool")
        try:
            number = value if isinstance(value, int | float) else _number(str(value))
        except ValueError:
            raise _bad("not_integer") from None
        if isinstance(number, float) and not number.is_integer():
            raise _bad("not_integer")
        return int(number)
    if kind is PropType.FLOAT:
        if isinstance(value, bool):
            raise _bad("number_not_bool")
        try:
            number = float(value) if isinstance(value, int | float) else _number(str(value))
        except ValueError:
            raise _bad("not_number") from None
        if math.isnan(number) or math.isinf(number):
            raise _bad("not_finite")
        return number
    if kind is PropType.BOOL:
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _bad("not_bool")
    if kind is PropType.DATE:
        return _date(value)
    if kind is PropType.DATETIME:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        try:
            return dt.datetime.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise _bad("not_datetime") from None
    if kind is PropType.STR_LIST:
        items = value if isinstance(value, list | tuple) else _LIST_SPLIT.split(str(value))
        cleaned = [str(item).strip() for item in items if not _is_blank(item)]
        if any("\x00" in item or len(item) > prop.max_length for item in cleaned):
            raise _bad("list_item_bad", max=prop.max_length)
        if prop.choices:
            bad = [item for item in cleaned if item not in prop.choices]
            if bad:
                raise _bad(
                    "list_not_choice", property=prop.name, bad=bad, choices=list(prop.choices)
                )
        return cleaned
    raise AssertionError(f"unhandled property type {kind}")  # pragma: no cover


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    german = _GERMAN_DATE.match(text)
    try:
        if german:
            day, month, year = (int(g) for g in german.groups())
            return dt.date(year, month, day).isoformat()
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        raise _bad("not_date") from None


@cache
def _node_properties(label: str) -> tuple[dict[str, Property], tuple[Property, ...]]:
    props = node_type(label).all_properties
    return {p.name: p for p in props}, tuple(p for p in props if p.required)


@cache
def _rel_properties(type_: str) -> tuple[dict[str, Property], tuple[Property, ...]]:
    props = rel_type(type_).all_properties
    return {p.name: p for p in props}, tuple(p for p in props if p.required)


def _validate_properties(
    schema: tuple[dict[str, Property], tuple[Property, ...]], raw: Mapping[str, Any], where: str
) -> tuple[dict[str, Any], list[FieldError]]:
    by_name, required = schema
    clean: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, value in raw.items():
        prop = by_name.get(name)
        if prop is None:
            if name.startswith(METRIC_PREFIX):
                code, params = "metric_property", {}
            else:
                code, params = "unknown_property", {"label": where, "property": name}
            errors.append(
                FieldError(name, value, field_message(code, "en", **params), code, params)
            )
            continue
        if value is None or (type(value) is str and not value.strip()):
            continue
        if type(value) is not str and _is_blank(value):
            continue
        try:
            clean[name] = coerce(prop, value)
        except ValueError as exc:
            errors.append(FieldError(name, value, str(exc), *_problem(exc)))
    for prop in required:
        if prop.name not in clean and not any(e.field == prop.name for e in errors):
            errors.append(
                FieldError(
                    prop.name, raw.get(prop.name), field_message("required", "en"), "required"
                )
            )
    return clean, errors


def validate_node(label: str, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate one node record. Returns the typed properties and the list of field errors."""
    return _validate_properties(_node_properties(label), raw, label)


def validate_relationship(
    type_: str, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate a relationship's own properties (endpoints are checked by ingest)."""
    return _validate_properties(_rel_properties(type_), raw, type_)


_SKIP = object()  # a blank cell: no property, no error
_MEMO_TRIAL = 4096  # distinct values a column may show before its memo must pay off


class RowValidator:
    """:func:`validate_node` / :func:`validate_relationship` for the many rows of one mapping,
    with the same results (values and errors), but each column's cells are checked once per
    distinct value: most columns of a large file repeat a few values (a sector, a country, a
    level, a date), so a row costs a dictionary lookup a cell. A column whose values hardly
    repeat (names, descriptions) stops being remembered after its first few thousand values.

    >>> check = RowValidator.node("Organisation")
    >>> [check({"id": i, "name": "X", "country": " DE"})[0]["country"] for i in ("a", "b")]
    ['DE', 'DE']
    >>> for i in ("a", "b"):
    ...     print([(e.field, e.value, e.code) for e in check({"id": i, "website": "x.de"})[1]])
    [('website', 'x.de', 'not_url'), ('name', None, 'required')]
    [('website', 'x.de', 'not_url'), ('name', None, 'required')]
    """

    __slots__ = ("_hits", "_memo", "_text", "by_name", "required", "where")

    def __init__(
        self, schema: tuple[dict[str, Property], tuple[Property, ...]], where: str
    ) -> None:
        self.by_name, self.required = schema
        self.where = where
        #: property -> value -> _SKIP, (True, clean value) or (False, (reason, code, params));
        #: None once the column's values proved not to repeat
        self._memo: dict[str, dict[Any, Any] | None] = {}
        self._hits: dict[str, int] = {}
        #: text properties without choices -> their longest length: a cell of text coerces
        #: to itself stripped (coerce's first lines), checked inline once not remembered
        self._text = {
            name: prop.max_length
            for name, prop in self.by_name.items()
            if prop.type in (PropType.STR, PropType.TEXT) and not prop.choices
        }

    @classmethod
    def node(cls, label: str) -> RowValidator:
        return cls(_node_properties(label), label)

    @classmethod
    def relationship(cls, type_: str) -> RowValidator:
        return cls(_rel_properties(type_), type_)

    def __call__(self, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
        by_name, memos = self.by_name, self._memo
        clean: dict[str, Any] = {}
        errors: list[FieldError] = []
        for name, value in raw.items():
            prop = by_name.get(name)
            if prop is None or value is None:
                if prop is None:
                    return _validate_properties((by_name, self.required), raw, self.where)
                continue
            if name not in memos:
                memos[name] = {}
                self._hits[name] = 0
            memo = memos[name]
            kind = type(value)
            if memo is None and kind is str and name in self._text:
                # a column of distinct texts (ids, names): what _check_cell gives, inline
                text = value.strip()
                if text and len(text) <= self._text[name] and "\x00" not in text:
                    clean[name] = text
                    continue
            if memo is None or not (kind is str or kind is int or kind is float or kind is bool):
                # not remembered: lists and dicts (JSON) cannot be keys
                outcome = _check_cell(prop, value)
            else:
                key = value if kind is str else (kind, value)
                outcome = memo.get(key)
                if outcome is None:
                    outcome = memo[key] = _check_cell(prop, value)
                    if len(memo) > _MEMO_TRIAL and self._hits[name] * 2 < len(memo):
                        memos[name] = None  # the values hardly repeat: not worth a lookup
                else:
                    self._hits[name] += 1
            if outcome is _SKIP:
                continue
            good, result = outcome
            if good:
                clean[name] = list(result) if type(result) is list else result
            else:
                errors.append(FieldError(name, value, *result))
        for prop in self.required:
            if prop.name not in clean and not any(e.field == prop.name for e in errors):
                errors.append(
                    FieldError(
                        prop.name, raw.get(prop.name), field_message("required", "en"), "required"
                    )
                )
        return clean, errors


def _check_cell(prop: Property, value: Any) -> Any:
    """One cell as :func:`_validate_properties` takes it: _SKIP (blank), (True, the clean
    value) or (False, (reason, code, params))."""
    if (type(value) is str and not value.strip()) or (type(value) is not str and _is_blank(value)):
        return _SKIP
    try:
        return True, coerce(prop, value)
    except ValueError as exc:
        return False, (str(exc), *_problem(exc))


def invalid(errors: list[FieldError]) -> Invalid:
    """The error for a record with field errors: the first named in the message (English; in
    another language through :meth:`Invalid.in_language`), every one in ``problems`` with its
    ``code`` and ``params``.

    >>> _, errors = validate_node("Organisation", {"id": "org-x", "website": "www.x.de"})
    >>> err = invalid(errors)
    >>> err.message, err.field
    ('website is not a web address (expected http:// or https://...)', 'website')
    >>> err.in_language("de")
    'Website: Keine Web-Adresse. Bitte mit http:// oder https:// beginnen, z. B. https://www.beispiel.de'
    >>> [p["code"] for p in err.details["problems"]]
    ['not_url', 'required']
    """
    first = errors[0]
    return Invalid(
        f"{first.field} {first.reason}",
        first.field,
        translate=lambda lang: f"{prop_name(first.field, lang)}: {first.message(lang)}",
        problems=[
            {"field": e.field, "message": e.reason, "code": e.code, "params": dict(e.params)}
            for e in errors
        ],
    )


def extra_labels(label: str, props: Mapping[str, Any]) -> list[str]:
    """Additional labels a node carries (Organisation kinds), from the schema's allowlist only."""
    nt = NODE_TYPES[label]
    kinds = props.get("kinds") or []
    return [k for k in nt.extra_labels if k in kinds]


assert all(nt.all_properties[0].name == KEY for nt in NODE_TYPES.values())
