"""Load the processed data and check them against config.toml before any model sees them.

The checks, in order, each stop the run with a message that names the problem:

1. the raw file has the SHA-256 recorded in ``SHA256SUMS`` next to it, and the processed file
   is what ``prepare`` made from it with today's ``prepare.py`` (``provenance.json``);
2. the columns config.toml names are in the file;
3. the features (and a regression target) hold numbers within their plausible ranges (a
   pandera schema built from config.toml), except the ``categorical`` ones;
4. no labels that differ only in case or spaces, and only the declared ``[data] classes``;
5. no duplicated rows, unless ``[data] allow_duplicates = true``.

Rows with a missing value in a column the model uses are dropped, and counted; line numbers in
messages are those of the processed file. :func:`check_enough_data` and :func:`check_metric`
check the development rows, once the test set is locked away.
"""

import hashlib
import json
import re
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from mlproject.config import METRICS, Config, suggest
from mlproject.errors import DataError

MANIFEST = "SHA256SUMS"  # the checksum file next to the data, in `sha256sum` format
PROVENANCE = "provenance.json"  # next to the processed data: what made them, from what
PREPARE = Path(__file__).with_name("prepare.py")
RERUN = "Run `python -m mlproject prepare` (or `make prepare`)"
QUOTES = "Check that it is comma-separated text, and that values containing commas are in quotes."
FIX_AT_SOURCE = "in the raw data's source, or in src/mlproject/prepare.py"


@dataclass
class Dataset:
    """Checked data, ready for scikit-learn. The index is the row's position in the file."""

    X: pd.DataFrame
    y: pd.Series
    groups: pd.Series | None
    sha256: str  # of the processed file
    raw_sha256: str
    rows_read: int
    rows_dropped: int
    duplicates: int = 0

    def subset(self, rows) -> "Dataset":
        """The rows at these positions."""
        groups = None if self.groups is None else self.groups.iloc[rows]
        return replace(self, X=self.X.iloc[rows], y=self.y.iloc[rows], groups=groups)


def line(index) -> int:
    """The line of the file that holds a row: pandas counts from 0 after the header line."""
    return int(index) + 2


# ------------------------------------------------------------------------------- checksums
def sha256(path: str | Path, text: bool = False) -> str:
    """The hexadecimal SHA-256 digest of a file; of a text file (``text=True``) with its line
    endings as in git (Git for Windows may check files out with CRLF line endings)."""
    content = Path(path).read_bytes()
    return hashlib.sha256(content.replace(b"\r\n", b"\n") if text else content).hexdigest()


def read_checksums(manifest: Path) -> dict[str, str]:
    """Read a ``SHA256SUMS`` file: one ``<digest>  <file name>`` per line."""
    recorded = {}
    for text in manifest.read_text(encoding="utf-8").splitlines():
        if text.strip() and not text.startswith("#"):
            digest, name = text.split(maxsplit=1)
            recorded[name.lstrip("*")] = digest.lower()
    return recorded


def record_checksum(path: str | Path) -> str:
    """Add (or update) a file's line in the ``SHA256SUMS`` next to it; return the digest."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"No file at '{path}': give the path of a data file, e.g. data/raw/my-data.csv."
        )
    manifest = path.parent / MANIFEST
    recorded = read_checksums(manifest) if manifest.is_file() else {}
    recorded[path.name] = sha256(path)
    text = "".join(f"{digest}  {name}\n" for name, digest in sorted(recorded.items()))
    manifest.write_text(text, encoding="utf-8", newline="\n")
    return recorded[path.name]


def verify_checksum(path: Path, shown: str, fix: str = "") -> str:
    """Check an existing file against its line in the ``SHA256SUMS`` next to it; return the
    digest. ``shown`` is how messages name the file; ``fix`` what to do when it has changed."""
    command = f"`python -m mlproject checksum {shown}`"
    manifest = path.parent / MANIFEST
    recorded = read_checksums(manifest).get(path.name) if manifest.is_file() else None
    if recorded is None:
        raise DataError(
            f"The file '{shown}' has no recorded checksum in {MANIFEST} next to it, so nobody "
            f"could tell whether it changed. Record it with {command}, and commit both files."
        )
    actual = sha256(path)
    if actual != recorded:
        fix = fix or (
            "If you did not mean to change it, restore the original (e.g. `git checkout -- "
            f"{shown}`). If you did, record its checksum with {command} and describe the "
            "change in the datasheet (data/README.md)."
        )
        raise DataError(
            f"The file '{shown}' has changed since its checksum was recorded ({MANIFEST}: "
            f"{recorded[:12]}..., now: {actual[:12]}...). {fix}"
        )
    return actual


def verify_raw(config: Config) -> str:
    """Check that the raw file exists and has its recorded checksum; return the checksum."""
    if not (config.folder / config.raw).is_file():
        raise DataError(
            f"The raw data file '{config.raw}' ([data] raw in {config.source}) does not exist: "
            "correct the setting."
        )
    return verify_checksum(config.folder / config.raw, config.raw)


def verify_processed(config: Config) -> tuple[str, str]:
    """Check the chain raw file -> prepare.py -> processed file; return the two checksums."""
    raw_sha = verify_raw(config)
    path = config.folder / config.processed
    provenance = path.parent / PROVENANCE
    made = json.loads(provenance.read_text("utf-8")) if provenance.is_file() else {}
    made = made.get(path.name, {})
    name = f"The processed data '{config.processed}'"
    if not path.is_file() or not made:
        raise DataError(
            f"There are no processed data '{config.processed}' made by `prepare`. {RERUN}: it "
            f"makes them from '{config.raw}'."
        )
    actual = sha256(path)
    if actual != made["sha256"]:
        raise DataError(
            f"{name} have changed since `prepare` wrote them. Do not edit them by hand: put "
            f"the change into src/mlproject/prepare.py. {RERUN}."
        )
    if made["made_from"] != config.raw or made["made_from_sha256"] != raw_sha:
        raise DataError(
            f"{name} were made from another version of '{config.raw}' (or another file). {RERUN}."
        )
    if made["made_by_sha256"] != sha256(PREPARE, text=True):
        raise DataError(
            f"src/mlproject/prepare.py has changed since it made '{config.processed}'. {RERUN}."
        )
    return actual, raw_sha


# ------------------------------------------------------------------------- reading, columns
def read_csv(path: Path, shown: str) -> pd.DataFrame:
    """Read a comma-separated file, with a clear message for the usual ways that goes wrong."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        head = [handle.readline() for _ in range(3)]
    if head[0].count(";") > head[0].count(","):
        decimals = re.findall(r"\d+,\d+", head[1] + head[2])
        raise DataError(
            f"'{shown}' is separated by semicolons (;), not commas"
            + (f", and writes decimal commas ('{decimals[0]}' on line 2 or 3)" if decimals else "")
            + ": a spreadsheet saved in a language that uses decimal commas does that. Save it "
            "again as 'CSV UTF-8 (comma delimited)', or read it in read_raw() in "
            'src/mlproject/prepare.py with pd.read_csv(path, sep=";", decimal=",").'
        )
    try:
        table = pd.read_csv(path)
    except UnicodeDecodeError:
        raise DataError(f"'{shown}' is not UTF-8 text: save it again as 'CSV UTF-8'.") from None
    except pd.errors.ParserError as error:
        problem = str(error).strip().removeprefix("Error tokenizing data. C error: ")
        raise DataError(f"'{shown}' cannot be read as a CSV file: {problem}. {QUOTES}") from None
    if not isinstance(table.index, pd.RangeIndex):
        # pandas reads a first data line with one value too many as row labels, silently.
        raise DataError(
            f"'{shown}' cannot be read as a CSV file: its first data line (line 2) has more "
            f"values than the header has column names. {QUOTES}"
        )
    return table


def check_columns(table: pd.DataFrame, config: Config, shown: str, target: bool = True) -> None:
    """Every column config.toml names must be in the table (the target only if ``target``);
    then the settings that refer to features ([data] categorical, [data.ranges]) must name
    features: the features are real columns by then, so a name that is not one is the typo."""
    columns = [str(c) for c in table.columns]
    listing = f" The file's columns are: {', '.join(columns)}."
    for setting, name in [("target", config.target if target else None), ("group", config.group)]:
        if name is not None and name not in columns:
            raise DataError(
                f"The {setting} column '{name}' ({config.source}, [data] {setting}) is not in "
                f"'{shown}'.{suggest(name, columns)}{listing}"
            )
    missing = [name for name in config.features if name not in columns]
    if missing:
        which = "column" if len(missing) == 1 else "columns"
        raise DataError(
            f"The feature {which} {', '.join(map(repr, missing))} ({config.source}, [data] "
            f"features) {'is' if len(missing) == 1 else 'are'} not in '{shown}'."
            + "".join(suggest(name, columns) for name in missing)
            + listing
        )
    for column in config.categorical:
        if column not in config.features:
            raise DataError(
                f"[data] categorical in {config.source} lists {column!r}, which is not one of "
                f"the features: list it in [data] features too.{suggest(column, config.features)}"
            )
    rangeable = config.features + ([] if config.classification else [config.target])
    for column in config.ranges:
        where = f"[data.ranges] in {config.source} has a range for '{column}'"
        if column in config.categorical:
            raise DataError(
                f"{where}, which is categorical: categories have no range. Remove the range."
            )
        if column not in rangeable:
            which = "a column of the file, but not" if column in columns else "not"
            raise DataError(
                f"{where}, which is {which} one of the features: remove the range, or correct "
                f"its name.{suggest(column, rangeable)}"
            )


# ---------------------------------------------------------------------------------- values
def check_values(table: pd.DataFrame, config: Config, shown: str, target: bool = True):
    """Check the values with a pandera schema: the features (and a regression target, if
    ``target``) are numbers within their plausible ranges; categorical features may hold
    anything (the models encode them). Return the table with numbers as numbers."""
    import pandera.pandas as pa

    numeric = [f for f in config.features if f not in config.categorical]
    if target and not config.classification:
        numeric.append(config.target)
    columns = {name: pa.Column(nullable=True) for name in config.categorical}
    for name in numeric:
        checks = [pa.Check.in_range(*config.ranges[name])] if name in config.ranges else []
        # coerce: read "3.5" and 3 as the numbers 3.5 and 3.0; text such as "3.5 g" fails.
        columns[name] = pa.Column(float, checks=checks, coerce=True, nullable=True)
    try:
        return pa.DataFrameSchema(columns).validate(table, lazy=True)
    except pa.errors.SchemaErrors as errors:
        raise DataError(explain(errors.failure_cases, config, table, shown)) from None


def _examples(cases: pd.DataFrame, limit: int = 3) -> str:
    """Up to three bad values with their line in the file, e.g. "'heavy' (line 8)"."""
    cases = cases.drop_duplicates(["index"])
    shown = [
        f"{value!r} (line {line(row)})" if pd.notna(row) else repr(value)
        for value, row in zip(cases["failure_case"][:limit], cases["index"][:limit])
    ]
    return ", ".join(shown) + (f" and {len(cases) - limit} more" if len(cases) > limit else "")


def explain(failures: pd.DataFrame, config: Config, table: pd.DataFrame, shown: str) -> str:
    """Turn pandera's table of failure cases into a few short sentences."""
    sentences = []
    for column, cases in failures.groupby("column", sort=False, dropna=False):
        checks = cases["check"].astype(str)
        text = cases[checks.str.startswith(("coerce_dtype", "dtype"))]
        out_of_range = cases[checks.str.startswith("in_range")]
        if len(text) and column == config.target:
            sentences.append(
                f"The target column '{column}' holds text: {_examples(text)}. [task] type is "
                '"regression", which predicts numbers; for class labels set [task] type = '
                '"classification".'
            )
        elif len(text) and text["index"].nunique() > table[column].count() / 2:
            # Mostly text: a column of categories (or of numbers with units), not a few typos.
            first = text.sort_values("index").drop_duplicates("failure_case")
            sentences.append(
                f"Column '{column}' holds text in most rows: {_examples(first)}. If it holds "
                "categories (sites, species, treatments), list it in [data] categorical in "
                f"{config.source} as well, and the models will encode it; if it holds "
                "measurements, write them as plain numbers, without units, and a missing value "
                "as an empty field or NA."
            )
        elif len(text):
            sentences.append(
                f"Column '{column}' should hold numbers, but has text: {_examples(text)}. Fix "
                "these values (write a missing value as an empty field or NA)."
            )
        elif len(out_of_range):
            low, high = config.ranges[column]
            sentences.append(
                f"Column '{column}' has values outside its plausible range {low} to {high} "
                f"({config.source}, [data.ranges]): {_examples(out_of_range)}. Correct the "
                "values, or widen the range if real."
            )
        else:
            sentences.append(f"Column '{column}' fails {checks.iloc[0]}: {_examples(cases)}.")
    return f"The data in '{shown}' do not pass their checks.\n  " + "\n  ".join(sentences)


def check_labels(table: pd.DataFrame, config: Config) -> None:
    """Class labels that [data] classes does not list (if it lists them); otherwise class labels,
    and categories, that differ only in case or spaces ("adelie" would be a class of its own)."""
    target = table[config.target].dropna().astype(str) if config.classification else None
    if config.classes is not None and target is not None:
        declared = [str(c) for c in config.classes]
        unknown = target[~target.isin(declared)]
        if len(unknown):
            first = unknown.iloc[0]
            raise DataError(
                f"The target column '{config.target}' holds {first!r} ({(unknown == first).sum()} "
                f"row(s), first on line {line(unknown.index[0])}), which [data] classes in "
                f"{config.source} does not list.{suggest(first, declared)} Correct the label "
                f"{FIX_AT_SOURCE}, or add it to [data] classes."
            )
        absent = [c for c in declared if c not in set(target)]
        if absent:
            raise DataError(
                f"[data] classes in {config.source} lists {absent[0]!r}, but the target column "
                f"'{config.target}' has no row with it. Remove it from [data] classes, or check "
                "the data."
            )
    free = [config.target] if target is not None and config.classes is None else []
    for column in free + config.categorical:  # every spelling in [data] classes is deliberate
        labels = table[column].dropna().astype(str)
        for _, same in labels.groupby(labels.str.strip().str.casefold()):
            counts = same.value_counts()
            if len(counts) > 1:
                (common, n_common), (rare, n_rare) = list(counts.items())[:2]
                kind = "classes" if column == config.target else "categories"
                hint = "; list the classes in [data] classes to catch any other stray label"
                first = line(same.index[(same == rare).to_numpy()][0])
                raise DataError(
                    f"Column '{column}' holds {common!r} ({n_common} rows) and {rare!r} ({n_rare} "
                    f"row(s), first on line {first}), which differ only in case or spaces: the "
                    f"models would count them as two {kind}. Write them the same way, "
                    f"{FIX_AT_SOURCE}{hint if kind == 'classes' else ''}."
                )


def check_duplicates(complete: pd.DataFrame, config: Config, used: list[str]) -> int:
    """Stop at rows identical to an earlier row in every column the model uses, unless
    [data] allow_duplicates = true; return how many there are."""
    copies = complete.index[complete.duplicated(subset=used)]
    if len(copies) and not config.allow_duplicates:
        shown = ", ".join(str(line(i)) for i in copies[:3])
        shown += f" and {len(copies) - 3} more" if len(copies) > 3 else ""
        raise DataError(
            f"'{config.processed}' has {len(copies)} duplicated row(s), identical to an earlier "
            f"row in every column the model uses: line(s) {shown}. A copy in a training fold and "
            "another in its test fold inflates the scores. Remove them in src/mlproject/prepare.py "
            "(table.drop_duplicates()) or at their source; if they are separate samples that "
            f"happen to be equal, set [data] allow_duplicates = true in {config.source}."
        )
    return len(copies)


# ----------------------------------------------------------------------------- all together
def load_dataset(config: Config) -> Dataset:
    """Check the processed data against their chain of checksums and against config.toml;
    return the features, target and groups of the complete rows."""
    digest, raw_digest = verify_processed(config)
    table = read_csv(config.folder / config.processed, config.processed)
    check_columns(table, config, config.processed)
    table = check_values(table, config, config.processed)
    check_labels(table, config)
    used = [config.target, *config.features] + ([config.group] if config.group else [])
    complete = table.dropna(subset=used)
    duplicates = check_duplicates(complete, config, used)
    y, counts = complete[config.target], complete[config.target].value_counts()
    if config.classification and len(counts) < 2:
        raise DataError(
            f"The target column '{config.target}' has only one class ({counts.index[0]!r}) "
            "after dropping rows with missing values: there is nothing to classify."
        )
    if not config.classification and len(counts) <= 2:
        raise DataError(
            f"The target column '{config.target}' holds only {len(counts)} different values "
            f"({', '.join(map(str, counts.index))}): is it a class label? Then set [task] type "
            f'= "classification" in {config.source}.'
        )
    return Dataset(
        X=complete[config.features],
        y=y,
        groups=complete[config.group] if config.scheme == "group-kfold" else None,
        sha256=digest,
        raw_sha256=raw_digest,
        rows_read=len(table),
        rows_dropped=len(table) - len(complete),
        duplicates=duplicates,
    )


# ---------------------------------------------------------------------- the development rows
def check_enough_data(data: Dataset, config: Config) -> None:
    """Refuse development rows that the configured cross-validation cannot split sensibly."""
    if config.scheme == "group-kfold":
        n_groups = data.groups.nunique()
        if n_groups < config.n_splits:
            raise DataError(
                f"Too few groups for {config.n_splits}-fold group cross-validation: the group "
                f"column '{config.group}' has {n_groups} different values in the development "
                "rows, and each fold needs at least one group of its own. Lower [validation] "
                f"n_splits to at most {n_groups} in {config.source}, lower test_fraction, or "
                "collect data from more groups."
            )
        groups_per_class = data.groups.groupby(data.y).nunique()
        alone = groups_per_class.index[groups_per_class < 2]
        if config.classification and len(alone):
            label = alone[0]
            raise DataError(
                f"Class {label!r} occurs in only one group "
                f"({data.groups[data.y == label].iloc[0]!r}) of the group column "
                f"'{config.group}' in the development rows. When that group is the test fold, "
                "the model has never seen the class in training, so the scores would measure "
                f"nothing useful. Group by something every class spans, or collect {label!r} "
                "rows from more groups."
            )
    elif not config.classification and len(data.y) < 2 * config.n_splits:
        raise DataError(
            f"Too few development rows ({len(data.y)}) for {config.n_splits}-fold "
            "cross-validation: lower [validation] n_splits."
        )
    elif config.classification:
        counts = data.y.value_counts()
        rare = counts[counts < config.n_splits]
        if len(rare):
            listed = ", ".join(f"{label!r} has {n}" for label, n in rare.head(3).items())
            hint = ""
            if pd.api.types.is_float_dtype(data.y) and len(counts) > 10:
                hint = (
                    f" Column '{config.target}' holds {len(counts)} different decimal numbers: "
                    "is it a measurement rather than a class label? Then set [task] type = "
                    '"regression".'
                )
            raise DataError(
                f"Too few rows per class for {config.n_splits}-fold stratified cross-validation: "
                f"{listed} in the development rows (each class needs at least n_splits = "
                f"{config.n_splits}). Lower [validation] n_splits in {config.source}, merge or "
                f"drop rare classes, or collect more data.{hint}"
            )


def check_metric(data: Dataset, config: Config) -> None:
    """Refuse a classification metric that cannot score this target (some need two classes, or
    two classes written 0 and 1), before any training: score a model that always guesses."""
    if not config.classification:
        return
    from sklearn.dummy import DummyClassifier
    from sklearn.metrics import get_scorer

    guesser = DummyClassifier().fit(data.X, data.y)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "precision is ill-defined": fine for a guesser
            get_scorer(config.metric)(guesser, data.X, data.y)
    except ValueError as error:
        classes = sorted(data.y.unique(), key=str)
        shown = ", ".join(map(repr, classes[:5])) + (", ..." if len(classes) > 5 else "")
        raise DataError(
            f"The metric '{config.metric}' ({config.source}, [validation] metric) cannot score "
            f"the target '{config.target}', which has {len(classes)} classes ({shown}); "
            f"scikit-learn says: {str(error).splitlines()[0].rstrip('.')}. Metrics for any "
            f"number of classes include {METRICS['classification']}; 'roc_auc' needs two "
            "classes, 'f1', 'precision' and 'recall' need two classes written 0 and 1 (1: the "
            "class of interest), and so does 'average_precision' when there are two."
        ) from None
