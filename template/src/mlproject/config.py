"""Read config.toml and check it before anything runs.

:func:`load_config` returns a :class:`Config` whose fields are checked and typed: a typo stops
the run with a message naming the setting, not in the middle of training. Column names are
checked against the data later (``data.check_columns``).
"""

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mlproject.errors import ConfigError

TASKS = ("classification", "regression")
SCHEMES = ("repeated-kfold", "group-kfold")
KINDS = {str: "text in quotes", int: "a whole number", float: "a number", list: "a list"}
KINDS[bool] = "true or false"
METRICS = {
    "classification": "'balanced_accuracy', 'accuracy', 'f1_macro' or 'roc_auc_ovr'",
    "regression": "'neg_mean_absolute_error', 'neg_root_mean_squared_error' or 'r2'",
}
REQUIRED = object()  # the default of a setting that has none: it must be in the file


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
    test_fraction: float  # share of the rows (or groups) locked away as the test set
    scheme: str
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


def suggest(word: str, choices) -> str:
    """ " Did you mean '...'?" for the closest of the choices, if one is close."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def load_config(path: str | Path = "config.toml") -> Config:
    """Read and check a config file; raise :class:`ConfigError` explaining any problem."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(
            f"No config file at '{path}'. Run the command from the project's folder (the one "
            "with config.toml), or give the file with --config."
        )
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name} is not valid TOML: {error}.") from None
    try:
        return _check(settings, path)
    except ConfigError as error:  # name the file in every message
        raise ConfigError(f"{path.name}: {error}") from None


def _get(settings: dict, section: str, key: str, kind: type, default=REQUIRED):
    """One setting, checked: a clear error when it is missing or of the wrong kind."""
    table = settings.get(section, {})
    if key not in table:
        if default is REQUIRED:
            raise ConfigError(f"the setting '{key}' is missing from the [{section}] section.")
        return default
    value = table[key]
    kinds = (int, float) if kind is float else (kind,)  # 1 is a fine value for a number
    # In Python, True is also an int: do not accept it where a number is expected.
    if not isinstance(value, kinds) or (isinstance(value, bool) and kind is not bool):
        raise ConfigError(f"[{section}] {key} must be {KINDS[kind]}, not {value!r}.")
    return value


def _check(settings: dict, path: Path) -> Config:
    """Check every setting, section by section; build the Config."""

    def get(section, key, kind, default=REQUIRED):
        return _get(settings, section, key, kind, default)

    task = get("task", "type", str, "classification")
    if task not in TASKS:
        raise ConfigError(
            f'[task] type must be "classification" or "regression", not {task!r}.'
            f"{suggest(task, TASKS)}"
        )
    features, target = get("data", "features", list), get("data", "target", str)
    if not features or not all(isinstance(f, str) for f in features):
        raise ConfigError("[data] features must be a non-empty list of column names.")
    if target in features:
        raise ConfigError(
            f"the target '{target}' is also listed in [data] features. A model that sees the "
            "answer learns nothing: remove it from the features."
        )
    classes = get("data", "classes", list, None)
    if classes is not None and task == "regression":
        raise ConfigError(
            '[data] classes lists class labels, but [task] type is "regression": remove it.'
        )
    if classes is not None and len(set(map(str, classes))) < 2:
        raise ConfigError("[data] classes must list at least two different class labels.")
    ranges = {}
    for column, bounds in settings.get("data", {}).get("ranges", {}).items():
        numbers = isinstance(bounds, list) and all(
            isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds
        )
        if not (numbers and len(bounds) == 2 and bounds[0] < bounds[1]):
            raise ConfigError(
                f"[data.ranges] {column} must be [lowest, highest], two numbers, lowest first, "
                f"not {bounds!r}."
            )
        ranges[column] = (bounds[0], bounds[1])

    group = get("data", "group", str, None)
    scheme = get("validation", "scheme", str)
    if scheme not in SCHEMES:
        raise ConfigError(
            f"[validation] scheme '{scheme}' is not one of {', '.join(SCHEMES)}."
            f"{suggest(scheme, SCHEMES)}"
        )
    if scheme == "group-kfold" and group is None:
        raise ConfigError(
            "the scheme 'group-kfold' needs a group column: set [data] group to the column "
            "whose rows belong together (site, patient, year...)."
        )
    test_fraction = get("validation", "test_fraction", float)
    if not 0 <= test_fraction <= 0.5:
        raise ConfigError(
            "[validation] test_fraction must be between 0 and 0.5 (e.g. 0.2 locks a fifth of "
            f"the rows away as the test set; 0: no test set), not {test_fraction}."
        )
    n_splits, n_repeats = get("validation", "n_splits", int), get("validation", "n_repeats", int)
    if n_splits < 2 or n_repeats < 1:
        raise ConfigError("[validation] needs n_splits of at least 2 and n_repeats of at least 1.")
    metric = get("validation", "metric", str)
    _check_metric(metric, task)
    confidence = get("validation", "confidence", float)
    if not 0 < confidence < 1:
        raise ConfigError(
            f"[validation] confidence must be between 0 and 1 (e.g. 0.95), not {confidence}."
        )

    share = get("model", "share", str)
    if share not in ("model", "baseline"):
        raise ConfigError(
            '[model] share must be "model" (the random forest) or "baseline" (the linear '
            f"model), not {share!r}."
        )
    model = {key: value for key, value in settings.get("model", {}).items() if key != "share"}
    if "random_state" in model:
        raise ConfigError("set the model's seed in [seeds] model, not as [model] random_state.")
    _check_model_settings(model, task)

    raw = get("data", "raw", str)
    return Config(
        settings=settings,
        source=path.name,
        folder=path.resolve().parent,
        name=get("project", "name", str),
        task=task,
        raw=raw,
        processed=get("data", "processed", str, f"data/processed/{Path(raw).name}"),
        target=target,
        features=list(features),
        categorical=list(get("data", "categorical", list, [])),
        group=group,
        classes=classes,
        allow_duplicates=get("data", "allow_duplicates", bool, False),
        ranges=ranges,
        test_fraction=test_fraction,
        scheme=scheme,
        n_splits=n_splits,
        n_repeats=n_repeats,
        metric=metric,
        confidence=confidence,
        split_seed=get("seeds", "split", int),
        test_seed=get("seeds", "test", int, REQUIRED if test_fraction > 0 else 0),
        model_seed=get("seeds", "model", int),
        share=share,
        model=model,
    )


def _check_metric(metric: str, task: str) -> None:
    """A scikit-learn scorer name, for the task: with classes coded as numbers, a regression
    metric would score a classification without complaint (and the other way round)."""
    from sklearn.metrics import get_scorer, get_scorer_names

    if metric not in get_scorer_names():
        raise ConfigError(
            f"[validation] metric '{metric}' is not a scikit-learn scorer name."
            f"{suggest(metric, get_scorer_names())}"
        )
    # Where scikit-learn defines the metric says what it is for. A scorer keeps its metric
    # function in a private attribute: if a future version drops it, the check is skipped.
    module = getattr(getattr(get_scorer(metric), "_score_func", None), "__module__", "")
    if module.startswith("sklearn.metrics._regression"):
        kind = "regression"
    elif module.startswith("sklearn.metrics.cluster"):
        kind = "clustering"
    elif module.startswith("sklearn.metrics"):
        kind = "classification"
    else:
        kind = task  # unknown: not checked
    if kind != task:
        other = "regression" if task == "classification" else "classification"
        target = "a measurement" if other == "regression" else "a class label"
        raise ConfigError(
            f"[validation] metric '{metric}' is a {kind} metric, but [task] type is "
            f'"{task}". Use a {task} metric such as {METRICS[task]}; or, if the target is '
            f'{target}, set [task] type = "{other}".'
        )


def forest_class(task: str):
    """scikit-learn's random forest for the task."""
    from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor

    return RandomForestClassifier if task == "classification" else RandomForestRegressor


def _check_model_settings(model: dict, task: str) -> None:
    """The [model] settings, checked by scikit-learn now: it checks them only when it fits the
    model, in the middle of training, and buries its message in a traceback."""
    forest = forest_class(task)()
    unknown = sorted(set(model) - set(forest.get_params()))
    if unknown:
        raise ConfigError(
            f"[model] has setting(s) {', '.join(unknown)} that {type(forest).__name__} does not "
            f"know.{suggest(unknown[0], forest.get_params())} See its documentation for the names."
        )
    forest.set_params(**model)
    check = getattr(forest, "_validate_params", None)  # private: skipped if a version drops it
    try:
        if check is not None:
            check()
    except (ValueError, TypeError) as error:
        raise ConfigError(f"[model] {str(error).strip().splitlines()[0]}") from None
