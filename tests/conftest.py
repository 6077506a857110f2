"""Shared fixtures: the lesson's root, its tooling on sys.path, and one strict build per run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
# The stored outputs are those of the default seed: a LESSON_SEED left set in the shell would
# make every nbval run differ (tests/test_seeds.py sets it for its own runs).
os.environ.pop("LESSON_SEED", None)

# Variables by which tools detect a CI server: pytest reads the first two, Hypothesis the
# others too (its _CI_VARS). Runs that must look like a laptop drop them.
CI_MARKERS = (
    "CI", "BUILD_NUMBER", "GITHUB_ACTIONS", "GITLAB_CI", "TF_BUILD", "CIRCLECI", "BUILDKITE",
    "CIRRUS_CI", "CODEBUILD_BUILD_ID", "HEROKU_TEST_RUN_ID", "TEAMCITY_VERSION", "bamboo.buildKey",
)  # fmt: skip


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(root: Path) -> Path:
    """Run the strict build (tools/build.py, the same command as `make site`) once."""
    import build

    result = subprocess.run(build.command(), cwd=root, capture_output=True, text=True)
    log = root / "_build" / "build.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        warnings = [line for line in (result.stdout + result.stderr).splitlines() if "WARNING" in line or "rror" in line]
        pytest.fail("The strict build failed:\n" + "\n".join(warnings[-40:]) + f"\n(full log: {log})")
    return root / "_build" / "html"
