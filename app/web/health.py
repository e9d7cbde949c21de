"""Liveness and readiness for the container's healthcheck."""

from __future__ import annotations

from fastapi import APIRouter

from app.web.deps import AssessorDep

router = APIRouter()


# the container's, not a partner's: kept out of the API documentation
@router.get("/healthz", include_in_schema=False)
def healthz(assessor: AssessorDep) -> dict[str, str]:
    return {"status": "ok", "edition": assessor.reference.edition}
