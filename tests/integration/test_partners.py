"""Partner keys, rate limits and allowed origins."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlmodel import Session

from app.cli.admin import main as admin
from app.services import partners
from app.settings import Settings
from app.storage.db import engine_for
from app.web.main import create_app
from tests.personas import PERSONAS

pytestmark = [pytest.mark.integration, pytest.mark.anyio]
ANSWERS = PERSONAS["classiques"][0].answers


@pytest.fixture
async def api(database_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(database_url=database_url, anonymous_api_rate_per_minute=3))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def _key(database_url: str, origins: list[str], rate: int = 600) -> partners.NewKey:
    with Session(engine_for(database_url)) as session:
        return partners.create(session, "CRM vendor", origins, rate)


async def test_keys_are_stored_hashed_and_a_revoked_key_is_refused(
    api: httpx.AsyncClient, database_url: str
) -> None:
    new = _key(database_url, ["https://crm.example"])
    headers = {"X-API-Key": new.key}
    assert (await api.post("/api/v1/score", json=ANSWERS, headers=headers)).status_code == 200
    with engine_for(database_url).connect() as connection:
        dump = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM partner_key")) for v in row
        )
    assert new.key not in dump
    with Session(engine_for(database_url)) as session:
        partners.revoke(session, new.record.prefix)
    refused = await api.post("/api/v1/score", json=ANSWERS, headers=headers)
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    unknown = await api.post("/api/v1/score", json=ANSWERS, headers={"X-API-Key": "csmb_nope"})
    assert unknown.status_code == 401


async def test_the_limit_answers_429_with_retry_after(
    api: httpx.AsyncClient, database_url: str
) -> None:
    # anonymous: 3 a minute in this app
    statuses = [(await api.get("/api/v1/questionnaire")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = await api.get("/api/v1/questionnaire")
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.headers["content-type"] == "application/problem+json"
    # a partner key has its own, higher limit
    new = _key(database_url, ["https://crm.example"], rate=5)
    headers = {"X-API-Key": new.key, "Origin": "https://crm.example"}
    keyed = [await api.get("/api/v1/questionnaire", headers=headers) for _ in range(6)]
    assert [r.status_code for r in keyed] == [200] * 5 + [429]
    # the partner's page can read how long to wait
    assert keyed[-1].headers["access-control-allow-origin"] == "https://crm.example"
    assert "Retry-After" in keyed[-1].headers["access-control-expose-headers"]


async def test_refusals_carry_the_security_headers_and_wrong_keys_are_limited(
    api: httpx.AsyncClient,
) -> None:
    # anonymous: 3 a minute in this app; a wrong key counts against the address like any call
    wrong = [
        await api.post("/api/v1/score", json=ANSWERS, headers={"X-API-Key": f"csmb_guess{i}"})
        for i in range(4)
    ]
    assert [r.status_code for r in wrong] == [401, 401, 401, 429]
    assert int(wrong[-1].headers["retry-after"]) >= 1
    for refused in (wrong[0], wrong[-1]):
        assert refused.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
        assert refused.headers["x-frame-options"] == "DENY"


async def test_only_allowed_origins_get_a_cors_grant(
    api: httpx.AsyncClient, database_url: str
) -> None:
    new = _key(database_url, ["https://crm.example"])
    allowed = await api.post(
        "/api/v1/score",
        json=ANSWERS,
        headers={"X-API-Key": new.key, "Origin": "https://crm.example"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://crm.example"
    other = await api.post(
        "/api/v1/score",
        json=ANSWERS,
        headers={"X-API-Key": new.key, "Origin": "https://evil.example"},
    )
    assert "access-control-allow-origin" not in other.headers
    preflight = await api.options(
        "/api/v1/score",
        headers={"Origin": "https://crm.example", "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "X-API-Key" in preflight.headers["access-control-allow-headers"]
    refused = await api.options(
        "/api/v1/score",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert refused.status_code == 403
    assert "access-control-allow-origin" not in refused.headers


async def test_the_api_speaks_the_language_asked_and_sets_no_cookie(
    api: httpx.AsyncClient,
) -> None:
    # the site's language cookie says English; the API reads only lang and Accept-Language
    api.cookies.set("lang", "en")
    french = await api.post("/api/v1/score", json={**ANSWERS, "sector": "nowhere"})
    assert french.status_code == 422
    assert french.headers["content-language"] == "fr"
    assert french.json()["title"] == "Réponses invalides"
    english = await api.post(
        "/api/v1/score", json=ANSWERS, headers={"Accept-Language": "en-GB,en;q=0.9"}
    )
    assert english.headers["content-language"] == "en"
    default = await api.post("/api/v1/score", json=ANSWERS)
    assert default.headers["content-language"] == "fr"
    titles = [r.json()["recommendations"][0]["title"] for r in (english, default)]
    assert titles[0] != titles[1]
    for response in (french, english, default):
        assert "set-cookie" not in response.headers
        assert {"origin", "accept-language"} <= {
            v.strip().lower() for v in response.headers["vary"].split(",")
        }
    # the fourth anonymous call of the minute: the gate's own refusals speak French too
    refused = await api.get("/api/v1/questionnaire", headers={"X-API-Key": "csmb_nope"})
    assert refused.status_code == 429
    assert refused.headers["content-language"] == "fr"
    assert refused.json()["title"] == "Trop de requêtes"


def test_the_admin_command_creates_lists_and_revokes(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.settings import get_settings

    monkeypatch.setenv("CSMB_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        assert (
            admin(["keys", "create", "--name", "Magazine", "--origin", "https://mag.example"]) == 0
        )
        created = capsys.readouterr()
        key = created.out.strip()
        assert key.startswith("csmb_")
        prefix = key.split("_")[1]
        iframe = f'<iframe id="csmb-benchmark" src="https://BENCHMARK-HOST/embed/{prefix}?lang=fr"'
        assert iframe in created.err
        # the lines that let the frame grow trust messages from the benchmark's host only
        assert 'event.origin === "https://BENCHMARK-HOST"' in created.err
        assert admin(["keys", "list"]) == 0
        listed = capsys.readouterr().out
        assert "active" in listed
        assert "https://mag.example" in listed
        assert key not in listed
        assert admin(["keys", "revoke", prefix]) == 0
        assert admin(["keys", "list"]) == 0
        assert "revoked" in capsys.readouterr().out
        assert admin(["keys", "create", "--name", "x", "--origin", "not an origin"]) == 2
        for rate in ("0", "-5", "many"):
            with pytest.raises(SystemExit) as refused:  # argparse: usage and exit status 2
                admin(["keys", "create", "--name", "x", "--rate", rate])
            assert refused.value.code == 2
            assert "--rate" in capsys.readouterr().err
    finally:
        get_settings.cache_clear()


def test_the_readme_gives_the_embed_snippet_the_code_gives() -> None:
    """The snippet partners copy from the README (French and English sections) is the one the
    admin command prints and the browser tests paste."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert partners.embed_snippet("<prefix>") in readme
    assert partners.embed_snippet("<préfixe>", "https://HOTE-DU-BAROMETRE") in readme


def test_the_snippet_names_the_frame_in_the_questionnaires_language() -> None:
    assert 'title="Customer-service maturity benchmark"' in partners.embed_snippet("p", lang="en")
    assert 'title="Baromètre de maturité du service client"' in partners.embed_snippet("p")
