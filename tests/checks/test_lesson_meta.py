"""Unit tests of the episode-metadata rendering (front matter -> page furniture, schedule)."""

from __future__ import annotations

import textwrap

import pytest

from tools import lesson_meta

EPISODE = textwrap.dedent(
    """\
    ---
    title: "Counting penguins"
    teaching: 25
    exercises: 20
    questions: ["How many penguins?", "Which islands?"]
    objectives: ["Count penguins."]
    keypoints: ["Count twice."]
    ---
    Some prose.

    :::{instructor-note}
    Live-code the counting.
    :::

    ::::{exercise} Count them (5 min)
    :label: ex-count

    How many?
    ::::

    ::::{solution} ex-count
    :class: dropdown
    344.
    ::::

    ::::{exercise} Without a label (15 min)
    Text.
    ::::
    """
)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_episode(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    assert (episode.number, episode.slug, episode.title, episode.minutes) == (
        3,
        "03-counting",
        "Counting penguins",
        45,
    )
    assert episode.body.startswith("Some prose.")


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda t: t.replace('title: "Counting penguins"\n', ""),
            "missing front matter key 'title'",
        ),
        (
            lambda t: t.replace("teaching: 25", "teaching: soon"),
            "'teaching' must be a whole number",
        ),
        (
            lambda t: t.replace(
                'keypoints: ["Count twice."]', "keypoints: []"
            ),
            "'keypoints' must be a non-empty list",
        ),
        (
            lambda t: t.replace("---\ntitle", "title", 1),
            "no YAML front matter",
        ),
    ],
)
def test_bad_front_matter_is_reported(tmp_path, change, problem):
    with pytest.raises(lesson_meta.FrontMatterError, match=problem):
        lesson_meta.read_episode(
            write(tmp_path, "03-counting.md", change(EPISODE))
        )


def test_episode_file_names_are_checked(tmp_path):
    with pytest.raises(lesson_meta.FrontMatterError, match="NN-slug"):
        lesson_meta.read_episode(write(tmp_path, "counting.md", EPISODE))


def test_overview_renders_front_matter(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    links = lesson_meta.notebook_links(
        episode,
        "https://github.com/org/repo",
        "main",
        "https://mybinder.org",
        "https://colab.research.google.com",
    )
    text = lesson_meta.render_overview(episode, links)
    assert text.startswith("# Counting penguins\n")
    assert "**Teaching:** 25 min · **Exercises:** 20 min" in text
    assert "- How many penguins?\n- Which islands?" in text
    assert "- Count penguins." in text
    assert (
        "https://colab.research.google.com/github/org/repo/blob/main/notebooks/03-counting.ipynb"
        in text
    )
    assert (
        "https://mybinder.org/v2/gh/org/repo/main?urlpath=lab%2Ftree%2Fnotebooks%2F03-counting.ipynb"
        in text
    )
    assert (
        "{download}`Download the notebook <../notebooks/03-counting.ipynb>`"
        in text
    )
    keypoints = lesson_meta.render_keypoints(episode)
    assert (
        ":::{admonition} Key points" in keypoints
        and "- Count twice." in keypoints
    )


def test_schedule_has_running_clock_breaks_and_total(tmp_path):
    first = write(
        tmp_path, "01-a.md", EPISODE.replace("Counting penguins", "First")
    )
    second = write(
        tmp_path,
        "02-b.md",
        EPISODE.replace("Counting penguins", "Second").replace(
            "teaching: 25", "teaching: 50"
        ),
    )
    third = write(
        tmp_path, "03-c.md", EPISODE.replace("Counting penguins", "Third")
    )
    episodes = lesson_meta.load_episodes(tmp_path)
    assert [e.path for e in episodes] == [first, second, third]
    rows = lesson_meta.schedule_rows(episodes)
    # 45 + 70 = 115 min of teaching and challenges: a break before the third episode.
    assert [(start, e is None, minutes) for start, e, minutes in rows] == [
        ("00:00", False, 45),
        ("00:45", False, 70),
        ("01:55", True, 15),
        ("02:10", False, 45),
        ("02:55", True, 175),
    ]
    table = lesson_meta.render_schedule(episodes)
    assert (
        "| 00:45 | 2. {doc}`Second </episodes/02-b>` | 50 + 20 = 70 min | How many penguins? |"
        in table
    )
    assert "| 01:55 | *Break* | 15 min | |" in table
    assert (
        "| 02:55 | **Finish** | **175 min in total** (100 teaching + 60 exercises + 15 breaks) | |"
        in table
    )
    # An optional episode comes after the finish, outside the clock and the total.
    write(
        tmp_path,
        "04-d.md",
        EPISODE.replace("Counting penguins", "Extra").replace(
            "teaching: 25", "optional: true\nteaching: 25"
        ),
    )
    table = lesson_meta.render_schedule(lesson_meta.load_episodes(tmp_path))
    assert table.index("**Finish** | **175 min in total**") < table.index(
        "| Optional | 4. {doc}`Extra </episodes/04-d>` | 25 + 20 = 45 min |"
    )


def test_instructor_notes_are_collected(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    assert lesson_meta.instructor_notes(episode.body) == [
        "Live-code the counting."
    ]
    page = lesson_meta.render_instructor_notes([episode])
    assert (
        "## 3. Counting penguins" in page and "Live-code the counting." in page
    )
    assert "Teaching 25 min, exercises 20 min (45 min)" in page


def test_challenges_and_solutions_are_found(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    found = lesson_meta.challenges(episode.body)
    assert [(c.title, c.label, c.minutes) for c in found] == [
        ("Count them (5 min)", "ex-count", 5),
        ("Without a label (15 min)", None, 15),
    ]
    assert lesson_meta.solution_targets(episode.body) == ["ex-count"]


def test_challenge_minutes_become_a_badge(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    text = lesson_meta.render_challenge_minutes(episode.body)
    # Numbered per episode by the site, not by sphinx-exercise across the site: :nonumber:.
    assert (
        "::::{exercise} Count them\n:label: ex-count\n:nonumber:\n\n{bdg-primary-line}`Time: 5 min`\n\n"
        in text
    )
    assert (
        "::::{exercise} Without a label\n:nonumber:\n\n{bdg-primary-line}`Time: 15 min`\n\nText."
        in text
    )
    # Nothing else changes: the same non-blank lines, minus the minutes in the titles.
    kept = [
        line
        for line in text.splitlines()
        if line.strip()
        and "bdg-primary-line" not in line
        and line != ":nonumber:"
    ]
    original = episode.body.replace(" (5 min)", "").replace(" (15 min)", "")
    assert kept == [line for line in original.splitlines() if line.strip()]


VARIANTS = """\
- title: Short
  budget: 100
  note: For a conference slot.
  plan: ["welcome 5", "01", "break 10 Coffee", "feedback 5"]
"""


def _two_episodes(tmp_path):
    write(tmp_path, "01-a.md", EPISODE.replace("Counting penguins", "First"))
    write(
        tmp_path,
        "02-b.md",
        EPISODE.replace("Counting penguins", "Second").replace(
            "teaching: 25", "teaching: 15"
        ),
    )
    return lesson_meta.load_episodes(tmp_path)


def test_plans_are_timed_from_the_episodes(tmp_path):
    episodes = _two_episodes(tmp_path)
    (variant,) = lesson_meta.parse_variants(VARIANTS, episodes)
    assert (
        variant["total"] == 5 + 45 + 10 + 5
        and variant["covered"] == ["01"]
        and variant["left_out"] == ["02"]
    )
    assert [
        (start, label, minutes) for start, _, label, minutes in variant["rows"]
    ] == [
        ("00:00", "Welcome and set-up check", 5),
        ("00:05", "", 45),
        ("00:50", "Coffee", 10),
        ("01:00", "Feedback and close", 5),
    ]
    text = lesson_meta.render_variants(episodes, VARIANTS)
    assert "### Short" in text and "For a conference slot." in text
    assert (
        "65 minutes of a 100-minute slot (35 free)" in text
        and "Episodes: 01; not in this plan: 02." in text
    )
    assert "| 00:05 | 1. {doc}`First </episodes/01-a>` | 45 |" in text
    assert "| 01:05 | **Finish** | **65** |" in text


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        # 65 min of a 70-minute slot leaves less than 10 % free.
        (
            lambda t: t.replace("budget: 100", "budget: 70"),
            "takes 65 min of its 70: leave at least 10% free",
        ),
        (lambda t: t.replace('"01",', '"09",'), "there is no episode 09"),
        (
            lambda t: t.replace('"01",', '"01 teaching",'),
            "cannot read plan item '01 teaching'",
        ),
        (
            lambda t: t.replace('"welcome 5", ', ""),
            "opens with 'welcome N' and ends with 'feedback N'",
        ),
        (
            lambda t: t.replace(', "feedback 5"', ""),
            "opens with 'welcome N' and ends with 'feedback N'",
        ),
        (
            lambda t: t.replace("budget: 100", "budget: 300").replace(
                '"break 10 Coffee", ', '"02", "01", "02", '
            ),
            "runs 170 min without a break",
        ),
        (
            lambda t: t + "  covers: all\n",
            "covers all episodes but leaves out 02",
        ),
    ],
)
def test_bad_plans_are_reported(tmp_path, change, problem):
    with pytest.raises(lesson_meta.FrontMatterError, match=problem):
        lesson_meta.parse_variants(change(VARIANTS), _two_episodes(tmp_path))


def test_title_heading_is_found_outside_code_blocks_only():
    assert lesson_meta.has_title_heading("Text.\n\n# A title\n")
    code = "Text.\n\n```python\n# a comment, not a title\nx = 1\n```\n"
    assert not lesson_meta.has_title_heading(code)
    assert lesson_meta.has_title_heading(code + "\n# A title after the code\n")
    # A directive in backticks is not a code block: a heading inside it still counts.
    assert lesson_meta.has_title_heading(
        "```{admonition} Note\n# Title\n```\n"
    )


def test_overview_links_the_full_and_the_type_along_notebook(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    settings = (
        "https://github.com/org/repo",
        "main",
        "https://mybinder.org",
        "https://colab.research.google.com",
    )
    links = lesson_meta.notebook_links(episode, *settings)
    text = lesson_meta.render_overview(episode, links)
    full, typed = text.split("**Type-along notebook**")
    assert "**Full notebook**" in full and "type-along" not in full
    assert (
        "[Open the notebook in Colab](https://colab.research.google.com/github/org/repo/blob/main/notebooks/03-counting.ipynb)"
        in full
    )
    assert (
        "[Open the type-along notebook in Binder](https://mybinder.org/v2/gh/org/repo/main?urlpath=lab%2Ftree%2Ftype-along%2F03-counting.ipynb)"
        in typed
    )
    assert (
        "[Open the type-along notebook in Colab](https://colab.research.google.com/github/org/repo/blob/main/type-along/03-counting.ipynb)"
        in typed
    )
    assert (
        "{download}`Download the type-along notebook <../type-along/03-counting.ipynb>`"
        in typed
    )
    # Without a type-along notebook: the full notebook's links only, on one line.
    alone = lesson_meta.render_overview(
        episode,
        lesson_meta.notebook_links(episode, *settings, type_along=False),
    )
    assert "type-along" not in alone and "**Full notebook**" not in alone
    assert (
        "[Read the notebook with its outputs](../notebooks/03-counting.ipynb) · [Open the notebook in Binder]"
        in alone
    )


def test_instructor_notes_list_the_live_coded_cells(tmp_path):
    episode = lesson_meta.read_episode(
        write(tmp_path, "03-counting.md", EPISODE)
    )
    page = lesson_meta.render_instructor_notes(
        [episode],
        {
            "03-counting": [
                "# Count the penguins → counts\ncounts = 1",
                "# Plot `counts` by island\nplot(```x```)",
            ]
        },
        {
            "03-counting": [
                "  10 min  Counting",
                "      then challenge ex-count",
            ]
        },
    )
    assert (
        "**Live-coded cells** of `notebooks/03-counting.ipynb`, in order"
        in page
    )
    # The whole code of each cell, to paste into a shared document; a longer fence when the
    # code holds backticks.
    assert (
        "```python\n# Count the penguins → counts\ncounts = 1\n```\n" in page
    )
    assert (
        "````python\n# Plot `counts` by island\nplot(```x```)\n````\n" in page
    )
    assert (
        "```text\n  10 min  Counting\n      then challenge ex-count\n```"
        in page
    )
    assert ":class: instructor-note always-shown" in page
    assert (
        "No cells of the notebook are tagged `live-code` yet."
        in lesson_meta.render_instructor_notes([episode], {})
    )
    assert "Live-coded" not in lesson_meta.render_instructor_notes([episode])


def test_a_plan_can_take_more_than_a_day(tmp_path):
    episodes = _two_episodes(tmp_path)
    text = (
        "- title: Two short days\n  budget: 60\n  covers: all\n"
        '  plan: ["welcome 5", "01", "feedback 3", "next day", "welcome 5", "02", "feedback 3"]\n'
    )
    (variant,) = lesson_meta.parse_variants(text, episodes)
    assert (
        variant["days"] == [53, 43]
        and variant["total"] == 96
        and variant["left_out"] == []
    )
    rendered = lesson_meta.render_variants(episodes, text)
    assert "2 days of at most 60 minutes (day 1: 53, day 2: 43)" in rendered
    assert (
        "| | **Day 2** | |\n| 00:00 | *Welcome and set-up check* | 5 |"
        in rendered
    )
    with pytest.raises(
        lesson_meta.FrontMatterError, match="the plan takes 88 min of its 60"
    ):
        lesson_meta.parse_variants(
            text.replace('"feedback 3", "next day", "welcome 5", ', ""),
            episodes,
        )


def test_an_optional_episode_may_be_left_out_of_a_plan_that_covers_all(
    tmp_path,
):
    write(tmp_path, "01-a.md", EPISODE.replace("Counting penguins", "First"))
    write(
        tmp_path,
        "02-b.md",
        EPISODE.replace("Counting penguins", "Extension").replace(
            "teaching: 25", "optional: true\nteaching: 25"
        ),
    )
    episodes = lesson_meta.load_episodes(tmp_path)
    assert [e.optional for e in episodes] == [False, True]
    text = '- title: Core\n  budget: 80\n  covers: all\n  plan: ["welcome 5", "01", "feedback 5"]\n'
    (variant,) = lesson_meta.parse_variants(text, episodes)
    assert variant["left_out"] == []
    rendered = lesson_meta.render_variants(
        episodes,
        text.replace(
            '"01",', '"01", "feedback 5", "next day", "welcome 5", "02",'
        ),
    )
    assert (
        "2. {doc}`Extension </episodes/02-b>` (optional extension) | 45 |"
        in rendered
    )
    with pytest.raises(
        lesson_meta.FrontMatterError,
        match="covers all episodes but leaves out 01",
    ):
        lesson_meta.parse_variants(text.replace('"01"', '"02"'), episodes)
    write(
        tmp_path,
        "02-b.md",
        EPISODE.replace("teaching: 25", "optional: yes please\nteaching: 25"),
    )
    with pytest.raises(
        lesson_meta.FrontMatterError, match="'optional' must be true or false"
    ):
        lesson_meta.load_episodes(tmp_path)


def test_a_notebook_with_an_extra_has_no_binder_links(tmp_path):
    (tmp_path / "episodes").mkdir()
    episode = lesson_meta.read_episode(
        write(tmp_path / "episodes", "09-deep.md", EPISODE)
    )
    (tmp_path / "notebooks").mkdir()
    notebook = tmp_path / "notebooks" / "09-deep.ipynb"
    notebook.write_text(
        '{"cells": [], "metadata": {"lesson": {"extra": "deep-learning"}}}',
        encoding="utf-8",
    )
    settings = (
        "https://github.com/org/repo",
        "main",
        "https://mybinder.org",
        "https://colab.research.google.com",
    )
    links = lesson_meta.notebook_links(episode, *settings)
    assert episode.extra() == "deep-learning"
    assert not [
        key for key in links if "binder" in key and key != "not on binder"
    ]
    assert (
        "Open the notebook in Colab" in links["colab"]
        and "not on Binder" in links["not on binder"]
    )
    notebook.write_text('{"cells": [], "metadata": {}}', encoding="utf-8")
    assert "binder" in lesson_meta.notebook_links(episode, *settings)
