"""API keys: created once and shown once; stored only as a SHA-256 hash beside a public key id.

A key reads ``sug_<key id>_<secret>``. The key id is public (it goes into the audit log and
``scaleup keys list``); the secret never leaves the moment of creation.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import asdict, dataclass
from pathlib import Path

from scaleup_graph.queries.privacy import ROLES, role_rank
from scaleup_graph.settings import Settings

__all__ = ["ApiKey", "KeyStore", "keys_path"]

_PREFIX = "sug"


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key: everything but the secret."""

    key_id: str
    role: str
    sha256: str
    created_at: str
    note: str = ""


def keys_path(settings: Settings) -> Path:
    return settings.keys_file or settings.state_dir / "api-keys.json"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStore:
    """The keys file: a JSON list of :class:`ApiKey`, written atomically with mode 0600."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def list(self) -> builtins.list[ApiKey]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            raise ValueError(
                f"the keys file {self.path} is unreadable ({exc}); restore it "
                "from a backup or move it away and create new keys"
            ) from None
        return [ApiKey(**item) for item in data]

    def _save(self, keys: builtins.list[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([asdict(k) for k in keys], handle, indent=1)
        os.replace(tmp, self.path)

    def create(self, role: str, note: str = "") -> tuple[ApiKey, str]:
        """Create a key for ``role``; returns the stored record and the full key (shown once)."""
        role_rank(role)  # ValueError names the valid roles
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        record = ApiKey(
            key_id=key_id,
            role=role,
            sha256=_digest(secret),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            note=note,
        )
        self._save([*self.list(), record])
        return record, f"{_PREFIX}_{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        keys = self.list()
        kept = [k for k in keys if k.key_id != key_id]
        if len(kept) != len(keys):
            self._save(kept)
        return len(kept) != len(keys)

    def verify(self, presented: str) -> ApiKey | None:
        """The key record for a presented key, or None; constant-time comparison."""
        parts = presented.strip().split("_", 2)
        if len(parts) != 3 or parts[0] != _PREFIX:
            return None
        key_id, secret = parts[1], parts[2]
        for key in self.list():
            if key.key_id == key_id and hmac.compare_digest(key.sha256, _digest(secret)):
                return key if key.role in ROLES else None
        return None
