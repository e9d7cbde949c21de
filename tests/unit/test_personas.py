"""Companies written from the report's description of each cluster are placed in it."""

from __future__ import annotations

import pytest

from app.core.answers import validate_answers
from app.core.assessment import Assessor
from tests.personas import PERSONAS, Persona

pytestmark = pytest.mark.unit

CASES = [(cluster, p) for cluster, personas in PERSONAS.items() for p in personas]


def test_at_least_three_personas_per_cluster() -> None:
    assert {c: len(p) >= 3 for c, p in PERSONAS.items()} == {
        "basiques": True,
        "classiques": True,
        "polyvalents": True,
    }


@pytest.mark.parametrize(("cluster", "persona"), CASES, ids=[p.name for _, p in CASES])
def test_persona_is_placed_in_its_cluster(
    cluster: str, persona: Persona, assessor: Assessor
) -> None:
    placement = assessor.model.place(validate_answers(persona.answers))
    assert placement.cluster == cluster, placement.probabilities
