"""Dependencies shared by every route, as Annotated aliases."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from app.core.assessment import Assessor
from app.core.vocabulary import Locale
from app.services.assessment_service import assessor_for
from app.settings import Settings, get_settings


def settings_of(request: Request) -> Settings:
    """The settings the app was made with (``create_app`` keeps them on ``app.state``); the
    environment's for an app that keeps none. A plain attribute read, not a dependency
    override: with any override set FastAPI re-solves every dependency's signature per call."""
    settings: Settings | None = getattr(request.app.state, "settings", None)
    return settings if settings is not None else get_settings()


async def app_settings(request: Request) -> Settings:
    return settings_of(request)


SettingsDep = Annotated[Settings, Depends(app_settings)]


def assessor_of(request: Request) -> Assessor:
    """``assessor_for`` the app's reference data, kept on ``app.state`` once found: a plain
    read for each call, where the settings and the cache's key (a Path) cost a few µs on the
    API's busiest route."""
    state = request.app.state
    assessor: Assessor | None = getattr(state, "assessor", None)
    if assessor is None:
        assessor = state.assessor = assessor_for(settings_of(request).reference_data_dir)
    return assessor


async def get_assessor(request: Request) -> Assessor:
    # the settings read directly, not through SettingsDep: one dependency less to solve
    return assessor_of(request)


async def get_locale(request: Request) -> Locale:
    """Set by LocaleMiddleware from the user's choice, then Accept-Language."""
    locale: Locale = request.state.locale
    return locale


AssessorDep = Annotated[Assessor, Depends(get_assessor)]
LocaleDep = Annotated[Locale, Depends(get_locale)]


async def csrf_protect(request: Request) -> None:
    """A form POST must send back the token of its csrf cookie (double submit). Applied to
    every router with state-changing forms."""
    if request.method != "POST":
        return
    form = await request.form()  # cached on the request: the route reads it again for free
    sent = form.get("csrf")
    cookie = request.cookies.get("csrf")
    if not cookie or not isinstance(sent, str) or not secrets.compare_digest(sent, cookie):
        raise HTTPException(status_code=403, detail="Cross-site request refused.")
