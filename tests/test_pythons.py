"""Every notebook gives the same stored outputs on every supported Python.

nbval (full mode: each notebook re-executed, its outputs compared with the stored ones, with
tests/nbval_sanitize.cfg masking only volatile text) runs every notebook in the lesson's folder
on each supported Python (pyproject.toml's requires-python). The Python that runs the suite
uses its own environment (.venv); each other one gets an environment built by uv from uv.lock
exactly (`uv sync --frozen`: the notebooks' packages, nbval, myst-nb and lessonkit). All runs
go into one pool, one per core. A Python that cannot be found or fetched fails
the test with the way to install it: nothing is skipped.

The site shows the stored outputs (its build executes no notebook), glue records included:
the numbers that the episode pages quote. These runs are what keeps them true.

The runs also vary what must not matter: the newest Python runs with two BLAS/OpenMP threads,
another hash seed and the variables of a CI server (pytest and Hypothesis change their reports
there), while the Colab emulation (tests/test_colab.py) runs each notebook alone with one thread and no CI variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import RUNS_AT_ONCE, clean_env, in_background

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import pythons  # noqa: E402

import notebooks  # noqa: E402

# Notebooks with an extra (episode 09: PyTorch) run in the extra's environment:
# tests/test_deep_learning.py.
NOTEBOOKS = notebooks.lesson_notebooks(ROOT, extras=False)
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
HERE = f"{sys.version_info[0]}.{sys.version_info[1]}"
OTHERS = [v for v in pythons.supported() if v != HERE]



def build_environment(version: str) -> Path:
    """`.venv-pyX.Y` in the lesson's folder, synced from uv.lock (reused when current)."""
    try:
        python = pythons.find(version)
    except SystemExit as stop:
        pytest.fail(str(stop), pytrace=False)
    venv = ROOT / f".venv-py{version}"
    env = clean_env(UV_PROJECT_ENVIRONMENT=str(venv), UV_PYTHON_DOWNLOADS="never")
    cmd = [pythons.uv(), "sync", "--frozen", "--quiet", "--python", python, "--no-default-groups",
           "--group", "notebooks", "--group", "test"]  # fmt: skip
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, f"uv sync for Python {version} failed:\n{result.stderr[-4000:]}"
    return venv


def nbval(venv: Path, notebook: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    bin_dir = venv / "bin"
    env = {**env, "PATH": f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", "VIRTUAL_ENV": str(venv)}
    cmd = [str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
           "--nbval-current-env", "--nbval-sanitize-with", str(SANITIZE), str(notebook)]  # fmt: skip
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)


def run_env(version: str) -> dict[str, str]:
    if version == pythons.supported()[-1]:
        return clean_env(OMP_NUM_THREADS="2", PYTHONHASHSEED="12345", CI="true", CIRCLECI="true")
    return clean_env()


_EARLY: dict[str, Future] = {}


def start_early(tmp_path_factory=None) -> None:
    """Called by conftest when the tests are collected: the other Pythons' environments are
    built in the background (uv mostly downloads and links files)."""
    if "venvs" not in _EARLY:
        _EARLY["venvs"] = in_background(lambda: {version: build_environment(version) for version in OTHERS})


@pytest.fixture(scope="module")
def runs():
    """Build each other Python's environment, then start every nbval run (one per core)."""
    start_early()  # when run without conftest's collection hook
    venvs = {HERE: Path(sys.executable).parents[1]}
    venvs.update(_EARLY["venvs"].result())
    pool = ThreadPoolExecutor(max_workers=RUNS_AT_ONCE)
    jobs = {
        (version, nb.name): pool.submit(nbval, venvs[version], nb, run_env(version))
        for version in pythons.supported() for nb in NOTEBOOKS
    }  # fmt: skip
    yield jobs
    pool.shutdown(wait=True)


def test_the_suite_runs_on_a_supported_python():
    assert HERE in pythons.supported(), f"make test runs on Python {HERE}: use one of {pythons.supported()}"
    assert OTHERS, "only one Python is supported: nothing to compare"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
@pytest.mark.parametrize("version", pythons.supported())
def test_notebook_outputs_are_the_same_on_every_python(version, notebook, runs):
    result = runs[version, notebook.name].result()
    assert result.returncode == 0, f"Python {version}:\n" + (result.stdout + result.stderr)[-6000:]
