"""The strict build passes, and the built pages show what the lesson promises."""

from __future__ import annotations

import re
import shutil
import subprocess

from tools import build, lesson_meta
from tools import lesson_checks as checks


def html(site, page):
    return (site / page).read_text(encoding="utf-8")


def test_built_site_links_images_and_offline(root, built_site):
    assert checks.check_built_site(root, built_site) == []


def test_home_page_has_generated_schedule(root, built_site):
    page = html(built_site, "index.html")
    episodes = lesson_meta.load_episodes(root / "episodes")
    core = [
        e for e in episodes if not e.optional
    ]  # the optional ones come after the finish
    rows = lesson_meta.schedule_rows(core)
    breaks = [row for row in rows[:-1] if row[1] is None]
    assert breaks and "<em>Break</em>" in page
    assert "Finish" in page and f"{rows[-1][2]} min in total" in page
    assert (
        'href="instructors/guide.html"' in page
    )  # the plans, with a welcome, breaks, feedback
    for episode in episodes:
        assert episode.title.replace("?", "") in page.replace("?", "")


def test_episode_pages_have_overview_links_and_keypoints(root, built_site):
    for episode in lesson_meta.load_episodes(root / "episodes"):
        page = html(built_site, f"episodes/{episode.slug}.html")
        assert "lesson-overview" in page and "lesson-keypoints" in page
        assert f"Teaching:</strong> {episode.meta['teaching']} min" in page
        for question in episode.meta["questions"]:
            plain = re.sub(r"[*`]", "", question)
            assert plain.split()[0] in page
        for version in (
            "notebook",
            "type-along notebook",
        ):  # check_built_site checks the targets
            assert f"Open the {version} in Colab" in page
            # Binder's image leaves the extras (episode 09's PyTorch) out: no Binder links there.
            assert (f"Open the {version} in Binder" in page) == (
                episode.extra() is None
            )
        if episode.extra() is not None:
            assert "not on Binder (it needs PyTorch" in page
        assert (
            len(
                re.findall(
                    rf'href="[^"]*_downloads/[^"]+/{episode.slug}\.ipynb"',
                    page,
                )
            )
            == 2
        )
        # Solutions are hidden until clicked (sphinx-exercise dropdown).
        assert page.count('class="solution dropdown') == len(
            lesson_meta.solution_targets(episode.body)
        )


def test_instructor_notes_page_collects_every_episode(root, built_site):
    page = html(built_site, "instructors/instructor-notes.html")
    for episode in lesson_meta.load_episodes(root / "episodes"):
        assert f"{episode.number}. {episode.title}" in page
        for note in lesson_meta.instructor_notes(episode.body):
            first_words = re.sub(r"[*`]", "", note).split()[:3]
            # the site prints typographic apostrophes (episode's -> episode’s)
            text = re.sub(r"<[^>]+>", "", page).replace("\u2019", "'")
            assert " ".join(first_words) in text.replace("&#8217;", "'")


def test_glossary_and_references_are_linked(built_site):
    page = html(built_site, "episodes/01-why-reproducibility.html")
    assert 'href="../learners/reference.html#term-reproducible"' in page
    assert 'href="../learners/bibliography.html#id' in page


def test_the_build_executes_no_notebook(root, built_site):
    """The site is rendered from the stored outputs (_config.yml): no notebook executed. (An
    old _build may still hold the execution cache of earlier builds: `make clean` drops it.)"""
    log = (root / "_build" / "build.log").read_text(encoding="utf-8")
    assert "Executing notebook" not in log and "Executed notebook" not in log


def test_execution_statistics_page_lists_every_notebook(root, built_site):
    """Both recorded tables (the notebooks' time and memory, Colab's set-up) are on the page,
    with a row for every notebook (the Colab table: every notebook the emulation runs, which
    leaves out those with an extra); the lesson checks hold the numbers to their budgets. (The
    seed sweep's tables, which come after them, are checked by `make records`.)"""
    from tools import emulate, notebooks

    page = html(built_site, "instructors/execution-statistics.html")
    tables = [
        table
        for table in re.findall(r"<table.*?</table>", page, re.DOTALL)
        if "peak memory (MB)" in table or "restarts" in table
    ]
    assert len(tables) == 2
    expected = (notebooks.lesson_notebooks(root), emulate.NOTEBOOKS)
    for table, heading, listed in zip(
        tables, ("peak memory (MB)", "restarts"), expected
    ):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", table, re.DOTALL)
        names = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        assert heading in table
        assert [n for n in names if n.endswith(".ipynb")] == [
            nb.name for nb in listed
        ]
    assert page.count("Measured ") == 2  # with the date and the machine


def test_the_site_shows_the_stored_outputs_and_a_stale_glue_key_fails_the_build(
    tmp_path, root, built_site
):
    """The build renders the numbers stored in a notebook, whatever its code says, and fails
    when the prose quotes a glue key that the stored outputs lack: a notebook not refreshed
    after its glue calls changed, or a mistyped key."""
    import json

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
    path = copy / "notebooks" / "01-why-reproducibility.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        kept = []
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if (
                name == "n_penguins"
            ):  # a stored value that the code would not give
                output["data"] = {key: "999" for key in output["data"]}
            if (
                name != "n_runs"
            ):  # dropped, as if its glue call were new and not yet refreshed
                kept.append(output)
        cell["outputs"] = kept
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    episode = copy / "episodes" / "01-why-reproducibility.md"
    text = episode.read_text(encoding="utf-8")
    assert "::forest_sd:.1f`" in text
    episode.write_text(
        text.replace("::forest_sd:.1f`", "::forest_std:.1f`", 1),
        encoding="utf-8",
    )  # a mistyped key
    result = subprocess.run(
        build.command(root=copy), cwd=copy, capture_output=True, text=True
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for key in ("n_runs", "forest_std"):
        assert (
            f"Glue reference '{key}' not found in doc 'notebooks/01-why-reproducibility'"
            in output
        )
    assert "Executing notebook" not in output
    # --keep-going writes the pages anyway: they show the stored number.
    page = (
        copy / "_build" / "html" / "episodes" / "01-why-reproducibility.html"
    ).read_text(encoding="utf-8")
    assert re.search(r"999(<[^>]*>|\s)*penguins", page)
