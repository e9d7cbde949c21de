"""The answer a level rests on (``Placement.hinge``): named only when leaving it out really
gives another level, and never on a borderline placement, which says so already."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import validate_answers
from app.core.placement import PlacementModel
from tests.personas import FIVE_CHANNEL_BANK
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit


@given(raw=answer_sets())
@settings(max_examples=300)
def test_leaving_the_decisive_answer_out_gives_the_level_it_names(
    raw: dict[str, Any], model: PlacementModel
) -> None:
    answers = validate_answers(raw)
    placement = model.place(answers)
    hinge = placement.hinge
    if placement.borderline:
        assert hinge is None
    if hinge is None:
        return
    assert hinge.without != placement.cluster
    gates = {f"{channel}_open" for channel in ("phone", "email", "mail", "chat", "social")}
    if hinge.question in gates:
        return  # leaving a channel's opening out also closes its delay and handling time
    unanswered = model.place(answers.replace(**{hinge.question: None}))
    assert unanswered.cluster == hinge.without
    assert unanswered.probabilities[hinge.without] >= 0.5


def test_a_team_of_five_channels_learns_that_not_measuring_phone_time_decides_its_level(
    model: PlacementModel,
) -> None:
    measured = model.place(validate_answers(FIVE_CHANNEL_BANK))
    assert (measured.cluster, measured.hinge) == ("polyvalents", None)
    unmeasured = model.place(validate_answers({**FIVE_CHANNEL_BANK, "phone_aht": "not_measured"}))
    assert unmeasured.cluster == "basiques"
    assert unmeasured.hinge is not None
    assert (unmeasured.hinge.question, unmeasured.hinge.answer) == ("phone_aht", "not_measured")
    assert unmeasured.hinge.without == "polyvalents"
