"""Cross-validation with the configured scheme, and honest uncertainty for every score.

All models are scored on the same folds, so their fold scores can be compared pair by pair.
Each mean score, and each difference between two models, comes with an interval that allows
for the overlap between training sets (the plain standard error would be too small).
"""

import numpy as np
from scipy import stats
from sklearn.metrics import get_scorer, make_scorer
from sklearn.model_selection import GroupKFold, RepeatedKFold, RepeatedStratifiedKFold

from mlproject.config import Config
from mlproject.data import Dataset
from mlproject.errors import DataError


def make_splits(config: Config, data: Dataset) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) row positions of every fold of the development rows, from the
    configured scheme and seed. Classes are stratified: every fold keeps their proportions."""
    if config.scheme == "repeated-kfold":
        kind = RepeatedStratifiedKFold if config.classification else RepeatedKFold
        cv = kind(
            n_splits=config.n_splits, n_repeats=config.n_repeats, random_state=config.split_seed
        )
        return list(cv.split(data.X, data.y))
    # group-kfold: all rows of a group land in the same fold. Each repeat shuffles which groups
    # go together; with few groups, repeats can give the same folds again, and a repeated fold
    # adds no information, so we keep each distinct fold once.
    splits, seen = [], set()
    for repeat in range(config.n_repeats):
        cv = GroupKFold(config.n_splits, shuffle=True, random_state=config.split_seed + repeat)
        for train, test in cv.split(data.X, data.y, data.groups):
            if tuple(test) not in seen:
                seen.add(tuple(test))
                splits.append((train, test))
    if config.classification:
        check_every_class_is_trained(splits, data)
    return splits


def check_every_class_is_trained(splits: list, data: Dataset) -> None:
    """Stop when a fold's training rows lack a class: its test rows of that class could never
    be predicted right, and the scores would measure the grouping, not the model. (That each
    class spans two groups is not enough: both groups can land in one test fold.)"""
    for number, (train, test) in enumerate(splits, start=1):
        missing = sorted(set(data.y) - set(data.y.iloc[train]), key=str)
        if missing:
            groups = set(data.groups.iloc[test][data.y.iloc[test].isin(missing)])
            raise DataError(
                f"In fold {number} of the group k-fold split, every row of class {missing[0]!r} "
                f"is in the test fold (groups {', '.join(sorted(map(str, groups)))}), so the model "
                "never sees that class in training. Use fewer folds ([validation] n_splits), group "
                "by something every class spans more widely, or collect more groups."
            )


def same_response_scorer(metric: str):
    """The scorer of a metric, scoring every model on its predicted probabilities. A few
    scorers ("average_precision", "roc_auc") use a model's ``decision_function`` if it has one
    (the logistic baseline has, the forest has not), which changes results for three classes."""
    scorer = get_scorer(metric)
    # A scorer keeps these in private attributes; if a future version renames them, the scorer
    # is used as it is and tests/test_parts.py says so.
    methods = getattr(scorer, "_response_method", None)
    if isinstance(methods, tuple) and "predict_proba" in methods:
        proba = {"response_method": "predict_proba", "greater_is_better": scorer._sign > 0}
        return make_scorer(scorer._score_func, **proba, **scorer._kwargs)
    return scorer


def score_models(models: dict, data: Dataset, splits: list, metric: str) -> dict[str, np.ndarray]:
    """Each model's score on each fold (the same folds and the same scorer for every model)."""
    from sklearn.model_selection import cross_val_score

    scorer = same_response_scorer(metric)
    return {
        name: cross_val_score(model, data.X, data.y, cv=splits, scoring=scorer, error_score="raise")
        for name, model in models.items()
    }


def interval(scores, n_train: float, n_test: float, confidence: float) -> tuple[float, float]:
    """Confidence interval for the mean of k fold scores (or of fold-wise differences), with
    Student's t (k - 1 degrees of freedom) and Nadeau & Bengio's (2003) corrected variance: the
    sample variance times ``1/k + n_test/n_train`` instead of ``1/k``, since training sets
    overlap (Bouckaert & Frank 2004 use it for repeated k-fold)."""
    scores = np.asarray(scores, dtype=float)
    k = len(scores)
    variance = scores.var(ddof=1) * (1 / k + n_test / n_train)
    half_width = stats.t.ppf((1 + confidence) / 2, df=k - 1) * np.sqrt(variance)
    return float(scores.mean() - half_width), float(scores.mean() + half_width)


def verdict(low: float, high: float, first: str = "model") -> str:
    """Put the interval of a difference (first model minus another) into words. Every
    scikit-learn scorer is "greater is better" (errors are negated: neg_mean_absolute_error)."""
    if low > 0:
        return f"{first} is better"
    if high < 0:
        return f"{first} is worse"
    return "no clear difference"


def summarise(scores: dict[str, np.ndarray], splits: list, confidence: float) -> tuple[dict, dict]:
    """Per model: mean, spread and interval; per comparison: the same for the differences."""
    n_train = float(np.mean([len(train) for train, _ in splits]))
    n_test = float(np.mean([len(test) for _, test in splits]))
    models, comparisons = {}, {}
    for name, values in scores.items():
        models[name] = {
            "mean": float(values.mean()),
            "std_over_folds": float(values.std(ddof=1)),
            "interval": list(interval(values, n_train, n_test, confidence)),
            "folds": [float(v) for v in values],
        }
    for other in ("baseline", "dummy"):
        differences = scores["model"] - scores[other]
        low, high = interval(differences, n_train, n_test, confidence)
        comparisons[f"model - {other}"] = {
            "mean": float(differences.mean()),
            "interval": [low, high],
            "verdict": verdict(low, high),
        }
    return models, comparisons


def per_class_results(model, data: Dataset, splits: list, config: Config) -> dict | None:
    """Recall of each class and the confusion matrix of one model (None for regression): a mean
    score can hide a class that the model gets wrong. The first repeat's folds predict every row
    once, with a model that did not train on it."""
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import cross_val_predict

    if not config.classification:
        return None
    predicted = cross_val_predict(model, data.X, data.y, cv=splits[: config.n_splits])
    labels = sorted(data.y.unique(), key=str)
    matrix = confusion_matrix(data.y, predicted, labels=labels)
    return {
        "classes": [str(label) for label in labels],
        "recall": {str(c): float(matrix[i, i] / matrix[i].sum()) for i, c in enumerate(labels)},
        "confusion_matrix": matrix.tolist(),  # rows: true class; columns: predicted class
        "folds": "the first repeat's folds (every row predicted once)",
    }
