"""Per-request overhead: a store-reading route goes to a worker thread once, the organisation
detail not at all (it runs on the event loop: one indexed statement, api.deps.on_loop).

FastAPI runs every plain ``def`` dependency in a worker thread, and validates the answer of a
plain ``def`` route in another; each hop costs a wake-up of a thread and of the event loop
(bench/README.md: 4-5 hops per request before, detail p50 1.71 -> 1.34 ms at M). A new sync
dependency or a route without ``threaded`` shows up here, not as a slower bench on a busy
machine.
"""

from __future__ import annotations

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

Keys = dict[str, dict[str, str]]

DETAIL = "/api/v1/organisations/org-rmn"
ROUTES = [
    "/api/v1/organisations?q=nordhessen",
    "/api/v1/organisations?topic=Mobilit%C3%A4t",
    "/api/v1/nodes/org-rmn/neighbourhood?hops=2",
    "/api/v1/paths?source=org-rmn&target=org-kassel-tech",
]


def _count_thread_hops(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """From now on, every function sent to a worker thread, in order."""
    hops: list[object] = []
    run_sync = anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        hops.append(func)
        return await run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return hops


@pytest.mark.parametrize("url", ROUTES)
def test_a_store_reading_route_goes_to_a_thread_once(
    client: TestClient, keys: Keys, url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(url, headers=keys["viewer"])  # the store is open, the keys file read
    hops = _count_thread_hops(monkeypatch)
    answer = client.get(url, headers=keys["viewer"])
    assert answer.status_code == 200, answer.text
    assert len(hops) == 1, hops


def test_the_organisation_detail_needs_no_thread(
    client: TestClient, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    client.get(DETAIL, headers=keys["viewer"])
    hops = _count_thread_hops(monkeypatch)
    answer = client.get(DETAIL, headers=keys["viewer"])
    assert answer.status_code == 200, answer.text
    assert answer.json()["organisation"]["id"] == "org-rmn"
    assert hops == []


def test_refusals_need_no_thread(
    client: TestClient, keys: Keys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing or wrong key is refused by the coroutine dependency, before any thread."""
    hops = _count_thread_hops(monkeypatch)
    assert client.get(DETAIL).status_code == 401
    assert client.get(DETAIL, headers={"X-API-Key": "sug_0123456789ab_nope"}).status_code == 401
    assert hops == []
