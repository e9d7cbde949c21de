"""The `database_url` fixture yields a working, empty database on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

pytestmark = pytest.mark.integration


def test_round_trip_in_a_transaction(database_url: str, request: pytest.FixtureRequest) -> None:
    expected_dialect = request.node.callspec.params["database_url"]
    metadata = MetaData()
    notes = Table(
        "notes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("text", String(200), nullable=False),
    )
    engine = create_engine(database_url)
    try:
        assert engine.dialect.name == expected_dialect
        metadata.create_all(engine)
        with engine.begin() as conn:
            conn.execute(insert(notes).values(text="Baromètre 2022 ✓"))
        with engine.connect() as conn:
            rows = conn.execute(select(notes.c.id, notes.c.text)).all()
        assert [tuple(row) for row in rows] == [(1, "Baromètre 2022 ✓")]
    finally:
        engine.dispose()
