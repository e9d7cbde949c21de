"""Where the company stands against a threshold figure ("66% answer emails within 24 hours"),
checked for every answer bucket of every delay and handling-time question, and for the three
answers to "satisfaction measured after a contact", against every figure of every group, in
both languages.

A threshold figure splits respondents in two: the share whose answer is the threshold bucket or
better, and the rest. So the position sentence may say, for the company's bucket:

- better than the threshold bucket: it is one of the share, and does even better (never "you
  do better than almost no respondent": the figure cannot rank it within the share);
- the threshold bucket: it is one of the share;
- one bucket past it: about that share does better (exactly those respondents);
- two or more past it: at least that share does better (those in between are not counted);
- not measured: no position; no answer (partner API): says so.

Each quoted share is read back from its words and checked against the figure.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import product
from typing import Any, Literal

import pytest
from hypothesis import HealthCheck, given, settings

from app.core.answers import Answers, validate_answers, validate_partial_answers
from app.core.assessment import Assessor, ReferenceData
from app.core.comparison import (
    AT_LEAST_SLACK,
    SATISFACTION_SCALE,
    Comparator,
    KpiComparison,
    Reference,
    share_in_words,
)
from app.core.figures import Figure, ThresholdFigure, normalise_text
from app.core.vocabulary import (
    AHT_BUCKETS,
    AHT_CHANNELS,
    CHANNELS,
    CLUSTERS,
    DELAY_BUCKETS,
    NOT_MEASURED,
    SECTORS,
    Cluster,
)
from tests.personas import BEST_EVERYWHERE
from tests.strategies import answer_sets, partner_answer_sets

pytestmark = pytest.mark.unit

Situation = Literal["beyond", "at", "one_short", "further_short", "not_measured", "unanswered"]

# Every channel open, every answer in its best bucket: the table below changes one at a time.
BASE: dict[str, Any] = {
    **BEST_EVERYWHERE,
    **{f"{c}_aht": AHT_BUCKETS[c][0] for c in AHT_CHANNELS},
}

# The sector boxes print "< 10 min" shares without a bucket of their own (see sectors.yaml).
SECTOR_AHT_MARK = {"phone": "5_10min", "email": "lt_10min"}


def scale_of(kpi: str) -> tuple[str, ...]:
    if kpi == "satisfaction_measured":
        return SATISFACTION_SCALE
    channel, what = kpi.rsplit("_", 1)
    return DELAY_BUCKETS[channel] if what == "delay" else AHT_BUCKETS[channel]  # type: ignore[index]


def mark_of(kpi: str, figure: Figure) -> str:
    """The bucket a figure's share reaches, read independently of the code under test."""
    if kpi == "satisfaction_measured":
        quote = normalise_text(figure.source.quote or "").lower()
        return "systematic" if "systématiquement" in quote else "sometimes"
    if isinstance(figure, ThresholdFigure):
        return figure.bucket
    assert kpi.endswith("_aht"), kpi
    return SECTOR_AHT_MARK[kpi.removesuffix("_aht")]


# --- a share in words, read back ----------------------------------------------------------------

_NUMBERS = {
    "un": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "neuf": 9,
    "dix": 10,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "seven": 7,
    "nine": 9,
    "ten": 10,
}
_FRACTION = re.compile(
    r"^(?P<how>environ|au moins|about|at least) (?P<num>\w+) (?:répondants?|respondents?) "
    r"(?:sur|in) (?P<den>\w+)$"
)
Words = tuple[Literal["about", "at_least", "almost_all", "almost_none", "a_few"], float]


def read_share(words: str) -> Words:
    fixed: dict[str, Words] = {
        "presque tous les répondants": ("almost_all", 100.0),
        "almost every respondent": ("almost_all", 100.0),
        "presque aucun répondant": ("almost_none", 0.0),
        "almost no respondent": ("almost_none", 0.0),
        "au moins quelques répondants": ("a_few", 0.0),
        "at least a few respondents": ("a_few", 0.0),
    }
    if words in fixed:
        return fixed[words]
    match = _FRACTION.match(words)
    assert match, f"not a share in words: {words!r}"
    value = 100 * _NUMBERS[match["num"]] / _NUMBERS[match["den"]]
    return ("at_least" if match["how"] in ("au moins", "at least") else "about"), value


def assert_supported(fr: str, en: str, share: float, *, lower_bound: bool) -> None:
    """The words say what the figure supports: a share near ``share`` or, for a lower bound,
    no more than ``share`` (never rounded up)."""
    said = read_share(en)
    assert read_share(fr) == said, (fr, en)  # the two languages say the same
    how, value = said
    if lower_bound:
        assert how in ("at_least", "a_few"), (en, share)
        assert value <= share + AT_LEAST_SLACK, (en, share)
    elif how == "almost_all":
        assert share >= 95, (en, share)
    elif how == "almost_none":
        assert share <= 5, (en, share)
    else:
        assert how == "about", (en, share)
        assert abs(value - share) <= 5, (en, share)  # the nearest of the fractions used


# --- the sentence for a bucket --------------------------------------------------------------

_REACHING = {
    "fr": re.compile(
        r"^Vous en faites partie(?:, et faites même mieux : (?P<beyond>[^.]+))?"
        r"(?:\. Font moins bien que vous : (?P<who>[^.]+))?\.$"
    ),
    "en": re.compile(
        r"^You are one of them(?:, and do even better: (?P<beyond>[^.]+))?"
        r"(?:\. Doing less well than you: (?P<who>[^.]+))?\.$"
    ),
}
_SHORT_OF = {
    "fr": re.compile(r"^Font mieux que vous : (?P<who>[^.]+)\.$"),
    "en": re.compile(r"^Doing better than you: (?P<who>[^.]+)\.$"),
}


def situation(answer: object, mark: str, scale: tuple[str, ...]) -> Situation:
    if answer is None:
        return "unanswered"
    if answer == NOT_MEASURED:
        return "not_measured"
    rank, at = scale.index(str(answer)), scale.index(mark)
    if rank < at:
        return "beyond"
    if rank == at:
        return "at"
    return "one_short" if rank == at + 1 else "further_short"


def check_reference(kpi: str, ref: Reference, answer: object) -> Situation | None:
    """Asserts that the reference's verdict and sentence fit the company's bucket; returns the
    situation checked (None: the group has no figure)."""
    if ref.verdict == "no_figure":
        assert ref.figure is None
        assert ref.position is None
        return None
    assert ref.figure is not None
    assert ref.statement is not None
    scale = scale_of(kpi)
    where = situation(answer, mark_of(kpi, ref.figure), scale)
    share = ref.figure.value
    assert ref.value == share
    assert f"{share:.0f}" in ref.statement.fr
    assert f"{share:.0f}" in ref.statement.en
    if where in ("not_measured", "unanswered"):
        assert ref.verdict == "not_comparable"
        assert (ref.position is None) == (where == "not_measured")
        return where
    assert ref.position is not None
    for locale in ("fr", "en"):
        text = ref.position.in_(locale)
        if where in ("beyond", "at"):
            match = _REACHING[locale].match(text)
            assert match, (kpi, answer, text)
            assert (match["beyond"] is not None) == (where == "beyond"), (kpi, answer, text)
            if match["beyond"] is not None:
                # the company's own bucket, not the threshold the statement already names
                assert match["beyond"] not in ref.statement.in_(locale), text
            # how many it outdoes: only said where the share reaching the mark is a minority
            assert (match["who"] is not None) == (share < 50), (kpi, answer, text)
        else:
            assert _SHORT_OF[locale].match(text), (kpi, answer, text)
    fr, en = ref.position.fr, ref.position.en
    if where in ("beyond", "at"):
        assert ref.verdict == ("better" if share < 50 else "in_line"), (kpi, answer, en)
        who_fr = _REACHING["fr"].match(fr)["who"]  # type: ignore[index]
        who_en = _REACHING["en"].match(en)["who"]  # type: ignore[index]
        if who_en is not None:
            # slower than the company: the rest exactly at the mark, at least the rest beyond
            assert_supported(who_fr, who_en, 100 - share, lower_bound=where == "beyond")
    else:
        assert ref.verdict == ("below" if share >= 50 else "in_line"), (kpi, answer, en)
        who_fr = _SHORT_OF["fr"].match(fr)["who"]  # type: ignore[index]
        who_en = _SHORT_OF["en"].match(en)["who"]  # type: ignore[index]
        assert_supported(who_fr, who_en, share, lower_bound=where == "further_short")
    return where


def check_row(kpi: KpiComparison, answers: Answers) -> list[Situation]:
    checked = [check_reference(kpi.kpi, ref, answers.get(kpi.kpi)) for ref in kpi.references]
    return [s for s in checked if s is not None]


def _checked_kpis(row: KpiComparison) -> bool:
    return row.kind == "threshold" or row.kpi == "satisfaction_measured"


# --- every bucket against every figure ----------------------------------------------------

_TABLE: list[tuple[str, object]] = [
    *((f"{c}_delay", b) for c in CHANNELS for b in (*DELAY_BUCKETS[c], NOT_MEASURED)),
    *((f"{c}_aht", b) for c in AHT_CHANNELS for b in (*AHT_BUCKETS[c], NOT_MEASURED)),
    *(("satisfaction_measured", a) for a in SATISFACTION_SCALE),
]


def test_every_bucket_against_every_figure(reference: ReferenceData) -> None:
    comparator = Comparator(reference.benchmarks)
    seen: Counter[Situation] = Counter()
    per_kind: dict[str, set[Situation]] = {"delay": set(), "aht": set(), "satisfaction": set()}
    for (question, answer), sector, cluster in product(_TABLE, SECTORS, CLUSTERS):
        raw = {**BASE, "sector": sector, question: answer}
        if answer == "never":
            raw.pop("satisfaction_indicators")
            raw.pop("nps_value")
        answers = validate_answers(raw)
        row = next(r for r in comparator.compare(answers, cluster) if r.kpi == question)
        situations = check_row(row, answers)
        seen.update(situations)
        per_kind[question.rsplit("_", 1)[-1].replace("measured", "satisfaction")].update(situations)
    # the table reaches every situation, for delays and handling times alike
    assert set(seen) == {"beyond", "at", "one_short", "further_short", "not_measured"}, seen
    assert per_kind["delay"] == per_kind["aht"] == set(seen), per_kind
    assert per_kind["satisfaction"] == {"beyond", "at", "one_short", "further_short"}


def test_remembered_rows_are_the_rows_computed_afresh(assessor: Assessor) -> None:
    """The same table through the assessor's comparator (rows remembered per answer): what it
    gives, warm, is what a new comparator computes."""
    fresh = Comparator(assessor.reference.benchmarks)
    for (question, answer), cluster in product(_TABLE, CLUSTERS):
        raw = {**BASE, "sector": "banking_insurance", question: answer}
        if answer == "never":
            raw.pop("satisfaction_indicators")
            raw.pop("nps_value")
        answers = validate_answers(raw)
        for _ in range(2):
            assert assessor.comparator.compare(answers, cluster) == fresh.compare(answers, cluster)


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_position_fits_its_bucket(raw: dict[str, Any], assessor: Assessor) -> None:
    answers = validate_answers(raw)
    for row in assessor.assess(answers).comparisons:
        if _checked_kpis(row):
            check_row(row, answers)


@given(raw=partner_answer_sets())
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_position_fits_its_bucket_in_partial_answers(
    raw: dict[str, Any], assessor: Assessor
) -> None:
    answers = validate_partial_answers(raw).answers
    for row in assessor.assess(answers).comparisons:
        if _checked_kpis(row):
            check_row(row, answers)


# --- the review's cases (QA review M5) ----------------------------------------------------------


def _ref(
    comparator: Comparator, cluster: Cluster, scope: str, kpi: str, **changes: Any
) -> Reference:
    raw = {**BASE, **changes}
    if raw.get("satisfaction_measured") == "never":
        raw.pop("satisfaction_indicators")
        raw.pop("nps_value")
    rows = comparator.compare(validate_answers(raw), cluster)
    return next(r for r in next(k for k in rows if k.kpi == kpi).references if r.scope == scope)


@pytest.fixture(scope="module")
def comparator(reference: ReferenceData) -> Comparator:
    return Comparator(reference.benchmarks)


def test_an_email_answered_within_a_day_is_one_of_the_96_percent(comparator: Comparator) -> None:
    ref = _ref(comparator, "polyvalents", "cluster", "email_delay", email_delay="lt_24h")
    assert ref.statement is not None
    assert ref.position is not None
    assert ref.statement.fr == "96 % répondent en moins de 72 heures"
    assert ref.verdict == "in_line"
    assert ref.position.fr == "Vous en faites partie, et faites même mieux : moins de 24 heures."
    assert ref.position.en == "You are one of them, and do even better: under 24 hours."
    assert "almost no" not in ref.position.en
    assert "presque aucun" not in ref.position.fr


def test_an_email_answered_within_three_days_is_one_of_the_96_percent(
    comparator: Comparator,
) -> None:
    ref = _ref(comparator, "polyvalents", "cluster", "email_delay", email_delay="24_72h")
    assert ref.position is not None
    assert ref.position.en == "You are one of them."


def test_an_email_answered_after_three_days_trails_at_least_two_in_three(
    comparator: Comparator,
) -> None:
    slow = _ref(comparator, "basiques", "all", "email_delay", email_delay="gt_72h")
    assert slow.position is not None
    assert slow.verdict == "below"
    # the 24-72 h respondents do better too: the 66% is a floor
    assert slow.position.en == "Doing better than you: at least two respondents in three."
    assert slow.position.fr == "Font mieux que vous : au moins deux répondants sur trois."
    # one bucket past the threshold, the 66% are exactly those who do better
    middle = _ref(comparator, "basiques", "all", "email_delay", email_delay="24_72h")
    assert middle.position is not None
    assert middle.position.en == "Doing better than you: about two respondents in three."


def test_a_minority_mark_says_how_many_the_company_outdoes(comparator: Comparator) -> None:
    # 26% answer social messages within the hour
    at = _ref(comparator, "basiques", "all", "social_delay", social_delay="lt_1h")
    assert at.position is not None
    assert at.verdict == "better"
    assert at.position.en == (
        "You are one of them. Doing less well than you: about three respondents in four."
    )
    # industry, energy & telecoms: 87% handle a phone request in under 10 minutes on average
    beyond = _ref(comparator, "basiques", "sector", "phone_aht", phone_aht="lt_5min")
    assert beyond.position is not None
    assert beyond.statement is not None
    assert beyond.statement.en == "87% handle a request in under 10 minutes on average"
    assert beyond.position.en == "You are one of them, and do even better: under 5 minutes."


def test_satisfaction_measured_sometimes(comparator: Comparator) -> None:
    """Measuring "sometimes" is not "every time": against the share measuring after every
    contact it falls short; against the share measuring at all it is one of them. Never "not
    doing it either", which reads as if the company did not measure at all."""
    everyone = _ref(
        comparator, "polyvalents", "all", "satisfaction_measured", satisfaction_measured="sometimes"
    )
    assert everyone.statement is not None
    assert everyone.position is not None
    assert everyone.statement.fr == (
        "78 % interrogent leurs clients sur leur satisfaction à chaque contact"
    )
    assert everyone.verdict == "below"
    assert everyone.position.fr == "Font mieux que vous : environ quatre répondants sur cinq."
    classiques = _ref(
        comparator,
        "classiques",
        "cluster",
        "satisfaction_measured",
        satisfaction_measured="sometimes",
    )
    assert classiques.statement is not None
    assert classiques.position is not None
    assert classiques.statement.en == "71% ask customers about their satisfaction after contacts"
    assert classiques.position.en == "You are one of them."
    never = _ref(
        comparator, "polyvalents", "all", "satisfaction_measured", satisfaction_measured="never"
    )
    assert never.position is not None
    # those measuring sometimes do better too: the 78% is a floor
    assert never.position.en == "Doing better than you: at least three respondents in four."
    always = _ref(
        comparator,
        "basiques",
        "cluster",
        "satisfaction_measured",
        satisfaction_measured="systematic",
    )
    assert always.position is not None
    assert always.position.en == "You are one of them, and do even better: after every contact."


def test_satisfaction_statements_keep_their_quote_meaning(reference: ReferenceData) -> None:
    """A figure counting companies that measure "systématiquement" says "every contact"; one
    counting those that measure at all does not claim more; "contact" only where the quote
    speaks of one."""
    comparator = Comparator(reference.benchmarks)
    for cluster in CLUSTERS:
        row = next(
            r
            for r in comparator.compare(validate_answers(BASE), cluster)
            if r.kpi == "satisfaction_measured"
        )
        for ref in row.references:
            if ref.figure is None:
                continue
            assert ref.statement is not None
            quote = normalise_text(ref.figure.source.quote or "").lower()
            systematic = "systématiquement" in quote
            assert ("chaque contact" in ref.statement.fr) == systematic, ref.statement
            assert ("every contact" in ref.statement.en) == systematic, ref.statement
            assert ("contact" in ref.statement.fr) == ("contact" in quote), ref.statement


def test_an_approximate_share_is_stated_as_approximate(comparator: Comparator) -> None:
    # "près d'une entreprise sur deux" propose un outil de selfcare
    ref = _ref(comparator, "basiques", "all", "selfcare")
    assert ref.statement is not None
    assert ref.statement.fr == "environ 50 % proposent un outil de selfcare"
    assert ref.statement.en == "about 50% offer a self-care tool"


# --- shares in words --------------------------------------------------------------------------


def test_share_in_words_as_a_floor() -> None:
    assert share_in_words(66, at_least=True).en == "at least two respondents in three"
    assert share_in_words(78, at_least=True).fr == "au moins trois répondants sur quatre"
    assert share_in_words(96, at_least=True).en == "at least nine respondents in ten"
    assert share_in_words(4, at_least=True).en == "at least a few respondents"
    assert share_in_words(71).en == "about seven respondents in ten"


@pytest.mark.parametrize("share", [x / 2 for x in range(0, 201)])
def test_share_in_words_never_overstates(share: float) -> None:
    assert_supported(share_in_words(share).fr, share_in_words(share).en, share, lower_bound=False)
    floor = share_in_words(share, at_least=True)
    assert_supported(floor.fr, floor.en, share, lower_bound=True)
