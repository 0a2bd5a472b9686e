"""Personal data in analytics outputs (exports, reports, explanations), per role.

The roles and the rule (``contacts`` and above see persons' contact fields) are those of
:mod:`scaleup_graph.queries.privacy`, shared with the API and the explorer. Analytics never need
personal values to compute anything: the projection carries persons by id only, and exports add
the fields back only for roles allowed to see them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scaleup_graph.analytics.errors import AnalyticsError
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.privacy import ROLES, role_rank, sees_pii

__all__ = ["ROLES", "check_role", "pii_allowed", "public_props"]


def check_role(role: str) -> str:
    """Return ``role`` if it is known, else raise a clear error listing the roles."""
    try:
        role_rank(role)
    except ValueError as exc:
        raise AnalyticsError(str(exc)) from None
    return role


def pii_allowed(role: str) -> bool:
    """Whether ``role`` may see personal fields.

    >>> pii_allowed("viewer"), pii_allowed("contacts")
    (False, True)
    """
    return sees_pii(check_role(role))


def public_props(label: str, props: Mapping[str, Any], role: str) -> dict[str, Any]:
    """``props`` without the label's personal fields unless ``role`` may see them.

    >>> public_props("Person", {"id": "person-1", "name": "A. B.", "role": "CEO"}, "viewer")
    {'id': 'person-1', 'role': 'CEO'}
    """
    node_type = NODE_TYPES.get(label)
    if node_type is None or pii_allowed(role):
        return dict(props)
    hidden = node_type.pii_fields
    return {k: v for k, v in props.items() if k not in hidden}
