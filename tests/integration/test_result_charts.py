"""The result page's charts say what its tables say (charts are built with Plotly, hence an
integration test rather than a core one)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.services.presentation import describe_result
from app.web.charts import pulls_chart
from tests.personas import FIVE_CHANNEL_BANK
from tests.strategies import answer_sets

pytestmark = pytest.mark.integration


@given(raw=answer_sets())
@settings(max_examples=60, deadline=None)
def test_the_pulls_chart_and_the_factor_table_agree(
    raw: dict[str, Any], assessor: Assessor
) -> None:
    """A bar points toward the placed level exactly when the table says that answer pulls
    most toward it (a reviewer saw "5-10 minutes" as the longest bar toward the All-rounders
    while the table said it pulls most toward the Classics)."""
    page = describe_result(assessor.assess(validate_answers(raw)), assessor.reference, "fr")
    chart = pulls_chart(page, "fr")
    figure = json.loads(chart.figure_json)
    (bars,) = figure["data"]
    labels = [a["text"] for a in figure["layout"]["annotations"]]
    by_label = {f"{f.label} — {f.answer}": f for f in page.factors}
    for label, value in zip(labels, bars["x"], strict=True):
        factor = by_label[label]
        if value > 0:
            assert factor.toward == page.cluster_name, label
        elif value < 0:
            assert factor.toward != page.cluster_name, label


def test_a_level_that_rests_on_one_answer_says_so(assessor: Assessor) -> None:
    unmeasured = validate_answers({**FIVE_CHANNEL_BANK, "phone_aht": "not_measured"})
    for locale, words in (("fr", "La mesurer"), ("en", "Measuring it")):
        page = describe_result(assessor.assess(unmeasured), assessor.reference, locale)
        assert page.decisive is not None
        assert words in page.decisive
        assert page.cluster_name not in page.decisive
        polyvalents = assessor.reference.benchmarks.clusters["polyvalents"].name.in_(locale)
        assert polyvalents in page.decisive
    measured = assessor.assess(validate_answers(FIVE_CHANNEL_BANK))
    assert describe_result(measured, assessor.reference, "fr").decisive is None
