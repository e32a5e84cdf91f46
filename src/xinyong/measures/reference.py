"""Read-only reference data shipped with the measures context (``measures/data/*.json``).

The measure lists and the grading rule set are policy the credit office changes; they are data
with effective dates, never constants in code (DESIGN §3a).
"""

from __future__ import annotations

from typing import Any

from xinyong.core.shipped import shipped_json

DATA_PACKAGE = "xinyong.measures.data"
NATIONAL_FILE = "national_measures.json"
GUIZHOU_FILE = "guizhou_measures.json"
GRADING_FILE = "grading_rules.json"
PROCEDURE_FILE = "procedure.json"
SHIPPED_FILES = (NATIONAL_FILE, GUIZHOU_FILE)


def read_data_file(name: str) -> dict[str, Any]:
    return shipped_json(DATA_PACKAGE, name)


def grading_rules() -> dict[str, Any]:
    """The documented grade rule set with its sampling ratios and their bounds (MEA-5)."""
    return read_data_file(GRADING_FILE)


def defence_working_days() -> int:
    """Working days the subject has to state and defend before a disciplinary measure is
    decided (Art. 29 para. 2); the basis of the number is in the data file."""
    return int(read_data_file(PROCEDURE_FILE)["defence_working_days"])
