"""Read config.toml and check it before anything runs.

The file is TOML (read with the standard library's ``tomllib``). :func:`load_config` returns
a :class:`Config` whose fields are checked and typed, so that a typo in the file stops the run
with a message naming the setting, rather than failing somewhere in the middle of training.
Settings that name columns are checked against the data file later (``data.check_columns``):
only the file can tell which of two names is misspelt.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mlproject.errors import ConfigError

TASKS = ("classification", "regression")
SCHEMES = ("repeated-kfold", "group-kfold")
SHARED = ("model", "baseline")  # the models `train` can fit on the development rows and save
KIND_NAMES = {str: "text in quotes", int: "a whole number", float: "a number", list: "a list [...]", bool: "true or false"}
METRICS = {
    "classification": "'balanced_accuracy', 'accuracy', 'f1_macro' or 'roc_auc_ovr'",
    "regression": "'neg_mean_absolute_error', 'neg_root_mean_squared_error' or 'r2'",
}


@dataclass(frozen=True)
class Config:
    """The checked contents of config.toml."""

    settings: dict  # the whole file as read: it is copied into the results file
    source: str  # the file's name, for messages
    folder: Path  # the folder holding config.toml; data paths are relative to it
    name: str
    task: str  # "classification" or "regression"
    raw: str  # the raw data file, never edited
    processed: str  # what `prepare` writes from it, and every other command reads
    target: str
    features: list[str]
    categorical: list[str]  # the features that hold categories; the others hold numbers
    group: str | None
    classes: list | None  # the class labels the target may hold, if declared
    allow_duplicates: bool
    ranges: dict[str, tuple[float, float]]
    scheme: str
    test_fraction: float  # share of the rows (or groups) locked away as the test set
    n_splits: int
    n_repeats: int
    metric: str
    confidence: float
    split_seed: int
    test_seed: int
    model_seed: int
    share: str  # "model" or "baseline": the one fitted on the development rows and saved
    model: dict  # the settings of the random forest

    @property
    def classification(self) -> bool:
        return self.task == "classification"


def _get(settings: dict, section: str, key: str, kind: type, required: bool = True, default=None):
    """One setting, checked: a clear error when it is missing or of the wrong kind."""
    table = settings.get(section, {})
    if key not in table:
        if required:
            raise ConfigError(f"the setting '{key}' is missing from the [{section}] section.")
        return default
    value = table[key]
    kinds = (int, float) if kind is float else (kind,)  # 1 is a fine value for a number
    # In Python, True is also an int: do not accept it where a number is expected.
    if not isinstance(value, kinds) or (isinstance(value, bool) and kind is not bool):
        raise ConfigError(f"[{section}] {key} must be {KIND_NAMES[kind]}, not {value!r}.")
    return value


def suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def load_config(path: str | Path = "config.toml") -> Config:
    """Read and check a config file; raise :class:`ConfigError` explaining any problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(f"No config file at '{path}'. Run the command from the project's folder (the one with config.toml), "
                          "or give the file with --config.")
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name} is not valid TOML: {error}.") from None
    try:
        return _check(settings, path)
    except ConfigError as error:  # name the file in every message
        raise ConfigError(f"{path.name}: {error}") from None


def _check(settings: dict, path: Path) -> Config:
    """Check every setting; build the Config."""
    task = _get(settings, "task", "type", str, required=False, default="classification")
    if task not in TASKS:
        raise ConfigError(f"[task] type must be \"classification\" or \"regression\", not {task!r}.{suggest(task, TASKS)}")
    features = _get(settings, "data", "features", list)
    if not features or not all(isinstance(f, str) for f in features):
        raise ConfigError("[data] features must be a non-empty list of column names.")
    target = _get(settings, "data", "target", str)
    if target in features:
        raise ConfigError(f"the target '{target}' is also listed in [data] features. A model that sees the answer learns "
                          "nothing: remove it from the features.")
    classes = _get(settings, "data", "classes", list, required=False)
    if classes is not None and task == "regression":
        raise ConfigError("[data] classes lists class labels, but [task] type is \"regression\": remove it.")
    if classes is not None and len(set(map(str, classes))) < 2:
        raise ConfigError("[data] classes must list at least two different class labels.")

    ranges = {}
    for column, bounds in settings.get("data", {}).get("ranges", {}).items():
        numbers = isinstance(bounds, list) and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
        if not (numbers and len(bounds) == 2 and bounds[0] < bounds[1]):
            raise ConfigError(f"[data.ranges] {column} must be [lowest, highest], two numbers, lowest first, not {bounds!r}.")
        ranges[column] = (bounds[0], bounds[1])

    group = _get(settings, "data", "group", str, required=False)
    scheme = _get(settings, "validation", "scheme", str)
    if scheme not in SCHEMES:
        raise ConfigError(f"[validation] scheme '{scheme}' is not one of {', '.join(SCHEMES)}.{suggest(scheme, SCHEMES)}")
    if scheme == "group-kfold" and group is None:
        raise ConfigError("the scheme 'group-kfold' needs a group column: set [data] group to the column whose rows belong "
                          "together (site, patient, year...).")
    test_fraction = _get(settings, "validation", "test_fraction", float)
    if not 0 <= test_fraction <= 0.5:
        raise ConfigError(f"[validation] test_fraction must be between 0 and 0.5 (e.g. 0.2 locks a fifth of the rows away as "
                          f"the test set; 0: no test set), not {test_fraction}.")
    n_splits = _get(settings, "validation", "n_splits", int)
    n_repeats = _get(settings, "validation", "n_repeats", int)
    if n_splits < 2 or n_repeats < 1:
        raise ConfigError("[validation] needs n_splits of at least 2 and n_repeats of at least 1.")

    from sklearn.metrics import get_scorer_names

    metric = _get(settings, "validation", "metric", str)
    if metric not in get_scorer_names():
        hint = suggest(metric, get_scorer_names())
        raise ConfigError(f"[validation] metric '{metric}' is not a scikit-learn scorer name.{hint}")
    kind = _metric_kind(metric)
    if kind not in (None, task):
        # With classes coded as numbers, such a metric would score without complaint.
        other = "regression" if task == "classification" else "classification"
        raise ConfigError(
            f"[validation] metric '{metric}' is a {kind} metric, but [task] type is \"{task}\". "
            f"Use a {task} metric such as {METRICS[task]}; or, if the target is "
            f"{'a measurement' if other == 'regression' else 'a class label'}, set [task] type = \"{other}\"."
        )
    confidence = _get(settings, "validation", "confidence", float)
    if not 0 < confidence < 1:
        raise ConfigError(f"[validation] confidence must be between 0 and 1 (e.g. 0.95), not {confidence}.")

    share = _get(settings, "model", "share", str)
    if share not in SHARED:
        raise ConfigError(f'[model] share must be "model" (the random forest) or "baseline" (the linear model), not {share!r}.')
    model = {key: value for key, value in settings.get("model", {}).items() if key != "share"}
    if "random_state" in model:
        raise ConfigError("set the model's seed in [seeds] model, not as [model] random_state.")
    _check_model_settings(model, task)

    raw = _get(settings, "data", "raw", str)
    return Config(
        settings=settings,
        source=path.name,
        folder=path.resolve().parent,
        name=_get(settings, "project", "name", str),
        task=task,
        raw=raw,
        processed=_get(settings, "data", "processed", str, required=False, default=f"data/processed/{Path(raw).name}"),
        target=target,
        features=list(features),
        categorical=list(_get(settings, "data", "categorical", list, required=False) or []),
        group=group,
        classes=classes,
        allow_duplicates=_get(settings, "data", "allow_duplicates", bool, required=False, default=False),
        ranges=ranges,
        scheme=scheme,
        test_fraction=test_fraction,
        n_splits=n_splits,
        n_repeats=n_repeats,
        metric=metric,
        confidence=confidence,
        split_seed=_get(settings, "seeds", "split", int),
        test_seed=_get(settings, "seeds", "test", int, required=test_fraction > 0, default=0),
        model_seed=_get(settings, "seeds", "model", int),
        share=share,
        model=model,
    )


def forest_class(task: str):
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    return RandomForestClassifier if task == "classification" else RandomForestRegressor


def _check_model_settings(model: dict, task: str) -> None:
    """The [model] settings, checked by scikit-learn now rather than in the middle of training.

    scikit-learn checks an estimator's parameters only when it is fitted; its message is then
    buried in a traceback. We ask for the same check here and keep its first line.
    """
    forest = forest_class(task)()
    unknown = sorted(set(model) - set(forest.get_params()))
    if unknown:
        raise ConfigError(
            f"[model] has setting(s) {', '.join(unknown)} that {type(forest).__name__} does not "
            f"know.{suggest(unknown[0], forest.get_params())} See its documentation for the names."
        )
    forest.set_params(**model)
    check = getattr(forest, "_validate_params", None)  # private: skipped if a version drops it
    if check is None:
        return
    try:
        check()
    except (ValueError, TypeError) as error:
        first_line = str(error).strip().splitlines()[0]
        raise ConfigError(f"[model] {first_line}") from None


def _metric_kind(metric: str) -> str | None:
    """'regression', 'clustering' or 'classification', from where scikit-learn defines the metric."""
    from sklearn.metrics import get_scorer

    # A scorer keeps its metric function in a private attribute; if a future version drops it,
    # the kind is unknown (None) and the check is skipped.
    module = getattr(getattr(get_scorer(metric), "_score_func", None), "__module__", "")
    if module.startswith("sklearn.metrics._regression"):
        return "regression"
    if module.startswith("sklearn.metrics.cluster"):
        return "clustering"
    return "classification" if module.startswith("sklearn.metrics") else None
