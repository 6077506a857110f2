"""The take-home project template (template/): it stands alone, and its checks catch drift.

The template's own tests run in this suite too (pyproject.toml lists template/tests); here we
also run them the way a learner will: in a copy of template/ on its own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

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
    )


def test_template_runs_its_tests_when_copied_alone(tmp_path, root):
    """A learner copies template/ somewhere else: its test suite passes there, and writes
    nothing into the project (no results/, no look at the test set)."""
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
    assert not (copy / "test-set-log.jsonl").exists(), (
        "the tests must never look at the project's test set"
    )


def test_a_checksum_line_without_its_file_fails_the_project_tests(
    tmp_path, root
):
    """A learner deletes penguins.csv but keeps its line in SHA256SUMS: CI's `sha256sum --check`
    would fail, so the project's own tests must fail too, and say which line to delete."""
    copy = tmp_path / "my-project"
    shutil.copytree(root / "template", copy, ignore=IGNORE)
    (copy / "data" / "raw" / "penguins.csv").unlink()
    done = _run_project_tests(
        copy, "tests/test_project.py::test_every_checksum_matches_its_file"
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert (
        "lists penguins.csv, but there is no data/raw/penguins.csv"
        in done.stdout
    )
    assert "delete its line from data/raw/SHA256SUMS" in done.stdout


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
    assert (
        (root / "template" / "LICENSE")
        .read_text(encoding="utf-8")
        .startswith("MIT License")
    )
    readme = (root / "template" / "README.md").read_text(encoding="utf-8")
    assert readme.count("- [ ]") >= 10, (
        "the README's adaptation checklist is missing"
    )


def test_template_workflow_lints_tests_trains_and_compares_with_a_tolerance(
    root,
):
    workflow = yaml.safe_load(
        (root / "template" / ".github" / "workflows" / "ci.yml").read_text(
            encoding="utf-8"
        )
    )
    steps = workflow["jobs"]["test"]["steps"]
    runs = " ".join(str(step.get("run", "")) for step in steps)
    for command in (
        "pip install -r requirements.lock",
        "ruff check",
        "mlproject prepare",
        "git diff --exit-code",
        "pytest",
        "mlproject train",
        "mlproject compare",
    ):
        assert command in runs, command
    assert (
        "committed != this_run" not in runs
    )  # no exact comparison across machines
    uses = sorted(step["uses"] for step in steps if "uses" in step)
    assert uses == [
        "actions/checkout@v6",
        "actions/setup-python@v6",
        "actions/upload-artifact@v7",
    ]
    assert set(workflow["jobs"]["test"]["strategy"]["matrix"]["os"]) >= {
        "ubuntu-24.04",
        "macos-15",
        "windows-2025",
    }
    assert "evaluate-test" not in runs, "CI must never look at the test set"


def test_template_workflow_passes_actionlint(root):
    actionlint = shutil.which("actionlint") or shutil.which(
        "actionlint", path=str(Path(sys.executable).parent)
    )
    if actionlint is None:
        pytest.skip(
            "actionlint is not installed (requirements-authors.txt has it)"
        )
    done = subprocess.run(
        [actionlint, "-no-color", ".github/workflows/ci.yml"],
        cwd=root / "template",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_importing_lessonkit_fails_the_check(broken):
    path = broken / "template" / "src" / "mlproject" / "data.py"
    path.write_text(
        "from lessonkit import load_penguins\n"
        + path.read_text(encoding="utf-8")
    )
    assert any("imports lessonkit" in p for p in checks.check_template(broken))


def test_a_template_too_long_to_read_in_one_sitting_fails(broken):
    path = broken / "template" / "src" / "mlproject" / "report.py"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n" * checks.TEMPLATE_SOURCE_LINES
    )
    assert any(
        p.startswith("template/src/ has") and "keep it under 2000" in p
        for p in checks.check_template(broken)
    )


def test_a_template_read_at_a_wider_line_length_fails(broken):
    """The budget counts lines of a normal width: a wider ruff setting, or a line longer than
    it, would let the count shrink without the code getting any shorter."""
    project = broken / "template" / "pyproject.toml"
    project.write_text(
        project.read_text(encoding="utf-8").replace(
            "line-length = 100", "line-length = 130"
        )
    )
    path = broken / "template" / "src" / "mlproject" / "figure.py"
    path.write_text(
        path.read_text(encoding="utf-8") + "X = 1" + " " * 100 + "# long\n"
    )
    problems = checks.check_template(broken)
    assert any("sets ruff's line-length to 130" in p for p in problems)
    assert (
        "template/src/mlproject/figure.py: line 52 is longer than 100 characters"
        in " ".join(problems)
    )


def _edit_lock(copy, old, new):
    path = copy / "template" / "requirements.lock"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_pin_that_differs_from_the_lesson_fails(broken):
    path = broken / "template" / "requirements.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "scikit-learn==1.9.1", "scikit-learn==1.8.0"
        )
    )
    _edit_lock(broken, "scikit-learn==1.9.1", "scikit-learn==1.8.0")
    problems = checks.check_template(broken)
    assert (
        "template/requirements.lock pins scikit-learn==1.8.0, the lesson's lock 1.9.1: the template must use the lesson's versions"
        in problems
    )


def test_a_lock_that_disagrees_with_requirements_fails(broken):
    _edit_lock(broken, "pandas==3.1.1", "pandas==3.1.0")
    problems = checks.check_template(broken)
    assert (
        "template: pandas is 3.1.1 in requirements.txt but 3.1.0 in requirements.lock (Windows x86-64, Python 3.13)"
        in problems
    )


def test_a_lock_that_misses_a_platform_fails(broken):
    """The old lock: a Linux `pip freeze`. A lock restricted to some platforms, or without
    colorama (which pytest needs on Windows), does not install everywhere."""
    _edit_lock(
        broken,
        "matplotlib==3.11.2 \\",
        "matplotlib==3.11.2 ; sys_platform == 'linux' \\",
    )
    _edit_lock(
        broken,
        "colorama==0.4.6 ; sys_platform == 'win32'",
        "colorama==0.4.6 ; sys_platform == 'cygwin'",
    )
    problems = checks.check_template(broken)
    assert (
        "template: matplotlib is 3.11.2 in requirements.txt but nothing in requirements.lock (macOS Intel, Python 3.11)"
        in problems
    )
    assert (
        "template/requirements.lock lacks colorama, which pytest needs on Windows (Windows x86-64, Python 3.12)"
        in problems
    )


def test_a_lock_without_hashes_fails(broken):
    path = broken / "template" / "requirements.lock"
    path.write_text(
        re.sub(
            r" \\\n    --hash=sha256:\w+", "", path.read_text(encoding="utf-8")
        ),
        encoding="utf-8",
    )
    assert (
        "template/requirements.lock pins numpy==2.4.6 without hashes"
        in checks.check_template(broken)
    )


def test_a_lock_not_compiled_for_every_platform_fails(broken):
    _edit_lock(
        broken,
        "requirements.txt --universal --generate-hashes",
        "requirements.txt --generate-hashes",
    )
    assert any(
        "was not compiled with `uv pip compile --universal --generate-hashes`"
        in p
        for p in checks.check_template(broken)
    )


def test_changed_template_data_fails(broken):
    path = broken / "template" / "data" / "raw" / "penguins.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("39.1", "39.2", 1)
    )
    problems = checks.check_template(broken)
    assert (
        "template/data/raw/penguins.csv is missing or does not match template/data/raw/SHA256SUMS"
        in problems
    )
    assert (
        "template/data/processed/penguins.csv was not made from template/data/raw/penguins.csv as it is: run prepare"
        in problems
    )


def test_processed_data_edited_by_hand_or_by_other_code_fail(broken):
    path = broken / "template" / "data" / "processed" / "penguins.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("39.1", "39.2", 1)
    )
    code = broken / "template" / "src" / "mlproject" / "prepare.py"
    code.write_text(code.read_text(encoding="utf-8") + "# changed\n")
    problems = checks.check_template(broken)
    assert (
        "template/data/processed/penguins.csv is missing or does not match its provenance.json"
        in problems
    )
    assert (
        "template/data/processed/penguins.csv was made by another prepare.py than template's: run prepare"
        in problems
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
    assert '"git", "clone"' in code and "lesson_repository()" in code
