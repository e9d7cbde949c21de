"""The API's route class calls an endpoint of the Request alone as it is, and leaves every
other endpoint to FastAPI: nothing an endpoint declares (parameters, dependencies, a router's
or an inclusion's dependencies, a response model) is ever skipped. ``add_api_routes`` puts a
router's routes in the app's own list: the same routes, answering to the app's dependency
overrides as included ones do."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.testclient import TestClient
from starlette.responses import PlainTextResponse, Response

from app.api.routing import ApiRoute, add_api_routes

pytestmark = pytest.mark.integration


def refuse() -> None:
    raise HTTPException(status_code=403, detail="refused by a dependency")


class Boom(Exception):
    pass


async def plain(request: Request) -> Response:
    return PlainTextResponse(f"plain {request.method}")


async def failing(request: Request) -> Response:
    raise Boom


async def with_query(request: Request, n: int) -> Response:
    return PlainTextResponse(f"n={n}")


async def returns_dict(request: Request) -> dict[str, Any]:
    return {"ok": True}


def synchronous(request: Request) -> Response:
    return PlainTextResponse("sync")


def _app(router: APIRouter, **include: Any) -> TestClient:
    app = FastAPI()

    @app.exception_handler(Boom)
    async def boom(request: Request, exc: Boom) -> Response:
        return PlainTextResponse("handled", status_code=418)

    if include:
        app.include_router(router, **include)
    else:
        add_api_routes(app, router)
    return TestClient(app)


def _served_plainly(router: APIRouter, path: str) -> bool:
    route = next(r for r in router.routes if getattr(r, "path", None) == path)
    assert isinstance(route, ApiRoute)
    return route.served_plainly


def test_an_endpoint_of_the_request_alone_is_called_as_it_is() -> None:
    router = APIRouter(route_class=ApiRoute)
    router.add_api_route("/plain", plain, methods=["POST"])
    assert _served_plainly(router, "/plain")
    response = _app(router).post("/plain")
    assert (response.status_code, response.text) == (200, "plain POST")


def test_its_exceptions_reach_the_app_handlers() -> None:
    router = APIRouter(route_class=ApiRoute)
    router.add_api_route("/failing", failing, methods=["GET"])
    response = _app(router).get("/failing")
    assert (response.status_code, response.text) == (418, "handled")


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [(with_query, "n=3"), (returns_dict, '{"ok":true}'), (synchronous, "sync")],
)
def test_other_endpoints_keep_fastapi_handling(endpoint: Any, expected: str) -> None:
    router = APIRouter(route_class=ApiRoute)
    router.add_api_route("/x", endpoint, methods=["GET"])
    assert not _served_plainly(router, "/x")
    client = _app(router)
    response = client.get("/x", params={"n": "3"})
    assert (response.status_code, response.text) == (200, expected)
    if endpoint is with_query:  # FastAPI still validates the parameter
        assert client.get("/x", params={"n": "three"}).status_code == 422


def test_a_dependency_of_the_router_or_the_route_is_not_skipped() -> None:
    router = APIRouter(route_class=ApiRoute, dependencies=[Depends(refuse)])
    router.add_api_route("/plain", plain, methods=["POST"])
    other = APIRouter(route_class=ApiRoute)
    other.add_api_route("/plain", plain, methods=["POST"], dependencies=[Depends(refuse)])
    for declared in (router, other):
        assert not _served_plainly(declared, "/plain")
        assert _app(declared).post("/plain").status_code == 403


def test_a_dependency_added_at_inclusion_is_not_skipped() -> None:
    router = APIRouter(route_class=ApiRoute)
    router.add_api_route("/plain", plain, methods=["POST"])
    response = _app(router, dependencies=[Depends(refuse)]).post("/plain")
    assert response.status_code == 403
    assert _app(router, prefix="/p").post("/p/plain").text == "plain POST"


def test_add_api_routes_keeps_prefixes_order_and_the_schema() -> None:
    router = APIRouter(prefix="/v1", tags=["v1"], route_class=ApiRoute)
    router.add_api_route("/plain", plain, methods=["POST"], summary="Plain")
    router.add_api_route("/plain", synchronous, methods=["POST"], include_in_schema=False)
    router.add_api_route("/sync", synchronous, methods=["GET"], include_in_schema=False)
    app = FastAPI()
    add_api_routes(app, router)
    client = TestClient(app)
    assert client.post("/v1/plain").text == "plain POST"  # the first declared wins
    assert [getattr(r, "path", None) for r in app.routes][:3] == [
        "/v1/plain",
        "/v1/plain",
        "/v1/sync",
    ]
    assert client.get("/v1/sync").text == "sync"
    paths = client.get("/openapi.json").json()["paths"]
    assert set(paths) == {"/v1/plain"}
    operation = paths["/v1/plain"]["post"]
    assert (operation["summary"], operation["tags"]) == ("Plain", ["v1"])


def real_value() -> str:
    return "real"


async def reads_a_dependency(request: Request, value: str = Depends(real_value)) -> Response:
    return PlainTextResponse(value)


def test_each_app_gets_its_own_routes_with_its_dependency_overrides() -> None:
    router = APIRouter(route_class=ApiRoute)
    router.add_api_route("/value", reads_a_dependency, methods=["GET"])
    first, second = FastAPI(), FastAPI()
    add_api_routes(first, router)
    add_api_routes(second, router)
    first.dependency_overrides[real_value] = lambda: "override"
    assert TestClient(first).get("/value").text == "override"
    assert TestClient(second).get("/value").text == "real"


def test_add_api_routes_serves_api_routes_only() -> None:
    router = APIRouter()
    router.add_api_route("/sync", synchronous, methods=["GET"])
    with pytest.raises(TypeError):
        add_api_routes(FastAPI(), router)
