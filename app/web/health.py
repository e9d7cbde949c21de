"""Liveness and readiness for the container's healthcheck."""

from __future__ import annotations

from fastapi import APIRouter

from app.web.deps import AssessorDep

router = APIRouter()


@router.get("/healthz")
def healthz(assessor: AssessorDep) -> dict[str, str]:
    return {"status": "ok", "edition": assessor.reference.edition}
