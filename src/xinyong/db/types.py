"""Column types shared by every context, and the annotations that declare them.

A model declares a column by its annotation: ``Mapped[datetime]`` is an aware UTC instant,
``Mapped[str]`` unbounded text, ``Mapped[Str64]`` a ``VARCHAR(64)``, ``Mapped[SomeStrEnum]`` the
enum's values in a plain string column, ``Mapped[X | None]`` the same column nullable.
:data:`TYPE_MAP` is what turns these annotations into column types; both declarative bases use
it. Keys and recurring column settings are :data:`typing.Annotated` aliases (``IntPk``,
``BigPk``, ``Count``), so that a table lists what is particular to it and nothing else.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any, get_args

from sqlalchemy import JSON, BigInteger, DateTime, Enum, Integer, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from xinyong.core.clock import PLATFORM_ZONE


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; naive values are refused, reads come back aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        # Stored as UTC; read back in the platform zone so that every time the API and the
        # pages show carries the Asia/Shanghai offset (API.md).
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC).astimezone(PLATFORM_ZONE)
        return value.astimezone(PLATFORM_ZONE)


def str_enum(cls: type[enum.Enum], length: int = 32) -> Enum:
    """A StrEnum stored by its value in a plain string column (no database enum type, so a
    new state needs no migration of a native type)."""
    return Enum(
        cls,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


#: 64-bit keys in PostgreSQL (tables that grow by the million); SQLite's rowid is already 64-bit.
BigId = BigInteger().with_variant(Integer, "sqlite")

#: Integer primary key (auto-incremented).
IntPk = Annotated[int, mapped_column(primary_key=True)]
#: 64-bit primary key (auto-incremented).
BigPk = Annotated[int, mapped_column(BigId, primary_key=True)]
#: A 64-bit key of another row (a record, a case), without a foreign key.
BigRef = Annotated[int, "big"]
#: A count that starts at nought.
Count = Annotated[int, mapped_column(default=0)]
#: An indexed integer: mostly the id of another context's row (a subject, an organisation, an
#: account), which a table keeps without a foreign key and looks rows up by.
IndexedInt = Annotated[int, mapped_column(index=True)]
#: A code or digest that names one row (``VARCHAR(64)``, unique).
UniqueStr64 = Annotated[str, mapped_column(String(64), unique=True)]

#: Strings of a bounded length, ``VARCHAR(n)`` (a bare ``str`` is unbounded ``TEXT``).
Str2 = Annotated[str, 2]
Str6 = Annotated[str, 6]
Str16 = Annotated[str, 16]
Str18 = Annotated[str, 18]
Str32 = Annotated[str, 32]
Str64 = Annotated[str, 64]
Str200 = Annotated[str, 200]
Str300 = Annotated[str, 300]
Str500 = Annotated[str, 500]

_STRINGS = (Str2, Str6, Str16, Str18, Str32, Str64, Str200, Str300, Str500)

#: Python annotations → column types, for ``type_annotation_map`` of a declarative base.
TYPE_MAP: dict[Any, TypeEngine[Any]] = {
    datetime: UTCDateTime(),
    str: Text(),
    # Before ``str`` in a StrEnum's MRO: the enum's values, with the length given here.
    StrEnum: str_enum(enum.Enum),
    BigRef: BigId,
    **{alias: String(get_args(alias)[1]) for alias in _STRINGS},
    # JSON documents, by the shapes the models hold.
    list[str]: JSON(),
    list[int]: JSON(),
    list[list[Any]]: JSON(),
    list[dict[str, Any]]: JSON(),
    dict[str, Any]: JSON(),
    dict[str, float]: JSON(),
}
