"""docker-compose.yml, Dockerfile and .env.example, checked without a Docker engine.

No ``docker compose`` plugin is installed here (``docker compose config`` cannot run), so the
compose file is validated as YAML against what a user relies on.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaleup_graph.api.app import create_app
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from tests.support.live_server import serve

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return dict(yaml.safe_load((REPO / "docker-compose.yml").read_text()))


def test_neo4j_is_a_pinned_526_community_image_with_cypher_shell_healthcheck(
    compose: dict[str, Any],
) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.26\.\d+-community", neo4j["image"])
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert any(v.endswith(":/data") for v in neo4j["volumes"])
    env = neo4j["environment"]
    assert "${NEO4J_PASSWORD:?" in env["NEO4J_AUTH"]
    for key in (
        "NEO4J_db_transaction_timeout",
        "NEO4J_server_memory_heap_max__size",
        "NEO4J_server_memory_pagecache_size",
        "NEO4J_db_memory_transaction_total_max",
    ):
        assert key in env
    assert all(port.startswith("127.0.0.1:") for port in neo4j["ports"])


def test_api_waits_for_a_healthy_neo4j_and_uses_real_settings(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = api["environment"]
    assert env["SCALEUP_DATABASE_URL"] == "neo4j://neo4j:7687"
    fields = set(Settings.model_fields)
    unknown = [
        k
        for k in env
        if k.startswith("SCALEUP_") and k.removeprefix("SCALEUP_").lower() not in fields
    ]
    assert unknown == []


def test_every_required_variable_is_in_env_example(compose: dict[str, Any]) -> None:
    text = (REPO / "docker-compose.yml").read_text()
    required = set(re.findall(r"\$\{(\w+):\?", text))
    example = (REPO / ".env.example").read_text()
    defined = set(re.findall(r"^(\w+)=", example, re.M))
    assert required and required <= defined


def test_dockerfile_runs_as_a_non_root_user_with_a_healthcheck() -> None:
    text = (REPO / "Dockerfile").read_text()
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users and users[-1] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK ", text, re.M)
    assert ".env" in (REPO / ".dockerignore").read_text().split()


@contextlib.contextmanager
def _serving(store: GraphStore, tmp_path: Path) -> Iterator[int]:
    """The API on a free loopback port over real HTTP, as the container runs it."""
    settings = Settings(database_url="embedded://unused", state_dir=tmp_path / "state")
    with serve(create_app(settings, store)) as url:
        yield int(url.rsplit(":", 1)[1])


def test_the_images_healthcheck_command_passes_against_the_running_api(
    store: GraphStore, tmp_path: Path
) -> None:
    """K1: the HEALTHCHECK's own command, run against the API, exits 0 (it asked for a path
    that answers 404, so ``docker compose up --wait`` called a working API unhealthy)."""
    text = (REPO / "Dockerfile").read_text()
    match = re.search(r"^HEALTHCHECK .*?CMD (\[[^\n]*\])$", text, re.M | re.S)
    assert match, "the Dockerfile has no exec-form HEALTHCHECK"
    command = json.loads(match[1])
    assert command[0] == "python"
    assert "http://127.0.0.1:8000/" in command[-1]
    with _serving(store, tmp_path) as port:
        argv = [sys.executable, *(c.replace(":8000/", f":{port}/") for c in command[1:])]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr[-500:]
        wrong = [arg.replace("/health'", "/api/v1/health'") for arg in argv]
        assert subprocess.run(wrong, capture_output=True, timeout=60, check=False).returncode != 0


def _password_check(compose: dict[str, Any], password: str) -> subprocess.CompletedProcess[str]:
    service = compose["services"]["neo4j-password-check"]
    # Compose turns "$$" into "$" before the container sees the command.
    argv = [part.replace("$$", "$") for part in service["entrypoint"]]
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NEO4J_PASSWORD": password}
    return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30, check=False)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash to run the check")
@pytest.mark.parametrize(
    ("password", "ok", "says"),
    [
        ("a-long-random-password", True, "usable"),
        ("Sp3cial.chars_and-more!", True, "usable"),
        ("with/slash-in-it", False, 'must not contain "/"'),
        ("tiny7", False, "at least 8 characters"),
    ],
)
def test_a_password_neo4j_cannot_take_stops_compose_with_a_clear_message(
    compose: dict[str, Any], password: str, ok: bool, says: str
) -> None:
    """K2: NEO4J_AUTH is user/password, so "/" in the password kept Neo4j from starting."""
    neo4j = compose["services"]["neo4j"]
    check = neo4j["depends_on"]["neo4j-password-check"]
    assert check["condition"] == "service_completed_successfully"
    done = _password_check(compose, password)
    assert (done.returncode == 0) is ok
    assert says in (done.stdout + done.stderr)
    assert password not in done.stdout + done.stderr


def test_env_example_warns_about_the_password_and_names_the_adhoc_user() -> None:
    example = (REPO / ".env.example").read_text()
    assert 'NO "/"' in example and "8 characters" in example
    example_password = re.search(r"^NEO4J_PASSWORD=(.*)$", example, re.M)
    assert example_password and "/" not in example_password[1]
    assert "SCALEUP_NEO4J_ADHOC_USER" in example
    fields = set(Settings.model_fields)
    named = set(re.findall(r"^#? ?SCALEUP_(\w+)=", example, re.M))
    assert {n.lower() for n in named} <= fields
