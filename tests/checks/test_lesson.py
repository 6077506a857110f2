"""Lesson checks on the real lesson, and proof that each check fails when its rule is broken."""

from __future__ import annotations

import json
import shutil

import pytest

from tools import lesson_checks as checks


@pytest.mark.parametrize("check", checks.FAST_CHECKS, ids=lambda c: c.__name__)
def test_lesson_passes(root, check):
    """Every check passes on the lesson; the tests below show each fails when its rule is
    broken."""
    assert check(root) == []


@pytest.fixture
def broken(tmp_path, root):
    """A copy of the lesson's sources to break on purpose."""
    ignore = shutil.ignore_patterns(
        ".venv*",
        "_build",
        ".git",
        "__pycache__",
        "*.egg-info",
        ".pytest_cache",
    )
    copy = tmp_path / "lesson"
    shutil.copytree(root, copy, ignore=ignore)
    return copy


def first_episode(lesson):
    return sorted((lesson / "episodes").glob("*.md"))[0]


def test_missing_front_matter_key_fails(broken):
    path = first_episode(broken)
    path.write_text(path.read_text().replace("keypoints:", "key_points:", 1))
    assert any(
        "missing front matter key 'keypoints'" in p
        for p in checks.check_episodes(broken)
    )


def test_episode_without_notebook_fails(broken):
    path = first_episode(broken)
    (broken / "notebooks" / f"{path.stem}.ipynb").unlink()
    assert any(
        "no paired notebook" in p for p in checks.check_episodes(broken)
    )


def test_challenge_without_solution_or_minutes_fails(broken):
    path = first_episode(broken)
    text = path.read_text()
    text = text.replace(
        "::::{solution} ex-01-which-word", "::::{solution} ex-01-other", 1
    )
    text = text.replace("Which word fits? (5 min)", "Which word fits?", 1)
    path.write_text(text)
    problems = checks.check_episodes(broken)
    assert any("'Which word fits?' has no solution" in p for p in problems)
    assert any("has no '(N min)' estimate" in p for p in problems)
    assert any("challenges add up to" in p for p in problems)


def test_markdown_image_without_alt_fails(broken):
    path = first_episode(broken)
    path.write_text(path.read_text() + "\n![](figure.png)\n")
    assert any(
        "image figure.png has no alt text" in p
        for p in checks.check_alt_text(broken)
    )


def test_lesson_figure_without_alt_fails(broken):
    path = first_episode(broken)
    text = path.read_text()
    start = text.index(":alt:", text.index("{lesson-figure}"))
    end = text.index("\n", start)
    path.write_text(text[:start] + text[end + 1 :])
    assert any(
        "lesson-figure has no :alt: text" in p
        for p in checks.check_alt_text(broken)
    )


def test_notebook_figure_without_alt_fails(broken):
    path = sorted((broken / "notebooks").glob("*.ipynb"))[0]
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("mystnb", None)
    path.write_text(json.dumps(nb))
    assert any(
        "draws a figure without alt text" in p
        for p in checks.check_alt_text(broken)
    )


def test_page_missing_from_toc_fails(broken):
    (broken / "learners" / "extra.md").write_text("# Extra\n")
    assert "learners/extra.md is not in _toc.yml" in checks.check_toc(broken)


def test_toc_entry_without_file_fails(broken):
    toc = broken / "_toc.yml"
    toc.write_text(
        toc.read_text().replace(
            "- file: learners/license", "- file: learners/licence"
        )
    )
    assert (
        "_toc.yml lists learners/licence, which does not exist"
        in checks.check_toc(broken)
    )


def test_changed_data_fails_the_checksum_check(broken):
    path = broken / "data" / "penguins.csv"
    path.write_text(path.read_text().replace("39.1", "39.2", 1))
    assert checks.check_data(broken) == [
        "data/penguins.csv does not match its checksum in SHA256SUMS"
    ]


def test_a_hand_edited_export_fails(broken):
    path = broken / "requirements.txt"
    path.write_text(
        path.read_text().replace(
            "scikit-learn==1.9.1", "scikit-learn==1.9.0", 1
        )
    )
    assert (
        "requirements.txt is not the current export of uv.lock's 'learners' group: run `make lock`"
        in checks.check_environment_files(broken)
    )


def test_environment_yml_must_install_the_export_for_the_supported_pythons(
    broken,
):
    env = broken / "environment.yml"
    env.write_text(
        env.read_text()
        .replace("python>=3.11,<3.14", "python=3.11")
        .replace("-r requirements.txt", "numpy==2.4.6")
    )
    problems = checks.check_environment_files(broken)
    assert (
        "environment.yml must ask for python>=3.11,<3.14 (pyproject.toml's requires-python)"
        in problems
    )
    assert (
        "environment.yml must install the learners' export with pip: '-r requirements.txt'"
        in problems
    )


def test_unsupported_binder_python_fails(broken):
    (broken / "binder" / "runtime.txt").write_text("python-3.10\n")
    assert any(
        p.startswith("binder/runtime.txt says python-3.10")
        for p in checks.check_environment_files(broken)
    )


def test_a_package_without_a_wheel_fails(broken):
    lock = broken / "uv.lock"
    text = lock.read_text()
    # Drop numpy's Windows wheels: pip would have to compile numpy there.
    kept = [
        line
        for line in text.splitlines(keepends=True)
        if not ("numpy-2.4.6-" in line and "win_amd64" in line)
    ]
    lock.write_text("".join(kept))
    problems = checks.check_wheels(broken)
    assert (
        "uv.lock: numpy==2.4.6 has no wheel for Python 3.13 on Windows x86-64"
        in problems
    )
    assert not any("Linux" in p for p in problems)


def test_stale_setup_cell_or_error_output_fails(broken):
    path = sorted((broken / "notebooks").glob("*.ipynb"))[0]
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[0]["source"] = "import lessonkit\n"
    code[1]["outputs"].append(
        {
            "output_type": "error",
            "ename": "ValueError",
            "evalue": "",
            "traceback": [],
        }
    )
    code[2]["execution_count"] = 99
    path.write_text(json.dumps(nb))
    problems = checks.check_notebooks(broken)
    assert any("not the current set-up cell" in p for p in problems)
    assert any("stores an error" in p for p in problems)
    assert any("not executed top to bottom" in p for p in problems)


def test_binder_must_install_the_notebooks_export(broken):
    (broken / "binder" / "requirements.txt").write_text("scikit-learn\n")
    assert (
        "binder/requirements.txt is not the current export of uv.lock's 'notebooks' group: run `make lock`"
        in checks.check_environment_files(broken)
    )


def test_a_plan_that_outgrows_its_slot_fails(broken):
    path = first_episode(broken)
    path.write_text(
        path.read_text().replace("teaching: ", "teaching: 1", 1)
    )  # 25 -> 125 minutes
    problems = checks.check_variants(broken)
    assert problems and all(
        p.startswith("instructors/guide.md: lesson-variants: ")
        for p in problems
    )
    assert "re-plan this variant" in problems[0]


def test_colab_times_must_cover_every_notebook_and_meet_the_targets(broken):
    page = broken / "instructors" / "execution-statistics.md"
    text = page.read_text()
    first = sorted((broken / "notebooks").glob("[0-9][0-9]-*.ipynb"))[0].name
    colab = text.index(
        "<!-- colab-times: start"
    )  # the page's other table lists the notebooks too
    row = next(
        line
        for line in text[colab:].splitlines()
        if line.startswith(f"| {first} |")
    )
    assert text.count(row) == 1
    page.write_text(
        text.replace(row, f"| {first} | 75 | 2 | 3.0 | 2026-12-01 |")
    )
    assert any(
        f"{first} on Colab: set-up 75 s with 2 restarts" in p
        for p in checks.check_colab_times(broken)
    )
    page.write_text(text.replace(row + "\n", ""))
    assert any(
        f"no Colab set-up time for {first}" in p
        for p in checks.check_colab_times(broken)
    )


def test_notebook_times_must_cover_every_notebook_and_meet_the_budget(broken):
    from tools import notebooks as nbtools

    names = [
        p.name
        for p in sorted((broken / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    ]
    within = {
        "wall_s": 12.0,
        "peak_mb": 300.0,
        "cell_s": 2.0,
        "date": "2026-12-01",
    }

    def record(rows):
        nbtools.record_table(
            nbtools.NOTEBOOK_MARKERS, nbtools.notebook_table(rows), broken
        )
        return checks.check_notebook_times(broken)

    assert record([{"notebook": name, **within} for name in names]) == []
    # At the budget is over it ("under 20 s"): each of the three limits is reported.
    problems = record(
        [
            {
                "notebook": names[0],
                "wall_s": 20.0,
                "peak_mb": 700.0,
                "cell_s": 5.0,
                "date": "2026-12-01",
            }
        ]
        + [{"notebook": name, **within} for name in names[1:]]
    )
    assert problems == [
        f"notebooks/{names[0]} is over budget: {what}; make it faster or leaner, then run `make benchmark` "
        "(or `python -m tools.notebooks benchmark --record`)"
        for what in (
            "wall time 20 s (budget: under 20 s)",
            "peak memory 700 MB (budget: under 700 MB)",
            "slowest cell 5 s (budget: under 5 s)",
        )
    ]
    problems = record(
        [{"notebook": name, **within} for name in names[1:]]
        + [{"notebook": "99-gone.ipynb", **within}]
    )
    assert any(f"no time and memory for {names[0]}" in p for p in problems)
    assert any(
        "a row for 99-gone.ipynb, which is not in notebooks/" in p
        for p in problems
    )
    page = broken / "instructors" / "execution-statistics.md"
    page.write_text(page.read_text().replace(nbtools.NOTEBOOK_MARKERS[1], ""))
    assert checks.check_notebook_times(broken) == [
        "instructors/execution-statistics.md: the notebook table's markers are missing"
    ]


def test_every_notebook_takes_its_seed_from_the_lesson(root):
    """One seed source: every notebook reads LESSON_SEED through lessonkit.lesson_seed(), so
    that a learner's seed and the sweep's reach every draw."""
    from tools import notebooks as nbtools

    missing = [
        p.name
        for p in nbtools.lesson_notebooks(root)
        if "lesson_seed()" not in p.read_text(encoding="utf-8")
    ]
    assert not missing, (
        f"these notebooks do not take their seed from lessonkit.lesson_seed(): {missing}"
    )
