"""Frozen dataclasses tuned for the API's busiest path.

``record``: a frozen dataclass refuses ``setattr``, so the ``__init__`` that ``dataclasses``
writes for it sets each field through ``object.__setattr__``, several times slower than
storing into the instance's ``__dict__`` (docs/BENCHMARKS.md gives the figures). A record is
the same class (fields, defaults, equality, hash, repr, immutability), with an ``__init__`` of
the same signature that stores the fields directly; it is meant for the few objects built on
every assessment.

``FieldsAreState``: for the immutable parts that results share (a comparison row, a factor's
pull, a chosen recommendation), whose instances may carry what other layers derive from them
once (the API keeps each part's JSON on it, as ``functools.cached_property`` keeps its values):
copies and pickles hold the fields only.
"""

from __future__ import annotations

import sys
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_SELF, _STORE = "__record_self__", "__record_store__"
"""The generated ``__init__``'s own names: no field can be called that (dataclasses does the
same with ``__dataclass_self__``)."""


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` with a faster ``__init__`` (see the module). Fields with a
    plain default are supported; a default factory, ``init=False``, keyword-only fields,
    ``InitVar`` and ``ClassVar`` pseudo-fields and ``__post_init__`` are not (a TypeError
    says so)."""
    made = dataclass(frozen=True)(cls)
    if hasattr(made, "__post_init__"):
        raise TypeError(f"{made.__qualname__}: a record has no __post_init__")
    specs = fields(made)  # type: ignore[arg-type]  # made is a dataclass
    if len(specs) != len(made.__dataclass_fields__):  # type: ignore[attr-defined]
        raise TypeError(f"{made.__qualname__}: InitVar and ClassVar are not supported by record")
    defaults: dict[str, Any] = {}
    parameters, stores = [_SELF], [f"    {_STORE} = {_SELF}.__dict__"]
    for spec in specs:
        name = spec.name
        if not spec.init or spec.kw_only or spec.default_factory is not MISSING:
            raise TypeError(f"{made.__qualname__}.{name}: not supported by record")
        if name in (_SELF, _STORE):
            raise TypeError(f"{made.__qualname__}.{name}: a name record keeps for itself")
        if spec.default is MISSING:
            parameters.append(name)
        else:
            defaults[f"__default_{name}"] = spec.default
            parameters.append(f"{name}=__default_{name}")
        stores.append(f"    {_STORE}[{name!r}] = {name}")
    source = "\n".join([f"def __init__({', '.join(parameters)}):", *stores])
    # in the class's module, as dataclasses does: its annotations resolve there
    module_globals = sys.modules[made.__module__].__dict__
    exec(source, module_globals, defaults)  # noqa: S102 - our own code, from the field names
    init = defaults["__init__"]
    init.__qualname__ = f"{made.__qualname__}.__init__"
    init.__annotations__ = made.__init__.__annotations__
    made.__init__ = init  # type: ignore[method-assign]
    return made


class FieldsAreState:
    """Copies and pickles of a dataclass keep its fields and nothing else its instances carry
    (see the module)."""

    def __getstate__(self) -> dict[str, object]:
        return {spec.name: getattr(self, spec.name) for spec in fields(self)}  # type: ignore[arg-type]
