"""Issue 15, point 8: the explorer works under its Content-Security-Policy (no inline script,
no eval): signed in with a real key on the real app, the first frame is drawn and the browser
reports no policy violation and no error. Playwright's own string predicates need eval, so this
test polls with ``evaluate`` (run over the DevTools protocol, outside the policy)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.api.guards import CSP
from scaleup_graph.store import open_store
from tests.support.live_server import serve
from tests.support.sample_network import build_sample

pytestmark = pytest.mark.browser


def test_the_explorer_runs_under_its_csp(
    browser: Any, db_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scaleup_graph.api.app import create_app
    from scaleup_graph.api.keys import KeyStore, keys_path
    from scaleup_graph.settings import Settings

    settings = Settings(
        database_url=f"embedded://{db_dir}", graph=f"t_csp_{uuid.uuid4().hex[:8]}",
        state_dir=tmp_path / "state",
    )  # fmt: skip
    store = open_store(settings.database_url, graph=settings.graph)
    build_sample(store)
    key = KeyStore(keys_path(settings)).create("viewer")[1]
    try:
        with serve(create_app(settings, store)) as url:
            _draws_under_its_csp(browser, url, key)
    finally:
        store.clear()
        store.close()


def _draws_under_its_csp(browser: Any, url: str, key: str) -> None:
    context = browser._browser.new_context(viewport={"width": 1280, "height": 800})  # enforced
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    try:
        response = page.goto(f"{url}/")
        assert response is not None and response.headers["content-security-policy"] == CSP
        page.fill("#key-input", key)
        page.click("#key-submit")
        drawn = 0
        for _ in range(600):  # bounded: at most about a minute on a loaded machine
            drawn = page.evaluate("() => (window.__explorer && window.__explorer.firstFrame) || 0")
            if drawn:
                break
            time.sleep(0.1)
        assert drawn, "the explorer drew no frame under its CSP"
        assert not [p for p in problems if "Content Security Policy" in p], problems
        assert not problems, problems
    finally:
        context.close()
