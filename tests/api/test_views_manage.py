"""Saved views ("Perspektiven") over real HTTP: kept, renamed and deleted by who may.

The key that saved a view may rename and delete it; editors and admins may tidy any view; other
keys get 403 and the view stays as it was. A view naming a person is not even listed to keys
that may not see persons, and for them it does not exist (404).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from scaleup_graph.api import create_app
from scaleup_graph.api.audit import audit_path
from scaleup_graph.api.keys import KeyStore, keys_path
from scaleup_graph.settings import Settings
from scaleup_graph.store import GraphStore
from tests.support.live_server import serve


@pytest.fixture
def http(
    store: GraphStore, api_settings: Settings
) -> Iterator[tuple[httpx.Client, dict[str, dict[str, str]]]]:
    made = KeyStore(keys_path(api_settings))
    keys = {
        name: {"X-API-Key": made.create(list(roles))[1]}
        for name, roles in {
            "anna": ("viewer",),
            "bernd": ("viewer",),
            "contacts": ("contacts",),
            "editor": ("editor",),
            "admin": ("admin",),
        }.items()
    }
    with serve(create_app(api_settings, store)) as url, httpx.Client(base_url=url) as client:
        yield client, keys


def _save(client: httpx.Client, key: dict[str, str], name: str, params: str) -> dict[str, object]:
    answer = client.post("/api/v1/views", json={"name": name, "params": params}, headers=key)
    assert answer.status_code == 201, answer.text
    return answer.json()


def _names(client: httpx.Client, key: dict[str, str]) -> list[str]:
    return [v["name"] for v in client.get("/api/v1/views", headers=key).json()["views"]]


def test_the_owner_renames_and_deletes_their_view(http: tuple[httpx.Client, dict]) -> None:
    client, keys = http
    made = _save(client, keys["anna"], "IHK und Umfeld", "focus=org-a&hops=2")
    assert made["mine"] is True and made["can_change"] is True

    renamed = client.patch(
        f"/api/v1/views/{made['id']}", json={"name": "  IHK   2026 "}, headers=keys["anna"]
    )
    assert renamed.status_code == 200
    assert renamed.json()["name"] == "IHK 2026"
    assert renamed.json()["params"] == made["params"] and renamed.json()["id"] == made["id"]
    assert _names(client, keys["bernd"]) == ["IHK 2026"]  # everyone sees the new name

    gone = client.delete(f"/api/v1/views/{made['id']}", headers=keys["anna"])
    assert gone.status_code == 204 and gone.content == b""
    assert _names(client, keys["anna"]) == [] and _names(client, keys["bernd"]) == []
    again = client.delete(f"/api/v1/views/{made['id']}", headers=keys["anna"])
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "not_found"
    assert "GET /api/v1/views" in again.json()["error"]["hint"]


def test_another_viewer_may_not_change_it_but_editors_and_admins_may(
    http: tuple[httpx.Client, dict],
) -> None:
    client, keys = http
    made = _save(client, keys["anna"], "Annas Sicht", "focus=org-a")
    listed = client.get("/api/v1/views", headers=keys["bernd"]).json()["views"][0]
    assert listed["mine"] is False and listed["can_change"] is False

    refused = client.patch(
        f"/api/v1/views/{made['id']}", json={"name": "Bernds"}, headers=keys["bernd"]
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "POST /api/v1/views" in refused.json()["error"]["hint"]
    assert client.delete(f"/api/v1/views/{made['id']}", headers=keys["bernd"]).status_code == 403
    assert _names(client, keys["anna"]) == ["Annas Sicht"]  # nothing changed

    for who, name in (("editor", "Vom Editor"), ("admin", "Vom Admin")):
        seen = client.get("/api/v1/views", headers=keys[who]).json()["views"][0]
        assert seen["can_change"] is True and seen["mine"] is False
        done = client.patch(f"/api/v1/views/{made['id']}", json={"name": name}, headers=keys[who])
        assert done.status_code == 200 and done.json()["name"] == name
    assert client.delete(f"/api/v1/views/{made['id']}", headers=keys["editor"]).status_code == 204
    assert _names(client, keys["anna"]) == []


def test_bad_names_and_ids_are_clear_errors_and_change_nothing(
    http: tuple[httpx.Client, dict],
) -> None:
    client, keys = http
    made = _save(client, keys["anna"], "Bleibt", "hops=2")
    for body in ({"name": "   "}, {"name": "x" * 121}):
        answer = client.patch(f"/api/v1/views/{made['id']}", json=body, headers=keys["anna"])
        assert answer.status_code == 422
        assert answer.json()["error"]["field"] == "name" and answer.json()["error"]["hint"]
    extra = client.patch(
        f"/api/v1/views/{made['id']}", json={"name": "a", "params": "hops=3"}, headers=keys["anna"]
    )
    assert extra.status_code == 422  # a rename never changes what the view shows
    assert (
        client.patch(
            "/api/v1/views/0123456789ab", json={"name": "a"}, headers=keys["anna"]
        ).status_code
        == 404
    )
    assert client.delete("/api/v1/views/" + "x" * 65, headers=keys["anna"]).status_code == 422
    not_an_id = client.delete("/api/v1/views/anna@example.org", headers=keys["anna"])
    assert not_an_id.status_code == 422 and "anna@" not in not_an_id.text  # never echoed
    assert client.delete(f"/api/v1/views/{made['id']}").status_code == 401
    assert _names(client, keys["anna"]) == ["Bleibt"]


def test_a_view_naming_a_person_does_not_exist_for_keys_without_contacts(
    http: tuple[httpx.Client, dict], api_settings: Settings
) -> None:
    client, keys = http
    made = _save(client, keys["contacts"], "Annas Netz", "focus=person-anna&hops=1")
    assert _names(client, keys["contacts"]) == ["Annas Netz"]
    assert _names(client, keys["editor"]) == []  # an editor without contacts does not list it
    for method in ("patch", "delete"):
        kwargs = {"json": {"name": "x"}} if method == "patch" else {}
        answer = getattr(client, method)(
            f"/api/v1/views/{made['id']}", headers=keys["editor"], **kwargs
        )
        assert answer.status_code == 404  # not 403: its existence is not revealed
    assert "anna" not in client.get("/api/v1/views", headers=keys["editor"]).text
    # the audit log names the view and the outcome, never a person's name
    audit = audit_path(api_settings).read_text(encoding="utf-8")
    assert "view_rename" in audit and "refused:not_found" in audit


def test_the_openapi_describes_rename_and_delete(http: tuple[httpx.Client, dict]) -> None:
    client, _ = http
    spec = client.get("/openapi.json").json()["paths"]["/api/v1/views/{view_id}"]
    assert "editor" in spec["patch"]["summary"] and "editor" in spec["delete"]["summary"]
    for method in ("patch", "delete"):
        for status in ("403", "404"):
            assert status in spec[method]["description"] or status in spec[method]["responses"]
