"""Errors as application/problem+json (RFC 9457), each failing field named by its JSON
pointer, in the language asked for (``lang`` or Accept-Language)."""

from __future__ import annotations

from typing import Any, get_args

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.datastructures import QueryParams

from app.core.answers import ErrorCode, FieldError
from app.core.text import LocalizedText, t
from app.core.vocabulary import Locale
from app.web.i18n import from_accept_language, parse_locale
from app.web.middleware import request_header

PROBLEM = "application/problem+json"


API_LOCALE = "api_locale"
"""``request.state`` key of the API's language, set by ``ApiGateMiddleware``."""


def api_language(
    query_string: bytes, accept_language: str | None, default: Locale = "fr"
) -> Locale:
    """The API's language: ``lang`` (a language tag: ``en``, ``fr-FR``), then Accept-Language,
    then the service's default (``CSMB_DEFAULT_LOCALE``, French unless set). No cookie:
    partners' calls carry none, and the site's own cookie must not change what a partner
    gets."""
    return (
        (parse_locale(QueryParams(query_string).get("lang")) if query_string else None)
        or from_accept_language(accept_language)
        or default
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


def json_pointer(*tokens: str | int) -> str:
    """RFC 6901: each reference token with ``~`` written ``~0`` and ``/`` written ``~1``."""
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def pointer_of(error: FieldError) -> str:
    """The answer in the body: the field, or the item of a list at fault."""
    if error.item is None:
        return json_pointer(error.field)
    return json_pointer(error.field, error.item)


def field_errors(errors: tuple[FieldError, ...], locale: Locale) -> list[dict[str, Any]]:
    return [
        {
            "pointer": pointer_of(e),
            "field": e.field,
            "code": e.code,
            "detail": e.message.in_(locale),
        }
        for e in errors
    ]


INVALID_ANSWERS = t("Réponses invalides", "Invalid answers")
INVALID_BODY = t("Corps de requête invalide", "Invalid request body")
INVALID_HEADER = t("En-tête de requête invalide", "Invalid request header")
NOT_AN_OBJECT = t(
    "Envoyez un objet JSON : les réponses, par identifiant de question.",
    "Send a JSON object: the answers, by question id.",
)
NOT_FOUND = t("Introuvable", "Not found")
NO_ASSESSMENT = t(
    "Aucune évaluation n'a ce jeton de partage : vérifiez le lien.",
    "No assessment has this share token: check the link.",
)
TOO_MANY = t("Trop de requêtes", "Too many requests")
TOO_MANY_DETAIL = t(
    "La limite d'appels par minute est atteinte : réessayez après le délai de Retry-After.",
    "The limit of calls a minute is reached: try again after the Retry-After delay.",
)
CONFLICT = t("Clé d'idempotence déjà utilisée", "Idempotency key already used")
CONFLICT_DETAIL = t(
    "Cette Idempotency-Key a déjà servi, dans les 24 dernières heures, pour d'autres réponses. "
    "Prenez une nouvelle clé pour une nouvelle évaluation.",
    "This Idempotency-Key was already used, in the last 24 hours, for other answers. Use a new "
    "key for a new assessment.",
)
GONE_DETAIL = t(
    "L'évaluation enregistrée avec cette Idempotency-Key n'est plus partagée sous son lien "
    "(supprimée, ou lien changé). Prenez une nouvelle clé pour l'enregistrer à nouveau.",
    "The assessment stored with this Idempotency-Key is no longer shared under its link "
    "(deleted, or its link changed). Use a new key to store it again.",
)
TOO_LARGE = t("Corps de requête trop volumineux", "Request body too large")
UNSUPPORTED_TYPE = t("Type de contenu non pris en charge", "Unsupported media type")
UNSUPPORTED_TYPE_DETAIL = t(
    "Envoyez les réponses en JSON, avec l'en-tête Content-Type: application/json.",
    "Send the answers as JSON, with the header Content-Type: application/json.",
)
BAD_IDEMPOTENCY_KEY = t(
    "L'en-tête Idempotency-Key doit compter de 1 à 200 caractères.",
    "The Idempotency-Key header must be 1 to 200 characters long.",
)


def too_large_detail(limit: int) -> LocalizedText:
    size_fr, size_en = (
        (f"{limit // 1024} Kio", f"{limit // 1024} KiB")
        if limit % 1024 == 0
        else (f"{limit} octets", f"{limit} bytes")
    )
    return t(
        "Un jeu de réponses tient en quelques kilo-octets ; ce service en accepte "
        f"{size_fr} au plus.",
        f"An answer set takes a few kilobytes; this service accepts at most {size_en}.",
    )


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A problem (RFC 9457), its texts in the language of `lang` or Accept-Language.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "`about:blank`: `status` says what it is."},
        "title": {"type": "string", "description": "What went wrong, in a few words."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong and what to do."},
        "errors": {
            "type": "array",
            "description": "On a 422: one entry per answer at fault.",
            "items": {
                "type": "object",
                "required": ["pointer", "field", "code", "detail"],
                "properties": {
                    "pointer": {
                        "type": "string",
                        "description": "JSON Pointer (RFC 6901) to the answer in the request "
                        "body: `/phone_fcr`, or `/agent_kpis/1` for an item of a list.",
                    },
                    "field": {"type": "string", "description": "The question id."},
                    "code": {
                        "enum": list(get_args(ErrorCode)),
                        "description": "What is wrong, for a program to act on.",
                    },
                    "detail": {"type": "string", "description": "What is wrong, for a person."},
                },
            },
        },
    },
}


def problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}


UNAUTHORIZED = t("Clé d'API inconnue ou révoquée", "Unknown or revoked API key")
UNAUTHORIZED_DETAIL = t(
    "La clé de l'en-tête X-API-Key n'existe pas ou a été révoquée. Sans clé, l'API répond aussi, "
    "avec une limite d'appels plus basse.",
    "The key in the X-API-Key header does not exist or was revoked. Without a key the API "
    "answers too, with a lower limit of calls.",
)
