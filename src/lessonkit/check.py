"""Check a learner's setup: ``python -m lessonkit.check`` from the lesson's folder.

It prints the Python and package versions next to the versions the lesson pins, and whether
each data file is present and matches its published checksum. The exit code is 0 when
everything matches and 1 otherwise, so instructors can also run it in a script.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from lessonkit.data import CHECKSUMS, LessonDataError, data_path
from lessonkit.environment import environment_report, installed_version

PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


def read_pins(requirements: Path) -> dict[str, str]:
    """Parse ``name==version`` lines of a requirements file (other lines are ignored)."""
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return pins


def find_requirements(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "requirements.txt"
        if candidate.is_file() and (folder / "data").is_dir():
            return candidate
    return None


def run(start: Path | None = None) -> int:
    start = Path.cwd() if start is None else start
    problems = 0
    print("Machine and Python")
    for key, value in environment_report(()).items():
        print(f"  {key:<15} {value}")

    requirements = find_requirements(start)
    print("\nPackages (installed / pinned by the lesson)")
    if requirements is None:
        print("  requirements.txt not found: run this from inside the lesson's folder.")
        problems += 1
        pins = {}
    else:
        pins = read_pins(requirements)
    for name, pinned in sorted(pins.items()):
        have = installed_version(name)
        status = "ok" if have == pinned else ("MISSING" if have is None else "DIFFERENT")
        problems += status != "ok"
        print(f"  {name:<22} {have or '-':<14} {pinned:<14} {status}")

    print("\nData files (SHA-256 checksum)")
    for name in sorted(CHECKSUMS):
        try:
            path = data_path(name, cwd=start)
        except LessonDataError as exc:
            problems += 1
            print(f"  {name:<22} PROBLEM\n    " + str(exc).replace("\n", "\n    "))
        else:
            print(f"  {name:<22} ok ({path})")

    print(
        "\nAll good: you are ready for the lesson."
        if problems == 0
        else f"\n{problems} problem(s) found: see the Setup page of the lesson for fixes."
    )
    return 0 if problems == 0 else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(run())
