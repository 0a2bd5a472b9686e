"""An API whose database folder the server cannot load (issue 19), over real HTTP: every
request gets a 503 that says so without the folder, `/health` too; the folder is not loaded
again per request; once the operator restores the files the API serves again by itself."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from scaleup_graph.api import create_app
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store.embedded import EmbeddedServer
from tests.support.damaged_folder import damage
from tests.support.live_server import serve

UNLOADABLE = "the database cannot be loaded; the operator must see the server log"


def test_an_unloadable_folder_answers_503_says_so_and_is_not_loaded_per_request(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    damaged = damage(tmp_path / "db")
    settings = Settings(
        database_url=f"embedded://{damaged.folder}", graph="g", state_dir=tmp_path / "state"
    )
    _, key = KeyStore(keys_path(settings)).create("viewer")
    server_log = damaged.folder / "server.log"
    with (
        caplog.at_level(logging.WARNING),
        serve(create_app(settings)) as url,  # its start fails to load the folder
        httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": key}) as http,
    ):
        loaded = server_log.stat().st_size
        answers = [http.get("/api/v1/organisations", params={"q": "kassel"}) for _ in range(3)]
        answers += [http.get("/health"), http.get("/health")]
        for answer in answers:
            assert answer.status_code == 503, answer.text
            error = answer.json()["error"]
            assert (error["code"], error["message"]) == ("database_unloadable", UNLOADABLE)
            assert str(tmp_path) not in answer.text  # the operator's folder stays in the log
            assert "Retry-After" not in answer.headers  # waiting does not help
        assert server_log.stat().st_size == loaded  # no request loaded the folder again
        # the operator's log has the folder and the server's reason, once (not per request),
        # and no warning of an unclean shutdown
        logged = [r.getMessage() for r in caplog.records]
        named = [m for m in logged if f"the database folder {damaged.folder} cannot be" in m]
        assert len(named) == 1 and "GRAPH.EFFECT" in named[0], logged  # the reason
        assert not [m for m in logged if "shut down cleanly" in m], logged

        damaged.restore()  # the operator puts the files back: the next request loads them
        assert http.get("/health").status_code == 200
        found = http.get("/api/v1/organisations", params={"q": "kassel"})
        assert found.status_code == 200 and found.json()["items"] == []


def test_a_served_folder_that_cannot_be_loaded_after_a_crash_answers_503_until_restored(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The server of a folder the API serves is killed, and its files cannot be loaded any
    more: each request gets the 503 (the first one tries to start the server again, the
    others do not, and none fails with a 500); once the files are restored it serves again."""
    folder = tmp_path / "db"
    settings = Settings(
        database_url=f"embedded://{folder}", graph="g", state_dir=tmp_path / "state"
    )
    _, key = KeyStore(keys_path(settings)).create("viewer")
    with (
        caplog.at_level(logging.WARNING),
        serve(create_app(settings)) as url,
        httpx.Client(base_url=url, timeout=60, headers={"X-API-Key": key}) as http,
    ):
        assert http.get("/api/v1/organisations", params={"q": "kassel"}).status_code == 200
        EmbeddedServer(folder).kill()
        damaged = damage(folder, build=False)
        first = http.get("/api/v1/organisations", params={"q": "kassel"})
        loaded = (folder / "server.log").stat().st_size
        answers = [first, http.get("/api/v1/organisations", params={"q": "kassel"})]
        answers += [http.get("/health"), http.get("/health")]
        for answer in answers:
            assert answer.status_code == 503, answer.text
            error = answer.json()["error"]
            assert (error["code"], error["message"]) == ("database_unloadable", UNLOADABLE)
        assert (folder / "server.log").stat().st_size == loaded
        logged = [r.getMessage() for r in caplog.records]
        assert len([m for m in logged if f"the database folder {folder} cannot be" in m]) == 1

        damaged.restore()
        assert http.get("/health").status_code == 200
        assert http.get("/api/v1/organisations", params={"q": "kassel"}).status_code == 200
