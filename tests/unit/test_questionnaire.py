from __future__ import annotations

import pytest

from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import AHT_BUCKETS, CHANNELS, DELAY_BUCKETS

pytestmark = pytest.mark.unit


def test_ids_are_unique_and_stable_snake_case() -> None:
    ids = QUESTIONNAIRE.ids()
    assert len(ids) == len(set(ids))
    assert all(i.replace("_", "").isalnum() and i == i.lower() for i in ids)


def test_every_question_and_option_is_labelled_in_both_languages() -> None:
    for question in QUESTIONNAIRE.questions():
        assert question.label.fr
        assert question.label.en
        assert question.label.fr != question.label.en or question.id.endswith("whatsapp_open")
        option_ids = question.option_ids()
        assert len(option_ids) == len(set(option_ids)), question.id
        for option in question.options:
            assert option.label.fr
            assert option.label.en


def test_the_report_sections_are_all_there() -> None:
    assert [s.id for s in QUESTIONNAIRE.sections] == [
        "profile",
        "channels",
        "handling",
        "satisfaction",
        "orientation",
        "complaints",
        "organisation",
        "team",
    ]


@pytest.mark.parametrize("channel", CHANNELS)
def test_each_channel_has_open_and_delay_with_not_measured(channel: str) -> None:
    delay = QUESTIONNAIRE[f"{channel}_delay"]
    assert delay.applies_when is not None
    assert delay.applies_when.question == f"{channel}_open"
    assert delay.option_ids() == (*DELAY_BUCKETS[channel], "not_measured")  # type: ignore[index]


def test_delay_buckets_contain_the_reports_thresholds() -> None:
    # chapter 02: phone < 2 min, email < 24 h and < 72 h, chat and WhatsApp < 5 min, social < 1 h
    assert "lt_2min" in DELAY_BUCKETS["phone"]
    assert {"lt_24h", "24_72h"} <= set(DELAY_BUCKETS["email"])
    assert "lt_5min" in DELAY_BUCKETS["chat"]
    assert "lt_5min" in DELAY_BUCKETS["whatsapp"]
    assert "lt_1h" in DELAY_BUCKETS["social"]
    assert AHT_BUCKETS["phone"] == ("lt_5min", "5_10min", "gt_10min")
    assert AHT_BUCKETS["email"] == ("lt_10min", "10_60min", "gt_1h")


def test_terms_that_need_it_have_help() -> None:
    for question_id in (
        "phone_aht",
        "email_aht",
        "phone_fcr",
        "email_fcr",
        "satisfaction_indicators",
        "channel_strategy",
    ):
        help_text = QUESTIONNAIRE[question_id].help
        assert help_text is not None, question_id
    assert "DMT" in QUESTIONNAIRE["phone_aht"].help.fr  # type: ignore[union-attr]
    assert "CES" in QUESTIONNAIRE["satisfaction_indicators"].help.en  # type: ignore[union-attr]
