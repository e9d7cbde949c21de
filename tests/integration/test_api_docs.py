"""/docs: Swagger UI served from the app's own copy, under the site's Content-Security-Policy;
and the OpenAPI document it shows, as complete as a partner needs it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, get_args

import httpx
import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from app.api.openapi import INVALID_EXAMPLE_ANSWERS
from app.api.v1 import EXAMPLE_ANSWERS, EXAMPLE_PARTIAL_ANSWERS
from app.core.answers import ErrorCode, InvalidAnswers, validate_partial_answers
from app.core.questionnaire import Kind
from app.core.vocabulary import LOCALES
from app.settings import Settings
from app.web.main import create_app
from app.web.middleware import CONTENT_SECURITY_POLICY

pytestmark = [pytest.mark.integration, pytest.mark.anyio]

CONTENT_TYPES = {".css": "text/css", ".js": "application/javascript", ".svg": "image/svg+xml"}


class _Page(HTMLParser):
    """Every src/href, the inline script text and inline event handlers of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts: list[str] = []
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)
            if name.startswith("on"):
                self.handlers.append(f"<{tag} {name}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts.append(data.strip()[:80])


async def test_docs_page_loads_only_same_origin_assets(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    # no policy of its own: Swagger UI runs under the site's (no inline script, no eval)
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["x-frame-options"] == "DENY"
    assert '<html lang="en">' in response.text
    assert "<title>API documentation · " in response.text
    assert 'id="swagger-ui" data-openapi-url="/openapi.json"' in response.text

    page = _Page()
    page.feed(response.text)
    assert page.inline_scripts == []
    assert page.handlers == []
    assert "/" in page.urls, "a link back to the home page"
    foreign = [url for url in page.urls if url.startswith(("http://", "https://", "//"))]
    assert foreign == []

    assets = [url for url in page.urls if url.startswith("/static/")]
    for expected in ("swagger-ui/swagger-ui-bundle.js", "swagger-ui/swagger-ui.css", "api-docs.js"):
        assert any(expected in url for url in assets), expected
    for url in assets:
        asset = await client.get(url, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200, url
        suffix = "." + url.split("?")[0].rsplit(".", 1)[-1]
        assert asset.headers["content-type"].startswith(CONTENT_TYPES[suffix]), url
        assert "immutable" in asset.headers["cache-control"], url
        if "/vendor/" in url:
            assert asset.headers["content-encoding"] == "gzip", url


async def test_docs_page_in_both_languages_and_linked_from_every_page(
    client: httpx.AsyncClient,
) -> None:
    french = await client.get("/docs", headers={"Accept-Language": "fr"})
    assert '<html lang="fr">' in french.text
    assert "<h1>Documentation de l'API</h1>" in french.text
    home = await client.get("/?lang=en")
    assert '<a href="/docs">API documentation</a>' in home.text


async def test_openapi_schema_is_still_served_without_the_pages(client: httpx.AsyncClient) -> None:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    paths = response.json()["paths"]
    assert "/api/v1/score" in paths
    assert "/docs" not in paths
    assert (await client.get("/redoc")).status_code == 404


# --- The API's OpenAPI document ------------------------------------------------------------------

OPERATION_IDS = {
    ("/api/v1/questionnaire", "get"): "getQuestionnaire",
    ("/api/v1/score", "post"): "score",
    ("/api/v1/assessments", "post"): "createAssessment",
    ("/api/v1/assessments/{share_token}", "get"): "getAssessment",
    ("/api/v1/benchmarks", "get"): "getBenchmarks",
}
SUCCESS_HEADERS = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Content-Language"}


def _app(tmp_path: Path, **options: Any) -> httpx.AsyncClient:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path}/docs.db", **options))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


@pytest.fixture
async def document(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def _schemas(node: Any) -> Iterator[dict[str, Any]]:
    """Every schema of parameters, headers, bodies and responses."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "schema":
                yield value
            else:
                yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


async def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    # openapi-spec-validator is not a dependency: schemathesis carries the OpenAPI 3.1 schema,
    # which leaves the JSON Schemas inside to their own meta-schema
    assert document["openapi"].startswith("3.1.")
    OPENAPI_31_VALIDATOR.validate(document)
    schemas = list(_schemas(document["paths"]))
    assert len(schemas) > 30
    for schema in schemas:
        jsonschema_rs.meta.validate(schema)


async def test_operations_have_stable_ids_and_healthz_is_left_out(
    client: httpx.AsyncClient, document: dict[str, Any]
) -> None:
    ids = {(path, method): op.get("operationId") for path, method, op in _operations(document)}
    assert ids == OPERATION_IDS
    assert (await client.get("/healthz")).status_code == 200  # served, only undocumented


async def test_every_operation_declares_the_language_and_the_headers_the_gate_sends(
    document: dict[str, Any],
) -> None:
    for path, method, operation in _operations(document):
        label = f"{method} {path}"
        parameters = {(p["in"], p["name"]): p for p in operation["parameters"]}
        lang = parameters[("query", "lang")]
        assert lang["required"] is False, label
        # any string: an unknown tag is ignored, never refused (the schemathesis run would
        # send values outside a stricter schema and expect a refusal)
        assert lang["schema"] == {"type": "string"}, label
        assert "Accept-Language" in lang["description"], label
        assert parameters[("header", "Accept-Language")]["required"] is False, label
        for status, response in operation["responses"].items():
            headers = response.get("headers", {})
            if status.startswith("2"):
                assert set(headers) >= SUCCESS_HEADERS, (label, status)
                for name in SUCCESS_HEADERS - {"Content-Language"}:
                    assert headers[name]["schema"]["type"] == "integer", (label, name)
                assert headers["Content-Language"]["schema"]["enum"] == list(LOCALES)
            if status == "429":
                assert headers["Retry-After"]["schema"]["type"] == "integer", label
            if status.startswith("4"):
                media = response["content"]["application/problem+json"]
                assert len(media["examples"]) == 1, (label, status)


async def test_the_success_headers_are_sent_as_declared(tmp_path: Path) -> None:
    async with _app(tmp_path) as api:
        for path in ("/api/v1/questionnaire?lang=en-GB", "/api/v1/benchmarks?lang=en-GB"):
            response = await api.get(path, headers={"Accept-Language": "fr"})
            assert response.status_code == 200
            assert response.headers["content-language"] == "en"  # lang comes first
            for name in SUCCESS_HEADERS - {"Content-Language"}:
                assert response.headers[name].isdigit(), name


async def test_questionnaire_and_benchmarks_are_described_with_their_live_payloads(
    client: httpx.AsyncClient, document: dict[str, Any]
) -> None:
    for path in ("/api/v1/questionnaire", "/api/v1/benchmarks"):
        media = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        (example,) = media["examples"].values()
        assert example["value"] == (await client.get(path)).json(), path
        jsonschema_rs.Draft202012Validator(media["schema"]).validate(example["value"])

    questionnaire = document["paths"]["/api/v1/questionnaire"]["get"]["responses"]["200"]
    schema = questionnaire["content"]["application/json"]["schema"]
    question = schema["properties"]["sections"]["items"]["properties"]["questions"]["items"]
    # closed: a key added to the payload fails validation until it is documented
    assert question["additionalProperties"] is False
    assert question["properties"]["kind"]["enum"] == list(get_args(Kind))
    for kind in get_args(Kind):
        assert f"`{kind}`" in question["properties"]["kind"]["description"], kind
    assert {"minimum", "maximum", "unknown_value", "unknown_label", "exclusive_option"} <= set(
        question["properties"]
    )
    for name in ("required", "applies_when"):
        assert "applies" in question["properties"][name]["description"], name
    assert "chain" in question["properties"]["applies_when"]["description"]

    benchmarks = document["paths"]["/api/v1/benchmarks"]["get"]["responses"]["200"]
    figures = benchmarks["content"]["application/json"]["schema"]["properties"]["benchmarks"]
    assert set(figures["required"]) == {"edition", "all_respondents", "clusters", "sectors"}
    assert "$ref" not in json.dumps(figures)  # stands alone: checked on its own above


async def test_the_percent_questions_name_their_unknown_value_as_validation_does(
    client: httpx.AsyncClient,
) -> None:
    sections = (await client.get("/api/v1/questionnaire")).json()["sections"]
    percents = [q for s in sections for q in s["questions"] if "unknown_value" in q]
    assert percents
    for question in percents:
        assert question["unknown_label"] == {"fr": "Je ne sais pas", "en": "Don't know"}
        with pytest.raises(InvalidAnswers) as invalid:
            validate_partial_answers({**EXAMPLE_ANSWERS, question["id"]: "unknown"})
        (error,) = invalid.value.errors
        assert f"« {question['unknown_label']['fr']} »" in error.message.fr
        assert f"“{question['unknown_label']['en']}”" in error.message.en


async def test_error_codes_are_the_cores(document: dict[str, Any]) -> None:
    for _, _, operation in _operations(document):
        for response in operation["responses"].values():
            problem = response.get("content", {}).get("application/problem+json")
            if problem is not None:
                errors = problem["schema"]["properties"]["errors"]["items"]
                assert errors["properties"]["code"]["enum"] == list(get_args(ErrorCode))


async def test_the_description_states_the_rules_a_partner_needs(document: dict[str, Any]) -> None:
    description = document["info"]["description"]
    for words in ("`required: true`", "conditions chain", "`lang`", "Accept-Language"):
        assert words in description, words
    for header in ("Retry-After", *SUCCESS_HEADERS):
        assert header in description, header


def _english(path: str) -> str:
    return path.replace("{share_token}", "no-such-token") + "?lang=en"


async def test_every_problem_example_is_what_the_api_answers(tmp_path: Path) -> None:
    """Each documented problem, provoked in English: the example is its body, word for word
    (the one left out, a malformed GET /assessments/{share_token}, no request can provoke)."""
    calls: dict[tuple[str, str, str], httpx.Response] = {}
    async with _app(tmp_path, anonymous_api_rate_per_minute=1000) as api:
        document = (await api.get("/openapi.json")).json()
        for path, method in OPERATION_IDS:
            url = _english(path)
            calls[path, method, "401"] = await api.request(
                method, url, headers={"X-API-Key": "not-a-key"}
            )
            if method == "post":
                calls[path, method, "400"] = await api.post(url, json=[])
                calls[path, method, "413"] = await api.post(url, json={"x": " " * 70_000})
                calls[path, method, "415"] = await api.post(url, data={"sector": "retail"})
                calls[path, method, "422"] = await api.post(url, json=INVALID_EXAMPLE_ANSWERS)
        calls["/api/v1/assessments/{share_token}", "get", "404"] = await api.get(
            _english("/api/v1/assessments/{share_token}")
        )
        key = {"Idempotency-Key": "docs-example"}
        first = await api.post("/api/v1/assessments", json=EXAMPLE_ANSWERS, headers=key)
        assert first.status_code == 201
        calls["/api/v1/assessments", "post", "409"] = await api.post(
            "/api/v1/assessments?lang=en", json=EXAMPLE_PARTIAL_ANSWERS, headers=key
        )
    async with _app(tmp_path, anonymous_api_rate_per_minute=1) as api:
        assert (await api.get("/api/v1/questionnaire")).status_code == 200
        for path, method in OPERATION_IDS:
            url = _english(path)
            calls[path, method, "429"] = await api.request(method, url)

    documented = set()
    for path, method, operation in _operations(document):
        for status, response in operation["responses"].items():
            if status.startswith("4"):
                documented.add((path, method, status))
                if (path, method, status) in calls:
                    made = calls[path, method, status]
                    media = response["content"]["application/problem+json"]
                    (example,) = media["examples"].values()
                    assert made.status_code == int(status), (path, method, made.text)
                    assert made.headers["content-type"] == "application/problem+json"
                    assert made.json() == example["value"], (path, method, status)
    assert documented - set(calls) == {("/api/v1/assessments/{share_token}", "get", "422")}
    assert set(calls) <= documented
