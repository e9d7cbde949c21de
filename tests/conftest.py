"""Fixtures shared by every tier."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.assessment import Assessor, ReferenceData
from app.core.placement import PlacementModel
from app.reference.loader import default_reference
from tests.dbserver import PostgresServer, ensure_postgres_binaries


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    return default_reference()


@pytest.fixture(scope="session")
def assessor(reference: ReferenceData) -> Assessor:
    return Assessor(reference)


@pytest.fixture(scope="session")
def model(assessor: Assessor) -> PlacementModel:
    return assessor.model


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server started for this test run (installed first if root on Debian).

    Missing PostgreSQL is a failure in CI (CI=true) and a skip elsewhere.
    """
    bindir = ensure_postgres_binaries()
    if bindir is None:
        reason = "PostgreSQL binaries not found and cannot be installed (needs root on Debian)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI=true requires the PostgreSQL tests to run")
        pytest.skip(reason)
    with PostgresServer(bindir) as server:
        yield server


@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database on each backend. PostgreSQL is only started when requested."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/app.db"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    name = f"test_{secrets.token_hex(6)}"
    server.create_database(name)
    return server.url(name)
