"""Load the data file and check it against config.toml before any model sees it.

The checks, in order, each stop the run with a message that names the problem:

1. the file exists and its SHA-256 checksum is the one recorded in ``SHA256SUMS``;
2. the target, feature and group columns named in config.toml are in the file;
3. the features hold numbers, inside the plausible ranges of ``[data.ranges]`` (a pandera
   schema built from config.toml), except those listed in ``[data] categorical``;
4. there are enough rows per class, or enough groups, for the chosen cross-validation;
5. the metric can score this target (some metrics work for two classes only).

Rows with a missing value in a feature or the target are dropped, and counted.
"""

from __future__ import annotations

import difflib
import hashlib
import warnings
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mlproject.config import Config
from mlproject.errors import DataError

MANIFEST = "SHA256SUMS"  # the checksum file next to the data, in `sha256sum` format


@dataclass
class Dataset:
    """Checked data, ready for scikit-learn."""

    X: pd.DataFrame
    y: pd.Series
    groups: pd.Series | None
    sha256: str
    rows_read: int
    rows_dropped: int


# --------------------------------------------------------------------------- checksums
def sha256(path: str | Path) -> str:
    """The hexadecimal SHA-256 digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksums(manifest: Path) -> dict[str, str]:
    """Read a ``SHA256SUMS`` file: one ``<digest>  <file name>`` per line."""
    recorded = {}
    for line in manifest.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            recorded[name.lstrip("*")] = digest.lower()
    return recorded


def record_checksum(path: str | Path) -> str:
    """Add (or update) a file's line in the ``SHA256SUMS`` next to it; return the digest."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"No file at '{path}': give the path of a data file, e.g. data/my-data.csv.")
    manifest = path.parent / MANIFEST
    recorded = read_checksums(manifest) if manifest.is_file() else {}
    recorded[path.name] = sha256(path)
    lines = [f"{digest}  {name}\n" for name, digest in sorted(recorded.items())]
    manifest.write_text("".join(lines), encoding="utf-8", newline="\n")
    return recorded[path.name]


def verify_checksum(path: Path, shown: str) -> str:
    """Check a data file against its recorded checksum; return the digest.

    ``shown`` is how messages name the file (the path as written in config.toml).
    """
    fix = f"Record its checksum with `python -m mlproject checksum {shown}`"
    if not path.is_file():
        raise DataError(f"The data file '{shown}' (the [data] file setting) does not exist.")
    manifest = path.parent / MANIFEST
    recorded = read_checksums(manifest).get(path.name) if manifest.is_file() else None
    if recorded is None:
        raise DataError(
            f"The data file '{shown}' has no recorded checksum in {MANIFEST} next to it, so nobody "
            f"could tell later whether it changed. {fix}, and commit both files."
        )
    actual = sha256(path)
    if actual != recorded:
        raise DataError(
            f"The data file '{shown}' has changed since its checksum was recorded "
            f"({MANIFEST}: {recorded[:12]}..., now: {actual[:12]}...). If you did not mean to "
            f"change it, restore the original (e.g. `git checkout -- {shown}`). If you did, {fix[0].lower()}"
            f"{fix[1:]} and describe the change in the datasheet (data/README.md)."
        )
    return actual


# --------------------------------------------------------------------------- columns
def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, [str(c) for c in choices], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def check_columns(table: pd.DataFrame, config: Config) -> None:
    """Every column that config.toml names must be in the table."""
    columns = [str(c) for c in table.columns]
    listing = f" The file's columns are: {', '.join(columns)}."
    if config.target not in columns:
        raise DataError(
            f"The target column '{config.target}' ({config.source}, [data] target) is not in "
            f"'{config.data_file}'.{_suggest(config.target, columns)}{listing}"
        )
    missing = [name for name in config.features if name not in columns]
    if missing:
        hints = "".join(_suggest(name, columns) for name in missing)
        names = ", ".join(repr(m) for m in missing)
        which, verb = (f"column {names}", "is") if len(missing) == 1 else (f"columns {names}", "are")
        raise DataError(
            f"The feature {which} ({config.source}, [data] features) {verb} not in "
            f"'{config.data_file}'.{hints}{listing}"
        )
    if config.group is not None and config.group not in columns:
        raise DataError(
            f"The group column '{config.group}' ({config.source}, [data] group) is not in "
            f"'{config.data_file}'.{_suggest(config.group, columns)}{listing}"
        )


# --------------------------------------------------------------------------- values
def schema(config: Config):
    """A pandera schema for the features: numbers, within their plausible ranges (categorical
    features may hold anything: the models encode them)."""
    import pandera.pandas as pa

    columns = {}
    for name in config.features:
        if name in config.categorical:
            columns[name] = pa.Column(nullable=True)
            continue
        checks = []
        if name in config.ranges:
            low, high = config.ranges[name]
            checks.append(pa.Check.in_range(low, high))
        # coerce: read "3.5" and 3 as the number 3.5 and 3.0; text such as "3.5 g" fails.
        columns[name] = pa.Column(float, checks=checks, coerce=True, nullable=True)
    return pa.DataFrameSchema(columns)


def _examples(cases: pd.DataFrame, limit: int = 3) -> str:
    """Up to three bad values with their line in the file, e.g. "'heavy' (line 8)"."""
    cases = cases.drop_duplicates(["index"])
    shown = []
    for value, row in zip(cases["failure_case"].head(limit), cases["index"].head(limit)):
        # pandas numbers rows from 0, after the header line: row 0 is line 2 of the file.
        shown.append(f"{value!r} (line {int(row) + 2})" if pd.notna(row) else repr(value))
    more = len(cases) - limit
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def explain(failures: pd.DataFrame, config: Config, table: pd.DataFrame) -> str:
    """Turn pandera's table of failure cases into a few short sentences."""
    sentences = []
    for column, cases in failures.groupby("column", sort=False, dropna=False):
        checks = cases["check"].astype(str)
        not_numbers = cases[checks.str.startswith(("coerce_dtype", "dtype"))]
        out_of_range = cases[checks.str.startswith("in_range")]
        if len(not_numbers) and not_numbers["index"].nunique() > table[column].count() / 2:
            # Mostly text: a column of categories (or of numbers with units), not a few typos.
            sentences.append(
                f"Column '{column}' holds text in most rows: "
                f"{_examples(not_numbers.sort_values('index').drop_duplicates('failure_case'))}. If it "
                f"holds categories (sites, species, treatments), list it in [data] categorical "
                f"in {config.source} as well, and the models will encode it; if it holds "
                "measurements, write them as plain numbers, without units, and a missing value "
                "as an empty field or NA."
            )
        elif len(not_numbers):
            sentences.append(
                f"Column '{column}' should hold numbers, but has text: {_examples(not_numbers)}. "
                "Fix these values in the file (write a missing value as an empty field or NA)."
            )
        elif len(out_of_range):
            low, high = config.ranges[column]
            sentences.append(
                f"Column '{column}' has values outside its plausible range {low} to {high} "
                f"({config.source}, [data.ranges]): {_examples(out_of_range)}. Correct the values, "
                "or widen the range if they are real."
            )
        else:
            sentences.append(f"Column '{column}' fails the check {checks.iloc[0]}: {_examples(cases)}.")
    return f"The data in '{config.data_file}' do not pass their checks.\n  " + "\n  ".join(sentences)


def check_values(table: pd.DataFrame, config: Config) -> pd.DataFrame:
    """Validate the features with the schema; return the table with numeric features."""
    import pandera.pandas as pa

    try:
        return schema(config).validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataError(explain(errors.failure_cases, config, table)) from None


# --------------------------------------------------------------------------- enough data
def check_enough_data(y: pd.Series, groups: pd.Series | None, config: Config) -> None:
    """Refuse data that the configured cross-validation cannot split sensibly."""
    counts = y.value_counts()
    if len(counts) < 2:
        raise DataError(
            f"The target column '{config.target}' has only one class ({counts.index[0]!r}) after "
            "dropping rows with missing values: there is nothing to classify."
        )
    continuous = pd.api.types.is_float_dtype(y) and len(counts) > 10
    hint = (
        f" Column '{config.target}' holds {len(counts)} different decimal numbers: is it a "
        "measurement rather than a class label? This template does classification."
        if continuous
        else ""
    )
    if config.scheme == "repeated-stratified-kfold":
        rare = counts[counts < config.n_splits]
        if len(rare):
            listed = ", ".join(f"{label!r} has {n}" for label, n in rare.head(3).items())
            raise DataError(
                f"Too few rows per class for {config.n_splits}-fold stratified cross-validation: "
                f"{listed} (each class needs at least n_splits = {config.n_splits} rows). Lower "
                f"[validation] n_splits in {config.source}, merge or drop rare classes, or collect "
                f"more data.{hint}"
            )
        return
    n_groups = groups.nunique()
    if n_groups < config.n_splits:
        raise DataError(
            f"Too few groups for {config.n_splits}-fold group cross-validation: the group column "
            f"'{config.group}' has {n_groups} different values, and each fold needs at least one "
            f"group of its own. Lower [validation] n_splits to at most {n_groups} in {config.source}, "
            "or collect data from more groups."
        )
    groups_per_class = groups.groupby(y).nunique()
    alone = groups_per_class[groups_per_class < 2]
    if len(alone):
        label = alone.index[0]
        only = groups[y == label].iloc[0]
        raise DataError(
            f"Class {label!r} occurs in only one group ({only!r}) of the group column "
            f"'{config.group}'. When that group is the test fold, the model has never seen the "
            "class in training, so the scores would measure nothing useful. Group by something "
            f"every class spans, or collect {label!r} rows from more groups.{hint}"
        )


# --------------------------------------------------------------------------- the metric
def check_metric(X: pd.DataFrame, y: pd.Series, config: Config) -> None:
    """Refuse a metric that cannot score this target, before any model is trained.

    Some scikit-learn metrics work for two classes only ("roc_auc", "f1", "precision"...), and
    some need two classes written 0 and 1 ("f1", "average_precision"...). Scoring a model that
    always guesses the most common class shows at once whether the metric works here.
    (Regression metrics are refused earlier, when the configuration is read.)
    """
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import get_scorer

    guesser = DummyClassifier().fit(X, y)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "precision is ill-defined": fine for a guesser
            get_scorer(config.metric)(guesser, X, y)
    except ValueError as error:
        classes = sorted(y.unique(), key=str)
        shown = ", ".join(repr(c) for c in classes[:5]) + (", ..." if len(classes) > 5 else "")
        raise DataError(
            f"The metric '{config.metric}' ({config.source}, [validation] metric) cannot score "
            f"the target '{config.target}', which has {len(classes)} classes ({shown}); "
            f"scikit-learn says: {str(error).splitlines()[0].rstrip('.')}. Metrics for any number of classes "
            "include 'balanced_accuracy', 'accuracy', 'f1_macro' and 'roc_auc_ovr'; 'roc_auc' "
            "needs two classes, 'f1', 'precision' and 'recall' need two classes written 0 and 1 "
            "(1: the class of interest), and so does 'average_precision' when there are two."
        ) from None


# --------------------------------------------------------------------------- all together
def read_table(config: Config) -> tuple[pd.DataFrame, str]:
    """Check the file's checksum, then read it; return the table and its SHA-256."""
    digest = verify_checksum(config.data_path, config.data_file)
    try:
        table = pd.read_csv(config.data_path)
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        problem = str(error).strip().removeprefix("Error tokenizing data. C error: ")
        raise DataError(
            f"'{config.data_file}' cannot be read as a CSV file: {problem}. Check that it is "
            "comma-separated text, and that values containing commas are in quotes."
        ) from None
    if not isinstance(table.index, pd.RangeIndex):
        # pandas reads a first data line with one value too many as row labels, silently.
        raise DataError(
            f"'{config.data_file}' cannot be read as a CSV file: its first data line (line 2) has "
            "more values than the header has column names. Check that values containing commas "
            "are in quotes."
        )
    return table, digest


def load_dataset(config: Config) -> Dataset:
    """Read the data and run every check; return the features, target and groups."""
    table, digest = read_table(config)
    check_columns(table, config)
    table = check_values(table, config)
    used = [config.target, *config.features] + ([config.group] if config.group else [])
    complete = table.dropna(subset=used)
    y = complete[config.target]
    groups = complete[config.group] if config.group else None
    check_enough_data(y, groups, config)
    check_metric(complete[config.features], y, config)
    return Dataset(
        X=complete[config.features],
        y=y,
        groups=groups,
        sha256=digest,
        rows_read=len(table),
        rows_dropped=len(table) - len(complete),
    )
