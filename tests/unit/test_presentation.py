from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.presentation import whole_percentages

pytestmark = pytest.mark.unit


@given(
    st.lists(st.floats(min_value=0, max_value=1), min_size=3, max_size=3).filter(
        lambda xs: sum(xs) > 0
    )
)
def test_whole_percentages_add_up_to_100_and_stay_within_one_point(shares: list[float]) -> None:
    total = sum(shares)
    normalised = [s / total for s in shares]
    rounded = whole_percentages(normalised)
    assert sum(rounded) == 100
    for share, whole in zip(normalised, rounded, strict=True):
        assert abs(100 * share - whole) < 1


def test_whole_percentages_example() -> None:
    assert whole_percentages([0.004, 0.902, 0.094]) == [0, 90, 10]
