"""schemathesis against the app's own /openapi.json: every operation, positive and negative
cases, at least 100 generated examples each (where the inputs allow that many), fixed seed.
Any 5xx, undocumented status, response outside its schema, schema-valid input refused or
schema-invalid input accepted fails the test."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.generation.case import Case

from app.settings import Settings
from app.web.main import create_app

pytestmark = pytest.mark.integration

EXAMPLES = 100
CALLS: Counter[str] = Counter()

# Loaded at import: schemathesis parametrizes at collection time (its fixture-based loader
# does not work with pytest 9).
_FOLDER = tempfile.mkdtemp(prefix="schemathesis-")
atexit.register(shutil.rmtree, _FOLDER, ignore_errors=True)
schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    create_app(
        Settings(database_url=f"sqlite:///{_FOLDER}/app.db", anonymous_api_rate_per_minute=10**9)
    ),
)


@pytest.fixture(scope="module", autouse=True)
def enough_examples() -> Iterator[None]:
    """Guards the guard: an operation that takes a body really got its examples."""
    yield
    for label, calls in CALLS.items():
        if label.startswith("POST "):
            assert calls >= EXAMPLES, CALLS


@schema.parametrize()
@seed(2022)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Case) -> None:
    case.call_and_validate()
    CALLS[case.operation.label] += 1
