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
from pathlib import Path

import pytest

from tools import emulate, notebooks
from tools.pythons import learner_env

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = emulate.NOTEBOOKS
RESTART = "click Runtime > Restart session, then run this cell again"


@pytest.fixture(scope="module")
def sources():
    """The base environment (Colab's packages; built once, or found current) and the
    variables that make this repository play the published one, data served on loopback."""
    emulate.colab_base()
    with emulate.serve_data() as data_url:
        yield emulate.colab_sources(data_url)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_on_colab_after_one_restart(notebook, sources, tmp_path):
    session = emulate.colab_session(notebook, tmp_path, **sources)
    first = emulate.run_setup_cell(session, notebook.name)
    # First run: installs, then one plain message (no traceback) saying where to click.
    assert first.error is not None and first.error.startswith(
        "LessonSetupStop: Installed."
    ), first.text
    assert RESTART in first.error and "numpy" in first.error, first.error
    assert "Traceback" not in first.text and "File " not in first.text, (
        first.text
    )
    # The restart: nbval starts a new kernel and runs the notebook from the top; the set-up
    # cell's stored output is empty, so it must now pass without a word, and every output
    # must be as stored. One BLAS thread, hash seed 0, no CI variables: a learner's session.
    run = emulate.nbval_in_session(
        session,
        notebook.name,
        learner_env(OMP_NUM_THREADS="1", PYTHONHASHSEED="0"),
    )
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    # The data came from the published address into the notebook's folder: only what the lesson publishes.
    fetched = {p.name for p in (session.folder / "data").glob("*")}
    assert fetched <= {p.name for p in (ROOT / "data").glob("*")}


def _versions(session: emulate.ColabSession) -> dict[str, str]:
    lines = [
        line.split("==")
        for line in session.freeze().splitlines()
        if "==" in line
    ]
    return {name.lower(): version for name, version in lines}


def _point_kernel(session: emulate.ColabSession, **env: str) -> None:
    spec = session.jupyter / "kernels" / emulate.KERNEL / "kernel.json"
    kernel = json.loads(spec.read_text())
    kernel["env"] = {"IPYTHONDIR": kernel["env"]["IPYTHONDIR"], **env}
    spec.write_text(json.dumps(kernel))


def test_colab_without_network_says_so_and_changes_nothing(tmp_path, sources):
    notebook = NOTEBOOKS[0]
    closed = f"http://127.0.0.1:{emulate.free_port()}"
    offline = {
        "PIP_CONFIG_FILE": os.devnull,
        "PIP_INDEX_URL": f"{closed}/simple",
        "PIP_RETRIES": "0",
        "UV_DEFAULT_INDEX": f"{closed}/simple",
        "LESSON_REPOSITORY": f"{closed}/easy-wins@main",
    }
    session = emulate.colab_session(notebook, tmp_path, **offline)
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    # The first cell cannot even fetch lessonkit: it says so with pip's reason, no traceback.
    assert run.error and run.error.startswith(
        f"Stop: Is this session online? No git+{closed}/easy-wins@main"
    ), run.text
    assert "Traceback" not in run.text, run.text
    assert _versions(session) == before
    # Back online: the next run installs as usual (and asks for the restart).
    with emulate.serve_data() as data_url:
        _point_kernel(session, **emulate.colab_sources(data_url))
        again = emulate.run_setup_cell(session, notebook.name)
    assert again.error and RESTART in again.error, again.text


def test_a_repository_that_does_not_exist_is_named(tmp_path, sources):
    notebook = NOTEBOOKS[0]
    missing = (tmp_path / "nobody" / "easy-wins").as_uri() + "@main"
    session = emulate.colab_session(
        notebook, tmp_path / "session", LESSON_REPOSITORY=missing
    )
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and run.error.startswith(
        f"Stop: Is this session online? No git+{missing}"
    ), run.text
    # pip's own reason follows (git could not clone it), not a traceback
    assert "git clone" in run.error and "Traceback" not in run.text, run.error
    assert _versions(session) == before


def test_without_network_after_lessonkit_the_install_says_so(
    tmp_path, sources
):
    """lessonkit came (from the repository), the package index does not answer: lessonkit's
    set-up names what failed and what to do, and changes none of the session's packages."""
    notebook = NOTEBOOKS[0]
    closed = f"http://127.0.0.1:{emulate.free_port()}"
    session = emulate.colab_session(notebook, tmp_path, **sources)
    session_pip = [
        str(session.python),
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        f"git+{sources['LESSON_REPOSITORY']}",
    ]
    emulate._run(session_pip)
    emulate._run(
        [
            str(session.python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "uv==" + _pin("uv"),
        ]
    )
    before = _versions(session)
    _point_kernel(
        session,
        **sources,
        PIP_INDEX_URL=f"{closed}/simple",
        UV_DEFAULT_INDEX=f"{closed}/simple",
    )
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and run.error.startswith(
        "LessonSetupStop: Could not install the lesson's packages"
    ), run.text
    assert (
        "Check that this session is online" in run.error
        and "Traceback" not in run.text
    )
    assert _versions(session) == before


def _pin(name: str) -> str:
    from lessonkit.environment import lesson_pins

    return lesson_pins("colab")[name]


@pytest.mark.parametrize(
    "notebook",
    notebooks.lesson_notebooks(ROOT, extras=True),
    ids=lambda p: p.stem,
)
def test_an_extra_that_colab_lacks_is_named_before_anything_is_installed(
    notebook, tmp_path, sources
):
    session = emulate.colab_session(notebook, tmp_path, **sources)
    before = _versions(session)
    run = emulate.run_setup_cell(session, notebook.name)
    assert run.error and run.error.startswith(
        "LessonSetupStop: This notebook needs "
    ), run.text
    assert "run `%pip install" in run.error and "Traceback" not in run.text
    # Only lessonkit itself came in (the first cell installs it); none of the lesson's pins.
    assert {
        k: v for k, v in _versions(session).items() if k != "lessonkit"
    } == before
