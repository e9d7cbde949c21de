"""A result as plain data (JSON, CSV), in one language, with every figure's source."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import orjson

from app.core.answers import FieldError
from app.core.assessment import AssessmentResult
from app.core.comparison import KpiComparison, Reference
from app.core.figures import Figure, Source
from app.core.placement import FactorPull
from app.core.questionnaire import QUESTIONNAIRE
from app.core.recommendations import ChosenRecommendation
from app.core.vocabulary import Locale


def source_payload(source: Source) -> dict[str, Any]:
    return {"document": source.document, "section": source.section, "quote": source.quote}


def figure_payload(figure: Figure | None) -> dict[str, Any] | None:
    if figure is None:
        return None
    return {
        "value": figure.value,
        "printed": figure.printed,
        "unit": figure.unit,
        "source": source_payload(figure.source),
    }


def _reference(ref: Reference, locale: Locale) -> dict[str, Any]:
    return {
        "scope": ref.scope,
        "group": ref.group.in_(locale),
        "verdict": ref.verdict,
        "statement": ref.statement.in_(locale) if ref.statement else None,
        "position": ref.position.in_(locale) if ref.position else None,
        "figure": figure_payload(ref.figure),
    }


def _comparison(kpi: KpiComparison, locale: Locale) -> dict[str, Any]:
    return {
        "kpi": kpi.kpi,
        "label": kpi.label.in_(locale),
        "answer": kpi.answer.in_(locale),
        "references": [_reference(r, locale) for r in kpi.references],
    }


def _pull(p: FactorPull, locale: Locale) -> dict[str, Any]:
    return {
        "factor": p.factor,
        "question": p.question,
        "answer": p.answer,
        "pull": p.pull,
        "left_out": p.skipped,
    }


def _recommendation(r: ChosenRecommendation, locale: Locale) -> dict[str, Any]:
    return {
        "id": r.id,
        "priority": r.priority,
        "theme": r.theme,
        "title": r.title.in_(locale),
        "body": r.body.in_(locale),
        "why": [reason.in_(locale) for reason in r.reasons],
        "rests_on": [source_payload(s) for s in r.rests_on],
    }


_T = TypeVar("_T")
Build = Callable[[Any, Locale], dict[str, Any]]
_LIMIT = 20_000
"""Fragments remembered at most, per store (a comparison row's is 1-2 KB): the core's shared
parts number about as many; past it, fragments are built each time, the same."""
_FRAGMENTS: dict[tuple[int, str], tuple[object, dict[str, Any]]] = {}
_JSON_FRAGMENTS: dict[tuple[int, str], tuple[object, orjson.Fragment]] = {}


def _remembered(
    store: dict[tuple[int, str], tuple[object, _T]],
    part: object,
    locale: Locale,
    make: Callable[[], _T],
) -> _T:
    """Keyed by identity, the object kept alongside so that its id cannot be reused while the
    entry exists."""
    key = (id(part), locale)
    hit = store.get(key)
    if hit is not None and hit[0] is part:
        return hit[1]
    made = make()
    if len(store) < _LIMIT:
        store[key] = (part, made)
    return made


def _fragment(part: object, locale: Locale, build: Build) -> dict[str, Any]:
    """A part of a result (a comparison row, a factor's pull, a recommendation) as payload,
    built once per object and language: the core shares these immutable objects between the
    results that contain them. The fragments are shared too: read-only."""
    return _remembered(_FRAGMENTS, part, locale, lambda: build(part, locale))


def _json_fragment(part: object, locale: Locale, build: Build) -> orjson.Fragment:
    """The same fragment, serialised once (orjson copies it as it is)."""
    return _remembered(
        _JSON_FRAGMENTS,
        part,
        locale,
        lambda: orjson.Fragment(orjson.dumps(build(part, locale))),
    )


def result_payload(result: AssessmentResult, locale: Locale) -> dict[str, Any]:
    return _assemble(result, locale, _fragment)


def result_json(
    result: AssessmentResult, locale: Locale, extra: dict[str, Any] | None = None
) -> bytes:
    """``result_payload`` (plus ``extra`` keys) as JSON, as the API sends it: orjson (the same
    values as ``json.dumps``, non-ASCII as UTF-8), each shared part serialised once."""
    return orjson.dumps({**_assemble(result, locale, _json_fragment), **(extra or {})})


def _assemble(
    result: AssessmentResult, locale: Locale, fragment: Callable[[Any, Locale, Build], Any]
) -> dict[str, Any]:
    placement = result.placement
    path = result.next_level
    return {
        "edition": result.edition,
        "cluster": placement.cluster,
        "probabilities": placement.probabilities,
        "borderline": placement.borderline,
        "confidence": placement.confidence,
        "factors_left_out": list(placement.skipped),
        "factor_pulls": [fragment(p, locale, _pull) for p in placement.pulls],
        "next_level": {
            "target": path.target,
            "reached": path.path.target if path.path else None,
            "skips_level": path.path.skips_level if path.path else False,
            "changes": [
                {"question": c.question, "from": c.before, "to": c.after}
                for c in (path.path.changes if path.path else ())
            ],
            "questions_to_answer": list(path.path.questions_to_answer) if path.path else [],
            "probabilities_after": path.path.probabilities if path.path else None,
            "consolidate": [
                {
                    "block": m.block,
                    "changes": [
                        {"question": c.question, "from": c.before, "to": c.after} for c in m.changes
                    ],
                }
                for m in (path.consolidation.best_moves if path.consolidation else ())
            ],
        },
        "comparisons": [fragment(k, locale, _comparison) for k in result.comparisons],
        "orientation": {
            "score": result.orientation.score,
            "cluster_means": result.orientation.cluster_means,
            "all_respondents": result.orientation.all_mean,
            "closest_cluster": result.orientation.closest,
        },
        "recommendations": [fragment(r, locale, _recommendation) for r in result.recommendations],
    }


def errors_payload(errors: tuple[FieldError, ...], locale: Locale) -> list[dict[str, Any]]:
    return [
        {
            "field": e.field,
            "code": e.code,
            "message": e.message.in_(locale),
            "label": QUESTIONNAIRE[e.field].label.in_(locale) if e.field in QUESTIONNAIRE else None,
        }
        for e in errors
    ]
