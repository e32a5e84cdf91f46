"""The repair rule data shipped with the platform (``repair/data/repair_rules.json``), joined
with the catalogue's publicity rule sets (minimum periods). Data, not code: the national
measures change (Order 58 → Order 36 on 2026-04-01; DESIGN §3a)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from xinyong.catalogue.reference import publicity_rules
from xinyong.repair.rules import RuleSet, rule_sets

DATA_PACKAGE = "xinyong.repair.data"
RULES_FILE = "repair_rules.json"


@cache
def procedure() -> dict[str, Any]:
    text = resources.files(DATA_PACKAGE).joinpath(RULES_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data


def repair_rule_sets() -> list[RuleSet]:
    return rule_sets(publicity_rules(), procedure())


def standard_commitment() -> str:
    data = procedure()
    return f"{data['standard_commitment_zh']}\n{data['standard_commitment_en']}"
