"""The editing forms as ``GET /api/v1/schema/forms`` serves them: the schema's forms
(:mod:`scaleup_graph.graph_model.forms`) plus where each is sent.

The paths are the API's: they name this package's routes, so they live here and not in the
schema. A node made by a workflow step is created through that step's route (a challenge is
drafted with ``POST /api/v1/challenges``), with the step's inputs as the form's fields; a field
named in the path (``{challenge}``) is marked ``in_path``.

>>> made = forms_with_paths()
>>> org = next(f for f in made["nodes"] if f["label"] == "Organisation")
>>> org["create"], org["update"]["path"]
({'method': 'POST', 'path': '/api/v1/nodes/Organisation'}, '/api/v1/nodes/Organisation/{id}')
>>> proposal = next(f for f in made["nodes"] if f["label"] == "Proposal")
>>> proposal["create"]["path"], proposal["create"]["fields"][0]["in_path"]
('/api/v1/challenges/{challenge}/proposals', True)
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scaleup_graph.graph_model.forms import forms

__all__ = ["PREFIX", "forms_with_paths"]

PREFIX = "/api/v1"

#: The route of each workflow step that makes a node (graph_model.forms names the step).
_STEP_ROUTES = {
    "challenge_draft": f"{PREFIX}/challenges",
    "proposal_submit": f"{PREFIX}/challenges/{{challenge}}/proposals",
    "content_publish": f"{PREFIX}/content",
}
#: Further routes a workflow-made node's form offers.
_STEPS = {
    "Challenge": {
        "path": f"{PREFIX}/challenges/{{id}}/transitions",
        "round": f"{PREFIX}/challenges/{{id}}/round",
    },
}


def _node(form: dict[str, Any]) -> dict[str, Any]:
    label = form["label"]
    out = {k: v for k, v in form.items() if k not in ("workflow", "gdpr_erasure")}
    create: dict[str, Any] = {"method": "POST", "path": f"{PREFIX}/nodes/{label}"}
    if "workflow" in form:
        path = _STEP_ROUTES[form["workflow"]["step"]]
        create = {
            "method": "POST",
            "path": path,
            "fields": [
                {**f, "in_path": True} if "{" + f["name"] + "}" in path else f
                for f in form["workflow"]["fields"]
            ],
        }
    out["create"] = create
    out["update"] = {"method": "PUT", "path": f"{PREFIX}/nodes/{label}/{{id}}"}
    out["delete"] = {
        "method": "DELETE",
        "path": f"{PREFIX}/nodes/{label}/{{id}}",
        "gdpr_erasure": form["gdpr_erasure"],
    }
    if label in _STEPS:
        out["steps"] = _STEPS[label]
    return out


def _relationship(form: dict[str, Any]) -> dict[str, Any]:
    path = f"{PREFIX}/relationships/{form['type']}"
    return {
        **form,
        "create": {"method": "POST", "path": path},
        "update": {"method": "PUT", "path": path},
        "delete": {"method": "DELETE", "path": path},
    }


@cache
def forms_with_paths() -> dict[str, Any]:
    """Every form of :func:`scaleup_graph.graph_model.forms.forms` with the route it is sent
    to (``create``, ``update``, ``delete``; a challenge's ``steps``)."""
    schema = forms()
    return {
        **schema,
        "nodes": [_node(f) for f in schema["nodes"]],
        "relationships": [_relationship(f) for f in schema["relationships"]],
    }
