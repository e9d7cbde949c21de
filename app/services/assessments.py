"""Completed assessments: stored as computed, reached by a read-only share link or a private
manage link (retake, delete)."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from pydantic import TypeAdapter
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, or_, select

from app.core.answers import Answers
from app.core.assessment import AssessmentResult, ReferenceData
from app.core.vocabulary import LOCALES, Cluster, Locale
from app.services import share_links
from app.services.presentation import ResultPage, describe_result
from app.services.result_payload import (
    documents_payload,
    profile_payload,
    result_payload,
    typed_answer,
)
from app.services.tokens import digest, new_token, plausible
from app.storage.tables import Assessment, Draft

_PAGE = TypeAdapter(ResultPage)


@dataclass(frozen=True)
class Created:
    assessment: Assessment
    share_token: str
    manage_secret: str
    """Shown once, to the person who completed the assessment; only its digest is kept."""


def result_pages(result: AssessmentResult, reference: ReferenceData) -> dict[str, Any]:
    """The result as computed, in both languages: the page's content, and the API's payload
    (``api``), so that both show a stored result exactly as it was computed."""
    pages: dict[str, Any] = {
        locale: dataclasses.asdict(describe_result(result, reference, locale)) for locale in LOCALES
    }
    pages["api"] = {locale: result_payload(result, locale) for locale in LOCALES}
    return pages


def api_payload_of(
    assessment: Assessment, locale: Locale, reference: ReferenceData
) -> dict[str, Any]:
    """The stored result as the API gives it; one stored before the result named its
    cluster's description and its documents gets them from the reference data."""
    payload: dict[str, Any] = assessment.result["api"][locale]
    if "documents" not in payload:
        # stored as computed then: the same answers in today's shape, nothing recomputed but
        # the descriptions the reference data gives
        profile = reference.benchmarks.clusters[cast(Cluster, assessment.cluster)]
        payload = {
            **payload,
            "decisive_answer": None,
            "factor_pulls": [
                {**pull, "answer": typed_answer(pull["question"], pull["answer"])}
                for pull in payload["factor_pulls"]
            ],
            "cluster_profile": profile_payload(profile, locale),
            "documents": documents_payload(locale),
        }
    return payload


def page_of(assessment: Assessment, locale: Locale) -> ResultPage:
    return _PAGE.validate_python(assessment.result[locale])


def store(
    session: Session,
    result: AssessmentResult,
    reference: ReferenceData,
    raw_answers: dict[str, Any],
    locale: Locale,
    draft: Draft | None = None,
    remember: Callable[[str], SQLModel] | None = None,
) -> Created:
    """Stores a completed assessment and consumes its draft, in one transaction.

    ``remember``: a row to store in the same transaction, made from the share token (the
    API's Idempotency-Key record). When another request stored that row first (its key is
    unique), nothing is stored and ``AlreadyStored`` is raised: the caller answers with the
    other request's assessment."""
    manage = new_token()
    # the share token follows from the private one, so the manage page can always show it
    share = share_links.derived_share_token(manage)
    answers: Answers = result.answers
    placement = result.placement
    assessment = Assessment(
        public_id=new_token(),
        share_hash=digest(share),
        manage_hash=digest(manage),
        workspace_id=draft.workspace_id if draft else None,
        series=(draft.series if draft and draft.series else new_token()),
        company=draft.company if draft else None,
        sector=str(answers.get("sector")),
        cluster=placement.cluster,
        p_basiques=placement.probabilities["basiques"],
        p_classiques=placement.probabilities["classiques"],
        p_polyvalents=placement.probabilities["polyvalents"],
        edition=result.edition,
        locale=locale,
        answers=dict(raw_answers),
        result=result_pages(result, reference),
    )
    session.add(assessment)
    if draft is not None:
        session.delete(draft)
    if remember is not None:
        session.add(remember(share))
    try:
        session.commit()
    except IntegrityError as clash:
        session.rollback()
        raise AlreadyStored from clash
    session.refresh(assessment)
    return Created(assessment, share, manage)


class AlreadyStored(Exception):
    """A concurrent request with the same Idempotency-Key stored its assessment first."""


def by_share(session: Session, token: str) -> Assessment | None:
    if not plausible(token):
        return None
    hashed = digest(token)
    return session.exec(
        select(Assessment).where(
            or_(
                col(Assessment.share_hash) == hashed,
                col(Assessment.consultant_share_hash) == hashed,
            )
        )
    ).first()


def opens(assessment: Assessment, secret: str) -> bool:
    """Whether ``secret`` is this assessment's private (manage) link."""
    return secrets.compare_digest(digest(secret), assessment.manage_hash)


def by_manage(session: Session, secret: str) -> Assessment | None:
    if not plausible(secret):
        return None
    return session.exec(
        select(Assessment).where(col(Assessment.manage_hash) == digest(secret))
    ).first()


def delete(session: Session, assessment: Assessment) -> None:
    """For good: the row goes, with its answers and result, and so do the pending retakes
    started from it (they hold a copy of its answers)."""
    for draft in session.exec(select(Draft).where(col(Draft.series) == assessment.series)).all():
        session.delete(draft)
    session.delete(assessment)
    session.commit()


def retake_draft(session: Session, assessment: Assessment) -> Draft:
    """A draft pre-filled with the stored answers, that will join the same series."""
    draft = Draft(
        token=new_token(),
        answers=dict(assessment.answers),
        workspace_id=assessment.workspace_id,
        company=assessment.company,
        series=assessment.series,
    )
    session.add(draft)
    session.commit()
    session.refresh(draft)
    return draft
