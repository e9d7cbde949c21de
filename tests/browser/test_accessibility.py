"""axe-core (vendored, served from the test's own files) finds no serious or critical
violation on a questionnaire step, a step showing errors, and the result page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    BrowserDraft,
    axe_violations,
    describe_violations,
    fill_step,
    persona,
    submit,
    wait_for_charts,
)

# the app's CSP (rightly) refuses axe's injected inline script; only these tests bypass it
pytestmark = pytest.mark.browser_context_args(bypass_csp=True)


def _assert_no_blocking_violation(page: Page) -> None:
    violations = axe_violations(page)
    print(
        f"\naxe on {page.url}: {describe_violations(violations) or 'no serious/critical violation'}"
    )
    assert violations == [], describe_violations(violations)


def test_questionnaire_step_has_no_serious_violation(page: Page) -> None:
    page.goto("/assessment")
    fill_step(page, persona("classiques", 0))
    _assert_no_blocking_violation(page)


def test_step_in_error_state_has_no_serious_violation(page: Page) -> None:
    answers = persona("classiques", 0)
    page.goto("/assessment")
    fill_step(page, answers)
    assert submit(page) == 200
    assert submit(page) == 422  # the channels step sent blank: every field in error
    expect(page.locator(".error-summary")).to_be_visible()
    _assert_no_blocking_violation(page)


def test_result_page_has_no_serious_violation(
    new_context: Any, completed_draft: BrowserDraft
) -> None:
    page = new_context(storage_state=completed_draft.storage_state).new_page()
    page.goto(completed_draft.result_path)
    wait_for_charts(page)
    _assert_no_blocking_violation(page)
