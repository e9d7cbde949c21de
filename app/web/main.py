"""The ASGI application: ``uvicorn app.web.main:app``."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlmodel import Session

from app.api import v1 as api_v1
from app.api.openapi import DESCRIPTION, add_response_examples
from app.api.partner import ApiGateMiddleware
from app.api.routing import add_api_routes
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
        **telemetry_options(settings),
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
        default_locale=settings.default_locale,
        max_body_bytes=settings.api_max_body_bytes,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # the API first, in the app's own list (add_api_routes): no other route matches /api/
    add_api_routes(app, api_v1.router)
    app.include_router(static.router)
    app.include_router(health.router)
    app.include_router(pages.router)
    app.include_router(assessment.router)
    app.include_router(results.router)
    app.include_router(embed.router)
    app.include_router(workspaces.router)
    app.include_router(api_docs.router)
    errors.register(app)
    add_response_examples(app, lambda: assessor_for(settings.reference_data_dir))
    return app


def telemetry_options(settings: Settings) -> dict[str, Any]:
    """FastAPI's native OpenTelemetry, on or off as ``settings.opentelemetry`` says (a FastAPI
    without it takes no option)."""
    if "telemetry" not in inspect.signature(FastAPI.__init__).parameters:
        return {}
    on = settings.opentelemetry
    return {"telemetry": {"tracing": on, "metrics": on, "logs": on}}


app = create_app()
