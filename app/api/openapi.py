"""What the generated OpenAPI document cannot know: the parameters and headers of the API's
gate (app/api/partner.py), stable operation ids, and response examples computed by the API
itself when the document is first built (from the request examples, the live payloads and the
problem texts): they are what the API answers, never a copy that drifts."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request

from app.api import v1
from app.api.problems import (
    API_LOCALE,
    CONFLICT,
    CONFLICT_DETAIL,
    INVALID_ANSWERS,
    INVALID_BODY,
    NO_ASSESSMENT,
    NOT_AN_OBJECT,
    NOT_FOUND,
    TOO_LARGE,
    TOO_MANY,
    TOO_MANY_DETAIL,
    UNAUTHORIZED,
    UNAUTHORIZED_DETAIL,
    UNSUPPORTED_TYPE,
    UNSUPPORTED_TYPE_DETAIL,
    field_errors,
    problem,
    too_large_detail,
)
from app.core.answers import InvalidAnswers, validate_partial_answers
from app.core.assessment import Assessor
from app.core.text import LocalizedText
from app.core.vocabulary import LOCALES
from app.services.partners import embed_snippet
from app.services.result_payload import result_payload
from app.web.errors import INVALID_REQUEST

DESCRIPTION = """\
Scores a customer service against the three maturity levels of the 2022 *Baromètre des KPIs de
la Relation Client*, compares it with its sector and with all respondents, and recommends what
to do next. Every figure carries its source section in the report.

**Answers.** Every unconditional question must be answered and every value well formed, or
the call gets `422` (`application/problem+json`, one entry per field with its JSON pointer and
a `code`). A conditional question (e.g. `phone_delay`, asked when `phone_open` is true) may be
left out: it is scored as unanswered and `confidence` says `reduced`. A well-formed answer to a
question that does not apply is ignored and listed in `ignored_answers`.

**Conditions.** In the questionnaire (`GET /api/v1/questionnaire`), `required: true` means
"must be answered when the question applies". A question with `applies_when` applies only when
the answer to the question it names is one of `values` (for a multiple-choice question: when
its list contains one of them), and conditions chain: a question applies only if the question
it depends on applies too (`nps_value` depends on `satisfaction_indicators`, itself asked only
when `satisfaction_measured` is `systematic` or `sometimes`).

**Language.** Texts (results, problems) are in the language of the `lang` query parameter (a
language tag, `fr` or `en`: `en`, `fr-FR`), else of `Accept-Language`, else the service's
default (French unless configured otherwise); `Content-Language` says which. The questionnaire
and the reference figures give every text in both languages.

**Keys.** Send your partner key in `X-API-Key`: it carries your rate limit and the browser
origins allowed to call from a page (CORS). Calls without a key work with a lower limit per
address. Every answer says where you stand: `RateLimit-Limit` (calls a minute),
`RateLimit-Remaining` (calls left) and `RateLimit-Reset` (seconds until all are back); past the
limit, `429` with `Retry-After` (seconds).

**Embedding the questionnaire.** On a page of an origin your key allows:

```html
{snippet}
```

No other origin may frame it. The script lets the frame grow with the page inside it. The
embedded questionnaire needs no cookie; one partitioned cookie (in browsers that support
them) brings the frame back to an unfinished questionnaire when your page is reloaded. The
result appears in the frame with its share link and private link, which open on our site.
""".format(snippet=embed_snippet("<key prefix>"))

EXAMPLE_BASE = "https://benchmark.example"
EXAMPLE_SHARE = "s4mpl3-sh4r3-t0k3n-xxxxxxxxxxxx"
EXAMPLE_MANAGE = "s4mpl3-m4n4g3-s3cr3t-xxxxxxxxxx"


OPERATION_IDS = {
    ("/api/v1/questionnaire", "get"): "getQuestionnaire",
    ("/api/v1/score", "post"): "score",
    ("/api/v1/assessments", "post"): "createAssessment",
    ("/api/v1/assessments/{share_token}", "get"): "getAssessment",
    ("/api/v1/benchmarks", "get"): "getBenchmarks",
}

# read by the gate (app/api/partner.py) rather than by the routes, so FastAPI cannot see them
LANGUAGE_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "description": "The language of the texts (results, problems): a language tag, `fr` or "
        "`en` (`en`, `fr-FR`: a regional tag counts as its language; any other is ignored). "
        "Comes before Accept-Language; without either, the service's default (French unless "
        "configured otherwise).",
        "schema": {"type": "string"},
        "example": "en",
    },
    {
        "name": "Accept-Language",
        "in": "header",
        "required": False,
        "description": "Read when `lang` names no language the service speaks: the first of "
        "`fr` and `en` by preference (q-values).",
        "schema": {"type": "string"},
        "example": "en-GB,en;q=0.9,fr;q=0.8",
    },
]


def _integer_header(description: str, minimum: int) -> dict[str, Any]:
    return {
        "description": description,
        "required": True,
        "schema": {"type": "integer", "minimum": minimum},
    }


SUCCESS_HEADERS = {
    "RateLimit-Limit": _integer_header(
        "Calls a minute allowed to this key (or to this address, without a key).", 1
    ),
    "RateLimit-Remaining": _integer_header("Calls left now.", 0),
    "RateLimit-Reset": _integer_header("Seconds until all the calls are back.", 0),
    "Content-Language": {
        "description": "The language of the texts: `lang`, then Accept-Language, then the "
        "service's default.",
        "required": True,
        "schema": {"type": "string", "enum": list(LOCALES)},
    },
}
RETRY_AFTER = _integer_header("Seconds to wait before the next call.", 1)

INVALID_EXAMPLE_ANSWERS: dict[str, Any] = {
    **{k: v for k, v in v1.EXAMPLE_ANSWERS.items() if k != "business_model"},
    "phone_fcr": 120,
    "agent_kpis": ["customer_satisfaction", "customer_satisfaction"],
    "channel": "phone",
}


def _problem(
    summary: str,
    status: int,
    title: LocalizedText,
    detail: LocalizedText | None = None,
    errors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """An example of a problem: the body ``problem`` answers, in English."""
    english = Request({"type": "http", "state": {API_LOCALE: "en"}})
    response = problem(english, status, title, detail, errors)
    return {"summary": summary, "value": json.loads(bytes(response.body))}


def _answer_errors() -> list[dict[str, Any]]:
    try:
        validate_partial_answers(INVALID_EXAMPLE_ANSWERS)
    except InvalidAnswers as invalid:
        return field_errors(invalid.errors, "en")
    raise AssertionError("the invalid example answers are valid")


def _problem_examples(max_body_bytes: int) -> dict[str, dict[str, Any]]:
    """One example per status a problem is documented for, by name."""
    return {
        "400": {"not_an_object": _problem("A JSON array", 400, INVALID_BODY, NOT_AN_OBJECT)},
        "401": {
            "unknown_key": _problem(
                "An unknown or revoked key", 401, UNAUTHORIZED, UNAUTHORIZED_DETAIL
            )
        },
        "404": {"unknown_token": _problem("A mistyped link", 404, NOT_FOUND, NO_ASSESSMENT)},
        "409": {
            "other_answers": _problem(
                "The key of an earlier call, with other answers", 409, CONFLICT, CONFLICT_DETAIL
            )
        },
        "413": {
            "too_large": _problem(
                "A body too large", 413, TOO_LARGE, too_large_detail(max_body_bytes)
            )
        },
        "415": {"form": _problem("A form", 415, UNSUPPORTED_TYPE, UNSUPPORTED_TYPE_DETAIL)},
        "422": {
            "invalid_answers": _problem(
                "An unknown question, one missing, a value out of range, a choice ticked twice",
                422,
                INVALID_ANSWERS,
                errors=_answer_errors(),
            )
        },
        "429": {"too_many": _problem("Over the limit", 429, TOO_MANY, TOO_MANY_DETAIL)},
    }


def _score(assessor: Assessor, raw: dict[str, Any]) -> dict[str, Any]:
    partial = validate_partial_answers(raw)
    payload = result_payload(assessor.assess(partial.answers), "en")
    return {**payload, "ignored_answers": field_errors(partial.set_aside, "en")}


def _examples(assessor: Assessor) -> dict[tuple[str, str, str], dict[str, Any]]:
    full = _score(assessor, v1.EXAMPLE_ANSWERS)
    partial = _score(assessor, v1.EXAMPLE_PARTIAL_ANSWERS)
    result = {k: v for k, v in full.items() if k != "ignored_answers"}
    created = {
        "replayed": False,
        "share_url": f"{EXAMPLE_BASE}/r/{EXAMPLE_SHARE}",
        "share_token": EXAMPLE_SHARE,
        "manage_url": f"{EXAMPLE_BASE}/m/{EXAMPLE_MANAGE}",
        "manage_secret": EXAMPLE_MANAGE,
        "result": result,
        "ignored_answers": [],
    }
    return {
        ("/api/v1/questionnaire", "get", "200"): {
            "questionnaire": {"summary": "The questionnaire", "value": v1.questionnaire()},
        },
        ("/api/v1/score", "post", "200"): {
            "phone_and_email": {"summary": "The full example answers", "value": full},
            "partial": {"summary": "The partial example answers", "value": partial},
        },
        ("/api/v1/assessments", "post", "201"): {
            "phone_and_email": {"summary": "Stored (the full example)", "value": created},
        },
        ("/api/v1/assessments/{share_token}", "get", "200"): {
            "phone_and_email": {"summary": "The stored full example", "value": result},
        },
        # FastAPI's own validation (app/web/errors.py), which no token fails today
        ("/api/v1/assessments/{share_token}", "get", "422"): {
            "malformed": _problem("A malformed request", 422, INVALID_REQUEST),
        },
        ("/api/v1/benchmarks", "get", "200"): {
            "reference": {"summary": "The reference figures", "value": v1.benchmarks(assessor)},
        },
    }


def _document_operation(operation: dict[str, Any], problems: dict[str, dict[str, Any]]) -> None:
    """What the gate reads and sends, and the problems' examples. Copies rather than edits in
    place: FastAPI's document shares lists and dicts with the routes' declarations."""
    # the key is optional (anonymous calls work, with a lower limit): declared so that the
    # docs' "Authorize" button sends it
    operation["security"] = [{}, {"PartnerKey": []}]
    operation["parameters"] = [*operation.get("parameters", []), *LANGUAGE_PARAMETERS]
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            response["headers"] = {**response.get("headers", {}), **SUCCESS_HEADERS}
        if status == "429":
            response["headers"] = {**response.get("headers", {}), "Retry-After": RETRY_AFTER}
        if status in problems:
            _set_examples(response, problems[status])


def _set_examples(response: dict[str, Any], examples: dict[str, Any]) -> None:
    response["content"] = {
        media_type: {**media, "examples": examples}
        for media_type, media in response["content"].items()  # one each
    }


def add_response_examples(app: FastAPI, assessor: Callable[[], Assessor]) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            document.setdefault("components", {})["securitySchemes"] = {
                "PartnerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
            }
            problems = _problem_examples(app.state.settings.api_max_body_bytes)
            for path, operations in document["paths"].items():
                if path.startswith("/api/"):
                    for operation in operations.values():
                        _document_operation(operation, problems)
            for (path, method), operation_id in OPERATION_IDS.items():
                document["paths"][path][method]["operationId"] = operation_id
            for (path, method, status), examples in _examples(assessor()).items():
                _set_examples(document["paths"][path][method]["responses"][status], examples)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
