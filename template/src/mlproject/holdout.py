"""The test set, locked away: which rows, every look at it, and its score.

First of all, ``[validation] test_fraction`` of the rows (of the groups, with group-kfold) are
set aside, drawn with ``[seeds] test``; everything else uses only the other rows, the
*development* rows. ``evaluate-test`` scores the shared model on the test rows and appends the
look to ``test-set-log.jsonl``: every later results file and model card lists every look.
"""

import hashlib
import json
import warnings
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from mlproject.config import Config
from mlproject.data import Dataset
from mlproject.errors import DataError

LOG = "test-set-log.jsonl"  # next to config.toml; commit it, never edit it
RESAMPLES = 1000


def hold_out(config: Config, data: Dataset) -> tuple[Dataset, Dataset | None]:
    """Split the rows into development and test rows (none when test_fraction is 0). The test
    set has a seed of its own: changing [seeds] split, to check the folds, does not move it."""
    from sklearn import model_selection as ms

    if config.test_fraction == 0:
        return data, None
    kind = ms.StratifiedShuffleSplit if config.classification else ms.ShuffleSplit
    if data.groups is not None:
        kind = ms.GroupShuffleSplit
    cv = kind(n_splits=1, test_size=config.test_fraction, random_state=config.test_seed)
    try:
        development, test = next(cv.split(data.X, data.y, data.groups))
    except ValueError as error:
        reason = str(error).splitlines()[0].rstrip(".")
        raise DataError(
            f"Cannot lock away a test set of {config.test_fraction:g} of the rows ([validation] "
            f"test_fraction in {config.source}): scikit-learn says: {reason}. Lower "
            "test_fraction (0: no test set), or collect more data."
        ) from None
    development, test = data.subset(np.sort(development)), data.subset(np.sort(test))
    unseen = sorted(set(test.y) - set(development.y), key=str) if config.classification else []
    if unseen:
        groups = ", ".join(map(str, sorted(set(test.groups))))
        raise DataError(
            f"Every row of class {unseen[0]!r} is in the test set's groups ({groups}): the model "
            "could never learn it. Group by something every class spans, or collect rows of that "
            "class from more groups."
        )
    return development, test


def fingerprint(data: Dataset, test: Dataset) -> str:
    """Identifies a test set: the processed file's checksum and the test rows' positions."""
    return hashlib.sha256(f"{data.sha256}:{list(map(int, test.y.index))}".encode()).hexdigest()


def settings_sha256(config: Config) -> str:
    """Identifies the settings that change results: all of config.toml but [project]."""
    settings = {key: value for key, value in config.settings.items() if key != "project"}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def looks(folder: Path) -> list[dict]:
    """Every look at the test set so far, from the log."""
    path = folder / LOG
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return [json.loads(entry) for entry in text.splitlines() if entry.strip()]


def record_look(folder: Path, look: dict) -> None:
    """Append one look to the log, with the date (the log is the only place with dates)."""
    entry = {"utc": datetime.now(UTC).isoformat(timespec="seconds"), **look}
    with open(folder / LOG, "a", encoding="utf-8", newline="\n") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False) + "\n")


def record(config: Config, data: Dataset, test: Dataset | None) -> dict | None:
    """The test set as results.json records it, with every look so far (dates stay in the log)."""
    if test is None:
        return None
    return {
        "fraction": config.test_fraction,
        "seed": config.test_seed,
        "rows": len(test.y),
        "groups": None if test.groups is None else int(test.groups.nunique()),
        "fingerprint": fingerprint(data, test),
        "looks": [{k: v for k, v in look.items() if k != "utc"} for look in looks(config.folder)],
    }


def _answers(model, X):
    """A stand-in for a fitted model that answers from the predictions the model made once, for
    the rows whose numbers it is given: the bootstrap's 1000 resamples then take a moment."""
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, is_classifier

    names = [name for name in ("predict", "predict_proba") if hasattr(model, name)]
    made = {name: getattr(model, name)(X) for name in names}

    class Answers(ClassifierMixin if is_classifier(model) else RegressorMixin, BaseEstimator):
        classes_ = getattr(model, "classes_", None)

        def predict(self, rows):
            return made["predict"][rows[:, 0]]

        def predict_proba(self, rows):
            return made["predict_proba"][rows[:, 0]]

    return Answers()


def score_test_set(model, test: Dataset, config: Config) -> dict:
    """The model's score on the test rows, with a percentile bootstrap interval over the rows
    (resampled within each class for classification, so that every class stays in)."""
    from mlproject.evaluate import same_response_scorer

    scorer, rng = same_response_scorer(config.metric), np.random.default_rng(config.test_seed)
    answers, y = _answers(model, test.X), test.y.to_numpy()
    strata = [np.arange(len(y))]
    if config.classification:
        strata = [np.flatnonzero(y == label) for label in np.unique(y)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a resample may lack a predicted class: fine here
        score, values = float(scorer(model, test.X, test.y)), []
        for _ in range(RESAMPLES):
            rows = np.concatenate([rng.choice(s, len(s)) for s in strata])
            try:
                values.append(scorer(answers, rows[:, None], y[rows]))
            except ValueError:  # a metric that cannot score this resample
                continue
    tail = (1 - config.confidence) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return {"score": score, "interval": [float(low), float(high)], "rows": len(y)}
