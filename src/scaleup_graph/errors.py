"""One exception hierarchy for the whole package: :class:`ScaleUpError` and its kinds.

Every layer raises these (graph_model and store upwards; this module imports nothing of ours),
and none of them knows about HTTP or exit codes: the API maps a kind to a status code in one
place (:mod:`scaleup_graph.api.errors`), the CLI to an exit code in another
(:mod:`scaleup_graph.cli.common`). Catch the kind you can act on, or the root.

==============  ===========================================================  ======  =====
kind            meaning                                                      HTTP    exit
==============  ===========================================================  ======  =====
NotFound        an id or name names nothing of the expected kind             404     3
Invalid         a field or parameter is missing or malformed                 422     4
Conflict        well-formed, but the graph's state forbids it                409     5
Forbidden       the caller's role may not do this                            403     6
Unavailable     the database cannot be reached; retry later                  503     7
RateLimited     too many requests; retry after ``retry_after`` seconds       429     8
Timeout         a query ran past its time limit and was stopped              504     9
(the root)      refused as a whole: a write in a read-only query, a Cypher   400     2
                mistake (``StoreError``, ``QueryRejected``)
==============  ===========================================================  ======  =====

A message says what went wrong and what to do next; it never quotes a personal value.

>>> try:
...     raise NotFound("no challenge 'challenge-x'", field="id", hint="list them: GET /challenges")
... except ScaleUpError as exc:
...     (exc.code, exc.field, exc.hint)
('not_found', 'id', 'list them: GET /challenges')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = [
    "Conflict",
    "Forbidden",
    "Invalid",
    "NotFound",
    "RateLimited",
    "ScaleUpError",
    "Timeout",
    "Unavailable",
]


class ScaleUpError(Exception):
    """Something the caller can fix or wait out; the message says what to do.

    Parameters
    ----------
    message
        One sentence: what is wrong and what to do instead. No personal values.
    field
        The request field or parameter at fault, if one is.
    hint
        A further step to take (a command, a route), if there is one.
    code
        A stable machine-readable code; defaults to the kind's (``not_found``, ...).
    translate
        The message in another language (``"de"``, ``"en"``), for faces that speak the
        reader's language (the explorer); see :meth:`in_language`.
    details
        Further JSON-able facts for the error body (``available``, ``problems``, ...).
    """

    code: str = "bad_request"

    def __init__(
        self,
        message: str,
        field: str | None = None,
        *,
        hint: str | None = None,
        code: str | None = None,
        translate: Callable[[str], str] | None = None,
        **details: Any,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.hint = hint
        self.details = details
        self.translate = translate
        if code is not None:
            self.code = code

    def in_language(self, lang: str | None) -> str:
        """The message in ``lang`` where the raiser can say it so, else :attr:`message`.

        >>> ScaleUpError("no such node").in_language("de")
        'no such node'
        """
        if lang and self.translate is not None:
            return self.translate(lang)
        return self.message


class NotFound(ScaleUpError):
    """An id or name names nothing of the expected kind."""

    code = "not_found"


class Invalid(ScaleUpError, ValueError):
    """A field or parameter is missing or malformed."""

    code = "invalid_parameter"


class Conflict(ScaleUpError):
    """The request is well-formed but the graph's state forbids it (a closed challenge)."""

    code = "conflict"


class Forbidden(ScaleUpError):
    """The caller's role may not do this."""

    code = "forbidden"


class Unavailable(ScaleUpError):
    """The database (or another service) cannot be reached; retry later.

    A raiser that knows how long the caller should wait gives ``retry_after`` (seconds); its
    message is then written for the caller and shown as it is (others get a generic one,
    since a lost connection's text names sockets and hosts)."""

    code = "unavailable"

    def __init__(self, message: str, *args: Any, retry_after: int | None = None, **kw: Any):
        super().__init__(message, *args, **kw)
        self.retry_after = retry_after


class RateLimited(Unavailable):
    """Too many requests; retry after ``retry_after`` seconds."""

    code = "too_many_requests"

    retry_after: int

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, retry_after=retry_after, **kwargs)


class Timeout(ScaleUpError):
    """A query ran past its time limit and was stopped."""

    code = "timeout"
