"""Properties of placement that a manager would call fair (PRODUCT.md, MODEL.md)."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.answers import validate_answers
from app.core.placement import PlacementModel, twostep_term
from app.core.vocabulary import AHT_BUCKETS, AHT_CHANNELS, CHANNELS, CLUSTERS, DELAY_BUCKETS
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit

TOLERANCE = 1e-12


def test_twostep_term_matches_the_formula_and_is_finite_for_unseen_categories() -> None:
    def xlogx(x: float) -> float:
        return x * math.log(x) if x else 0.0

    n, total = 12.0, 55.0
    expected = xlogx(total + 1) - xlogx(total) - (xlogx(n + 1) - xlogx(n))
    assert twostep_term(n, total) == pytest.approx(expected)
    assert math.isfinite(twostep_term(0.0, total))
    assert twostep_term(0.0, total) > twostep_term(1.0, total) > twostep_term(30.0, total)
    assert twostep_term(30.0, total) == pytest.approx(-math.log(30 / 55), abs=0.05)


@given(raw=answer_sets())
@settings(max_examples=300)
def test_probabilities_sum_to_one_and_label_is_the_most_likely(
    raw: dict[str, Any], model: PlacementModel
) -> None:
    placement = model.place(validate_answers(raw))
    assert sum(placement.probabilities.values()) == pytest.approx(1.0)
    assert all(0.0 <= p <= 1.0 for p in placement.probabilities.values())
    assert placement.cluster == max(
        placement.probabilities, key=placement.probabilities.__getitem__
    )


@given(raw=answer_sets())
@settings(max_examples=100)
def test_the_same_answers_always_give_the_same_result(
    raw: dict[str, Any], model: PlacementModel
) -> None:
    first = model.place(validate_answers(raw))
    again = model.place(validate_answers(dict(reversed(list(raw.items())))))
    assert first == again


@given(raw=answer_sets())
@settings(max_examples=200)
def test_confidence_is_reduced_exactly_when_a_factor_lacks_an_answer_or_a_measure(
    raw: dict[str, Any], model: PlacementModel
) -> None:
    placement = model.place(validate_answers(raw))
    lacking = [p.factor for p in placement.pulls if p.skipped in ("not_measured", "unanswered")]
    assert placement.skipped == tuple(lacking)
    assert placement.confidence == ("reduced" if lacking else "full")


@given(raw=answer_sets(), channel=st.sampled_from(CHANNELS), data=st.data())
@settings(max_examples=200)
def test_the_delay_of_a_closed_channel_changes_nothing(
    raw: dict[str, Any], channel: str, data: st.DataObject, model: PlacementModel
) -> None:
    closed = {**raw, f"{channel}_open": False}
    closed.pop(f"{channel}_delay", None)
    closed.pop(f"{channel}_aht", None)
    closed.pop(f"{channel}_fcr", None)
    base = model.place(validate_answers(closed))
    with_stale = dict(closed)
    with_stale[f"{channel}_delay"] = data.draw(st.sampled_from(DELAY_BUCKETS[channel]))  # type: ignore[index]
    if channel in AHT_CHANNELS:
        with_stale[f"{channel}_aht"] = data.draw(st.sampled_from(AHT_BUCKETS[channel]))  # type: ignore[index]
    # the placement model reads only applicable answers: a stale delay left by a form is ignored
    assert model.place(with_stale).probabilities == base.probabilities


def improvements(raw: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every single-answer improvement of MODEL.md / issue 2: a strictly faster delay or
    handling-time bucket, opening chat, social messaging or WhatsApp with its fastest delay,
    starting to measure satisfaction."""
    out: list[tuple[str, dict[str, Any]]] = []
    for channel in CHANNELS:
        buckets = DELAY_BUCKETS[channel]
        if raw.get(f"{channel}_open"):
            current = raw.get(f"{channel}_delay")
            if current in buckets:
                for faster in buckets[: buckets.index(current)]:
                    out.append(
                        (
                            f"{channel} delay {current}->{faster}",
                            {**raw, f"{channel}_delay": faster},
                        )
                    )
            if channel in AHT_CHANNELS:
                aht = AHT_BUCKETS[channel]
                current = raw.get(f"{channel}_aht")
                if current in aht:
                    for faster in aht[: aht.index(current)]:
                        out.append(
                            (
                                f"{channel} aht {current}->{faster}",
                                {**raw, f"{channel}_aht": faster},
                            )
                        )
        elif channel in ("chat", "social", "whatsapp"):
            out.append(
                (
                    f"open {channel}",
                    {**raw, f"{channel}_open": True, f"{channel}_delay": buckets[0]},
                )
            )
    measured = raw.get("satisfaction_measured")
    if measured == "never":
        out.append(("satisfaction never->sometimes", {**raw, "satisfaction_measured": "sometimes"}))
    if measured in ("never", "sometimes"):
        out.append(
            (f"satisfaction {measured}->systematic", {**raw, "satisfaction_measured": "systematic"})
        )
    return out


@given(raw=answer_sets())
@settings(max_examples=400)
def test_improvement_is_never_punished(raw: dict[str, Any], model: PlacementModel) -> None:
    before = model.place(validate_answers(raw))
    for name, better in improvements(raw):
        after = model.place(better)
        assert (
            after.probabilities["polyvalents"] >= before.probabilities["polyvalents"] - TOLERANCE
        ), name
        assert after.probabilities["basiques"] <= before.probabilities["basiques"] + TOLERANCE, name
        assert CLUSTERS.index(after.cluster) >= CLUSTERS.index(before.cluster), name


def test_every_improvement_orders_the_clusters_log_likelihood_gains(model: PlacementModel) -> None:
    """The property above, checked exhaustively on the profiles: for every improvement, the
    log-likelihood gain is ordered basiques <= classiques <= polyvalents (monotone likelihood
    ratio), which is what makes it hold for every answer set."""
    for factor in model.factors:
        if factor.kind not in ("delay", "aht", "satisfaction"):
            continue
        for better_i, better in enumerate(factor.categories):
            for worse in factor.categories[better_i + 1 :]:
                gain = [
                    w - b
                    for b, w in zip(
                        model.term(factor.id, better), model.term(factor.id, worse), strict=True
                    )
                ]
                assert gain[0] <= gain[1] + TOLERANCE <= gain[2] + 2 * TOLERANCE, (
                    factor.id,
                    better,
                    worse,
                    gain,
                )
    for channel in ("chat", "social", "whatsapp"):
        closed = model.term(f"open_{channel}", "closed")
        opened = model.term(f"open_{channel}", "open")
        fastest = model.term(f"delay_{channel}", DELAY_BUCKETS[channel][0])
        gain = [c - (o + f) for c, o, f in zip(closed, opened, fastest, strict=True)]
        assert gain[0] <= gain[1] <= gain[2], (channel, gain)


def test_not_measured_is_explicit(model: PlacementModel) -> None:
    from tests.personas import PERSONAS

    raw = dict(PERSONAS["classiques"][0].answers)
    placement = model.place(validate_answers({**raw, "email_aht": "not_measured"}))
    assert "aht_email" in placement.skipped
    assert placement.confidence == "reduced"
    # phone: the report counts "not measured" with "over 10 minutes"
    phone = model.place(validate_answers({**raw, "phone_aht": "not_measured"}))
    slow = model.place(validate_answers({**raw, "phone_aht": "gt_10min"}))
    assert phone.probabilities == slow.probabilities
    assert "aht_phone" not in phone.skipped


def test_pulls_explain_the_distance(model: PlacementModel) -> None:
    from tests.personas import PERSONAS

    placement = model.place(validate_answers(PERSONAS["polyvalents"][1].answers))
    total = {c: sum(p.terms.get(c, 0.0) for p in placement.pulls) for c in CLUSTERS}
    assert total == pytest.approx(placement.distances)
    chat = next(p for p in placement.pulls if p.factor == "open_chat")
    assert chat.strongest == "polyvalents"
    assert sum(chat.pull.values()) == pytest.approx(0.0)
