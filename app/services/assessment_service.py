"""Scoring answer sets: the one place that turns raw answers into a result."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from app.core.answers import validate_answers, validate_text_answers
from app.core.assessment import AssessmentResult, Assessor
from app.reference.loader import load_reference


@cache
def assessor_for(reference_dir: Path) -> Assessor:
    """Loads and validates the reference data once per folder (at start-up)."""
    return Assessor(load_reference(reference_dir))


def score(assessor: Assessor, raw: Mapping[str, object]) -> AssessmentResult:
    """Typed answers (JSON). Raises InvalidAnswers with one error per faulty field."""
    return assessor.assess(validate_answers(raw))


def score_text(assessor: Assessor, raw: Mapping[str, str | Sequence[str]]) -> AssessmentResult:
    """Text answers (a form, a CSV row). Raises InvalidAnswers."""
    return assessor.assess(validate_text_answers(raw))
