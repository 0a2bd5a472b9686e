"""A route class whose simple routes skip FastAPI's general dependency solver.

FastAPI solves a route's parameters per request with one general walk (sub-dependencies,
caches, scopes, each kind of parameter validated through pydantic): about 0.07 ms of the
organisation detail's 0.16 ms of CPU in our stack (bench/README.md, fifth part of issue 14).
For a route of one simple shape the same values come from a few dictionary reads:

- every parameter is a path parameter declared as a plain ``str`` (no constraint: FastAPI's
  validation passes the matched text through unchanged) or a dependency;
- every dependency is a coroutine function of the request alone (``require_role``,
  ``get_store``), without dependencies of its own;
- the endpoint is a coroutine that answers a ``Response`` (:func:`~scaleup_graph.api.deps.
  on_loop`, :func:`~scaleup_graph.api.deps.threaded`), so FastAPI would not serialise it.

Such a route calls its dependencies in the declared order, each once (FastAPI's cache), then
the endpoint with the same keyword arguments; whatever they raise goes to the same exception
handlers. Any other route, and every request while ``app.dependency_overrides`` is set (tests),
takes FastAPI's own handler. The OpenAPI document is built from the same ``Dependant`` and does
not change.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response, routing
from fastapi.dependencies.models import Dependant

__all__ = ["ANSWERS_RESPONSE", "LeanRoute"]

#: set on an endpoint wrapper that always answers a Response (deps.on_loop, deps.threaded)
ANSWERS_RESPONSE = "__scaleup_answers_response__"

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _plain_dependency(sub: Dependant) -> bool:
    return (
        sub.call is not None
        and inspect.iscoroutinefunction(sub.call)
        and sub.name is not None
        and sub.request_param_name is not None
        and not (
            sub.path_params
            or sub.query_params
            or sub.header_params
            or sub.cookie_params
            or sub.body_params
            or sub.dependencies
            or sub.websocket_param_name
            or sub.http_connection_param_name
            or sub.response_param_name
            or sub.background_tasks_param_name
            or sub.security_scopes_param_name
            or sub.own_oauth_scopes
        )
    )


def _plain_path(field: Any) -> bool:
    info = field.field_info
    return info.annotation is str and not info.metadata and field.alias == field.name


def lean_plan(dependant: Dependant) -> tuple[list[tuple[str, Any]], list[str]] | None:
    """``(dependencies as (parameter, call), path parameter names)`` if the route has the
    simple shape, else None."""
    call = dependant.call
    if (
        call is None
        or not getattr(call, ANSWERS_RESPONSE, False)
        or not inspect.iscoroutinefunction(call)
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.request_param_name
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
        or not all(_plain_path(f) for f in dependant.path_params)
        or not all(_plain_dependency(sub) for sub in dependant.dependencies)
    ):
        return None
    calls = [(str(sub.name), sub.call) for sub in dependant.dependencies]
    if len({id(c) for _, c in calls}) != len(calls):  # the cache would be needed
        return None
    return calls, [f.name for f in dependant.path_params]


class LeanRoute(routing.APIRoute):
    """An :class:`~fastapi.routing.APIRoute` that solves a simple route's parameters itself
    (see the module's text); every other route behaves as FastAPI's."""

    def get_route_handler(self) -> Handler:
        full = super().get_route_handler()
        dependant = self.dependant
        provider = self.dependency_overrides_provider
        # an included route is built per inclusion (FastAPI 0.16x): use that inclusion's view
        context_var = getattr(routing, "_effective_route_context_var", None)
        context = context_var.get() if context_var is not None else None
        if context is not None and getattr(context, "original_route", None) is self:
            dependant = context.dependant
            provider = context.dependency_overrides_provider
        try:
            plan = lean_plan(dependant)
        except AttributeError:  # a FastAPI whose Dependant is shaped otherwise: its own path
            plan = None
        if plan is None:
            return full
        calls, names = plan
        endpoint = dependant.call
        assert endpoint is not None

        async def lean(request: Request) -> Response:
            if provider is not None and getattr(provider, "dependency_overrides", None):
                return await full(request)
            values: dict[str, Any] = {}
            for name, call in calls:
                values[name] = await call(request)
            path = request.scope["path_params"]
            for name in names:
                values[name] = path[name]
            response: Response = await endpoint(**values)
            return response

        return lean
