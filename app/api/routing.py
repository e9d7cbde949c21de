"""The API's route class: an endpoint that takes only the ``Request`` and returns a ``Response``
is called as it is, as Starlette calls a plain Route's.

FastAPI's request handler has nothing to do for such an endpoint (no parameter to read, no
dependency to solve, no response model to apply: a returned Response is sent as it is), yet it
cost POST /api/v1/score about 30 µs a call, an eighth of the whole request (docs/BENCHMARKS.md).
Every other endpoint keeps FastAPI's handler. Exceptions, exception handlers, the body size
limit and the OpenAPI schema are the same either way: they live around the handler or in the
route's definition, not in the handler.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import routing as fastapi_routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import request_response

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


def _effective_dependant(route: APIRoute) -> Dependant:
    """The route's dependant as included: a router included with dependencies gives its routes
    a dependant of their own, which FastAPI passes to ``get_route_handler`` in a context
    variable (private; when it is gone, the route's own dependant is read, and
    ``tests/integration/test_api_routing.py`` fails if that misses an included dependency)."""
    context_var = getattr(fastapi_routing, "_effective_route_context_var", None)
    context = context_var.get() if context_var is not None else None
    if context is not None and getattr(context, "original_route", None) is route:
        dependant = getattr(context, "dependant", None)
        if isinstance(dependant, Dependant):
            return dependant
    return route.dependant


def takes_only_the_request(dependant: Dependant, endpoint: Callable[..., Any]) -> bool:
    """The endpoint is a coroutine function of the Request alone, declared to return a
    Response, and nothing (router, inclusion) adds a dependency to it."""
    if not inspect.iscoroutinefunction(endpoint) or dependant.request_param_name is None:
        return False
    if (
        dependant.path_params
        or dependant.query_params
        or dependant.header_params
        or dependant.cookie_params
        or dependant.body_params
        or dependant.dependencies
        or dependant.websocket_param_name
        or dependant.http_connection_param_name
        or dependant.response_param_name
        or dependant.background_tasks_param_name
        or dependant.security_scopes_param_name
    ):
        return False
    if len(inspect.signature(endpoint).parameters) != 1:
        return False
    returns = typing.get_type_hints(endpoint).get("return")
    return inspect.isclass(returns) and issubclass(returns, Response)


class ApiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        if takes_only_the_request(self.dependant, endpoint) and not options.get("max_body_size"):
            # served as Starlette serves a plain Route: FastAPI's wrapper adds two exit stacks
            # for dependencies with yield, which such an endpoint cannot have
            self.app = request_response(endpoint)

    def get_route_handler(self) -> Handler:
        if takes_only_the_request(_effective_dependant(self), self.endpoint):
            endpoint: Handler = self.endpoint
            return endpoint
        return super().get_route_handler()
