"""Imports every context's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from __future__ import annotations

import importlib

CONTEXTS = (
    "accounts",
    "audit",
    "calendar",
    "subjects",
    "catalogue",
    "records",
    "marks",
    "feed",
    "disclosure",
    "reports",
    "inquiry",
    "violations",
    "documents",
    "objections",
    "repair",
    "lists",
    "measures",
    "institutions",
    "ops",
    "watches",
)


def load_all_models() -> None:
    for name in CONTEXTS:
        importlib.import_module(f"xinyong.{name}.models")
