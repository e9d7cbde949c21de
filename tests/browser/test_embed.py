"""The assessment embedded in a partner's page: two host pages on other localhost origins (a
different site from 127.0.0.1, so the frame is a cross-site one, without our cookies), one
allowed by the partner key and one not."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Frame, Page
from sqlmodel import Session

from app.services import partners
from app.storage.db import engine_for
from tests.browser.helpers import complete_questionnaire, core_cluster, on_result, persona


class HostPages:
    """A partner's site: one page that frames ``embed_url``."""

    def __init__(self) -> None:
        self.embed_url = "about:blank"
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = (
                    "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
                    "<title>Partner</title></head><body><h1>Partner magazine</h1>"
                    f"<iframe id='benchmark' src='{host.embed_url}' title='Benchmark' "
                    "style='width:100%;height:900px;border:0'></iframe></body></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self) -> str:
        # "localhost", not 127.0.0.1: another site than the app, as a real partner is
        return f"http://localhost:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hosts(live_server: str, live_database_url: str) -> Iterator[tuple[HostPages, HostPages]]:
    """Two partner pages framing the same embed URL; the partner key allows only the first."""
    allowed, refused = HostPages(), HostPages()
    try:
        with Session(engine_for(live_database_url)) as session:
            prefix = partners.create(session, "Magazine", [allowed.origin]).record.prefix
        allowed.embed_url = refused.embed_url = f"{live_server}/embed/{prefix}?lang=fr"
        yield allowed, refused
    finally:
        allowed.close()
        refused.close()


def _frame(page: Page) -> Frame:
    handle = page.wait_for_selector("iframe#benchmark")
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    return frame


def test_an_allowed_partner_page_frames_the_assessment_and_completes_it(
    browser: Browser, hosts: tuple[HostPages, HostPages]
) -> None:
    allowed, _ = hosts
    context = browser.new_context(locale="fr-FR")
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(allowed.origin)
        frame = _frame(page)
        frame.wait_for_selector("form.step-form")
        answers = persona("classiques", 0)
        complete_questionnaire(frame, answers, start=False)
        assert on_result(frame)
        assert frame.get_attribute("#cluster", "data-cluster") == core_cluster(answers)
        assert page.url.startswith(allowed.origin)  # the partner's page stayed where it was
        # the private link leaves the frame for our site, in a new tab
        assert frame.get_attribute("#manage-link", "target") == "_blank"
        # no cookie was needed: the app's origin holds none readable by this frame's flow
        assert not [c for c in context.cookies() if c["name"] == "draft"]
        assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e]
    finally:
        context.close()


def test_a_page_on_an_origin_the_partner_did_not_allow_is_refused(
    browser: Browser, hosts: tuple[HostPages, HostPages]
) -> None:
    _, refused = hosts
    context = browser.new_context(locale="fr-FR")
    messages: list[ConsoleMessage] = []
    try:
        page = context.new_page()
        page.on("console", lambda message: messages.append(message))
        page.goto(refused.origin)
        frame = _frame(page)
        page.wait_for_timeout(500)
        assert frame.locator("form.step-form").count() == 0
        assert not frame.url.startswith("http://127.0.0.1")  # an error page, not ours
        assert any("frame-ancestors" in m.text for m in messages), [m.text for m in messages]
    finally:
        context.close()
