"""/docs: Swagger UI served from the app's own copy, under the site's Content-Security-Policy."""

from __future__ import annotations

from html.parser import HTMLParser

import httpx
import pytest

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
