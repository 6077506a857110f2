"""The lesson works on Binder as repo2docker builds it today (tools/emulate.py).

Binder runs the notebook server and the kernel in one environment: repo2docker's server
packages at its versions (JupyterLab, Notebook, Jupyter Server, JupyterHub's single-user server,
...), then the lesson's binder/ applied on top as repo2docker applies it (binder/requirements.txt
with pip, then binder/postBuild), in a clone of this repository's committed state. The result
must have no broken requirements (`pip check`), keep the server's own versions working, and run
a notebook through the server's REST and kernel (WebSocket) API as a browser would.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools import emulate

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = "notebooks/01-why-reproducibility.ipynb"


@pytest.fixture(scope="module")
def image(tmp_path_factory):
    """repo2docker's server environment with binder/ applied, in a clone of this repository."""
    return emulate.build_binder(tmp_path_factory.mktemp("binder"))


def test_binder_environment_has_no_broken_requirements(image):
    check = emulate.pip_check(image.venv)
    assert check.returncode == 0, check.stdout + check.stderr


def test_binder_keeps_its_server_versions(image):
    base = {}
    for line in (emulate.BINDER / "requirements.txt").read_text().splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==")
            base[name.lower()] = version
    installed = {}
    for line in emulate._run(
        [image.venv / "bin" / "python", "-m", "pip", "freeze", "--all"]
    ).stdout.splitlines():
        if "==" in line:
            name, version = line.split("==")
            installed[name.lower().replace("_", "-")] = version
    for server in (
        "jupyterlab",
        "notebook",
        "jupyter-server",
        "jupyterhub",
        "jupyter-resource-usage",
        "jupyter-offlinenotebook",
    ):
        assert installed.get(server) == base[server], (
            f"binder/ changed {server}: {base[server]} -> {installed.get(server)}"
        )


def test_a_notebook_runs_through_binders_server(image, tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("VIRTUAL_ENV", "LESSON_", "JUPYTER"))
    }
    env["PATH"] = f"{image.venv / 'bin'}{os.pathsep}{env['PATH']}"
    env["HOME"] = str(tmp_path / "home")
    with emulate.jupyter_server(
        "jupyter lab", image.repo, env, tmp_path / "server.log"
    ) as (base, token):
        errors, python = emulate.run_notebook_through_server(
            base, token, NOTEBOOK
        )
    assert not errors, "\n".join(errors)
    assert python is not None and python.parent == image.venv / "bin", python
