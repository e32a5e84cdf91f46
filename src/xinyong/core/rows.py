"""Read models made from stored rows.

A read model (a pydantic ``XxxRead`` or a dataclass row of a listing) mostly repeats the
columns of the row it shows, under the same names. ``from_row`` copies those and takes the
rest — renamed, computed or nested fields — from the caller, so a converter names only what
differs from the row.
"""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from pydantic import BaseModel

T = TypeVar("T")


def from_row(cls: type[T], row: object, /, **given: Any) -> T:
    """A ``cls`` whose every required field not in ``given`` is ``row``'s attribute of that name.

    ``cls`` is a pydantic model or a dataclass. A field with a default keeps it unless given; a
    name in ``given`` that is not a field of ``cls`` is an error, as is a required field neither
    given nor held by the row.
    """
    required, optional = _fields(cls)
    unknown = given.keys() - required - optional
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    copied = {name: getattr(row, name) for name in required if name not in given}
    return cls(**copied, **given)


def _fields(cls: type) -> tuple[set[str], set[str]]:
    """The names of ``cls``'s required fields, and of those with a default."""
    if issubclass(cls, BaseModel):
        fields = {name: f.is_required() for name, f in cls.model_fields.items()}
    elif dataclasses.is_dataclass(cls):
        missing = dataclasses.MISSING
        fields = {
            f.name: f.default is missing and f.default_factory is missing
            for f in dataclasses.fields(cls)
            if f.init
        }
    else:
        raise TypeError(f"{cls.__name__} is neither a pydantic model nor a dataclass")
    return {n for n, req in fields.items() if req}, {n for n, req in fields.items() if not req}
