"""The strict build passes, and the built pages show what the lesson promises."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

import build
import lesson_checks as checks
import lesson_meta

pytestmark = pytest.mark.build


def html(site, page):
    return (site / page).read_text(encoding="utf-8")


def test_built_site_links_images_and_offline(root, built_site):
    assert checks.check_built_site(root, built_site) == []


def test_home_page_has_generated_schedule(root, built_site):
    page = html(built_site, "index.html")
    episodes = lesson_meta.load_episodes(root / "episodes")
    total = sum(e.minutes for e in episodes)
    assert "Finish" in page and f"{total} min in total" in page
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
        for version in ("notebook", "type-along notebook"):  # check_built_site checks the targets
            assert f"Open the {version} in Colab" in page
            # Binder's image leaves the extras (episode 09's PyTorch) out: no Binder links there.
            assert (f"Open the {version} in Binder" in page) == (episode.extra() is None)
        if episode.extra() is not None:
            assert "not on Binder (it needs PyTorch" in page
        assert len(re.findall(rf'href="[^"]*_downloads/[^"]+/{episode.slug}\.ipynb"', page)) == 2
        # Solutions are hidden until clicked (sphinx-exercise dropdown).
        assert page.count('class="solution dropdown') == len(lesson_meta.solution_targets(episode.body))


def test_instructor_notes_page_collects_every_episode(root, built_site):
    page = html(built_site, "instructors/instructor-notes.html")
    for episode in lesson_meta.load_episodes(root / "episodes"):
        assert f"{episode.number}. {episode.title}" in page
        for note in lesson_meta.instructor_notes(episode.body):
            first_words = re.sub(r"[*`]", "", note).split()[:3]
            assert " ".join(first_words) in re.sub(r"<[^>]+>", "", page)


def test_glossary_and_references_are_linked(built_site):
    page = html(built_site, "episodes/01-why-reproducibility.html")
    assert 'href="../learners/reference.html#term-reproducible"' in page
    assert 'href="../learners/bibliography.html#id' in page


def test_a_notebook_error_fails_the_build(tmp_path, root, built_site):
    ignore = shutil.ignore_patterns(".venv", "_build", ".git", "__pycache__", "*.egg-info", ".pytest_cache")
    copy = tmp_path / "lesson"
    shutil.copytree(root, copy, ignore=ignore)
    # Reuse the execution cache of the real build: only the broken notebook runs again.
    shutil.copytree(root / "_build" / ".jupyter_cache", copy / "_build" / ".jupyter_cache")
    # Break one notebook: its second code cell raises.
    import json

    path = sorted((copy / "notebooks").glob("*.ipynb"))[0]
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    code[1]["source"] = "raise ValueError('deliberate error')\n"
    path.write_text(json.dumps(nb))
    result = subprocess.run(build.command(root=copy), cwd=copy, capture_output=True, text=True)
    assert result.returncode != 0
    assert "deliberate error" in result.stdout + result.stderr
