"""The partner API's reading of an answer set: conditional answers may be left out (scored as
unanswered), well-formed answers to questions that do not apply are set aside and reported."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import (
    InvalidAnswers,
    applicability,
    validate_answers,
    validate_partial_answers,
)
from app.core.assessment import Assessor
from app.core.questionnaire import QUESTIONNAIRE
from tests.personas import PERSONAS
from tests.strategies import partner_answer_sets

pytestmark = pytest.mark.unit

FULL: dict[str, Any] = dict(PERSONAS["classiques"][0].answers)


def _codes(raw: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as caught:
        validate_partial_answers(raw)
    return {e.field: e.code for e in caught.value.errors}


def test_a_full_valid_set_reads_the_same_as_the_strict_reading() -> None:
    partial = validate_partial_answers(FULL)
    assert partial.answers == validate_answers(FULL)
    assert partial.set_aside == ()


def test_a_conditional_answer_left_out_is_unanswered_and_lowers_the_confidence(
    assessor: Assessor,
) -> None:
    assert FULL["phone_open"] is True
    raw = {k: v for k, v in FULL.items() if k != "phone_delay"}
    with pytest.raises(InvalidAnswers):
        validate_answers(raw)  # the web form still insists
    answers = validate_partial_answers(raw).answers
    assert "phone_delay" not in answers
    placement = assessor.assess(answers).placement
    assert placement.confidence == "reduced"
    skipped = {p.question: p.skipped for p in placement.pulls}
    assert skipped["phone_delay"] == "unanswered"


def test_an_unconditional_question_is_still_required() -> None:
    raw = {k: v for k, v in FULL.items() if k != "phone_open"}
    assert _codes(raw)["phone_open"] == "required"


def test_an_answer_to_a_question_that_does_not_apply_is_set_aside_and_reported() -> None:
    raw = {**FULL, "whatsapp_open": False, "whatsapp_delay": "lt_5min"}
    partial = validate_partial_answers(raw)
    assert "whatsapp_delay" not in partial.answers
    assert [(e.field, e.code) for e in partial.set_aside] == [("whatsapp_delay", "not_applicable")]
    assert "WhatsApp" in partial.set_aside[0].message.en


@pytest.mark.parametrize("value", [None, "soon", 3, ["lt_5min"]])
def test_a_malformed_answer_is_refused_even_where_it_does_not_apply(value: object) -> None:
    raw = {**FULL, "whatsapp_open": False, "whatsapp_delay": value}
    assert _codes(raw)["whatsapp_delay"] in {"wrong_type", "invalid_option"}


def test_an_empty_conditional_choice_list_is_unanswered_but_an_empty_required_one_is_not() -> None:
    assert FULL["satisfaction_measured"] != "never"
    answers = validate_partial_answers({**FULL, "satisfaction_indicators": []}).answers
    assert "satisfaction_indicators" not in answers
    assert _codes({**FULL, "engagement_measures": []})["engagement_measures"] == "required"


@settings(max_examples=300, deadline=None)
@given(partner_answer_sets())
def test_every_accepted_partner_set_is_scored(assessor: Assessor, raw: dict[str, Any]) -> None:
    partial = validate_partial_answers(raw)
    answers = dict(partial.answers)
    # what is kept applies; what is set aside was given and does not apply
    for question in QUESTIONNAIRE.questions():
        if question.id in answers:
            assert applicability(question, answers) != "does_not_apply"
    for note in partial.set_aside:
        assert note.field in raw
        assert note.field not in answers
    result = assessor.assess(partial.answers)
    assert math.isclose(sum(result.placement.probabilities.values()), 1.0)
    left_out = {
        q.id
        for q in QUESTIONNAIRE.questions()
        if q.applies_when
        and q.required
        and q.id not in answers
        and applicability(q, answers) == "applies"
    }
    factor_questions = {p.question for p in result.placement.pulls}
    if left_out & factor_questions:
        assert result.placement.confidence == "reduced"


def test_an_answer_whose_condition_was_left_out_is_set_aside() -> None:
    raw = {**FULL, "nps_value": -50}
    del raw["satisfaction_indicators"]
    partial = validate_partial_answers(raw)
    assert "nps_value" not in partial.answers
    assert [(e.field, e.code) for e in partial.set_aside] == [("nps_value", "not_applicable")]


def test_the_strict_reading_still_takes_a_blank_for_absent_where_nothing_applies() -> None:
    assert FULL["mail_open"] is False
    answers = validate_answers({**FULL, "mail_delay": None})
    assert "mail_delay" not in answers


def test_the_path_never_counts_answering_a_left_out_question_as_a_free_change(
    assessor: Assessor,
) -> None:
    for persona in (p for group in PERSONAS.values() for p in group):
        raw = dict(persona.answers)
        left_out = [q for q in ("phone_delay", "phone_aht", "email_delay") if q in raw]
        for question in left_out:
            del raw[question]
        path = assessor.assess(validate_partial_answers(raw).answers).next_level.path
        if path is None:
            continue
        for change in path.changes:
            if change.question in left_out:
                assert change.before is None
                assert path.steps >= 1
