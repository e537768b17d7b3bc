"""Known vulnerabilities in the pinned dependencies: pip-audit over the Python locks, npm audit over package-lock.json.

Both audits ask an advisory service on the internet. Where a service cannot be reached, that audit has
not happened and this says so in capitals; it then fails the build only when DEPENDENCY_AUDIT=required,
because a closed network must not block every other check (docs/adr/0008).

Exit status: 0 audited and clean (or unreachable and not required), 1 a known vulnerability, 2 unreachable
and required.
"""

import argparse
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NPM_ADVISORIES = "https://registry.npmjs.org/-/npm/v1/security/advisories/bulk"
PROBE_TIMEOUT_SECONDS = 10


def first_pin(lock: Path) -> tuple[str, str]:
    """The first `name==version` line of a lock, whose advisory record proves the service answers."""
    for line in lock.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==([^\s;]+)", line)
        if match:
            return match.group(1), match.group(2)
    raise SystemExit(f"{lock} pins no package")


def answers(request: urllib.request.Request) -> bool:
    try:
        with urllib.request.urlopen(request, timeout=PROBE_TIMEOUT_SECONDS) as response:  # noqa: S310 (fixed https URLs)
            return response.status == 200
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


def pypi_advisories_reachable(lock: Path) -> bool:
    # pip-audit reads each pinned version's record, so probe exactly that kind of address.
    name, version = first_pin(lock)
    return answers(urllib.request.Request(f"https://pypi.org/pypi/{name}/{version}/json"))


def npm_advisories_reachable() -> bool:
    request = urllib.request.Request(
        NPM_ADVISORIES, data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
    )
    return answers(request)


def pip_audit(locks: list[Path]) -> int:
    command = [
        sys.executable,
        "-m",
        "pip_audit",
        "--strict",
        "--no-deps",
        "--disable-pip",
        "--progress-spinner=off",
    ]
    for lock in locks:
        command += ["--requirement", str(lock)]
    return subprocess.call(command, cwd=ROOT)  # noqa: S603 (our own arguments)


def npm_audit() -> int:
    return subprocess.call(["npm", "audit", "--audit-level=high"], cwd=ROOT)  # noqa: S607 (npm from PATH)


def main() -> int:
    parser = argparse.ArgumentParser(description="Audit the pinned dependencies for known vulnerabilities.")
    parser.add_argument("locks", nargs="*", type=Path, default=[ROOT / "requirements-dev.lock"])
    locks = parser.parse_args().locks
    required = os.environ.get("DEPENDENCY_AUDIT", "when-reachable") == "required"

    audits = [
        (
            "Python packages (pip-audit, PyPI advisories)",
            pypi_advisories_reachable(locks[0]),
            lambda: pip_audit(locks),
        ),
        ("npm packages (npm audit, high and critical)", npm_advisories_reachable(), npm_audit),
    ]
    vulnerable = unaudited = False
    for name, reachable, run in audits:
        if not reachable:
            print(
                f"DEPENDENCY AUDIT NOT RUN: {name}: the advisory service cannot be reached from this machine."
            )
            unaudited = True
        else:
            print(f"Auditing {name}")
            vulnerable |= run() != 0
    if vulnerable:
        return 1
    return 2 if unaudited and required else 0


if __name__ == "__main__":
    sys.exit(main())
