"""Check a learner's setup: ``python -m lessonkit.check`` from the lesson's folder.

It prints the Python and package versions next to the versions the lesson pins (lessonkit's
own dependencies and the ``learners`` group of pyproject.toml), whether the notebook front end that the Setup page
starts (JupyterLab) is installed, and whether each data file is present and matches its
published checksum. The exit code is 0 when everything matches and 1 otherwise, so instructors
can also run it in a script.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

from lessonkit.data import CHECKSUMS, LessonDataError, data_path
from lessonkit.environment import (
    environment_report,
    installed_version,
    lesson_pins,
    python_problem,
)

PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")
#: The dependency group a learner installs (Setup page: requirements.txt is its export).
LEARNER_GROUP = "learners"
#: The front end the Setup page starts (`jupyter lab`), by its package and its command.
FRONT_END = ("jupyterlab", "jupyter-lab")


def group_pins(pyproject: Path, group: str) -> dict[str, str]:
    """The ``name==version`` pins of a dependency group in pyproject.toml, with the groups it
    includes (``{include-group = "..."}``), in order."""
    import tomllib

    groups = tomllib.loads(pyproject.read_text(encoding="utf-8"))[
        "dependency-groups"
    ]
    pins: dict[str, str] = {}
    for entry in groups[group]:
        if isinstance(entry, dict):
            pins.update(group_pins(pyproject, entry["include-group"]))
        else:
            match = PIN.match(entry)
            if match:
                pins[match.group(1).lower()] = match.group(2)
    return pins


def find_project(start: Path) -> Path | None:
    """The lesson's pyproject.toml in ``start`` or a folder above it (next to data/)."""
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and (folder / "data").is_dir():
            return candidate
    return None


def front_end_problem() -> str | None:
    package, command = FRONT_END
    beside = Path(sys.executable).with_name(command)
    if installed_version(package) and (
        beside.exists()
        or beside.with_suffix(".exe").exists()
        or shutil.which(command)
    ):
        return None
    return (
        f"JupyterLab is not installed in this environment ({sys.executable}), so `jupyter lab` "
        "will not start: with the lesson's environment active, run "
        "`python -m pip install -r requirements.txt` in the lesson's folder."
    )


def run(start: Path | None = None) -> int:
    start = Path.cwd() if start is None else start
    problems = 0
    print("Machine and Python")
    for key, value in environment_report(()).items():
        print(f"  {key:<15} {value}")
    if python_problem():
        problems += 1
        print(f"  PROBLEM: {python_problem()}")

    project = find_project(start)
    print("\nPackages (installed / pinned by the lesson)")
    if project is None:
        print(
            "  pyproject.toml not found: run this from inside the lesson's folder."
        )
        problems += 1
        pins = {}
    else:
        pins = {**lesson_pins(), **group_pins(project, LEARNER_GROUP)}
    for name, pinned in sorted(pins.items()):
        have = installed_version(name)
        status = (
            "ok"
            if have == pinned
            else ("MISSING" if have is None else "DIFFERENT")
        )
        problems += status != "ok"
        print(f"  {name:<22} {have or '-':<14} {pinned:<14} {status}")

    print("\nNotebook front end")
    if front_end_problem():
        problems += 1
        print(f"  PROBLEM: {front_end_problem()}")
    else:
        print(
            f"  JupyterLab {installed_version(FRONT_END[0])} ok: start it with `jupyter lab` (workshop: open type-along/; on your own: notebooks/)"
        )

    print("\nData files (SHA-256 checksum)")
    for name in sorted(CHECKSUMS):
        try:
            path = data_path(name, cwd=start)
        except LessonDataError as exc:
            problems += 1
            print(
                f"  {name:<22} PROBLEM\n    "
                + str(exc).replace("\n", "\n    ")
            )
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
