"""What every workflow write shares: today's date, dates given by callers, provenance.

Workflow writes carry the same provenance properties as ingest (``source``, ``ingest_run``,
``ingested_at``, ``updated_at``), so a node made through the API cannot be told apart from an
imported one except by its source.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from scaleup_graph.graph_model import VERSION, fold
from scaleup_graph.workflows.errors import Invalid

__all__ = ["node_props", "parse_date", "provenance", "today"]


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


def node_props(props: dict[str, Any], actor: str) -> dict[str, Any]:
    """``props`` with provenance and the folded search key of ``name`` (as store/ writes it),
    so nodes created here are found by the accent-insensitive search like imported ones.
    They start at ``version`` 1, as the store's writes do."""
    prov = provenance(actor)
    out = {**props, **prov, "updated_at": prov["ingested_at"], VERSION: 1}
    if isinstance(props.get("name"), str):
        out["name_fold"] = fold(props["name"])
    return out
