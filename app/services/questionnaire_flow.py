"""The online questionnaire, page by page, on top of the core's one definition.

Answers are kept as submitted (text) in the draft, so that a wrong value is shown back next to
its message and nothing typed is lost; they are read and validated by the core on each step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from app.core.answers import (
    FieldError,
    InvalidAnswers,
    applicability,
    parse_text_answers,
    validate_text_answers,
)
from app.core.questionnaire import FORM_STEPS, FormStep, Question
from app.core.text import LocalizedText, t
from app.core.vocabulary import DONT_KNOW

RawAnswers = Mapping[str, str | Sequence[str]]

UNKNOWN_SUFFIX = "__unknown"
"""Form field of a percentage's "don't know" box: phone_fcr__unknown=dont_know."""


@dataclass(frozen=True)
class StepView:
    step: FormStep
    number: int
    total: int
    questions: tuple[Question, ...]
    previous: str | None
    next: str | None


def _typed(raw: RawAnswers) -> dict[str, object]:
    values, _ = parse_text_answers(raw)
    return {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}


def visible_questions(step: FormStep, raw: RawAnswers) -> tuple[Question, ...]:
    """The step's questions that apply, or may apply, given the answers so far."""
    typed = _typed(raw)
    return tuple(q for q in step.questions if applicability(q, typed) != "does_not_apply")


def active_steps(raw: RawAnswers) -> tuple[FormStep, ...]:
    """Steps with at least one question to ask (no delays page when no channel is open)."""
    return tuple(s for s in FORM_STEPS if visible_questions(s, raw))


def step_by_id(step_id: str) -> FormStep | None:
    return next((s for s in FORM_STEPS if s.id == step_id), None)


def view(step: FormStep, raw: RawAnswers) -> StepView:
    steps = active_steps(raw)
    ids = [s.id for s in steps]
    if step.id not in ids:  # a step that no longer applies: place it where it would stand
        ids = [s.id for s in FORM_STEPS if s.id in ids or s.id == step.id]
    index = ids.index(step.id)
    return StepView(
        step=step,
        number=index + 1,
        total=len(ids),
        questions=visible_questions(step, raw),
        previous=ids[index - 1] if index > 0 else None,
        next=ids[index + 1] if index + 1 < len(ids) else None,
    )


def collect(step: FormStep, form: Mapping[str, Sequence[str]]) -> dict[str, str | list[str]]:
    """A step's answers from a submitted form (every question of the step, so that an untick
    or an emptied field replaces what the draft had)."""
    answers: dict[str, str | list[str]] = {}
    for question in step.questions:
        given = [v for v in form.get(question.id, []) if isinstance(v, str)]
        if question.kind == "multiple":
            answers[question.id] = [v for v in given if v]
        elif question.kind == "percent" and DONT_KNOW in form.get(question.id + UNKNOWN_SUFFIX, []):
            # a number typed as well is kept (nothing typed is lost): ``conflicts`` asks which
            typed = given[-1].strip() if given else ""
            answers[question.id] = typed or DONT_KNOW
        else:
            answers[question.id] = given[-1].strip() if given else ""
    return answers


@dataclass(frozen=True)
class FormConflict:
    """A mistake of the form itself, which no answer set can hold: shown next to its field
    like a validation error."""

    field: str
    message: LocalizedText


_NUMBER_AND_UNKNOWN = t(
    "Vous aviez indiqué un chiffre et coché « Je ne sais pas ». Le chiffre est gardé et la case "
    "décochée : renvoyez la page pour le confirmer, ou effacez-le et cochez la case.",
    "You entered a number and ticked “Don't know”. The number is kept and the box unticked: "
    "send the page again to confirm it, or clear it and tick the box.",
)


def conflicts(step: FormStep, form: Mapping[str, Sequence[str]]) -> dict[str, FormConflict]:
    """Fields answered twice over: a percentage typed with its "don't know" box ticked."""
    found: dict[str, FormConflict] = {}
    for question in step.questions:
        if question.kind != "percent":
            continue
        typed = [v for v in form.get(question.id, []) if isinstance(v, str) and v.strip()]
        if typed and DONT_KNOW in form.get(question.id + UNKNOWN_SUFFIX, []):
            found[question.id] = FormConflict(question.id, _NUMBER_AND_UNKNOWN)
    return found


def errors(raw: RawAnswers, questions: Sequence[Question]) -> dict[str, FieldError]:
    """The errors of these questions, reading the whole answer set (a question's validity may
    depend on another's answer)."""
    wanted = {q.id for q in questions}
    try:
        validate_text_answers(raw)
    except InvalidAnswers as invalid:
        return {e.field: e for e in invalid.errors if e.field in wanted}
    return {}


def first_incomplete(raw: RawAnswers) -> FormStep | None:
    """The first step with a faulty or missing answer (the answers are validated once)."""
    try:
        validate_text_answers(raw)
    except InvalidAnswers as invalid:
        faulty = {e.field for e in invalid.errors}
        typed = _typed(raw)
        for step in FORM_STEPS:
            shown = [q for q in step.questions if applicability(q, typed) != "does_not_apply"]
            if any(q.id in faulty for q in shown):
                return step
    return None
