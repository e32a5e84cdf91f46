"""Column types the case tables share (imports nothing but SQLAlchemy: models use it)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import BigInteger, Enum, Integer

#: A case table's id: 64-bit, SQLite's rowid integer there.
BigId = BigInteger().with_variant(Integer, "sqlite")


def status_column(cls: type[StrEnum]) -> Enum:
    """A case's status-like column: the enum's values as plain strings (no native enum)."""
    return Enum(
        cls,
        native_enum=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
