"""One table of the error model's kinds, with what each face makes of them: the HTTP status
(api/errors.py) and the ``scaleup`` exit code (cli/common.py). The API's and the CLI's tests
both run over it, so a new kind is added once and checked in both faces."""

from __future__ import annotations

from dataclasses import dataclass

from scaleup_graph.errors import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ScaleUpError,
    Timeout,
    Unavailable,
)
from scaleup_graph.queries import ParamError
from scaleup_graph.store import QueryRejected, QueryTimeout, StoreError, StoreUnavailable

__all__ = ["KINDS", "Kind"]


@dataclass(frozen=True)
class Kind:
    error: ScaleUpError
    status: int  # the HTTP status of its error body
    exit_code: int  # what ``scaleup`` exits with (README "Exit codes")

    def __str__(self) -> str:  # the test id
        return type(self.error).__name__


KINDS: list[Kind] = [
    Kind(
        NotFound("no node 'org-x'", hint="search first: scaleup query search_organisations"), 404, 3
    ),
    Kind(Invalid("hops must be 1 to 3", field="hops"), 422, 4),
    Kind(ParamError("limit", "too big"), 422, 4),
    Kind(Conflict("the challenge is closed"), 409, 5),
    Kind(Forbidden("the role 'viewer' may not see persons"), 403, 6),
    Kind(StoreUnavailable("cannot reach the graph database"), 503, 7),
    Kind(Unavailable("the mail server cannot be reached"), 503, 7),
    Kind(RateLimited("too many requests", retry_after=5), 429, 8),
    Kind(QueryTimeout("the query ran past its time limit"), 504, 9),
    Kind(Timeout("stopped after 1000 ms"), 504, 9),
    Kind(QueryRejected("a write in a read-only query"), 400, 2),
    Kind(StoreError("unknown database URL scheme 'nosuch'"), 400, 2),
    Kind(ScaleUpError("refused as a whole"), 400, 2),
]
