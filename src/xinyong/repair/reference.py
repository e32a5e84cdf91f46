"""The repair rule data shipped with the platform (``repair/data/repair_rules.json``), joined
with the catalogue's publicity rule sets (minimum periods). Data, not code: the national
measures change (Order 58 → Order 36 on 2026-04-01; DESIGN §3a)."""

from __future__ import annotations

from typing import Any

from xinyong.catalogue.reference import publicity_rules
from xinyong.core.shipped import shipped_json
from xinyong.repair.rules import RuleSet, rule_sets

DATA_PACKAGE = "xinyong.repair.data"
RULES_FILE = "repair_rules.json"


def procedure() -> dict[str, Any]:
    return shipped_json(DATA_PACKAGE, RULES_FILE)


def repair_rule_sets() -> list[RuleSet]:
    return rule_sets(publicity_rules(), procedure())


def standard_commitment() -> str:
    data = procedure()
    return f"{data['standard_commitment_zh']}\n{data['standard_commitment_en']}"
