"""Point 6: the store stops for 30 s under API load.

A FalkorDB server on TCP (the wheel's redis-server and FalkorDB module, with an fsynced
append-only file so its data survives the stop) serves the small graph. The real app runs under
uvicorn, pointed at ``falkordb://127.0.0.1:PORT``; 8 clients read the main routes without pause.
After a warm-up the server is killed; 30 s later it is started again on the same port and
directory. Every answer must be 200 or 503 with ``Retry-After`` (never a 500), none may take
longer than the API's query time limit plus a margin, and the API must answer 200 again within
5 s of the store's return (asserted with a 2 s margin for a shared CI machine), without restart.
The measured recovery time goes to ``test-artifacts/outage.json``.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import open_store
from tests.support.falkordb_server import free_port, start_falkordb_server
from tests.support.graphs import build_small_graph
from tests.support.live_server import serve

pytestmark = pytest.mark.hard

OUTAGE_S = float(os.environ.get("SCALEUP_OUTAGE_SECONDS", "30"))
CLIENTS = 8
QUERY_TIMEOUT_MS = 2_000
HANG_MARGIN_S = 3.0  # a request may take the query limit plus this, never more
RECOVERY_BOUND_S = 5.0
RECOVERY_MARGIN_S = 2.0
ROUTES: tuple[tuple[str, dict[str, str]], ...] = (
    ("/api/v1/organisations", {"q": "Kassel"}),
    ("/api/v1/organisations/org-rmn", {}),
    ("/api/v1/nodes/org-rmn/neighbourhood", {"hops": "2"}),
    ("/api/v1/explorer/search", {"q": "Kassel"}),
    ("/health", {}),
)


@dataclass(frozen=True)
class Answer:
    start: float
    end: float
    route: str
    status: int
    retry_after: str | None


def test_store_outage_under_load_gives_503_and_recovers(tmp_path: Path, artifacts: Path) -> None:
    port, password = free_port(), secrets.token_hex(8)
    server = start_falkordb_server(tmp_path, port=port, password=password, durable=True)
    try:
        url = f"falkordb://:{password}@127.0.0.1:{port}"
        seed = open_store(url, graph="outage")
        build_small_graph(seed)
        seed.close()
        settings = Settings(
            database_url=url,
            graph="outage",
            state_dir=tmp_path / "state",
            query_timeout_ms=QUERY_TIMEOUT_MS,
        )
        headers = {"X-API-Key": KeyStore(keys_path(settings)).create("viewer")[1]}
        answers: list[Answer] = []
        failures: list[str] = []
        stop = threading.Event()
        lock = threading.Lock()
        limit_s = QUERY_TIMEOUT_MS / 1000 + HANG_MARGIN_S

        with serve(create_app(settings)) as base:

            def client(n: int) -> None:
                with httpx.Client(base_url=base, headers=headers, timeout=limit_s + 30) as http:
                    i = n
                    while not stop.is_set():
                        path, params = ROUTES[i % len(ROUTES)]
                        i += 1
                        t0 = time.monotonic()
                        try:
                            r = http.get(path, params=params)
                        except httpx.HTTPError as exc:
                            with lock:
                                failures.append(f"{path}: {type(exc).__name__}")
                            continue
                        with lock:
                            answers.append(
                                Answer(
                                    t0, time.monotonic(), path, r.status_code,
                                    r.headers.get("retry-after"),
                                )
                            )  # fmt: skip
                        time.sleep(0.01)

            threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
            for t in threads:
                t.start()
            time.sleep(3)
            down_at = time.monotonic()
            server.stop()
            time.sleep(OUTAGE_S)
            server = start_falkordb_server(tmp_path, port=port, password=password, durable=True)
            back_at = time.monotonic()
            deadline = back_at + RECOVERY_BOUND_S + RECOVERY_MARGIN_S + 10
            while time.monotonic() < deadline:  # run on until 5 s of clean answers
                time.sleep(0.5)
                with lock:
                    bad = [a.end for a in answers if a.status != 200]
                if bad and time.monotonic() - max(bad) > 5:
                    break
            stop.set()
            for t in threads:
                t.join(limit_s + 35)

        before = [a for a in answers if a.end < down_at]
        during = [a for a in answers if down_at <= a.start < back_at]
        non_ok = [a for a in answers if a.status != 200]
        last_bad = max((a.end for a in non_ok), default=back_at)
        first_ok = min((a.end for a in answers if a.status == 200 and a.end > back_at), default=0)
        # recovered: the first 200 after the return, and no 503 after it
        recovery_s = max(0.0, last_bad - back_at, first_ok - back_at)
        statuses: dict[str, int] = {}
        for a in answers:
            statuses[str(a.status)] = statuses.get(str(a.status), 0) + 1
        summary = {
            "outage_seconds": OUTAGE_S,
            "clients": CLIENTS,
            "requests": len(answers),
            "requests_during_outage": len(during),
            "statuses": statuses,
            "slowest_seconds": round(max((a.end - a.start for a in answers), default=0), 3),
            "recovery_seconds": round(recovery_s, 3),
            "transport_failures": failures[:20],
        }
        (artifacts / "outage.json").write_text(json.dumps(summary, indent=2))
        print(f"\noutage: {summary}")

        assert not failures, failures[:5]
        assert before and all(a.status == 200 for a in before), "not healthy before the stop"
        assert len(during) > 100
        assert {a.status for a in non_ok} <= {503}, statuses
        assert all(a.retry_after and a.retry_after.isdigit() for a in non_ok), [
            a.route for a in non_ok if not a.retry_after
        ][:5]
        assert {a.route for a in during if a.status == 503} == {r for r, _ in ROUTES}
        slow = [a for a in answers if a.end - a.start > limit_s]
        assert not slow, [(a.route, round(a.end - a.start, 1)) for a in slow[:5]]
        assert recovery_s <= RECOVERY_BOUND_S + RECOVERY_MARGIN_S, recovery_s
        after = [a for a in answers if a.start > last_bad]
        assert len(after) > 50 and {a.route for a in after} == {r for r, _ in ROUTES}
    finally:
        server.stop()
