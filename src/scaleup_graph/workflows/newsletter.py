"""Newsletter-safe contact export: only persons whose consent list names the purpose.

The export holds personal data (names, e-mails), so callers must hold the ``contacts`` role and
record the purpose in the audit log (the API route does both). Persons without an e-mail
address cannot receive a newsletter and are counted, not listed.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from scaleup_graph.store import GraphStore
from scaleup_graph.workflows.errors import Invalid

__all__ = ["CSV_COLUMNS", "as_csv", "check_purpose", "newsletter_contacts"]

CSV_COLUMNS = ("id", "name", "email", "organisations")
_PURPOSE = re.compile(r"^[a-z][a-z0-9_\-]{0,49}$")
_CONSENTED = (
    "MATCH (p:Person) WHERE any(c IN coalesce(p.consent, []) WHERE toLower(c) = $purpose) "
    "OPTIONAL MATCH (p)-[:WORKS_AT]->(o:Organisation) "
    "RETURN p.id AS id, p.name AS name, p.email AS email, "
    "collect({id: o.id, name: o.name}) AS organisations ORDER BY p.id"
)


def check_purpose(purpose: str) -> str:
    """The purpose in lower case, or :class:`Invalid` saying how to write one.

    >>> check_purpose("Newsletter")
    'newsletter'
    """
    value = (purpose or "").strip().lower()
    if not _PURPOSE.match(value):
        raise Invalid(
            "purpose must name what the contacts are used for, as stored in persons' consent "
            "lists: one word of letters, digits, '-' or '_' (for example newsletter)",
            "purpose",
        )
    return value


def newsletter_contacts(store: GraphStore, purpose: str) -> dict[str, Any]:
    """Persons who consented to ``purpose``, with their e-mail and organisations.

    Returns
    -------
    dict
        ``{"purpose", "contacts": [...], "total", "without_email"}``
    """
    value = check_purpose(purpose)
    rows = store.read(_CONSENTED, {"purpose": value})
    contacts = [
        {**r, "organisations": [o for o in r["organisations"] if o["id"]]}
        for r in rows
        if r["email"]
    ]
    return {
        "purpose": value,
        "contacts": contacts,
        "total": len(contacts),
        "without_email": len(rows) - len(contacts),
    }


def as_csv(export: dict[str, Any]) -> str:
    """The export as CSV (UTF-8, comma) for a newsletter tool's import."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for c in export["contacts"]:
        orgs = "; ".join(o["name"] or o["id"] for o in c["organisations"])
        writer.writerow([c["id"], c["name"], c["email"], orgs])
    return buffer.getvalue()
