"""Uncertainty for model scores: a bootstrap interval and the corrected resampled t-test.

Episodes 02 (Model evaluation) and 03 (Benchmarking) write each method out in full once, so
learners see the formula; afterwards they call these tested versions.

``bootstrap_ci``
    A percentile bootstrap confidence interval for any score computed from paired arrays
    (for example ``y_true`` and ``y_pred`` of one test set), resampling rows with replacement.
``corrected_resampled_ttest``
    Compare two models scored on the *same* resampled splits (repeated k-fold cross-validation
    or repeated random splits). The training sets of different splits overlap, so the scores
    are correlated and the ordinary paired t-test is far too confident. Nadeau and Bengio
    (2003, Machine Learning 52:239-281) correct the variance of the mean difference to

        (1/J + n_test/n_train) * s**2

    where J is the number of splits and s**2 the sample variance of the J differences;
    Bouckaert and Frank (2004, PAKDD, LNCS 3056:3-12) apply it to r-times repeated k-fold
    cross-validation (J = k*r, n_test/n_train = 1/(k-1)). The statistic is compared with a
    t distribution with J - 1 degrees of freedom.
``corrected_ci``
    The confidence interval for the mean of resampled scores with the same correction.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class ConfidenceInterval(NamedTuple):
    """A point estimate and the bounds of its confidence interval."""

    estimate: float
    low: float
    high: float


class CorrectedTTestResult(NamedTuple):
    """The corrected resampled t-test of the mean difference between two models' scores."""

    mean_difference: float
    t_statistic: float
    df: int
    p_value: float
    ci_low: float
    ci_high: float


def _check_confidence(confidence: float) -> None:
    if not 0 < confidence < 1:
        raise ValueError(
            f"confidence must be between 0 and 1 (e.g. 0.95), not {confidence!r}"
        )


def bootstrap_ci(
    metric: Callable[..., float],
    *arrays,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    random_state: int = 0,
) -> ConfidenceInterval:
    """Percentile bootstrap confidence interval for ``metric(*arrays)``.

    Every resample draws row indices with replacement and applies them to *all* arrays, so
    pairs (a label and its prediction, or two models' predictions for the same sample) stay
    together. Returns the metric on the original arrays and the interval's bounds.

    >>> import numpy as np
    >>> y_true = np.array([0, 1, 1, 0, 1, 1, 0, 1])
    >>> y_pred = np.array([0, 1, 0, 0, 1, 1, 1, 1])
    >>> accuracy = lambda t, p: float(np.mean(t == p))
    >>> ci = bootstrap_ci(accuracy, y_true, y_pred, n_resamples=200, random_state=0)
    >>> ci.estimate
    0.75
    >>> ci.low <= ci.estimate <= ci.high
    True
    """
    if not arrays:
        raise ValueError(
            "give at least one array to resample, e.g. bootstrap_ci(metric, y_true, y_pred)"
        )
    arrays = tuple(np.asarray(a) for a in arrays)
    n = len(arrays[0])
    if any(len(a) != n for a in arrays):
        raise ValueError(
            f"all arrays must have the same length, not {[len(a) for a in arrays]}"
        )
    if n < 2:
        raise ValueError("need at least two rows to bootstrap")
    if not (isinstance(n_resamples, int) and n_resamples >= 1):
        raise ValueError(
            f"n_resamples must be a positive integer, not {n_resamples!r}"
        )
    _check_confidence(confidence)
    rng = np.random.default_rng(random_state)
    scores = np.empty(n_resamples)
    for i in range(n_resamples):
        rows = rng.integers(0, n, size=n)
        scores[i] = metric(*(a[rows] for a in arrays))
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(scores, [tail, 100 - tail])
    return ConfidenceInterval(float(metric(*arrays)), float(low), float(high))


def _check_split_sizes(n_train: int, n_test: int) -> None:
    for name, value in (("n_train", n_train), ("n_test", n_test)):
        if not (isinstance(value, (int, np.integer)) and value > 0):
            raise ValueError(
                f"{name} must be a positive number of samples, not {value!r}"
            )


def _corrected_standard_error(
    values: np.ndarray, n_train: int, n_test: int
) -> float:
    """sqrt((1/J + n_test/n_train) * s**2) for J values with sample variance s**2."""
    return math.sqrt(
        (1 / len(values) + n_test / n_train) * np.var(values, ddof=1)
    )


def corrected_ci(
    scores, n_train: int, n_test: int, confidence: float = 0.95
) -> ConfidenceInterval:
    """Confidence interval for the mean of resampled scores, with Nadeau and Bengio's correction.

    ``scores`` are one model's scores on J splits whose training sets have ``n_train`` samples
    and test sets ``n_test`` samples (on average, if they differ slightly).
    """
    from scipy import stats

    scores = np.asarray(scores, dtype=float)
    if scores.ndim != 1 or len(scores) < 2:
        raise ValueError("need a one-dimensional array of at least two scores")
    _check_split_sizes(n_train, n_test)
    _check_confidence(confidence)
    mean = float(scores.mean())
    half_width = stats.t.ppf(
        0.5 + confidence / 2, len(scores) - 1
    ) * _corrected_standard_error(scores, n_train, n_test)
    return ConfidenceInterval(mean, mean - half_width, mean + half_width)


def corrected_resampled_ttest(
    scores_a, scores_b, n_train: int, n_test: int, confidence: float = 0.95
) -> CorrectedTTestResult:
    """Two-sided corrected resampled t-test of mean(scores_a - scores_b) = 0.

    ``scores_a[j]`` and ``scores_b[j]`` must come from the same split j (same training and
    test rows). Returns the mean difference, t, the degrees of freedom (J - 1), the p-value
    and a confidence interval for the mean difference.
    """
    from scipy import stats

    a = np.asarray(scores_a, dtype=float)
    b = np.asarray(scores_b, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError(
            f"scores_a and scores_b must be 1-D and paired (same length), not {a.shape} and {b.shape}"
        )
    if len(a) < 2:
        raise ValueError("need scores from at least two splits")
    _check_split_sizes(n_train, n_test)
    _check_confidence(confidence)
    differences = a - b
    if np.var(differences, ddof=1) == 0:
        raise ValueError(
            "the differences between the two models are identical on every split, so their "
            "variance is zero and a t-test is undefined; report the difference as it is"
        )
    df = len(differences) - 1
    mean = float(differences.mean())
    se = _corrected_standard_error(differences, n_train, n_test)
    t_statistic = mean / se
    p_value = float(2 * stats.t.sf(abs(t_statistic), df))
    half_width = stats.t.ppf(0.5 + confidence / 2, df) * se
    return CorrectedTTestResult(
        mean,
        float(t_statistic),
        df,
        p_value,
        mean - half_width,
        mean + half_width,
    )
