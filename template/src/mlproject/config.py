"""Read config.toml and check it before anything runs.

The file is TOML (read with the standard library's ``tomllib``). :func:`load_config` returns
a :class:`Config` whose fields are checked and typed, so that a typo in the file stops the run
with a message naming the setting, rather than failing somewhere in the middle of training.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path

from mlproject.errors import ConfigError

SCHEMES = ("repeated-stratified-kfold", "group-kfold")
SHARED = ("model", "baseline")  # the models `train` can fit on all rows and save
KIND_NAMES = {str: "text in quotes", int: "a whole number", float: "a number", list: "a list [...]"}


@dataclass(frozen=True)
class Config:
    """The checked contents of config.toml."""

    settings: dict  # the whole file as read: it is copied into the results file
    source: str  # the file's name, for messages
    folder: Path  # the folder holding config.toml; data paths are relative to it
    name: str
    data_file: str
    target: str
    features: list[str]
    categorical: list[str]  # the features that hold categories; the others hold numbers
    group: str | None
    ranges: dict[str, tuple[float, float]]
    scheme: str
    n_splits: int
    n_repeats: int
    metric: str
    confidence: float
    split_seed: int
    model_seed: int
    share: str  # "model" or "baseline": the one fitted on all rows and saved
    model: dict  # the settings of the random forest

    @property
    def data_path(self) -> Path:
        return self.folder / self.data_file


def _get(settings: dict, section: str, key: str, kind: type, required: bool = True):
    """One setting, checked: a clear error when it is missing or of the wrong kind."""
    table = settings.get(section, {})
    if key not in table:
        if required:
            raise ConfigError(f"the setting '{key}' is missing from the [{section}] section.")
        return None
    value = table[key]
    kinds = (int, float) if kind is float else (kind,)  # 1 is a fine value for a number
    # In Python, True is also an int: do not accept it where a number is expected.
    if not isinstance(value, kinds) or isinstance(value, bool):
        raise ConfigError(f"[{section}] {key} must be {KIND_NAMES[kind]}, not {value!r}.")
    return value


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
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


def _check(settings: dict, path: Path) -> Config:
    """Check every setting; build the Config."""
    features = _get(settings, "data", "features", list)
    if not features or not all(isinstance(f, str) for f in features):
        raise ConfigError("[data] features must be a non-empty list of column names.")
    target = _get(settings, "data", "target", str)
    if target in features:
        raise ConfigError(
            f"the target '{target}' is also listed in [data] features. A model "
            "that sees the answer learns nothing: remove it from the features."
        )
    categorical = _get(settings, "data", "categorical", list, required=False) or []
    for column in categorical:
        if column not in features:
            raise ConfigError(
                f"[data] categorical lists {column!r}, which is not one of the features: "
                f"list it in [data] features too.{_suggest(str(column), features)}"
            )
    group = _get(settings, "data", "group", str, required=False)

    ranges = {}
    for column, bounds in settings.get("data", {}).get("ranges", {}).items():
        if column not in features:
            raise ConfigError(
                f"[data.ranges] has a range for '{column}', which is not one of the "
                f"features.{_suggest(column, features)}"
            )
        if column in categorical:
            raise ConfigError(
                f"[data.ranges] has a range for '{column}', which is categorical: categories "
                "have no range. Remove the range."
            )
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(b, (int, float)) and not isinstance(b, bool) for b in bounds)
            and bounds[0] < bounds[1]
        ):
            raise ConfigError(
                f"[data.ranges] {column} must be [lowest, highest], two numbers "
                f"with the lowest first, not {bounds!r}."
            )
        ranges[column] = (bounds[0], bounds[1])

    scheme = _get(settings, "validation", "scheme", str)
    if scheme not in SCHEMES:
        raise ConfigError(
            f"[validation] scheme '{scheme}' is not one of {', '.join(SCHEMES)}."
            + _suggest(scheme, SCHEMES)
        )
    if scheme == "group-kfold" and group is None:
        raise ConfigError(
            "the scheme 'group-kfold' needs a group column: set [data] group to the "
            "column whose rows belong together (site, patient, year...)."
        )
    n_splits = _get(settings, "validation", "n_splits", int)
    n_repeats = _get(settings, "validation", "n_repeats", int)
    if n_splits < 2 or n_repeats < 1:
        raise ConfigError("[validation] needs n_splits of at least 2 and n_repeats of at least 1.")

    from sklearn.metrics import get_scorer_names

    metric = _get(settings, "validation", "metric", str)
    if metric not in get_scorer_names():
        raise ConfigError(
            f"[validation] metric '{metric}' is not a scikit-learn scorer name."
            + _suggest(metric, get_scorer_names())
        )
    kind = _metric_kind(metric)
    if kind != "classification":
        # With classes coded as numbers, such a metric would score without complaint.
        raise ConfigError(
            f"[validation] metric '{metric}' is a {kind} metric, but this project "
            "predicts classes. Use a classification metric such as 'balanced_accuracy'."
        )
    confidence = _get(settings, "validation", "confidence", float)
    if not 0 < confidence < 1:
        raise ConfigError(f"[validation] confidence must be between 0 and 1 (e.g. 0.95), not {confidence}.")

    share = _get(settings, "model", "share", str)
    if share not in SHARED:
        raise ConfigError(
            f"[model] share must be \"model\" (the random forest) or \"baseline\" (the logistic "
            f"regression), not {share!r}."
        )
    model = {key: value for key, value in settings.get("model", {}).items() if key != "share"}
    if "random_state" in model:
        raise ConfigError("set the model's seed in [seeds] model, not as [model] random_state.")
    _check_model_settings(model)

    return Config(
        settings=settings,
        source=path.name,
        folder=path.resolve().parent,
        name=_get(settings, "project", "name", str),
        data_file=_get(settings, "data", "file", str),
        target=target,
        features=list(features),
        categorical=list(categorical),
        group=group,
        ranges=ranges,
        scheme=scheme,
        n_splits=n_splits,
        n_repeats=n_repeats,
        metric=metric,
        confidence=confidence,
        split_seed=_get(settings, "seeds", "split", int),
        model_seed=_get(settings, "seeds", "model", int),
        share=share,
        model=model,
    )


def _check_model_settings(model: dict) -> None:
    """The [model] settings, checked by scikit-learn now rather than in the middle of training.

    scikit-learn checks an estimator's parameters only when it is fitted; its message is then
    buried in a traceback. We ask for the same check here and keep its first line.
    """
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier()
    unknown = sorted(set(model) - set(forest.get_params()))
    if unknown:
        raise ConfigError(
            f"[model] has setting(s) {', '.join(unknown)} that RandomForestClassifier does not "
            f"know.{_suggest(unknown[0], forest.get_params())} See its documentation for the names."
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


def _metric_kind(metric: str) -> str:
    """'regression', 'clustering' or 'classification', from where scikit-learn defines the metric."""
    from sklearn.metrics import get_scorer

    # A scorer keeps its metric function in a private attribute; if a future version drops it,
    # the check is skipped rather than failing.
    module = getattr(getattr(get_scorer(metric), "_score_func", None), "__module__", "")
    if module.startswith("sklearn.metrics._regression"):
        return "regression"
    if module.startswith("sklearn.metrics.cluster"):
        return "clustering"
    return "classification"
