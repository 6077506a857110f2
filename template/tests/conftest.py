"""Fixtures.

The tests of the code run on small example projects that they build themselves from
scikit-learn's bundled data (no download): iris for classification, diabetes for regression.
So they keep working, unchanged, when you point config.toml at your own data;
tests/test_project.py then checks *your* project.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sklearn.datasets import load_diabetes, load_iris

from tests.helpers import PROJECT, cli

EXAMPLE_CONFIG = """\
[project]
name = "iris-example"
title = "Iris species from flower measurements"
authors = ["The test suite"]
description = "The test suite's example project."
intended_use = "Testing the code."
limitations = "Iris is an easy, old data set."

[data]
raw = "data/raw/iris.csv"
target = "species"
features = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
categorical = []
# group = "site"

[data.ranges]
sepal_length_cm = [0, 15]
petal_length_cm = [0, 15]

[validation]
test_fraction = 0.2
scheme = "repeated-kfold"
n_splits = 5
n_repeats = 2
metric = "balanced_accuracy"
confidence = 0.95

[seeds]
split = 1
model = 2
test = 3

[model]
share = "model"
n_estimators = 10
"""

REGRESSION_CONFIG = """\
[project]
name = "diabetes-example"
title = "Disease progression from baseline measurements"

[task]
type = "regression"

[data]
raw = "data/raw/diabetes.csv"
target = "progression"
features = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]

[data.ranges]
bmi = [-1, 1]
progression = [0, 400]

[validation]
test_fraction = 0.25
scheme = "repeated-kfold"
n_splits = 5
n_repeats = 1
metric = "neg_mean_absolute_error"
confidence = 0.95

[seeds]
split = 1
model = 2
test = 3

[model]
share = "baseline"
n_estimators = 10
"""


def make_example(folder: Path) -> Path:
    """Write a complete little project into `folder`: config.toml, data/raw/iris.csv with its
    checksum, and the processed data. The rows get a made-up `site` column (six sites), for
    trying group-kfold. Iris has one row twice (lines 103 and 144): we keep the first."""
    iris = load_iris(as_frame=True)
    table = iris.data.rename(columns=lambda name: name.replace(" (cm)", "_cm").replace(" ", "_"))
    table["species"] = iris.target_names[iris.target]
    table["site"] = [f"site-{i % 6}" for i in range(len(table))]
    table = table[~table.drop(columns="site").duplicated()]
    (folder / "data" / "raw").mkdir(parents=True)
    table.to_csv(folder / "data" / "raw" / "iris.csv", index=False)
    assert cli("checksum", folder / "data" / "raw" / "iris.csv") == 0
    (folder / "config.toml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
    assert cli("prepare", "--config", folder / "config.toml") == 0
    return folder


def make_regression(folder: Path) -> Path:
    """The same for regression: scikit-learn's diabetes data (442 patients, 10 features)."""
    diabetes = load_diabetes(as_frame=True)
    table = diabetes.data.assign(progression=diabetes.target)
    (folder / "data" / "raw").mkdir(parents=True)
    table.to_csv(folder / "data" / "raw" / "diabetes.csv", index=False)
    assert cli("checksum", folder / "data" / "raw" / "diabetes.csv") == 0
    (folder / "config.toml").write_text(REGRESSION_CONFIG, encoding="utf-8")
    assert cli("prepare", "--config", folder / "config.toml") == 0
    return folder


@pytest.fixture(autouse=True)
def fewer_resamples(monkeypatch):
    """The tests check how the test set is scored, not how precise its interval is: 100
    bootstrap resamples instead of 1000 keep them fast."""
    monkeypatch.setattr("mlproject.holdout.RESAMPLES", 100)


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """The example project, in a fresh temporary folder: each test may break its own copy."""
    return make_example(tmp_path)


@pytest.fixture(scope="session")
def example_trained(tmp_path_factory) -> Path:
    """The example project, trained once; returns the project folder (outputs in results/)."""
    folder = make_example(tmp_path_factory.mktemp("example"))
    assert cli("train", "--config", folder / "config.toml") == 0
    return folder


@pytest.fixture
def trained(example_trained, tmp_path) -> Path:
    """A copy of the trained example project, for a test to change (faster than training)."""
    return Path(shutil.copytree(example_trained, tmp_path / "trained"))


@pytest.fixture
def regression(tmp_path: Path) -> Path:
    return make_regression(tmp_path)


@pytest.fixture(scope="session")
def project_trained(tmp_path_factory) -> Path:
    """Your project (config.toml and data/), trained once; returns the folder of outputs."""
    out = tmp_path_factory.mktemp("results")
    assert cli("train", "--config", PROJECT / "config.toml", "--out", out) == 0
    return out
