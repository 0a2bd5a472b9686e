"""``/api/v1/persons``: one contact (contacts role), GDPR export and erasure (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from scaleup_graph.api import models as m
from scaleup_graph.api.deps import SettingsDep, StoreDep, audit
from scaleup_graph.api.params import Admin, Contacts
from scaleup_graph.errors import NotFound
from scaleup_graph.graph_model import NODE_TYPES
from scaleup_graph.queries import daily
from scaleup_graph.queries.persons import erase_person, export_person

__all__ = ["router"]

router = APIRouter(prefix="/api/v1/persons", tags=["persons"])
_PERSON_PREFIX = f"{NODE_TYPES['Person'].id_prefix}-"


def _subjects(person_id: str) -> list[str]:
    """The audit subject: the id if it has the form of a person id (a hash); anything else
    (a mistyped id may be an e-mail address) is not written to the audit log."""
    return [person_id] if person_id.startswith(_PERSON_PREFIX) else []


def _missing() -> NotFound:
    # the id is not echoed: a mistyped id may be an e-mail address
    return NotFound("no person with this id")


@router.get(
    "/{person_id}",
    summary="One contact person and their organisations",
    **m.typed(m.PersonDetail),
)
def person(person_id: str, principal: Contacts, store: StoreDep) -> dict[str, Any]:
    found = daily.person(store, principal.role, person_id)
    audit(principal, "person", _subjects(person_id), "read" if found else "not_found")
    if found is None:
        raise _missing()
    return found


@router.get(
    "/{person_id}/export",
    summary="Everything held about a person (GDPR Art. 15), admin only",
    **m.typed(m.PersonExport),
)
def export(person_id: str, principal: Admin, store: StoreDep) -> dict[str, Any]:
    found = export_person(store, person_id)
    audit(principal, "person_export", _subjects(person_id), "exported" if found else "not_found")
    if found is None:
        raise _missing()
    return found


@router.delete(
    "/{person_id}",
    summary="Erase a person (GDPR Art. 17) and keep them out of re-imports, admin only",
    **m.typed(m.PersonErased),
)
def erase(
    person_id: str, principal: Admin, store: StoreDep, settings: SettingsDep
) -> dict[str, Any]:
    report = erase_person(store, person_id, settings.suppression_salt.get_secret_value())
    audit(
        principal, "person_erase", _subjects(person_id), "erased" if report.erased else "not_found"
    )
    if not report.erased:
        raise _missing()
    return {
        "person_id": person_id,
        "erased": True,
        "relationships_removed": report.relationships_removed,
        "suppressed_identifiers": report.suppressed_identifiers,
    }
