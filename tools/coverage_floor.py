"""The coverage floor of issue 13 item 6 (``make test COVERAGE=1``): at least ``FLOOR`` % of the
statements and branches under ``src/xinyong``, and every ``rules.py`` and ``*_rules.py`` — the
law's pure rules — at 100 % of its branches. Reads the JSON report ``make test`` writes
(``coverage json``); exits 1 naming what is below its floor, 0 otherwise.

    python tools/coverage_floor.py var/coverage.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: Percent of src/xinyong (statements and branches together, as coverage.py counts).
FLOOR = 90.0


def problems(report: dict[str, object]) -> list[str]:
    found: list[str] = []
    totals = report["totals"]
    assert isinstance(totals, dict)
    total = float(totals["percent_covered"])
    if total < FLOOR:
        found.append(f"src/xinyong: {total:.1f} % covered, the floor is {FLOOR:.0f} %")
    files = report["files"]
    assert isinstance(files, dict)
    for name, data in sorted(files.items()):
        if not Path(name).name.endswith("rules.py"):  # rules.py, special_rules.py, …
            continue
        summary = data["summary"]
        branches, covered = summary["num_branches"], summary["covered_branches"]
        missing = summary["missing_lines"]
        if covered < branches or missing:
            found.append(
                f"{name}: {covered} of {branches} branches, {missing} line(s) never run "
                "(every rules.py is held at 100 %)"
            )
    return found


def main(argv: list[str]) -> int:
    path = Path(argv[1] if len(argv) > 1 else "var/coverage.json")
    if not path.exists():
        print(f"coverage floor: no report at {path} (run `make test` first)", file=sys.stderr)
        return 1
    report = json.loads(path.read_text(encoding="utf-8"))
    found = problems(report)
    totals = report["totals"]
    total = float(totals["percent_covered"])
    print(f"coverage: {total:.1f} % of src/xinyong (floor {FLOOR:.0f} %)")
    for line in found:
        print(f"coverage floor: {line}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
