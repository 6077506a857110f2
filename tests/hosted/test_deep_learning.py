"""Episode 09 (PyTorch) runs in an environment of its own, and says what to do without PyTorch.

The lesson's environment leaves PyTorch out (the package index's Linux build brings several
GB of CUDA libraries). A notebook that needs it names an *extra* in its metadata
(``lesson.extra``); pyproject.toml's ``[tool.lesson.extras]`` pins the extra, and tools/lock.py
writes ``requirements-NAME.txt`` from the pin. Here:

- the extra's environment is built as the Setup page tells learners to build it: the lesson's
  environment, then ``pip install -r requirements-deep-learning.txt`` (tools/pythons.py
  ``extra_environment``, started when the tests are collected);
- nbval passes on each notebook with an extra, in that environment: every stored output,
  glued numbers included, is what the code gives there (its GPU cells, tagged ``gpu`` and
  ``nbval-ignore-output``, say on this CPU that there is no GPU);
- the lesson's own environment has no PyTorch, and there the set-up cell stops with the
  command that installs it;
- the extra's requirements file pins what pyproject.toml asks for, at uv.lock's versions
  wherever the two share a package, and the check says so when it does not.

Seeds 1-3 for these notebooks: tests/notebooks/test_runs.py. Colab without PyTorch: tests/hosted/test_colab.py.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from lessonkit.environment import lesson_pins
from tools import config, lock, notebooks

ROOT = Path(__file__).resolve().parents[2]
EXTRA_NOTEBOOKS = notebooks.lesson_notebooks(ROOT, extras=True)


def test_every_extra_has_a_notebook_and_every_notebook_a_known_extra():
    used = {notebooks.extra_of_path(path) for path in EXTRA_NOTEBOOKS}
    assert used == set(lock.extras(ROOT)), (
        f"notebooks use {used}, pyproject.toml defines {set(lock.extras(ROOT))}"
    )


@pytest.mark.parametrize("notebook", EXTRA_NOTEBOOKS, ids=lambda p: p.stem)
def test_without_the_extra_the_set_up_cell_names_the_install_command(notebook):
    """In the lesson's own environment (no PyTorch) the set-up cell stops, in a kernel as a
    learner runs it, with the command that installs the extra, and no traceback."""
    extra = notebooks.extra_of_path(notebook)
    for package in lesson_pins(extra):
        assert importlib.util.find_spec(package) is None, (
            f"{package} is in the lesson's environment: it must stay in the '{extra}' extra only"
        )
    nb = nbformat.read(notebook, as_version=4)
    nb.cells = [
        cell
        for cell in nb.cells
        if config.SETUP in cell.metadata.get("tags", [])
    ]
    NotebookClient(
        nb,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()
    (error,) = [
        output
        for output in nb.cells[0].outputs
        if output.output_type == "error"
    ]
    assert error.ename == "LessonSetupStop" and error.evalue.startswith(
        "This notebook needs "
    ), error
    assert (
        f"pip install -r requirements-{extra}.txt" in error.evalue
        and "restart the kernel" in error.evalue
    )
    assert error.traceback == [f"LessonSetupStop: {error.evalue}"], (
        "a message, not a traceback"
    )


def _copy_for_lock(tmp_path: Path) -> Path:
    for name in (
        "pyproject.toml",
        "uv.lock",
        *(lock.extra_file(n).name for n in lock.extras(ROOT)),
    ):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_the_extras_file_matches_pyproject_and_uv_lock(tmp_path):
    assert lock.extra_problems(ROOT) == []
    text = lock.extra_file("deep-learning").read_text(encoding="utf-8")
    assert text.splitlines()[
        text.splitlines().index(f"--extra-index-url {lock.CPU_INDEX}") + 1 :
    ], "no pins"
    assert not [
        line for line in text.splitlines() if lock.CUDA_ONLY.match(line)
    ], "CUDA-only packages in the CPU extra"
    # Doctored copies: another version of a package that uv.lock also pins, and another pin in
    # pyproject.toml than the file was written for.
    copy = _copy_for_lock(tmp_path)
    extra = lock.extra_file("deep-learning", copy)
    extra.write_text(
        text.replace("jinja2==", "jinja2==0.1+"), encoding="utf-8"
    )
    assert any(
        "pins jinja2" in p and "run `make lock`" in p
        for p in lock.extra_problems(copy)
    )
    extra.write_text(text, encoding="utf-8")
    pyproject = copy / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8").replace('"torch==', '"torch==9'),
        encoding="utf-8",
    )
    assert any(
        "was not written for pyproject.toml's 'deep-learning' extra" in p
        for p in lock.extra_problems(copy)
    )
