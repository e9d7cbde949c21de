"""/api/v1: the questionnaire, scoring, stored assessments and the reference figures.

Answers are the questionnaire's stable ids with typed values (booleans, integers, option ids,
lists): the same validation as the web pages, strict about types. The score is exactly what
the result page shows."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from app.api import responses
from app.api.problems import (
    CONFLICT,
    INVALID_ANSWERS,
    INVALID_BODY,
    NOT_FOUND,
    api_locale,
    field_errors,
    problem,
    problem_response,
)
from app.api.rendering import FastJSONResponse, loads_json
from app.api.routing import ApiRoute
from app.api.schema import answers_json_schema, questionnaire_payload
from app.core.answers import InvalidAnswers, PartialAnswers, validate_partial_answers
from app.core.text import t
from app.services import assessments
from app.services.result_payload import result_json
from app.services.tokens import digest
from app.storage.tables import IdempotentRequest
from app.web.assessment import SessionDep
from app.web.deps import AssessorDep, assessor_of

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
    400: problem_response("The body is not a JSON object."),
    422: problem_response("Some answers are invalid: one error per field, with its JSON pointer."),
}


async def _answers(request: Request) -> PartialAnswers | JSONResponse:
    body = loads_json(await request.body())
    if not isinstance(body, dict):
        return problem(
            request,
            400,
            INVALID_BODY,
            detail=t(
                "Envoyez un objet JSON : les réponses, par identifiant de question.",
                "Send a JSON object: the answers, by question id.",
            ),
        )
    try:
        return validate_partial_answers(body)
    except InvalidAnswers as invalid:
        return problem(
            request, 422, INVALID_ANSWERS, errors=field_errors(invalid.errors, api_locale(request))
        )


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


@router.post(
    "/assessments",
    summary="Score and store an answer set",
    status_code=201,
    openapi_extra=ANSWERS_BODY,
    responses={
        **ERRORS,
        201: responses.json_response("Stored: the result and its links", responses.CREATED),
        409: problem_response("The Idempotency-Key was used for another body."),
    },
)
async def create_assessment(
    request: Request,
    session: SessionDep,
    assessor: AssessorDep,
    idempotency_key: str | None = Header(default=None, max_length=200),
) -> Response:
    body = await request.body()
    address = request.client.host if request.client else "unknown"
    owner = getattr(request.state, "partner_id", None) or f"anonymous:{address}"
    key_hash = digest(f"{owner}:{idempotency_key}") if idempotency_key else None
    body_hash = hashlib.sha256(body).hexdigest()
    if key_hash is not None:
        previous = session.get(IdempotentRequest, key_hash)
        if previous is not None and _expired(previous):
            session.delete(previous)
            session.commit()
            previous = None
        if previous is not None:
            if previous.body_hash != body_hash:
                return problem(request, 409, CONFLICT)
            return JSONResponse(previous.response, status_code=previous.status)
    answers = await _answers(request)
    if isinstance(answers, JSONResponse):
        return answers
    locale = api_locale(request)
    result = assessor.assess(answers.answers)
    created = assessments.store(
        session, result, assessor.reference, answers.answers.to_text(), locale
    )
    base = str(request.base_url)
    payload: dict[str, Any] = {
        "replayed": False,
        "share_url": f"{base}r/{created.share_token}",
        "share_token": created.share_token,
        "manage_url": f"{base}m/{created.manage_secret}",
        "manage_secret": created.manage_secret,
        "result": assessments.api_payload_of(created.assessment, locale),
        "ignored_answers": field_errors(answers.set_aside, locale),
    }
    if key_hash is not None:
        _remember(session, key_hash, body_hash, payload)
    return FastJSONResponse(payload, status_code=201)


IDEMPOTENCY_WINDOW = timedelta(hours=24)


def _expired(previous: IdempotentRequest) -> bool:
    created = previous.created_at
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    return created < datetime.now(UTC) - IDEMPOTENCY_WINDOW


def _remember(session: Session, key_hash: str, body_hash: str, payload: dict[str, Any]) -> None:
    """Keeps the first answer for 24 hours, without the manage secret: a retry gets the same
    assessment and share link, and the private link only ever travels once."""
    kept = {**payload, "manage_url": None, "manage_secret": None, "replayed": True}
    session.add(
        IdempotentRequest(key_hash=key_hash, body_hash=body_hash, status=201, response=kept)
    )
    session.commit()


@router.get(
    "/assessments/{share_token}",
    summary="A stored result, as it was computed",
    responses={
        200: responses.json_response("The stored result", responses.RESULT),
        404: problem_response("No assessment has this share token."),
        422: problem_response("The request is malformed."),
    },
)
def get_assessment(share_token: str, request: Request, session: SessionDep) -> Response:
    assessment = assessments.by_share(session, share_token)
    if assessment is None:
        return problem(request, 404, NOT_FOUND)
    return FastJSONResponse(assessments.api_payload_of(assessment, api_locale(request)))


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
