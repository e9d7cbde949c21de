"""Response examples in the OpenAPI document, computed by the API itself from the request
examples when the document is first built: they are what the API answers, never a copy that
drifts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from app.api.problems import field_errors
from app.api.v1 import EXAMPLE_ANSWERS, EXAMPLE_PARTIAL_ANSWERS
from app.core.answers import validate_partial_answers
from app.core.assessment import Assessor
from app.services.partners import embed_snippet
from app.services.result_payload import result_payload

DESCRIPTION = """\
Scores a customer service against the three maturity levels of the 2022 *Baromètre des KPIs de
la Relation Client*, compares it with its sector and with all respondents, and recommends what
to do next. Every figure carries its source section in the report.

**Answers.** Every unconditional question must be answered and every value well formed, or
the call gets `422` (`application/problem+json`, one entry per field with its JSON pointer, in
the language of `lang` or `Accept-Language`). A conditional question (e.g. `phone_delay`, asked
when `phone_open` is true) may be left out: it is scored as unanswered and `confidence` says
`reduced`. A well-formed answer to a question that does not apply is ignored and listed in
`ignored_answers`.

**Keys.** Send your partner key in `X-API-Key`: it carries your rate limit (`429` with
`Retry-After`) and the browser origins allowed to call from a page (CORS). Calls without a key
work with a lower limit per address.

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


def _score(assessor: Assessor, raw: dict[str, Any]) -> dict[str, Any]:
    partial = validate_partial_answers(raw)
    payload = result_payload(assessor.assess(partial.answers), "en")
    return {**payload, "ignored_answers": field_errors(partial.set_aside, "en")}


def _examples(assessor: Assessor) -> dict[tuple[str, str, str], dict[str, Any]]:
    full = _score(assessor, EXAMPLE_ANSWERS)
    partial = _score(assessor, EXAMPLE_PARTIAL_ANSWERS)
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
    }


def add_response_examples(app: FastAPI, assessor: Callable[[], Assessor]) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build()
            # the key is optional (anonymous calls work, with a lower limit): declared so that
            # the docs' "Authorize" button sends it
            document.setdefault("components", {})["securitySchemes"] = {
                "PartnerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"}
            }
            for path, operations in document["paths"].items():
                if path.startswith("/api/"):
                    for operation in operations.values():
                        operation["security"] = [{}, {"PartnerKey": []}]
            for (path, method, status), examples in _examples(assessor()).items():
                response = document["paths"][path][method]["responses"][status]
                response["content"]["application/json"]["examples"] = examples
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
