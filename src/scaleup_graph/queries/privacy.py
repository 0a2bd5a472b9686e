"""Roles and the personal-data filter every output path shares (API, explorer, exports).

Roles are cumulative: each includes the ones before it, so ``analyst``, ``editor`` and ``admin``
see persons' contact fields like ``contacts`` does. Only ``viewer`` is kept away from personal
data. The filter removes personal fields as keys (not as nulls), so a response for a viewer has
no trace of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from scaleup_graph.graph_model import NODE_TYPES, is_personal

__all__ = [
    "PII_ROLE",
    "ROLES",
    "has_role",
    "is_system_value",
    "person_ids",
    "role_rank",
    "sees_pii",
    "strip_pii",
]

#: From least to most privileged; a role includes every role before it.
ROLES: tuple[str, ...] = ("viewer", "contacts", "analyst", "editor", "admin")
#: The first role allowed to see persons' names, e-mails and phones.
PII_ROLE = "contacts"

#: Personal fields per label, straight from the schema's pii flags.
_PII_BY_LABEL: dict[str, frozenset[str]] = {
    label: nt.pii_fields for label, nt in NODE_TYPES.items() if nt.pii_fields
}
_SCHEMA_LABELS = frozenset(NODE_TYPES) | {k for nt in NODE_TYPES.values() for k in nt.extra_labels}


def role_rank(role: str) -> int:
    """Position of ``role`` in :data:`ROLES`; ValueError names the valid roles.

    >>> role_rank("viewer") < role_rank("admin")
    True
    """
    try:
        return ROLES.index(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}; valid roles are: {', '.join(ROLES)}") from None


def has_role(role: str, needed: str) -> bool:
    """True if ``role`` includes ``needed`` (roles are cumulative).

    >>> has_role("analyst", "contacts"), has_role("viewer", "contacts")
    (True, False)
    """
    return role_rank(role) >= role_rank(needed)


def sees_pii(role: str) -> bool:
    """True if ``role`` may see personal fields."""
    return has_role(role, PII_ROLE)


def is_system_value(value: Any) -> bool:
    """True for a node that carries a non-schema (system) label such as ``_Suppressed``."""
    if isinstance(value, Mapping) and "_labels" in value:
        return any(label not in _SCHEMA_LABELS for label in value["_labels"])
    return False


def _strip(value: Any) -> Any:
    if isinstance(value, Mapping):
        hidden: frozenset[str] = frozenset()
        for label in value.get("_labels", ()) if "_labels" in value else ():
            hidden |= _PII_BY_LABEL.get(label, frozenset())
        return {k: _strip(v) for k, v in value.items() if k not in hidden}
    if isinstance(value, list | tuple):
        return [_strip(v) for v in value]
    return value


def strip_pii(
    rows: Iterable[Mapping[str, Any]], role: str, pii_columns: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """Rows with personal data removed unless ``role`` may see it.

    Removes the personal fields of every Person node anywhere in a row (also inside paths and
    lists) and every column declared personal (``pii_columns``). Rows come back as new dicts.

    Parameters
    ----------
    rows
        Result rows as the store returns them (nodes carry ``_labels``).
    role
        The caller's role.
    pii_columns
        Column names a named query declares as personal data.

    Returns
    -------
    list of dict

    Examples
    --------
    >>> person = {"id": "person-1", "name": "Anna", "role": "CEO", "_labels": ["Person"]}
    >>> strip_pii([{"p": person, "email": "a@x.de"}], "viewer", ["email"])
    [{'p': {'id': 'person-1', 'role': 'CEO', '_labels': ['Person']}}]
    >>> strip_pii([{"email": "a@x.de"}], "contacts", ["email"])
    [{'email': 'a@x.de'}]
    """
    if sees_pii(role):
        return [dict(row) for row in rows]
    dropped = frozenset(pii_columns)
    return [{k: _strip(v) for k, v in row.items() if k not in dropped} for row in rows]


def person_ids(value: Any) -> set[str]:
    """Ids of every Person node anywhere in ``value`` (rows, paths, lists): audit subjects.

    >>> sorted(person_ids([{"p": {"id": "person-1", "_labels": ["Person"]}, "n": 3}]))
    ['person-1']
    """
    found: set[str] = set()
    if isinstance(value, Mapping):
        if is_personal(value.get("_labels", ())) and isinstance(value.get("id"), str):
            found.add(value["id"])
        for v in value.values():
            found |= person_ids(v)
    elif isinstance(value, list | tuple):
        for v in value:
            found |= person_ids(v)
    return found
