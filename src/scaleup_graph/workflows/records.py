"""What every workflow write shares: today's date, dates given by callers, provenance, and the
node history entry the step writes in its own statement.

Workflow writes carry the same provenance properties as ingest (``source``, ``ingest_run``,
``ingested_at``, ``updated_at``), so a node made through the API cannot be told apart from an
imported one except by its source.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from scaleup_graph.queries.edits import Actor, history_entry, now_iso
from scaleup_graph.store import created_properties
from scaleup_graph.workflows.errors import Invalid

__all__ = ["node_props", "parse_date", "provenance", "step_history", "today"]


def today() -> str:
    """Today's date (UTC) as ``YYYY-MM-DD``."""
    return dt.datetime.now(dt.UTC).date().isoformat()


def parse_date(value: str | None, field: str = "date") -> str:
    """An ISO date (``YYYY-MM-DD``), defaulting to today; :class:`Invalid` otherwise.

    >>> parse_date("2022-09-22")
    '2022-09-22'
    """
    if value is None or value == "":
        return today()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        raise Invalid(f"{field} is not a date: write it as YYYY-MM-DD", field) from None


def provenance(actor: str) -> dict[str, Any]:
    """Provenance of a write made by ``actor`` (an API key id or ``cli``)."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {"source": f"workflow:{actor}", "ingest_run": f"workflow-{actor}", "ingested_at": now}


def node_props(label: str, props: dict[str, Any], actor: str) -> dict[str, Any]:
    """The properties of a node a workflow creates: the store's write path makes them
    (:func:`scaleup_graph.store.created_properties`: search keys, provenance, version), so
    these nodes are found by the search and dated like imported ones."""
    return created_properties(label, props, provenance(actor))


def step_history(
    by: Actor | None,
    label: str,
    node_id: str,
    action: str,
    fields: Mapping[str, tuple[Any, Any]],
) -> list[dict[str, Any]]:
    """The history entry of a workflow step made by ``by`` (none without a writer, as from the
    CLI): written by the step's own statement (``store.cypher.history_foreach``), so the step
    and its entry land together or not at all. ``fields``: name -> (old, new)."""
    if by is None:
        return []
    changed = {k: pair for k, pair in fields.items() if pair[0] != pair[1]}
    return [
        history_entry(
            node_id,
            label,
            action,
            by,
            at=now_iso(),
            change=uuid.uuid4().hex,
            version=None,
            fields=changed,
        )
    ]
