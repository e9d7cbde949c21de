"""Tables."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def now() -> datetime:
    return datetime.now(UTC)


class Draft(SQLModel, table=True):
    """A questionnaire in progress: the answers as submitted (text, so that even an invalid
    value is kept and shown back), reachable only through its random token."""

    token: str = Field(primary_key=True, max_length=64)
    answers: dict[str, str | list[str]] = Field(default_factory=dict, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=now)
    updated_at: datetime = Field(default_factory=now, index=True)
