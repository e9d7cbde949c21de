"""What the browser tests share: filling the real pages from an answer set, the core's own
placement for the same answers, console capture and the axe-core check."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Frame, Page, expect

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.core.questionnaire import FORM_STEPS, Question
from app.reference.loader import default_reference
from tests.personas import PERSONAS

AXE_JS = Path(__file__).resolve().parent / "assets" / "axe.min.js"
STEP_URL = re.compile(r"/step/(?P<step>[a-z_]+)")
RESULT_URL = re.compile(
    r"/r/[A-Za-z0-9_-]{16,}$|/embed/[a-z0-9]+/done/[A-Za-z0-9_-]+/[A-Za-z0-9_-]+$"
)
"""A completed questionnaire is stored and shown at its share link (in a partner's frame: at
the embed's result page)."""
Surface = Page | Frame
"""The site's own page, or the frame a partner's page shows it in."""
NEXT = 'button[name="action"][value="next"]'
BACK = 'button[name="action"][value="back"]'
BLOCKING_IMPACTS = ("serious", "critical")

_STEPS = {step.id: step for step in FORM_STEPS}


@dataclass(frozen=True)
class BrowserDraft:
    answers: dict[str, Any]
    cluster: str
    storage_state: Any  # playwright's StorageState: cookies and origins
    result_path: str
    """The stored result's share link (path)."""


def on_result(page: Surface) -> bool:
    return RESULT_URL.search(page.url.split("?")[0]) is not None


def persona(cluster: str, index: int) -> dict[str, Any]:
    return dict(PERSONAS[cluster][index].answers)  # type: ignore[index]


@cache
def _assessor() -> Assessor:
    return Assessor(default_reference())


def core_cluster(answers: dict[str, Any]) -> str:
    """The cluster the core gives for these answers, without any web layer."""
    return str(_assessor().model.place(validate_answers(answers)).cluster)


def current_step(page: Surface) -> str | None:
    match = STEP_URL.search(page.url)
    return match.group("step") if match else None


def step_questions(page: Surface) -> tuple[Question, ...]:
    step = current_step(page)
    assert step is not None, f"not on a questionnaire step: {page.url}"
    return _STEPS[step].questions


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def fill_question(page: Surface, question: Question, value: Any) -> None:
    qid = question.id
    if question.kind in ("percent", "integer"):
        if value == "dont_know":
            page.check(f'[name="{qid}__unknown"]')
        else:
            page.fill(f"#{qid}", str(value))
    elif question.kind == "multiple":
        for option in value:
            page.check(f'[name="{qid}"][value="{option}"]')
    else:
        page.check(f'[name="{qid}"][value="{_text(value)}"]')


def fill_step(page: Surface, answers: dict[str, Any], skip: Iterable[str] = ()) -> list[str]:
    """Answer every question of the current page that the answer set covers and that the
    page shows; returns the ids answered."""
    skipped = set(skip)
    answered = []
    for question in step_questions(page):
        if question.id not in answers or question.id in skipped:
            continue
        if page.locator(f'[name="{question.id}"]').count() == 0:
            continue  # not asked with these answers (e.g. the delay of a closed channel)
        fill_question(page, question, answers[question.id])
        answered.append(question.id)
    return answered


def submit(page: Surface, action: str = NEXT) -> int:
    """Press a form button; returns the status of the page the browser ends on."""
    with page.expect_navigation() as navigation:
        page.click(action)
    response = navigation.value
    assert response is not None
    return response.status


def complete_questionnaire(page: Surface, answers: dict[str, Any], *, start: bool = True) -> None:
    """From the start (or the current step), fill each page and press Next until the result."""
    if start:
        page.goto("/assessment")
    for _ in range(len(FORM_STEPS) + 2):
        if on_result(page):
            return
        step = current_step(page)
        fill_step(page, answers)
        status = submit(page)
        assert status == 200, f"step {step} answered from the answer set was refused ({status})"
    raise AssertionError(f"the questionnaire never reached the result page: {page.url}")


def assert_checked(page: Page, answers: dict[str, Any], ids: Iterable[str]) -> None:
    """The page shows these saved answers as selected / typed."""
    for qid in ids:
        value = answers[qid]
        if isinstance(value, list):
            for option in value:
                expect(page.locator(f'[name="{qid}"][value="{option}"]')).to_be_checked()
        elif value == "dont_know":
            expect(page.locator(f'[name="{qid}__unknown"]')).to_be_checked()
        elif page.locator(f'input#{qid}[type="text"]').count():
            expect(page.locator(f"#{qid}")).to_have_value(str(value))
        else:
            expect(page.locator(f'[name="{qid}"][value="{_text(value)}"]')).to_be_checked()


def focus_is_inside(page: Page, selector: str) -> bool:
    return bool(
        page.evaluate(
            "sel => !!document.activeElement && !!document.activeElement.closest(sel)", selector
        )
    )


_STATUS_422 = "Failed to load resource: the server responded with a status of 422"


class ConsoleErrors:
    """Console messages of type error and uncaught page errors, on every page of a tab."""

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", self._page_error)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        url = str(message.location.get("url", ""))
        if message.text.startswith(_STATUS_422) and STEP_URL.search(url):
            return  # Chromium logs the 422 of a step page re-shown with its errors: by design
        self.messages.append(f"console.error at {url}: {message.text}")

    def _page_error(self, error: Error) -> None:
        self.messages.append(f"uncaught {error.name}: {error.message}")


def wait_for_charts(page: Page) -> int:
    """Every chart box on the page drawn by plotly; returns how many. Each box is scrolled
    into view first, as a reader would: the page may load plotly.js only then."""
    boxes = page.locator(".chart-box")
    count = boxes.count()
    assert count >= 2, f"expected the result page's charts, found {count} chart boxes"
    for box in boxes.all():
        box.scroll_into_view_if_needed()
    expect(page.locator(".chart-box.drawn")).to_have_count(count, timeout=10_000)
    return count


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core (vendored) on the page; the serious and critical violations.

    The context must be created with ``bypass_csp=True``: the app's CSP rightly refuses the
    injected inline script."""
    page.add_script_tag(path=str(AXE_JS))
    results = page.evaluate("async () => await axe.run(document)")
    assert results["testEngine"]["name"] == "axe-core"
    assert len(results["passes"]) > 10, "axe checked next to nothing: is the page empty?"
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node["target"] for node in violation["nodes"]]
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}; "
            f"targets {json.dumps(targets)}"
        )
    return "\n".join(lines)


def core_probabilities(answers: dict[str, Any]) -> dict[str, float]:
    """The core's probability for each cluster with these answers, without any web layer."""
    placement = _assessor().model.place(validate_answers(answers))
    return {cluster: float(p) for cluster, p in placement.probabilities.items()}


class WireBytes:
    """Bytes on the wire of every response a page receives from now on (CDP
    encodedDataLength: headers and compressed bodies), with the browser cache off."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.received: dict[str, float] = {}
        self.urls: dict[str, str] = {}
        cdp = context.new_cdp_session(page)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _response(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["response"]["url"]

    def _finished(self, event: dict[str, Any]) -> None:
        self.received[event["requestId"]] = event["encodedDataLength"]

    @property
    def total(self) -> int:
        return int(sum(self.received.values()))

    def detail(self) -> str:
        """Each transferred response by file name (inline data: URLs transfer nothing)."""
        return ", ".join(
            f"{self.urls.get(rid, rid).rsplit('/', 1)[-1].split('?')[0]}={int(size)}"
            for rid, size in self.received.items()
            if not self.urls.get(rid, "").startswith("data:")
        )
