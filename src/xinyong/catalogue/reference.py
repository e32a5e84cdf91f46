"""Read-only reference data shipped with the catalogue (``catalogue/data/*.json``).

Publicity windows are policy that changes (NDRC Order 58 gave way to Order 36 on 2026-04-01),
so they are data with effective dates, never constants in code (DESIGN §3a).
"""

from __future__ import annotations

from typing import Any

from xinyong.core.shipped import shipped_json

DATA_PACKAGE = "xinyong.catalogue.data"
NATIONAL_FILE = "national_catalogue.json"
GUIZHOU_FILE = "guizhou_supplement.json"
PUBLICITY_RULES_FILE = "publicity_rules.json"


def read_data_file(name: str) -> dict[str, Any]:
    return shipped_json(DATA_PACKAGE, name)


def categories() -> dict[str, dict[str, str]]:
    """The 13 categories of the national basic catalogue, by stable code."""
    return {c["code"]: c for c in read_data_file(NATIONAL_FILE)["categories"]}


def publicity_rules() -> dict[str, Any]:
    """Rule sets (by class, with effective dates) and per-item disclosure rules."""
    return read_data_file(PUBLICITY_RULES_FILE)


def disclosure_rule_codes() -> frozenset[str]:
    return frozenset(r["code"] for r in publicity_rules()["disclosure_rules"])
