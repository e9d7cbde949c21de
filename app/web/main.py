"""The ASGI application: ``uvicorn app.web.main:app``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from sqlmodel import Session

from app.api import v1 as api_v1
from app.api.openapi import DESCRIPTION, add_response_examples
from app.api.partner import ApiGateMiddleware
from app.services import drafts
from app.services.assessment_service import assessor_for
from app.settings import Settings, get_settings
from app.storage.db import engine_for
from app.web import (
    api_docs,
    assessment,
    embed,
    errors,
    health,
    pages,
    results,
    static,
    workspaces,
)
from app.web import logging as access_logs
from app.web.middleware import (
    CompressionMiddleware,
    CsrfMiddleware,
    LocaleMiddleware,
    SecurityHeadersMiddleware,
)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    access_logs.install()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Load and validate the reference data, and migrate the database, before serving: bad
        # data or an unreachable database stops the start instead of failing on a page.
        assessor_for(settings.reference_data_dir)
        with Session(engine_for(settings.database_url)) as session:
            drafts.purge_expired(session)
        yield

    app = FastAPI(
        title="Customer-service maturity benchmark",
        description=DESCRIPTION,
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings  # read through deps.settings_of (SettingsDep and the API)
    # the last added runs first: the security headers wrap everything, the API's refusals
    # (401, 429) included; the gate answers those before the rest of the site's middleware
    app.add_middleware(CompressionMiddleware, minimum_size=500)
    app.add_middleware(CsrfMiddleware, secure=settings.secure_cookies)
    app.add_middleware(
        LocaleMiddleware, default=settings.default_locale, cookie=settings.locale_cookie
    )
    app.add_middleware(
        ApiGateMiddleware,
        database_url=settings.database_url,
        anonymous_rate=settings.anonymous_api_rate_per_minute,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # the API first: no other route matches /api/, and each request then tries two routes,
    # not the whole site's, before it finds its own
    add_routes(
        app,
        api_v1.router,
        static.router,
        health.router,
        pages.router,
        assessment.router,
        results.router,
        embed.router,
        workspaces.router,
        api_docs.router,
    )
    errors.register(app)
    add_response_examples(app, lambda: assessor_for(settings.reference_data_dir))
    return app


def add_routes(app: FastAPI, *routers: APIRouter) -> None:
    """``app.include_router(router)`` for each, with the routers' own routes put in the app's
    list. A router's prefix, tags, dependencies and route class are applied to its routes as
    they are declared, so with no options at inclusion the routes are the same. But in recent
    FastAPI (0.165 here) an included router stays a router of its own, matched again on each
    request below the app's: that cost POST /api/v1/score about 18 µs a call, near a tenth of
    it (docs/BENCHMARKS.md)."""
    for router in routers:
        app.router.routes.extend(router.routes)


app = create_app()
