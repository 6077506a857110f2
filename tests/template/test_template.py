"""The take-home project template (template/): it stands alone, and its checks catch drift.

The template's own tests run in this suite too (pyproject.toml lists template/tests); here we
also run them the way a learner will: in a copy of template/ on its own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from tools import lesson_checks as checks

IGNORE = shutil.ignore_patterns(
    "results", "__pycache__", ".pytest_cache", "*.egg-info", ".venv"
)


@pytest.fixture
def broken(tmp_path, root):
    """A copy of the files check_template reads, to break on purpose."""
    copy = tmp_path / "lesson"
    shutil.copytree(root / "template", copy / "template", ignore=IGNORE)
    shutil.copytree(root / "data", copy / "data")
    shutil.copy(
        root / "requirements-authors.txt", copy / "requirements-authors.txt"
    )
    assert checks.check_template(copy) == []
    return copy


def _run_project_tests(copy, *arguments) -> subprocess.CompletedProcess:
    """Run the project's pytest in a copy of the template, as a learner would: without lessonkit
    on the path and without installing anything."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "LESSON_DATA_DIR")
    }
    # The template needs no pytest plugins; the lesson's (nbval, hypothesis) only slow it down.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *arguments],
        cwd=copy, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_template_runs_its_tests_when_copied_alone(tmp_path, root):
    """A learner copies template/ somewhere else: its test suite passes there."""
    copy = tmp_path / "my-project"
    shutil.copytree(root / "template", copy, ignore=IGNORE)
    done = _run_project_tests(copy)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert (
        " passed" in done.stdout
        and "warnings" not in done.stdout.splitlines()[-1]
    )
    assert not (copy / "results").exists(), (
        "the tests must not write into the project's results/"
    )


def test_a_checksum_line_without_its_file_fails_the_project_tests(
    tmp_path, root
):
    """A learner deletes penguins.csv but keeps its line in SHA256SUMS: CI's `sha256sum --check`
    would fail, so the project's own tests must fail too, and say which line to delete."""
    copy = tmp_path / "my-project"
    shutil.copytree(root / "template", copy, ignore=IGNORE)
    (copy / "data" / "penguins.csv").unlink()
    done = _run_project_tests(
        copy, "tests/test_project.py::test_every_checksum_matches_its_file"
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert (
        "lists penguins.csv, but there is no data/penguins.csv" in done.stdout
    )
    assert "delete its line from data/SHA256SUMS" in done.stdout


def test_template_keeps_data_files_byte_exact_in_git(root):
    """Without `-text`, Git for Windows may rewrite CSV line endings and break the checksums."""
    attributes = (
        (root / "template" / ".gitattributes")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    assert "data/** -text" in attributes


def test_template_metadata_files_are_valid(root):
    citation = yaml.safe_load(
        (root / "template" / "CITATION.cff").read_text(encoding="utf-8")
    )
    for key in (
        "cff-version",
        "message",
        "title",
        "authors",
    ):  # required by CFF 1.2.0
        assert citation.get(key), f"CITATION.cff lacks {key}"
    workflow = yaml.safe_load(
        (root / "template" / ".github" / "workflows" / "ci.yml").read_text(
            encoding="utf-8"
        )
    )
    steps = " ".join(
        str(step.get("run", "")) for step in workflow["jobs"]["test"]["steps"]
    )
    assert (
        "requirements.lock" in steps
        and "pytest" in steps
        and "mlproject train" in steps
    )
    assert (
        (root / "template" / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("MIT License")
    )
    readme = (root / "template" / "README.md").read_text(encoding="utf-8")
    assert readme.count("- [ ]") >= 10, (
        "the README's adaptation checklist is missing"
    )


def test_importing_lessonkit_fails_the_check(broken):
    path = broken / "template" / "src" / "mlproject" / "data.py"
    path.write_text(
        "from lessonkit import load_penguins\n"
        + path.read_text(encoding="utf-8")
    )
    assert any("imports lessonkit" in p for p in checks.check_template(broken))


def test_a_pin_that_differs_from_the_lesson_fails(broken):
    for name in ("requirements.txt", "requirements.lock"):
        path = broken / "template" / name
        path.write_text(
            path.read_text(encoding="utf-8").replace(
                "scikit-learn==1.9.1", "scikit-learn==1.8.0"
            )
        )
    problems = checks.check_template(broken)
    assert any(
        "pins scikit-learn==1.8.0, the lesson's lock 1.9.1" in p
        for p in problems
    )


def test_a_lock_that_disagrees_with_requirements_fails(broken):
    path = broken / "template" / "requirements.lock"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("joblib==1.6.0\n", "").replace(
            "pandas==3.1.1", "pandas==3.1.0"
        )
    )
    problems = checks.check_template(broken)
    assert (
        "template/requirements.lock lacks joblib, which template/requirements.txt needs"
        in problems
    )
    assert any(
        p.startswith("template: pandas is 3.1.1 in requirements.txt but 3.1.0")
        for p in problems
    )


def test_changed_template_data_fails(broken):
    path = broken / "template" / "data" / "penguins.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("39.1", "39.2", 1)
    )
    assert any(
        "does not match template/data/SHA256SUMS" in p
        for p in checks.check_template(broken)
    )


def test_capstone_notebook_clones_this_repository_in_colab(root):
    """In Colab, notebook 08 clones the lesson to get template/: from the repository that
    lessonkit was installed from (the first cell's address), not from one written here."""
    nb = json.loads(
        (root / "notebooks" / "08-capstone.ipynb").read_text(encoding="utf-8")
    )
    code = "".join(
        "".join(cell["source"])
        for cell in nb["cells"]
        if cell["cell_type"] == "code"
    )
    assert "git clone" in code and "lesson_repository()" in code
