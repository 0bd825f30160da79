"""Choosing on test vs on validation: known answers on synthetic accuracies, and a real results store as input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.config import RunConfig
from core.lessons.selection import accuracies_from_runs, optimism_by_n, selection_scores
from core.record import METRICS, RunRecord, RunStatus
from core.store import ResultStore

# E[max of n standard normals] for n = 2, 5, 10 (order-statistics tables; n = 2 is 1/sqrt(pi)).
EXPECTED_MAX_OF_NORMALS = {2: 0.5642, 5: 1.1630, 10: 1.5388}


def noise_configs(m: int, sd: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """M configs of equal true accuracy 0.9 whose val and test accuracies differ only by independent noise."""
    rng = np.random.default_rng(seed)
    return 0.9 + sd * rng.standard_normal(m), 0.9 + sd * rng.standard_normal(m)


def test_scores_by_hand():
    val = [0.80, 0.95, 0.90]
    test = [0.85, 0.88, 0.93]
    scores = selection_scores(val, test)
    assert (scores.on_test, scores.honest, scores.chosen_on_test, scores.chosen_on_val) == (0.93, 0.88, 2, 1)
    assert scores.optimism == pytest.approx(0.05)


def test_ties_on_validation_report_the_mean_test_accuracy_of_the_tied():
    scores = selection_scores([0.9, 0.5, 0.9], [0.8, 1.0, 0.6])
    assert scores.honest == pytest.approx(0.7)
    assert scores.tied_on_val == (0, 2) and scores.chosen_on_val == 0
    assert selection_scores([0.8, 0.95, 0.9], [0.85, 0.88, 0.93]).tied_on_val == (1,)


def test_perfectly_informative_validation_has_no_optimism():
    rng = np.random.default_rng(0)
    test = rng.uniform(0.8, 0.95, 200)
    for val in (test, 2 * test - 0.3):  # the same ranking: choosing on validation picks the best test config
        frame = optimism_by_n(val, test, [1, 2, 10, 200], rng, n_resamples=300)
        assert np.all(frame["optimism"] == 0.0)
        assert np.allclose(frame["on_test"], frame["honest"])


def test_pure_noise_optimism_grows_with_n_like_the_expected_maximum():
    sd = 0.01
    val, test = noise_configs(2000, sd)
    frame = optimism_by_n(val, test, [1, 2, 5, 10], np.random.default_rng(1), n_resamples=2000)
    assert frame["optimism"].iloc[0] == 0.0                          # one config: nothing to choose
    assert np.all(np.diff(frame["optimism"]) > 0)                    # grows with N
    assert np.allclose(frame["honest"], 0.9, atol=0.002)             # the honest score is unbiased
    for n, expected in EXPECTED_MAX_OF_NORMALS.items():
        measured = frame.set_index("n_configs").loc[n, "optimism"]
        assert measured == pytest.approx(sd * expected, rel=0.1), n
    assert np.all(frame["optimism_low"] <= frame["optimism"]) and np.all(frame["optimism"] <= frame["optimism_high"])


def test_deterministic_given_the_generator():
    val, test = noise_configs(50, 0.02)
    a = optimism_by_n(val, test, [3, 7], np.random.default_rng(9), n_resamples=100)
    b = optimism_by_n(val, test, [3, 7], np.random.default_rng(9), n_resamples=100)
    c = optimism_by_n(val, test, [3, 7], np.random.default_rng(10), n_resamples=100)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


@pytest.mark.parametrize("val, test, n, words", [
    ([0.9, 0.8], [0.9], [1], "1-D arrays"),
    ([0.9, np.nan], [0.9, 0.8], [1], "finite"),
    ([0.9, 0.8], [0.9, 0.8], [3], "'n_configs'"),
])
def test_bad_inputs_are_refused(val, test, n, words):
    with pytest.raises(ValueError, match=words):
        optimism_by_n(val, test, n, np.random.default_rng(0))


def record(seed: int, val_acc: float, test_acc: float, *, n_val: int = 100, status=RunStatus.COMPLETE, lr=0.01):
    """A stored-run record whose final validation and test accuracies are the given ones."""
    config = RunConfig(seed=seed, n_epochs=2, hidden_sizes=(10,), n_val=n_val, lr=lr)
    curves = {"epoch": np.arange(3), **{m: np.full(3, 0.5) for m in METRICS}, "elapsed_s": np.arange(3.0)}
    curves["val_acc"] = np.array([0.1, 0.2, val_acc if n_val else np.nan])
    curves["test_acc"] = np.array([0.1, 0.2, test_acc])
    return RunRecord(config, status, curves, np.ones((3, 2)), 2, "fp", "2025-01-01T00:00:00+00:00", 1.0)


def test_accuracies_from_a_real_results_store(tmp_path):
    store = ResultStore(tmp_path)
    store.write([
        record(0, 0.80, 0.70), record(1, 0.90, 0.74),                    # one config, two seeds
        record(0, 0.85, 0.90, lr=0.1),                                    # another config
        record(0, 0.99, 0.99, lr=0.5, status=RunStatus.DIVERGED),         # not complete: left out
        record(0, np.nan, 0.95, lr=0.2, n_val=0),                         # no validation split: left out
    ])
    runs = store.load_runs()
    val, test = accuracies_from_runs(runs)
    assert sorted(zip(val, test)) == [(0.80, 0.70), (0.85, 0.90), (0.90, 0.74)]
    val, test = accuracies_from_runs(runs, by_group=True)
    assert sorted(zip(np.round(val, 10), np.round(test, 10))) == [(0.85, 0.72), (0.85, 0.90)]
    with pytest.raises(ValueError, match="'final_val_acc'"):
        accuracies_from_runs(runs.drop(columns="final_val_acc"))
