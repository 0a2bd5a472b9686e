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

__all__ = ["AuditLog", "audit_path"]

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
