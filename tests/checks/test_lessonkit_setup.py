"""lessonkit's claims, the notebooks' set-up (lessonkit.setup) and %catch_up, unit by unit.

The set-up's Colab path is exercised end to end in tests/hosted/test_colab.py; here its
decisions are checked one by one, with a stand-in for Colab where needed.
"""

from __future__ import annotations

import json
import sys

import pytest

import lessonkit
from lessonkit import catchup, start
from lessonkit.environment import lesson_pins

# ------------------------------------------------------------------------------ claims


def test_a_claim_that_holds_says_nothing(capsys, monkeypatch):
    monkeypatch.delenv("LESSON_STRICT", raising=False)
    assert lessonkit.claim(1 < 2, "one is less than two", a=1, b=2) is None
    assert capsys.readouterr().out == ""


def test_a_learner_gets_one_line_and_the_notebook_goes_on(capsys, monkeypatch):
    monkeypatch.setenv("LESSON_STRICT", "0")
    lessonkit.claim(
        3 < 2, "the split moves the score more", split_sd=2.4312345, n=3
    )
    out = capsys.readouterr().out
    assert (
        out
        == "Claim does not hold at this seed: the split moves the score more (split_sd = 2.431, n = 3)\n"
    )


def test_the_tests_get_an_error(monkeypatch):
    monkeypatch.setenv("LESSON_STRICT", "1")
    with pytest.raises(
        lessonkit.ClaimError,
        match="Claim does not hold at this seed: x is small",
    ):
        lessonkit.claim(False, "x is small", x=10)
    assert issubclass(lessonkit.ClaimError, AssertionError)


def test_the_sweep_records_every_claim_held_or_not(
    tmp_path, monkeypatch, capsys
):
    import numpy as np

    record = tmp_path / "claims.jsonl"
    monkeypatch.setenv("LESSON_CLAIMS", str(record))
    monkeypatch.setenv("LESSON_STRICT", "0")
    monkeypatch.setenv("LESSON_SEED", "7")
    lessonkit.claim(np.bool_(True), "held", value=np.float64(0.5))
    lessonkit.claim(False, "not held", names=["a", "b"])
    entries = [json.loads(line) for line in record.read_text().splitlines()]
    assert entries == [
        {"claim": "held", "held": True, "seed": 7, "numbers": {"value": 0.5}},
        {
            "claim": "not held",
            "held": False,
            "seed": 7,
            "numbers": {"names": "['a', 'b']"},
        },
    ]


# ------------------------------------------------------------------------------ set-up


def test_the_pins_are_lessonkits_own_metadata(root):
    import tomllib

    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    assert lesson_pins() == dict(
        d.lower().split("==") for d in project["dependencies"]
    )
    assert lesson_pins("deep-learning") == {
        "torch": project["optional-dependencies"]["deep-learning"][0].split(
            "=="
        )[1]
    }
    assert "uv" in lesson_pins("colab")
    lines = [
        "numpy==2.4.6",
        'torch==2.13.0 ; extra == "deep-learning"',
        "pandas>=2",
    ]
    assert lesson_pins(requirements=lines) == {"numpy": "2.4.6"}
    assert lesson_pins("deep-learning", requirements=lines) == {
        "torch": "2.13.0"
    }


def test_setup_is_silent_in_the_lessons_environment(capsys):
    lessonkit.setup("01-why-reproducibility")
    assert (
        capsys.readouterr().out == ""
        and start.NOTEBOOK == "01-why-reproducibility"
    )


def test_an_unsupported_python_stops_with_one_line(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 9, 0, "final", 0))
    with pytest.raises(
        lessonkit.LessonSetupStop, match="Python 3.9 is not supported"
    ) as stop:
        lessonkit.setup("01-why-reproducibility")
    assert stop.value._render_traceback_() == [
        f"LessonSetupStop: {stop.value}"
    ]


def test_a_missing_extra_names_the_install_command():
    with pytest.raises(
        lessonkit.LessonSetupStop,
        match=r"pip install -r requirements-deep-learning.txt",
    ):
        lessonkit.setup("09-deep-learning", extra="deep-learning")


def test_an_old_package_stops_with_the_fix(monkeypatch):
    monkeypatch.setattr(
        start,
        "lesson_pins",
        lambda extra=None: {"numpy": "99.0"} if extra is None else {},
    )
    with pytest.raises(
        lessonkit.LessonSetupStop,
        match=r"numpy .* is older than this lesson supports \(99.0\)",
    ):
        lessonkit.setup("01-why-reproducibility")


def test_the_repository_comes_from_the_variable_or_pips_record(monkeypatch):
    monkeypatch.setenv("LESSON_REPOSITORY", "https://github.com/a/b@spring")
    assert lessonkit.lesson_repository() == (
        "https://github.com/a/b",
        "spring",
    )
    monkeypatch.delenv("LESSON_REPOSITORY")
    monkeypatch.setattr(
        start.metadata,
        "distribution",
        lambda name: _Dist(
            {
                "url": "https://github.com/c/d.git",
                "vcs_info": {"vcs": "git", "requested_revision": "main"},
            }
        ),
    )
    assert lessonkit.lesson_repository() == ("https://github.com/c/d", "main")
    monkeypatch.setattr(
        start.metadata,
        "distribution",
        lambda name: _Dist({"url": "file:///x", "dir_info": {}}),
    )
    with pytest.raises(lessonkit.LessonSetupStop, match="LESSON_REPOSITORY"):
        lessonkit.lesson_repository()


class _Dist:
    def __init__(self, direct):
        self.direct = direct

    def read_text(self, name):
        return json.dumps(self.direct)


def test_on_colab_nothing_to_install_means_no_restart(monkeypatch, capsys):
    """A second run after the restart: every pin installed, nothing to do, nothing said."""
    monkeypatch.setitem(sys.modules, "google.colab", object())
    monkeypatch.setenv("LESSON_REPOSITORY", "https://github.com/a/b@main")
    monkeypatch.setattr(
        start.os,
        "environ",
        {k: v for k, v in start.os.environ.items() if k != "LESSON_DATA_URL"},
    )
    installed = {
        **start._installed(),
        **lesson_pins(),
        **{k: v for k, v in lesson_pins("colab").items()},
    }
    monkeypatch.setattr(start, "_installed", lambda: installed)
    monkeypatch.setattr(
        start.subprocess,
        "run",
        lambda *a, **k: pytest.fail("nothing should be installed"),
    )
    lessonkit.setup("01-why-reproducibility")
    assert capsys.readouterr().out == ""
    assert (
        start.os.environ["LESSON_DATA_URL"]
        == "https://github.com/a/b/raw/main/data"
    )


def test_on_colab_an_install_that_fails_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "google.colab", object())
    monkeypatch.setenv("LESSON_REPOSITORY", "https://github.com/a/b@main")
    monkeypatch.setattr(start, "_installed", lambda: {"numpy": "1.0"})

    class Failed:
        returncode, stderr = (
            1,
            "error: Failed to fetch: https://pypi.org/simple/numpy/",
        )

    monkeypatch.setattr(start.subprocess, "run", lambda *a, **k: Failed())
    with pytest.raises(
        lessonkit.LessonSetupStop,
        match="Could not install the lesson's packages",
    ) as stop:
        lessonkit.setup("01-why-reproducibility")
    assert "Failed to fetch" in str(
        stop.value
    ) and "Check that this session is online" in str(stop.value)


# ------------------------------------------------------------------------------ catch-up


def _nb(*cells):
    return {
        "cells": [
            {"cell_type": kind, "source": source, "metadata": {"tags": tags}}
            for kind, source, tags in cells
        ]
    }


NOTEBOOK = _nb(
    ("markdown", "# Title", []),
    ("code", "import lessonkit\nlessonkit.setup('x')", ["lesson-setup"]),
    ("code", "a = 1", []),
    ("code", "# Make b -> b\nb = a + 1", ["live-code"]),
    ("code", "claim(b == 2, 'b is two')", ["plumbing"]),
    ("code", "c = b * 10", []),
    ("code", "# Make d -> d\nd = c + 1", ["live-code"]),
)


def test_catch_up_runs_the_full_notebook_up_to_the_live_cell():
    sources, target = catchup.cells_to_run(NOTEBOOK, "# Make b -> b")
    assert target == 3 and sources == [
        "a = 1",
        "# Make b -> b\nb = a + 1",
    ]  # no set-up, no plumbing


def test_catch_up_continues_where_it_stopped():
    sources, target = catchup.cells_to_run(NOTEBOOK, "# Make d -> d", done=3)
    assert target == 6 and sources == [
        "c = b * 10",
        "# Make d -> d\nd = c + 1",
    ]
    again, _ = catchup.cells_to_run(
        NOTEBOOK, "# Make b -> b", done=6
    )  # back up: from the top
    assert again[0] == "a = 1"


def test_catch_up_under_another_comment_says_what_to_do():
    with pytest.raises(
        catchup.CatchUpError,
        match="Did you change it\\? The notebook's comment is: # Make d -> d",
    ):
        catchup.cells_to_run(NOTEBOOK, "# Make d")
