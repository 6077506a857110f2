"""Fixtures.

The tests of the code run on a small example project that they build themselves from
scikit-learn's bundled iris data (no download), so they keep working, unchanged, when you
point config.toml at your own data. tests/test_project.py then checks *your* project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sklearn.datasets import load_iris

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
file = "data/iris.csv"
target = "species"
features = ["sepal_length_cm", "sepal_width_cm", "petal_length_cm", "petal_width_cm"]
categorical = []
# group = "site"

[data.ranges]
sepal_length_cm = [0, 15]
petal_length_cm = [0, 15]

[validation]
scheme = "repeated-stratified-kfold"
n_splits = 5
n_repeats = 2
metric = "balanced_accuracy"
confidence = 0.95

[seeds]
split = 1
model = 2

[model]
share = "model"
n_estimators = 20
"""


def make_example(folder: Path) -> Path:
    """Write a complete little project into `folder`: config.toml, and data/iris.csv with its
    checksum. The rows get a made-up `site` column (six sites), for trying group-kfold."""
    iris = load_iris(as_frame=True)
    table = iris.data.rename(columns=lambda name: name.replace(" (cm)", "_cm").replace(" ", "_"))
    table["species"] = iris.target_names[iris.target]
    table["site"] = [f"site-{i % 6}" for i in range(len(table))]
    (folder / "data").mkdir()
    table.to_csv(folder / "data" / "iris.csv", index=False)
    assert cli("checksum", folder / "data" / "iris.csv") == 0
    (folder / "config.toml").write_text(EXAMPLE_CONFIG, encoding="utf-8")
    return folder


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


@pytest.fixture(scope="session")
def project_trained(tmp_path_factory) -> Path:
    """Your project (config.toml and data/), trained once; returns the folder of outputs."""
    out = tmp_path_factory.mktemp("results")
    assert cli("train", "--config", PROJECT / "config.toml", "--out", out) == 0
    return out
