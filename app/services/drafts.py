"""Drafts: a half-finished assessment survives a reload or a closed tab (30 days)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, delete

from app.services.tokens import new_token, plausible
from app.storage.tables import Draft, now

DRAFT_LIFETIME = timedelta(days=30)


def load(session: Session, token: str | None) -> Draft | None:
    if not token or not plausible(token):
        return None
    draft = session.get(Draft, token)
    if draft is None:
        return None
    updated = draft.updated_at if draft.updated_at.tzinfo else draft.updated_at.replace(tzinfo=UTC)
    if updated < datetime.now(UTC) - DRAFT_LIFETIME:
        session.delete(draft)
        session.commit()
        return None
    return draft


def save(
    session: Session,
    draft: Draft | None,
    changes: Mapping[str, str | Sequence[str]],
    removed: Sequence[str] = (),
) -> Draft:
    """Merges a step's answers into the draft (creating it if needed) and commits."""
    if draft is None:
        draft = Draft(token=new_token())
    answers = dict(draft.answers)
    for key, value in changes.items():
        answers[key] = value if isinstance(value, str) else list(value)
    for key in removed:
        answers.pop(key, None)
    draft.answers = answers
    draft.updated_at = now()
    session.add(draft)
    session.commit()
    session.refresh(draft)
    return draft


def purge_expired(session: Session) -> None:
    cutoff = datetime.now(UTC) - DRAFT_LIFETIME
    session.exec(delete(Draft).where(col(Draft.updated_at) < cutoff))
    session.commit()
