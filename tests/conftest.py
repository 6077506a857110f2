"""Shared fixtures: the lesson's root and its strictly built site.

The suite tests the environment it runs in; the Makefile runs it in each environment (one
target per guarantee, CONTRIBUTING.md "The checks"). Nothing here starts work in the
background: a fixture does its work when a test first asks for it.

    tests/checks/     lesson checks and unit tests             (make check)
    tests/template/   the take-home template, copied alone     (make template)
    tests/notebooks/  the notebooks at other seeds, type-along (make seed-runs)
    tests/hosted/     Colab, Binder, the Setup page, PyTorch   (make colab / binder / ...)
    tests/site/       the built site, in a browser             (make site-tests)
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tools import build

ROOT = Path(__file__).resolve().parents[1]
# The stored outputs are those of the default seed: a LESSON_SEED left set in the shell would
# make every run differ (tests/notebooks sets it for its own runs). A claim that does not
# hold fails the tests (lessonkit.claim), which a learner would only see as a printed line.
os.environ.pop("LESSON_SEED", None)
os.environ["LESSON_STRICT"] = "1"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(root: Path) -> Path:
    """The site, built strictly (tools/build.py, as `make site` builds it) once per run."""
    log = root / "_build" / "build.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(
            build.command(), cwd=root, stdout=out, stderr=subprocess.STDOUT
        )
    if done.returncode != 0:
        lines = log.read_text(encoding="utf-8").splitlines()
        warnings = [
            line for line in lines if "WARNING" in line or "rror" in line
        ]
        pytest.fail(
            "The strict build failed:\n"
            + "\n".join(warnings[-40:])
            + f"\n(full log: {log})"
        )
    return root / "_build" / "html"
