"""The cell-tag rules (tools/notebooks.py tidy) and their lesson check, on synthetic notebooks."""

from __future__ import annotations

import copy
import json

from tools import lesson_checks
from tools import notebooks as nbtools


def code(source, *tags, **metadata):
    meta = dict(metadata)
    if tags:
        meta["tags"] = list(tags)
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": "x",
        "metadata": meta,
        "outputs": [],
        "source": source,
    }


def markdown(source):
    return {
        "cell_type": "markdown",
        "id": "m",
        "metadata": {},
        "source": source,
    }


def notebook(*cells):
    return {
        "cells": list(cells),
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def test_plumbing_is_collapsed_in_jupyterlab_and_colab_and_removed_from_the_site():
    nb = notebook(code('glue("acc", acc, display=False)', "plumbing"))
    assert nbtools.tidy(nb)
    cell = nb["cells"][0]
    assert cell["metadata"]["jupyter"] == {"source_hidden": True}
    assert cell["metadata"]["cellView"] == "form"
    assert cell["metadata"]["tags"] == ["plumbing", "remove-cell"]
    assert (
        cell["source"]
        == nbtools.PLUMBING_TITLE + '\nglue("acc", acc, display=False)'
    )
    assert not nbtools.tidy(nb), "tidy is idempotent"


def test_plumbing_shown_stays_visible_and_untagging_undoes_the_rule():
    nb = notebook(
        code("glue('n', n)", "plumbing"),
        code("glue('m', m)", "plumbing-shown"),
    )
    original = copy.deepcopy(nb)
    nbtools.tidy(nb)
    assert nb["cells"][1] == original["cells"][1]
    nb["cells"][0]["metadata"]["tags"] = []
    nbtools.tidy(nb)
    assert nb["cells"][0]["source"] == "glue('n', n)"
    assert (
        nb["cells"][0]["metadata"] == {"tags": []}
        or nb["cells"][0]["metadata"] == {}
    )


def write_lesson(tmp_path, *notebooks):
    folder = tmp_path / "notebooks"
    folder.mkdir(parents=True)
    for number, nb in enumerate(notebooks, start=1):
        (folder / f"{number:02d}-x.ipynb").write_text(
            json.dumps(nb), encoding="utf-8"
        )
    return tmp_path


def good_lesson():
    first = notebook(
        markdown("# One"),
        code("# Fit the forest\nforest.fit(X, y)\n", "live-code"),
        markdown("How the numbers reach the page: glue."),
        code("glue('acc', acc)", "plumbing-shown"),
        code(
            "claim(acc > 0.5, 'the forest beats chance', acc=acc)",
            "plumbing",
        ),
    )
    second = notebook(
        markdown("# Two"),
        code("x = 1"),
        code("lessonkit.glue('x', x)", "plumbing"),
    )
    for nb in (first, second):
        nbtools.tidy(nb)
    return first, second


def test_a_good_lesson_passes(tmp_path):
    assert (
        lesson_checks.check_cell_tags(write_lesson(tmp_path, *good_lesson()))
        == []
    )


def test_glue_outside_plumbing_fails_but_a_comment_or_string_does_not(
    tmp_path,
):
    first, second = good_lesson()
    second["cells"].append(code("score = 1\nglue ('score', score)"))
    second["cells"].append(code("# we glue( nothing here\ntext = 'glue(x)'"))
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path, first, second)
    )
    assert problems == [
        "notebooks/02-x.ipynb: cell 3 calls glue(): move the call into a cell tagged plumbing (or the one plumbing-shown cell)"
    ]


def test_untidied_plumbing_fails(tmp_path):
    first, second = good_lesson()
    second["cells"].append(code("glue('y', 2)", "plumbing"))
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path, first, second)
    )
    assert problems == [
        "notebooks/02-x.ipynb: plumbing cells lack their metadata: run `python -m tools.notebooks tidy notebooks/02-x.ipynb`"
    ]


def test_exactly_one_explained_plumbing_shown(tmp_path):
    first, second = good_lesson()
    second["cells"][2]["metadata"]["tags"] = ["plumbing-shown"]
    nbtools.tidy(second)
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path, first, second)
    )
    assert any(
        "cell 2 is plumbing-shown: put a markdown cell before it" in p
        for p in problems
    )
    assert any(
        p.startswith("the lesson has 2 plumbing-shown cells") for p in problems
    )
    first["cells"][3]["metadata"]["tags"] = ["plumbing"]
    second["cells"][2]["metadata"]["tags"] = ["plumbing"]
    for nb in (first, second):
        nbtools.tidy(nb)
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path / "b", first, second)
    )
    assert problems == [
        "the lesson has 0 plumbing-shown cells (none): exactly one plumbing cell (in notebook 01) stays visible on the site, to show how numbers reach the prose"
    ]


def test_ci_only_settings_leave_learner_facing_cells(tmp_path):
    first, second = good_lesson()
    second["cells"].append(
        code(
            'environment.pop("CI", None)\nos.environ["PYTHONDONTWRITEBYTECODE"] = "1"'
        )
    )
    second["cells"].append(
        code("settings.register_profile('lesson', print_blob=False)")
    )
    second["cells"].append(
        code("# CI servers set CI; ours too\nci = 'ci'")
    )  # a comment, another word
    second["cells"].append(code('environment.pop("CI", None)', "plumbing"))
    nbtools.tidy(second)
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path, first, second)
    )
    assert [p.split(", which")[0] for p in problems] == [
        "notebooks/02-x.ipynb: cell 3 sets CI",
        "notebooks/02-x.ipynb: cell 3 sets PYTHONDONTWRITEBYTECODE",
        "notebooks/02-x.ipynb: cell 4 sets print_blob",
    ]


def test_live_code_cells_start_with_a_comment_and_are_core(tmp_path):
    first, second = good_lesson()
    second["cells"].append(code("forest.fit(X, y)", "live-code"))
    second["cells"].append(
        code("# Optional\nx = 2", "live-code", "going-further")
    )
    second["cells"].append(
        markdown("text") | {"metadata": {"tags": ["live-code"]}}
    )
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path, first, second)
    )
    assert len(problems) == 3
    assert (
        "cell 3 is tagged live-code: its first line must be a comment"
        in problems[0]
    )
    assert "cell 4 is tagged live-code and going-further" in problems[1]
    assert "cell 5 is tagged live-code but is not a code cell" in problems[2]


def test_gpu_cells_ask_for_a_gpu_and_are_not_compared(tmp_path):
    first, second = good_lesson()
    guarded = (
        "if torch.cuda.is_available():\n    run()\nelse:\n    print('No GPU')"
    )
    second["cells"].append(code(guarded, "gpu", "nbval-ignore-output"))
    assert (
        lesson_checks.check_cell_tags(
            write_lesson(tmp_path / "a", first, second)
        )
        == []
    )
    second["cells"].append(code(guarded, "gpu"))
    second["cells"].append(
        code("run_on('cuda')", "gpu", "nbval-ignore-output")
    )
    problems = lesson_checks.check_cell_tags(
        write_lesson(tmp_path / "b", first, second)
    )
    assert [p.split(" is tagged")[0] for p in problems] == [
        "notebooks/02-x.ipynb: cell 4",
        "notebooks/02-x.ipynb: cell 5",
    ]
