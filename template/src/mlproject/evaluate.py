"""Cross-validation with the configured scheme, and honest uncertainty for every score.

All models are scored on exactly the same splits, so their fold scores can be compared
pair by pair. Each mean score, and each difference between two models, comes with an
interval that uses Nadeau and Bengio's correction: the training sets of different folds
overlap, so fold scores are not independent, and the plain standard error would be too small.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from sklearn.model_selection import GroupKFold, RepeatedStratifiedKFold, cross_val_score

from mlproject.config import Config
from mlproject.data import Dataset


def make_splits(config: Config, data: Dataset) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) row positions of every fold, from the configured scheme and seed."""
    if config.scheme == "repeated-stratified-kfold":
        cv = RepeatedStratifiedKFold(
            n_splits=config.n_splits, n_repeats=config.n_repeats, random_state=config.split_seed
        )
        return list(cv.split(data.X, data.y))
    # group-kfold: all rows of a group land in the same fold. Each repeat shuffles which groups
    # go together; with few groups, repeats can give the same folds again, and a repeated fold
    # adds no information, so we keep each distinct fold once.
    splits, seen = [], set()
    for repeat in range(config.n_repeats):
        cv = GroupKFold(n_splits=config.n_splits, shuffle=True, random_state=config.split_seed + repeat)
        for train, test in cv.split(data.X, data.y, data.groups):
            key = tuple(test)
            if key not in seen:
                seen.add(key)
                splits.append((train, test))
    return splits


def score_models(models: dict, data: Dataset, splits: list, metric: str) -> dict[str, np.ndarray]:
    """Each model's score on each fold (the same folds for every model)."""
    return {
        name: cross_val_score(model, data.X, data.y, cv=splits, scoring=metric, error_score="raise")
        for name, model in models.items()
    }


def interval(scores, n_train: float, n_test: float, confidence: float) -> tuple[float, float]:
    """Confidence interval for the mean of fold scores (or of fold-wise differences).

    Nadeau & Bengio (2003) showed that fold scores are correlated because training sets
    overlap; their corrected variance multiplies the sample variance by
    ``1/k + n_test/n_train`` instead of ``1/k`` (k folds). Bouckaert & Frank (2004) use it for
    repeated k-fold cross-validation. The interval uses Student's t with k - 1 degrees of freedom.
    """
    scores = np.asarray(scores, dtype=float)
    k = len(scores)
    mean = scores.mean()
    variance = scores.var(ddof=1) * (1 / k + n_test / n_train)
    half_width = stats.t.ppf((1 + confidence) / 2, df=k - 1) * np.sqrt(variance)
    return float(mean - half_width), float(mean + half_width)


def verdict(low: float, high: float, first: str = "model") -> str:
    """Put the interval of a difference (first model minus another) into words."""
    if low > 0:
        return f"{first} scores higher"
    if high < 0:
        return f"{first} scores lower"
    return "no clear difference"


def summarise(scores: dict[str, np.ndarray], splits: list, confidence: float) -> tuple[dict, dict]:
    """Per model: mean, spread and interval; per comparison: the same for the differences."""
    n_train = float(np.mean([len(train) for train, _ in splits]))
    n_test = float(np.mean([len(test) for _, test in splits]))
    models = {}
    for name, values in scores.items():
        low, high = interval(values, n_train, n_test, confidence)
        models[name] = {
            "mean": float(values.mean()),
            "std_over_folds": float(values.std(ddof=1)),
            "interval": [low, high],
            "folds": [float(v) for v in values],
        }
    comparisons = {}
    for other in ("baseline", "dummy"):
        differences = scores["model"] - scores[other]
        low, high = interval(differences, n_train, n_test, confidence)
        comparisons[f"model - {other}"] = {
            "mean": float(differences.mean()),
            "interval": [low, high],
            "verdict": verdict(low, high),
        }
    return models, comparisons
