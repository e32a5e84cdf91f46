"""``from_row``: a read model copies what its row holds under the same names."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from types import SimpleNamespace

import pytest
from pydantic import BaseModel

from xinyong.core.rows import from_row


class Colour(StrEnum):
    RED = "red"


class ThingRead(BaseModel):
    id: int
    colour: str
    label: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class ThingRow:
    id: int
    label: str
    tags: list[str] = field(default_factory=list)


ROW = SimpleNamespace(id=7, colour=Colour.RED, name="seven", note="stored", tags=["a"])


def test_a_model_copies_the_row_and_takes_what_is_given() -> None:
    read = from_row(ThingRead, ROW, label=ROW.name)
    assert read == ThingRead(id=7, colour="red", label="seven")
    assert type(read.colour) is str  # validated as the model says


def test_a_field_with_a_default_is_copied_only_when_given() -> None:
    assert from_row(ThingRead, ROW, label="x").note is None
    assert from_row(ThingRead, ROW, label="x", note=ROW.note).note == "stored"
    assert from_row(ThingRow, ROW, label="x") == ThingRow(id=7, label="x")


def test_a_name_that_is_no_field_or_a_field_the_row_lacks_is_an_error() -> None:
    with pytest.raises(TypeError, match="ThingRead has no field colours"):
        from_row(ThingRead, ROW, label="x", colours="red")
    with pytest.raises(AttributeError, match="label"):
        from_row(ThingRead, ROW)
    with pytest.raises(TypeError, match="neither a pydantic model nor a dataclass"):
        from_row(Colour, ROW)
