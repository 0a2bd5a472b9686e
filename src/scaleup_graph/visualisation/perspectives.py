"""Saved views ("Perspektiven"): a named explorer view kept on the server and shared by link.

A perspective is a name and the view's address parameters (focus, hops, filters, colouring,
sizing, expanded and hidden nodes; never the language, never a key). Perspectives live in one
JSON file in the state folder, written atomically, so a crash never leaves half a file.

Who sees a perspective: the view is drawn for each reader with the reader's own role, so
personal fields never leak through it; but its parameters can name persons (a focus or an
expanded node), so a perspective that names a person is listed only to roles that may see
persons.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from scaleup_graph.errors import Invalid
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.privacy import sees_pii

__all__ = ["ALLOWED_PARAMS", "Perspective", "PerspectiveError", "PerspectiveStore"]

#: the address parameters a perspective may keep (the page's view state without ``lang``)
ALLOWED_PARAMS = frozenset(
    {
        "focus",
        "hops",
        "group",
        "page",
        "type",
        "topic",
        "region",
        "project",
        "only",
        "colour",
        "size",
        "open",
        "hide",
    }
)
MAX_NAME = 120
MAX_PARAMS = 4000
MAX_PERSPECTIVES = 2000
_PERSON = NODE_TYPES["Person"].id_prefix + "-"


class PerspectiveError(Invalid):
    """Input a perspective cannot be made from; the message says what to change."""


@dataclass(frozen=True, slots=True)
class Perspective:
    id: str
    name: str
    params: str
    #: "persons" when the parameters name a person, else "all"
    audience: str
    created_at: str

    def visible_to(self, role: str) -> bool:
        return self.audience == "all" or sees_pii(role)


def _clean_params(raw: str) -> str:
    if len(raw) > MAX_PARAMS:
        raise PerspectiveError(f"params longer than {MAX_PARAMS} characters", "params")
    pairs = parse_qsl(raw.lstrip("?#"), keep_blank_values=False)
    unknown = sorted({k for k, _ in pairs} - ALLOWED_PARAMS - {"lang"})
    if unknown:
        allowed = ", ".join(sorted(ALLOWED_PARAMS))
        raise PerspectiveError(
            f"unknown view parameter {unknown[0][:40]!r}; allowed: {allowed}", "params"
        )
    kept = [(k, v) for k, v in pairs if k in ALLOWED_PARAMS]
    if not kept:
        raise PerspectiveError("params name no view (give at least focus=ID or hops=N)", "params")
    return urlencode(kept)


def _names_person(params: str) -> bool:
    for key, value in parse_qsl(params):
        if key in {"focus", "open", "hide"}:
            for item in value.split(","):
                if item.split(":")[0].startswith(_PERSON):
                    return True
    return False


class PerspectiveStore:
    """The perspectives in ``path`` (a JSON list); thread-safe within one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _read(self) -> list[Perspective]:
        try:
            rows = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        return [Perspective(**row) for row in rows]

    def list(self, role: str) -> list[Perspective]:
        """The perspectives ``role`` may see, newest first."""
        with self._lock:
            rows = self._read()
        return sorted(
            (p for p in rows if p.visible_to(role)), key=lambda p: p.created_at, reverse=True
        )

    def add(self, name: str, params: str) -> Perspective:
        """Keep a new perspective; :class:`PerspectiveError` for a bad name or parameters."""
        name = " ".join(str(name).split())
        if not name:
            raise PerspectiveError("give the perspective a name", "name")
        if len(name) > MAX_NAME:
            raise PerspectiveError(f"name longer than {MAX_NAME} characters", "name")
        clean = _clean_params(str(params))
        made = Perspective(
            id=uuid.uuid4().hex[:12],
            name=name,
            params=clean,
            audience="persons" if _names_person(clean) else "all",
            created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        )
        with self._lock:
            rows = self._read()
            if len(rows) >= MAX_PERSPECTIVES:
                raise PerspectiveError(f"at most {MAX_PERSPECTIVES} perspectives", "name")
            rows.append(made)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            part = self.path.with_suffix(".tmp")
            part.write_text(
                json.dumps([asdict(p) for p in rows], ensure_ascii=False, indent=1),
                encoding="utf-8",
            )
            os.replace(part, self.path)
        return made

    @staticmethod
    def public(p: Perspective) -> dict[str, Any]:
        return {"id": p.id, "name": p.name, "params": p.params, "created_at": p.created_at}
