"""This round's mechanisms, each shown to fail when its rule is broken: quick checks, practice
cells, helper cells, type-along strands, per-episode challenge numbers and the seed sweep's
record."""

from __future__ import annotations

import json
import shutil
import textwrap

import nbformat
import pytest

from tools import lesson_checks, lesson_meta, notebooks, practice, seeds
from tools.lesson_ext import _number_challenges

QUICK_CHECK = """\
:::{quick-check} Which one?
:label: qc-01-which
- option: A
  why: Wrong because of X.
- option: B
  correct: true
  why: Right.
- option: C
  why: Wrong because of Y.
:::
"""


def test_a_quick_check_needs_three_or_four_options_one_right_and_every_why():
    body = QUICK_CHECK.split("\n", 2)[2].rsplit(":::", 1)[0]
    assert [o["correct"] for o in lesson_meta.quick_check_options(body)] == [
        False,
        True,
        False,
    ]
    with pytest.raises(lesson_meta.QuickCheckError, match="2 options"):
        lesson_meta.quick_check_options(
            "- option: A\n  why: w\n  correct: true\n- option: B\n  why: w\n"
        )
    with pytest.raises(
        lesson_meta.QuickCheckError, match="0 options are marked"
    ):
        lesson_meta.quick_check_options(body.replace("  correct: true\n", ""))
    with pytest.raises(
        lesson_meta.QuickCheckError, match="why it is right or wrong"
    ):
        lesson_meta.quick_check_options(
            body.replace("  why: Wrong because of Y.\n", "")
        )


def test_practice_items_come_in_the_pages_order():
    page = QUICK_CHECK + textwrap.dedent("""
        ::::{exercise} Do it (5 min)
        :label: ex-01-do

        Write `code`.
        ::::

        ::::{solution} ex-01-do
        :class: dropdown

        ```python
        x = 1
        ```
        ::::
        """)
    items = lesson_meta.practice_items(page)
    assert [(i.kind, i.label) for i in items] == [
        ("quick check", "qc-01-which"),
        ("challenge", "ex-01-do"),
    ]
    assert (
        items[1].title == "Do it"
        and items[1].has_code
        and not items[0].has_code
    )


@pytest.fixture
def lesson(tmp_path, root):
    """A copy of the lesson's episodes, notebooks, type-along notebooks and bibliography."""
    copy = tmp_path / "lesson"
    for folder in ("episodes", "notebooks", "type-along"):
        shutil.copytree(root / folder, copy / folder)
    for name in ("references.bib", "pyproject.toml"):
        shutil.copy(root / name, copy / name)
    return copy


def _with_practice(lesson, slug="01-why-reproducibility"):
    """Episode 01 with one more quick check, and its notebook with a practice cell for each
    challenge and quick check, in page order, at its end."""
    page = lesson / "episodes" / f"{slug}.md"
    text = page.read_text()
    first_section = text.index("\n## ", text.index("---", 4))
    page.write_text(
        text[:first_section] + "\n\n" + QUICK_CHECK + text[first_section:]
    )
    items = lesson_meta.practice_items(lesson_meta.read_episode(page).body)
    path = lesson / "notebooks" / f"{slug}.ipynb"
    nb = nbformat.read(path, as_version=4)
    # Whatever practice cells the notebook has today go: the test places its own, at the end.
    nb.cells = [
        c for c in nb.cells if not c.source.startswith("<!-- practice:")
    ]
    for item in items:
        nb.cells.append(
            nbformat.v4.new_markdown_cell(f"<!-- practice: {item.label} -->")
        )
    nbformat.write(nb, path)
    return page, path, items


def problems_01(lesson):
    return [
        p for p in practice.problems(lesson) if "01-why-reproducibility" in p
    ]


def test_practice_cells_are_filled_from_the_page_and_checked(lesson):
    page, path, items = _with_practice(lesson)
    assert any("not current with episodes" in p for p in problems_01(lesson))
    nb = nbformat.read(path, as_version=4)
    practice.fill(nb, path, lesson)
    nbformat.write(nb, path)
    assert problems_01(lesson) == []
    quick = next(
        c.source
        for c in nb.cells
        if c.source.startswith("<!-- practice: qc-01-which")
    )
    assert (
        "**Quick check (2 min).** Which one?" in quick
        and "- **B.** B" in quick
    )
    assert (
        "<details><summary>Answer</summary>" in quick
        and "- **A.** Wrong because of X." in quick
    )
    challenge = next(
        c.source
        for c in nb.cells
        if c.source.startswith("<!-- practice: ex-01-hunt")
    )
    assert (
        "### Challenge: Hunt the randomness (10 min)" in challenge
        and "<details><summary>Solution" in challenge
    )
    code = [
        c
        for c in nb.cells
        if c.cell_type == "code" and "practice" in c.metadata.get("tags", [])
    ]
    assert [c.source for c in code] == [
        "# Challenge: Hunt the randomness. Your code here:"
    ]  # its solution has code
    # The type-along notebook shows the prompts without the answers.
    typed = notebooks.type_along(nb, path.name)
    shown = next(
        c.source
        for c in typed.cells
        if c.source.startswith("<!-- practice: qc-01-which")
    )
    assert "<details>" not in shown and "- **C.** C" in shown
    # A practice cell missing, or out of the page's order: the check says so.
    marks = [c for c in nb.cells if c.source.startswith("<!-- practice: ")]
    nb.cells.remove(marks[0])
    nb.cells.append(marks[0])
    nbformat.write(nb, path)
    assert any("not in the page's order" in p for p in problems_01(lesson))
    nb.cells.remove(marks[0])
    nbformat.write(nb, path)
    assert any(
        "0 practice cells for qc-01-which" in p for p in problems_01(lesson)
    )


def test_myst_in_a_practice_item_becomes_what_jupyter_shows(root):
    text = (
        "A {term}`random seed` and {term}`the folds <k-fold cross-validation>`, "
        "{cite:p}`dietterich1998approximate`, {doc}`episode 03 </episodes/03-benchmarking>`, "
        "{glue:text}`../notebooks/01-why-reproducibility.ipynb::n_penguins:d` penguins."
    )
    assert practice.to_markdown(text, root) == (
        "A random seed and the folds, (Dietterich 1998), episode 03, 344 penguins."
    )
    with pytest.raises(practice.PracticeError, match="lesson-figure"):
        practice.to_markdown(
            ":::{lesson-figure} x\n:alt: y\ncaption\n:::", root
        )


def test_a_helper_cell_is_collapsed_and_titled_by_its_comment():
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "# Helper: simulate patients\ndef simulate():\n    pass",
            metadata={"tags": ["helper"]},
        )
    ]
    assert notebooks.tidy(nb)
    cell = nb.cells[0]
    assert cell.source.startswith("# @title Helper: simulate patients\n")
    assert (
        cell.metadata["jupyter"]["source_hidden"]
        and cell.metadata["cellView"] == "form"
    )
    assert "hide-input" in cell.metadata["tags"]
    assert not notebooks.tidy(nb)  # stable
    cell.metadata["tags"] = []  # no longer a helper: undone
    assert notebooks.tidy(nb) and cell.source.startswith(
        "# Helper: simulate patients\n"
    )
    assert "cellView" not in cell.metadata


def _notebook(*cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)})
        for source, *tags in cells
    ]
    return nb


def test_a_stranded_name_is_found_and_a_named_one_passes(tmp_path):
    (tmp_path / "notebooks").mkdir()
    path = tmp_path / "notebooks" / "01-x.ipynb"
    nb = _notebook(
        ("import pandas as pd",),
        ("# Cross-validate\ncv = 5\nscores = [1, 2]", "live-code"),
        ("print(pd.Series(scores).mean(), cv)",),
        ("claim(cv == 5, 'x')", "plumbing"),
    )
    nbformat.write(nb, path)
    (problem,) = lesson_checks.check_strands(tmp_path)
    assert (
        "the comment of live-code cell 1 does not name cv, scores, which cell 2 read"
        in problem
    )
    nb.cells[
        1
    ].source = "# Cross-validate → cv, scores\ncv = 5\nscores = [1, 2]"
    nbformat.write(nb, path)
    assert lesson_checks.check_strands(tmp_path) == []
    nb.cells.insert(
        2,
        nbformat.v4.new_code_cell(
            "# Cross-validate → cv, scores\ncv = 3",
            metadata={"tags": ["live-code"]},
        ),
    )
    nbformat.write(nb, path)
    assert any(
        "have the same comment" in p
        for p in lesson_checks.check_strands(tmp_path)
    )


def test_challenges_are_numbered_per_page():
    body = (
        '<div class="exercise admonition" id="ex-a">\n<p class="admonition-title">Exercise (First)</p>'
        '<div class="exercise admonition" id="ex-b">\n<p class="admonition-title">Exercise (Is <code>x</code> (big)?)</p>'
        '<p class="admonition-title">Solution to<a class="reference internal" href="#ex-b"> Exercise (Is <code>x</code> (big)?)</a></p>'
    )
    numbered = _number_challenges(body)
    assert (
        "Challenge 1: First</p>" in numbered
        and "Challenge 2: Is <code>x</code> (big)?</p>" in numbered
    )
    assert (
        'href="#ex-b"> Challenge 2: Is <code>x</code> (big)?</a>' in numbered
        and "Exercise" not in numbered
    )


def _record(path, held, stopped=()):
    runs = [
        {
            "notebook": path.name,
            "seed": seed,
            "error": f"boom {seed}" if seed in stopped else None,
            "seconds": 1.0,
            "claims": [
                {
                    "claim": "the claim",
                    "held": seed in held,
                    "seed": seed,
                    "numbers": {},
                },
                # stated second, sorted first: the page keeps the notebook's order
                {
                    "claim": "a claim stated second",
                    "held": True,
                    "seed": seed,
                    "numbers": {},
                },
            ],
        }
        for seed in range(20)
    ]
    return seeds.summarise(path, runs)


def test_the_seed_record_fails_below_20_of_20_when_stale_and_when_not_shown(
    tmp_path, root
):
    lesson = tmp_path / "lesson"
    for name in ("notebooks", "data", "instructors", "episodes"):
        shutil.copytree(root / name, lesson / name)
    shutil.copy(root / "pyproject.toml", lesson / "pyproject.toml")
    paths = notebooks.lesson_notebooks(lesson)
    record = {path.name: _record(path, held=range(20)) for path in paths}
    seeds.write(record, lesson)
    assert seeds.problems(lesson) == []
    record[paths[0].name] = _record(paths[0], held=range(17), stopped=(3,))
    seeds.write(record, lesson)
    found = seeds.problems(lesson)
    assert any("claim held at 17 of 20 seeds: 'the claim'" in p for p in found)
    assert any("stopped at seed 3: boom 3" in p for p in found)
    nb = json.loads(paths[1].read_text())
    code = next(
        c
        for c in nb["cells"]
        if c["cell_type"] == "code"
        and "lesson-setup" not in c["metadata"].get("tags", [])
    )
    code["source"] = "".join(code["source"]) + "\nx = 1"
    paths[1].write_text(json.dumps(nb))
    assert any(
        f"the sweep of {paths[1].name} is older than its code" in p
        for p in seeds.problems(lesson)
    )
    page = lesson / "instructors" / "execution-statistics.md"
    page.write_text(page.read_text().replace("20/20", "19/20", 1))
    assert any(
        "does not show instructors/seed-sweep.json" in p
        for p in seeds.problems(lesson)
    )


def test_the_fresh_seed_is_outside_the_sweep_and_follows_the_commit(root):
    seed = seeds.fresh_seed(root)
    assert seed >= 20 and seed == seeds.fresh_seed(root)


def test_the_first_cell_is_short_and_fits_the_column(root, tmp_path):
    """At most 15 lines of at most 79 characters, as ruff formats it (it must stay as
    generated), and the same in every notebook but for its name and extra."""
    import subprocess
    import sys

    for path in notebooks.lesson_notebooks(root):
        source = notebooks.setup_cell_source(
            root, extra=notebooks.extra_of_path(path), slug=path.stem
        )
        lines = source.split("\n")
        assert len(lines) <= 15 and max(map(len, lines)) <= 79, path.name
        assert lines[-1].endswith(
            f'.setup("{path.stem}"'
            + (', "deep-learning")' if "09" in path.name else ")")
        )
        copy = tmp_path / f"{path.stem}.py"
        copy.write_text(source + "\n")
        done = subprocess.run([sys.executable, "-m", "ruff", "format", "--check", "--config",
                               str(root / "pyproject.toml"), str(copy)], capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr


def test_a_bare_assert_in_a_plumbing_cell_fails(tmp_path, root):
    shutil.copytree(root / "notebooks", tmp_path / "notebooks")
    path = sorted((tmp_path / "notebooks").glob("0*.ipynb"))[0]
    nb = nbformat.read(path, as_version=4)
    cell = next(
        c
        for c in nb.cells
        if "plumbing" in c.metadata.get("tags", []) and "claim(" in c.source
    )
    cell.source += "\nassert 1 < 2, 'one is less than two'"
    nbformat.write(nb, path)
    assert any(
        "bare assert" in p for p in lesson_checks.check_cell_tags(tmp_path)
    )
