"""The counting rules of tools/timing.py, pinned on small synthetic pages and notebooks, and
the lesson check that uses them."""

from __future__ import annotations

import json
import textwrap

from tools import lesson_checks, timing


def words(markdown: str) -> int:
    return timing.prose_words(textwrap.dedent(markdown))


def test_plain_prose_and_headings_count():
    assert words("## Two words\n\nOne two three, four.\n") == 6


def test_challenges_solutions_instructor_notes_and_going_further_do_not_count():
    page = """\
    Core one two.

    ::::{exercise} A challenge title (5 min)
    :label: ex-a

    Challenge words here.
    ::::

    ::::{solution} ex-a
    :class: dropdown

    Solution words here.
    ::::

    :::{instructor-note}
    Note words.
    :::

    :::{going-further} Optional title
    Optional words.
    :::

    Core three.
    """
    assert words(page) == 5  # "Core one two." "Core three."


def test_nested_blocks_end_at_the_right_fence():
    # An outer going-further with more colons contains a challenge, a solution and a code
    # block whose lines look like fences; everything up to the outer ":::::" is optional.
    page = """\
    Before.

    :::::{going-further} Outer
    Optional.

    ::::{exercise} Inside (5 min)
    Inner challenge.
    ::::

    ```python
    :::
    print("not a fence")
    ```

    :::{note}
    Still optional.
    :::
    More optional.
    :::::

    After the block.
    """
    assert words(page) == 4  # "Before." "After the block."


def test_a_note_inside_the_core_counts_but_not_its_syntax():
    page = """\
    :::{admonition} A title that is directive syntax
    :class: tip

    Five words inside the note.
    :::
    """
    assert words(page) == 5


def test_code_fences_math_and_comments_do_not_count():
    page = """\
    Three words here.

    ```python
    x = 1  # no words
    ```

    ~~~
    plain code
    ~~~

    ```{code-block} python
    y = 2
    ```

    $$
    a + b = c
    $$

    % a MyST comment
    <!-- an HTML
    comment -->
    (a-label)=
    Two more.
    """
    assert words(page) == 5


def test_roles_count_as_what_a_reader_sees():
    assert words("A {term}`random seed` here.") == 4
    assert words("See {doc}`the third episode </episodes/03-x>`.") == 4
    assert (
        words("See {doc}`/episodes/03-x`.") == 2
    )  # the target's title: one word
    assert (
        words(
            "It was {glue:text}`../notebooks/01-x.ipynb::acc:.1f`% accurate."
        )
        == 4
    )
    assert words("As shown {cite:p}`smith2020,jones2021`.") == 2
    assert words("Use `random_state=0` here.") == 3
    assert (
        words("A [link text](https://example.org) and ![an image](x.png).")
        == 4
    )


def test_tables_count_their_words_not_their_rules():
    assert words("| a | b |\n|:--|--:|\n| one | two |\n") == 4


def notebook(*cells):
    return {
        "cells": list(cells),
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def code(source, *tags):
    return {
        "cell_type": "code",
        "source": source,
        "metadata": {"tags": list(tags)},
        "outputs": [],
    }


def test_code_lines_are_statements_whatever_the_formatting():
    assert (
        timing.code_lines(
            "x = f(\n    a,\n    b,\n)\n# a comment\n\ny = 2\n%matplotlib inline\n"
        )
        == 2
    )
    assert timing.code_lines("for i in range(3):\n    total += i\n") == 2


def test_live_code_lines_count_the_live_code_cells_of_the_core():
    nb = notebook(
        code(
            "# Fit the model\nmodel.fit(X, y)\n\n  # a comment\nscore = model.score(X, y)\n",
            "live-code",
        ),
        code(["# Plot\n", "plt.plot(x)\n"], "live-code"),
        code("not = 'live'\n"),  # filled in for learners
        code("# Optional\nextra = 1\n", "live-code", "going-further"),
        {
            "cell_type": "markdown",
            "source": "# Heading\ntext",
            "metadata": {"tags": ["live-code"]},
        },
    )
    assert timing.live_code_lines(nb) == 3


def write_episode(root, slug, teaching, body, cells):
    (root / "episodes").mkdir(exist_ok=True)
    (root / "notebooks").mkdir(exist_ok=True)
    front = textwrap.dedent(
        f"""\
        ---
        title: "T"
        teaching: {teaching}
        exercises: 5
        questions: ["Q?"]
        objectives: ["O."]
        keypoints: ["K."]
        ---
        """
    )
    (root / "episodes" / f"{slug}.md").write_text(
        front + body, encoding="utf-8"
    )
    (root / "notebooks" / f"{slug}.ipynb").write_text(
        json.dumps(notebook(*cells)), encoding="utf-8"
    )


def practice(label):
    return {
        "cell_type": "markdown",
        "source": f"<!-- practice: {label} -->\nThe prompt.",
        "metadata": {},
    }


PAGE = """\
## First part

{words_1}

:::{{quick-check}} Which one?
:label: qc-01-which
- option: A
  why: Wrong.
- option: B
  correct: true
  why: Right.
:::

## Second part

{words_2}

::::{{exercise}} Do it (5 min)
:label: ex-01-do

Words of the challenge do not count.
::::
"""


def test_the_model_adds_words_code_sections_and_quick_checks(tmp_path):
    # 2 x 88 words = 2 min; 6 live lines = 2 min; 14 shown lines = 2 min; 2 sections = 2 min.
    body = PAGE.format(
        words_1=" ".join(["word"] * 86), words_2=" ".join(["word"] * 86)
    )  # + 2 per heading
    cells = [
        code("# type\n" + "x = 1\n" * 3, "live-code"),
        code("y = 2\n" * 7),
        practice("qc-01-which"),
        code("# more\n" + "x = 1\n" * 3, "live-code"),
        code("y = 2\n" * 7),
        practice("ex-01-do"),
        code("hidden = 1\n" * 50, "plumbing"),
    ]
    write_episode(tmp_path, "01-model", 10, body, cells)
    (time,) = timing.lesson_times(tmp_path)
    assert time.aligned and time.quick_checks == 1
    assert [round(s.minutes, 2) for s in time.stretches] == [4.0, 4.0, 0.0]
    assert round(time.minutes, 2) == 10.0  # and the quick check's 2 minutes
    assert [s.ends_with for s in time.stretches] == [
        "quick check qc-01-which",
        "challenge ex-01-do",
        "",
    ]
    assert [p for p in time.problems() if "pre-filled" not in p] == []


def test_the_check_fails_on_each_rule(tmp_path):
    body = PAGE.format(words_1=" ".join(["word"] * 88 * 16), words_2="short")
    cells = [
        code("y = 2\n" * 70),
        practice("ex-01-do"),
        practice("qc-01-which"),
    ]  # swapped order
    write_episode(
        tmp_path,
        "01-long",
        10,
        body.replace(":::{quick-check}", ":::{note}"),
        cells,
    )
    problems = lesson_checks.check_timing(tmp_path)
    assert any(
        "declares 10 teaching min, the model gives" in p for p in problems
    )
    assert any(
        "practice cells do not match the page's challenges" in p
        for p in problems
    )
    assert any(
        "modelled min without practice from 'First part'" in p
        for p in problems
    )
    assert any("has no quick check" in p for p in problems)
    assert any("lines of pre-filled core code" in p for p in problems)
    assert any("fewer than the 192 they did" in p for p in problems)
    assert timing.main(["--root", str(tmp_path), "--check"]) == 1
