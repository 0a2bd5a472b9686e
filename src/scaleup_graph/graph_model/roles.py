"""Capabilities (roles that combine) and the role strings that name them.

Roles are capabilities that combine, not a ladder: ``viewer`` (the network: organisations,
links, no personal data), ``contacts`` (persons' personal fields), ``analyst`` (ad-hoc Cypher,
metrics), ``editor`` (writes), ``admin`` (keys, GDPR). A key carries one or more; every key can
see the network. A role string names them joined by ``+`` (``"analyst+contacts"``).

Plain data and functions with no store behind them, so that commands which only handle keys
(``scaleup keys list``) do not load the store (issue 15). The personal-data filter that uses
them is :mod:`scaleup_graph.queries.privacy`.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from scaleup_graph.errors import Invalid

__all__ = [
    "LADDER",
    "PII_ROLE",
    "ROLES",
    "capabilities",
    "has_role",
    "role_name",
    "role_rank",
    "sees_pii",
]

#: Every capability, in the order role strings list them.
ROLES: tuple[str, ...] = ("viewer", "contacts", "analyst", "editor", "admin")
#: The capability that sees persons' names, e-mails, phones, consent and free text.
PII_ROLE = "contacts"
#: What a key of the old cumulative ladder could do: keys created before capabilities keep it.
LADDER: dict[str, tuple[str, ...]] = {role: ROLES[: i + 1] for i, role in enumerate(ROLES)}


def capabilities(role: str | Iterable[str]) -> frozenset[str]:
    """The capabilities a role string (``"analyst+contacts"``) or a list of roles grants.

    ``viewer`` is always included. ValueError names the valid roles.

    >>> sorted(capabilities("analyst+contacts"))
    ['analyst', 'contacts', 'viewer']
    >>> sorted(capabilities(["editor"]))
    ['editor', 'viewer']
    """
    if isinstance(role, str):
        return _of_string(role)
    return _of_parts(list(role))


@functools.lru_cache(maxsize=256)
def _of_string(role: str) -> frozenset[str]:
    # a key's role string is checked twice a request (the route's capability, the filter):
    # parsed once (an unknown role raises, and an exception is not cached)
    return _of_parts(role.replace(",", "+").split("+"))


def _of_parts(parts: list[str]) -> frozenset[str]:
    found = {"viewer"}
    for part in parts:
        name = part.strip()
        if name not in ROLES:
            raise Invalid(f"unknown role {name!r}; valid roles are: {', '.join(ROLES)}", "role")
        found.add(name)
    return frozenset(found)


def role_name(role: str | Iterable[str]) -> str:
    """The canonical role string: capabilities in :data:`ROLES` order, ``viewer`` only alone.

    >>> role_name(["contacts", "analyst", "viewer"])
    'contacts+analyst'
    >>> role_name("viewer")
    'viewer'
    """
    caps = capabilities(role)
    named = [r for r in ROLES if r in caps and r != "viewer"]
    return "+".join(named) or "viewer"


def role_rank(role: str) -> int:
    """Validate ``role`` (ValueError names the valid roles); the position of its highest
    capability in :data:`ROLES`.

    >>> role_rank("viewer") < role_rank("admin")
    True
    """
    return max(ROLES.index(c) for c in capabilities(role))


def has_role(role: str, needed: str) -> bool:
    """True if ``role`` carries the capability ``needed``.

    >>> has_role("analyst", "contacts"), has_role("analyst+contacts", "contacts")
    (False, True)
    >>> has_role("editor", "viewer")
    True
    """
    return needed in capabilities(role)


def sees_pii(role: str) -> bool:
    """True if ``role`` may see personal fields (it carries ``contacts``)."""
    return PII_ROLE in capabilities(role)
