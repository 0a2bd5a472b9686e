"""What parking the ad-hoc copies costs (issue 14 point 4, store/parked.py): the stop that parks
them, the first ad-hoc query that restores one, against a rebuild of the same copy.

Run: .venv/bin/python -m bench.parked_copies --folder <db with the four copies in the server>
     [--plain <the same db without copies>] [--repeat 3]

``--folder`` is a database folder whose four ad-hoc copies are in the server's files, such as
the one ``python -m bench.cold_start --with-copies`` makes (``<first>-copies/db``); it is never
changed: each round copies it to a scratch folder, starts the server there (copies loaded),
stops it (the park: the copies DUMPed to files, deleted, the append-only file rewritten; its
parts timed apart), starts it again and restores each copy with the query path's own
``refresh_view``, stops it again with no write in between (the second park: since issue 17 the
restored copies are parked with the dumps they came from), starts it, deletes one copy and its
dump and rebuilds it (GRAPH.COPY and clean-up), and stops it. With ``--plain`` (the same graph
without copies) also a stop with nothing to park. Medians over ``--repeat`` rounds; the claims
are restore / rebuild of the same copy and the parking stops against the plain one. Results:
printed, and bench/results/parked_copies-<utc time>.json with the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import RESULTS
from bench.env import environment
from bench.scratch import scratch_folder


class _Stamps:
    """Seconds spent in a few named functions (wrapped while a round runs), and what
    ``parked.park`` returned."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.parks: list[dict[str, Any]] = []
        self._undo: list[tuple[Any, str, Any]] = []

    def wrap(self, owner: Any, name: str, key: str) -> None:
        original = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                value = original(*args, **kwargs)
            finally:
                self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - started
            if name == "park":
                self.parks.append(value)
            return value

        self._undo.append((owner, name, original))
        setattr(owner, name, timed)

    def take(self, key: str) -> float:
        return self.seconds.pop(key, 0.0)

    def undo(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


def _copy_db(folder: Path, scratch: Path) -> None:
    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(
        folder,
        scratch,
        ignore=lambda _d, names: [n for n in names if n.startswith(("server.", ".lock"))],
    )


def _background_rewrite(store: Any) -> bool:
    info = store._command("INFO", "persistence")
    return bool(int(info["aof_rewrite_in_progress"]) or int(info["aof_rewrite_scheduled"]))


def _plain_stop(folder: Path, scratch: Path) -> float:
    """Seconds of the stop of a server on ``folder`` (no copies: nothing to park)."""
    from scaleup_graph.store import open_store

    _copy_db(folder, scratch)
    store = open_store(f"embedded://{scratch}", graph="scaleup")
    store.read("RETURN 1 AS x")
    started = time.perf_counter()
    store.close()
    return time.perf_counter() - started


def _round(folder: Path, scratch: Path, plain: Path | None = None) -> dict[str, Any]:
    from scaleup_graph.store import parked as parked_module
    from scaleup_graph.store.falkordb import FalkorDBStore

    stamps = _Stamps()
    stamps.wrap(parked_module, "park", "park")
    stamps.wrap(parked_module, "_write_atomically", "write_files")
    stamps.wrap(parked_module, "rewrite", "park_rewrite")
    stamps.wrap(FalkorDBStore, "_rewrite_append_only_file", "store_rewrite")
    try:
        found = _measured_round(folder, scratch, stamps)
    finally:
        stamps.undo()
    if plain is not None:
        found["plain_stop_s"] = _plain_stop(plain, scratch.with_name("plain"))
        found["park_stop_over_plain_s"] = found["park_stop_s"] - found["plain_stop_s"]
    return found


def _measured_round(folder: Path, scratch: Path, stamps: _Stamps) -> dict[str, Any]:
    from scaleup_graph.store import open_store
    from scaleup_graph.store.falkordb import FalkorDBStore
    from scaleup_graph.store.parked import dump_path, record_key
    from scaleup_graph.store.views import VIEWS

    _copy_db(folder, scratch)

    def opened() -> FalkorDBStore:
        store = open_store(f"embedded://{scratch}", graph="scaleup")
        assert isinstance(store, FalkorDBStore)
        return store

    store = opened()
    loaded = [bool(store._command("EXISTS", store.view_names[v])) for v in VIEWS]
    started = time.perf_counter()
    store.close()  # parks the four copies
    park_s = time.perf_counter() - started
    park = stamps.parks[-1]
    split = {
        "in_park_s": stamps.take("park"),
        "dump_delete_s": park["dump_s"] - stamps.seconds.get("write_files", 0.0),
        "write_files_s": stamps.take("write_files"),
        "rewrite_s": stamps.take("park_rewrite"),
    }
    split["shutdown_s"] = park_s - split["in_park_s"]
    parked_bytes = sum(dump_path(scratch, "scaleup", v.suffix).stat().st_size for v in VIEWS)
    store = opened()
    restore_s = {}
    stamps.take("store_rewrite")
    for view in VIEWS:
        started = time.perf_counter()
        store.refresh_view(view)
        restore_s[view.suffix] = time.perf_counter() - started
    restore_rewrites_s = stamps.take("store_rewrite")
    restores, rebuilds = store.view_restores, store.view_rebuilds
    # the server rewrites its file by itself once the RESTOREs have grown it enough (in a child
    # process, on nobody's path); a stop minutes later finds it done, one right now waits
    started = time.perf_counter()
    background = _background_rewrite(store)
    while _background_rewrite(store):
        time.sleep(0.02)
    background_rewrite_s = time.perf_counter() - started
    started = time.perf_counter()
    store.close()  # parks the four restored copies again (a session of reads, no write)
    second_park_s = time.perf_counter() - started
    second = stamps.parks[-1]
    second_split = {
        "in_park_s": stamps.take("park"),
        "write_files_s": stamps.take("write_files"),
        "rewrite_s": stamps.take("park_rewrite"),
    }
    store = opened()
    view = VIEWS[0]
    store.refresh_view(view)  # restored
    # the copy and its dump gone: the next query rebuilds it
    store._command("GRAPH.DELETE", store.view_names[view])
    store._command("DEL", record_key("scaleup", view.suffix))
    dump_path(scratch, "scaleup", view.suffix).unlink(missing_ok=True)
    store._rewrite_append_only_file()
    before_rebuild = store.view_rebuilds
    started = time.perf_counter()
    store.refresh_view(view)
    rebuild_s = time.perf_counter() - started
    assert store.view_rebuilds == before_rebuild + 1
    store.close()
    return {
        "copies_loaded_before": loaded,
        "park_stop_s": park_s,
        **{f"park_{k}": v for k, v in split.items()},
        "second_park_stop_s": second_park_s,
        "background_rewrite_after_restores": background,
        "background_rewrite_wait_s": background_rewrite_s,
        "second_park_dumped": len(second["parked"]) - len(second.get("kept", [])),
        **{f"second_park_{k}": v for k, v in second_split.items()},
        "restore_rewrites_s": restore_rewrites_s,
        "parked_bytes": parked_bytes,
        "restore_s": restore_s,
        "restores": restores,
        "rebuilds_while_restoring": rebuilds,
        f"rebuild_s_{view.suffix}": rebuild_s,
        "restore_over_rebuild": restore_s[view.suffix] / rebuild_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, required=True, help="db with the 4 copies loaded")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--plain", type=Path, help="the same graph without copies: its stop, for comparison"
    )
    args = parser.parse_args()
    env = environment()
    rounds = []
    with scratch_folder("parked-copies-") as tmp:
        for _ in range(args.repeat):
            plain = args.plain.resolve() if args.plain else None
            rounds.append(_round(args.folder.resolve(), Path(tmp) / "db", plain))
            print(json.dumps(rounds[-1]))
    med = {
        key: statistics.median(float(r[key]) for r in rounds)
        for key in rounds[0]
        if isinstance(rounds[0][key], float)
    }
    med["restore_s_each"] = statistics.median(v for r in rounds for v in r["restore_s"].values())
    env["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"parked_copies-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps({**env, "rounds": rounds, "medians": med}, indent=2))
    print(f"\nstored {out}")
    for key, value in med.items():
        print(f"{key}: {value:.3f}")


if __name__ == "__main__":
    main()
