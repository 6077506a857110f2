"""Bad input stops the run with one short message that names the problem (and no traceback).

Each test breaks the example project in one way, runs `python -m mlproject validate` (or
`train`) on it, and checks the exit status and the message.
"""

from __future__ import annotations

import pytest

from tests.helpers import change_data, cli, edit

pytestmark = pytest.mark.filterwarnings("error")  # a warning fails the test


def fails_with(capsys, project, *words, command="validate"):
    """Run a command on a project; check it fails with a message containing every word."""
    status = cli(command, "--config", project / "config.toml")
    out, err = capsys.readouterr()
    assert status == 1, f"expected a failure, got status {status}: {out}"
    assert err.startswith("error: "), err
    assert "Traceback" not in err
    flat = " ".join(err.split())  # the message is wrapped for the terminal
    for word in words:
        assert word in flat, f"{word!r} not in the message:\n{err}"
    return err


def use_groups(example, column="site", n_splits=None):
    edit(example / "config.toml", 'scheme = "repeated-stratified-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', f'group = "{column}"')
    if n_splits:
        edit(example / "config.toml", "n_splits = 5", f"n_splits = {n_splits}")


def test_the_example_passes(capsys, example):
    assert cli("validate", "--config", example / "config.toml") == 0
    assert "The data pass every check" in capsys.readouterr().out


# ------------------------------------------------------------------ the four cases to catch
def test_missing_column(capsys, example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_mm"]')
    fails_with(capsys, example, "feature column 'petal_width_mm'", "not in 'data/iris.csv'", "'petal_width_cm'?")


def test_wrong_target_name(capsys, example):
    edit(example / "config.toml", 'target = "species"', 'target = "Species"')
    fails_with(capsys, example, "target column 'Species'", "Did you mean 'species'?")


def test_text_where_numbers_are_expected(capsys, example):
    change_data(example / "data" / "iris.csv", row=6, column="petal_length_cm", value="1.4 cm")
    fails_with(capsys, example, "Column 'petal_length_cm' should hold numbers", "'1.4 cm' (line 8)")


def test_too_few_rows_per_class_for_stratified_kfold(capsys, example):
    edit(example / "config.toml", "n_splits = 5", "n_splits = 60")  # 50 rows per species
    fails_with(capsys, example, "Too few rows per class", "'setosa' has 50", "n_splits")


def test_too_few_groups_for_group_kfold(capsys, example):
    use_groups(example, n_splits=8)  # six sites
    fails_with(capsys, example, "Too few groups", "'site' has 6 different values", "at most 6")


# ------------------------------------------------------------------ more ways data go wrong
def test_class_seen_in_one_group_only(capsys, example):
    use_groups(example, column="species", n_splits=3)  # each species is its own "group"
    fails_with(capsys, example, "occurs in only one group", "'species'")


def test_a_column_of_categories_is_named_as_such(capsys, example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_cm", "site"]')  # text: site-0...
    fails_with(capsys, example, "Column 'site' holds text in most rows", "'site-0' (line 2)", "[data] categorical")


@pytest.mark.parametrize("metric", ["roc_auc", "f1"])
def test_a_metric_for_two_classes_only(capsys, example, metric):
    edit(example / "config.toml", 'metric = "balanced_accuracy"', f'metric = "{metric}"')
    fails_with(capsys, example, f"metric '{metric}'", "cannot score", "3 classes", "'roc_auc_ovr'")


def test_value_outside_plausible_range(capsys, example):
    change_data(example / "data" / "iris.csv", row=6, column="petal_length_cm", value="140")  # millimetres, not centimetres
    fails_with(capsys, example, "Column 'petal_length_cm' has values outside", "0 to 15", "(line 8)")


def test_changed_data_file_is_refused(capsys, example):
    change_data(example / "data" / "iris.csv", row=6, column="petal_length_cm", value="1.5", record=False)
    fails_with(capsys, example, "has changed since its checksum was recorded", "git checkout")


def test_data_file_without_recorded_checksum(capsys, example):
    (example / "data" / "iris.csv").rename(example / "data" / "flowers.csv")
    edit(example / "config.toml", 'file = "data/iris.csv"', 'file = "data/flowers.csv"')
    fails_with(capsys, example, "no recorded checksum", "python -m mlproject checksum data/flowers.csv")


def test_missing_data_file(capsys, example):
    (example / "data" / "iris.csv").unlink()
    fails_with(capsys, example, "'data/iris.csv'", "does not exist")


@pytest.mark.parametrize(("row", "line"), [(6, "line 8"), (0, "line 2")], ids=["a later line", "the first line"])
def test_a_line_with_one_value_too_many(capsys, example, row, line):
    csv = example / "data" / "iris.csv"
    change_data(csv, row=row, column="sepal_length_cm", value="5,1")  # a decimal comma
    edit(csv, '"5,1"', "5,1")  # as a spreadsheet might write it: without quotes
    assert cli("checksum", csv) == 0
    fails_with(capsys, example, "cannot be read as a CSV file", line, "quotes")


def test_training_stops_before_fitting_on_bad_data(capsys, example):
    edit(example / "config.toml", 'target = "species"', 'target = "spieces"')
    fails_with(capsys, example, "target column 'spieces'", command="train")
    assert not (example / "results").exists()


# ------------------------------------------------------------------ config.toml mistakes
@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('scheme = "repeated-stratified-kfold"', 'scheme = "stratified-kfold"', ["not one of", "Did you mean"]),
        ('metric = "balanced_accuracy"', 'metric = "balanced_acuracy"', ["not a scikit-learn scorer", "'balanced_accuracy'"]),
        ('metric = "balanced_accuracy"', 'metric = "r2"', ["'r2' is a regression metric", "predicts classes"]),
        ('metric = "balanced_accuracy"', 'metric = "adjusted_rand_score"', ["is a clustering metric"]),
        ("n_splits = 5", 'n_splits = "5"', ["n_splits must be a whole number, not '5'"]),
        ('features = ["sepal_length_cm",', 'features = ["species", "sepal_length_cm",', ["also listed in [data] features"]),
        ("split = 1", "", ["'split' is missing from the [seeds] section"]),
        ("n_estimators = 20", "n_trees = 20", ["n_trees", "RandomForestClassifier"]),
        ('share = "model"', 'share = "forest"', ["[model] share must be", "not 'forest'"]),
        ("categorical = []", 'categorical = ["site"]', ["categorical lists 'site'", "[data] features too"]),
        ("categorical = []", 'categorical = ["petal_length_cm"]', ["range for 'petal_length_cm', which is categorical"]),
        ('scheme = "repeated-stratified-kfold"', 'scheme = "group-kfold"', ["needs a group column"]),
        ("[validation]", "[validation", ["not valid TOML"]),
    ],
)
def test_config_mistakes_are_named(capsys, example, old, new, words):
    edit(example / "config.toml", old, new)
    fails_with(capsys, example, "config.toml", *words, command="train")


def test_missing_config_file(capsys, tmp_path):
    fails_with(capsys, tmp_path, "No config file", "--config")


def test_a_model_setting_of_the_wrong_kind_is_named(capsys, example):
    edit(example / "config.toml", "n_estimators = 20", 'n_estimators = "20"')
    err = fails_with(capsys, example, "[model]", "'n_estimators'", "Got '20'")
    assert len(err.strip().splitlines()) <= 3  # one message, wrapped: no traceback
