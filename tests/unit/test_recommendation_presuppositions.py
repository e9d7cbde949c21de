"""A recommendation's text never contradicts the answers it is shown for.

Each recommendation declares in the catalogue (``presupposes``) what its title and body take for
granted: channels offered or not, delays that are slow, the volume, the indicators in use, the
sector its examples fit. The loader proves from each trigger that it ensures those facts; these
tests check the same on generated answer sets (an independent reading of the declarations),
check that a text does not name a channel, an indicator or a sector's examples without declaring
it, and replay the answer sets a QA review found wrong advice for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import Answers, validate_answers, validate_partial_answers
from app.core.assessment import Assessor, ReferenceData
from app.core.catalogue import (
    AllOf,
    AnswerExcludes,
    AnswerIn,
    AnswerIncludes,
    AnyOf,
    Catalogue,
    ClusterIs,
    Condition,
    Not,
    Presupposes,
    Recommendation,
    late_buckets,
)
from app.core.recommendations import (
    ChosenRecommendation,
    Context,
    check_catalogue,
    evaluate,
    implies,
)
from app.core.vocabulary import CHANNELS, DELAY_BUCKETS, Channel
from tests.personas import BEST_EVERYWHERE, FIVE_CHANNEL_BANK
from tests.strategies import answer_set_pool, answer_sets, partner_answer_sets

pytestmark = pytest.mark.unit


# --- helpers ----------------------------------------------------------------------------------


def _chosen(assessor: Assessor, answers: Answers) -> tuple[ChosenRecommendation, ...]:
    cluster = assessor.model.place(answers).cluster
    return assessor.recommender.recommend(answers, cluster)


def _items(reference: ReferenceData) -> dict[str, Recommendation]:
    return {item.id: item for item in reference.catalogue.recommendations}


def _text(item: Recommendation) -> str:
    return " ".join((item.title.fr, item.title.en, item.body.fr, item.body.en))


def _late(answers: Answers, channel: Channel) -> bool:
    return answers.get(f"{channel}_delay") in late_buckets(channel)


def _misfits(item: Recommendation, answers: Answers, cluster: str) -> list[str]:
    """Each declared fact the answers contradict, read from the declaration's fields directly
    (not through ``Presupposes.condition``, which the loader's proof uses)."""
    facts = item.presupposes
    wrong = [f"{c} closed" for c in facts.open if not answers.is_open(c)]
    wrong += [f"{c} open" for c in facts.closed if answers.is_open(c)]
    if facts.any_open and not any(answers.is_open(c) for c in facts.any_open):
        wrong.append(f"none of {facts.any_open} open")
    if facts.any_closed and all(answers.is_open(c) for c in facts.any_closed):
        wrong.append(f"all of {facts.any_closed} open")
    if facts.any_late and not any(_late(answers, c) for c in facts.any_late):
        wrong.append(f"none of {facts.any_late} late")
    if facts.monthly_volume and answers.get("monthly_volume") not in facts.monthly_volume:
        wrong.append(f"volume {answers.get('monthly_volume')}")
    selected = answers.selected("satisfaction_indicators")
    wrong += [f"{i} not used" for i in facts.indicators if i not in selected]
    if facts.sectors and answers.get("sector") not in facts.sectors:
        wrong.append(f"sector {answers.get('sector')}")
    if facts.clusters and cluster not in facts.clusters:
        wrong.append(f"cluster {cluster}")
    for condition in facts.answers:
        if not evaluate(condition, Context(answers, cluster))[0]:
            wrong.append(f"{condition!r} does not hold")
    return wrong


def _assert_fits(assessor: Assessor, reference: ReferenceData, answers: Answers) -> None:
    items = _items(reference)
    cluster = assessor.model.place(answers).cluster
    for chosen in assessor.recommender.recommend(answers, cluster):
        item = items[chosen.id]
        assert _misfits(item, answers, cluster) == [], (chosen.id, answers)
        facts = item.presupposes.condition()
        if facts is not None:
            assert evaluate(facts, Context(answers, cluster))[0], (chosen.id, answers)


# --- the declarations -------------------------------------------------------------------------


def test_every_recommendation_declares_what_it_presupposes(reference: ReferenceData) -> None:
    """Written out for each one, ``presupposes: {}`` included: the audit is in the data."""
    missing = [
        item.id
        for item in reference.catalogue.recommendations
        if "presupposes" not in item.model_fields_set
    ]
    assert missing == []


def test_the_loader_proves_every_presupposition_from_its_trigger(
    reference: ReferenceData,
) -> None:
    assert check_catalogue(reference.catalogue) == []


def _catalogue(presupposes: dict[str, Any], when: dict[str, Any]) -> Catalogue:
    return Catalogue.model_validate(
        {
            "edition": "2022",
            "recommendations": [
                {
                    "id": "x",
                    "priority": 1,
                    "theme": "channels",
                    "title": {"fr": "a", "en": "b"},
                    "body": {"fr": "a", "en": "b"},
                    "rests_on": [{"section": "s"}],
                    "presupposes": presupposes,
                    "when": when,
                }
            ],
        }
    )


def test_a_trigger_that_does_not_ensure_its_text_is_refused() -> None:
    broken = _catalogue({"open": ["phone"]}, {"answer": "email_delay", "in": ["gt_72h"]})
    assert check_catalogue(broken) == [
        "x: the trigger does not ensure {'answer': 'phone_open', 'in': [True]}"
    ]
    # one way for the trigger to hold without the fact is enough to refuse it
    one_branch = _catalogue(
        {"any_late": ["email"]},
        {
            "any": [
                {"answer": "email_delay", "in": ["gt_72h"]},
                {"answer": "monthly_volume", "in": ["gt_50k"]},
            ]
        },
    )
    assert len(check_catalogue(one_branch)) == 1
    # a misspelt value in a declaration is caught like one in a trigger
    typo = _catalogue({"monthly_volume": ["lt_1000"]}, {"answer": "selfcare", "in": [True]})
    assert check_catalogue(typo) == ["x: monthly_volume can never be 'lt_1000'"]


def test_every_recommendation_is_checked_after_a_refused_one() -> None:
    broken = _catalogue({"open": ["phone"]}, {"answer": "email_delay", "in": ["gt_72h"]})
    item = broken.recommendations[0]
    two = Catalogue(edition="2022", recommendations=(item, item.model_copy(update={"id": "y"})))
    assert [p.split(":")[0] for p in check_catalogue(two)] == ["x", "y"]


def test_a_delay_answer_proves_its_channel_is_open() -> None:
    fine = _catalogue(
        {"open": ["phone"], "any_late": ["phone", "email"]},
        {"answer": "phone_delay", "in": ["gt_5min"]},
    )
    assert check_catalogue(fine) == []


def _in(question: str, *values: Any) -> AnswerIn:
    return AnswerIn(answer=question, in_=values)


@pytest.mark.parametrize(
    ("condition", "fact", "expected"),
    [
        (_in("chat_delay", "gt_30min"), _in("chat_open", True), True),
        (_in("chat_delay", "gt_30min"), _in("chat_open", False), False),
        (_in("chat_open", True), _in("chat_delay", "gt_30min"), False),
        # nps_value is asked only when NPS is ticked, itself asked only when measuring
        (
            AnswerIn(answer="nps_value", in_=(10,)),
            AnswerIncludes(answer="satisfaction_indicators", includes="nps"),
            True,
        ),
        (
            AnswerIn(answer="nps_value", in_=(10,)),
            _in("satisfaction_measured", "systematic", "sometimes"),
            True,
        ),
        (
            AnswerExcludes(answer="satisfaction_indicators", excludes="nps"),
            AnswerIncludes(answer="satisfaction_indicators", includes="csat"),
            False,
        ),
        (_in("monthly_volume", "gt_50k"), _in("monthly_volume", "8k_to_50k", "gt_50k"), True),
        (_in("monthly_volume", "gt_50k"), Not(not_=_in("monthly_volume", "lt_1k")), True),
        (Not(not_=_in("monthly_volume", "lt_1k")), _in("monthly_volume", "gt_50k"), False),
        (
            AllOf(all=(ClusterIs(cluster=("polyvalents",)), _in("email_delay", "gt_72h"))),
            AnyOf(any=(_in("email_delay", "24_72h", "gt_72h"), _in("mail_delay", "gt_7d"))),
            True,
        ),
        (
            AnyOf(any=(_in("chat_delay", "gt_30min"), _in("whatsapp_open", True))),
            AnyOf(any=(_in("chat_open", True), _in("whatsapp_open", True))),
            True,
        ),
        (
            AnyOf(any=(_in("chat_delay", "gt_30min"), _in("social_open", True))),
            AnyOf(any=(_in("chat_open", True), _in("whatsapp_open", True))),
            False,
        ),
        # a closed channel is never slow
        (_in("phone_open", False), Not(not_=_in("phone_delay", "gt_5min")), True),
        (Not(not_=ClusterIs(cluster=("basiques",))), ClusterIs(cluster=("classiques",)), False),
        (
            Not(not_=ClusterIs(cluster=("basiques",))),
            ClusterIs(cluster=("classiques", "polyvalents")),
            True,
        ),
    ],
)
def test_implies_proves_only_what_follows(
    condition: Condition, fact: Condition, expected: bool
) -> None:
    assert implies(condition, fact) is expected


# --- every chosen recommendation fits the answers ---------------------------------------------


@given(raw=answer_sets())
@settings(max_examples=300, deadline=None)
def test_every_chosen_recommendation_fits_the_answers(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    _assert_fits(assessor, reference, validate_answers(raw))


@given(raw=partner_answer_sets())
@settings(max_examples=150, deadline=None)
def test_partial_answers_get_no_advice_that_contradicts_them(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    _assert_fits(assessor, reference, validate_partial_answers(raw).answers)


def test_a_wide_pool_of_answer_sets_gets_no_advice_that_contradicts_it(
    assessor: Assessor, reference: ReferenceData
) -> None:
    for raw in answer_set_pool(1500, seed=3):
        _assert_fits(assessor, reference, validate_answers(raw))


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None)
def test_no_advice_about_a_channel_that_is_closed(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    answers = validate_answers(raw)
    items = _items(reference)
    for chosen in _chosen(assessor, answers):
        facts = items[chosen.id].presupposes
        for channel in CHANNELS:
            if not answers.is_open(channel):
                assert channel not in facts.open, (chosen.id, channel)
        for alternatives in (facts.any_open, facts.any_late):  # "at least one of"
            if alternatives:
                assert any(answers.is_open(c) for c in alternatives), chosen.id


# The words that name a channel in a text (the questionnaire's own names and their usual
# synonyms, French and English). Outbound contacts ("send a short message") use no channel word.
_CHANNEL_WORDS: dict[Channel, str] = {
    "phone": (
        r"t[ée]l[ée]phon\w*|\bappel(?:s|ant|ants)?\b|d[ée]croch\w*|\bphones?\b|\bcalls?\b"
        r"|\bcallers?\b|pick(?:s|ing)? up|double [ée]coute"
    ),
    "email": r"\be-?mails?\b|formulaire|\bweb form\b",
    "mail": r"\bcourriers?\b|\blettres?\b|\bpostal\b|\bletters?\b",
    "chat": r"\bchat\b|live chat",
    "social": r"r[ée]seaux? sociaux|r[ée]seau social|social[- ]media|social network",
    "whatsapp": r"whatsapp",
}


def test_every_channel_a_text_names_is_declared(reference: ReferenceData) -> None:
    """A text that names a channel says how: assumed offered, assumed not offered, assumed slow,
    or only mentioned (``mentions``: an example, a criterion of the model)."""
    undeclared = []
    for item in reference.catalogue.recommendations:
        text = _text(item)
        named = {c for c, words in _CHANNEL_WORDS.items() if re.search(words, text, re.I)}
        missing = named - item.presupposes.named_channels()
        if missing:
            undeclared.append(f"{item.id}: {sorted(missing)}")
    assert undeclared == []


def test_advice_to_track_two_indicators_fits_those_who_track_one(
    reference: ReferenceData,
) -> None:
    """Given when either of two team indicators is missing, the advice to track both says
    what to do when one is tracked already (a reviewer's bank was told to start tracking the
    handling time it tracks)."""
    for item in reference.catalogue.recommendations:
        trigger = item.when.model_dump_json()
        if trigger.count('"excludes"') < 2 or '"any"' not in trigger:
            continue
        assert "ajoutez l'autre" in item.body.fr, item.id
        assert "add the other" in item.body.en, item.id


# --- backlogs, indicators, sectors, volumes ---------------------------------------------------


def test_backlog_advice_declares_the_late_channels_it_assumes(reference: ReferenceData) -> None:
    backlog = _items(reference)["polyvalents_gamify_backlog"].presupposes
    assert backlog.any_late
    assert backlog.monthly_volume
    assert "lt_1k" not in backlog.monthly_volume


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None)
def test_no_backlog_advice_when_every_open_channel_is_at_its_fastest(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    for channel in CHANNELS:
        if raw.get(f"{channel}_open") is True:
            raw[f"{channel}_delay"] = DELAY_BUCKETS[channel][0]
    items = _items(reference)
    for chosen in _chosen(assessor, validate_answers(raw)):
        assert not items[chosen.id].presupposes.any_late, chosen.id


# "your NPS", "complement NPS with...": a text that treats an indicator as one the company uses
_INDICATOR_IN_USE = {
    indicator: rf"\b(?i:votre|vos|your) {name}\b|\b(?i:complétez|compléter) (?:le |la )?{name}\b"
    rf"|\b(?i:complement|complementing) (?:the |your )?{name}\b"
    for indicator, name in (("nps", "NPS"), ("csat", "CSAT"), ("ces", "CES"))
}


def test_a_text_that_assumes_an_indicator_declares_it(reference: ReferenceData) -> None:
    undeclared = []
    for item in reference.catalogue.recommendations:
        for indicator, words in _INDICATOR_IN_USE.items():
            if re.search(words, _text(item)) and indicator not in item.presupposes.indicators:
                undeclared.append(f"{item.id}: {indicator}")
    assert undeclared == []
    assert "nps" in _items(reference)["nps_below_benchmark"].presupposes.indicators


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None)
def test_no_indicator_advice_without_that_indicator(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    answers = validate_answers(raw)
    used = answers.selected("satisfaction_indicators")
    items = _items(reference)
    for chosen in _chosen(assessor, answers):
        assert set(items[chosen.id].presupposes.indicators) <= set(used), chosen.id
        for indicator, words in _INDICATOR_IN_USE.items():
            if indicator not in used:
                assert not re.search(words, f"{chosen.title.fr} {chosen.body.fr}"), chosen.id


# Examples that belong to one sector's trade (retail orders, airline upgrades, public-service
# users). A sector's name quoted with its figure ("73% of banks...") is a figure, not an example.
_SECTOR_EXAMPLES = {
    "retail_consumer_goods": (
        r"o[uù] est ma commande|where is my order|\bsoldes\b|e-commerce|suivi de commande"
        r"|order tracking|livraisons? compl[eè]tes|in-full|places? de march[ée]|marketplaces?"
        r"|cosm[ée]tique|cosmetics|agroalimentaire"
    ),
    "transport_tourism": r"bagages?|baggage|surclassement|\bupgrades?\b|passagers?|passengers?",
    "banking_insurance": r"sinistres?|insurance claims?|compte bancaire|bank account",
    "public_sector": r"\busagers?\b|ayants? droit|\bbeneficiar(?:y|ies)\b|\bvictimes?\b",
}


def test_sector_examples_appear_only_in_advice_for_that_sector(reference: ReferenceData) -> None:
    """A text with a sector's examples is shown to that sector only (or to "other", whose trade
    is unknown)."""
    wrong = []
    for item in reference.catalogue.recommendations:
        fits = {s for s, words in _SECTOR_EXAMPLES.items() if re.search(words, _text(item), re.I)}
        declared = set(item.presupposes.sectors)
        if fits and (not declared or not declared <= fits | {"other"}):
            wrong.append(f"{item.id}: examples for {sorted(fits)}, shown to {sorted(declared)}")
    assert wrong == []


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None)
def test_a_sector_gets_only_examples_that_fit_it(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    answers = validate_answers(raw)
    sector = answers.get("sector")
    for chosen in _chosen(assessor, answers):
        text = f"{chosen.title.fr} {chosen.body.fr} {chosen.title.en} {chosen.body.en}"
        for other, words in _SECTOR_EXAMPLES.items():
            if other != sector and sector != "other":
                assert not re.search(words, text, re.I), (chosen.id, sector, other)


_VOLUME_WORDS = (
    r"volumes? [ée]lev[ée]s|gros volumes|gros flux|volumes importants|high (?:or seasonal )?volumes"
    r"|large volumes"
)


def test_volume_advice_declares_a_volume_above_the_smallest(reference: ReferenceData) -> None:
    speaking_of_volume = [
        item
        for item in reference.catalogue.recommendations
        if re.search(_VOLUME_WORDS, _text(item), re.I)
    ]
    assert {i.id for i in speaking_of_volume} >= {"outsourcing_for_peaks", "structure_for_volume"}
    for item in speaking_of_volume:
        volumes = item.presupposes.monthly_volume
        assert volumes, item.id
        assert "lt_1k" not in volumes, item.id
        assert "dont_know" not in volumes, item.id


@given(raw=answer_sets())
@settings(max_examples=200, deadline=None)
def test_no_volume_advice_for_the_smallest_volume(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    raw["monthly_volume"] = "lt_1k"
    items = _items(reference)
    for chosen in _chosen(assessor, validate_answers(raw)):
        volumes = items[chosen.id].presupposes.monthly_volume
        assert not volumes or "lt_1k" in volumes, chosen.id
        assert not re.search(_VOLUME_WORDS, f"{chosen.body.fr} {chosen.body.en}", re.I), chosen.id


# --- the answer sets of the QA review (M4) ----------------------------------------------------

_SMALL_SHOP = {  # phone not offered, email only, under 1,000 requests a month
    "sector": "retail_consumer_goods",
    "business_model": "b2c",
    "headcount": "lt_200",
    "monthly_volume": "lt_1k",
    "phone_open": False,
    "email_open": True,
    "mail_open": False,
    "chat_open": False,
    "social_open": False,
    "whatsapp_open": False,
    "selfcare": False,
    "email_delay": "gt_72h",
    "email_aht": "not_measured",
    "email_fcr": "dont_know",
    "satisfaction_measured": "never",
    "contact_reasons_analysed": False,
    "verbatims_analysed": False,
    "orientation_satisfaction_goal": 2,
    "orientation_customer_understanding": 2,
    "orientation_value_creation": 3,
    "orientation_relationship_key": 2,
    "complaint_share": "dont_know",
    "complaint_opportunity": 2,
    "channel_strategy": "single",
    "outsourcing": "none",
    "software": "none",
    "engagement_measures": ["not_measured"],
}
_BEST_DELAYS = BEST_EVERYWHERE  # the fastest bucket on every channel, over 50,000 a month


def _advice(assessor: Assessor, raw: dict[str, Any]) -> dict[str, ChosenRecommendation]:
    result = assessor.assess(validate_answers(raw))
    return {r.id: r for r in result.recommendations}


def test_a_shop_without_phone_gets_no_advice_about_calls_chat_or_peaks(
    assessor: Assessor,
) -> None:
    advice = _advice(assessor, _SMALL_SHOP)
    assert "basiques_centralise_requests" not in advice  # "emails and calls in one tool"
    assert "outsourcing_for_peaks" not in advice  # "high or seasonal volumes"
    # no tool at all: the advice to get one is still given
    assert "software_none" in advice
    for chosen in advice.values():
        text = f"{chosen.title.fr} {chosen.body.fr}"
        assert not re.search(_CHANNEL_WORDS["chat"], text, re.I), chosen.id
        assert not re.search(r"\bappels\b|t[ée]l[ée]phone", chosen.title.fr, re.I), chosen.id


def test_the_same_shop_with_a_phone_line_is_told_to_bring_both_flows_together(
    assessor: Assessor,
) -> None:
    with_phone = {
        **_SMALL_SHOP,
        "phone_open": True,
        "phone_delay": "gt_5min",
        "phone_aht": "gt_10min",
        "phone_fcr": 60,
    }
    assert assessor.assess(validate_answers(with_phone)).placement.cluster == "basiques"
    advice = _advice(assessor, with_phone)
    assert "basiques_centralise_requests" in advice
    assert "software_none" not in advice  # said once, by the advice above


def test_the_best_delays_everywhere_get_no_backlog_advice(assessor: Assessor) -> None:
    assert "polyvalents_gamify_backlog" not in _advice(assessor, _BEST_DELAYS)
    slow_email = {**_BEST_DELAYS, "email_delay": "24_72h"}
    assert "polyvalents_gamify_backlog" in _advice(assessor, slow_email)


def test_csat_only_is_not_told_to_complete_its_nps(assessor: Assessor) -> None:
    advice = _advice(assessor, FIVE_CHANNEL_BANK)
    for chosen in advice.values():
        assert not re.search(_INDICATOR_IN_USE["nps"], f"{chosen.title.fr} {chosen.body.fr}")
    # still told to combine indicators, in words that fit a CSAT user
    assert "NPS" not in advice["satisfaction_combine_indicators"].title.fr


def test_a_bank_gets_no_retail_examples(assessor: Assessor) -> None:
    for chosen in _advice(assessor, FIVE_CHANNEL_BANK).values():
        text = f"{chosen.title.fr} {chosen.body.fr} {chosen.title.en} {chosen.body.en}"
        assert not re.search(_SECTOR_EXAMPLES["retail_consumer_goods"], text, re.I), chosen.id


# --- our own words ----------------------------------------------------------------------------


def test_no_text_copies_a_run_of_words_from_the_sources(reference: ReferenceData) -> None:
    """Figures carry over, sentences do not: no seven words in a row of a title or body appear
    in a seed document."""
    report = os.environ.get("CSMB_REPORT_PATH")
    seeds = Path(report).parent if report else Path(__file__).resolve().parents[3] / "shared/seeds"
    if not seeds.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed documents not found at {seeds}")
        pytest.skip("seed documents not found")

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower().replace("’", "'"))

    source = words(" ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt")))
    runs = {tuple(source[i : i + 7]) for i in range(len(source) - 6)}
    copied = []
    for item in reference.catalogue.recommendations:
        for text in (item.title.fr, item.title.en, item.body.fr, item.body.en):
            w = words(text)
            copied += [
                f"{item.id}: {' '.join(w[i : i + 7])}"
                for i in range(len(w) - 6)
                if tuple(w[i : i + 7]) in runs
            ]
    assert copied == []


def test_presupposes_condition_is_empty_when_nothing_is_declared() -> None:
    assert Presupposes().condition() is None
    assert Presupposes().named_channels() == frozenset()
