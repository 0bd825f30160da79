"""Best-so-far summaries: by trials and by compute, with the spread over repeated searches."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.search import SearchSpec
from core.search.summary import best_so_far, strategy_label


def _trials(rows):
    return pd.DataFrame(rows, columns=["strategy", "search_id", "trial", "value", "stopped_epoch"])


# two searches of one strategy: a (3 trials of 10, 2, 10 epochs) and b (2 trials of 10 epochs)
ROWS = [("random", "a", 0, 0.2, 10), ("random", "a", 1, 0.1, 2), ("random", "a", 2, 0.5, 10),
        ("random", "b", 0, 0.4, 10), ("random", "b", 1, np.nan, 10)]


def test_best_so_far_by_trials_is_the_running_max_averaged_over_searches():
    summary = best_so_far(_trials(ROWS))
    assert list(summary["x"]) == [1, 2, 3]
    np.testing.assert_allclose(summary["mean"], [0.3, 0.3, 0.45])  # b's failed 2nd trial finds nothing new
    assert list(summary["n_searches"]) == [2, 2, 2]               # b ended after 2 trials: its best stands
    np.testing.assert_allclose(summary["low"], [0.2, 0.2, 0.4])
    np.testing.assert_allclose(summary["high"], [0.4, 0.4, 0.5])


def test_best_so_far_by_compute_counts_a_trial_once_its_epochs_are_spent():
    summary = best_so_far(_trials(ROWS), x="epochs")
    # a's trials are known at 10, 12 and 22 trial-epochs; b's at 10 and 20
    assert list(summary["x"]) == [10, 12, 20, 22]
    np.testing.assert_allclose(summary["mean"], [0.3, 0.3, 0.3, 0.45])
    assert list(summary["n_searches"]) == [2, 2, 2, 2]


def test_a_line_never_falls_when_a_shorter_repeat_ends():
    # b finds 0.6 in one trial and ends; a goes on to 0.2: without b's final best the mean would drop to 0.2
    rows = [("random", "a", 0, 0.1, 5), ("random", "a", 1, 0.1, 5), ("random", "a", 2, 0.2, 5),
            ("random", "b", 0, 0.6, 5)]
    for x in ("trials", "epochs"):
        summary = best_so_far(_trials(rows), x=x)
        np.testing.assert_allclose(summary["mean"], [0.35, 0.35, 0.4])


def test_the_x_axis_is_checked():
    with pytest.raises(ValueError, match="'x' parameter must be one of 'trials', 'epochs'. Got 'seconds'"):
        best_so_far(_trials(ROWS), x="seconds")
    assert best_so_far(_trials([]), x="epochs").empty


def test_strategy_labels_name_early_stopping_and_accuracy_rungs():
    assert strategy_label(SearchSpec()) == "random"
    assert strategy_label(SearchSpec(early_stop=True)) == "random + early stopping"
    assert strategy_label(SearchSpec(strategy="bayes", early_stop=True, rung_metric="val_acc")) == \
        "bayes + early stopping (rungs on accuracy)"
