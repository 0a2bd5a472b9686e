"""Saved views ("Perspektiven"): a named explorer view kept on the server and shared by link.

A perspective is a name and the view's address parameters (focus, hops, filters, colouring,
sizing, expanded and hidden nodes; never the language, never a key). Perspectives live in one
JSON file in the state folder, written atomically, so a crash never leaves half a file.

Who sees a perspective: the view is drawn for each reader with the reader's own role, so
personal fields never leak through it; but its parameters can name persons (a focus or an
expanded node), so a perspective that names a person is listed only to roles that may see
persons.

Who may rename or delete a perspective: the key that saved it, and keys with the editor or admin
capability (they tidy the shared list). Perspectives saved before owners were kept have no owner:
only editors and admins change those.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from scaleup_graph.errors import Forbidden, Invalid, NotFound
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries.privacy import has_role, sees_pii

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
        "path",
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
    #: the id of the key that saved it ("" for perspectives saved before owners were kept)
    owner: str = ""

    def visible_to(self, role: str) -> bool:
        return self.audience == "all" or sees_pii(role)

    def changeable_by(self, key_id: str, role: str) -> bool:
        """True if the key may rename or delete it: its owner, an editor or an admin."""
        if self.owner and key_id == self.owner:
            return True
        return has_role(role, "editor") or has_role(role, "admin")


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


def _clean_name(raw: str) -> str:
    name = " ".join(str(raw).split())
    if not name:
        raise PerspectiveError("give the perspective a name", "name")
    if len(name) > MAX_NAME:
        raise PerspectiveError(f"name longer than {MAX_NAME} characters", "name")
    return name


def _names_person(params: str) -> bool:
    for key, value in parse_qsl(params):
        if key in {"focus", "open", "hide"}:
            # a path view's focus is "path:<from>><to>": both ends count
            items = value.removeprefix("path:").replace(">", ",").split(",")
            for item in items:
                if item.split(":")[0].startswith(_PERSON):
                    return True
    return False


_Rows = list[Perspective]


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

    def _write(self, rows: _Rows) -> None:
        """Replace the file atomically (a crash leaves the old file or the new one)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        part = self.path.with_suffix(".tmp")
        part.write_text(
            json.dumps([asdict(p) for p in rows], ensure_ascii=False, indent=1),
            encoding="utf-8",
        )
        os.replace(part, self.path)

    def add(self, name: str, params: str, owner: str = "") -> Perspective:
        """Keep a new perspective; :class:`PerspectiveError` for a bad name or parameters."""
        name = _clean_name(name)
        clean = _clean_params(str(params))
        made = Perspective(
            id=uuid.uuid4().hex[:12],
            name=name,
            params=clean,
            audience="persons" if _names_person(clean) else "all",
            created_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            owner=owner,
        )
        with self._lock:
            rows = self._read()
            if len(rows) >= MAX_PERSPECTIVES:
                raise PerspectiveError(f"at most {MAX_PERSPECTIVES} perspectives", "name")
            rows.append(made)
            self._write(rows)
        return made

    def _change(self, view_id: str, key_id: str, role: str, name: str | None) -> Perspective | None:
        """Rename (``name``) or delete (``None``) one perspective, checking who asks."""
        new_name = None if name is None else _clean_name(name)
        with self._lock:
            rows = self._read()
            found = next((i for i, p in enumerate(rows) if p.id == view_id), None)
            # one the caller may not even list is "not found", so its existence stays hidden
            if found is None or not rows[found].visible_to(role):
                raise NotFound(
                    "no saved view has this id",
                    "view_id",
                    hint="GET /api/v1/views lists the saved views this key may see",
                )
            old = rows[found]
            if not old.changeable_by(key_id, role):
                raise Forbidden(
                    "only the key that saved this view, an editor or an admin may change it",
                    "view_id",
                    hint="save your own copy under a new name with POST /api/v1/views",
                )
            if new_name is None:
                del rows[found]
                changed = None
            else:
                changed = replace(old, name=new_name)
                rows[found] = changed
            self._write(rows)
        return changed

    def rename(self, view_id: str, name: str, *, key_id: str, role: str) -> Perspective:
        """Give a perspective a new name (owner, editor or admin); NotFound / Forbidden."""
        changed = self._change(view_id, key_id, role, name)
        assert changed is not None
        return changed

    def delete(self, view_id: str, *, key_id: str, role: str) -> None:
        """Remove a perspective (owner, editor or admin); NotFound / Forbidden."""
        self._change(view_id, key_id, role, None)

    @staticmethod
    def public(
        p: Perspective, key_id: str | None = None, role: str | None = None
    ) -> dict[str, Any]:
        """What the API shows: never the owner's key id, only whether the caller may change it."""
        out: dict[str, Any] = {
            "id": p.id,
            "name": p.name,
            "params": p.params,
            "created_at": p.created_at,
        }
        if key_id is not None and role is not None:
            out["mine"] = bool(p.owner) and p.owner == key_id
            out["can_change"] = p.changeable_by(key_id, role)
        return out
