"""Unit tests of the helper package the notebooks import."""

from __future__ import annotations

import importlib
import shutil
import sys
import types

import pandas as pd
import pytest

import lessonkit
from lessonkit import check, data, environment


@pytest.fixture
def lesson_copy(tmp_path, root, monkeypatch):
    """A minimal copy of the lesson: data/ (file + manifest) and an empty notebooks/."""
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.delenv("LESSON_DATA_URL", raising=False)
    shutil.copytree(root / "data", tmp_path / "data")
    (tmp_path / "notebooks").mkdir()
    return tmp_path


# ------------------------------------------------------------------ loading: the good path
def test_load_penguins_from_notebooks_folder(lesson_copy):
    df = lessonkit.load_penguins(cwd=lesson_copy / "notebooks")
    assert df.shape == (344, 8)
    assert list(df.columns) == [
        "species",
        "island",
        "bill_length_mm",
        "bill_depth_mm",
        "flipper_length_mm",
        "body_mass_g",
        "sex",
        "year",
    ]
    assert df["species"].value_counts().to_dict() == {
        "Adelie": 152,
        "Gentoo": 124,
        "Chinstrap": 68,
    }
    assert df["sex"].isna().sum() == 11


def test_load_penguins_from_top_folder(lesson_copy):
    assert (
        lessonkit.data_path("penguins.csv", cwd=lesson_copy)
        == lesson_copy / "data" / "penguins.csv"
    )


def test_data_dir_environment_variable(
    lesson_copy, tmp_path_factory, monkeypatch
):
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    shutil.copy(lesson_copy / "data" / "penguins.csv", elsewhere)
    monkeypatch.setenv("LESSON_DATA_DIR", str(elsewhere))
    assert (
        lessonkit.data_path("penguins.csv", cwd=lesson_copy / "notebooks")
        == elsewhere / "penguins.csv"
    )


def test_unknown_file_is_a_key_error(lesson_copy):
    with pytest.raises(KeyError, match="not one of the lesson's data files"):
        lessonkit.data_path("iris.csv", cwd=lesson_copy)


# ------------------------------------------------------------------ loading: the bad paths
def test_missing_file_names_the_folders_searched(lesson_copy):
    (lesson_copy / "data" / "penguins.csv").unlink()
    with pytest.raises(lessonkit.DataFileMissingError) as info:
        lessonkit.load_penguins(cwd=lesson_copy / "notebooks")
    message = str(info.value)
    assert str((lesson_copy / "data").resolve()) in message
    assert "git checkout -- data/penguins.csv" in message


def test_corrupted_file_is_refused(lesson_copy):
    path = lesson_copy / "data" / "penguins.csv"
    text = path.read_text()
    path.write_text(text.replace("39.1", "39.2", 1))  # one changed measurement
    with pytest.raises(lessonkit.ChecksumMismatchError) as info:
        lessonkit.load_penguins(cwd=lesson_copy / "notebooks")
    message = str(info.value)
    assert data.CHECKSUMS["penguins.csv"] in message
    assert lessonkit.sha256(path) in message
    assert "changed or corrupted" in message


def test_wrong_working_directory_says_where_to_run(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.delenv("LESSON_DATA_URL", raising=False)
    somewhere = tmp_path / "my" / "folder"
    somewhere.mkdir(parents=True)
    with pytest.raises(lessonkit.WrongWorkingDirectoryError) as info:
        lessonkit.load_penguins(cwd=somewhere)
    message = str(info.value)
    assert str(somewhere.resolve()) in message
    assert "notebooks/ folder" in message and "LESSON_DATA_DIR" in message


def test_all_errors_share_one_base_class():
    for error in (
        lessonkit.DataFileMissingError,
        lessonkit.ChecksumMismatchError,
        lessonkit.WrongWorkingDirectoryError,
    ):
        assert issubclass(error, lessonkit.LessonDataError)


# ------------------------------------------------------------------ downloading (Colab path)
def test_download_is_verified_and_stored(tmp_path, root, monkeypatch):
    server = tmp_path / "published"
    shutil.copytree(root / "data", server)
    workdir = tmp_path / "content"
    workdir.mkdir()
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.setenv("LESSON_DATA_URL", server.as_uri())
    path = lessonkit.data_path("penguins.csv", cwd=workdir)
    assert path == workdir / "data" / "penguins.csv"
    assert lessonkit.sha256(path) == data.CHECKSUMS["penguins.csv"]


def test_corrupted_download_is_refused_and_removed(
    tmp_path, root, monkeypatch
):
    server = tmp_path / "published"
    server.mkdir()
    (server / "penguins.csv").write_text("species\nnot the real file\n")
    workdir = tmp_path / "content"
    workdir.mkdir()
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.setenv("LESSON_DATA_URL", server.as_uri())
    with pytest.raises(
        lessonkit.ChecksumMismatchError, match="downloaded from"
    ):
        lessonkit.data_path("penguins.csv", cwd=workdir)
    assert not any((workdir / "data").iterdir())


def test_unreachable_download_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.setenv("LESSON_DATA_URL", (tmp_path / "nowhere").as_uri())
    with pytest.raises(
        lessonkit.DataFileMissingError,
        match="Could not download 'penguins.csv'",
    ):
        lessonkit.data_path("penguins.csv", cwd=tmp_path)


# ------------------------------------------------------------------ environment checks
def test_check_environment_is_silent_when_pins_match(capsys):
    pins = {"pandas": pd.__version__}
    assert lessonkit.check_environment(pins) is None
    assert capsys.readouterr().out == ""


def test_check_environment_missing_package():
    with pytest.raises(
        lessonkit.LessonEnvironmentError,
        match="not-a-real-package is not installed",
    ):
        lessonkit.check_environment({"not-a-real-package": "1.0"})


def test_check_environment_too_old(monkeypatch):
    monkeypatch.setattr(environment, "installed_version", lambda name: "1.2.0")
    with pytest.raises(
        lessonkit.LessonEnvironmentError,
        match=r"older than this lesson supports.*pip install pandas==3\.1\.1",
    ):
        lessonkit.check_environment({"pandas": "3.1.1"})


def test_check_environment_newer_prints_a_note(monkeypatch, capsys):
    monkeypatch.setattr(environment, "installed_version", lambda name: "9.0.0")
    monkeypatch.setitem(
        sys.modules, "fakepkg", types.SimpleNamespace(__version__="9.0.0")
    )
    lessonkit.check_environment({"fakepkg": "3.1.1"})
    assert "fakepkg 9.0.0 (lesson: 3.1.1)" in capsys.readouterr().out


def test_check_environment_treats_a_local_build_label_as_the_same_release(
    monkeypatch, capsys
):
    # PyTorch's CPU build of 2.13.0 is "2.13.0+cpu": the same release, so no note; another
    # release with a label still gets one.
    monkeypatch.setattr(
        environment, "installed_version", lambda name: "2.13.0+cpu"
    )
    monkeypatch.setitem(
        sys.modules, "fakepkg", types.SimpleNamespace(__version__="2.13.0+cpu")
    )
    lessonkit.check_environment({"fakepkg": "2.13.0"})
    assert capsys.readouterr().out == ""
    lessonkit.check_environment({"fakepkg": "2.12.0"})
    assert "fakepkg 2.13.0+cpu (lesson: 2.12.0)" in capsys.readouterr().out


def test_check_environment_asks_for_restart_after_upgrade(monkeypatch):
    monkeypatch.setattr(environment, "installed_version", lambda name: "3.1.1")
    monkeypatch.setitem(
        sys.modules, "fakepkg", types.SimpleNamespace(__version__="2.0.0")
    )
    with pytest.raises(
        lessonkit.LessonEnvironmentError, match="restart the kernel"
    ):
        lessonkit.check_environment({"fakepkg": "3.1.1"})


def test_environment_report_lists_key_packages():
    report = lessonkit.environment_report()
    assert report["python"].startswith("3.")
    assert report["scikit-learn"] == environment.installed_version(
        "scikit-learn"
    )


# ------------------------------------------------------------------ the learner's setup check
def test_setup_check_passes_in_the_lesson(root, capsys, monkeypatch):
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    assert check.run(root) == 0
    out = capsys.readouterr().out
    assert "All good" in out and "penguins.csv           ok" in out


def test_setup_check_reports_a_corrupted_file(lesson_copy, root, capsys):
    shutil.copy(root / "pyproject.toml", lesson_copy)
    (lesson_copy / "data" / "penguins.csv").write_text("broken\n")
    assert check.run(lesson_copy) == 1
    out = capsys.readouterr().out
    assert "PROBLEM" in out and "does not match" in out


def test_setup_check_reads_the_learners_pins(root):
    pins = check.group_pins(root / "pyproject.toml", "learners")
    assert (
        "ipykernel" in pins and "jupyterlab" in pins
    )  # included group, then its own
    assert "nbval" not in pins  # an author's package
    assert (
        "scikit-learn" in check.lesson_pins()
    )  # lessonkit's own: what the notebooks import


def test_setup_check_fails_without_the_front_end(root, capsys, monkeypatch):
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    real = environment.installed_version
    monkeypatch.setattr(
        check,
        "installed_version",
        lambda name: None if name == "jupyterlab" else real(name),
    )
    assert check.run(root) == 1
    out = capsys.readouterr().out
    assert "JupyterLab is not installed in this environment" in out
    assert "python -m pip install -r requirements.txt" in out


def test_setup_check_fails_on_an_unsupported_python(root, capsys, monkeypatch):
    monkeypatch.delenv("LESSON_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "version_info", (3, 14, 0, "final", 0))
    assert check.run(root) == 1
    assert (
        "Python 3.14 is not supported: the lesson supports Python 3.11, 3.12 and 3.13"
        in capsys.readouterr().out
    )


def test_supported_pythons_come_from_requires_python(root):
    import re

    spec = re.search(
        r'requires-python = "(.*)"', (root / "pyproject.toml").read_text()
    ).group(1)
    assert spec == ">=3.11,<3.14" and environment.supported_pythons() == [
        "3.11",
        "3.12",
        "3.13",
    ]
    assert environment.python_problem((3, 12)) is None
    assert "Python 3.10 is not supported" in environment.python_problem(
        (3, 10)
    )


def test_check_environment_refuses_an_unsupported_python(monkeypatch):
    monkeypatch.setattr(sys, "version_info", (3, 10, 4, "final", 0))
    with pytest.raises(
        lessonkit.LessonEnvironmentError, match="Python 3.10 is not supported"
    ):
        lessonkit.check_environment({})


def _displayed(monkeypatch, module, call):
    """What ``call`` passes to IPython's display (the output a notebook would store)."""
    import IPython.display

    shown = []
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda *args, **kwargs: shown.append((args, kwargs)),
    )
    if hasattr(module, "ipy_display"):
        monkeypatch.setattr(
            module,
            "ipy_display",
            lambda *args, **kwargs: shown.append((args, kwargs)),
        )
    call()
    return shown


@pytest.mark.parametrize("display", [False, True])
def test_glue_writes_what_myst_nb_writes(monkeypatch, display):
    """The site reads glued values with myst-nb: lessonkit's output must be the same, for a
    number and for a figure, without needing myst-nb in the kernel."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from myst_nb.ext import glue as myst_glue

    glue_module = importlib.import_module("lessonkit.glue")
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.plot([0, 1], [1, 0])
    for value in (41.5, fig):
        ours = _displayed(
            monkeypatch,
            glue_module,
            lambda: glue_module.glue("key", value, display=display),
        )
        theirs = _displayed(
            monkeypatch,
            myst_glue,
            lambda: myst_glue.glue("key", value, display=display),
        )
        assert ours == theirs and ours
    plt.close(fig)
    # A NumPy scalar is stored as the plain Python number (its text is "0.5", not "np.float64(0.5)").
    stored = _displayed(
        monkeypatch,
        glue_module,
        lambda: glue_module.glue("x", np.float64(0.5)),
    )
    assert stored[0][0][0] == {
        "application/papermill.record/text/plain": "0.5"
    }


# ------------------------------------------------------------------ the lesson's seed
def test_lesson_seed_defaults_to_the_published_seed(monkeypatch):
    monkeypatch.delenv("LESSON_SEED", raising=False)
    assert lessonkit.lesson_seed() == lessonkit.DEFAULT_SEED == 0
    monkeypatch.setenv("LESSON_SEED", " ")
    assert lessonkit.lesson_seed() == 0


def test_lesson_seed_reads_the_environment(monkeypatch):
    monkeypatch.setenv("LESSON_SEED", "3")
    assert lessonkit.lesson_seed() == 3


@pytest.mark.parametrize("bad", ["one", "-1", "1.5", str(2**32)])
def test_lesson_seed_refuses_what_is_not_a_seed(monkeypatch, bad):
    monkeypatch.setenv("LESSON_SEED", bad)
    with pytest.raises(
        lessonkit.LessonSeedError, match="LESSON_SEED=.*whole number"
    ):
        lessonkit.lesson_seed()
