from __future__ import annotations

import re

import httpx
import pytest

from app.web.i18n import from_accept_language, translations

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
    assert "Canaux et délais de réponse" in fr
    assert "Channels and response times" in en


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


def test_accept_language_negotiation() -> None:
    assert from_accept_language("de-DE,en;q=0.8,fr;q=0.9") == "fr"
    assert from_accept_language("en-GB") == "en"
    assert from_accept_language("de, es") is None
    assert from_accept_language("fr;q=0, en;q=0.1") == "en"
    assert from_accept_language("") is None


def test_every_page_string_exists_in_both_catalogs() -> None:
    french = translations("fr")
    english = translations("en")
    catalog = french._catalog  # msgid -> msgstr
    ids = [k for k in catalog if k]
    assert ids
    for msgid in ids:
        # msgids are English; every one has its own French text
        assert french.gettext(msgid).strip(), msgid
        assert french.gettext(msgid) != msgid, msgid
        assert english.gettext(msgid) == msgid
