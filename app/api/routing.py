"""How the API's routes are served.

``ApiRoute``: an endpoint that takes only the ``Request`` and returns a ``Response`` is called as
it is, as Starlette calls a plain Route's. FastAPI's request handler has nothing to do for such
an endpoint (no parameter to read, no dependency to solve, no response model to apply: a
returned Response is sent as it is), yet it cost POST /api/v1/score about 30 µs a call, a
seventh of the request (docs/BENCHMARKS.md). Every other endpoint keeps FastAPI's handler.
Exceptions, exception handlers and the OpenAPI schema are the same either way: they live around
the handler or in the route's definition. What such a route does without: FastAPI's own
telemetry spans (``FastAPI(telemetry=...)``, which this app does not turn on), and the
conversion of a returned value that is not a Response (mypy holds the endpoint to its declared
Response). Included the usual way (``include_router``, which may add dependencies), the routes
are served by what FastAPI builds for the inclusion: slower, never wrong.

``add_api_routes``: the router's routes in the app's own list rather than an included router,
which recent FastAPI (0.165 here) matches again below the app's on every request (about 18 µs
on the score).
"""

from __future__ import annotations

import copy
import inspect
import typing
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from fastapi.routing import request_response as fastapi_request_response
from starlette.responses import Response
from starlette.routing import request_response


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
    try:
        returns = typing.get_type_hints(endpoint).get("return")
    except (NameError, TypeError):  # an annotation only a type checker can resolve
        return False
    return inspect.isclass(returns) and issubclass(returns, Response)


class ApiRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        super().__init__(path, endpoint, **options)
        self.served_plainly = takes_only_the_request(self.dependant, endpoint) and not (
            options.get("max_body_size")
        )
        if self.served_plainly:
            # as Starlette serves a plain Route: FastAPI's wrapper adds two exit stacks for
            # dependencies with yield, and its handler reads parameters, solves dependencies and
            # applies a response model, none of which such an endpoint has
            self.app = request_response(endpoint)

    def served_by(self, app: FastAPI) -> ApiRoute:
        """A copy of the route for ``app``'s own list of routes, answering to the app's
        dependency overrides (``app.dependency_overrides``) as an included route does."""
        if getattr(self, "max_body_size", None) is not None:
            raise ValueError(f"{self.path}: add_api_routes cannot keep a route's own body limit")
        route = copy.copy(self)
        route.dependency_overrides_provider = app
        if not self.served_plainly:
            route.app = fastapi_request_response(route.get_route_handler())
        return route


def add_api_routes(app: FastAPI, router: APIRouter) -> None:
    """``app.include_router(router)`` for a router of ``ApiRoute`` routes, with no options at
    inclusion and no lifespan of its own: a router's prefix, tags, responses, dependencies and
    route class are applied to its routes as they are declared, so the app gets the same
    routes, each a copy of its own (``ApiRoute.served_by``). They go first in the app's list,
    before FastAPI's /openapi.json route too: an API call then tries only the API's routes (the
    schema lists the routes in their own order, and no other route matches /api/)."""
    served = []
    for route in router.routes:
        if not isinstance(route, ApiRoute):
            raise TypeError(f"{route!r}: add_api_routes serves ApiRoute routes only")
        served.append(route.served_by(app))
    app.router.routes[:0] = served
