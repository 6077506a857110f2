"""The GitHub workflows (the lesson's and the template's) pass actionlint, and a broken one
does not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted(ROOT.glob(".github/workflows/*.yml")) + sorted(
    ROOT.glob("template/.github/workflows/*.yml")
)


def actionlint() -> str:
    found = shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    ) or shutil.which("actionlint")
    if not found:
        pytest.fail(
            "actionlint is not installed: `make` installs it with the authors' environment",
            pytrace=False,
        )
    return found


def test_every_workflow_passes_actionlint():
    assert len(WORKFLOWS) >= 3
    done = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_broken_workflow_fails(tmp_path):
    broken = tmp_path / "broken.yml"
    text = (ROOT / ".github" / "workflows" / "pages.yml").read_text()
    broken.write_text(
        text.replace(
            "runs-on: ubuntu-24.04", "runs-on: ${{ matrix.nowhere }}", 1
        )
    )
    done = subprocess.run(
        [actionlint(), "-no-color", str(broken)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "matrix" in done.stdout


def test_actions_are_the_current_majors():
    """The Node-20 generation of GitHub's actions is retired in 2026."""
    text = "\n".join(path.read_text() for path in WORKFLOWS)
    for old in (
        "checkout@v4",
        "setup-python@v5",
        "upload-artifact@v4",
        "upload-pages-artifact@v3",
        "deploy-pages@v4",
    ):
        assert old not in text
