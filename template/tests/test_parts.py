"""Unit tests of the pieces: checksums, splits and intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.base import clone
from sklearn.datasets import load_iris
from sklearn.metrics import average_precision_score, balanced_accuracy_score
from sklearn.preprocessing import label_binarize

from mlproject.compare import differences
from mlproject.config import load_config
from mlproject.data import Dataset, read_checksums, record_checksum, sha256
from mlproject.errors import DataError
from mlproject.evaluate import (
    check_every_class_is_trained,
    interval,
    make_splits,
    score_models,
    verdict,
)
from mlproject.holdout import fingerprint, hold_out, score_test_set
from mlproject.model import make_models
from mlproject.report import which_model
from tests.helpers import edit

pytestmark = pytest.mark.filterwarnings("error")


def test_recording_a_checksum_adds_or_replaces_one_line(tmp_path):
    (tmp_path / "a.csv").write_text("x\n1\n")
    (tmp_path / "b.csv").write_text("x\n2\n")
    record_checksum(tmp_path / "b.csv")
    record_checksum(tmp_path / "a.csv")
    (tmp_path / "a.csv").write_text("x\n3\n")
    record_checksum(tmp_path / "a.csv")
    assert read_checksums(tmp_path / "SHA256SUMS") == {
        "a.csv": sha256(tmp_path / "a.csv"),
        "b.csv": sha256(tmp_path / "b.csv"),
    }
    # the same format as `sha256sum`, so `sha256sum -c SHA256SUMS` can check it too
    assert (tmp_path / "SHA256SUMS").read_text().splitlines()[
        0
    ] == f"{sha256(tmp_path / 'a.csv')}  a.csv"


def test_interval_matches_the_corrected_t_interval():
    scores = np.array([0.8, 0.9, 0.85, 0.95, 0.75])
    low, high = interval(scores, n_train=80, n_test=20, confidence=0.95)
    half = stats.t.ppf(0.975, df=4) * np.sqrt(scores.var(ddof=1) * (1 / 5 + 20 / 80))
    assert low == pytest.approx(scores.mean() - half)
    assert high == pytest.approx(scores.mean() + half)
    # wider than the naive interval, which treats the folds as independent
    naive = stats.t.ppf(0.975, df=4) * scores.std(ddof=1) / np.sqrt(5)
    assert high - low > 2 * naive


def test_verdict_reads_the_interval():
    assert verdict(0.01, 0.2) == "model is better"
    assert verdict(-0.2, -0.01, first="forest") == "forest is worse"
    assert verdict(-0.1, 0.1) == "no clear difference"


@pytest.mark.parametrize(
    ("shared", "interval", "words"),
    [
        ("model", [0.01, 0.2], "which scores clearly better"),
        ("model", [-0.1, 0.1], 'share = "baseline"'),
        ("model", [-0.2, -0.01], "although it is clearly worse than the simpler baseline"),
        (
            "baseline",
            [-0.2, -0.01],
            "the baseline, which scores clearly better than the model: difference -0.105",
        ),
        (
            "baseline",
            [-0.1, 0.1],
            "not clearly better than this simpler model: difference +0.000 (-0.100 to +0.100)",
        ),
        ("baseline", [0.01, 0.2], "Give the reason."),
    ],
)
def test_the_card_says_whether_the_comparison_supports_the_shared_model(shared, interval, words):
    # The interval is that of the difference, model minus baseline.
    found = {"shared": shared, "comparisons": {"model - baseline": {"interval": interval}}}
    assert which_model(found).startswith(f"Shared in model.skops: the {shared}")
    assert words in which_model(found)


def toy_data(n_groups=6, per_group=10):
    groups = pd.Series(np.repeat(np.arange(n_groups), per_group))
    y = pd.Series(np.tile([0, 1], n_groups * per_group // 2))
    X = pd.DataFrame({"x": np.arange(len(y), dtype=float)})
    return Dataset(
        X=X, y=y, groups=groups, sha256="", raw_sha256="", rows_read=len(y), rows_dropped=0
    )


def iris_data():
    """The 150 iris flowers as a Dataset, with the species names as labels."""
    iris = load_iris(as_frame=True)
    return Dataset(
        X=iris.data,
        y=pd.Series(iris.target_names[iris.target]),
        groups=None,
        sha256="",
        raw_sha256="",
        rows_read=150,
        rows_dropped=0,
    )


def test_group_kfold_keeps_groups_together_and_drops_repeated_folds(example):
    edit(example / "config.toml", 'scheme = "repeated-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', 'group = "site"')
    edit(example / "config.toml", "n_splits = 5", "n_splits = 3")
    data = toy_data()
    splits = make_splits(load_config(example / "config.toml"), data)
    for train, test in splits:
        assert not set(data.groups.iloc[train]) & set(data.groups.iloc[test])
    tests = [tuple(test) for _, test in splits]
    assert len(tests) == len(set(tests))  # no fold twice
    # with as many folds as groups, every repeat gives the same folds: only one set is kept
    edit(example / "config.toml", "n_splits = 3", "n_splits = 6")
    assert len(make_splits(load_config(example / "config.toml"), data)) == 6


def test_the_same_seed_gives_the_same_splits(example):
    config = load_config(example / "config.toml")
    data = toy_data()
    first, second = make_splits(config, data), make_splits(config, data)
    assert all((a[1] == b[1]).all() for a, b in zip(first, second))


def test_a_fold_whose_training_rows_lack_a_class_is_refused():
    data = toy_data(n_groups=4)  # 10 rows per group, classes 0 and 1 alternating
    data.y.iloc[0:20:2] = 2  # class 2 (instead of 0): only in groups 0 and 1
    rows = lambda groups: np.flatnonzero(data.groups.isin(groups).to_numpy())  # noqa: E731
    check_every_class_is_trained([(rows([0, 2, 3]), rows([1]))], data)  # every class trained
    with pytest.raises(DataError, match="every row of class 2 is in the test fold"):
        check_every_class_is_trained([(rows([2, 3]), rows([0, 1]))], data)


def test_every_model_is_scored_on_its_predicted_probabilities(example):
    """scikit-learn's "average_precision" scorer prefers decision_function, which the logistic
    baseline has and the forest has not: the two would be scored on different scales."""
    edit(example / "config.toml", 'metric = "balanced_accuracy"', 'metric = "average_precision"')
    config = load_config(example / "config.toml")
    data = iris_data()
    splits = make_splits(config, data)[:3]
    models = make_models(config)
    scores = score_models(models, data, splits, config.metric)
    for name, model in models.items():
        for (train, test), score in zip(splits, scores[name]):
            fitted = clone(model).fit(data.X.iloc[train], data.y.iloc[train])
            truth = label_binarize(data.y.iloc[test], classes=fitted.classes_)
            expected = average_precision_score(truth, fitted.predict_proba(data.X.iloc[test]))
            assert score == pytest.approx(expected), name


# ------------------------------------------------------------------ the test set
def test_the_test_set_is_disjoint_stratified_and_has_its_own_seed(example):
    config = load_config(example / "config.toml")
    data = iris_data()
    development, test = hold_out(config, data)
    assert not set(development.y.index) & set(test.y.index)
    assert len(development.y) + len(test.y) == 150 and len(test.y) == 30
    assert test.y.value_counts().to_dict() == {"setosa": 10, "versicolor": 10, "virginica": 10}
    # Another split seed (to check the folds) leaves the test set where it is; another test
    # seed moves it.
    edit(example / "config.toml", "split = 1", "split = 99")
    moved = hold_out(load_config(example / "config.toml"), data)[1]
    assert list(moved.y.index) == list(test.y.index)
    edit(example / "config.toml", "test = 3", "test = 4")
    moved = hold_out(load_config(example / "config.toml"), data)[1]
    assert fingerprint(data, moved) != fingerprint(data, test)


def test_the_test_set_keeps_groups_whole(example):
    edit(example / "config.toml", 'scheme = "repeated-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', 'group = "site"')
    data = toy_data()
    development, test = hold_out(load_config(example / "config.toml"), data)
    assert not set(development.groups) & set(test.groups)
    assert test.groups.nunique() == 2  # a fifth of six groups, rounded up


def test_a_class_only_in_the_test_groups_is_refused(example):
    edit(example / "config.toml", 'scheme = "repeated-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', 'group = "site"')
    config = load_config(example / "config.toml")
    data = toy_data()
    test_groups = set(hold_out(config, data)[1].groups)
    data.y[data.groups.isin(test_groups)] = 2  # class 2 only in the test set's groups
    with pytest.raises(DataError, match="Every row of class 2 is in the test set's groups"):
        hold_out(config, data)


def test_the_test_score_and_its_bootstrap_interval(example):
    config = load_config(example / "config.toml")
    data = iris_data()
    development, test = hold_out(config, data)
    model = make_models(config)["baseline"].fit(development.X, development.y)
    found = score_test_set(model, test, config)
    expected = balanced_accuracy_score(test.y, model.predict(test.X))
    assert found["score"] == pytest.approx(expected) and found["rows"] == 30
    low, high = found["interval"]
    assert low <= found["score"] <= high <= 1
    assert score_test_set(model, test, config) == found  # seeded: the same interval every time


# ------------------------------------------------------------------ comparing results files
def test_numbers_are_compared_with_a_tolerance_and_the_rest_exactly():
    committed = {
        "scores": {"model": {"mean": 0.951234, "folds": [0.9, 1.0]}},
        "shared": "baseline",
        "environment": {"python": "3.11.7"},
        "n": 3,
    }
    assert differences(committed, committed) == []
    # the sixth decimal flips on another machine, and another Python runs it: a match
    other = {
        "scores": {"model": {"mean": 0.951235, "folds": [0.9, 1.0]}},
        "shared": "baseline",
        "environment": {"python": "3.13.1"},
        "n": 3,
    }
    assert differences(committed, other) == []
    # a real change: a number, a text, a list's length, a missing key
    other = {"scores": {"model": {"mean": 0.96, "folds": [0.9]}}, "shared": "model", "n": 3.0}
    assert differences(committed, other) == [
        "scores.model.folds: 2 items against 1",
        "scores.model.mean: 0.951234 against 0.96",
        "shared: 'baseline' against 'model'",
    ]
    assert differences({"a": 1}, {"b": 1}) == [
        "a: only in the first file",
        "b: only in the second file",
    ]
    assert differences({"a": True}, {"a": 1}) == ["a: True against 1"]
