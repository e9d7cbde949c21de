"""The result page in a real browser: its charts drawn with no console error, its weight on
first load, and screenshots at desktop and phone widths for a human to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.browser.helpers import (
    BrowserDraft,
    ConsoleErrors,
    WireBytes,
    on_result,
    wait_for_charts,
)

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
MAX_RESULT_BYTES = 600 * 1024  # issue 3: at most 600 KB compressed, all assets included


def test_result_page_draws_its_charts_without_console_errors(
    new_context: Any, completed_draft: BrowserDraft
) -> None:
    context = new_context(storage_state=completed_draft.storage_state)
    page = context.new_page()
    console = ConsoleErrors(page)
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)

    response = page.goto(completed_draft.result_path)
    assert response is not None
    assert response.status == 200
    assert on_result(page)
    expect(page.locator("#cluster")).to_have_attribute("data-cluster", completed_draft.cluster)
    drawn = wait_for_charts(page)
    assert drawn >= 3, "the probabilities, the factor pulls and the KPI position"
    # plotly really drew into each box (an svg), not just the class
    for box in page.locator(".chart-box").all():
        expect(box.locator("svg.main-svg").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failed == []
    assert console.messages == []


def test_result_page_first_load_weighs_at_most_600_kb_compressed(
    new_context: Any, completed_draft: BrowserDraft
) -> None:
    """A fresh context (empty cache) carrying only the draft cookie loads the result page;
    the bytes on the wire of every response (CDP encodedDataLength: headers and compressed
    bodies) are summed."""
    context = new_context(storage_state=completed_draft.storage_state)
    page = context.new_page()
    wire = WireBytes(context, page)

    page.goto(completed_draft.result_path)
    wait_for_charts(page)
    page.wait_for_load_state("networkidle")

    total = wire.total
    detail = wire.detail()
    print(
        f"\nresult page first load: {total} bytes ({total / 1024:.1f} KB)"
        f" over {len(wire.received)} responses: {detail}"
    )
    assert len(wire.received) >= 3, "the page, its stylesheet and its scripts at least"
    assert total <= MAX_RESULT_BYTES, f"{total} bytes > {MAX_RESULT_BYTES}: {detail}"


def test_result_page_screenshots_at_desktop_and_phone_widths(
    new_context: Any, completed_draft: BrowserDraft
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, width, height in (("desktop", 1280, 900), ("phone", 390, 844)):
        context = new_context(
            storage_state=completed_draft.storage_state,
            viewport={"width": width, "height": height},
        )
        page = context.new_page()
        page.goto(completed_draft.result_path)
        wait_for_charts(page)
        path = SCREENSHOTS / f"result-{name}-{width}px.png"
        path.unlink(missing_ok=True)
        page.screenshot(path=str(path), full_page=True)
        assert path.exists()
        assert path.stat().st_size > 10_000, f"{path} looks empty"
        context.close()
