"""One headless Debian chromium per test session, driven by Playwright for Python.

Never a downloaded browser: ``/usr/bin/chromium`` is what CI installs. Every request a page makes
is recorded, so a test can prove nothing left 127.0.0.1 (or, for an exported file, the disk).

Without it (a fresh machine where ``make test`` could not install it) the browser tests are
deselected and the run ends with one line saying how to run them; ``SCALEUP_REQUIRE_BROWSER=1``
(CI) makes them fail instead.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scaleup_graph.store import GraphStore
from tests.support.browser import watched_page
from tests.support.live_server import Live, serve_configured

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


HOW_TO_RUN = (
    f"browser tests skipped: {CHROMIUM} is missing; run them with "
    "`sudo apt-get install -y chromium && make test` (Debian's package, never a downloaded browser)"
)
_skipped: list[pytest.Item] = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if Path(CHROMIUM).exists() or os.environ.get("SCALEUP_REQUIRE_BROWSER") == "1":
        return
    _skipped[:] = [item for item in items if item.get_closest_marker("browser")]
    if _skipped:
        config.hook.pytest_deselected(items=_skipped)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _skipped:
        terminalreporter.write_line(f"{len(_skipped)} {HOW_TO_RUN}", yellow=True)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(HOW_TO_RUN.replace("browser tests skipped", "browser tests cannot run"))
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield _CspTolerant(chromium)
        chromium.close()


@pytest.fixture(scope="module")
def demo(
    seed_graph: GraphStore, db_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Live]:
    """The demo data (the Nordhessen seed) served over HTTP, keys for viewer and contacts.

    One per test module: a module's views and edits never reach another's."""
    graph = f"t_demo_{uuid.uuid4().hex[:8]}"
    store = seed_graph.copy_to(graph)  # type: ignore[attr-defined]
    state = tmp_path_factory.mktemp("demo-state")
    with serve_configured(
        store, db_dir, graph, state, ("viewer", "contacts"), "stakeholder test"
    ) as live:
        yield live


@pytest.fixture
def page(browser: Any, demo: Live) -> Iterator[Any]:
    """A 1440x900 page on the demo server that fails the test on a request elsewhere or a
    console error. Modules with their own server define their own ``page``."""
    context, pg = watched_page(
        browser, (demo.url, "data:"), width=1440, height=900, console=True, accept_downloads=True
    )
    yield pg
    context.close()


class _CspTolerant:
    """The browser, whose contexts let Playwright's string predicates (``wait_for_function``
    compiles them in the page) run under the app's Content-Security-Policy, which forbids eval.
    tests/browser/test_csp.py loads the explorer with the policy enforced."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **kwargs: Any) -> Any:
        kwargs.setdefault("bypass_csp", True)
        return self._browser.new_context(**kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)
