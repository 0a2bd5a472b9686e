"""The audit log: append-only JSON lines of every read of personal data and every write.

An entry holds when, which key (by its public id), the role, the action (route or query name),
the ids of the subjects and the outcome. Never personal values: ids of persons are hashes
(graph_model.ids), and nothing else about a subject is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore

__all__ = ["AuditLog", "audit_cli_export", "audit_path"]

_LOCK = threading.Lock()
_MAX_SUBJECTS = 1000


def audit_path(settings: Settings) -> Path:
    return settings.audit_log or settings.state_dir / "audit.jsonl"


class AuditLog:
    """Append and read the audit log file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(
        self, *, key_id: str, role: str, action: str, subject_ids: Iterable[str], outcome: str
    ) -> dict[str, Any]:
        subjects = sorted({str(s) for s in subject_ids})
        entry = {
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
            "key_id": key_id,
            "role": role,
            "action": action,
            "subject_ids": subjects[:_MAX_SUBJECTS],
            "subjects_total": len(subjects),
            "outcome": outcome,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # One write() of one line on an O_APPEND file: lines from several processes never mix.
        with _LOCK:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        return entry

    def read(
        self, *, limit: int | None = None, action: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """Entries oldest first (the last ``limit`` ones), optionally for one action."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return iter(())
        entries = [json.loads(line) for line in lines if line.strip()]
        if action:
            entries = [e for e in entries if e.get("action") == action]
        return iter(entries[-limit:] if limit else entries)


def audit_cli_export(settings: Settings, store: GraphStore, role: str, action: str) -> None:
    """Audit an export written from the command line (key id ``cli``).

    An export with personal data names every person of the graph (an export is a copy of
    them all, and the ids are what an access request is answered from); one without names
    none, and is still recorded.
    """
    from scaleup_graph.queries.privacy import role_name, sees_pii

    ids = (
        [str(r["id"]) for r in store.read("MATCH (p:Person) RETURN p.id AS id") if r.get("id")]
        if sees_pii(role)
        else []
    )
    AuditLog(audit_path(settings)).write(
        key_id="cli",
        role=role_name(role),
        action=action,
        subject_ids=ids,
        outcome="exported",
    )
