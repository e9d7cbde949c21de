"""The database engine: SQLite in a data folder by default (WAL mode), PostgreSQL through
CSMB_DATABASE_URL for hosted use. Migrations (Alembic) run when the engine is first made."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _sqlite_engine(url: str) -> Engine:
    path = url.removeprefix("sqlite:///")
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _pragmas(connection: Any, _: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives a kill
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    return engine


def migrate(engine: Engine) -> None:
    """Brings the schema to the latest revision (idempotent)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # several workers may start at once: one migrates, the others wait for it
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(2022061301)")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@cache
def engine_for(url: str) -> Engine:
    engine = (
        _sqlite_engine(url) if url.startswith("sqlite") else create_engine(url, pool_pre_ping=True)
    )
    migrate(engine)
    return engine


def sessions(url: str) -> Iterator[Session]:
    with Session(engine_for(url)) as session:
        yield session
