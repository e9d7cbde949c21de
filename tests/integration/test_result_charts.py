"""The result page's charts say what its tables say (charts are built with Plotly, hence an
integration test rather than a core one)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from app.core.vocabulary import Locale
from app.services.presentation import describe_result
from app.web.charts import (
    BAR,
    LINE,
    ROW,
    WRAP,
    position_chart,
    probabilities_chart,
    progress_chart,
    pulls_chart,
    wrap,
)
from tests.personas import FIVE_CHANNEL_BANK, PERSONAS
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
    labels = [a["text"].replace("<br>", " ") for a in figure["layout"]["annotations"]]
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


def _page(assessor: Assessor, answers: dict[str, Any], locale: Locale) -> Any:
    return describe_result(assessor.assess(validate_answers(answers)), assessor.reference, locale)


def _lines(text: str) -> list[str]:
    return text.split("<br>")


_WORD = st.text(alphabet="abcdéà'-0123", min_size=1, max_size=14)
_SEPARATOR = st.sampled_from([" ", " ", " ", " : ", " — "])


@given(
    text=st.tuples(_WORD, st.lists(st.tuples(_SEPARATOR, _WORD), max_size=12)).map(
        lambda t: t[0] + "".join(sep + word for sep, word in t[1])
    ),
    width=st.integers(min_value=8, max_value=60),
)
def test_wrap_only_breaks_lines_at_spaces(text: str, width: int) -> None:
    wrapped = wrap(text, width)
    assert wrapped.replace("<br>", " ") == text
    lines = _lines(wrapped)
    for n, line in enumerate(lines):
        words = line.split(" ")
        if n:  # French ":" and the dash stay at the end of the line before
            assert words[0] not in (":", "—"), lines
        if len(line) > width:  # one word too long for a line, with its ":"
            assert len([w for w in words if w not in (":", "—")]) == 1, lines


@pytest.mark.parametrize("locale", ["fr", "en"])
@pytest.mark.parametrize("cluster", ["basiques", "classiques", "polyvalents"])
def test_bar_labels_fit_a_phone_and_clear_the_bar_above(
    assessor: Assessor, cluster: str, locale: Locale
) -> None:
    """A reviewer saw "Durée de traitement : Email — De 10 minutes à une heure" run past the
    right edge of a 390-pixel phone: plotly.js never wraps a label, so the figure does, and a
    row with a label of several lines is taller by as many lines."""
    for persona in PERSONAS[cluster]:  # type: ignore[index]
        page = _page(assessor, dict(persona.answers), locale)
        charts = [pulls_chart(page, locale), position_chart(page, locale)]
        for chart in filter(None, charts):
            figure = json.loads(chart.figure_json)
            (bars,) = figure["data"]
            notes = figure["layout"]["annotations"]
            assert figure["layout"]["yaxis"]["range"] == [
                figure["layout"]["height"] - 10 - figure["layout"]["margin"]["b"],
                0,
            ]
            assert bars["width"] == BAR  # in pixels: the value axis counts pixels down
            above = -figure["layout"]["margin"]["t"]  # the first label may rise into the margin
            for note, centre in zip(notes, bars["y"], strict=True):
                lines = _lines(note["text"])
                assert all(len(line) <= WRAP for line in lines), note["text"]
                assert note["y"] == centre
                assert note["yshift"] >= BAR // 2
                label_top = centre - note["yshift"] - LINE * len(lines)
                assert label_top >= above, (chart.id, note["text"])
                above = centre + BAR // 2
            assert bars["y"][0] == ROW // 2 + LINE * (len(_lines(notes[0]["text"])) - 1)


def test_a_long_factor_label_is_wrapped_after_its_dash(assessor: Assessor) -> None:
    answers = {**FIVE_CHANNEL_BANK, "email_aht": "10_60min"}
    page = _page(assessor, answers, "fr")
    figure = json.loads(pulls_chart(page, "fr").figure_json)
    texts = [a["text"] for a in figure["layout"]["annotations"]]
    assert "Durée de traitement : Email —<br>De 10 minutes à une heure" in texts, texts


@pytest.mark.parametrize(
    ("locale", "ticks"),
    [("fr", ["0\u202f%", "50\u202f%", "100\u202f%"]), ("en", ["0%", "50%", "100%"])],
)
def test_the_peers_chart_writes_its_percentages_like_the_probability_chart(
    assessor: Assessor, locale: Locale, ticks: list[str]
) -> None:
    """The position chart's axis read "0 50 100": plotly.js leaves ``ticksuffix`` out of ticks
    given as ``tickvals``, so they carry their text, in the probability chart's convention."""
    page = _page(assessor, dict(FIVE_CHANNEL_BANK), locale)
    chart = position_chart(page, locale)
    assert chart is not None
    axis = json.loads(chart.figure_json)["layout"]["xaxis"]
    assert axis["tickvals"] == [0, 50, 100]
    assert axis["ticktext"] == ticks
    probabilities = json.loads(probabilities_chart(page, locale).figure_json)
    suffix = probabilities["layout"]["xaxis"]["ticksuffix"]
    assert all(tick.endswith(suffix) for tick in ticks)
    (bars,) = json.loads(chart.figure_json)["data"]
    assert all(text.split(" — ")[0].endswith(suffix) for text in bars["text"])


@pytest.mark.parametrize("count", [1, 2, 5, 12])
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_progress_chart_names_its_lines_in_a_legend(count: int, locale: Locale) -> None:
    """The level names written at the end of the lines were cut off ("Polyva", "Classi") and
    fell on each other when two levels ended close: a legend above the plot names them."""
    date = "23/11/2026 10:32" if locale == "fr" else "2026-11-23 10:32 (Paris)"
    rows: list[dict[str, object]] = [
        {"date": date, "probabilities": [10, 60 - n, 30 + n], "cluster_name": "Classiques"}
        for n in range(count)
    ]
    figure = json.loads(progress_chart(rows, locale).figure_json)
    layout = figure["layout"]
    assert layout["showlegend"] is True
    assert layout["legend"]["orientation"] == "h"
    assert layout["legend"]["yanchor"] == "bottom"
    assert layout["legend"]["y"] >= 1  # above the plot, not over the lines
    names = {
        "fr": ["Basiques", "Classiques", "Polyvalents"],
        "en": ["Basics", "Classics", "All-rounders"],
    }
    assert [trace["name"] for trace in figure["data"]] == names[locale]
    for trace in figure["data"]:
        assert "text" not in trace["mode"], trace["mode"]
        assert not any(trace.get("text") or []), trace.get("text")
        assert len(trace["x"]) == count
        assert len(set(trace["x"])) == count  # same-day retakes stay apart
        assert all(len(line) <= 14 for x in trace["x"] for line in _lines(x) if " " in line)
    assert layout["yaxis"]["ticksuffix"] == ("\u202f%" if locale == "fr" else "%")
