"""Every notebook works on Google Colab as Colab runs it today (tools/emulate.py).

Each notebook is opened alone in an empty folder of a fresh Colab-like session: Colab's Python
and package versions, and a kernel that has imported numpy (through google.colab) before the
first cell runs. Its set-up cell must install the lesson's pins and lessonkit (from this
repository's committed state, standing in for the published one; data over HTTP on loopback),
then stop with one plain message that says which menu item restarts the session. After that
one restart the set-up cell passes silently and nbval passes on the whole notebook: the
page's numbers hold on Colab. These runs are also the lesson's "alone in a folder" runs: one
BLAS thread, another hash seed and no CI variables, as on a learner's session.

Without network, or with a repository address that does not exist, the set-up cell names what
failed and what to do, and leaves the session's packages as they were, so that the next run
(online, right address) installs as usual.

Episode 09 needs PyTorch, which Colab preinstalls and this emulation cannot (tools/emulate.py,
NOTEBOOKS): its set-up cell is checked in a session without PyTorch, where it must stop before
installing anything and say how to get PyTorch back.
"""

from __future__ import annotations

import json
import os
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import RUNS_AT_ONCE, clean_env, in_background

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import emulate  # noqa: E402
import notebooks  # noqa: E402

NOTEBOOKS = emulate.NOTEBOOKS
RESTART = "click Runtime > Restart session, then run this cell again"


def _session_run(notebook: Path, workdir: Path, sources: dict[str, str]) -> dict:
    session = emulate.colab_session(notebook, workdir, **sources)
    first = emulate.run_setup_cell(session, notebook.name)
    # The restart: nbval starts a new kernel and runs the notebook from the top; the set-up
    # cell's stored output is empty, so it must now pass without a word.
    learner = clean_env(OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    nbval = emulate.nbval_in_session(session, notebook.name, learner)
    return {"first": first, "nbval": nbval}


_EARLY: dict[str, Future] = {}


def start_early(tmp_path_factory=None) -> None:
    """Called by conftest when the tests are collected: the base environment (Colab's
    packages) is built in the background, or found current."""
    if "base" not in _EARLY:
        _EARLY["base"] = in_background(emulate.colab_base)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """One fresh session per notebook, two at a time; started when the first test needs them."""
    start_early()  # when run without conftest's collection hook
    _EARLY["base"].result()  # build (or reuse) the base environment once, before the pool
    with emulate.serve_data() as data_url:
        sources = emulate.colab_sources(data_url)
        pool = ThreadPoolExecutor(max_workers=RUNS_AT_ONCE)
        jobs = {nb.name: pool.submit(_session_run, nb, tmp_path_factory.mktemp(f"colab-{nb.stem[:2]}"), sources)
                for nb in NOTEBOOKS}  # fmt: skip
        yield jobs
        pool.shutdown(wait=True)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_colab_after_one_restart(notebook, runs):
    run = runs[notebook.name].result()
    first = run["first"]
    # First run: installs, then one plain message (no traceback) saying where to click.
    assert first.error is not None and first.error.startswith("LessonSetupStop: Installed."), first.text
    assert RESTART in first.error and "numpy" in first.error, first.error
    assert "Traceback" not in first.text and "File " not in first.text, first.text
    # After the restart: nothing to install, nothing to say, and every output as stored.
    assert run["nbval"].returncode == 0, (run["nbval"].stdout + run["nbval"].stderr)[-6000:]
    # The data came from the published address into the notebook's folder: only what the lesson publishes.
    fetched = {p.name for p in (Path(run["nbval"].args[-1]).parent / "data").glob("*")}
    assert fetched <= {p.name for p in (ROOT / "data").glob("*")}


def _versions(session: emulate.ColabSession) -> dict[str, str]:
    lines = [line.split("==") for line in session.freeze().splitlines() if "==" in line]
    return {name.lower(): version for name, version in lines}


def _point_kernel(session: emulate.ColabSession, **env: str) -> None:
    spec = session.jupyter / "kernels" / emulate.KERNEL / "kernel.json"
    kernel = json.loads(spec.read_text())
    kernel["env"] = {"IPYTHONDIR": kernel["env"]["IPYTHONDIR"], **env}
    spec.write_text(json.dumps(kernel))


def test_colab_without_network_says_so_and_changes_nothing(tmp_path):
    notebook = NOTEBOOKS[0]
    closed = f"http://127.0.0.1:{emulate.free_port()}"
    offline = {"PIP_CONFIG_FILE": os.devnull, "PIP_INDEX_URL": f"{closed}/simple", "PIP_RETRIES": "0",
               "UV_DEFAULT_INDEX": f"{closed}/simple", "LESSON_REPOSITORY": f"{closed}/easy-wins"}  # fmt: skip
    session = emulate.colab_session(notebook, tmp_path, **offline)
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and run.error.startswith("LessonSetupStop: Could not install the lesson's packages"), run.text
    assert "Check that this session is online" in run.error and "Traceback" not in run.text
    assert _versions(session) == before
    # Back online: the next run installs as usual (and asks for the restart).
    with emulate.serve_data() as data_url:
        _point_kernel(session, **emulate.colab_sources(data_url))
        again = emulate.run_setup_cell(session, notebook.name)
    assert again.error and RESTART in again.error, again.text


def test_a_repository_that_does_not_exist_is_named(tmp_path):
    notebook = NOTEBOOKS[0]
    missing = (tmp_path / "nobody" / "easy-wins").as_uri()
    session = emulate.colab_session(notebook, tmp_path / "session", LESSON_REPOSITORY=missing, LESSON_BRANCH="main")
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and "Could not install the lesson's packages" in run.error, run.text
    assert f"{missing} (branch main) exists and is public" in run.error
    after = _versions(session)
    # uv itself may have been installed (it is the installer); nothing of the lesson was.
    assert {k: v for k, v in after.items() if k != "uv"} == before


@pytest.mark.parametrize("notebook", notebooks.lesson_notebooks(ROOT, extras=True), ids=lambda p: p.stem)
def test_an_extra_that_colab_lacks_is_named_before_anything_is_installed(notebook, tmp_path):
    start_early()
    _EARLY["base"].result()
    session = emulate.colab_session(notebook, tmp_path)
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and run.error.startswith("LessonSetupStop: This notebook needs "), run.text
    assert "Colab preinstalls it: run `%pip install" in run.error and "Traceback" not in run.text
    assert _versions(session) == before
