"""The partner API: contract with the core and the web pages, errors, idempotency."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import text

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.settings import Settings
from app.storage.db import engine_for
from app.web.main import create_app
from tests.journey import CSRF, complete
from tests.personas import PERSONAS
from tests.strategies import answer_sets

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(
        app=create_app(Settings(database_url=database_url, anonymous_api_rate_per_minute=100_000))
    )
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        http.cookies.set("csrf", CSRF)
        yield http


def _sync_client(database_url: str) -> httpx.Client:
    from fastapi.testclient import TestClient

    return TestClient(
        create_app(Settings(database_url=database_url, anonymous_api_rate_per_minute=100_000))
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_score_returns_what_the_core_computes(database_url: str, assessor: Assessor) -> None:
    client = _sync_client(database_url)

    @given(raw=answer_sets())
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(raw: dict[str, Any]) -> None:
        expected = assessor.assess(validate_answers(raw))
        response = client.post("/api/v1/score?lang=en", json=raw)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["cluster"] == expected.placement.cluster
        assert body["probabilities"] == pytest.approx(expected.placement.probabilities)
        assert [r["id"] for r in body["recommendations"]] == [
            r.id for r in expected.recommendations
        ]

    check()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_web_result_page_shows_the_cluster_the_api_gives(database_url: str) -> None:
    import anyio

    transport = httpx.ASGITransport(
        app=create_app(Settings(database_url=database_url, anonymous_api_rate_per_minute=100_000))
    )

    async def web_cluster(raw: dict[str, Any]) -> str:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as web:
            web.cookies.set("csrf", CSRF)
            page = await complete(web, raw)
            match = re.search(r'<h1 id="cluster" data-cluster="([a-z]+)"', page.text)
            assert match is not None
            api = await web.post("/api/v1/score", json=raw)
            return f"{match.group(1)}={api.json()['cluster']}"

    @given(raw=answer_sets())
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(raw: dict[str, Any]) -> None:
        web, api = anyio.run(web_cluster, raw).split("=")
        assert web == api

    check()


async def test_questionnaire_lists_every_question_in_both_languages(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/questionnaire")).json()
    questions = [q for s in body["sections"] for q in s["questions"]]
    assert len(questions) == 37
    for question in questions:
        assert question["label"]["fr"]
        assert question["label"]["en"]
        for option in question["options"]:
            assert option["label"]["fr"]
            assert option["label"]["en"]
    delay = next(q for q in questions if q["id"] == "chat_delay")
    assert delay["applies_when"] == {"question": "chat_open", "values": [True]}


async def test_errors_are_problem_json_with_pointers_in_the_callers_language(
    api: httpx.AsyncClient,
) -> None:
    raw = {**PERSONAS["classiques"][0].answers, "phone_open": "yes", "colour": "blue"}
    raw.pop("sector")
    french = await api.post("/api/v1/score", json=raw)
    assert french.status_code == 422
    assert french.headers["content-type"] == "application/problem+json"
    errors = {e["pointer"]: e for e in french.json()["errors"]}
    assert set(errors) == {"/phone_open", "/colour", "/sector"}
    assert errors["/sector"]["code"] == "required"
    assert errors["/sector"]["detail"] == "Merci de répondre à cette question."
    english = await api.post("/api/v1/score", json=raw, headers={"Accept-Language": "en"})
    assert {e["detail"] for e in english.json()["errors"]} >= {"Please answer this question."}
    by_param = await api.post("/api/v1/score?lang=en", json=raw)
    assert by_param.json()["title"] == "Invalid answers"
    not_an_object = await api.post(
        "/api/v1/score", content=b"[]", headers={"content-type": "application/json"}
    )
    assert not_an_object.status_code == 400
    assert not_an_object.headers["content-type"] == "application/problem+json"


async def test_bodies_read_as_json_reads_them(api: httpx.AsyncClient) -> None:
    """The score reads bodies with orjson and hands what it refuses to ``json.loads``: the
    bodies only the latter reads still score, and what neither reads is a 400, never a 500."""
    answers = PERSONAS["classiques"][0].answers
    plain = await api.post("/api/v1/score", json=answers)
    assert plain.status_code == 200
    json_type = {"content-type": "application/json"}
    utf16 = await api.post(
        "/api/v1/score", content=json.dumps(answers).encode("utf-16"), headers=json_type
    )
    assert (utf16.status_code, utf16.json()["cluster"]) == (200, plain.json()["cluster"])
    for value in ("NaN", str(2**70), "1e400"):
        body = json.dumps(answers)[:-1] + f', "nps_value": {value}}}'
        response = await api.post("/api/v1/score", content=body.encode(), headers=json_type)
        assert response.status_code == 422, value
        (error,) = response.json()["errors"]
        assert error["pointer"] == "/nps_value"
        assert error["code"] == ("out_of_range" if value == str(2**70) else "wrong_type")
    too_long = b'{"nps_value": ' + b"1" * 5000 + b"}"  # past Python's 4,300 digits
    # nested past json.loads' recursion limit, within the 64 KiB the API reads
    too_deep = b"[" * 30_000 + b"]" * 30_000
    for unreadable in (too_deep, too_long, b"\xff{}", b'{"a": 1} x'):
        response = await api.post("/api/v1/score", content=unreadable, headers=json_type)
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"


async def test_a_retried_post_with_the_same_idempotency_key_stores_one_assessment(
    api: httpx.AsyncClient, database_url: str
) -> None:
    answers = PERSONAS["polyvalents"][0].answers
    headers = {"Idempotency-Key": "retry-me-123"}
    first = await api.post("/api/v1/assessments", json=answers, headers=headers)
    again = await api.post("/api/v1/assessments", json=answers, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["share_token"] == first.json()["share_token"]
    assert again.json()["result"] == first.json()["result"]
    # the private link travels once: the stored reply does not keep it
    assert first.json()["manage_secret"]
    assert again.json()["manage_secret"] is None
    assert again.json()["replayed"] is True
    with engine_for(database_url).connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM assessment")).scalar_one()
    assert count == 1
    other = await api.post(
        "/api/v1/assessments", json={**answers, "selfcare": False}, headers=headers
    )
    assert other.status_code == 409
    without = await api.post("/api/v1/assessments", json=answers)
    assert without.json()["share_token"] != first.json()["share_token"]


async def test_a_stored_assessment_is_served_as_computed(api: httpx.AsyncClient) -> None:
    created = (
        await api.post("/api/v1/assessments?lang=en", json=PERSONAS["basiques"][0].answers)
    ).json()
    assert created["share_url"].endswith(created["share_token"])
    assert "/m/" in created["manage_url"]
    stored = await api.get(f"/api/v1/assessments/{created['share_token']}?lang=en")
    assert stored.status_code == 200
    assert stored.json() == created["result"]
    page = await api.get(f"/r/{created['share_token']}")
    assert 'data-cluster="basiques"' in page.text
    missing = await api.get("/api/v1/assessments/AAAAAAAAAAAAAAAAAAAAAA")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"


async def test_the_result_describes_its_cluster_and_names_its_documents_as_the_page_does(
    api: httpx.AsyncClient,
) -> None:
    answers = PERSONAS["classiques"][0].answers
    body = (await api.post("/api/v1/score?lang=en", json=answers)).json()
    profile = body["cluster_profile"]
    benchmarks = (await api.get("/api/v1/benchmarks")).json()["benchmarks"]
    described = benchmarks["clusters"][body["cluster"]]
    assert profile["name"] == described["name"]["en"]
    assert profile["tagline"] == described["tagline"]["en"]
    assert profile["share"]["printed"] == described["share"]["printed"]
    cited = {
        source["document"]
        for recommendation in body["recommendations"]
        for source in recommendation["rests_on"]
    } | {
        reference["figure"]["source"]["document"]
        for comparison in body["comparisons"]
        for reference in comparison["references"]
        if reference["figure"]
    }
    assert len(cited) >= 2
    assert cited <= set(body["documents"])
    created = await api.post("/api/v1/assessments?lang=en", json=answers)
    page = (await api.get(f"/r/{created.json()['share_token']}?lang=en")).text
    assert profile["name"] in page
    for document in cited:
        title = body["documents"][document]["title"]
        assert title.replace("“", "&#8220;").replace("”", "&#8221;") in page or title in page
    # answers keep the question's own type: a yes/no is a boolean, as in the request
    pulls = {p["question"]: p["answer"] for p in body["factor_pulls"]}
    assert pulls["phone_open"] is answers["phone_open"]


async def test_benchmarks_carry_their_sources_and_edition(api: httpx.AsyncClient) -> None:
    body = (await api.get("/api/v1/benchmarks")).json()
    assert body["edition"] == "2022"
    phone = body["benchmarks"]["all_respondents"]["delays"]["phone"]
    assert phone["value"] == 87
    assert "87%" in phone["source"]["quote"]
    assert body["benchmarks"]["sectors"]["industry_energy_telecom"]["nps"] is None


async def test_openapi_documents_the_api_only(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    paths = set(schema["paths"])
    assert {"/api/v1/score", "/api/v1/assessments", "/api/v1/questionnaire"} <= paths
    assert not any(p.startswith(("/assessment/", "/w/", "/r/")) for p in paths)
    body = schema["paths"]["/api/v1/score"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["additionalProperties"] is False
    assert "examples" in body


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_every_response_example_is_valid_against_its_own_schema(
    api: httpx.AsyncClient,
) -> None:
    document = (await api.get("/openapi.json")).json()
    checked = 0
    for operations in document["paths"].values():
        for operation in operations.values():
            for response in operation.get("responses", {}).values():
                for media in response.get("content", {}).values():
                    if "examples" not in media:
                        continue
                    validator = jsonschema_rs.Draft202012Validator(media["schema"])
                    for example in media["examples"].values():
                        validator.validate(example["value"])
                        checked += 1
    assert checked >= 4


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_partner_may_leave_conditional_answers_out_and_gets_told_what_was_ignored(
    api: httpx.AsyncClient,
) -> None:
    raw = dict(PERSONAS["classiques"][0].answers)
    assert raw["phone_open"] is True
    assert raw["mail_open"] is False
    del raw["phone_delay"]
    raw["mail_delay"] = "3_7d"
    response = await api.post("/api/v1/score?lang=fr", json=raw)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["confidence"] == "reduced"
    assert "phone_delay" in {p["question"] for p in body["factor_pulls"] if p["left_out"]}
    assert body["ignored_answers"] == [
        {
            "pointer": "/mail_delay",
            "field": "mail_delay",
            "code": "not_applicable",
            "detail": body["ignored_answers"][0]["detail"],
        }
    ]
    assert "courrier" in body["ignored_answers"][0]["detail"].lower()
    stored = await api.post("/api/v1/assessments", json=raw)
    assert stored.status_code == 201
    assert [n["field"] for n in stored.json()["ignored_answers"]] == ["mail_delay"]
    # the same body with a malformed value where the question does not apply is refused
    refused = await api.post("/api/v1/score", json={**raw, "mail_delay": None})
    assert refused.status_code == 422
    assert [e["pointer"] for e in refused.json()["errors"]] == ["/mail_delay"]
