"""Answers coded as small integers (app/core/answer_codes.py): every value validation can give
has a code, and a key function gives each combination of a group's answers its own place in
the group's range of the table."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings

from app.core import answer_codes
from app.core.answers import validate_answers, validate_partial_answers
from app.core.questionnaire import QUESTIONNAIRE
from tests.strategies import answer_sets, partner_answer_sets

pytestmark = pytest.mark.unit


@given(raw=answer_sets())
@settings(max_examples=200)
def test_every_validated_answer_has_a_code(raw: dict[str, Any]) -> None:
    for answers in (validate_answers(raw), validate_partial_answers(raw).answers):
        for question in QUESTIONNAIRE.questions():
            value = answers.get(question.id)
            table = answer_codes.codes(question.id)
            # the value itself, not only one equal to it (True == 1): same type
            assert value in table, (question.id, value)
            assert [type(key) for key in table if key == value] == [type(value)], question.id


@given(raw=partner_answer_sets())
@settings(max_examples=100)
def test_every_partner_answer_has_a_code(raw: dict[str, Any]) -> None:
    answers = validate_partial_answers(raw).answers
    for question in QUESTIONNAIRE.questions():
        assert answers.get(question.id) in answer_codes.codes(question.id), question.id


def test_codes_number_the_values_from_zero_for_unanswered() -> None:
    for question in QUESTIONNAIRE.questions():
        table = answer_codes.codes(question.id)
        assert table[None] == 0
        assert sorted(table.values()) == list(range(len(table)))
    assert answer_codes.codes("no_such_question") == {None: 0}
    # tables are shared by questions with the same values, never across types (True == 1)
    assert answer_codes.codes("phone_open") is answer_codes.codes("email_open")
    assert answer_codes.codes("phone_open") == {None: 0, True: 1, False: 2}
    assert answer_codes.numbered([None, 1, 0]) is not answer_codes.codes("phone_open")
    with pytest.raises(ValueError, match="compare equal"):
        answer_codes.numbered([None, True, 1])


def test_each_combination_of_a_group_has_its_own_place() -> None:
    others = {"colour": answer_codes.numbered(["red", "green"])}
    groups = [("phone_open", "colour"), ("satisfaction_measured",), ()]
    domains = [answer_codes.domain(group, others) for group in groups]
    offsets = [0, domains[0], domains[0] + domains[1]]
    keys = answer_codes.key_function(groups, offsets, others)
    seen: dict[int, tuple[object, ...]] = {}
    phone = answer_codes.codes("phone_open")
    satisfaction = answer_codes.codes("satisfaction_measured")
    for opened, colour, measured in itertools.product(phone, others["colour"], satisfaction):
        answers = {"phone_open": opened, "satisfaction_measured": measured}
        first, second, third = keys(answers.get, colour)
        assert 0 <= first < offsets[1]
        assert offsets[1] <= second < offsets[2]
        assert third == offsets[2]
        assert seen.setdefault(first, (opened, colour)) == (opened, colour)
        assert seen.setdefault(second, (measured,)) == (measured,)
    assert len(seen) == domains[0] + domains[1]
    with pytest.raises(KeyError):
        keys({"phone_open": "maybe"}.get, "red")
