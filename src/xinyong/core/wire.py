"""What the wire shapes of every context (its ``schemas.py``) share.

- A request body is *closed*: a field it does not declare is refused (422), never ignored, so
  that a misspelt field cannot pass for an omitted one. Most bodies are also *stripped*: the
  white space around a text is not part of it (``"  x "`` is ``"x"``; ``"  "`` is empty).
- A read model made from a stored row takes the row's attributes (``from_attributes``).
- A list of names (subject types, organ kinds, …) holds known names only: :func:`known_names`.
- The texts a body takes are bounded (:mod:`xinyong.core.bounds`): ``Text64`` is a text of one
  to 64 characters, and so on — the lengths the columns and the regulation's documents allow.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class Closed(BaseModel):
    """A request body (or query) that refuses a field it does not declare."""

    model_config = ConfigDict(extra="forbid")


class Input(Closed):
    """A closed request body whose texts are stripped of surrounding white space."""

    model_config = ConfigDict(str_strip_whitespace=True)


class RowRead(BaseModel):
    """A read model made from a row's attributes (``XxxRead.model_validate(row)``)."""

    model_config = ConfigDict(from_attributes=True)


#: Texts of one to ``n`` characters (after stripping, in an :class:`Input`).
Text64 = Annotated[str, Field(min_length=1, max_length=64)]
Text200 = Annotated[str, Field(min_length=1, max_length=200)]
Text300 = Annotated[str, Field(min_length=1, max_length=300)]
Text2000 = Annotated[str, Field(min_length=1, max_length=2000)]
Text4000 = Annotated[str, Field(min_length=1, max_length=4000)]
Text8000 = Annotated[str, Field(min_length=1, max_length=8000)]


def known_names(known: Collection[str], what: str, expected: str) -> AfterValidator:
    """Validates a list of names against ``known``: a name it does not know is refused with
    ``unknown <what> [the unknown names, sorted]; <expected>``.

    ``subject_types: Annotated[list[str], known_names(SUBJECT_TYPES, "subject types", …)]``
    """

    def check(value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(known))
        if unknown:
            raise ValueError(f"unknown {what} {unknown}; {expected}")
        return value

    return AfterValidator(check)
