"""The Setup page is what a learner runs: its Option 1, as written, works.

The test takes the commands of Option 1 from learners/setup.md and runs them in an empty
folder, with two substitutions only: the clone address is this repository (its committed
state, as a learner's clone would be), and `python3` is a supported Python *other* than the
one running the tests (the newest such). The page's set-up check must end with "All good".
Then the page's last command starts JupyterLab, headless, and notebook 01 runs through the
server's REST and kernel (WebSocket) API, as the browser would run it: every cell, including the
hidden claim checks, must finish without an error, in a kernel of the new environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import emulate, pythons
from tools.pythons import learner_env as clean_env

ROOT = Path(__file__).resolve().parents[2]

NOTEBOOK = "notebooks/01-why-reproducibility.ipynb"  # JupyterLab opens the lesson's folder


def option_1_commands(setup_page: Path) -> list[str]:
    """The lines of Option 1's first bash block, comments removed."""
    text = setup_page.read_text(encoding="utf-8")
    section = text.split("## Option 1", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    return [line for line in lines if line]


def test_option_1_names_the_steps_the_test_relies_on():
    commands = option_1_commands(ROOT / "learners" / "setup.md")
    assert commands[0].startswith("git clone ") and commands[1].startswith(
        "cd "
    )
    assert (
        "python3 -m venv .venv" in commands
        and "source .venv/bin/activate" in commands
    )
    assert "python -m pip install -r requirements.txt" in commands
    assert "python -m lessonkit.check" in commands
    assert commands[-1] == "jupyter lab"


def install_option_1(tmp_path: Path) -> dict:
    """Option 1's commands but the last, in an empty folder (the slow part: pip installs)."""
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    other = [v for v in pythons.supported() if v != here][-1]
    python = pythons.find(
        other
    )  # SystemExit (with the install command) when it cannot be had
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "python3").symlink_to(python)
    env = {k: v for k, v in clean_env().items() if not k.startswith("JUPYTER")}
    env["PATH"] = f"{shims}{os.pathsep}{env['PATH']}"
    env["HOME"] = str(
        tmp_path / "home"
    )  # no settings of ours leak in; the pip cache stays shared
    env.setdefault("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip"))

    commands = option_1_commands(ROOT / "learners" / "setup.md")
    address = commands[0].split()[2]
    folder = commands[1].split()[1]
    # The published address, played by this repository under the same name (so that the clone
    # lands in the folder the page's `cd` names).
    published = tmp_path / "published" / address.rstrip("/").rsplit("/", 1)[1]
    published.parent.mkdir()
    published.symlink_to(ROOT)
    install = [commands[0].replace(address, str(published)), *commands[1:-1]]
    learner = tmp_path / "learner"
    learner.mkdir()
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", "\n".join(install)],
        cwd=learner,
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    return {
        "result": result,
        "learner": learner,
        "folder": folder,
        "env": env,
        "other": other,
        "commands": commands,
    }


def test_option_1_as_written_runs_a_notebook_in_jupyterlab(
    tmp_path_factory, tmp_path
):
    try:
        installed = install_option_1(tmp_path_factory.mktemp("setup-page"))
    except SystemExit as stop:
        pytest.fail(str(stop), pytrace=False)
    result, learner, folder = (
        installed["result"],
        installed["learner"],
        installed["folder"],
    )
    env, other, commands = (
        installed["env"],
        installed["other"],
        installed["commands"],
    )
    report = (result.stdout + result.stderr)[-5000:]
    assert result.returncode == 0, report
    assert "All good: you are ready for the lesson." in result.stdout, report

    # The page's last command, headless on loopback (tools/emulate.py adds the options).
    start = f"source .venv/bin/activate\n{commands[-1]}"
    with emulate.jupyter_server(
        start, learner / folder, env, tmp_path / "jupyterlab.log"
    ) as (base, token):
        errors, kernel_python = emulate.run_notebook_through_server(
            base, token, NOTEBOOK
        )
    assert not errors, "\n".join(errors)
    assert kernel_python.parent == learner / folder / ".venv" / "bin", (
        kernel_python
    )
    version = subprocess.run(
        [
            str(kernel_python),
            "-c",
            "import sys; print('%d.%d' % sys.version_info[:2])",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert version == other
