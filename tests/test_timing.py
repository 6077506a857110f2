"""The counting rules of tools/timing.py, pinned on small synthetic pages and notebooks, and
the lesson check that uses them."""

from __future__ import annotations

import json
import textwrap

import lesson_checks
import timing


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
    assert words("See {doc}`/episodes/03-x`.") == 2  # the target's title: one word
    assert words("It was {glue:text}`../notebooks/01-x.ipynb::acc:.1f`% accurate.") == 4
    assert words("As shown {cite:p}`smith2020,jones2021`.") == 2
    assert words("Use `random_state=0` here.") == 3
    assert words("A [link text](https://example.org) and ![an image](x.png).") == 4


def test_tables_count_their_words_not_their_rules():
    assert words("| a | b |\n|:--|--:|\n| one | two |\n") == 4


def notebook(*cells):
    return {"cells": list(cells), "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def code(source, *tags):
    return {"cell_type": "code", "source": source, "metadata": {"tags": list(tags)}, "outputs": []}


def test_live_code_lines_are_non_blank_non_comment_lines_of_live_code_cells():
    nb = notebook(
        code("# Fit the model\nmodel.fit(X, y)\n\n  # a comment\nscore = model.score(X, y)\n", "live-code"),
        code(["# Plot\n", "plt.plot(x)\n"], "live-code"),
        code("not = 'live'\n"),  # filled in for learners
        code("# Optional\nextra = 1\n", "live-code", "going-further"),
        {"cell_type": "markdown", "source": "# Heading\ntext", "metadata": {"tags": ["live-code"]}},
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
        exercises: 0
        questions: ["Q?"]
        objectives: ["O."]
        keypoints: ["K."]
        ---
        """
    )
    (root / "episodes" / f"{slug}.md").write_text(front + body, encoding="utf-8")
    (root / "notebooks" / f"{slug}.ipynb").write_text(json.dumps(notebook(*cells)), encoding="utf-8")


def test_density_and_the_lesson_check(tmp_path):
    ok_words = " ".join(["word"] * 53 * 2)  # exactly the limit for 2 minutes
    write_episode(tmp_path, "01-fits", 2, ok_words + "\n", [code("# five\n" + "x = 1\n" * 5, "live-code")])
    write_episode(tmp_path, "02-dense", 2, ok_words + " one-more\n", [code("# six\n" + "x = 1\n" * 6, "live-code")])
    densities = timing.lesson_density(tmp_path)
    assert [(d.slug, d.words, d.lines) for d in densities] == [("01-fits", 106, 5), ("02-dense", 107, 6)]
    assert densities[0].problems() == []
    assert densities[1].words_per_minute == 53.5 and densities[1].lines_per_minute == 3.0
    problems = lesson_checks.check_timing(tmp_path)
    assert len(problems) == 2
    words_problem, lines_problem = problems
    assert words_problem.startswith("episodes/02-dense.md: ")
    assert "107 core words in 2 teaching min = 53.5 words/min (limit 53" in words_problem
    assert "going-further" in words_problem and "raise `teaching`" in words_problem
    assert lines_problem.startswith("notebooks/02-dense.ipynb: ")
    assert "6 live-coded lines in 2 teaching min = 3.0 lines/min (limit 2.5" in lines_problem
    assert "going-further" in lines_problem and "raise `teaching`" in lines_problem
    assert "02-dense" in timing.report(densities) and "TOO DENSE: words, lines" in timing.report(densities)
    assert timing.main(["--root", str(tmp_path), "--check"]) == 1
