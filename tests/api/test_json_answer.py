"""The store-reading routes serialise their answer themselves (api.deps.json_response): the bytes
must be those FastAPI's own path (``jsonable_encoder``, then ``JSONResponse``) would send."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from scaleup_graph.api.deps import json_response

Keys = dict[str, dict[str, str]]


def _fastapi_bytes(content: object) -> bytes:
    return bytes(JSONResponse(jsonable_encoder(content)).body)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/org-rmn",
        "/api/v1/organisations?q=nordhessen",
        "/api/v1/nodes/org-rmn/neighbourhood?hops=2",
        "/api/v1/paths?source=org-rmn&target=org-kassel-tech",
    ],
)
def test_answers_are_the_bytes_fastapi_would_send(client: TestClient, keys: Keys, url: str) -> None:
    answer = client.get(url, headers=keys["viewer"])
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/json"
    assert answer.content == _fastapi_bytes(answer.json())
    assert answer.json()  # not an empty answer


def test_values_json_does_not_know_go_through_fastapis_encoder() -> None:
    content = {
        "name": "Universität Kassel – Nordhessen",
        "when": dt.datetime(2026, 12, 1, 20, 0, tzinfo=dt.UTC),
        "day": dt.date(2026, 12, 1),
        "tags": {"b"},
        "pair": ("x", 1),
        "n": [1, 2.5, None, True],
    }
    body = json_response(content).body
    assert body == _fastapi_bytes(content)
    assert json.loads(body)["when"] == "2026-12-01T20:00:00+00:00"
    assert "Universität".encode() in body  # UTF-8 text, not \\u escapes
