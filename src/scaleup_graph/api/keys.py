"""API keys: created once and shown once; stored only as a SHA-256 hash beside a public key id.

A key reads ``sug_<key id>_<secret>``. The key id is public (it goes into the audit log and
``scaleup keys list``); the secret never leaves the moment of creation. A key carries one or
more capabilities (``roles``: viewer, contacts, analyst, editor, admin).

Keys come from the keys file and, for container deployments, from ``SCALEUP_API_KEYS``
(entries ``<key id>:<roles joined by +>:<sha256 of the secret>``, separated by commas or
whitespace). They are verified from memory; the file is read again only when it changes (its
size, inode or modification time), so every worker process of a server sees a new or revoked
key on its next request.

Keys written before capabilities carried one ``role`` of a cumulative ladder; reading the file
migrates each to the capabilities it had (``analyst`` -> viewer, contacts, analyst) and writes
the file back.
"""

from __future__ import annotations

import builtins
import datetime as dt
import hashlib
import hmac
import json
import os
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaleup_graph.graph_model.roles import LADDER, ROLES, capabilities, role_name
from scaleup_graph.settings import Settings

__all__ = ["ApiKey", "KeyStore", "env_entry", "keys_path", "parse_env_keys"]

_PREFIX = "sug"
_KEY_FORM = re.compile(r"sug_([0-9a-f]{12})_([A-Za-z0-9_-]{16,64})")


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key: everything but the secret."""

    key_id: str
    roles: tuple[str, ...]
    sha256: str
    created_at: str
    note: str = ""
    source: str = "file"

    @property
    def role(self) -> str:
        """The capabilities as one role string (``"contacts+analyst"``)."""
        return role_name(self.roles)

    def to_json(self) -> dict[str, Any]:
        return {
            "key_id": self.key_id,
            "roles": list(self.roles),
            "sha256": self.sha256,
            "created_at": self.created_at,
            "note": self.note,
        }


def keys_path(settings: Settings) -> Path:
    return settings.keys_file or settings.state_dir / "api-keys.json"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _ordered(roles: Iterable[str]) -> tuple[str, ...]:
    caps = capabilities(list(roles))  # ValueError names the valid roles
    return tuple(r for r in ROLES if r in caps)


def _from_json(item: dict[str, Any]) -> tuple[ApiKey, bool]:
    """A record from the file, and whether it was migrated from the old one-role ladder."""
    if "roles" in item:
        return ApiKey(
            key_id=str(item["key_id"]),
            roles=_ordered(item["roles"]),
            sha256=str(item["sha256"]),
            created_at=str(item.get("created_at", "")),
            note=str(item.get("note", "")),
        ), False
    old = str(item.get("role", ""))
    if old not in LADDER:
        raise ValueError(f"key {item.get('key_id')!r} has an unknown role {old!r}")
    return ApiKey(
        key_id=str(item["key_id"]),
        roles=LADDER[old],
        sha256=str(item["sha256"]),
        created_at=str(item.get("created_at", "")),
        note=str(item.get("note", "")),
    ), True


def env_entry(key: ApiKey) -> str:
    """The ``SCALEUP_API_KEYS`` entry of a key.

    >>> env_entry(ApiKey("0123456789ab", ("viewer", "analyst"), "f" * 64, ""))[:35]
    '0123456789ab:viewer+analyst:fffffff'
    """
    return f"{key.key_id}:{'+'.join(key.roles)}:{key.sha256}"


def parse_env_keys(text: str) -> builtins.list[ApiKey]:
    """Keys from ``SCALEUP_API_KEYS``; ValueError says which entry is malformed (by position).

    >>> [k.roles for k in parse_env_keys("0123456789ab:analyst+contacts:" + "a" * 64)]
    [('viewer', 'contacts', 'analyst')]
    """
    out = []
    for n, entry in enumerate(re.split(r"[\s,]+", text.strip()), start=1):
        if not entry:
            continue
        parts = entry.split(":")
        if (
            len(parts) != 3
            or not re.fullmatch(r"[0-9a-f]{12}", parts[0])
            or not re.fullmatch(r"[0-9a-f]{64}", parts[2])
        ):
            raise ValueError(
                f"SCALEUP_API_KEYS entry {n} is not <key id>:<roles>:<sha256>; print one with "
                "`scaleup keys create --role viewer --env`"
            )
        out.append(ApiKey(parts[0], _ordered(parts[1].split("+")), parts[2], "", "", "env"))
    return out


class KeyStore:
    """The keys file (a JSON list, written atomically with mode 0600) plus environment keys.

    Verification reads a dict in memory; the file is re-read when its stat changes.
    """

    def __init__(self, path: Path, env_keys: str = "") -> None:
        self.path = path
        self._env = parse_env_keys(env_keys) if env_keys.strip() else []
        self._lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None
        self._by_id: dict[str, ApiKey] = {}

    def list(self) -> builtins.list[ApiKey]:
        """Keys of the file (migrated if needed), then those from the environment."""
        return [*self._read_file(), *self._env]

    def _read_file(self) -> builtins.list[ApiKey]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            records = [_from_json(item) for item in data]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ValueError(
                f"the keys file {self.path} is unreadable ({type(exc).__name__}); restore it "
                "from a backup or move it away and create new keys"
            ) from None
        keys = [record for record, _ in records]
        if any(migrated for _, migrated in records):
            self._save(keys)
        return keys

    def _save(self, keys: builtins.list[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(f".{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump([k.to_json() for k in keys if k.source == "file"], handle, indent=1)
        os.replace(tmp, self.path)

    def create(self, roles: str | Iterable[str], note: str = "") -> tuple[ApiKey, str]:
        """Create a key with these capabilities (``"analyst"``, ``["analyst", "contacts"]`` or
        ``"analyst+contacts"``); returns the stored record and the full key (shown once)."""
        wanted = roles.replace(",", "+").split("+") if isinstance(roles, str) else list(roles)
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(24)
        record = ApiKey(
            key_id=key_id,
            roles=_ordered(wanted),
            sha256=_digest(secret),
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            note=note,
        )
        self._save([*self._read_file(), record])
        return record, f"{_PREFIX}_{key_id}_{secret}"

    def revoke(self, key_id: str) -> bool:
        keys = self._read_file()
        kept = [k for k in keys if k.key_id != key_id]
        if len(kept) != len(keys):
            self._save(kept)
        return len(kept) != len(keys)

    def _current(self) -> dict[str, ApiKey]:
        try:
            st = self.path.stat()
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_size, st.st_mtime_ns)
        except FileNotFoundError:
            stamp = None
        with self._lock:
            if stamp != self._stamp or not self._by_id:
                keys = self.list()
                self._by_id = {k.key_id: k for k in keys}
                self._stamp = stamp
            return self._by_id

    def verify(self, presented: str) -> ApiKey | None:
        """The key record for a presented key, or None.

        The key must match exactly (no trimming, no other form); the hash is compared in
        constant time.
        """
        match = _KEY_FORM.fullmatch(presented)
        if match is None:
            return None
        key = self._current().get(match.group(1))
        if key is None or not hmac.compare_digest(key.sha256, _digest(match.group(2))):
            return None
        return key
