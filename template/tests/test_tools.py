"""The project's tools: the lock file, the task runner and the linter."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.helpers import PROJECT

pytestmark = pytest.mark.filterwarnings("error")


def pins(text: str) -> dict[str, set[str]]:
    """name -> the versions a requirements file pins (a lock may pin one per Python version)."""
    found: dict[str, set[str]] = {}
    for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, flags=re.MULTILINE):
        found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), set()).add(version)
    return found


def test_the_lock_pins_what_requirements_txt_asks_for_with_hashes():
    """After a change to requirements.txt, regenerate the lock (README.md, "The lock file")."""
    wanted = pins((PROJECT / "requirements.txt").read_text(encoding="utf-8"))
    text = (PROJECT / "requirements.lock").read_text(encoding="utf-8")
    locked = pins(text)
    for name, versions in wanted.items():
        assert locked.get(name) == versions, (
            f"requirements.txt pins {name} {versions}, requirements.lock {locked.get(name)}: "
            "regenerate the lock (make lock)"
        )
    entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry), (
        "every pin needs its hashes"
    )
    assert "--universal" in text.split("\n", 2)[1], (
        "compile the lock for every platform (--universal)"
    )
    assert (
        "colorama==" in text and "sys_platform == 'win32'" in text
    )  # what pytest needs on Windows


def test_the_task_runner_runs_the_commands_the_readme_gives():
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    for target in ("prepare", "validate", "train", "evaluate-test"):
        assert re.search(
            rf"^{target}:\n\t\$\(PYTHON\) -m mlproject {target}$", makefile, flags=re.MULTILINE
        ), target
        assert f"python -m mlproject {target}" in readme
    assert re.search(r"^all: prepare validate train test$", makefile, flags=re.MULTILINE)
    assert "\t$(PYTHON) -m pytest" in makefile and "\t$(PYTHON) -m ruff check ." in makefile


def test_the_code_passes_the_linter():
    """What `make lint` and CI run; `python -m ruff check --fix .` repairs most findings."""
    pytest.importorskip("ruff")
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "."],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
