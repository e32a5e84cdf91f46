"""The domains (sectors) a department belongs to, shipped as data (``data/sectors.json``).

A special credit report (专项信用报告; NDRC and others, 2025) lists, per domain, the negative
records delivered by that domain's departments: each organisation carries the ``sector`` code
of its domain, so every record it delivers belongs to one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from xinyong.core.shipped import shipped_json


@dataclass(frozen=True, slots=True)
class Sector:
    code: str
    name_zh: str
    name_en: str

    def name(self, lang: str = "zh") -> str:
        return self.name_en if lang == "en" else self.name_zh


@cache
def sectors() -> tuple[Sector, ...]:
    """Every domain, in the shipped order."""
    rows = shipped_json("xinyong.accounts", "data/sectors.json")["sectors"]
    return tuple(Sector(r["code"], r["name_zh"], r["name_en"]) for r in rows)


def sector_codes() -> tuple[str, ...]:
    return tuple(s.code for s in sectors())


def sector(code: str) -> Sector | None:
    return next((s for s in sectors() if s.code == code), None)
