"""``record`` makes the same frozen dataclass as ``@dataclass(frozen=True)``, only faster to
build: the same fields, defaults, equality, hash, repr, immutability and signature."""

from __future__ import annotations

import copy
import dataclasses
import inspect
import pickle
import typing

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.records import FieldsAreState, record

pytestmark = pytest.mark.unit


@record
class Fast:
    name: str
    scores: tuple[float, ...]
    note: str | None = None
    hidden: int = dataclasses.field(default=0, repr=False, compare=False)


@dataclasses.dataclass(frozen=True)
class Plain:
    name: str
    scores: tuple[float, ...]
    note: str | None = None
    hidden: int = dataclasses.field(default=0, repr=False, compare=False)


@given(
    name=st.text(max_size=5),
    scores=st.tuples(st.floats(allow_nan=False), st.floats(allow_nan=False)),
    note=st.none() | st.text(max_size=3),
    hidden=st.integers(),
)
def test_a_record_holds_what_the_dataclass_holds(
    name: str, scores: tuple[float, ...], note: str | None, hidden: int
) -> None:
    fast, plain = Fast(name, scores, note, hidden), Plain(name, scores, note, hidden)
    assert dataclasses.asdict(fast) == dataclasses.asdict(plain)
    assert repr(fast).removeprefix("Fast") == repr(plain).removeprefix("Plain")
    assert hash(fast) == hash(Fast(name=name, scores=scores, note=note, hidden=hidden + 1))
    assert fast == Fast(name, scores, note)
    assert fast != Fast(name + "x", scores, note)


def test_defaults_keywords_and_signature_are_the_dataclass_ones() -> None:
    assert Fast("a", ()) == Fast(name="a", scores=(), note=None)
    assert Fast("a", ()).hidden == 0
    fast = inspect.signature(Fast)
    plain = inspect.signature(Plain)
    assert list(fast.parameters) == list(plain.parameters)
    assert [p.default for p in fast.parameters.values()] == [
        p.default for p in plain.parameters.values()
    ]
    with pytest.raises(TypeError):
        Fast("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Fast("a", (), "n", 1, 2)  # type: ignore[call-arg]


def test_a_record_is_frozen() -> None:
    fast = Fast("a", (1.0,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.name = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del fast.note
    assert dataclasses.replace(fast, name="b") == Fast("b", (1.0,))


def test_what_record_cannot_write_is_refused() -> None:
    with pytest.raises(TypeError, match="not supported by record"):

        @record
        class WithFactory:
            items: list[int] = dataclasses.field(default_factory=list)

    with pytest.raises(TypeError, match="__post_init__"):

        @record
        class WithPostInit:
            value: int

            def __post_init__(self) -> None:
                pass


def test_a_record_keeps_its_annotations_and_any_field_name() -> None:
    hints = typing.get_type_hints(Fast.__init__)
    assert hints["note"] == str | None
    assert Fast.__init__.__qualname__ == "Fast.__init__"

    @record
    class Named:
        values: int
        store: str = "s"

    assert Named(3).values == 3
    assert Named(3, "t").store == "t"
    with pytest.raises(TypeError, match="keeps for itself"):

        @record
        class Clashing:
            __record_self__: int


def test_init_var_and_class_var_are_refused() -> None:
    with pytest.raises(TypeError, match="InitVar"):

        @record
        class WithInitVar:
            value: int
            seed: dataclasses.InitVar[int]

    with pytest.raises(TypeError, match="ClassVar"):

        @record
        class WithClassVar:
            value: int
            count: typing.ClassVar[int] = 0


@dataclasses.dataclass(frozen=True)
class Shared(FieldsAreState):
    name: str
    scores: tuple[float, ...]


def test_copies_and_pickles_of_a_shared_part_keep_its_fields_only() -> None:
    part = Shared("a", (1.0, 2.0))
    part.__dict__["_derived"] = lambda: None  # what a layer above may keep on it: no pickle
    copies = (pickle.loads(pickle.dumps(part)), copy.copy(part), copy.deepcopy(part))  # noqa: S301
    for again in copies:
        assert again == part
        assert "_derived" not in again.__dict__
    fast = Fast("a", (1.0,), "n", 5)
    assert pickle.loads(pickle.dumps(fast)) == fast  # noqa: S301 - bytes made just above
