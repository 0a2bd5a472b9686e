"""Pydantic models generated from the schema, one pair per label: with and without personal data.

The ``public`` variant leaves personal fields out of the model itself, not merely null. The API
documents its node records with them (``api/models.py``: the organisation of
``GET /organisations/{id}`` and the person of ``GET /persons/{id}`` are ``node_model(...,
with_pii=True)``, every personal field optional, since a role that may not see them gets none).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from scaleup_graph.graph_model.schema import NODE_TYPES, Property, PropType

__all__ = ["node_model", "python_type"]

_PY: dict[PropType, Any] = {
    PropType.INT: int,
    PropType.FLOAT: float,
    PropType.BOOL: bool,
    PropType.STR_LIST: list[str],
}


def python_type(prop: Property) -> Any:
    return _PY.get(prop.type, str)


@cache
def node_model(label: str, *, with_pii: bool) -> type[BaseModel]:
    """The response model of a node of ``label``; personal fields only when ``with_pii``.

    >>> "email" in node_model("Person", with_pii=True).model_fields
    True
    >>> "email" in node_model("Person", with_pii=False).model_fields
    False
    """
    nt = NODE_TYPES[label]
    fields: dict[str, Any] = {}
    for prop in nt.all_properties:
        if prop.pii and not with_pii:
            continue
        typ = python_type(prop)
        fields[prop.name] = (typ, ...) if prop.name == "id" else (typ | None, None)
    suffix = "" if with_pii else "Public"
    model: type[BaseModel] = create_model(
        f"{label}{suffix}",
        __config__=ConfigDict(extra="ignore"),
        **fields,
    )
    model.__doc__ = nt.description
    return model
