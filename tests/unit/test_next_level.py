"""The path to the next level: applied, it makes the next cluster the most likely, and no path
with fewer changes does (exhaustive check against the unpruned options)."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings

from app.core.answers import validate_answers
from app.core.next_level import MAX_BLOCKS, PathFinder
from app.core.placement import PlacementModel
from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import CLUSTERS
from tests.personas import PERSONAS
from tests.strategies import answer_sets

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def finder(model: PlacementModel) -> PathFinder:
    return PathFinder(model)


def _apply(raw: dict[str, Any], changes: Any) -> dict[str, Any]:
    changed = dict(raw)
    for change in changes:
        changed[change.question] = change.after
    return changed


def _is_top(model: PlacementModel, answers: dict[str, Any], target: str) -> bool:
    scores = model.log_scores(model.distances(answers))
    i = CLUSTERS.index(target)  # type: ignore[arg-type]
    return all(scores[i] > scores[j] for j in range(3) if j != i)


def _exists_path_with(finder: PathFinder, raw: dict[str, Any], target: str, blocks: int) -> bool:
    """Brute force over every block option, no pruning."""
    options = {b: finder._options(b, raw) for b in finder._block_questions}
    options = {b: o for b, o in options.items() if o}
    for combo in itertools.combinations(options, blocks):
        for picks in itertools.product(*(options[b] for b in combo)):
            if _is_top(finder.model, _apply(raw, [c for p in picks for c in p.changes]), target):
                return True
    return False


@given(raw=answer_sets())
@settings(max_examples=150, deadline=None)
def test_path_reaches_the_next_cluster_with_the_fewest_changes(
    raw: dict[str, Any], model: PlacementModel, finder: PathFinder
) -> None:
    answers = validate_answers(raw)
    result = finder.find(answers)
    current = model.place(answers).cluster
    assert result.current == current
    if current == "polyvalents":
        assert result.target is None
        assert result.consolidation is not None
        return
    assert result.target == CLUSTERS[CLUSTERS.index(current) + 1]
    if result.path is None or result.path.skips_level:
        # no path of up to three blocks reaches the next cluster
        for size in range(1, MAX_BLOCKS + 1):
            assert not _exists_path_with(finder, dict(answers), result.target, size)
    if result.path is None:
        return
    path = result.path
    reached = path.target
    assert CLUSTERS.index(reached) > CLUSTERS.index(current)
    assert _is_top(model, _apply(dict(answers), path.changes), reached)
    assert max(path.probabilities, key=path.probabilities.__getitem__) == reached
    assert len(path.blocks) == len(set(path.blocks))
    for fewer in range(1, len(path.blocks)):
        assert not _exists_path_with(finder, dict(answers), reached, fewer)
    # the changes plus answers to the questions they open up make a valid answer set
    applied = _apply(dict(answers), path.changes)
    for question in path.questions_to_answer:
        applied[question] = _any_answer(question)
    validate_answers(applied)


def _any_answer(question_id: str) -> Any:
    question = QUESTIONNAIRE[question_id]
    if question.kind == "percent":
        return "dont_know"
    if question.kind == "multiple":
        return [question.option_ids()[0]]
    return question.option_ids()[0]


def test_a_not_measured_answer_does_not_force_a_change_of_its_partner(finder: PathFinder) -> None:
    """Regression: with the phone delay not measured, improving only the phone handling time
    must be an option (and cost only its own steps)."""
    raw = {**PERSONAS["classiques"][2].answers, "phone_delay": "not_measured"}
    options = finder._options("phone", validate_answers(raw))
    aht_only = [o for o in options if [c.question for c in o.changes] == ["phone_aht"]]
    assert aht_only
    assert min(o.steps for o in aht_only) == 1


def test_opening_a_channel_lists_the_questions_it_opens(finder: PathFinder) -> None:
    result = finder.find(validate_answers(PERSONAS["basiques"][0].answers))
    assert result.path is not None
    if "phone_open" in [c.question for c in result.path.changes]:
        assert "phone_fcr" in result.path.questions_to_answer


def test_a_basique_gets_a_path_to_classiques(finder: PathFinder) -> None:
    result = finder.find(validate_answers(PERSONAS["basiques"][0].answers))
    assert result.target == "classiques"
    assert result.path is not None
    assert result.path.steps >= 1
    assert result.path.margin > 0


def test_changes_are_improvements_only(finder: PathFinder) -> None:
    for persona in PERSONAS["basiques"] + PERSONAS["classiques"]:
        result = finder.find(validate_answers(persona.answers))
        assert result.path is not None
        for change in result.path.changes:
            assert change.after != "not_measured"
            assert change.after is not False  # never closes a channel
            if change.question.endswith("_open"):
                assert change.before is False
                assert change.after is True


def test_at_the_top_it_says_what_would_consolidate(finder: PathFinder) -> None:
    result = finder.find(validate_answers(PERSONAS["polyvalents"][2].answers))
    assert result.current == "polyvalents"
    assert result.consolidation is not None
    assert result.consolidation.best_moves
    for move in result.consolidation.best_moves:
        assert move.delta[2] - move.delta[0] > 0
        assert move.delta[2] - move.delta[1] > 0
