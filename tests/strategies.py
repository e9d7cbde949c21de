"""Hypothesis strategies built from the questionnaire definition itself, so that a new question
is covered by every property test without touching this file."""

from __future__ import annotations

import json
import random
from typing import Any

from hypothesis import strategies as st

from app.core.answers import applicability
from app.core.questionnaire import QUESTIONNAIRE, Question
from app.core.vocabulary import DONT_KNOW


def _value(question: Question) -> st.SearchStrategy[Any]:
    if question.kind == "boolean":
        return st.booleans()
    if question.kind == "single":
        return st.sampled_from(question.option_ids())
    if question.kind == "multiple":
        plain = [o for o in question.option_ids() if o != question.exclusive_option]
        lists = st.lists(
            st.sampled_from(plain), unique=True, min_size=1 if question.required else 0
        )
        if question.exclusive_option:
            return st.one_of(lists, st.just([question.exclusive_option]))
        return lists
    low = question.minimum if question.minimum is not None else 1
    high = question.maximum if question.maximum is not None else 5
    numbers = st.integers(min_value=low, max_value=high)
    if question.kind == "percent" and question.allow_unknown:
        return st.one_of(numbers, st.just(DONT_KNOW))
    return numbers


@st.composite
def answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """A valid raw answer set (JSON-like values), drawn question by question in order so that
    conditional questions are asked only when they apply."""
    values: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    for question in QUESTIONNAIRE.questions():
        if applicability(question, typed) != "applies":
            continue
        if not question.required and question.kind != "multiple" and draw(st.booleans()):
            continue
        value = draw(_value(question))
        values[question.id] = value
        typed[question.id] = tuple(value) if isinstance(value, list) else value
    return values


@st.composite
def partner_answer_sets(draw: st.DrawFn) -> dict[str, Any]:
    """What the partner API accepts: a valid set, then some conditional answers left out and
    some well-formed answers to questions that do not apply added."""
    values = dict(draw(answer_sets()))
    typed = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    for question in QUESTIONNAIRE.questions():
        if question.applies_when is None:
            continue
        if question.id in values and draw(st.booleans()):
            del values[question.id]
        elif (
            question.id not in values
            and applicability(question, typed) == "does_not_apply"
            and draw(st.integers(0, 3)) == 0
        ):
            values[question.id] = draw(_value(question))
    return values


def _random_value(question: Question, rng: random.Random) -> Any:
    """What ``_value`` draws, from a seeded generator instead of hypothesis."""
    if question.kind == "boolean":
        return rng.random() < 0.5
    if question.kind == "single":
        return rng.choice(question.option_ids())
    if question.kind == "multiple":
        if question.exclusive_option and rng.random() < 0.2:
            return [question.exclusive_option]
        plain = [o for o in question.option_ids() if o != question.exclusive_option]
        size = rng.randint(1 if question.required else 0, len(plain))
        return rng.sample(plain, size)
    low = question.minimum if question.minimum is not None else 1
    high = question.maximum if question.maximum is not None else 5
    if question.kind == "percent" and question.allow_unknown and rng.random() < 0.2:
        return DONT_KNOW
    return rng.randint(low, high)


def random_answer_set(rng: random.Random) -> dict[str, Any]:
    """A valid raw answer set drawn like ``answer_sets``, from a seeded generator: the same seed
    gives the same answers (the API benchmark's pool of distinct bodies)."""
    values: dict[str, Any] = {}
    typed: dict[str, Any] = {}
    for question in QUESTIONNAIRE.questions():
        if applicability(question, typed) != "applies":
            continue
        if not question.required and question.kind != "multiple" and rng.random() < 0.2:
            continue
        value = _random_value(question, rng)
        values[question.id] = value
        typed[question.id] = tuple(value) if isinstance(value, list) else value
    return values


def answer_set_pool(size: int, seed: int = 2022) -> list[dict[str, Any]]:
    """``size`` distinct valid answer sets, always the same ones for a seed."""
    rng = random.Random(seed)
    pool: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(pool) < size:
        answers = random_answer_set(rng)
        key = json.dumps(answers, sort_keys=True)
        if key not in seen:
            seen.add(key)
            pool.append(answers)
    return pool
