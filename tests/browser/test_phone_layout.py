"""The result page, the consultant's dashboard and the methodology on a phone: nothing wider
than the screen; a wide table scrolls inside a box a keyboard can reach."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from app.core.answers import as_text, validate_answers
from app.core.assessment import Assessor
from app.reference.loader import default_reference
from app.services import assessments, workspaces
from app.storage.db import engine_for
from tests.browser.helpers import (
    BrowserDraft,
    axe_violations,
    describe_violations,
    persona,
    wait_for_charts,
)


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


PHONE = {"width": 390, "height": 844}
LONG_NAME = "CabinetDeConseilEnRelationClientDontLeNomNeSeCoupeJamais" * 2
"""A workspace name of 114 characters without a space (names are limited to 120)."""
WIDER_THAN_THE_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .filter(e => !e.closest(".table-scroll"))
    .map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
              (e.className && typeof e.className === "string" ? "." + e.className : ""))
    .slice(0, 5)"""


@pytest.fixture(scope="module")
def crowded_dashboard(live_database_url: str) -> str:
    """A workspace with a long unbroken name and assessments in a long-named sector (the
    dashboard's widest case); returns its dashboard path."""
    assessor = Assessor(default_reference())
    with Session(engine_for(live_database_url)) as session:
        links = workspaces.create(session, LONG_NAME)
        for company, answers in (
            ("Banque Mutualiste du Grand Ouest", persona("classiques", 0)),
            ("Transports & Voyages Européens", persona("polyvalents", 0)),
        ):
            answers = {**answers, "sector": "industry_energy_telecom"}
            draft = workspaces.invited_draft(session, links.workspace, company)
            result = assessor.assess(validate_answers(answers))
            assessments.store(session, result, assessor.reference, as_text(answers), "fr", draft)
    return f"/w/{links.dashboard_secret}"


def _assert_fits(page: Page, what: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    wider = page.evaluate(WIDER_THAN_THE_SCREEN)
    assert overflow <= 0, f"{what} is {overflow}px wider than a 390px phone: {wider}"
    assert wider == [], f"{what}: cut at the screen's edge: {wider}"


def _assert_scrolls_in_a_focusable_region(page: Page, region: Locator, name: str) -> None:
    """The table scrolls inside its box, which a keyboard reaches and a screen reader names."""
    assert region.evaluate("e => e.scrollWidth > e.clientWidth"), "the table fits: no scroll?"
    expect(region).to_have_attribute("tabindex", "0")
    expect(region).to_have_attribute("role", "region")
    expect(region).to_have_accessible_name(name)
    region.focus()
    assert page.evaluate("document.activeElement.classList.contains('table-scroll')")
    before = region.evaluate("e => e.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())
    assert region.evaluate("e => e.scrollLeft") > before


@pytest.mark.browser_context_args(bypass_csp=True)  # axe's injected script
def test_the_dashboard_fits_a_phone_and_its_table_scrolls_inside(
    new_context: Any, crowded_dashboard: str
) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto(crowded_dashboard)
    expect(page.locator("table#assessments tbody tr")).to_have_count(2)
    _assert_fits(page, "the dashboard")
    for select in ("#sector", "#cluster"):
        right = page.locator(select).evaluate("e => e.getBoundingClientRect().right")
        assert right <= PHONE["width"], f"{select} ends at {right}px"
    title = page.locator("h1.workspace-title")
    assert title.evaluate("e => e.scrollWidth <= e.clientWidth"), "the name overflows its title"
    region = page.locator(".table-scroll:has(table#assessments)")
    _assert_scrolls_in_a_focusable_region(page, region, "Évaluations")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_the_invitation_and_compare_pages_wrap_a_long_workspace_name(
    new_context: Any, crowded_dashboard: str
) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto(crowded_dashboard)
    invite = page.locator("a#invite-link").get_attribute("href")
    assert invite is not None
    page.goto(invite)
    expect(page.locator(".lead")).to_contain_text(LONG_NAME)
    _assert_fits(page, "the invitation")
    page.goto(f"{crowded_dashboard}/compare")  # no box ticked: the "tick two" page
    expect(page.locator(".field-error")).to_be_visible()
    _assert_fits(page, "the compare page")


@pytest.mark.browser_context_args(bypass_csp=True)
def test_the_methodology_tables_are_keyboard_scrollable_on_a_phone(new_context: Any) -> None:
    page = new_context(viewport=PHONE).new_page()
    page.goto("/methodology")
    _assert_fits(page, "the methodology page")
    estimates = page.locator(".table-scroll:has(table > caption)")  # what the model uses
    _assert_scrolls_in_a_focusable_region(
        page, estimates, estimates.locator("caption").inner_text()
    )
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
