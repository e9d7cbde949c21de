"""A half-finished assessment survives a reload, a closed tab, and moves to another browser
with its resume link."""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.helpers import assert_checked, current_step, fill_step, persona, submit

ONE_DAY = 24 * 60 * 60


def test_draft_survives_a_reload_and_a_closed_tab(context: BrowserContext, page: Page) -> None:
    answers = persona("basiques", 2)
    page.goto("/assessment")
    profile = fill_step(page, answers)
    assert submit(page) == 200
    channels = fill_step(page, answers)
    assert submit(page) == 200
    assert current_step(page) == "delays"

    # kept on the server, behind a cookie that lasts at least a day
    draft = next(c for c in context.cookies() if c["name"] == "draft")
    assert draft["httpOnly"]
    assert draft["expires"] - time.time() > ONE_DAY

    page.reload()
    assert current_step(page) == "delays"
    expect(page.locator('[name="email_delay"]').first).to_be_visible()
    expect(page.locator('[name="phone_delay"]')).to_have_count(0)  # phone is closed

    page.close()
    tab = context.new_page()
    tab.goto("/assessment")
    assert current_step(tab) == "delays", "resumes at the first unanswered step"
    tab.goto("/assessment/step/channels")
    assert_checked(tab, answers, channels)
    tab.goto("/assessment/step/profile")
    assert_checked(tab, answers, profile)


def test_resume_link_carries_the_draft_to_another_browser(new_context: Any) -> None:
    answers = persona("polyvalents", 1)
    first = new_context().new_page()
    first.goto("/assessment")
    profile = fill_step(first, answers)
    assert submit(first) == 200
    link = first.locator("aside.resume a").get_attribute("href")
    assert link is not None
    assert link.startswith("/assessment/resume/")

    elsewhere = new_context().new_page()  # no cookie at all
    elsewhere.goto(link)
    assert current_step(elsewhere) == "channels"
    elsewhere.goto("/assessment/step/profile")
    assert_checked(elsewhere, answers, profile)
