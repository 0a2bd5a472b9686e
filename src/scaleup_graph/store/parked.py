"""Ad-hoc copies parked on disk while the embedded server is stopped (issue 14, point 4).

The server loads everything its files hold when it starts, and rebuilds every index of every
graph: up to four ad-hoc copies (store/views.py) beside the graph made a cold start of
``scaleup metrics`` on CORDIS 2-3 s slower, though a metric never reads a copy. So:

- **parking** (:func:`park`): when the last process leaves the folder (``EmbeddedServer.release``,
  under the folder lock, before SHUTDOWN), each copy that is in step with its graph (its
  generation key equals the graph's write counter) is DUMPed to ``<folder>/copies/`` (a temporary
  name, fsynced, renamed), then in one server-side script that checks the generations again the
  copy is deleted and a *record* ``scaleup:<graph>:view:<suffix>:parked`` = ``<generation>
  <sha256 of the dump>`` is set. A copy that is behind is deleted (its next query rebuilds it
  anyway). The append-only file is then rewritten, so the next start does not read the copies
  (a key marks the rewrite pending until it is done: a server killed before it gets the rewrite
  at its next clean stop).
- **restoring** (``FalkorDBStore.refresh_view``): a missing copy whose record names the graph's
  current generation, and whose file is whole and has that digest, is RESTOREd (one script that
  checks the generation once more; the append-only file is not rewritten: the RESTORE is in it);
  otherwise it is rebuilt as before and the record and the file are removed. A restored copy
  keeps its record and file: until a write, they are this copy's dump, so the stop that parks it
  again only checks the file's header (:func:`_kept`) instead of a new DUMP and file (most of a
  parking stop after a session without writes).
- **never stale**: every write bumps the graph's write counter, so a dump parked before a write
  (an erasure, a new draft) is never restored; the write path also removes this graph's parked
  files and records at once (``discard_files``), so an erased person's data does not stay on
  disk, also the dumps of restored copies.

The server is the authority: a file without its record (a crash between the dump and the
script, a file copied from another folder, a folder whose append-only file was replaced) is
never used. Files hold what the server's own files hold (personal data of the contacts copies)
and get the folder's permissions.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scaleup_graph.store.views import VIEWS

__all__ = ["COPIES_DIR", "ParkRecord", "discard_files", "dump_path", "park", "read_dump"]

log = logging.getLogger(__name__)

#: the folder inside the database folder that holds parked copies
COPIES_DIR = "copies"
_MAGIC = b"scaleup parked copy 1\n"
_SUFFIXES = frozenset(view.suffix for view in VIEWS)
_PLAIN = re.compile(r"^[\w.-]{1,100}$")

#: Set with every copy deleted at a stop, deleted once the append-only file is rewritten: a
#: server killed in between replays the deletion but its file still loads the copies at every
#: start, so the next clean stop sees this key and rewrites the file.
REWRITE_PENDING = "scaleup:parked:rewrite-pending"
#: Parks a copy if the copy and the graph are still at the generation the dump was taken at:
#: deletes the copy and its generation key, sets the record. KEYS: graph's write counter, the
#: copy's generation key, the copy, the record, REWRITE_PENDING; ARGV: generation, digest.
PARK_SCRIPT = (
    "local g = redis.call('GET', KEYS[1]) or '0' "
    "if g ~= ARGV[1] or redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end "
    "redis.call('DEL', KEYS[3], KEYS[2]) "
    "redis.call('SET', KEYS[4], ARGV[1] .. ' ' .. ARGV[2]) "
    "redis.call('SET', KEYS[5], '1') "
    "return 1"
)
#: Restores a parked copy if the graph is still at the dump's generation. KEYS: graph's write
#: counter, the copy, the copy's generation key; ARGV: generation, the dump.
RESTORE_SCRIPT = (
    "local g = redis.call('GET', KEYS[1]) or '0' "
    "if g ~= ARGV[1] or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end "
    "redis.call('RESTORE', KEYS[2], 0, ARGV[2]) "
    "redis.call('SET', KEYS[3], ARGV[1]) "
    "return 1"
)


def generation_key(graph: str) -> str:
    return f"scaleup:{graph}:generation"


def view_generation_key(graph: str, suffix: str) -> str:
    return f"scaleup:{graph}:view:{suffix}:generation"


def record_key(graph: str, suffix: str) -> str:
    """The server's record of a parked copy: ``<generation> <sha256 of the dump>``."""
    return f"scaleup:{graph}:view:{suffix}:parked"


def copy_name(graph: str, suffix: str) -> str:
    return f"{graph}__{suffix}"


def dump_path(directory: Path, graph: str, suffix: str) -> Path:
    """``<folder>/copies/<graph>.<suffix>.dump`` (a graph name that is no plain file name is
    hashed).

    >>> dump_path(Path("/db"), "scaleup", "redacted").as_posix()
    '/db/copies/scaleup.redacted.dump'
    """
    name = graph if _PLAIN.match(graph) else hashlib.sha256(graph.encode()).hexdigest()[:32]
    return directory / COPIES_DIR / f"{name}.{suffix}.dump"


@dataclass(frozen=True, slots=True)
class ParkRecord:
    generation: str
    digest: str

    @classmethod
    def parse(cls, value: Any) -> ParkRecord | None:
        """The record as the server holds it (bytes or text), None if absent or malformed.

        >>> ParkRecord.parse(b"12 ab")
        ParkRecord(generation='12', digest='ab')
        >>> ParkRecord.parse("x") is None
        True
        """
        if value is None:
            return None
        text = value.decode() if isinstance(value, bytes) else str(value)
        generation, _, digest = text.partition(" ")
        if not generation or not digest:
            return None
        return cls(generation, digest)


def _modes(directory: Path) -> tuple[int, int]:
    """(folder mode, file mode) for ``copies/``: the database folder's, files without the
    execute bits (as the server's own files get them)."""
    mode = directory.stat().st_mode & 0o777
    return mode, mode & 0o666


def _write_atomically(path: Path, header: dict[str, Any], payload: bytes, mode: int) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(_MAGIC)
            handle.write(json.dumps(header, sort_keys=True).encode() + b"\n")
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_dump(path: Path, graph: str, suffix: str, record: ParkRecord) -> bytes | None:
    """The dump in ``path`` if it is whole and the one ``record`` names (graph, copy,
    generation, length, digest); None otherwise."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(_MAGIC):
        return None
    head, sep, payload = raw[len(_MAGIC) :].partition(b"\n")
    if not sep:
        return None
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header != _header(
        graph, suffix, record.generation, record.digest, len(payload)
    ):
        return None
    if hashlib.sha256(payload).hexdigest() != record.digest:
        return None
    return payload


def _header(graph: str, suffix: str, generation: Any, digest: str, size: int) -> dict[str, Any]:
    """The header of a dump of ``graph``'s copy ``suffix`` made at ``generation``: the
    payload's sha256 ``digest`` and ``size`` in bytes."""
    return {
        "graph": graph,
        "suffix": suffix,
        "generation": generation,
        "sha256": digest,
        "bytes": size,
    }


def _kept(path: Path, graph: str, suffix: str, record: ParkRecord) -> int | None:
    """The payload's length if ``path`` is the dump ``record`` names (its header, and a file
    of the header's length: read without the payload); None otherwise."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_MAGIC))
            line = handle.readline(4096)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return None
    if head != _MAGIC or not line.endswith(b"\n"):
        return None
    try:
        header = json.loads(line)
    except ValueError:
        return None
    if not isinstance(header, dict) or not isinstance(header.get("bytes"), int):
        return None
    expected = _header(graph, suffix, record.generation, record.digest, header["bytes"])
    if header != expected or size != len(_MAGIC) + len(line) + header["bytes"]:
        return None
    return int(header["bytes"])


def discard_files(directory: Path, graph: str) -> None:
    """Remove every parked file of ``graph`` (its records are gone or stale)."""
    for view in VIEWS:
        with contextlib.suppress(OSError):
            dump_path(directory, graph, view.suffix).unlink(missing_ok=True)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.decode() if isinstance(value, bytes) else str(value)


def park(client: Any, directory: Path, *, rewrite_timeout_s: float = 300.0) -> dict[str, Any]:
    """Park every ad-hoc copy on the server of ``directory`` (see the module's text).

    ``client`` is a redis client without response decoding (DUMP gives bytes), and no other
    process may use the server (the caller holds the folder lock and saw no other client).
    Returns what it did: ``parked``, ``kept`` (parked with the dump they were restored from:
    no DUMP, no file written), ``dropped`` (behind: left to a rebuild), ``stale_files``
    removed, ``bytes`` on disk, ``dump_s`` and ``rewrite_s`` seconds. A failure to write a file
    leaves that copy in the server (it is only slower to start, never wrong)."""
    started = time.perf_counter()
    done: dict[str, Any] = {"parked": [], "kept": [], "dropped": [], "stale_files": 0, "bytes": 0}
    seen: set[tuple[str, str]] = set()
    for key in client.scan_iter(match="scaleup:*:view:*", count=1000):
        text = _text(key) or ""
        for tail in (":generation", ":parked"):
            if not text.endswith(tail):
                continue
            graph, sep, suffix = text[len("scaleup:") : -len(tail)].rpartition(":view:")
            if sep and suffix in _SUFFIXES:
                seen.add((graph, suffix))
    for graph, suffix in sorted(seen):
        name = copy_name(graph, suffix)
        gen_key, view_key = generation_key(graph), view_generation_key(graph, suffix)
        current = _text(client.get(gen_key)) or "0"
        copied = _text(client.get(view_key))
        record = ParkRecord.parse(client.get(record_key(graph, suffix)))
        path = dump_path(directory, graph, suffix)
        if record is not None and record.generation != current:  # a write came after it
            client.delete(record_key(graph, suffix))
            record = None
        if record is None and path.exists():
            path.unlink(missing_ok=True)
            done["stale_files"] += 1
        if not client.exists(name):
            continue
        if copied != current:  # behind: its next query rebuilds it anyway
            client.set(REWRITE_PENDING, "1")
            client.delete(name, view_key)
            done["dropped"].append(name)
            continue
        # restored from this dump and no write since (the record names this generation): the
        # file is this copy's dump already
        size = _kept(path, graph, suffix, record) if record is not None else None
        if record is not None and size is not None:
            digest = record.digest
            done["kept"].append(name)
        else:
            payload = client.dump(name)
            if payload is None:
                continue
            digest, size = hashlib.sha256(payload).hexdigest(), len(payload)
            header = _header(graph, suffix, current, digest, size)
            try:
                folder_mode, file_mode = _modes(directory)
                path.parent.mkdir(mode=folder_mode, exist_ok=True)
                _write_atomically(path, header, payload, file_mode)
            except OSError as exc:
                log.warning(
                    "could not park copy %s (%s); it stays in the server", name, exc.strerror
                )
                continue
        keys = [gen_key, view_key, name, record_key(graph, suffix), REWRITE_PENDING]
        if int(client.eval(PARK_SCRIPT, len(keys), *keys, current, digest)):
            done["parked"].append(name)
            done["bytes"] += size
        else:  # changed since the dump: the copy stays, the file (and a kept record) go
            client.delete(record_key(graph, suffix))
            path.unlink(missing_ok=True)
    done["dump_s"] = time.perf_counter() - started
    # this stop's copies, or those of an earlier stop killed before its rewrite
    if client.exists(REWRITE_PENDING) and rewrite(client, rewrite_timeout_s):
        client.delete(REWRITE_PENDING)
    done["rewrite_s"] = time.perf_counter() - started - done["dump_s"]
    return done


def rewrite(client: Any, timeout_s: float) -> bool:
    """BGREWRITEAOF and wait for it: the next start reads a snapshot without the deleted
    copies instead of loading them and replaying their deletion."""
    import redis

    from scaleup_graph.store.embedded import rewrite_append_only_file

    return rewrite_append_only_file(client.execute_command, redis.ResponseError, timeout_s)
