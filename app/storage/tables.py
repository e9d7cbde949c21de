"""Tables. Ids are internal: nothing sequential ever appears in a URL or a page; what users
hold are random tokens, and the database keeps only their SHA-256 digests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


class Draft(SQLModel, table=True):
    """A questionnaire in progress: the answers as submitted (text, so that even an invalid
    value is kept and shown back), reachable only through its random token."""

    token: str = Field(primary_key=True, max_length=64)
    answers: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", ondelete="CASCADE")
    company: str | None = Field(default=None, max_length=200)
    series: str | None = Field(default=None, max_length=64)
    """Set on a retake: the new assessment joins the same company's series."""
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now, index=True)


class Workspace(SQLModel, table=True):
    """A consultant's space, reached through capability links (no accounts)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    colour: str = Field(default="#0b5cad", max_length=7)
    dashboard_hash: str = Field(max_length=64, unique=True, index=True)
    """Digest of the private dashboard secret (shown once, at creation or rotation)."""
    invite_token: str = Field(max_length=64, unique=True, index=True)
    """The client invitation link: meant to be handed out, so the dashboard shows it again;
    it only lets someone add an assessment to the workspace, and can be rotated."""
    created_at: datetime = Field(default_factory=now)


class Assessment(SQLModel, table=True):
    """A completed assessment, stored as it was computed."""

    __table_args__ = (
        Index("ix_assessment_workspace_created", "workspace_id", "created_at"),
        Index("ix_assessment_workspace_sector_created", "workspace_id", "sector", "created_at"),
        Index("ix_assessment_workspace_cluster_created", "workspace_id", "cluster", "created_at"),
        # both filters at once: the count and the page come from the index alone
        Index(
            "ix_assessment_workspace_sector_cluster_created",
            "workspace_id",
            "sector",
            "cluster",
            "created_at",
            "id",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    public_id: str = Field(max_length=32, unique=True, index=True)
    """Random handle used by the consultant's dashboard (compare, progress); not a capability."""
    share_hash: str = Field(max_length=64, unique=True, index=True)
    manage_hash: str = Field(max_length=64, unique=True, index=True)
    consultant_share_hash: str | None = Field(default=None, max_length=64, unique=True, index=True)
    """The share link the workspace's consultant made (app/services/share_links.py); the
    client's own share link is ``share_hash``."""
    workspace_id: int | None = Field(default=None, foreign_key="workspace.id", ondelete="CASCADE")
    series: str = Field(max_length=64, index=True)
    """The same company across retakes."""
    company: str | None = Field(default=None, max_length=200)
    sector: str = Field(max_length=40)
    cluster: str = Field(max_length=20)
    p_basiques: float
    p_classiques: float
    p_polyvalents: float
    edition: str = Field(max_length=10)
    locale: str = Field(max_length=2)
    answers: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    """The result pages as computed, per language: shown as they were, never recomputed."""
    created_at: datetime = Field(default_factory=now)


class IdempotentRequest(SQLModel, table=True):
    """A POST that carried an Idempotency-Key: a retry with the same key gets the first answer
    back instead of storing twice."""

    __tablename__ = "idempotent_request"

    key_hash: str = Field(primary_key=True, max_length=64)
    """Digest of the caller (partner key, or anonymous) and its Idempotency-Key."""
    body_hash: str = Field(max_length=64)
    status: int
    response: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=now, index=True)


class PartnerKey(SQLModel, table=True):
    """A partner's API key: only its digest is kept; ``prefix`` names it in listings."""

    __tablename__ = "partner_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    prefix: str = Field(max_length=12, unique=True, index=True)
    key_hash: str = Field(max_length=64, unique=True, index=True)
    origins: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Web origins allowed to call the API from a browser (CORS) and to frame the assessment."""
    rate_per_minute: int = Field(default=600)
    created_at: datetime = Field(default_factory=now)
    revoked_at: datetime | None = Field(default=None)
