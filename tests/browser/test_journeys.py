"""A manager takes the assessment through the real pages, in French and in English, makes a
mistake on the way, corrects it, and gets the cluster the core gives for the same answers."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    BACK,
    NEXT,
    ConsoleErrors,
    assert_checked,
    complete_questionnaire,
    core_cluster,
    current_step,
    fill_question,
    fill_step,
    focus_is_inside,
    on_result,
    persona,
    step_questions,
    submit,
    wait_for_charts,
)


def test_french_journey_with_a_corrected_error_reaches_the_core_cluster(page: Page) -> None:
    answers = persona("classiques", 0)
    console = ConsoleErrors(page)

    page.goto("/assessment")
    assert current_step(page) == "profile"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#progress-text")).to_contain_text("Étape 1 sur")

    # the manager forgets the monthly volume
    answered = fill_step(page, answers, skip=["monthly_volume"])
    assert submit(page) == 422
    assert current_step(page) == "profile"
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("Une réponse demande votre attention")
    expect(summary.locator('a[href="#field-monthly_volume"]')).to_have_count(1)
    expect(page.locator("#field-monthly_volume")).to_have_class(re.compile(r"\bhas-error\b"))
    expect(page.locator("#monthly_volume-error")).to_contain_text("Merci de répondre")
    assert focus_is_inside(page, "#field-monthly_volume"), "focus is not on the first error"
    assert_checked(page, answers, answered)  # every other answer is kept
    assert page.locator(".has-error").count() == 1

    # corrects it and goes on
    fill_question(
        page,
        next(q for q in step_questions(page) if q.id == "monthly_volume"),
        answers["monthly_volume"],
    )
    assert submit(page) == 200
    assert current_step(page) == "channels"
    expect(page.locator(".error-summary")).to_have_count(0)
    expect(page.locator(NEXT)).to_have_text("Suivant")

    complete_questionnaire(page, answers, start=False)
    assert on_result(page)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#cluster")).to_have_attribute("data-cluster", core_cluster(answers))
    expect(page.locator(".result-head")).to_contain_text("Votre service client se rapproche")
    wait_for_charts(page)
    assert console.messages == []


@pytest.mark.browser_context_args(locale="en-GB")
def test_english_journey_by_accept_language_with_a_corrected_error(page: Page) -> None:
    answers = persona("polyvalents", 0)
    console = ConsoleErrors(page)

    page.goto("/assessment")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#progress-text")).to_contain_text("Step 1 of")
    expect(page.locator(NEXT)).to_have_text("Next")

    # through to the handling step, where the first-contact resolution gets a typo
    while current_step(page) != "handling":
        fill_step(page, answers)
        assert submit(page) == 200
    kept = fill_step(page, answers, skip=["phone_fcr"])
    page.fill("#phone_fcr", "150")
    assert submit(page) == 422
    expect(page.locator(".error-summary")).to_contain_text("One answer needs your attention")
    expect(page.locator("#phone_fcr-error")).to_contain_text(
        "Enter a whole number between 0 and 100"
    )
    expect(page.locator("#phone_fcr")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#phone_fcr")).to_have_value("150")  # what was typed stays visible
    assert focus_is_inside(page, "#field-phone_fcr")
    assert_checked(page, answers, kept)
    page.fill("#phone_fcr", str(answers["phone_fcr"]))
    assert submit(page) == 200
    assert current_step(page) != "handling"

    complete_questionnaire(page, answers, start=False)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#cluster")).to_have_attribute("data-cluster", core_cluster(answers))
    expect(page.locator(".result-head")).to_contain_text("Your customer service is closest to the")
    expect(page.locator("#probabilities-title")).to_have_text("How sure is this placement?")
    wait_for_charts(page)
    assert console.messages == []


def test_switching_language_mid_way_keeps_the_answers(page: Page) -> None:
    answers = persona("basiques", 1)
    console = ConsoleErrors(page)

    page.goto("/assessment")
    profile = fill_step(page, answers)
    assert submit(page) == 200
    channels = fill_step(page, answers)
    assert submit(page) == 200
    assert current_step(page) == "delays"
    expect(page.locator("html")).to_have_attribute("lang", "fr")

    # the visible switch in the header: same step, now in English, what was just ticked
    # kept (with JavaScript the link sends the step's form first)
    delays = fill_step(page, answers)
    assert submit(page, 'header a[hreflang="en"]') == 200
    assert current_step(page) == "delays"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(NEXT)).to_have_text("Next")
    assert_checked(page, answers, delays)
    assert submit(page) == 200
    assert current_step(page) == "handling"
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is kept

    # the switch inside the form saves what is on the page, then reloads it in French
    handling = fill_step(page, answers)
    assert submit(page, 'button[name="action"][value="lang:fr"]') == 200
    assert current_step(page) == "handling"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    assert_checked(page, answers, handling)

    # going back, every earlier answer is still selected
    for step, ids in (("delays", delays), ("channels", channels), ("profile", profile)):
        assert submit(page, BACK) == 200
        assert current_step(page) == step
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        assert_checked(page, answers, ids)

    # and English again from the header, to the end
    assert submit(page, 'header a[hreflang="en"]') == 200
    assert_checked(page, answers, profile)
    complete_questionnaire(page, answers, start=False)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#cluster")).to_have_attribute("data-cluster", core_cluster(answers))
    assert console.messages == []


def test_enter_in_a_number_field_goes_to_the_next_step(page: Page) -> None:
    """Enter presses the form's default button, the first submit button that belongs to the
    form: it must stay "Next", whatever the header offers (a language switch once took its
    place)."""
    answers = persona("classiques", 0)
    page.goto("/assessment")
    while current_step(page) != "handling":
        fill_step(page, answers)
        assert submit(page) == 200
    fill_step(page, answers)
    with page.expect_navigation():
        page.locator("#phone_fcr").press("Enter")
    assert current_step(page) != "handling"
    expect(page.locator("html")).to_have_attribute("lang", "fr")
