"""Dependencies shared by every route, as Annotated aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.core.assessment import Assessor
from app.core.vocabulary import Locale
from app.services.assessment_service import assessor_for
from app.settings import Settings, get_settings

SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_assessor(settings: SettingsDep) -> Assessor:
    return assessor_for(settings.reference_data_dir)


def get_locale(request: Request) -> Locale:
    """Set by LocaleMiddleware from the user's choice, then Accept-Language."""
    locale: Locale = request.state.locale
    return locale


AssessorDep = Annotated[Assessor, Depends(get_assessor)]
LocaleDep = Annotated[Locale, Depends(get_locale)]
