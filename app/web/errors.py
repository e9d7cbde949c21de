"""Domain errors mapped to HTTP responses, in one place."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from app.core.answers import InvalidAnswers
from app.core.vocabulary import Locale
from app.services.result_payload import errors_payload
from app.web.i18n import parse_locale


async def invalid_answers(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidAnswers)  # noqa: S101 - registered for this type only
    locale: Locale = parse_locale(getattr(request.state, "locale", None)) or "fr"
    return JSONResponse(
        status_code=422,
        media_type="application/problem+json",
        content={
            "type": "about:blank",
            "title": "Invalid answers" if locale == "en" else "Réponses invalides",
            "status": 422,
            "errors": [
                {**e, "pointer": f"/{e['field']}"} for e in errors_payload(exc.errors, locale)
            ],
        },
    )


def register(app: FastAPI) -> None:
    app.add_exception_handler(InvalidAnswers, invalid_answers)
