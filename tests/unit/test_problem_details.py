"""The pieces of the API's problem details that need no app: JSON pointers (RFC 6901) and the
language a call is answered in."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.api.problems import api_language, json_pointer, pointer_of
from app.core.answers import InvalidAnswers, validate_partial_answers
from tests.personas import PERSONAS

pytestmark = pytest.mark.unit


def _resolve(document: object, pointer: str) -> object:
    """RFC 6901 evaluation, written from the RFC rather than from ``json_pointer``."""
    for token in pointer.split("/")[1:]:
        token = token.replace("~1", "/").replace("~0", "~")
        document = document[int(token)] if isinstance(document, list) else document[token]  # type: ignore[index]
    return document


@given(key=st.text(min_size=1), position=st.integers(min_value=0, max_value=3))
def test_a_pointer_finds_the_value_it_names(key: str, position: int) -> None:
    document = {key: ["a", "b", "c", "d"]}
    assert _resolve(document, json_pointer(key)) == ["a", "b", "c", "d"]
    assert _resolve(document, json_pointer(key, position)) == "abcd"[position]


def test_an_error_in_a_list_points_at_its_item() -> None:
    answers = {**PERSONAS["classiques"][0].answers, "agent_kpis": ["aht", 3, "bogus"]}
    with pytest.raises(InvalidAnswers) as invalid:
        validate_partial_answers(answers)
    (error,) = invalid.value.errors
    assert (error.code, pointer_of(error)) == ("wrong_type", "/agent_kpis/1")


@pytest.mark.parametrize(
    ("query", "header", "default", "expected"),
    [
        (b"lang=en", "fr", "fr", "en"),
        (b"lang=fr-CA", "en", "en", "fr"),
        (b"lang=EN_gb", None, "fr", "en"),
        (b"lang=frog", "en", "fr", "en"),  # not a tag of ours: the header decides
        (b"lang=english", None, "fr", "fr"),
        (b"lang=de", "de, en;q=0.5", "fr", "en"),
        (b"", None, "en", "en"),  # the service's default
        (b"", "es", "fr", "fr"),
        (b"", "zz, A", "en", "en"),  # well-formed tags Babel does not know: no error
    ],
)
def test_the_language_comes_from_lang_then_the_header_then_the_default(
    query: bytes, header: str | None, default: str, expected: str
) -> None:
    assert api_language(query, header, default) == expected  # type: ignore[arg-type]
