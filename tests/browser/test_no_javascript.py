"""Without JavaScript the questionnaire still works end to end: plain forms, server-side
errors, and a result page whose tables say everything the charts would."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    assert_checked,
    complete_questionnaire,
    core_cluster,
    current_step,
    fill_step,
    on_result,
    persona,
    submit,
)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_questionnaire_completes_without_javascript(page: Page) -> None:
    answers = persona("basiques", 0)
    page.goto("/assessment")
    # an error is still caught and shown by the server
    kept = fill_step(page, answers, skip=["sector"])
    assert submit(page) == 422
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator("#sector-error")).to_be_visible()
    assert_checked(page, answers, kept)
    fill_step(page, answers)
    assert submit(page) == 200

    # a question that depends on another one on the same page stays shown once that answer
    # says it does not apply (the script that would hide it does not run); the server
    # ignores it
    while current_step(page) != "satisfaction":
        fill_step(page, answers)
        assert submit(page) == 200
    fill_step(page, answers)
    expect(page.locator('[name="satisfaction_measured"][value="never"]')).to_be_checked()
    expect(page.locator("#field-satisfaction_indicators")).to_be_visible()

    complete_questionnaire(page, answers, start=False)
    assert on_result(page)
    expect(page.locator("#cluster")).to_have_attribute("data-cluster", core_cluster(answers))
    assert page.locator("table.data").count() >= 3, "each chart has its table"
    expect(page.locator(".chart-box.drawn")).to_have_count(0)
    expect(page.locator("[data-print]")).to_be_hidden()
