"""HTML pages."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.core.questionnaire import QUESTIONNAIRE
from app.web.deps import AssessorDep
from app.web.templating import render

router = APIRouter()


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
