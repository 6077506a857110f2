"""Cross-validation with the configured scheme, and honest uncertainty for every score.

All models are scored on exactly the same splits, so their fold scores can be compared
pair by pair. Each mean score, and each difference between two models, comes with an
interval that uses Nadeau and Bengio's correction: the training sets of different folds
overlap, so fold scores are not independent, and the plain standard error would be too small.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from sklearn.metrics import get_scorer, make_scorer
from sklearn.model_selection import GroupKFold, RepeatedKFold, RepeatedStratifiedKFold, cross_val_score

from mlproject.config import Config
from mlproject.data import Dataset
from mlproject.errors import DataError


def make_splits(config: Config, data: Dataset) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (train, test) row positions of every fold of the development rows, from the
    configured scheme and seed. Classes are stratified: every fold keeps their proportions."""
    if config.scheme == "repeated-kfold":
        kind = RepeatedStratifiedKFold if config.classification else RepeatedKFold
        cv = kind(n_splits=config.n_splits, n_repeats=config.n_repeats, random_state=config.split_seed)
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
    if config.classification:
        check_every_class_is_trained(splits, data)
    return splits


def check_every_class_is_trained(splits: list, data: Dataset) -> None:
    """Stop when a fold's training rows lack a class: its test rows of that class could never
    be predicted right, and the scores would measure the grouping, not the model.

    That each class spans two groups is not enough: both groups can land in one test fold.
    """
    classes = set(data.y)
    for number, (train, test) in enumerate(splits, start=1):
        missing = sorted(classes - set(data.y.iloc[train]), key=str)
        if missing:
            groups = sorted({str(g) for g in data.groups.iloc[test][data.y.iloc[test].isin(missing)]})
            raise DataError(
                f"In fold {number} of the group k-fold split, every row of class "
                f"{missing[0]!r} is in the test fold (groups {', '.join(groups)}), so the model "
                "never sees that class in training. Use fewer folds ([validation] n_splits), "
                "group by something every class spans more widely, or collect more groups."
            )


def same_response_scorer(metric: str):
    """The scorer of a metric, reading the same kind of output from every model.

    A few of scikit-learn's scorers ("average_precision", "roc_auc", "top_k_accuracy") use a
    model's ``decision_function`` when it has one, and its ``predict_proba`` otherwise. The
    logistic baseline has a decision function (unbounded scores) and the forest has not, so
    the two would be scored on different scales; with more than two classes that changes the
    result. Here every model is scored on its predicted probabilities, which all three have.
    """
    scorer = get_scorer(metric)
    # A scorer keeps these in private attributes; if a future version renames them, the scorer
    # is used as it is and tests/test_training.py says so.
    methods = getattr(scorer, "_response_method", None)
    if isinstance(methods, tuple) and "predict_proba" in methods:
        return make_scorer(
            scorer._score_func,
            response_method="predict_proba",
            greater_is_better=scorer._sign > 0,
            **scorer._kwargs,
        )
    return scorer


def score_models(models: dict, data: Dataset, splits: list, metric: str) -> dict[str, np.ndarray]:
    """Each model's score on each fold (the same folds and the same scorer for every model)."""
    scorer = same_response_scorer(metric)
    return {
        name: cross_val_score(model, data.X, data.y, cv=splits, scoring=scorer, error_score="raise")
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


def per_class_results(model, data: Dataset, splits: list, config: Config) -> dict | None:
    """Recall of each class and the confusion matrix of one model, from out-of-fold predictions
    (None for regression).

    A mean score can hide a class that the model gets wrong. The first repeat's folds cover
    every row once, so each row gets one prediction from a model that did not train on it.
    """
    from sklearn.metrics import confusion_matrix
    from sklearn.model_selection import cross_val_predict

    if not config.classification:
        return None
    predicted = cross_val_predict(model, data.X, data.y, cv=splits[: config.n_splits])
    labels = sorted(data.y.unique(), key=str)
    matrix = confusion_matrix(data.y, predicted, labels=labels)
    return {
        "classes": [str(label) for label in labels],
        "recall": {str(label): float(matrix[i, i] / matrix[i].sum()) for i, label in enumerate(labels)},
        "confusion_matrix": matrix.tolist(),  # rows: true class; columns: predicted class
        "folds": "the first repeat's folds (every row predicted once)",
    }
