"""``/api/v1/views``: saved explorer views ("Perspektiven"), listed, kept, renamed and deleted.

Any key may save a view. The key that saved it, and keys with the editor or admin capability,
may rename or delete it; others get 403. A view the caller may not list (it names a person and
the key does not see persons) is 404 for them, so its existence stays hidden.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Response
from pydantic import Field

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import SettingsDep
from scaleup_graph.api.params import StrictBody, Viewer, audited
from scaleup_graph.errors import Invalid
from scaleup_graph.visualisation.perspectives import PerspectiveError, PerspectiveStore

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["explorer"])

_NAME_HINT = "name: 1-120 characters, e.g. 'IHK und Umfeld'"
ViewId = Annotated[
    str,
    Path(
        pattern=r"^[0-9a-f]{12}$",
        description="the saved view's id (12 hex digits), as GET /api/v1/views lists it",
    ),
]


class NewView(StrictBody):
    name: str = Field(description="what the view shows, e.g. 'IHK und ihre Mitglieder'")
    params: str = Field(
        description="the explorer's address parameters, e.g. 'focus=org-ihk-kassel-marburg&hops=2'"
    )


class ViewName(StrictBody):
    name: str = Field(description="the new name, 1-120 characters, e.g. 'IHK und Umfeld 2026'")


def _store(settings: SettingsDep) -> PerspectiveStore:
    return PerspectiveStore(settings.state_dir / "perspectives.json")


def _invalid(exc: PerspectiveError, hint: str) -> Invalid:
    return Invalid(str(exc), field=exc.field, hint=hint)


@router.get(
    "/views",
    summary="Saved explorer views (Perspektiven) this key may see",
    **m.typed(m.SavedViews),
)
def list_views(principal: Viewer, settings: SettingsDep) -> dict[str, Any]:
    """Newest first; a view whose parameters name a person only for roles that see persons.
    Each view says whether it is the caller's own (`mine`) and whether the caller may rename or
    delete it (`can_change`: the key that saved it, editors and admins)."""
    return {
        "views": [
            PerspectiveStore.public(p, principal.key_id, principal.role)
            for p in _store(settings).list(principal.role)
        ]
    }


@router.post(
    "/views",
    status_code=201,
    summary="Keep the current explorer view under a name",
    **m.typed(m.SavedView, 201),
)
def add_view(body: NewView, principal: Viewer, settings: SettingsDep) -> Any:
    """Open it later with ``/?<params>``; the language and the key never go into it. The key
    that saves a view may later rename or delete it."""
    try:
        made = _store(settings).add(body.name, body.params, owner=principal.key_id)
    except PerspectiveError as exc:
        raise _invalid(
            exc,
            f"{_NAME_HINT}; params: the part of the explorer's address after '?', "
            "e.g. focus=org-ihk-kassel-marburg&hops=2",
        ) from None
    return PerspectiveStore.public(made, principal.key_id, principal.role)


@router.patch(
    "/views/{view_id}",
    summary="Rename a saved view (the key that saved it, an editor or an admin)",
    **m.typed(m.SavedView),
)
def rename_view(view_id: ViewId, body: ViewName, principal: Viewer, settings: SettingsDep) -> Any:
    """The view keeps its id and parameters, so links to it and its address stay valid.
    404 when the caller cannot list the view, 403 when another key saved it and the caller is
    neither editor nor admin, 422 for an empty or too long name."""

    def step() -> dict[str, Any]:
        try:
            changed = _store(settings).rename(
                view_id, body.name, key_id=principal.key_id, role=principal.role
            )
        except PerspectiveError as exc:
            raise _invalid(exc, _NAME_HINT) from None
        return PerspectiveStore.public(changed, principal.key_id, principal.role)

    return audited(principal, "view_rename", view_id, step)


@router.delete(
    "/views/{view_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a saved view (the key that saved it, an editor or an admin)",
)
def delete_view(view_id: ViewId, principal: Viewer, settings: SettingsDep) -> Response:
    """Removes the view from everyone's list; addresses copied from it still open the view.
    404 when the caller cannot list the view, 403 when another key saved it and the caller is
    neither editor nor admin."""
    audited(
        principal,
        "view_delete",
        view_id,
        lambda: _store(settings).delete(view_id, key_id=principal.key_id, role=principal.role),
    )
    return Response(status_code=204)
