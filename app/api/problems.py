"""Errors as application/problem+json (RFC 9457), each failing field named by its JSON
pointer, in the language asked for (``lang`` or Accept-Language)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.datastructures import QueryParams

from app.core.answers import FieldError
from app.core.text import LocalizedText, t
from app.core.vocabulary import Locale
from app.web.i18n import from_accept_language, parse_locale
from app.web.middleware import request_header

PROBLEM = "application/problem+json"


API_LOCALE = "api_locale"
"""``request.state`` key of the API's language, set by ``ApiGateMiddleware``."""


def api_language(query_string: bytes, accept_language: str | None) -> Locale:
    """The API's language: ``lang``, then Accept-Language, then French (no cookie: partners'
    calls carry none, and the site's own cookie must not change what a partner gets)."""
    return (
        (parse_locale(QueryParams(query_string).get("lang")) if query_string else None)
        or from_accept_language(accept_language)
        or "fr"
    )


def api_locale(request: Request) -> Locale:
    """``api_language`` of the request, as the gate found it (the API's routes are behind it)."""
    scope = request.scope
    known: Locale | None = scope.get("state", {}).get(API_LOCALE)
    if known is not None:
        return known
    return api_language(scope["query_string"], request_header(scope, b"accept-language"))


def problem(
    request: Request,
    status: int,
    title: LocalizedText,
    detail: LocalizedText | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    locale = api_locale(request)
    body: dict[str, Any] = {"type": "about:blank", "title": title.in_(locale), "status": status}
    if detail is not None:
        body["detail"] = detail.in_(locale)
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def field_errors(errors: tuple[FieldError, ...], locale: Locale) -> list[dict[str, Any]]:
    return [
        {
            "pointer": f"/{e.field}",
            "field": e.field,
            "code": e.code,
            "detail": e.message.in_(locale),
        }
        for e in errors
    ]


INVALID_ANSWERS = t("Réponses invalides", "Invalid answers")
INVALID_BODY = t("Corps de requête invalide", "Invalid request body")
NOT_FOUND = t("Introuvable", "Not found")
TOO_MANY = t("Trop de requêtes", "Too many requests")
CONFLICT = t("Clé d'idempotence déjà utilisée", "Idempotency key already used")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["pointer", "field", "code", "detail"],
                "properties": {
                    "pointer": {"type": "string"},
                    "field": {"type": "string"},
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                },
            },
        },
    },
}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}


UNAUTHORIZED = t("Clé d'API inconnue ou révoquée", "Unknown or revoked API key")
