"""/api/v1: the questionnaire, scoring, stored assessments and the reference figures.

Answers are the questionnaire's stable ids with typed values (booleans, integers, option ids,
lists): the same validation as the web pages, strict about types. The score is exactly what
the result page shows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from app.api import responses
from app.api.problems import (
    BAD_IDEMPOTENCY_KEY,
    CONFLICT,
    CONFLICT_DETAIL,
    GONE_DETAIL,
    INVALID_ANSWERS,
    INVALID_BODY,
    INVALID_HEADER,
    NO_ASSESSMENT,
    NOT_AN_OBJECT,
    NOT_FOUND,
    UNSUPPORTED_TYPE,
    UNSUPPORTED_TYPE_DETAIL,
    api_locale,
    field_errors,
    problem,
    problem_response,
)
from app.api.rendering import FastJSONResponse, loads_json
from app.api.routing import ApiRoute
from app.api.schema import answers_json_schema, questionnaire_payload
from app.core.answers import InvalidAnswers, PartialAnswers, validate_partial_answers
from app.services import assessments, idempotency
from app.services.result_payload import result_json
from app.storage.tables import IdempotentRequest
from app.web.assessment import SessionDep
from app.web.deps import AssessorDep, assessor_of
from app.web.middleware import request_header

router = APIRouter(
    prefix="/api/v1",
    tags=["v1"],
    route_class=ApiRoute,
    responses={
        401: problem_response("The X-API-Key header names no active key."),
        429: problem_response("Too many calls for this key (or this address): see Retry-After."),
    },
)

EXAMPLE_ANSWERS: dict[str, Any] = {
    "sector": "retail_consumer_goods",
    "business_model": "b2c",
    "headcount": "200_to_999",
    "monthly_volume": "1k_to_8k",
    "phone_open": True,
    "phone_delay": "lt_2min",
    "email_open": True,
    "email_delay": "lt_24h",
    "mail_open": False,
    "chat_open": False,
    "social_open": False,
    "whatsapp_open": False,
    "selfcare": False,
    "phone_aht": "5_10min",
    "email_aht": "10_60min",
    "phone_fcr": 70,
    "email_fcr": "dont_know",
    "satisfaction_measured": "sometimes",
    "satisfaction_indicators": ["nps"],
    "nps_value": 35,
    "contact_reasons_analysed": True,
    "verbatims_analysed": False,
    "orientation_satisfaction_goal": 4,
    "orientation_customer_understanding": 4,
    "orientation_value_creation": 4,
    "orientation_relationship_key": 4,
    "complaint_share": "30_50pct",
    "complaint_opportunity": 4,
    "channel_strategy": "multi_silo",
    "outsourcing": "partial",
    "software": "in_house",
    "engagement_measures": ["satisfaction_survey"],
    "agent_kpis": ["customer_satisfaction"],
}

EXAMPLE_PARTIAL_ANSWERS: dict[str, Any] = {
    **{k: v for k, v in EXAMPLE_ANSWERS.items() if k not in ("phone_aht", "email_fcr")},
    "mail_delay": "3_7d",
}

ANSWERS_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": answers_json_schema(),
                "examples": {
                    "phone_and_email": {
                        "summary": "A retailer answering by phone and email",
                        "value": EXAMPLE_ANSWERS,
                    },
                    "partial": {
                        "summary": "Conditional answers left out, one that does not apply",
                        "description": "phone_aht and email_fcr are left out (scored as "
                        "unanswered); mail_delay does not apply (mail_open is false): it is "
                        "ignored and listed in ignored_answers.",
                        "value": EXAMPLE_PARTIAL_ANSWERS,
                    },
                },
            }
        },
    }
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: problem_response("The body is not a JSON object, or a header is malformed."),
    413: problem_response("The body is larger than the service reads (64 KiB by default)."),
    415: problem_response("The body is not sent as application/json."),
    422: problem_response("Some answers are invalid: one error per field, with its JSON pointer."),
}


def _is_json(content_type: str | None) -> bool:
    """``application/json``, or a ``+json`` type, with any parameters (``; charset=utf-8``)."""
    if content_type is None:
        return False
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


async def _body(request: Request) -> dict[str, Any] | JSONResponse:
    """The JSON object sent, or the problem to answer. Only JSON is read: a form or text/plain
    body (which a page on any site could make a browser send without asking first) is
    refused before it is parsed."""
    if not _is_json(request_header(request.scope, b"content-type")):
        return problem(request, 415, UNSUPPORTED_TYPE, UNSUPPORTED_TYPE_DETAIL)
    body = loads_json(await request.body())
    if not isinstance(body, dict):
        return problem(request, 400, INVALID_BODY, NOT_AN_OBJECT)
    return body


def _validated(request: Request, body: dict[str, Any]) -> PartialAnswers | JSONResponse:
    try:
        return validate_partial_answers(body)
    except InvalidAnswers as invalid:
        return problem(
            request, 422, INVALID_ANSWERS, errors=field_errors(invalid.errors, api_locale(request))
        )


async def _answers(request: Request) -> PartialAnswers | JSONResponse:
    body = await _body(request)
    return body if isinstance(body, JSONResponse) else _validated(request, body)


@router.get(
    "/questionnaire",
    summary="The questionnaire: ids, kinds, options, labels, conditions",
    responses={200: responses.json_response("The questionnaire", responses.QUESTIONNAIRE)},
)
def questionnaire() -> dict[str, Any]:
    return questionnaire_payload()


@router.post(
    "/score",
    summary="Score an answer set (stores nothing)",
    openapi_extra=ANSWERS_BODY,
    responses={**ERRORS, 200: responses.json_response("The result", responses.SCORE)},
)
async def score(request: Request) -> Response:
    answers = await _answers(request)
    if isinstance(answers, JSONResponse):
        return answers
    # the assessor read directly rather than through AssessorDep: a route of the Request alone
    # skips FastAPI's request handling (app/api/routing.py), ~30 µs on this busiest route
    locale = api_locale(request)
    result = assessor_of(request).assess(answers.answers)
    ignored = {"ignored_answers": field_errors(answers.set_aside, locale)}
    return Response(result_json(result, locale, ignored), media_type="application/json")


IDEMPOTENCY_KEY: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "Any string of 1 to 200 characters that the caller makes up for this "
    "assessment (a UUID, say). A POST retried with the same key and the same answers within "
    "24 hours stores nothing more: it answers 201 with the assessment the first one stored "
    "(`replayed: true`, without the manage secret, which only travels once), in the language "
    "the retry asks for. The same key with other answers: 409. Keys are per partner key (or per "
    "address without one). Answers are compared as JSON, not as bytes.",
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


@router.post(
    "/assessments",
    summary="Score and store an answer set",
    status_code=201,
    openapi_extra={**ANSWERS_BODY, "parameters": [IDEMPOTENCY_KEY]},
    responses={
        **ERRORS,
        201: responses.json_response(
            "Stored: the result and its links",
            responses.CREATED,
            headers={
                "Location": {
                    "description": "The stored result in the API",
                    "schema": {"type": "string"},
                }
            },
        ),
        409: problem_response(
            "The Idempotency-Key was used for other answers, or the assessment it stored is no "
            "longer shared under its link (deleted, or its link changed)."
        ),
    },
)
async def create_assessment(
    request: Request, session: SessionDep, assessor: AssessorDep
) -> Response:
    idempotency_key = request_header(request.scope, b"idempotency-key")
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 200:
        return problem(request, 400, INVALID_HEADER, BAD_IDEMPOTENCY_KEY)
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    address = request.client.host if request.client else "unknown"
    owner = getattr(request.state, "partner_id", None) or f"anonymous:{address}"
    key = idempotency.record_id(owner, idempotency_key) if idempotency_key else None
    # the answers as JSON, not as bytes: another serialiser's spacing or key order is the
    # same request
    body_hash = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
    if key is not None and idempotency_key is not None:
        previous = idempotency.previous(session, key)
        if previous is not None:
            return _replay(request, session, previous, body, body_hash, owner, idempotency_key)
    answers = _validated(request, body)
    if isinstance(answers, JSONResponse):
        return answers
    locale = api_locale(request)
    result = assessor.assess(answers.answers)
    base = str(request.base_url)

    remember: Callable[[str], IdempotentRequest] | None = None
    if key is not None and idempotency_key is not None:
        record_key, raw_key = key, idempotency_key

        def remember(share_token: str) -> IdempotentRequest:
            # a retry gets the assessment rendered anew, in its language, never the secret
            return idempotency.record(record_key, body_hash, share_token, owner, raw_key)

    try:
        created = assessments.store(
            session,
            result,
            assessor.reference,
            answers.answers.to_text(),
            locale,
            remember=remember,
        )
    except assessments.AlreadyStored:  # a concurrent retry with the same key stored first
        previous = session.get(IdempotentRequest, key)
        if previous is None or idempotency_key is None:  # expired in between: retryable
            raise
        return _replay(request, session, previous, body, body_hash, owner, idempotency_key)
    payload: dict[str, Any] = {
        "replayed": False,
        "share_url": f"{base}r/{created.share_token}",
        "share_token": created.share_token,
        "manage_url": f"{base}m/{created.manage_secret}",
        "manage_secret": created.manage_secret,
        "result": assessments.api_payload_of(created.assessment, locale, assessor.reference),
        "ignored_answers": field_errors(answers.set_aside, locale),
    }
    return FastJSONResponse(
        payload, status_code=201, headers=_created_headers(request, created.share_token)
    )


def _created_headers(request: Request, share_token: str) -> dict[str, str]:
    # the 201 carries the manage secret: no cache may keep it
    location = f"{request.base_url}api/v1/assessments/{share_token}"
    return {"Location": location, "Cache-Control": "no-store"}


def _replay(
    request: Request,
    session: Session,
    previous: IdempotentRequest,
    body: dict[str, Any],
    body_hash: str,
    owner: str,
    idempotency_key: str,
) -> Response:
    """The answer to a retry: the assessment the first request stored, in the language this
    one asks for, or a 409 when the key was used for other answers."""
    if previous.body_hash != body_hash:
        return problem(request, 409, CONFLICT, CONFLICT_DETAIL)
    answers = _validated(request, body)
    if isinstance(answers, JSONResponse):  # the questionnaire changed since: say why
        return answers
    share_token = idempotency.share_token_of(previous, owner, idempotency_key) or ""
    assessment = assessments.by_share(session, share_token)
    if assessment is None:
        return problem(request, 409, CONFLICT, GONE_DETAIL)
    locale = api_locale(request)
    payload = {
        "replayed": True,
        "share_url": f"{request.base_url}r/{share_token}",
        "share_token": share_token,
        "manage_url": None,
        "manage_secret": None,
        "result": assessments.api_payload_of(assessment, locale, assessor_of(request).reference),
        "ignored_answers": field_errors(answers.set_aside, locale),
    }
    return FastJSONResponse(
        payload, status_code=previous.status, headers=_created_headers(request, share_token)
    )


@router.get(
    "/assessments/{share_token}",
    summary="A stored result, as it was computed",
    responses={
        200: responses.json_response("The stored result", responses.RESULT),
        404: problem_response("No assessment has this share token."),
        422: problem_response("The request is malformed."),
    },
)
def get_assessment(
    share_token: str, request: Request, session: SessionDep, assessor: AssessorDep
) -> Response:
    assessment = assessments.by_share(session, share_token)
    if assessment is None:
        return problem(request, 404, NOT_FOUND, NO_ASSESSMENT)
    # whoever holds the link may read it, but no shared cache should keep a copy
    return FastJSONResponse(
        assessments.api_payload_of(assessment, api_locale(request), assessor.reference),
        headers={"Cache-Control": "private, no-store"},
    )


@router.get(
    "/benchmarks",
    summary="The reference figures, with their sources and edition",
    responses={200: responses.json_response("The reference figures", responses.BENCHMARKS)},
)
def benchmarks(assessor: AssessorDep) -> dict[str, Any]:
    return {
        "edition": assessor.reference.edition,
        "benchmarks": assessor.reference.benchmarks.model_dump(mode="json"),
    }
