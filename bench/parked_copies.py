"""What parking the ad-hoc copies costs (issue 14 point 4, store/parked.py): the stop that parks
them, the first ad-hoc query that restores one, against a rebuild of the same copy.

Run: .venv/bin/python -m bench.parked_copies --folder <db with the four copies in the server>
     [--repeat 3]

``--folder`` is a database folder whose four ad-hoc copies are in the server's files, such as
the one ``python -m bench.cold_start --with-copies`` makes (``<first>-copies/db``); it is never
changed: each round copies it to a scratch folder, starts the server there (copies loaded),
stops it (the park: the copies DUMPed to files, deleted, the append-only file rewritten), starts
it again and restores each copy with the query path's own ``refresh_view``, then deletes one
copy and its dump and rebuilds it (GRAPH.COPY and clean-up), and stops it again. Medians over
``--repeat`` rounds; the claim is restore / rebuild of the same copy. Results: printed, and
bench/results/parked_copies-<utc time>.json with the load average.
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


def _round(folder: Path, scratch: Path) -> dict[str, Any]:
    from scaleup_graph.store import open_store
    from scaleup_graph.store.falkordb import FalkorDBStore
    from scaleup_graph.store.parked import dump_path
    from scaleup_graph.store.views import VIEWS

    if scratch.exists():
        shutil.rmtree(scratch)
    shutil.copytree(
        folder,
        scratch,
        ignore=lambda _d, names: [n for n in names if n.startswith(("server.", ".lock"))],
    )

    def opened() -> FalkorDBStore:
        store = open_store(f"embedded://{scratch}", graph="scaleup")
        assert isinstance(store, FalkorDBStore)
        return store

    store = opened()
    loaded = [bool(store._command("EXISTS", store.view_names[v])) for v in VIEWS]
    started = time.perf_counter()
    store.close()  # parks the four copies
    park_s = time.perf_counter() - started
    parked_bytes = sum(dump_path(scratch, "scaleup", v.suffix).stat().st_size for v in VIEWS)
    store = opened()
    restore_s = {}
    for view in VIEWS:
        started = time.perf_counter()
        store.refresh_view(view)
        restore_s[view.suffix] = time.perf_counter() - started
    restores, rebuilds = store.view_restores, store.view_rebuilds
    view = VIEWS[0]
    store._command("GRAPH.DELETE", store.view_names[view])
    store._rewrite_append_only_file()
    started = time.perf_counter()
    store.refresh_view(view)
    rebuild_s = time.perf_counter() - started
    assert store.view_rebuilds == rebuilds + 1
    store.close()
    return {
        "copies_loaded_before": loaded,
        "park_stop_s": park_s,
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
    args = parser.parse_args()
    env = environment()
    rounds = []
    with scratch_folder("parked-copies-") as tmp:
        for _ in range(args.repeat):
            rounds.append(_round(args.folder.resolve(), Path(tmp) / "db"))
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
