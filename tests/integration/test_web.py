from __future__ import annotations

import html
import inspect
import re

import httpx
import pytest
from fastapi import FastAPI

from app.core.questionnaire import FORM_STEPS
from app.settings import Settings
from app.web.i18n import from_accept_language, translations
from app.web.main import create_app, telemetry_options

pytestmark = [pytest.mark.integration, pytest.mark.anyio]


async def test_home_is_french_by_default(client: httpx.AsyncClient) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    assert response.headers["content-language"] == "fr"
    assert '<html lang="fr">' in response.text
    assert "Quelle est la maturité de votre service client" in response.text
    # the three clusters, with their share from the report
    for name in ("Basiques", "Classiques", "Polyvalents"):
        assert name in response.text
    assert "22&#8239;%" in response.text  # French typography: narrow space before %
    assert "43&#8239;%" in response.text


async def test_english_from_accept_language(client: httpx.AsyncClient) -> None:
    response = await client.get("/", headers={"Accept-Language": "en-US,en;q=0.9,fr;q=0.4"})
    assert response.headers["content-language"] == "en"
    assert "How mature is your customer service?" in response.text
    assert "22%" in response.text


async def test_the_visible_switch_wins_and_is_remembered(client: httpx.AsyncClient) -> None:
    chosen = await client.get("/?lang=en", headers={"Accept-Language": "fr"})
    assert "How mature" in chosen.text
    assert chosen.cookies.get("lang") == "en"
    later = await client.get("/", headers={"Accept-Language": "fr"})
    assert "How mature" in later.text
    back = await client.get("/?lang=fr")
    assert "Quelle est la maturité" in back.text


async def test_both_languages_show_the_same_sections(client: httpx.AsyncClient) -> None:
    fr = (await client.get("/?lang=fr")).text
    en = (await client.get("/?lang=en")).text
    assert len(re.findall(r"<h[23]", fr)) == len(re.findall(r"<h[23]", en))
    # the questionnaire's steps, named as the steps themselves are
    for step in FORM_STEPS:
        assert html.escape(step.title.fr, quote=False) in fr
        assert html.escape(step.title.en, quote=False) in en
    assert len(re.findall(r"<li><strong>", fr)) == len(FORM_STEPS)
    # the levels are described as groups; the pointer to "your detailed result" is for the
    # result page only
    assert "Votre résultat détaillé" not in html.unescape(fr)
    assert "Your detailed result" not in en


async def test_healthz(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "edition": "2022"}


async def test_security_headers_on_every_page(client: httpx.AsyncClient) -> None:
    for path in ("/", "/healthz", "/static/css/site.css"):
        headers = (await client.get(path)).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"


async def test_assets_are_served_by_the_app_and_compressed(client: httpx.AsyncClient) -> None:
    page = (await client.get("/")).text
    assert "http://" not in page.replace("http://testserver", "")
    assert "https://" not in page
    css = await client.get("/static/css/site.css", headers={"Accept-Encoding": "gzip"})
    assert css.status_code == 200
    assert css.headers.get("content-encoding") == "gzip"
    plain = await client.get("/static/css/site.css", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert plain.content == css.content  # httpx decompressed the first
    for response in (css, plain):  # a cache must keep the two apart
        assert "accept-encoding" in response.headers["vary"].lower()


def test_accept_language_negotiation() -> None:
    assert from_accept_language("de-DE,en;q=0.8,fr;q=0.9") == "fr"
    assert from_accept_language("en-GB") == "en"
    assert from_accept_language("de, es") is None
    assert from_accept_language("fr;q=0, en;q=0.1") == "en"
    assert from_accept_language("") is None


SAME_IN_BOTH = {"Source", "Date", "Question", "Pages"}  # words spelt the same in French and English


def test_every_page_string_exists_in_both_catalogs() -> None:
    """No page text in one language only: every message has its own French text, and the
    English catalog covers the same messages."""
    from babel.messages.pofile import read_po

    from app.web.i18n import LOCALES_DIR

    def messages(lang: str) -> dict[object, object]:
        with (LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
            return {m.id: m.string for m in read_po(handle) if m.id}

    french, english = messages("fr"), messages("en")
    assert french
    assert set(french) == set(english)
    for msgid, text in french.items():
        texts = text if isinstance(text, tuple) else (text,)
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        assert all(t and t.strip() for t in texts), msgid
        assert texts[0] != ids[0] or msgid in SAME_IN_BOTH, msgid
    assert translations("fr").gettext("Next") == "Suivant"


def test_every_string_of_the_templates_is_in_the_catalogs() -> None:
    """A new ``_()`` in a template with no catalog entry would show English on French pages."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from app.web.i18n import LOCALES_DIR
    from app.web.templating import TEMPLATES_DIR

    def singular(message: object) -> str:
        return str(message[0] if isinstance(message, tuple | list) else message)

    found = {
        singular(message[2])
        for message in extract_from_dir(
            str(TEMPLATES_DIR),
            method_map=[("**.html", "jinja2")],
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
        )
    }
    assert len(found) > 50
    with (LOCALES_DIR / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        french = {singular(m.id) for m in read_po(handle) if m.id}
    assert sorted(found - french) == []


async def test_unknown_pages_get_a_page_in_the_users_language(client: httpx.AsyncClient) -> None:
    french = await client.get("/nowhere", headers={"Accept": "text/html"})
    assert french.status_code == 404
    assert "Page introuvable" in french.text
    assert '<html lang="fr">' in french.text
    english = await client.get("/nowhere?lang=en", headers={"Accept": "text/html"})
    assert "Page not found" in english.text
    machine = await client.get("/nowhere", headers={"Accept": "application/json"})
    assert machine.json() == {"detail": "Not Found"}


def test_every_post_form_carries_the_csrf_token() -> None:
    """A state-changing form without the token would be refused for real users (403)."""
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "app" / "templates"
    forms = 0
    for template in templates.glob("*.html"):
        for form in re.findall(r'<form method="post".*?</form>', template.read_text(), re.S):
            forms += 1
            assert 'name="csrf" value="{{ csrf }}"' in form, template.name
    assert forms >= 6


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_every_page_renders_in_both_languages(client: httpx.AsyncClient, lang: str) -> None:
    """Each page a visitor can reach without a token, in each language (a translated string
    with a stray % sign once broke one)."""
    for path in ("/", "/methodology", "/assessment/step/profile", "/workspaces/new", "/deleted"):
        response = await client.get(f"{path}?lang={lang}", headers={"Accept": "text/html"})
        assert response.status_code == 200, (path, response.text[:300])
        assert f'<html lang="{lang}">' in response.text


async def test_a_server_error_carries_the_security_headers(settings: Settings) -> None:
    """Starlette sends a 500 from outside every middleware; its handler adds the headers."""
    app = create_app(settings)

    async def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    app.add_api_route("/api/v1/boom", boom)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        page = await http.get("/boom", headers={"accept": "text/html"})
        api = await http.get("/api/v1/boom")
    assert api.headers["content-type"] == "application/problem+json"
    for response in (page, api):
        assert response.status_code == 500
        assert "a bug" not in response.text
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_fastapi_opentelemetry_follows_the_setting(settings: Settings) -> None:
    supported = "telemetry" in inspect.signature(FastAPI.__init__).parameters
    for on in (False, True):
        options = telemetry_options(settings.model_copy(update={"opentelemetry": on}))
        expected = {"telemetry": {"tracing": on, "metrics": on, "logs": on}} if supported else {}
        assert options == expected
        assert create_app(settings.model_copy(update={"opentelemetry": on})).title
