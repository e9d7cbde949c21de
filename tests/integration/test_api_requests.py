"""What the partner API reads and how it answers around the result: body size and type, the
shape of every error, retries with an Idempotency-Key (also when two servers race), the
headers that tell a partner where it stands (rate limit, location, caching)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jsonschema_rs
import pytest
from sqlalchemy import text
from sqlmodel import Session

from app.services import assessments
from app.settings import Settings
from app.storage.db import engine_for
from app.storage.tables import IdempotentRequest
from app.web.main import create_app
from tests.personas import PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
ANSWERS = PERSONAS["classiques"][0].answers
LIMIT = 8_192


def _app(database_url: str, **settings: Any) -> Any:
    return create_app(
        Settings(
            database_url=database_url,
            anonymous_api_rate_per_minute=100_000,
            api_max_body_bytes=LIMIT,
            **settings,
        )
    )


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=_app(database_url))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def _count(database_url: str, table: str) -> int:
    with engine_for(database_url).connect() as connection:
        query = text(f"SELECT count(*) FROM {table}")  # noqa: S608 - the tests' own table names
        return int(connection.execute(query).scalar_one())


async def test_a_body_over_the_limit_is_refused_before_it_is_read(
    api: httpx.AsyncClient, database_url: str
) -> None:
    padded = json.dumps({**ANSWERS, "agent_kpis": ["aht"] * 2_000}).encode()
    assert len(padded) > LIMIT
    for path in ("/api/v1/score", "/api/v1/assessments"):
        response = await api.post(
            f"{path}?lang=en", content=padded, headers={"content-type": "application/json"}
        )
        assert response.status_code == 413, path
        assert response.headers["content-type"] == "application/problem+json"
        assert "8 KiB" in response.json()["detail"]

    # without a length (chunked), the body is read up to the limit only
    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(padded), 1_000):
            yield padded[start : start + 1_000]

    chunked = await api.post(
        "/api/v1/score?lang=fr", content=chunks(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    assert "Kio" in chunked.json()["detail"]
    assert _count(database_url, "assessment") == 0

    async def small() -> AsyncIterator[bytes]:
        body = json.dumps(ANSWERS).encode()
        yield body[:100]
        yield body[100:]

    scored = await api.post(
        "/api/v1/score", content=small(), headers={"content-type": "application/json"}
    )
    assert scored.status_code == 200, scored.text
    assert scored.json()["cluster"] == "classiques"


async def test_only_json_bodies_are_read(api: httpx.AsyncClient, database_url: str) -> None:
    body = json.dumps(ANSWERS).encode()
    for content_type in ("text/plain", "application/x-www-form-urlencoded", None):
        headers = {"content-type": content_type} if content_type else {}
        for path in ("/api/v1/score", "/api/v1/assessments"):
            response = await api.post(f"{path}?lang=en", content=body, headers=headers)
            assert response.status_code == 415, (path, content_type)
            assert response.headers["content-type"] == "application/problem+json"
            assert "application/json" in response.json()["detail"]
    # a page on another site cannot make a browser store an assessment without asking first
    assert _count(database_url, "assessment") == 0
    for content_type in ("application/json; charset=utf-8", "application/merge-patch+json"):
        ok = await api.post("/api/v1/score", content=body, headers={"content-type": content_type})
        assert ok.status_code == 200, content_type


async def test_unknown_addresses_and_methods_answer_problem_json_in_the_callers_language(
    api: httpx.AsyncClient,
) -> None:
    missing = await api.get("/api/v1/nothing-here?lang=en")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["title"] == "Not found"
    wrong = await api.get("/api/v1/score", headers={"accept-language": "fr"})
    assert wrong.status_code == 405
    assert wrong.headers["content-type"] == "application/problem+json"
    assert wrong.headers["allow"] == "POST"
    assert wrong.json()["title"] == "Méthode non autorisée"
    assert wrong.headers["content-language"] == "fr"


async def test_pointers_name_the_item_at_fault_and_escape_what_they_must(
    api: httpx.AsyncClient,
) -> None:
    bad_item = await api.post(
        "/api/v1/score", json={**ANSWERS, "agent_kpis": ["customer_satisfaction", "bogus"]}
    )
    (error,) = bad_item.json()["errors"]
    assert (error["pointer"], error["code"]) == ("/agent_kpis/1", "invalid_option")
    twice = await api.post(
        "/api/v1/score",
        json={**ANSWERS, "agent_kpis": ["customer_satisfaction", "customer_satisfaction"]},
    )
    assert twice.json()["errors"][0]["pointer"] == "/agent_kpis/1"
    strange = await api.post("/api/v1/score", json={**ANSWERS, "a/b~c": 1})
    (unknown,) = strange.json()["errors"]
    assert (unknown["pointer"], unknown["field"]) == ("/a~1b~0c", "a/b~c")


async def test_every_refusal_says_what_to_do_in_the_language_asked(
    database_url: str,
) -> None:
    app = create_app(Settings(database_url=database_url, anonymous_api_rate_per_minute=1))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        wrong_key = await http.get("/api/v1/questionnaire?lang=en", headers={"X-API-Key": "nope"})
        assert wrong_key.status_code == 401
        assert "X-API-Key" in wrong_key.json()["detail"]
        limited = await http.get("/api/v1/questionnaire?lang=fr")
        assert limited.status_code == 429
        assert "Retry-After" in limited.json()["detail"]


async def test_a_retry_is_recognised_by_its_json_and_answered_in_its_own_language(
    api: httpx.AsyncClient, database_url: str
) -> None:
    key = {"Idempotency-Key": "order-42"}
    first = await api.post("/api/v1/assessments?lang=fr", json=ANSWERS, headers=key)
    assert first.status_code == 201
    assert first.headers["content-language"] == "fr"
    # the same answers from another serialiser: spaces, indentation, other key order
    respelled = json.dumps(dict(reversed(list(ANSWERS.items()))), indent=2)
    again = await api.post(
        "/api/v1/assessments?lang=en",
        content=respelled,
        headers={**key, "content-type": "application/json"},
    )
    assert again.status_code == 201, again.text
    assert again.json()["replayed"] is True
    assert again.json()["share_token"] == first.json()["share_token"]
    assert again.headers["content-language"] == "en"
    english = await api.get(f"/api/v1/assessments/{first.json()['share_token']}?lang=en")
    assert again.json()["result"] == english.json()
    assert again.json()["manage_secret"] is None
    assert _count(database_url, "assessment") == 1
    too_long = await api.post(
        "/api/v1/assessments?lang=fr", json=ANSWERS, headers={"Idempotency-Key": "k" * 201}
    )
    assert too_long.status_code == 400
    assert "Idempotency-Key" in too_long.json()["detail"]
    assert "caractères" in too_long.json()["detail"]


async def test_a_retry_racing_the_first_request_gets_its_assessment(
    api: httpx.AsyncClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two servers on one database: the retry found no record when it looked, and the first
    request stores its assessment and key before the retry does. The retry stores nothing
    and answers with the first one's assessment, not a 500."""
    first = await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "r"})
    winner = first.json()["share_token"]
    with engine_for(database_url).connect() as connection:
        key_hash = connection.execute(text("SELECT key_hash FROM idempotent_request")).scalar_one()
    looked_up = Session.get
    missed: list[bool] = []

    def blind(session: Session, entity: Any, ident: Any, **kwargs: Any) -> Any:
        # the retry's own look-up misses the row; the one after the clash sees it
        if entity is IdempotentRequest and ident == key_hash and not missed:
            missed.append(True)
            return None
        return looked_up(session, entity, ident, **kwargs)

    monkeypatch.setattr(Session, "get", blind)
    raced = await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "r"})
    assert raced.status_code == 201, raced.text
    assert raced.json()["replayed"] is True
    assert raced.json()["share_token"] == winner
    assert missed == [True]  # the race did happen
    assert _count(database_url, "assessment") == 1


async def test_a_retry_after_the_assessment_was_deleted_is_a_conflict(
    api: httpx.AsyncClient, database_url: str
) -> None:
    first = await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "d"})
    with Session(engine_for(database_url)) as session:
        stored = assessments.by_share(session, first.json()["share_token"])
        assert stored is not None
        assessments.delete(session, stored)
    again = await api.post(
        "/api/v1/assessments?lang=en", json=ANSWERS, headers={"Idempotency-Key": "d"}
    )
    assert again.status_code == 409
    assert "new key" in again.json()["detail"]


async def test_responses_say_where_the_caller_stands(api: httpx.AsyncClient) -> None:
    scored = await api.post("/api/v1/score", json=ANSWERS)
    assert int(scored.headers["ratelimit-limit"]) == 100_000
    remaining = int(scored.headers["ratelimit-remaining"])
    assert 0 <= remaining < 100_000
    assert int(scored.headers["ratelimit-reset"]) >= 1
    again = await api.post("/api/v1/score", json=ANSWERS)
    assert int(again.headers["ratelimit-remaining"]) <= remaining
    created = await api.post("/api/v1/assessments", json=ANSWERS)
    token = created.json()["share_token"]
    assert created.headers["location"] == f"http://testserver/api/v1/assessments/{token}"
    # the 201 carries the manage secret, the stored result is for link holders only
    assert created.headers["cache-control"] == "no-store"
    stored = await api.get(created.headers["location"])
    assert stored.status_code == 200
    assert "no-store" in stored.headers["cache-control"]


async def test_the_api_speaks_the_services_default_language_and_reads_language_tags(
    database_url: str,
) -> None:
    transport = httpx.ASGITransport(app=_app(database_url, default_locale="en"))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        plain = await http.post("/api/v1/score", json={})
        assert plain.headers["content-language"] == "en"
        assert plain.json()["title"] == "Invalid answers"
        tagged = await http.post("/api/v1/score?lang=fr-CA", json={})
        assert tagged.json()["title"] == "Réponses invalides"
        # not a language tag of ours: the header decides
        frog = await http.post(
            "/api/v1/score?lang=frog", json={}, headers={"accept-language": "en"}
        )
        assert frog.headers["content-language"] == "en"


async def test_the_database_keeps_no_share_link_of_a_retry_and_drops_old_records(
    api: httpx.AsyncClient, database_url: str
) -> None:
    created = await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "k"})
    token = created.json()["share_token"]
    with engine_for(database_url).connect() as connection:
        rows = connection.execute(text("SELECT * FROM idempotent_request")).all()
    assert len(rows) == 1
    assert token not in " ".join(str(value) for value in rows[0])
    # a record past the 24 hours goes with the next keyed call, whoever makes it
    with engine_for(database_url).begin() as connection:
        connection.execute(
            text("UPDATE idempotent_request SET created_at = :old"),
            {"old": datetime.now(UTC) - timedelta(hours=25)},
        )
    await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "other"})
    assert _count(database_url, "idempotent_request") == 1
    # and the expired key stores anew
    again = await api.post("/api/v1/assessments", json=ANSWERS, headers={"Idempotency-Key": "k"})
    assert again.json()["replayed"] is False
    assert again.json()["share_token"] != token


async def test_a_result_stored_before_the_payload_grew_is_served_in_todays_shape(
    api: httpx.AsyncClient, database_url: str
) -> None:
    created = (await api.post("/api/v1/assessments?lang=en", json=ANSWERS)).json()
    with Session(engine_for(database_url)) as session:
        stored = assessments.by_share(session, created["share_token"])
        assert stored is not None
        result = json.loads(json.dumps(stored.result))
        for locale in ("fr", "en"):
            old = result["api"][locale]
            for key in ("cluster_profile", "documents", "decisive_answer"):
                old.pop(key)
            for pull in old["factor_pulls"]:  # answers were text then
                if isinstance(pull["answer"], bool):
                    pull["answer"] = "true" if pull["answer"] else "false"
        stored.result = result
        session.add(stored)
        session.commit()
    served = await api.get(f"/api/v1/assessments/{created['share_token']}?lang=en")
    assert served.status_code == 200
    body = served.json()
    assert body["decisive_answer"] is None
    assert body["cluster_profile"] == created["result"]["cluster_profile"]
    assert body["documents"] == created["result"]["documents"]
    assert body["factor_pulls"] == created["result"]["factor_pulls"]
    document = (await api.get("/openapi.json")).json()
    path = document["paths"]["/api/v1/assessments/{share_token}"]["get"]
    schema = path["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema_rs.validator_for(schema).validate(body)
