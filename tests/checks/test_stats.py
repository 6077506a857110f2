"""Unit tests of lessonkit.stats: hand-computed cases, agreement with scipy, and bad inputs."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from lessonkit import stats
from lessonkit.stats import (
    bootstrap_ci,
    corrected_ci,
    corrected_resampled_ttest,
)

# A case small enough to compute by hand. Five paired splits, 80 training and 20 test rows:
#   differences d = 0.01, 0.02, 0.03, 0.04, 0.05   mean 0.03, sample variance s^2 = 2.5e-4
#   corrected variance of the mean = (1/5 + 20/80) * 2.5e-4 = 0.45 * 2.5e-4 = 1.125e-4
#   standard error = sqrt(1.125e-4) = 0.0106066,   t = 0.03 / 0.0106066 = 2*sqrt(2) = 2.8284
#   df = 4;  two-sided p = 2 * P(T_4 > 2.8284) = 0.0474 (t table: t_4 = 2.776 at p = 0.05)
#   95% interval: 0.03 +- 2.7764 * 0.0106066 = 0.03 +- 0.02945
SCORES_A = np.array([0.91, 0.92, 0.93, 0.94, 0.95])
SCORES_B = np.full(5, 0.90)
N_TRAIN, N_TEST = 80, 20


def test_doctests():
    assert doctest.testmod(stats).failed == 0


# ------------------------------------------------------------------ corrected resampled t-test
def test_corrected_ttest_matches_the_hand_computed_case():
    result = corrected_resampled_ttest(SCORES_A, SCORES_B, N_TRAIN, N_TEST)
    assert result.mean_difference == pytest.approx(0.03)
    assert result.t_statistic == pytest.approx(2 * math.sqrt(2))
    assert result.df == 4
    assert result.p_value == pytest.approx(0.0474, abs=5e-4)
    assert result.p_value == pytest.approx(
        2 * scipy_stats.t.sf(2 * math.sqrt(2), 4)
    )
    assert result.ci_low == pytest.approx(0.03 - 0.02945, abs=1e-5)
    assert result.ci_high == pytest.approx(0.03 + 0.02945, abs=1e-5)


def test_corrected_ttest_is_more_cautious_than_the_ordinary_paired_ttest():
    ordinary = scipy_stats.ttest_rel(SCORES_A, SCORES_B)
    corrected = corrected_resampled_ttest(SCORES_A, SCORES_B, N_TRAIN, N_TEST)
    # The ordinary test divides s^2 by J = 5 only: t = 0.03 / sqrt(2.5e-4 / 5) = 4.2426.
    assert ordinary.statistic == pytest.approx(0.03 / math.sqrt(2.5e-4 / 5))
    assert corrected.t_statistic < ordinary.statistic
    assert corrected.p_value > ordinary.pvalue


def test_without_overlap_the_correction_vanishes():
    # n_test/n_train -> 0 leaves 1/J: the ordinary paired t-test.
    ordinary = scipy_stats.ttest_rel(SCORES_A, SCORES_B)
    corrected = corrected_resampled_ttest(
        SCORES_A, SCORES_B, n_train=10**12, n_test=1
    )
    assert corrected.t_statistic == pytest.approx(ordinary.statistic)
    assert corrected.p_value == pytest.approx(ordinary.pvalue)


def test_repeated_kfold_factor_is_one_over_k_minus_one():
    # Bouckaert and Frank's repeated k-fold form: n_test/n_train = 1/(k-1). With k = 5 and
    # 10 repeats (J = 50) the variance factor is 1/50 + 1/4 = 0.27.
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.8, 0.03, 50), rng.normal(0.79, 0.03, 50)
    d = a - b
    expected_t = d.mean() / math.sqrt(0.27 * d.var(ddof=1))
    assert corrected_resampled_ttest(
        a, b, n_train=400, n_test=100
    ).t_statistic == pytest.approx(expected_t)


def test_sign_follows_the_order_of_the_models():
    ab = corrected_resampled_ttest(SCORES_A, SCORES_B, N_TRAIN, N_TEST)
    ba = corrected_resampled_ttest(SCORES_B, SCORES_A, N_TRAIN, N_TEST)
    assert ba.t_statistic == pytest.approx(-ab.t_statistic)
    assert ba.p_value == pytest.approx(ab.p_value)


@pytest.mark.parametrize(
    ("a", "b", "kwargs", "message"),
    [
        (SCORES_A, SCORES_B[:4], {}, "paired"),
        (SCORES_A[:1], SCORES_B[:1], {}, "at least two splits"),
        (SCORES_A, SCORES_B, {"n_train": 0}, "n_train must be a positive"),
        (SCORES_A, SCORES_B, {"n_test": 2.5}, "n_test must be a positive"),
        (
            SCORES_A,
            SCORES_B,
            {"confidence": 95},
            "confidence must be between 0 and 1",
        ),
        (SCORES_A, SCORES_A - 0.01, {}, "variance is zero"),
    ],
)
def test_corrected_ttest_refuses_bad_input(a, b, kwargs, message):
    arguments = {"n_train": N_TRAIN, "n_test": N_TEST, **kwargs}
    with pytest.raises(ValueError, match=message):
        corrected_resampled_ttest(a, b, **arguments)


def test_corrected_ci_matches_the_hand_computed_case():
    ci = corrected_ci(SCORES_A - SCORES_B, N_TRAIN, N_TEST)
    assert ci.estimate == pytest.approx(0.03)
    assert (ci.low, ci.high) == pytest.approx(
        (0.03 - 0.02945, 0.03 + 0.02945), abs=1e-5
    )


def test_corrected_ci_refuses_a_single_score():
    with pytest.raises(ValueError, match="at least two scores"):
        corrected_ci([0.9], N_TRAIN, N_TEST)


# ------------------------------------------------------------------ bootstrap
def accuracy(y_true, y_pred):
    return float(np.mean(y_true == y_pred))


def test_bootstrap_estimate_is_the_metric_on_the_data_and_lies_in_the_interval():
    rng = np.random.default_rng(1)
    y_true = rng.integers(0, 2, 200)
    y_pred = np.where(rng.random(200) < 0.8, y_true, 1 - y_true)
    ci = bootstrap_ci(accuracy, y_true, y_pred)
    assert ci.estimate == accuracy(y_true, y_pred)
    assert ci.low < ci.estimate < ci.high


def test_bootstrap_is_repeatable_with_a_seed():
    x = np.random.default_rng(5).normal(size=50)
    assert bootstrap_ci(np.mean, x, random_state=3) == bootstrap_ci(
        np.mean, x, random_state=3
    )
    assert bootstrap_ci(np.mean, x, random_state=3) != bootstrap_ci(
        np.mean, x, random_state=4
    )


def test_bootstrap_of_a_mean_agrees_with_the_normal_approximation():
    x = np.random.default_rng(2).normal(size=400)
    ci = bootstrap_ci(np.mean, x, n_resamples=2000)
    normal_half_width = 1.96 * x.std(ddof=1) / math.sqrt(len(x))
    assert ci.high - ci.estimate == pytest.approx(normal_half_width, rel=0.15)
    assert ci.estimate - ci.low == pytest.approx(normal_half_width, rel=0.15)


def test_bootstrap_keeps_pairs_together():
    # Two identical prediction vectors differ by exactly zero in every resample.
    y_true = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    y_pred = np.array([0, 1, 0, 0, 1, 1, 0, 1])
    ci = bootstrap_ci(
        lambda t, a, b: accuracy(t, a) - accuracy(t, b),
        y_true,
        y_pred,
        y_pred.copy(),
    )
    assert ci == (0.0, 0.0, 0.0)


def test_perfect_predictions_give_a_degenerate_interval():
    y = np.array([0, 1, 0, 1, 1])
    assert bootstrap_ci(accuracy, y, y) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("arrays", "kwargs", "message"),
    [
        ((), {}, "at least one array"),
        ((np.zeros(5), np.zeros(4)), {}, "same length"),
        ((np.zeros(1), np.zeros(1)), {}, "at least two rows"),
        (
            (np.zeros(5), np.zeros(5)),
            {"n_resamples": 0},
            "n_resamples must be a positive integer",
        ),
        (
            (np.zeros(5), np.zeros(5)),
            {"confidence": 1.5},
            "confidence must be between 0 and 1",
        ),
    ],
)
def test_bootstrap_refuses_bad_input(arrays, kwargs, message):
    with pytest.raises(ValueError, match=message):
        bootstrap_ci(accuracy, *arrays, **kwargs)
