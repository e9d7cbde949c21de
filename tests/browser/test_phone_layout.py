"""The result page on a phone: nothing wider than the screen."""

from __future__ import annotations

from typing import Any

from tests.browser.helpers import BrowserDraft, wait_for_charts


def test_result_page_is_no_wider_than_a_phone(
    new_context: Any, completed_draft: BrowserDraft
) -> None:
    page = new_context(
        storage_state=completed_draft.storage_state, viewport={"width": 390, "height": 844}
    ).new_page()
    page.goto(completed_draft.result_path)
    wait_for_charts(page)
    wider = page.evaluate(
        """() => Array.from(document.querySelectorAll("main *"))
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .filter(e => !e.closest(".table-scroll, .chart-box"))
            .map(e => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""))
            .slice(0, 5)"""
    )
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a 390px phone: {wider}"
