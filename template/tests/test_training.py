"""Training, the test set, predictions: repeatable, honest, and their outputs complete.

These tests use the example projects (see conftest.py); tests/test_project.py trains yours.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from mlproject.model import load_model
from mlproject.report import code_label, code_version
from tests.helpers import PROJECT, cli, edit, renew, results

pytestmark = pytest.mark.filterwarnings("error")  # a warning fails the test

OUTPUTS = (
    "model.skops",
    "SHA256SUMS",
    "scores.png",
    "model-card.md",
    "results.json",
    "run-info.json",
)
FLOWERS = pd.DataFrame(
    [[5.0, 3.5, 1.4, 0.2], [6.5, 3.0, 5.8, 2.2]],  # a typical setosa and a typical virginica
    columns=["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"],
)


def card(folder):
    return (folder / "model-card.md").read_text(encoding="utf-8")


def test_training_writes_every_output(example_trained):
    for name in OUTPUTS:
        assert (example_trained / "results" / name).is_file(), f"{name} was not written"


def test_two_runs_give_identical_results_card_and_figure(example_trained, tmp_path):
    assert cli("train", "--config", example_trained / "config.toml", "--out", tmp_path) == 0
    for name in ("results.json", "model-card.md", "scores.png"):
        first = (example_trained / "results" / name).read_bytes()
        assert (tmp_path / name).read_bytes() == first, f"{name} differs between two runs"
    # The model files differ (a zip file stores the time), but the models predict the same.
    flowers = pd.read_csv(example_trained / "data" / "raw" / "iris.csv").drop(
        columns=["species", "site"]
    )
    first = load_model(example_trained / "results" / "model.skops")[0].predict_proba(flowers)
    assert (load_model(tmp_path / "model.skops")[0].predict_proba(flowers) == first).all()


def test_results_hold_no_paths_or_times(example_trained):
    text = (example_trained / "results" / "results.json").read_text(encoding="utf-8")
    assert str(example_trained) not in text and str(PROJECT) not in text
    assert "utc" not in text.lower() and "duration" not in text


def test_results_record_data_scheme_seeds_and_versions(example_trained):
    found = results(example_trained / "results")
    assert found["data"]["rows_used"] == 149  # iris without its duplicated row
    assert found["data"]["classes"] == {"setosa": 50, "versicolor": 50, "virginica": 49}
    assert found["test_set"]["rows"] == 30 and found["validation"]["rows"] == 119
    assert found["validation"]["folds"] == 5 * 2  # n_splits x n_repeats
    assert len(found["scores"]["model"]["folds"]) == 10
    assert found["config"]["seeds"] == {"split": 1, "model": 2, "test": 3}
    assert found["environment"]["scikit-learn"]


def test_model_beats_the_dummy_baseline(example_trained):
    difference = results(example_trained / "results")["comparisons"]["model - dummy"]
    assert difference["interval"][0] > 0, f"not clearly better than guessing: {difference}"
    assert difference["verdict"] == "model is better"


def test_saved_model_loads_and_predicts(example_trained):
    model, digest = load_model(example_trained / "results" / "model.skops")
    assert list(model.predict(FLOWERS)) == ["setosa", "virginica"]
    assert (example_trained / "results" / "SHA256SUMS").read_text().startswith(digest)


def test_model_card_quotes_the_results(example_trained):
    text, found = card(example_trained / "results"), results(example_trained / "results")
    assert f"{found['scores']['model']['mean']:.3f}" in text
    assert found["data"]["raw"]["sha256"] in text and found["data"]["processed"]["sha256"] in text
    for section in (
        "## Intended use",
        "## Training and evaluation data",
        "## Metrics",
        "## Caveats",
    ):
        assert section in text
    assert "![Dot plot of the balanced_accuracy of each of 10 cross-validation folds" in text
    assert "Test set: 30 rows, 0.2 of the data" in text and "Nobody has looked at them yet" in text


def test_the_card_counts_duplicates_kept(example_trained):
    from mlproject.config import load_config
    from mlproject.report import model_card

    found = results(example_trained / "results")
    found["data"]["duplicated_rows_kept"] = 3
    assert "3 duplicated rows kept ([data] allow_duplicates)" in model_card(
        found, load_config(example_trained / "config.toml")
    )


def test_the_test_rows_take_no_part_in_training(trained, tmp_path):
    """Change every feature of the test rows: the cross-validation scores do not move."""
    csv = trained / "data" / "raw" / "iris.csv"
    table = pd.read_csv(csv)
    table.loc[_test_rows(trained), "sepal_width_cm"] = (
        1.0  # the stratified split does not read features
    )
    table.to_csv(csv, index=False)
    renew(trained)
    assert cli("train", "--config", trained / "config.toml", "--out", tmp_path / "after") == 0
    before, after = results(trained / "results"), results(tmp_path / "after")
    assert before["data"]["processed"]["sha256"] != after["data"]["processed"]["sha256"]
    assert before["scores"] == after["scores"] and before["per_class"] == after["per_class"]


def _test_rows(project):
    from mlproject.config import load_config
    from mlproject.data import load_dataset
    from mlproject.holdout import hold_out

    config = load_config(project / "config.toml")
    return list(hold_out(config, load_dataset(config))[1].y.index)


def test_evaluate_test_needs_a_training_run_first(example, capsys):
    assert cli("evaluate-test", "--config", example / "config.toml") == 1
    assert "run `python -m mlproject train` first" in " ".join(capsys.readouterr().err.split())


def test_evaluate_test_looks_once_and_a_second_look_shows(trained, capsys):
    config = trained / "config.toml"
    assert cli("evaluate-test", "--config", config) == 0
    assert "Test set, look 1: balanced_accuracy" in capsys.readouterr().out
    log = [json.loads(line) for line in (trained / "test-set-log.jsonl").read_text().splitlines()]
    assert len(log) == 1 and log[0]["look"] == 1 and log[0]["utc"]
    look = results(trained / "results")["test_set"]["looks"][0]
    assert (
        look["rows"] == 30 and look["model_sha256"] == log[0]["model_sha256"] and "utc" not in look
    )
    assert "Look 1: balanced_accuracy" in card(trained / "results")

    assert cli("evaluate-test", "--config", config) == 1  # a second look needs --again
    assert "looked at 1 time(s) already" in " ".join(capsys.readouterr().err.split())
    assert cli("evaluate-test", "--config", config, "--again") == 0
    assert "This is look 2" in capsys.readouterr().out
    assert "looked at 2 times: only the first look is an unbiased estimate" in card(
        trained / "results"
    )

    # Training again keeps the looks in the results; changed settings after a look show too.
    edit(config, "n_estimators = 10", "n_estimators = 11")
    assert cli("train", "--config", config) == 0
    found = results(trained / "results")["test_set"]["looks"]
    assert [look["look"] for look in found] == [1, 2]
    assert "settings in config.toml have changed since the last look" in card(trained / "results")


def test_evaluate_test_refuses_results_of_other_settings(trained, capsys):
    edit(trained / "config.toml", "n_estimators = 10", "n_estimators = 11")
    assert cli("evaluate-test", "--config", trained / "config.toml") == 1
    assert "do not come from config.toml" in " ".join(capsys.readouterr().err.split())
    assert not (trained / "test-set-log.jsonl").exists()


def test_a_model_file_that_does_not_match_its_checksum_is_refused(trained, capsys, monkeypatch):
    monkeypatch.chdir(trained)
    with open(trained / "results" / "model.skops", "ab") as model:
        model.write(b"\0")  # any change: another run's model, a damaged download
    for command in (["evaluate-test"], ["predict", "data/raw/iris.csv"]):
        assert cli(*command) == 1
        err = " ".join(capsys.readouterr().err.split())
        assert (
            "'results/model.skops' has changed since its checksum was recorded" in err
            and "train again" in err
        )
    assert not (trained / "test-set-log.jsonl").exists()


def test_predict_writes_predictions_with_model_checksum_and_code_version(
    example_trained, tmp_path, capsys
):
    new = tmp_path / "new.csv"
    FLOWERS.assign(petal_width_cm=[0.2, None]).to_csv(
        new, index=False
    )  # the second flower lacks a value
    out = tmp_path / "predicted.csv"
    assert cli("predict", new, "--config", example_trained / "config.toml", "--out", out) == 0
    assert "Predicted 1 row(s)" in capsys.readouterr().out
    found = pd.read_csv(out)
    digest = load_model(example_trained / "results" / "model.skops")[1]
    assert found["predicted_species"].iloc[0] == "setosa" and pd.isna(
        found["predicted_species"].iloc[1]
    )
    assert found["probability_setosa"].iloc[0] > 0.5
    assert (found["model_sha256"] == digest).all()
    assert found["code_version"].iloc[0].startswith("mlproject ")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"petal_length_cm": [1.4, 58]},
            ["Column 'petal_length_cm' has values outside", "(line 3)"],
        ),
        ({"petal_length_cm": [1.4, "5.8 cm"]}, ["should hold numbers", "'5.8 cm' (line 3)"]),
        (
            {"petal_length": [1.4, 5.8]},
            ["feature column 'petal_length_cm'", "Did you mean 'petal_length'?"],
        ),
    ],
)
def test_predict_checks_new_data_like_the_training_data(
    example_trained, tmp_path, capsys, change, words
):
    new = tmp_path / "new.csv"
    table = FLOWERS.drop(columns="petal_length_cm") if "petal_length" in change else FLOWERS.copy()
    table.assign(**change).to_csv(new, index=False)
    assert (
        cli(
            "predict", new, "--config", example_trained / "config.toml", "--out", tmp_path / "p.csv"
        )
        == 1
    )
    err = " ".join(capsys.readouterr().err.split())
    assert err.startswith("error: ") and all(word in err for word in words), err


def test_an_honest_null_result_is_not_a_failure(example):
    """Labels that the features cannot predict: train succeeds, and the card says so."""
    csv = example / "data" / "raw" / "iris.csv"
    table = pd.read_csv(csv)
    table["species"] = np.random.default_rng(0).permutation(table["species"].to_numpy())
    table.to_csv(csv, index=False)
    renew(example)
    assert cli("train", "--config", example / "config.toml") == 0
    found = results(example / "results")
    assert found["comparisons"]["model - dummy"]["verdict"] == "no clear difference"
    assert found["conclusions"][0].startswith("The model is not clearly better than the dummy")
    assert "That is a result, not a failure: report it." in card(example / "results")


def test_sharing_the_baseline(example):
    edit(example / "config.toml", 'share = "model"', 'share = "baseline"')
    assert cli("train", "--config", example / "config.toml") == 0
    model, _ = load_model(example / "results" / "model.skops")
    assert type(model[-1]).__name__ == "LogisticRegression"
    assert "Model shared: the baseline, `StandardScaler() -> LogisticRegression" in card(
        example / "results"
    )
    assert results(example / "results")["shared"] == "baseline"


def test_categorical_features_are_encoded(example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_cm", "site"]')
    edit(example / "config.toml", "categorical = []", 'categorical = ["site"]')
    assert cli("train", "--config", example / "config.toml") == 0
    flowers = pd.read_csv(example / "data" / "raw" / "iris.csv").head(3).drop(columns="species")
    model, _ = load_model(example / "results" / "model.skops")  # the encoder needs no new types
    assert list(model.predict(flowers)) == ["setosa"] * 3
    flowers["site"] = "a site never seen in training"  # its encoding is all zeros
    assert len(model.predict(flowers)) == 3


def test_group_kfold_runs(example):
    edit(example / "config.toml", 'scheme = "repeated-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', 'group = "site"')
    edit(example / "config.toml", "n_splits = 5", "n_splits = 3")
    assert cli("train", "--config", example / "config.toml") == 0
    found = results(example / "results")
    assert found["data"]["groups"] == 6 and found["test_set"]["groups"] == 2
    # 2 repeats of 3 folds of the 4 development sites, but a fold that comes up twice is kept once
    assert 3 <= found["validation"]["folds"] <= 6
    assert "grouped by 'site'" in card(example / "results") and "30 rows (2 groups)" not in card(
        example / "results"
    )


def test_regression_end_to_end(regression, capsys):
    config = regression / "config.toml"
    assert cli("validate", "--config", config) == 0
    assert "target from 25 to 346" in capsys.readouterr().out
    assert cli("train", "--config", config) == 0
    found = results(regression / "results")
    assert found["task"] == "regression" and found["per_class"] is None
    assert found["models"]["dummy"] == "DummyRegressor()"
    assert found["models"]["baseline"] == "StandardScaler() -> LinearRegression()"
    assert found["models"]["model"].startswith("RandomForestRegressor(")
    assert found["data"]["summary"]["min"] == 25 and found["test_set"]["rows"] == 111
    assert found["comparisons"]["model - dummy"]["verdict"] == "model is better"
    text = card(regression / "results")
    assert (
        "Target `progression`: mean" in text
        and "Errors are negated" in text
        and "classes" not in text
    )
    assert cli("evaluate-test", "--config", config) == 0
    look = results(regression / "results")["test_set"]["looks"][0]
    assert look["metric"] == "neg_mean_absolute_error" and look["score"] < 0
    new = regression / "new.csv"
    pd.read_csv(regression / "data" / "raw" / "diabetes.csv").head(5).drop(
        columns="progression"
    ).to_csv(new, index=False)
    assert cli("predict", new, "--config", config) == 0
    predicted = pd.read_csv(regression / "results" / "new-predictions.csv")
    assert predicted["predicted_progression"].between(
        25, 346
    ).all() and "probability_" not in "".join(predicted.columns)


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
    edit(example / "config.toml", "n_estimators = 10", "n_estimators = 11")
    assert code_version(example)["uncommitted_changes"] is True
    assert code_label(example).endswith(f"git {code['git_commit']} with uncommitted changes")


def test_results_and_card_give_each_class(example_trained):
    found = results(example_trained / "results")["per_class"]
    assert found["classes"] == ["setosa", "versicolor", "virginica"]
    assert (
        sum(map(sum, found["confusion_matrix"])) == 119
    )  # every development flower predicted once
    assert found["recall"]["setosa"] == 1.0  # setosa is easy
    text = card(example_trained / "results")
    assert "| True class | Recall |" in text and "| setosa | 1.000 |" in text


def test_compare_command(example_trained, tmp_path, capsys):
    first = example_trained / "results" / "results.json"
    assert cli("compare", first, first) == 0
    changed = results(example_trained / "results")
    changed["scores"]["model"]["mean"] += 0.01
    (tmp_path / "changed.json").write_text(json.dumps(changed))
    assert cli("compare", first, tmp_path / "changed.json") == 1
    assert "in 1 place(s)" in " ".join(capsys.readouterr().err.split())
