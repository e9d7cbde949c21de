"""A result as plain data (JSON, CSV), in one language, with every figure's source."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, get_args

import orjson

from app.core.answers import FieldError
from app.core.assessment import AssessmentResult
from app.core.benchmarks import ClusterFigures
from app.core.comparison import KpiComparison, Reference
from app.core.figures import Figure, Source
from app.core.placement import FactorPull, Hinge
from app.core.questionnaire import QUESTIONNAIRE
from app.core.recommendations import ChosenRecommendation
from app.core.vocabulary import Locale
from app.services.presentation import DOCUMENTS


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


def typed_answer(question: str, key: str | None) -> str | bool | int | None:
    """A factor's answer as the question's JSON value (the core keys answers as text)."""
    if not isinstance(key, str) or question not in QUESTIONNAIRE:
        return key
    kind = QUESTIONNAIRE[question].kind
    if kind == "boolean" and key in ("true", "false"):
        return key == "true"
    if kind in ("scale", "percent", "integer") and key.isdigit():
        return int(key)
    return key


def _decisive(hinge: Hinge | None) -> dict[str, Any] | None:
    if hinge is None:
        return None
    return {
        "factor": hinge.factor,
        "question": hinge.question,
        "answer": typed_answer(hinge.question, hinge.answer),
        "level_without_it": hinge.without,
    }


def _pull(p: FactorPull, locale: Locale) -> dict[str, Any]:
    return {
        "factor": p.factor,
        "question": p.question,
        "answer": typed_answer(p.question, p.answer),
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


Build = Callable[[Any, Locale], dict[str, Any]]


class _Fragments:
    """Parts of results (comparison rows, factors' pulls, recommendations) as payload, made
    once per object and language: the core shares these immutable objects between the results
    that contain them, and the fragments are shared too, read-only.

    Each fragment is kept on its part, in the instance's ``__dict__`` under a name of its own,
    as ``functools.cached_property`` keeps its values: the part is a frozen dataclass whose
    equality, hash and repr read its fields only, so nothing else sees it, and the fragment
    lives exactly as long as the part (the core's memos bound how many there are). Read back
    with one ``attrgetter`` per kind and language, in C: a dict keyed by ``id(part)`` cost
    three times as much (a new integer and a hash look-up per part, some fifty per result)."""

    def __init__(self, kind: str, make: Callable[[Build, Any, Locale], Any]) -> None:
        self._make = make
        self._names = {locale: f"_payload_{kind}_{locale}" for locale in get_args(Locale)}
        self._getters = {locale: attrgetter(name) for locale, name in self._names.items()}
        self._kept: dict[tuple[int, Locale], tuple[object, Any]] = {}

    def one(self, part: object, locale: Locale, build: Build) -> Any:
        """The fragment of a part that cannot keep it (a pydantic model, whose ``__dict__`` is
        its fields; a module's constant): remembered by identity, the part kept alive with it
        so that its id is never reused. For the few such parts a reference data load has."""
        kept = self._kept.get((id(part), locale))
        if kept is None:
            kept = self._kept[(id(part), locale)] = (part, self._make(build, part, locale))
        return kept[1]

    def __call__(self, parts: Sequence[object], locale: Locale, build: Build) -> list[Any]:
        """The fragments of a result's parts of one kind, in order (one call per kind, and no
        Python step per part when all are known)."""
        try:
            return list(map(self._getters[locale], parts))
        except AttributeError:  # some part is new: make its fragment
            pass
        name = self._names[locale]
        made = []
        for part in parts:
            kept: dict[str, Any] | None = getattr(part, "__dict__", None)
            fragment = kept.get(name) if kept is not None else None
            if fragment is None:
                fragment = self._make(build, part, locale)
                if kept is not None:
                    kept[name] = fragment
            made.append(fragment)
        return made


_fragments = _Fragments("dict", lambda build, part, locale: build(part, locale))
_json_fragments = _Fragments(
    # the same fragment, serialised once (orjson copies it as it is)
    "json",
    lambda build, part, locale: orjson.Fragment(orjson.dumps(build(part, locale))),
)


def profile_payload(profile: ClusterFigures, locale: Locale) -> dict[str, Any]:
    return {
        "name": profile.name.in_(locale),
        "tagline": profile.tagline.in_(locale),
        "description": profile.description.in_(locale),
        "share": figure_payload(profile.share),
    }


def documents_payload(locale: Locale) -> dict[str, dict[str, str]]:
    """Every document a source may name (``source.document``), with its title."""
    return {document: {"title": title.in_(locale)} for document, title in DOCUMENTS.items()}


def _documents(_: object, locale: Locale) -> dict[str, Any]:
    return documents_payload(locale)


def result_payload(result: AssessmentResult, locale: Locale) -> dict[str, Any]:
    return _assemble(result, locale, _fragments)


def result_json(
    result: AssessmentResult, locale: Locale, extra: dict[str, Any] | None = None
) -> bytes:
    """``result_payload`` (plus ``extra`` keys) as JSON, as the API sends it: orjson (the same
    values as ``json.dumps``, non-ASCII as UTF-8), each shared part serialised once."""
    return orjson.dumps({**_assemble(result, locale, _json_fragments), **(extra or {})})


def _assemble(result: AssessmentResult, locale: Locale, fragments: _Fragments) -> dict[str, Any]:
    placement = result.placement
    path = result.next_level
    return {
        "edition": result.edition,
        "cluster": placement.cluster,
        "cluster_profile": fragments.one(result.profile, locale, profile_payload),
        "probabilities": placement.probabilities,
        "borderline": placement.borderline,
        "decisive_answer": _decisive(placement.hinge),
        "confidence": placement.confidence,
        "factors_left_out": list(placement.skipped),
        "factor_pulls": fragments(placement.pulls, locale, _pull),
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
        "comparisons": fragments(result.comparisons, locale, _comparison),
        "orientation": {
            "score": result.orientation.score,
            "cluster_means": dict(result.orientation.cluster_means),  # shared by results
            "all_respondents": result.orientation.all_mean,
            "closest_cluster": result.orientation.closest,
        },
        "recommendations": fragments(result.recommendations, locale, _recommendation),
        "documents": fragments.one(DOCUMENTS, locale, _documents),
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
