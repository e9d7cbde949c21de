"""Fixtures shared by every tier."""

from __future__ import annotations

import pytest

from app.core.assessment import Assessor, ReferenceData
from app.core.placement import PlacementModel
from app.reference.loader import default_reference


@pytest.fixture(scope="session")
def reference() -> ReferenceData:
    return default_reference()


@pytest.fixture(scope="session")
def assessor(reference: ReferenceData) -> Assessor:
    return Assessor(reference)


@pytest.fixture(scope="session")
def model(assessor: Assessor) -> PlacementModel:
    return assessor.model
