"""The named Cypher catalogue, the read-only ad-hoc guard, and typed functions over them."""

from scaleup_graph.queries import daily
from scaleup_graph.queries.adhoc import AdhocResult, check_adhoc, run_adhoc
from scaleup_graph.queries.catalogue import NamedQuery, QueryParam, catalogue
from scaleup_graph.queries.errors import (
    CatalogueError,
    ParamError,
    PermissionDenied,
    QueryError,
    QueryNotFound,
)
from scaleup_graph.queries.privacy import ROLES, has_role, role_rank, sees_pii, strip_pii
from scaleup_graph.queries.runner import QueryResult, get_query, run_query

__all__ = [
    "ROLES",
    "AdhocResult",
    "CatalogueError",
    "NamedQuery",
    "ParamError",
    "PermissionDenied",
    "QueryError",
    "QueryNotFound",
    "QueryParam",
    "QueryResult",
    "catalogue",
    "check_adhoc",
    "daily",
    "get_query",
    "has_role",
    "role_rank",
    "run_adhoc",
    "run_query",
    "sees_pii",
    "strip_pii",
]
