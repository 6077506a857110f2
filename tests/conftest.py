"""Shared fixtures: the lesson's root, its tooling on sys.path, and one strict build per run."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
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


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without the lesson's own variables (LESSON_*), an active
    virtual environment or CI markers, plus ``extra``: what a learner's shell would have."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LESSON_", "VIRTUAL_ENV")) and key not in CI_MARKERS
    }
    env.update(extra)
    return env


def in_background(function, *args) -> Future:
    """Start ``function(*args)`` in a thread of its own now; its future gives the result (or
    raises what it raised). The ``start_early`` functions of the test modules use it."""
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(function, *args)
    pool.shutdown(wait=False)
    return future


#: How many notebook runs the parallel test modules start at once: one more than the cores, as
#: each run also waits (kernel start, subprocesses, installs) and would leave a core idle.
RUNS_AT_ONCE = (os.cpu_count() or 2) + 1


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


_BUILD: dict[str, subprocess.Popen] = {}
BUILD_LOG = ROOT / "_build" / "build.log"


def _start_build() -> subprocess.Popen:
    """Start the strict build (tools/build.py, the same command as `make site`) once."""
    if "process" not in _BUILD:
        import build

        BUILD_LOG.parent.mkdir(exist_ok=True)
        with BUILD_LOG.open("w", encoding="utf-8") as log:
            _BUILD["process"] = subprocess.Popen(build.command(), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    return _BUILD["process"]


def pytest_collection_modifyitems(session, config, items):
    """Tests of the built site go last, and the build starts now, in the background: it uses
    one core (it renders the notebooks from their stored outputs and executes none), so it
    overlaps with the other tests' runs instead of leaving a core idle. Likewise every test module with a ``start_early(tmp_path_factory)``
    function gets it called now (once): the installs of the Binder and Setup-page tests wait
    on the network more than on the processor, so they run beside the notebook runs."""
    needs_site = [item for item in items if "built_site" in getattr(item, "fixturenames", ())]
    if needs_site and not config.option.collectonly:
        items[:] = [item for item in items if item not in needs_site] + needs_site
        _start_build()
    if not config.option.collectonly:
        modules = {item.module for item in items if getattr(item, "module", None) is not None}
        for module in sorted(modules, key=lambda m: m.__name__):
            if hasattr(module, "start_early"):
                module.start_early(config._tmp_path_factory)


@pytest.fixture(scope="session")
def built_site(root: Path) -> Path:
    """The strictly built site (started when the tests were collected); fails on a warning."""
    process = _start_build()
    process.wait()
    if process.returncode != 0:
        output = BUILD_LOG.read_text(encoding="utf-8")
        warnings = [line for line in output.splitlines() if "WARNING" in line or "rror" in line]
        pytest.fail("The strict build failed:\n" + "\n".join(warnings[-40:]) + f"\n(full log: {BUILD_LOG})")
    return root / "_build" / "html"
