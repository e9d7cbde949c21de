"""HTML pages other than the assessment itself."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import CLUSTERS
from app.web.deps import AssessorDep, LocaleDep
from app.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, assessor: AssessorDep) -> HTMLResponse:
    benchmarks = assessor.reference.benchmarks
    return render(
        request,
        "home.html",
        {
            "edition": assessor.reference.edition,
            "clusters": list(benchmarks.clusters.values()),
            "sections": QUESTIONNAIRE.sections,
        },
    )


@router.get("/methodology", response_class=HTMLResponse)
def methodology(request: Request, assessor: AssessorDep, locale: LocaleDep) -> HTMLResponse:
    profiles = assessor.reference.profiles
    rows = []
    for factor in profiles.factors:
        question = QUESTIONNAIRE[factor.question]
        for category in factor.categories:
            cells = []
            for cluster in CLUSTERS:
                dist = factor.clusters[cluster]
                share = 100 * dist.counts[category] / sum(dist.counts.values())
                mark = "S" if dist.basis == "source" else "E"
                cells.append(
                    f"{share:.0f} % ({mark})" if locale == "fr" else f"{share:.0f}% ({mark})"
                )
            rows.append(
                {
                    "factor": question.label.in_(locale),
                    "category": _category_label(question.kind, question, category, locale),
                    "cells": cells,
                }
            )
    departures = [
        f"{factor.id} — {cluster}: {dist.departs_from.printed:g} → {dist.departs_from.used:g}"
        for factor in profiles.factors
        for cluster, dist in factor.clusters.items()
        if dist.departs_from is not None
    ]
    return render(
        request,
        "methodology.html",
        {
            "edition": assessor.reference.edition,
            "clusters": list(assessor.reference.benchmarks.clusters.values()),
            "profile_rows": rows,
            "departures": departures,
        },
    )


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
