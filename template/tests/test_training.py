"""A training run: fast, repeatable, better than the dummy, and its outputs are complete.

These tests train the example project (see conftest.py); tests/test_project.py trains yours.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from mlproject.model import load_model
from tests.helpers import PROJECT, cli, edit

pytestmark = pytest.mark.filterwarnings("error")  # a warning fails the test

OUTPUTS = ("model.skops", "model-card.md", "results.json", "run-info.json")


def results(folder):
    return json.loads((folder / "results.json").read_text(encoding="utf-8"))


def test_training_writes_every_output(example_trained):
    for name in OUTPUTS:
        assert (example_trained / "results" / name).is_file(), f"{name} was not written"


def test_two_runs_give_identical_results_files(example_trained, tmp_path):
    assert cli("train", "--config", example_trained / "config.toml", "--out", tmp_path) == 0
    for name in ("results.json", "model-card.md"):
        first = (example_trained / "results" / name).read_bytes()
        assert (tmp_path / name).read_bytes() == first, f"{name} differs between two runs"
    # The model files differ (a zip file stores the time), but the models predict the same.
    flowers = pd.read_csv(example_trained / "data" / "iris.csv").drop(columns=["species", "site"])
    first = load_model(example_trained / "results" / "model.skops").predict_proba(flowers)
    assert (load_model(tmp_path / "model.skops").predict_proba(flowers) == first).all()


def test_results_hold_no_paths_or_times(example_trained):
    text = (example_trained / "results" / "results.json").read_text(encoding="utf-8")
    assert str(example_trained) not in text and str(PROJECT) not in text
    assert "utc" not in text.lower() and "duration" not in text


def test_results_record_data_scheme_seeds_and_versions(example_trained):
    found = results(example_trained / "results")
    assert found["data"]["rows_used"] == 150
    assert found["data"]["classes"] == {"setosa": 50, "versicolor": 50, "virginica": 50}
    assert found["validation"]["folds"] == 5 * 2  # n_splits x n_repeats
    assert len(found["scores"]["model"]["folds"]) == 10
    assert found["config"]["seeds"] == {"split": 1, "model": 2}
    assert found["environment"]["scikit-learn"]


def test_model_beats_the_dummy_baseline(example_trained):
    difference = results(example_trained / "results")["comparisons"]["model - dummy"]
    assert difference["interval"][0] > 0, f"not clearly better than guessing: {difference}"
    assert difference["verdict"] == "model scores higher"


def test_saved_model_loads_and_predicts(example_trained):
    model = load_model(example_trained / "results" / "model.skops")
    flowers = pd.DataFrame(
        [[5.0, 3.5, 1.4, 0.2], [6.5, 3.0, 5.8, 2.2]],  # a typical setosa and a typical virginica
        columns=["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"],
    )
    assert list(model.predict(flowers)) == ["setosa", "virginica"]


def test_model_card_quotes_the_results(example_trained):
    card = (example_trained / "results" / "model-card.md").read_text(encoding="utf-8")
    found = results(example_trained / "results")
    assert f"{found['scores']['model']['mean']:.3f}" in card
    assert found["data"]["sha256"] in card
    for section in ("## Intended use", "## Training and evaluation data", "## Metrics", "## Caveats"):
        assert section in card


def test_sharing_the_baseline(example):
    edit(example / "config.toml", 'share = "model"', 'share = "baseline"')
    assert cli("train", "--config", example / "config.toml") == 0
    model = load_model(example / "results" / "model.skops")
    assert type(model[-1]).__name__ == "LogisticRegression"
    card = (example / "results" / "model-card.md").read_text(encoding="utf-8")
    assert "Model shared: the baseline, `StandardScaler() -> LogisticRegression" in card
    assert results(example / "results")["shared"] == "baseline"


def test_categorical_features_are_encoded(example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_cm", "site"]')
    edit(example / "config.toml", "categorical = []", 'categorical = ["site"]')
    assert cli("train", "--config", example / "config.toml") == 0
    flowers = pd.read_csv(example / "data" / "iris.csv").head(3).drop(columns="species")
    model = load_model(example / "results" / "model.skops")  # the encoder needs no new types
    assert list(model.predict(flowers)) == ["setosa"] * 3
    flowers["site"] = "a site never seen in training"  # its encoding is all zeros
    assert len(model.predict(flowers)) == 3


def test_group_kfold_runs(example, capsys):
    config = example / "config.toml"
    config.write_text(
        config.read_text()
        .replace('scheme = "repeated-stratified-kfold"', 'scheme = "group-kfold"')
        .replace('# group = "site"', 'group = "site"')
    )
    assert cli("train", "--config", config) == 0
    found = results(example / "results")
    assert found["data"]["groups"] == 6
    # 2 repeats of 5 folds, but a fold that comes up twice is kept once
    assert 5 < found["validation"]["folds"] <= 10
    assert "grouped by 'site' (6 groups)" in (example / "results" / "model-card.md").read_text()


def test_command_line_runs_as_a_module(example):
    """`python -m mlproject` works in a fresh process (what you type in a terminal)."""
    done = subprocess.run(
        [sys.executable, "-m", "mlproject", "validate"],
        capture_output=True,
        text=True,
        cwd=example,
        env={**os.environ, "PYTHONPATH": str(PROJECT / "src")},
    )
    assert done.returncode == 0, done.stderr
    assert "The data pass every check" in done.stdout
    assert done.stderr == ""


def test_run_info_records_the_code_version(example_trained):
    info = json.loads((example_trained / "results" / "run-info.json").read_text(encoding="utf-8"))
    code = info["code"]
    # The example lives in a temporary folder: no git repository, and the note says so.
    assert code["git_commit"] is None and "not recorded" in code["note"]


def test_run_info_records_commit_and_uncommitted_changes(example, tmp_path):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    if subprocess.run(["git", "--version"], capture_output=True).returncode != 0:
        pytest.skip("git is not installed")
    (example / ".gitignore").write_text("a/\nb/\n")  # the outputs below (tmp_path is example)
    subprocess.run([*git, "init", "-q"], cwd=example, check=True)
    subprocess.run([*git, "add", "."], cwd=example, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], cwd=example, check=True)
    assert cli("train", "--config", example / "config.toml", "--out", tmp_path / "a") == 0
    code = json.loads((tmp_path / "a" / "run-info.json").read_text())["code"]
    assert len(code["git_commit"]) == 40 and code["uncommitted_changes"] is False
    edit(example / "config.toml", "n_estimators = 20", "n_estimators = 21")
    assert cli("train", "--config", example / "config.toml", "--out", tmp_path / "b") == 0
    assert json.loads((tmp_path / "b" / "run-info.json").read_text())["code"]["uncommitted_changes"] is True


def test_results_and_card_give_each_class(example_trained):
    found = results(example_trained / "results")["per_class"]
    assert found["classes"] == ["setosa", "versicolor", "virginica"]
    assert sum(map(sum, found["confusion_matrix"])) == 150  # every flower predicted once
    assert found["recall"]["setosa"] == 1.0  # setosa is easy
    card = (example_trained / "results" / "model-card.md").read_text(encoding="utf-8")
    assert "| True class | Recall |" in card and "| setosa | 1.000 |" in card
