"""The first cell of every notebook: ``lessonkit.setup("NN-slug")``.

The notebook's own first cell only installs lessonkit on Colab (which has nothing of the
lesson but the notebook) and calls :func:`setup`, which does the rest:

* stops with one plain message on a Python the lesson does not support;
* on Colab: installs the lesson's pinned packages (lessonkit's own metadata lists them; uv
  installs them in seconds) and asks for one restart when Colab had already imported an
  older version; points the data loader at the lesson's repository;
* everywhere: checks the kernel's packages against the pins (:func:`check_environment`), and,
  for a notebook that needs an extra (episode 09: PyTorch), that the extra is there;
* remembers which notebook this is, for ``%catch_up`` (:mod:`lessonkit.catchup`).

Every problem stops "Run all" with a :class:`LessonSetupStop`, which Jupyter and Colab show
as its message alone, without a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata

from lessonkit.environment import (
    LessonEnvironmentError,
    check_environment,
    lesson_pins,
    python_problem,
)

#: The notebook that called :func:`setup` last (its ``NN-slug``).
NOTEBOOK: str | None = None


class LessonSetupStop(LessonEnvironmentError):
    """Stops "Run all" with a message for the learner instead of a traceback."""

    def _render_traceback_(self) -> list[str]:
        return [f"{type(self).__name__}: {self}"]


def _origin() -> tuple[str | None, str]:
    """The repository and branch lessonkit was installed from (on Colab: the lesson's):
    LESSON_REPOSITORY (``URL@BRANCH``, as the first cell reads it), else what pip recorded."""
    given = os.environ.get("LESSON_REPOSITORY", "")
    if "@" in given:
        repository, branch = given.rsplit("@", 1)
        return repository.rstrip("/"), branch
    try:
        direct = json.loads(
            metadata.distribution("lessonkit").read_text("direct_url.json")
            or "{}"
        )
    except metadata.PackageNotFoundError:
        direct = {}
    url = direct.get("url", "")
    if not url.startswith(("http://", "https://")):
        return None, "main"
    return url.removesuffix(".git").rstrip("/"), direct.get(
        "vcs_info", {}
    ).get("requested_revision") or "main"


def lesson_repository() -> tuple[str, str]:
    """The lesson's repository and branch, e.g. to clone the lesson's files in a Colab
    session (which has only the notebook); raises :class:`LessonSetupStop` when unknown."""
    repository, branch = _origin()
    if repository is None:
        raise LessonSetupStop(
            "This session does not know the lesson's repository: open the notebook from a copy "
            "of the whole lesson (Setup page), or set LESSON_REPOSITORY to its URL@BRANCH."
        )
    return repository, branch


def _installed() -> dict[str, str]:
    return {
        dist.metadata["Name"].lower(): dist.version
        for dist in metadata.distributions()
    }


def _on_colab(extra: str | None) -> None:
    """Install the lesson's pins into this Colab session (once), then ask for one restart if
    Colab had already imported an older version of one of them."""
    repository, branch = _origin()
    if repository:
        os.environ.setdefault(
            "LESSON_DATA_URL", f"{repository}/raw/{branch}/data"
        )
    if extra:  # Colab preinstalls the extras the lesson uses (PyTorch): keep its version
        for name in lesson_pins(extra):
            if name not in _installed():
                raise LessonSetupStop(
                    f"This notebook needs {name}, which Colab usually preinstalls but this session "
                    f"lacks: run `%pip install {name}` in a new cell, then run this cell again."
                )
    before = _installed()
    colab = lesson_pins("colab")
    installer = {"uv": colab.pop("uv")}
    wanted = [
        f"{name}=={version}"
        for name, version in {**lesson_pins(), **colab}.items()
        if before.get(name) != version
    ]
    if not wanted:
        return
    print(
        "Installing the lesson's packages into this Colab session (about 20 s)..."
    )
    steps = [
        [
            sys.executable,
            "-m",
            "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            sys.executable,
            *wanted,
        ]
    ]
    if (
        before.get("uv") is None
    ):  # uv installs in seconds what pip takes a minute for
        steps.insert(
            0,
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                f"uv=={installer['uv']}",
            ],
        )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            said = "\n".join(done.stderr.strip().splitlines()[-6:])
            raise LessonSetupStop(
                f"Could not install the lesson's packages (nothing of the lesson was installed). "
                f"{step[2]} said:\n{said}\nCheck that this session is online, then run this cell again."
            )
    after = _installed()
    changed = {name for name in after if before.get(name) != after[name]}
    owners = metadata.packages_distributions()
    loaded = sorted(
        {
            dist
            for module in list(sys.modules)
            for dist in owners.get(module.split(".")[0], [])
            if dist.lower() in changed
        }
    )
    if loaded:
        raise LessonSetupStop(
            "Installed. Colab had already loaded older versions of "
            + ", ".join(loaded)
            + ", so one restart is needed: click Runtime > Restart session, then run this cell "
            "again (it takes a few seconds the second time)."
        )


def _check_extra(extra: str) -> dict[str, str]:
    wanted = lesson_pins(extra)
    for name in wanted:
        if name not in _installed():
            raise LessonSetupStop(
                f"This notebook needs {name}, which this kernel ({sys.executable}) does not have. "
                "In the lesson's folder, with the lesson's environment active, run "
                f"`pip install -r requirements-{extra}.txt` (see the Setup page), then restart the "
                "kernel and run this cell again."
            )
    return wanted


def setup(notebook: str | None = None, extra: str | None = None) -> None:
    """Get this kernel ready for the lesson's notebook ``notebook`` (its ``NN-slug``), which
    also needs the optional dependencies ``extra`` (e.g. "deep-learning"), if any.

    Silent in the lesson's own environment. Raises :class:`LessonSetupStop` with what to do
    when the kernel cannot run the notebook.
    """
    global NOTEBOOK
    NOTEBOOK = notebook
    problem = python_problem()
    if problem:
        raise LessonSetupStop(problem)
    pinned = lesson_pins()
    on_colab = "google.colab" in sys.modules
    if on_colab:
        _on_colab(extra)
    try:
        if extra and not on_colab:
            pinned = {**pinned, **_check_extra(extra)}
        check_environment(pinned)
    except LessonSetupStop:
        raise
    except LessonEnvironmentError as error:
        raise LessonSetupStop(str(error)) from None
    if extra and on_colab:
        have = ", ".join(
            f"{name} {metadata.version(name)}" for name in lesson_pins(extra)
        )
        lesson = ", ".join(
            f"{name} {version}" for name, version in lesson_pins(extra).items()
        )
        print(
            f"Using Colab's {have} (the lesson's pages show {lesson} on a CPU; low-order digits may differ)."
        )
    try:
        from lessonkit.catchup import register

        register(notebook)
    except (
        ImportError
    ):  # not in IPython (a script): there is no %catch_up to offer
        pass
