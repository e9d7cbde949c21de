from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import validate_answers
from app.core.assessment import Assessor, ReferenceData
from app.core.catalogue import Catalogue
from app.core.recommendations import check_catalogue, evaluate, recommend
from tests.personas import PERSONAS
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit


def test_catalogue_covers_what_the_issue_lists(reference: ReferenceData) -> None:
    catalogue = reference.catalogue
    assert len(catalogue.recommendations) >= 30
    documents = {s.document for r in catalogue.recommendations for s in r.rests_on}
    assert documents >= {
        "barometre_2022",
        "amarc_dauphine_2022",
        "ipsos_closed_loop",
        "sens_du_client_2017",
    }
    themes = {r.theme for r in catalogue.recommendations}
    assert themes >= {
        "channels",
        "responsiveness",
        "satisfaction",
        "complaints",
        "organisation",
        "team",
    }
    ids = {r.id for r in catalogue.recommendations}
    assert len(ids) == len(catalogue.recommendations)
    for item in catalogue.recommendations:
        assert item.title.fr != item.title.en
        assert item.body.fr != item.body.en


def test_catalogue_triggers_only_name_real_questions_and_answers(reference: ReferenceData) -> None:
    assert check_catalogue(reference.catalogue) == []


def test_a_bad_trigger_is_caught() -> None:
    broken = Catalogue.model_validate(
        {
            "edition": "2022",
            "recommendations": [
                {
                    "id": "x",
                    "priority": 1,
                    "theme": "team",
                    "title": {"fr": "a", "en": "b"},
                    "body": {"fr": "a", "en": "b"},
                    "rests_on": [{"section": "s"}],
                    "when": {"answer": "satisfaction_measured", "in": ["no"]},
                }
            ],
        }
    )
    assert check_catalogue(broken) == ["x: satisfaction_measured can never be 'no'"]


@pytest.mark.parametrize("cluster", ["basiques", "classiques", "polyvalents"])
def test_each_persona_gets_ranked_recommendations_with_reasons(
    cluster: str, assessor: Assessor
) -> None:
    for persona in PERSONAS[cluster]:  # type: ignore[index]
        result = assessor.assess(validate_answers(persona.answers))
        recs = result.recommendations
        assert len(recs) >= 3, persona.name
        priorities = [r.priority for r in recs]
        assert priorities == sorted(priorities, reverse=True)
        for rec in recs:
            assert rec.reasons, rec.id
            assert rec.rests_on


def test_never_measuring_satisfaction_ranks_first(assessor: Assessor) -> None:
    result = assessor.assess(validate_answers(PERSONAS["classiques"][1].answers))
    top = result.recommendations[0]
    assert top.priority == 5
    assert any("Non" in r.fr or "No" in r.en for r in top.reasons)


@given(raw=answer_sets())
@settings(max_examples=150, deadline=None)
def test_compiled_and_plain_evaluation_agree(
    raw: dict[str, Any], assessor: Assessor, reference: ReferenceData
) -> None:
    answers = validate_answers(raw)
    cluster = assessor.model.place(answers).cluster
    compiled = assessor.recommender.recommend(answers, cluster)
    plain = recommend(reference.catalogue, answers, cluster)
    assert compiled == plain
    from app.core.recommendations import Context

    for rec in compiled:
        item = next(r for r in reference.catalogue.recommendations if r.id == rec.id)
        assert evaluate(item.when, Context(answers, cluster))[0]


def test_cluster_names_in_reasons_match_the_cluster_descriptions(reference: ReferenceData) -> None:
    from app.core.recommendations import CLUSTER_NAMES

    for cluster, figures in reference.benchmarks.clusters.items():
        assert CLUSTER_NAMES[cluster] == figures.name


def test_figures_quoted_in_advice_exist_in_the_sources(reference: ReferenceData) -> None:
    """Advice may cite the report's figures (never its sentences): every percentage or score
    in a French body must be printed somewhere in the seed documents."""
    import os
    import re
    from pathlib import Path

    report = os.environ.get("CSMB_REPORT_PATH")
    seeds = Path(report).parent if report else Path(__file__).resolve().parents[3] / "shared/seeds"
    if not seeds.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"seed documents not found at {seeds}")
        pytest.skip("seed documents not found")
    text = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    printed = set(re.findall(r"\d+(?:,\d+)?(?=\s?%)", text)) | set(re.findall(r"\d,\d\d", text))
    missing = []
    for item in reference.catalogue.recommendations:
        for number in re.findall(r"\d+(?:,\d+)?(?=\s?%)|\d,\d\d", item.body.fr):
            if number not in printed:
                missing.append(f"{item.id}: {number}")
    assert missing == []


# Advice that holds new channels back and advice that picks the next channel to open
HOLD_AND_OPEN = {"traditional_channels_first", "basiques_channels_from_icp"}


@given(raw=answer_sets())
@settings(max_examples=300, deadline=None)
def test_no_result_both_holds_new_channels_back_and_opens_one(
    raw: dict[str, Any], assessor: Assessor
) -> None:
    chosen = {r.id for r in assessor.assess(validate_answers(raw)).recommendations}
    assert not chosen >= HOLD_AND_OPEN


def test_a_slow_service_with_chat_open_is_told_to_hold_back_not_to_open_more(
    assessor: Assessor,
) -> None:
    persona = PERSONAS["basiques"][2]  # email, post and chat, all slow; no social, no WhatsApp
    result = assessor.assess(validate_answers(persona.answers))
    assert result.placement.cluster == "basiques"
    chosen = {r.id for r in result.recommendations}
    assert "traditional_channels_first" in chosen
    assert "basiques_channels_from_icp" not in chosen
