from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.core.comparison import KpiComparison, share_in_words
from tests.personas import PERSONAS
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit


def _kpis(assessor: Assessor, raw: dict[str, Any]) -> dict[str, KpiComparison]:
    result = assessor.assess(validate_answers(raw))
    return {c.kpi: c for c in result.comparisons}


def _ref(kpi: KpiComparison, scope: str) -> Any:
    return next(r for r in kpi.references if r.scope == scope)


def test_share_in_words() -> None:
    assert share_in_words(68).en == "about two respondents in three"
    assert share_in_words(68).fr == "environ deux répondants sur trois"
    assert share_in_words(13).en == "about one respondent in ten"
    assert share_in_words(97).fr == "presque tous les répondants"


def test_fast_phone_pickup_is_in_line_with_the_87_percent(assessor: Assessor) -> None:
    raw = PERSONAS["classiques"][0].answers  # picks up in under 2 minutes
    phone = _kpis(assessor, raw)["phone_delay"]
    everyone = _ref(phone, "all")
    assert everyone.figure.value == 87
    assert everyone.verdict == "in_line"
    assert "87" in everyone.statement.fr
    assert "2 minutes" in everyone.statement.en
    assert everyone.figure.source.quote  # the report's sentence travels with the figure


def test_slow_email_is_below_all_respondents(assessor: Assessor) -> None:
    raw = PERSONAS["basiques"][0].answers  # email over 72 hours
    email = _ref(_kpis(assessor, raw)["email_delay"], "all")
    assert email.verdict == "below"
    assert "two respondents in three" in email.position.en


def test_a_sector_without_a_figure_says_so(assessor: Assessor) -> None:
    raw = {**PERSONAS["classiques"][2].answers, "satisfaction_indicators": ["nps"], "nps_value": 40}
    assert raw["sector"] == "industry_energy_telecom"
    kpis = _kpis(assessor, raw)
    assert _ref(kpis["nps"], "sector").verdict == "no_figure"
    assert _ref(kpis["nps"], "sector").figure is None
    assert _ref(kpis["nps"], "all").verdict == "in_line"  # 40 against 43, within 5 points
    assert _ref(kpis["phone_fcr"], "sector").verdict == "no_figure"


def test_an_unbenchmarked_sector_has_no_sector_figures(assessor: Assessor) -> None:
    raw = PERSONAS["basiques"][2].answers  # public sector
    for kpi in _kpis(assessor, raw).values():
        assert _ref(kpi, "sector").verdict == "no_figure"


def test_mean_kpis_compare_with_tolerance(assessor: Assessor) -> None:
    raw = {**PERSONAS["classiques"][0].answers, "phone_fcr": 80, "email_fcr": "dont_know"}
    kpis = _kpis(assessor, raw)
    assert _ref(kpis["phone_fcr"], "all").verdict == "better"  # 80 vs 70
    assert _ref(kpis["email_fcr"], "all").verdict == "not_comparable"
    low = _kpis(assessor, {**raw, "phone_fcr": 50})
    assert _ref(low["phone_fcr"], "sector").verdict == "below"  # retail: 73


@given(raw=answer_sets())
@settings(max_examples=150, deadline=None)
def test_every_comparison_has_three_groups_and_a_figure_with_its_source(
    raw: dict[str, Any], assessor: Assessor
) -> None:
    for kpi in _kpis(assessor, raw).values():
        assert [r.scope for r in kpi.references] == ["sector", "all", "cluster"]
        for ref in kpi.references:
            if ref.verdict == "no_figure":
                assert ref.figure is None
            else:
                assert ref.figure is not None
                assert ref.figure.source.quote
                assert ref.statement is not None
                assert ref.statement.fr
                assert ref.statement.en
