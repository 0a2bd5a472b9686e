"""A page in the session's chromium that records what a user would call a defect, and signing in.

``page.outside`` collects every request that left the app (a page must load nothing from the
internet), ``page.errors`` every uncaught script error (and, with ``console=True``, every console
error; pages that provoke refusals on purpose leave that off: chromium logs each 4xx answer).
"""

from __future__ import annotations

from typing import Any

__all__ = ["offline_file", "sign_in", "watched_page"]


def watched_page(
    browser: Any,
    own: str | tuple[str, ...],
    *,
    width: int = 1280,
    height: int = 800,
    console: bool = False,
    **context_options: Any,
) -> tuple[Any, Any]:
    """A new browser context and its page; requests to a URL not starting with ``own`` (the
    app's address, and ``"data:"`` where inline images are expected) land in ``page.outside``.
    Close the context after the test."""
    context = browser.new_context(viewport={"width": width, "height": height}, **context_options)
    page = context.new_page()
    page.outside = []
    page.errors = []
    page.on("request", lambda r: None if r.url.startswith(own) else page.outside.append(r.url))
    if console:
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return context, page


def sign_in(page: Any, url: str, key: str, ready: str, query: str = "") -> None:
    """Open the explorer at ``url`` (with ``query``), give the API key in the sign-in dialog and
    wait until the script ``ready`` holds in the page."""
    page.goto(url + "/" + query)
    page.fill("#key-input", key)
    page.click("#key-submit")
    page.wait_for_function(ready)


def offline_file(
    browser: Any, path: Any, *, width: int = 1440, height: int = 900, console: bool = True
) -> tuple[Any, Any]:
    """An exported HTML file opened with the network off, after its first picture is drawn.

    ``page.requests`` lists every URL the page asked for (an offline file asks for itself only),
    ``page.errors`` every script error (console errors too, unless ``console=False``). Close the
    context after the test."""
    context = browser.new_context(offline=True, viewport={"width": width, "height": height})
    page = context.new_page()
    page.requests = []
    page.errors = []
    context.on("request", lambda r: page.requests.append(r.url))
    if console:
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function("window.__explorer && window.__explorer.firstFrame > 0")
    return context, page
