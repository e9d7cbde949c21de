"""``record``: a frozen dataclass for the few objects built on every assessment.

A frozen dataclass refuses ``setattr``, so the ``__init__`` that ``dataclasses`` writes for it
sets each field through ``object.__setattr__``: about 0.1 µs a field on Python 3.11, some 5 µs
for the results, placements and paths of one API request (2% of it). A record is the same
class (fields, defaults, equality, hash, repr, immutability), with an ``__init__`` of the same
signature that writes the fields into the new instance's ``__dict__`` directly.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
from typing import TypeVar, dataclass_transform

T = TypeVar("T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """``@dataclass(frozen=True)`` with a faster ``__init__`` (see the module). Fields with a
    plain default are supported; a default factory, ``init=False``, keyword-only fields and
    ``__post_init__`` are not (a TypeError says so)."""
    made = dataclass(frozen=True)(cls)
    if hasattr(made, "__post_init__"):
        raise TypeError(f"{made.__qualname__}: a record has no __post_init__")
    namespace: dict[str, object] = {}
    parameters, stores = [], []
    for spec in fields(made):  # type: ignore[arg-type]  # made is a dataclass
        if not spec.init or spec.kw_only or spec.default_factory is not MISSING:
            raise TypeError(f"{made.__qualname__}.{spec.name}: not supported by record")
        name = spec.name
        if spec.default is MISSING:
            parameters.append(name)
        else:
            namespace[f"_default_{name}"] = spec.default
            parameters.append(f"{name}=_default_{name}")
        stores.append(f"    values[{name!r}] = {name}")
    # written out as dataclasses writes its own methods; only the class's own field names
    # go into it
    source = "\n".join(
        [f"def __init__(self, {', '.join(parameters)}):", "    values = self.__dict__", *stores]
    )
    exec(source, namespace)  # noqa: S102
    init = namespace["__init__"]
    init.__qualname__ = f"{made.__qualname__}.__init__"  # type: ignore[attr-defined]
    init.__annotations__ = made.__init__.__annotations__
    made.__init__ = init  # type: ignore[method-assign,assignment]
    return made
