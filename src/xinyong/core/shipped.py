"""Reference data shipped inside the package (``<context>/data/*.json``): read once, never written.

Policy that changes — catalogues, publicity windows, measure lists, thresholds — is data with
effective dates, never constants in code (DESIGN §3a); each context names its files.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def shipped_json(package: str, name: str) -> dict[str, Any]:
    """The JSON object in the file ``name`` of the data package ``package`` (cached: callers
    read it, never change it)."""
    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    data = json.loads(text)
    assert isinstance(data, dict)
    return data
