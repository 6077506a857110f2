"""An instructor teaching from a fork moves every address with one command (tools/fork.py).

In a clone of this repository, `python -m tools.fork NEW --branch B` must move the Binder and
Colab links of every episode, the notebooks' set-up cell (lessonkit's install address, the data
address, the capstone's clone) and the learners' pages to the new repository, and leave the
old address nowhere but in the citation file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
NEW, BRANCH = "https://github.com/a-teacher/easy-wins-2027", "spring"


LINKS = """
import sys
from pathlib import Path
from tools import lesson_meta
for episode in lesson_meta.load_episodes(Path("episodes")):
    links = lesson_meta.notebook_links(episode, sys.argv[1], sys.argv[2], "https://mybinder.org",
                                       "https://colab.research.google.com")
    print(episode.extra(), links.get("binder", "-"), links["colab"], sep="\t")
"""


def test_one_command_moves_every_address(tmp_path):
    copy = tmp_path / "lesson"
    subprocess.run(
        ["git", "clone", "--quiet", str(ROOT), str(copy)], check=True
    )
    old = yaml.safe_load((copy / "_config.yml").read_text())["repository"][
        "url"
    ].rstrip("/")
    result = subprocess.run(
        [sys.executable, "-m", "tools.fork", NEW, "--branch", BRANCH],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr

    config = yaml.safe_load((copy / "_config.yml").read_text())
    assert (
        config["repository"]["url"] == NEW
        and config["repository"]["branch"] == BRANCH
    )

    # The episode pages' launch links, as the copy's own tools render them.
    links = subprocess.run(
        [sys.executable, "-c", LINKS, NEW, BRANCH],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert links.returncode == 0, links.stderr
    for line in links.stdout.splitlines():
        extra, binder, colab = line.split("\t")
        if extra == "None":  # a notebook with an extra is not on Binder
            assert f"/v2/gh/a-teacher/easy-wins-2027/{BRANCH}?" in binder
        assert (
            f"/github/a-teacher/easy-wins-2027/blob/{BRANCH}/notebooks/"
            in colab
        )

    setups = {}
    for path in sorted((copy / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        setup = setups[path] = next(
            c.source
            for c in nb.cells
            if "lesson-setup" in c.metadata.get("tags", [])
        )
        # lessonkit comes from the new repository, and knows it (data, the capstone's clone).
        assert f'REPO = "{NEW}@{BRANCH}"' in setup, path.name

    setup_page = (copy / "learners" / "setup.md").read_text()
    assert f"git clone {NEW}.git" in setup_page
    left = subprocess.run(
        ["git", "grep", "-l", re.sub(r"^https://", "", old)],
        cwd=copy,
        capture_output=True,
        text=True,
    )
    assert left.stdout.split() == ["CITATION.cff"], left.stdout
    # The set-up cells are what the copy's generator writes for the new address.
    for path, setup in setups.items():
        generated = subprocess.run(
            [sys.executable, "-m", "tools.notebooks", "setup-cell", str(path)],
            cwd=copy,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert generated.rstrip("\n") == setup, path.name
