"""HTML pages other than the assessment itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.core.questionnaire import FORM_STEPS, QUESTIONNAIRE
from app.core.vocabulary import CLUSTERS
from app.web.deps import AssessorDep, LocaleDep
from app.web.i18n import percent_text
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, assessor: AssessorDep) -> HTMLResponse:
    benchmarks = assessor.reference.benchmarks
    return render(
        request,
        "home.html",
        {
            "clusters": list(benchmarks.clusters.values()),
            # the steps as the questionnaire shows them, so that "step 3 of 9" is the third here
            "sections": FORM_STEPS,
        },
    )


@router.get("/methodology", response_class=HTMLResponse)
def methodology(request: Request, assessor: AssessorDep, locale: LocaleDep) -> HTMLResponse:
    profiles = assessor.reference.profiles
    clusters = assessor.reference.benchmarks.clusters
    rows = []
    adjustments = []
    for factor in profiles.factors:
        question = QUESTIONNAIRE[factor.question]
        for category in factor.categories:
            cells = []
            for cluster in CLUSTERS:
                dist = factor.clusters[cluster]
                share = 100 * dist.counts[category] / sum(dist.counts.values())
                mark = "S" if dist.basis == "source" else "E"
                cells.append(f"{percent_text(share, locale)} ({mark})")
            rows.append(
                {
                    "factor": question.label.in_(locale),
                    "category": _category_label(question.kind, question, category, locale),
                    "cells": cells,
                }
            )
        for cluster in CLUSTERS:
            dist = factor.clusters[cluster]
            if dist.departs_from is None:
                continue
            labels = [
                _category_label(question.kind, question, c, locale)
                for c in _adjusted_answers(factor.categories, dist.counts, dist.departs_from.used)
            ]
            # "Moins de 5 minutes ou de 5 à 10 minutes"
            labels[1:] = [label[:1].lower() + label[1:] for label in labels[1:]]
            adjustments.append(
                {
                    "factor": question.label.in_(locale),
                    "answer": (" ou " if locale == "fr" else " or ").join(labels) or "—",
                    "level": clusters[cluster].name.in_(locale),
                    "printed": percent_text(dist.departs_from.printed, locale, 1),
                    "used": percent_text(dist.departs_from.used, locale, 1),
                }
            )
    return render(
        request,
        "methodology.html",
        {
            "clusters": list(clusters.values()),
            "shares": {c: percent_text(clusters[c].share.value, locale) for c in CLUSTERS},
            "profile_rows": rows,
            "adjustments": adjustments,
        },
    )


def _adjusted_answers(
    categories: Sequence[str], counts: Mapping[str, float], used: float
) -> list[str]:
    """The answers an adjusted figure is the share of: the first categories (the best answers
    come first) whose shares add up to the figure the model uses, e.g. "under 5 minutes" and
    "5 to 10 minutes" for "under 10 minutes". None when no such run adds up."""
    total = sum(counts.values())
    cumulative = 0.0
    for end, category in enumerate(categories, start=1):
        cumulative += 100 * counts[category] / total
        if abs(cumulative - used) < 0.06:
            return list(categories[:end])
    return []


def _category_label(kind: str, question: object, category: str, locale: str) -> str:
    words = {
        "open": ("proposé", "offered"),
        "closed": ("non proposé", "not offered"),
        "systematic": ("après chaque contact", "after every contact"),
        "not_systematic": ("pas systématiquement", "not every time"),
    }
    if category in words:
        fr, en = words[category]
        return fr if locale == "fr" else en
    try:
        return question.option(category).label.in_(locale)  # type: ignore[attr-defined, no-any-return]
    except KeyError:
        return category
