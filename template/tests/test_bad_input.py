"""Bad input stops the run with one short message that names the problem (and no traceback).

Each test breaks the example project in one way, runs a command on it (`validate` unless
said otherwise), and checks the exit status and the message.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers import change_data, cli, edit, renew

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
    return flat


def use_groups(example, column="site", n_splits=None):
    edit(example / "config.toml", 'scheme = "repeated-kfold"', 'scheme = "group-kfold"')
    edit(example / "config.toml", '# group = "site"', f'group = "{column}"')
    if n_splits:
        edit(example / "config.toml", "n_splits = 5", f"n_splits = {n_splits}")


def raw_lines(example):
    return (
        (example / "data" / "raw" / "iris.csv")
        .read_text(encoding="utf-8")
        .splitlines(keepends=True)
    )


def test_the_example_passes(capsys, example):
    assert cli("validate", "--config", example / "config.toml") == 0
    assert "The data pass every check" in capsys.readouterr().out


# ------------------------------------------------------------------ columns and values
def test_missing_column(capsys, example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_mm"]')
    fails_with(
        capsys,
        example,
        "feature column 'petal_width_mm'",
        "not in 'data/processed/iris.csv'",
        "'petal_width_cm'?",
    )


def test_a_misspelt_feature_with_a_range_suggests_the_real_column(capsys, example):
    """The ranges are checked after the columns: the hint names the column in the file, never
    the typo (which would tell the user to copy the typo into [data.ranges])."""
    edit(example / "config.toml", 'features = ["sepal_length_cm"', 'features = ["sepal_length"')
    flat = fails_with(
        capsys, example, "feature column 'sepal_length'", "Did you mean 'sepal_length_cm'?"
    )
    assert "[data.ranges]" not in flat


def test_a_misspelt_range_suggests_the_feature(capsys, example):
    edit(example / "config.toml", "petal_length_cm = [0, 15]", "petal_lenght_cm = [0, 15]")
    fails_with(
        capsys,
        example,
        "range for 'petal_lenght_cm'",
        "not one of the features",
        "Did you mean 'petal_length_cm'?",
    )


def test_a_range_for_a_column_that_is_not_a_feature(capsys, example):
    edit(example / "config.toml", "petal_length_cm = [0, 15]", "species = [0, 15]")
    fails_with(
        capsys, example, "range for 'species'", "a column of the file, but not one of the features"
    )


def test_wrong_target_name(capsys, example):
    edit(example / "config.toml", 'target = "species"', 'target = "Species"')
    fails_with(capsys, example, "target column 'Species'", "Did you mean 'species'?")


def test_text_where_numbers_are_expected(capsys, example):
    change_data(example, row=6, column="petal_length_cm", value="1.4 cm")
    fails_with(capsys, example, "Column 'petal_length_cm' should hold numbers", "'1.4 cm' (line 8)")


def test_value_outside_plausible_range(capsys, example):
    change_data(
        example, row=6, column="petal_length_cm", value="140"
    )  # millimetres, not centimetres
    fails_with(
        capsys, example, "Column 'petal_length_cm' has values outside", "0 to 15", "(line 8)"
    )


def test_a_column_of_categories_is_named_as_such(capsys, example):
    edit(
        example / "config.toml", '"petal_width_cm"]', '"petal_width_cm", "site"]'
    )  # text: site-0...
    fails_with(
        capsys,
        example,
        "Column 'site' holds text in most rows",
        "'site-0' (line 2)",
        "[data] categorical",
    )


# ------------------------------------------------------------------ labels and duplicates
def test_duplicated_rows_are_named(capsys, example):
    lines = raw_lines(example)
    (example / "data" / "raw" / "iris.csv").write_text(
        "".join(lines + lines[1:101]), encoding="utf-8"
    )
    renew(example)
    fails_with(
        capsys,
        example,
        "has 100 duplicated row(s)",
        "line(s) 151, 152, 153 and 97 more",
        "allow_duplicates = true",
    )


def test_duplicates_are_allowed_when_said_so_and_counted(capsys, example):
    lines = raw_lines(example)
    (example / "data" / "raw" / "iris.csv").write_text(
        "".join(lines + lines[1:4]), encoding="utf-8"
    )
    renew(example)
    edit(example / "config.toml", "categorical = []", "categorical = []\nallow_duplicates = true")
    assert cli("validate", "--config", example / "config.toml") == 0
    out = " ".join(capsys.readouterr().out.split())  # wrapped for the terminal
    assert "3 duplicated rows kept ([data] allow_duplicates)" in out


def test_a_label_that_differs_only_in_case(capsys, example):
    change_data(example, row=60, column="species", value="Versicolor")
    fails_with(
        capsys,
        example,
        "'versicolor' (49 rows) and 'Versicolor' (1 row(s), first on line 62)",
        "differ only in case",
        "[data] classes",
    )


def test_a_category_that_differs_only_in_case(capsys, example):
    edit(example / "config.toml", '"petal_width_cm"]', '"petal_width_cm", "site"]')
    edit(example / "config.toml", "categorical = []", 'categorical = ["site"]')
    change_data(example, row=0, column="site", value="SITE-0")
    fails_with(
        capsys,
        example,
        "Column 'site' holds 'site-0'",
        "'SITE-0' (1 row(s), first on line 2)",
        "two categories",
    )


def test_declared_classes_catch_a_stray_label(capsys, example):
    edit(
        example / "config.toml",
        "categorical = []",
        'categorical = []\nclasses = ["setosa", "versicolor", "virginica"]',
    )
    change_data(example, row=60, column="species", value="versicolour")
    fails_with(
        capsys,
        example,
        "holds 'versicolour' (1 row(s), first on line 62)",
        "[data] classes",
        "Did you mean 'versicolor'?",
    )


def test_a_declared_class_without_rows(capsys, example):
    classes = 'classes = ["setosa", "versicolor", "virginica", "virgnica"]'
    edit(example / "config.toml", "categorical = []", f"categorical = []\n{classes}")
    fails_with(capsys, example, "lists 'virgnica'", "no row with it")


# ------------------------------------------------------------------ the files
def test_semicolons_and_decimal_commas(capsys, example):
    csv = example / "data" / "raw" / "iris.csv"
    text = (
        "".join(raw_lines(example)).replace(",", ";").replace(".", ",")
    )  # as Excel in Germany would save it
    csv.write_text(text, encoding="utf-8")
    assert cli("checksum", csv) == 0
    status = cli("prepare", "--config", example / "config.toml")
    err = " ".join(capsys.readouterr().err.split())
    assert status == 1 and err.startswith("error: ")
    for words in (
        "separated by semicolons",
        "decimal commas ('5,1' on line 2 or 3)",
        'sep=";", decimal=","',
    ):
        assert words in err, err


@pytest.mark.parametrize(
    ("row", "line"), [(6, "line 8"), (0, "line 2")], ids=["a later line", "the first line"]
)
def test_a_line_with_one_value_too_many(capsys, example, row, line):
    change_data(
        example, row=row, column="sepal_length_cm", value="5,1", record=False
    )  # a decimal comma
    csv = example / "data" / "raw" / "iris.csv"
    edit(csv, '"5,1"', "5,1")  # as a spreadsheet might write it: without quotes
    assert cli("checksum", csv) == 0
    fails_with(capsys, example, "cannot be read as a CSV file", line, "quotes", command="prepare")


def test_changed_raw_file_is_refused(capsys, example):
    change_data(example, row=6, column="petal_length_cm", value="1.5", record=False)
    fails_with(capsys, example, "has changed since its checksum was recorded", "git checkout")


def test_raw_file_changed_but_not_prepared_again(capsys, example):
    change_data(example, row=6, column="petal_length_cm", value="1.5", record=False)
    assert cli("checksum", example / "data" / "raw" / "iris.csv") == 0
    fails_with(
        capsys,
        example,
        "were made from another version of 'data/raw/iris.csv'",
        "python -m mlproject prepare",
    )


def test_processed_data_edited_by_hand(capsys, example):
    edit(example / "data" / "processed" / "iris.csv", "5.1,3.5", "5.2,3.5")
    fails_with(
        capsys, example, "have changed since `prepare` wrote them", "src/mlproject/prepare.py"
    )


def test_prepare_code_changed_since_the_data_were_made(capsys, example):
    provenance = example / "data" / "processed" / "provenance.json"
    made = json.loads(provenance.read_text(encoding="utf-8"))
    made["iris.csv"]["made_by_sha256"] = "0" * 64  # as if prepare.py had been edited since
    provenance.write_text(json.dumps(made), encoding="utf-8")
    fails_with(capsys, example, "prepare.py has changed since it made", "prepare")


def test_no_processed_data(capsys, example):
    (example / "data" / "processed" / "iris.csv").unlink()
    fails_with(
        capsys,
        example,
        "no processed data 'data/processed/iris.csv'",
        "python -m mlproject prepare",
    )


def test_data_file_without_recorded_checksum(capsys, example):
    (example / "data" / "raw" / "iris.csv").rename(example / "data" / "raw" / "flowers.csv")
    edit(example / "config.toml", 'raw = "data/raw/iris.csv"', 'raw = "data/raw/flowers.csv"')
    fails_with(
        capsys, example, "no recorded checksum", "python -m mlproject checksum data/raw/flowers.csv"
    )


@pytest.mark.parametrize("command", ["validate", "prepare"])
def test_missing_data_file(capsys, example, command):
    (example / "data" / "raw" / "iris.csv").unlink()
    fails_with(
        capsys,
        example,
        "raw data file 'data/raw/iris.csv' ([data] raw in config.toml) does not exist",
        command=command,
    )


# ------------------------------------------------------------------ enough data, the metric
def test_too_few_rows_per_class_for_stratified_kfold(capsys, example):
    edit(
        example / "config.toml", "n_splits = 5", "n_splits = 45"
    )  # 40 development rows per species
    fails_with(capsys, example, "Too few rows per class", "'setosa' has 40", "n_splits")


def test_too_few_groups_for_group_kfold(capsys, example):
    use_groups(example, n_splits=5)  # six sites, two of them (a fifth, rounded up) in the test set
    fails_with(
        capsys,
        example,
        "Too few groups",
        "'site' has 4 different values in the development rows",
        "at most 4",
    )


def test_class_seen_in_one_group_only(capsys, example):
    edit(example / "config.toml", "test_fraction = 0.2", "test_fraction = 0")
    use_groups(example, column="species", n_splits=3)  # each species is its own "group"
    fails_with(capsys, example, "occurs in only one group", "'species'")


@pytest.mark.parametrize("metric", ["roc_auc", "f1"])
def test_a_metric_for_two_classes_only(capsys, example, metric):
    edit(example / "config.toml", 'metric = "balanced_accuracy"', f'metric = "{metric}"')
    fails_with(capsys, example, f"metric '{metric}'", "cannot score", "3 classes", "'roc_auc_ovr'")


def test_training_stops_before_fitting_on_bad_data(capsys, example):
    edit(example / "config.toml", 'target = "species"', 'target = "spieces"')
    fails_with(capsys, example, "target column 'spieces'", command="train")
    assert not (example / "results").exists()


# ------------------------------------------------------------------ config.toml mistakes
@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        (
            'scheme = "repeated-kfold"',
            'scheme = "repeated-stratified-kfold"',
            ["not one of", "Did you mean 'repeated-kfold'?"],
        ),
        (
            'metric = "balanced_accuracy"',
            'metric = "balanced_acuracy"',
            ["not a scikit-learn scorer", "'balanced_accuracy'"],
        ),
        (
            'metric = "balanced_accuracy"',
            'metric = "r2"',
            ["'r2' is a regression metric", '[task] type = "regression"'],
        ),
        (
            'metric = "balanced_accuracy"',
            'metric = "adjusted_rand_score"',
            ["is a clustering metric"],
        ),
        ("n_splits = 5", 'n_splits = "5"', ["n_splits must be a whole number, not '5'"]),
        (
            'features = ["sepal_length_cm",',
            'features = ["species", "sepal_length_cm",',
            ["also listed in [data] features"],
        ),
        ("split = 1", "", ["'split' is missing from the [seeds] section"]),
        ("test = 3", "", ["'test' is missing from the [seeds] section"]),
        (
            "test_fraction = 0.2",
            "test_fraction = 20",
            ["test_fraction must be between 0 and 0.5", "not 20"],
        ),
        ("n_estimators = 10", "n_trees = 20", ["n_trees", "RandomForestClassifier"]),
        ('share = "model"', 'share = "forest"', ["[model] share must be", "not 'forest'"]),
        (
            "categorical = []",
            'categorical = ["site"]',
            ["categorical in config.toml lists 'site'", "[data] features too"],
        ),
        (
            "categorical = []",
            'categorical = ["petal_length_cm"]',
            ["range for 'petal_length_cm', which is categorical"],
        ),
        ('scheme = "repeated-kfold"', 'scheme = "group-kfold"', ["needs a group column"]),
        ("[validation]", "[validation", ["not valid TOML"]),
        (
            "[data]",
            '[task]\ntype = "regresion"\n\n[data]',
            ["[task] type must be", "Did you mean 'regression'?"],
        ),
        ("categorical = []", "allow_duplicates = 1", ["allow_duplicates must be true or false"]),
    ],
)
def test_config_mistakes_are_named(capsys, example, old, new, words):
    edit(example / "config.toml", old, new)
    fails_with(capsys, example, "config.toml", *words, command="train")


def test_missing_config_file(capsys, tmp_path):
    fails_with(capsys, tmp_path, "No config file", "--config")


def test_a_model_setting_of_the_wrong_kind_is_named(capsys, example):
    edit(example / "config.toml", "n_estimators = 10", 'n_estimators = "20"')
    err = fails_with(capsys, example, "[model]", "'n_estimators'", "Got '20'")
    assert len(err) < 3 * 88  # one message: no traceback


# ------------------------------------------------------------------ regression
def test_a_classification_metric_for_regression(capsys, regression):
    edit(
        regression / "config.toml",
        'metric = "neg_mean_absolute_error"',
        'metric = "balanced_accuracy"',
    )
    fails_with(
        capsys,
        regression,
        "'balanced_accuracy' is a classification metric",
        '[task] type is "regression"',
        "'neg_mean_absolute_error'",
    )


def test_text_in_a_regression_target(capsys, regression):
    csv = regression / "data" / "raw" / "diabetes.csv"
    edit(csv, ",151.0\n", ",high\n")
    renew(regression, csv)
    fails_with(
        capsys,
        regression,
        "The target column 'progression' holds text: 'high' (line 2)",
        '[task] type = "classification"',
    )


def test_a_class_label_as_a_regression_target(capsys, regression):
    edit(regression / "config.toml", 'target = "progression"', 'target = "sex"')
    edit(regression / "config.toml", '"age", "sex", ', '"age", "progression", ')
    edit(regression / "config.toml", "progression = [0, 400]", "")
    fails_with(
        capsys, regression, "'sex' holds only 2 different values", '[task] type = "classification"'
    )


def test_classes_are_refused_for_regression(capsys, regression):
    edit(
        regression / "config.toml",
        'target = "progression"',
        'target = "progression"\nclasses = [1, 2]',
    )
    fails_with(capsys, regression, "[data] classes lists class labels", "regression")
