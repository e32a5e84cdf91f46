"""Declarative base with a constraint naming convention (stable Alembic diffs), table names
derived from class names, and the shared annotation → column type map (``xinyong.db.types``)."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase, declared_attr

from xinyong.db.types import TYPE_MAP

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Conventions:
    """What every declarative base of the platform shares: a model's table is named after its
    class in snake case (``ListProcedureStep`` → ``list_procedure_step``) unless the model sets
    ``__tablename__``, and its annotations map to column types by :data:`TYPE_MAP`."""

    type_annotation_map = TYPE_MAP

    @declared_attr.directive
    def __tablename__(cls: type[Any]) -> str:
        return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


class Base(Conventions, DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
