"""Prints the branch coverage that SlipCover measured in `make test`, and fails below the floor.

scripts/coverage_report.py <SlipCover's JSON report> <floor, per cent>

SlipCover's own --fail-under is not used: with pytest-xdist it removes the test processes' results while checking
the floor, and then writes a report of the controlling process alone (slipcover 1.1.0).
"""

import json
import sys
from pathlib import Path

import slipcover


def main(report: Path, floor: float) -> int:
    coverage = json.loads(report.read_text())
    slipcover.print_coverage(coverage, skip_covered=True, missing_width=60)
    summary = coverage["summary"]
    measured = summary["percent_covered"]
    print(
        f"Branch coverage {measured:.2f}% of {summary['covered_lines'] + summary['missing_lines']:,} lines and "
        f"{summary['covered_branches'] + summary['missing_branches']:,} branches; the floor is {floor:g}%."
    )
    if measured < floor:
        print(f"FAIL: coverage {measured:.2f}% is below the floor of {floor:g}%.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), float(sys.argv[2])))
