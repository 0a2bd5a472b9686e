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
from functools import cache
from typing import Any

from scaleup_graph.errors import Invalid
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

__all__ = [
    "FieldError",
    "coerce",
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
    field: str
    value: Any
    reason: str


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
            raise Invalid(
                "contains a NUL byte"
                if "\x00" in text
                else f"longer than {prop.max_length} characters ({len(text)})"
            )
        return text
    if kind in (PropType.STR, PropType.TEXT, PropType.PHONE, PropType.EMAIL, PropType.URL):
        if isinstance(value, bool | dict | list):
            raise Invalid(f"expected text, got {type(value).__name__}")
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if "\x00" in text:
            raise Invalid("contains a NUL byte")
        if len(text) > prop.max_length:
            raise Invalid(f"longer than {prop.max_length} characters ({len(text)})")
        if kind is PropType.EMAIL and not _EMAIL.match(text):
            raise Invalid("is not an e-mail address (expected name@domain.tld)")
        if kind is PropType.PHONE and not _PHONE.match(text):
            raise Invalid("is not a phone number (digits, spaces, + ( ) / . - only)")
        if kind is PropType.URL and not _URL.match(text):
            raise Invalid("is not a web address (expected http:// or https://...)")
        if prop.choices and text not in prop.choices:
            raise Invalid(f"must be one of: {', '.join(prop.choices)}")
        return text
    if kind is PropType.INT:
        if isinstance(value, bool):
            raise Invalid("expected a whole number, got true/false")
        try:
            number = value if isinstance(value, int | float) else _number(str(value))
        except ValueError:
            raise Invalid("is not a whole number") from None
        if isinstance(number, float) and not number.is_integer():
            raise Invalid("is not a whole number")
        return int(number)
    if kind is PropType.FLOAT:
        if isinstance(value, bool):
            raise Invalid("expected a number, got true/false")
        try:
            number = float(value) if isinstance(value, int | float) else _number(str(value))
        except ValueError:
            raise Invalid("is not a number") from None
        if math.isnan(number) or math.isinf(number):
            raise Invalid("is not a finite number")
        return number
    if kind is PropType.BOOL:
        if isinstance(value, bool):
            return value
        text = str(value).strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise Invalid("expected yes/no (true/false, ja/nein, 1/0)")
    if kind is PropType.DATE:
        return _date(value)
    if kind is PropType.DATETIME:
        if isinstance(value, dt.datetime):
            return value.isoformat()
        try:
            return dt.datetime.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise Invalid("is not an ISO timestamp (YYYY-MM-DDTHH:MM:SS)") from None
    if kind is PropType.STR_LIST:
        items = value if isinstance(value, list | tuple) else _LIST_SPLIT.split(str(value))
        cleaned = [str(item).strip() for item in items if not _is_blank(item)]
        if any("\x00" in item or len(item) > prop.max_length for item in cleaned):
            raise Invalid("has an item that is too long or holds a NUL byte")
        if prop.choices:
            bad = [item for item in cleaned if item not in prop.choices]
            if bad:
                raise Invalid(f"{', '.join(bad)} not allowed; use: {', '.join(prop.choices)}")
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
        raise Invalid("is not a date (YYYY-MM-DD or DD.MM.YYYY)") from None


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
            reason = (
                f"{METRIC_PREFIX}* properties are written by analytics, not ingest"
                if name.startswith(METRIC_PREFIX)
                else f"{where} has no property {name!r}"
            )
            errors.append(FieldError(name, value, reason))
            continue
        if _is_blank(value):
            continue
        try:
            clean[name] = coerce(prop, value)
        except ValueError as exc:
            errors.append(FieldError(name, value, str(exc)))
    for prop in required:
        if prop.name not in clean and not any(e.field == prop.name for e in errors):
            errors.append(FieldError(prop.name, raw.get(prop.name), "is required but empty"))
    return clean, errors


def validate_node(label: str, raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate one node record. Returns the typed properties and the list of field errors."""
    return _validate_properties(_node_properties(label), raw, label)


def validate_relationship(
    type_: str, raw: Mapping[str, Any]
) -> tuple[dict[str, Any], list[FieldError]]:
    """Validate a relationship's own properties (endpoints are checked by ingest)."""
    return _validate_properties(_rel_properties(type_), raw, type_)


def extra_labels(label: str, props: Mapping[str, Any]) -> list[str]:
    """Additional labels a node carries (Organisation kinds), from the schema's allowlist only."""
    nt = NODE_TYPES[label]
    kinds = props.get("kinds") or []
    return [k for k in nt.extra_labels if k in kinds]


assert all(nt.all_properties[0].name == KEY for nt in NODE_TYPES.values())
