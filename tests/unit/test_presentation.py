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


def test_a_channel_opened_is_named_once_with_its_response_time() -> None:
    from app.core.next_level import Change
    from app.services.presentation import change_sentences

    changes = [
        Change("social_open", False, True),
        Change("social_delay", None, "lt_1h"),
        Change("phone_delay", "gt_5min", "lt_2min"),
    ]
    fr = change_sentences(changes, "fr")
    assert len(fr) == 2
    assert fr[0].count("réseaux sociaux") == 1
    assert fr[0].startswith("Ouvrir le canal")
    assert "délai de réponse « moins d'une heure »" in fr[0]
    assert fr[1].startswith("Téléphone : délai de réponse")
    (en,) = change_sentences(changes[:2], "en")
    assert en.count("Social") == 1
    assert en.endswith("response time “under an hour”")
