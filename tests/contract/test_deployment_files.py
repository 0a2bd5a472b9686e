"""docker-compose.yml, Dockerfile and .env.example, checked without a Docker engine.

No ``docker compose`` plugin is installed here (``docker compose config`` cannot run), so the
compose file is validated as YAML against what a user relies on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from scaleup_graph.settings import Settings

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
