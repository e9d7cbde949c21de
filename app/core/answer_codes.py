"""Answers coded as small integers, to index tables of remembered outcomes.

Parts of a result that depend on a few answers (a recommendation's outcome, a block's
improvement options) are worked out once per combination of those answers and kept. Keyed by
tuples of the answers, each look-up hashed the tuple (a multiple choice's again every time)
and read three scattered objects (the dict's slot, its entry, the stored key); keyed by the
position of the combination in a list, it reads one slot. ``codes`` numbers every value an
input can take after validation; ``key_function`` writes the function that turns an answer
set into the positions of its combinations, for many tables at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import cast

from app.core.questionnaire import QUESTIONNAIRE
from app.core.vocabulary import DONT_KNOW

KeyFunction = Callable[..., tuple[int, ...]]
"""``keys(get, *others)``: ``get`` reads an answer by question id (None: unanswered);
``others`` are the inputs that are not answers, in the order they were named."""


@cache
def codes(question_id: str) -> dict[object, int]:
    """Every value an answer to this question can take after validation, numbered from 0
    (0: unanswered). A question that does not exist is always unanswered."""
    values: list[object] = [None]
    if question_id not in QUESTIONNAIRE:
        return numbered(values)
    question = QUESTIONNAIRE[question_id]
    if question.kind == "boolean":
        values += [True, False]
    elif question.kind == "single":
        values += question.option_ids()
    elif question.kind == "multiple":  # validation keeps the options in the questionnaire's order
        ids = question.option_ids()
        values += [
            tuple(option for bit, option in enumerate(ids) if mask >> bit & 1)
            for mask in range(1 << len(ids))
        ]
    else:
        values += range(question.minimum or 0, (question.maximum or 0) + 1)
        if question.allow_unknown:
            values.append(DONT_KNOW)
    return numbered(values)


def numbered(values: Sequence[object]) -> dict[object, int]:
    """``{value: position}``, one table for all inputs with the same values (the delays, the
    booleans...): fewer tables for the processor's caches to hold."""
    table = {value: i for i, value in enumerate(values)}
    if len(table) != len(values):  # True and 1, 1 and 1.0: one key, and keys would collide
        raise ValueError(f"values that compare equal cannot be numbered apart: {values!r}")
    same = tuple((type(value), value) for value in values)  # and such tables are not shared
    return _SHARED.setdefault(same, table)


_SHARED: dict[tuple[object, ...], dict[object, int]] = {}


def domain(inputs: Iterable[str], others: Mapping[str, dict[object, int]]) -> int:
    """How many combinations of values these inputs can take (unanswered included)."""
    size = 1
    for name in inputs:
        size *= len(others[name] if name in others else codes(name))
    return size


def key_function(
    groups: Sequence[Sequence[str]],
    offsets: Sequence[int],
    others: Mapping[str, dict[object, int]],
) -> KeyFunction:
    """One function that codes the answers the groups read and returns each group's key,
    ``offset + (c1 * n2 + c2) * n3 + c3...``: the position of that combination in the table
    where the group's keys start at ``offset``. ``others`` codes the inputs that are not
    answers (the function takes their values after ``get``, in this mapping's order). It
    raises KeyError for a value that has no code.

    Generated once, as ``namedtuple`` and ``dataclasses`` generate their methods: written
    out, each key is a few arithmetic steps, with no Python call per group or per answer."""
    names = sorted({name for reads in groups for name in reads})
    table = {name: others[name] if name in others else codes(name) for name in names}
    variable = {name: f"v{i}" for i, name in enumerate(names)}
    argument = {name: f"other{i}" for i, name in enumerate(others)}
    namespace: dict[str, object] = {f"C{i}": table[name] for i, name in enumerate(names)}
    lines = [f"def keys({', '.join(['get', *argument.values()])}):"]
    for i, name in enumerate(names):
        read = argument.get(name, f"get({name!r})")
        lines.append(f"    {variable[name]} = C{i}[{read}]")
    keys = []
    for reads, offset in zip(groups, offsets, strict=True):
        key = variable[reads[0]] if reads else "0"
        for name in reads[1:]:
            key = f"({key}) * {len(table[name])} + {variable[name]}"
        keys.append(f"{offset} + {key}")
    lines.append(f"    return ({', '.join(keys)},)")
    exec("\n".join(lines), namespace)  # noqa: S102 - our own code, made from the inputs' names
    return cast(KeyFunction, namespace["keys"])
