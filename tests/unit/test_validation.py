"""Bad answer sets are refused with one clear error per field, in French and English."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import InvalidAnswers, validate_answers, validate_text_answers
from tests.personas import PERSONAS
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit

VALID: dict[str, Any] = dict(PERSONAS["classiques"][0].answers)


def errors_of(raw: dict[str, Any], **kwargs: Any) -> dict[str, str]:
    with pytest.raises(InvalidAnswers) as caught:
        validate_answers(raw, **kwargs)
    fields = [e.field for e in caught.value.errors]
    assert len(fields) == len(set(fields)), "one error per field"
    for error in caught.value.errors:
        assert error.message.fr
        assert error.message.en
        assert error.message.fr != error.message.en
    return {e.field: e.code for e in caught.value.errors}


@given(raw=answer_sets())
@settings(max_examples=200)
def test_every_generated_answer_set_is_valid(raw: dict[str, Any]) -> None:
    answers = validate_answers(raw)
    assert set(answers) <= set(raw) | {"agent_kpis", "satisfaction_indicators"}


def test_a_valid_set_passes() -> None:
    assert validate_answers(VALID)["sector"] == VALID["sector"]


def test_unknown_ids_are_named() -> None:
    assert errors_of({**VALID, "favourite_colour": "blue"}) == {
        "favourite_colour": "unknown_question"
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phone_open", "yes"),
        ("phone_open", 1),
        ("orientation_value_creation", "4"),
        ("orientation_value_creation", 4.5),
        ("orientation_value_creation", True),
        ("sector", 3),
        ("agent_kpis", "upsell"),
        ("phone_fcr", "72"),
    ],
)
def test_wrong_types_are_refused(field: str, value: object) -> None:
    assert errors_of({**VALID, field: value}) == {field: "wrong_type"}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("orientation_value_creation", 0, "out_of_range"),
        ("orientation_value_creation", 6, "out_of_range"),
        ("phone_fcr", 101, "out_of_range"),
        ("phone_fcr", -1, "out_of_range"),
        ("sector", "aerospace", "invalid_option"),
        ("agent_kpis", ["upsell", "upsell"], "duplicate_option"),
        ("engagement_measures", ["enps", "not_measured"], "exclusive_option"),
    ],
)
def test_values_out_of_range_or_options_are_refused(field: str, value: object, code: str) -> None:
    assert errors_of({**VALID, field: value}) == {field: code}


def test_a_delay_for_a_closed_channel_is_refused() -> None:
    raw = {**VALID, "chat_open": False, "chat_delay": "lt_5min"}
    assert errors_of(raw) == {"chat_delay": "not_applicable"}


def test_a_closed_channels_delay_is_dropped_for_forms() -> None:
    raw = {**VALID, "chat_open": False, "chat_delay": "lt_5min"}
    assert "chat_delay" not in validate_answers(raw, drop_inapplicable=True)


def test_missing_required_answers_each_get_an_error() -> None:
    raw = {
        k: v
        for k, v in VALID.items()
        if k not in ("sector", "phone_delay", "complaint_opportunity")
    }
    assert errors_of(raw) == {
        "sector": "required",
        "phone_delay": "required",
        "complaint_opportunity": "required",
    }


def test_an_empty_answer_set_lists_every_required_question() -> None:
    codes = errors_of({})
    assert set(codes.values()) == {"required"}
    assert "sector" in codes
    assert "phone_delay" not in codes


def test_several_faults_are_all_reported_at_once() -> None:
    raw = {
        **VALID,
        "sector": "nope",
        "phone_open": "maybe",
        "orientation_value_creation": 9,
        "extra": 1,
    }
    codes = errors_of(raw)
    assert codes["sector"] == "invalid_option"
    assert codes["phone_open"] == "wrong_type"
    assert codes["orientation_value_creation"] == "out_of_range"
    assert codes["extra"] == "unknown_question"


def test_text_answers_are_read_then_validated() -> None:
    text = {k: ("|".join(v) if isinstance(v, list) else str(v).lower()) for k, v in VALID.items()}
    assert validate_text_answers(text) == validate_answers(VALID)


def test_unreadable_text_is_an_error_of_that_field_only() -> None:
    text = {k: ("|".join(v) if isinstance(v, list) else str(v).lower()) for k, v in VALID.items()}
    text["phone_fcr"] = "a lot"
    with pytest.raises(InvalidAnswers) as caught:
        validate_text_answers(text)
    assert [(e.field, e.code) for e in caught.value.errors] == [("phone_fcr", "wrong_type")]


@pytest.mark.parametrize("blank", ["", [], "  "])
def test_an_empty_value_is_not_an_absent_answer(blank: object) -> None:
    """JSON callers: an empty text or list is a wrong answer, even for a closed channel."""
    codes = errors_of({**VALID, "whatsapp_open": False, "whatsapp_delay": blank})
    assert codes == {"whatsapp_delay": "not_applicable"}
    assert errors_of({**VALID, "sector": blank})["sector"] in {"invalid_option", "wrong_type"}


def test_an_explicit_null_is_a_wrong_type() -> None:
    assert errors_of({**VALID, "agent_kpis": None}) == {"agent_kpis": "wrong_type"}
