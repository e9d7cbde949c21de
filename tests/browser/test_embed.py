"""The assessment embedded in a partner's page: two host pages on other localhost origins (a
different site from 127.0.0.1, so the frame is a cross-site one, without our cookies), one
allowed by the partner key and one not. The host pages paste the embed snippet as the docs
give it (``partners.embed_snippet``), its resizing script included."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import ConsoleMessage, Frame, Page
from sqlmodel import Session

from app.services import partners
from app.storage.db import engine_for
from tests.browser.helpers import (
    BACK,
    assert_checked,
    complete_questionnaire,
    core_cluster,
    current_step,
    fill_step,
    on_result,
    persona,
    submit,
)

POSTER = "/post-height"


class HostPages:
    """A partner's site: one page with ``snippet`` in it."""

    def __init__(self) -> None:
        self.snippet = ""
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                page = (
                    "<!doctype html><html lang='fr'><head><meta charset='utf-8'>"
                    "<title>Partner</title></head><body><h1>Partner magazine</h1>"
                    f"{host.snippet}<p id='after'>Partner footer</p></body></html>"
                ).encode()
                if self.path == POSTER:  # a page of this origin that claims a height
                    page = (
                        b"<!doctype html><title>other</title><script>parent.postMessage("
                        b"{type: 'csmb:height', height: 321}, '*'); document.title = 'posted'"
                        b"</script>"
                    )
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
            # two origins, as a partner with a staging site has: the frame still grows
            origins = [allowed.origin, "https://www.mag.example"]
            prefix = partners.create(session, "Magazine", origins).record.prefix
        allowed.snippet = refused.snippet = partners.embed_snippet(prefix, live_server, "fr")
        yield allowed, refused
    finally:
        allowed.close()
        refused.close()


def _questionnaire(page: Page) -> Frame:
    """The frame on the partner's page (just opened or reloaded), once it shows a step."""
    frame = _frame(page)
    frame.wait_for_selector("form.step-form")
    return frame


def _frame(page: Page) -> Frame:
    handle = page.wait_for_selector("iframe#csmb-benchmark")
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    return frame


def test_an_allowed_partner_page_frames_the_assessment_and_completes_it(
    page: Page, hosts: tuple[HostPages, HostPages]
) -> None:
    allowed, _ = hosts
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(allowed.origin)
    frame = _questionnaire(page)
    answers = persona("classiques", 0)
    complete_questionnaire(frame, answers, start=False)
    assert on_result(frame)
    assert frame.get_attribute("#cluster", "data-cluster") == core_cluster(answers)
    assert page.url.startswith(allowed.origin)  # the partner's page stayed where it was
    # the private link leaves the frame for our site, in a new tab
    assert frame.get_attribute("#manage-link", "target") == "_blank"
    # the site's own draft cookie was never set: the frame's flow runs on its URLs
    assert not [c for c in page.context.cookies() if c["name"] == "draft"]
    assert not [e for e in errors if "Refused" in e or "Content Security Policy" in e]


def test_a_page_on_an_origin_the_partner_did_not_allow_is_refused(
    page: Page, hosts: tuple[HostPages, HostPages]
) -> None:
    _, refused = hosts
    messages: list[ConsoleMessage] = []
    page.on("console", lambda message: messages.append(message))
    page.goto(refused.origin)
    frame = _frame(page)
    page.wait_for_timeout(500)
    assert frame.locator("form.step-form").count() == 0
    assert not frame.url.startswith("http://127.0.0.1")  # an error page, not ours
    assert any("frame-ancestors" in m.text for m in messages), [m.text for m in messages]


def _frame_fits(page: Page, frame: Frame) -> float:
    """Waits until the frame on the partner's page is as tall as the page inside it (the
    snippet's script applied the height the frame reported); returns that height."""
    deadline = time.monotonic() + 10
    while True:
        outer = page.eval_on_selector("#csmb-benchmark", "f => f.getBoundingClientRect().height")
        inner = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        if abs(outer - inner) <= 1:
            return float(outer)
        assert time.monotonic() < deadline, f"the frame stayed {outer}px for {inner}px of page"
        page.wait_for_timeout(50)


def test_the_frame_grows_and_shrinks_with_the_page_inside_it(
    page: Page, hosts: tuple[HostPages, HostPages]
) -> None:
    allowed, refused = hosts
    page.goto(allowed.origin)
    frame = _questionnaire(page)
    first = _frame_fits(page, frame)
    assert first != 900  # the snippet's first height, replaced by the reported one
    # nothing to scroll inside the frame: the partner's page scrolls instead
    assert frame.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    # the page inside grows, then shrinks back: so does the frame
    frame.evaluate(
        "() => { const d = document.createElement('div'); d.id = 'tall';"
        " d.style.height = '3000px'; document.body.append(d); }"
    )
    assert _frame_fits(page, frame) >= first + 3000
    frame.evaluate("() => document.getElementById('tall').remove()")
    assert abs(_frame_fits(page, frame) - first) <= 1
    # only our frame may set the height: a message from the partner's page is ignored
    page.evaluate("window.postMessage({type: 'csmb:height', height: 321}, '*')")
    page.wait_for_timeout(200)
    assert page.eval_on_selector("#csmb-benchmark", "f => f.offsetHeight") == round(first)
    complete_questionnaire(frame, persona("polyvalents", 0), start=False)
    assert on_result(frame)
    result = _frame_fits(page, frame)
    assert result > first  # the result, with its charts and advice, is the longer page
    # and so is one from the same frame once it shows another site's page
    page.eval_on_selector(
        "#csmb-benchmark", "(f, url) => { f.src = url; }", refused.origin + POSTER
    )
    _frame(page).wait_for_url(refused.origin + POSTER)
    _frame(page).wait_for_function("document.title === 'posted'")
    page.wait_for_timeout(200)
    assert page.eval_on_selector("#csmb-benchmark", "f => f.offsetHeight") == round(result)


def test_reloading_the_partner_page_comes_back_to_the_unfinished_questionnaire(
    page: Page, hosts: tuple[HostPages, HostPages]
) -> None:
    allowed, _ = hosts
    page.goto(allowed.origin)
    frame = _questionnaire(page)
    assert "/new/step/" in frame.url
    answers = persona("classiques", 1)
    first = current_step(frame)
    answered = fill_step(frame, answers)
    assert submit(frame) == 200
    second = current_step(frame)
    assert second != first
    assert "/new/" not in frame.url
    draft_url = frame.url
    # what brings it back: one cookie, kept in this partner site's partition only
    kept = [c for c in page.context.cookies() if c["name"] == "embed_draft"]
    assert len(kept) == 1
    assert kept[0].get("partitionKey") == allowed.origin.rsplit(":", 1)[0]

    page.reload()  # the partner's page starts the frame at the first step again
    frame = _frame(page)
    frame.wait_for_url(draft_url)
    assert current_step(frame) == second
    assert submit(frame, BACK) == 200
    assert current_step(frame) == first
    assert_checked(frame, answers, answered)  # the answers given are still there

    # starting again forgets the unfinished questionnaire: a reload stays on the new one
    with frame.expect_navigation():
        frame.click("#embed-restart")
    assert "/new/step/" in frame.url
    page.reload()
    frame = _questionnaire(page)
    page.wait_for_timeout(300)  # time for a wrong redirect to happen
    assert "/new/step/" in frame.url
    assert "restart" not in frame.url

    # a finished questionnaire is forgotten too: its private link is never kept
    complete_questionnaire(frame, answers, start=False)
    assert on_result(frame)
    page.reload()
    frame = _questionnaire(page)
    page.wait_for_timeout(300)
    assert "/new/step/" in frame.url
