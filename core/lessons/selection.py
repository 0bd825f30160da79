"""Why validation data (section 6.5.1): choosing the best of N configs on test data overstates its score.

Two ways to report "the best config's accuracy":

- **on test** (the mistake): pick the config with the highest test accuracy and report that accuracy. The maximum of
  N noisy numbers is biased upwards: part of what made it the maximum is luck on this test set.
- **honest**: pick on validation accuracy, then report the chosen config's test accuracy, a number the choice never
  looked at.

The optimism is on_test - honest. With N configs of equal true accuracy it grows with N like the expected maximum of
N noise draws; when validation ranks the configs exactly as test does it is 0.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

VAL_COLUMN, TEST_COLUMN = "final_val_acc", "final_test_acc"  # docs/results-schema.md


@dataclass(frozen=True)
class SelectionScores:
    """The two reported scores of one set of configs (see the module docstring).

    Attributes
    ----------
    on_test : the maximum test accuracy.
    honest : the test accuracy of the config with the best validation accuracy (the mean over ties).
    optimism : on_test - honest, >= 0.
    chosen_on_test, chosen_on_val : index of the config each way chooses (the first on ties).
    tied_on_val : indices of every config with the best validation accuracy (``chosen_on_val`` first): validation
        cannot tell them apart, so ``honest`` is their mean test accuracy.
    """

    on_test: float
    honest: float
    optimism: float
    chosen_on_test: int
    chosen_on_val: int
    tied_on_val: tuple[int, ...]


def _check_pair(val_acc: npt.ArrayLike, test_acc: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    val, test = np.asarray(val_acc, dtype=np.float64), np.asarray(test_acc, dtype=np.float64)
    if val.ndim != 1 or val.shape != test.shape or len(val) == 0:
        raise ValueError(f"val_acc and test_acc must be 1-D arrays of one non-zero length. "
                         f"Got shapes {val.shape} and {test.shape}.")
    if not (np.all(np.isfinite(val)) and np.all(np.isfinite(test))):
        raise ValueError("val_acc and test_acc must be finite: leave out runs without a validation or test split.")
    return val, test


def selection_scores(val_acc: npt.ArrayLike, test_acc: npt.ArrayLike) -> SelectionScores:
    """Scores of choosing on test and on validation among (M,) configs with accuracies ``val_acc``, ``test_acc``."""
    val, test = _check_pair(val_acc, test_acc)
    best_val = val == val.max()  # ties: their mean test accuracy, the expected score of picking one of them
    honest = float(test[best_val].mean())
    on_test = float(test.max())
    return SelectionScores(on_test, honest, on_test - honest, int(test.argmax()), int(val.argmax()),
                           tuple(int(i) for i in np.flatnonzero(best_val)))


def optimism_by_n(val_acc: npt.ArrayLike, test_acc: npt.ArrayLike, n_configs: Sequence[int],
                  rng: np.random.Generator, *, n_resamples: int = 2000) -> pd.DataFrame:
    """The two scores and the optimism when choosing among N configs drawn at random from the M given, for each N.

    Parameters
    ----------
    val_acc, test_acc : (M,) accuracies of M configs.
    n_configs : the subset sizes N to try, each in [1, M].
    rng : draws the subsets (without replacement within a subset).
    n_resamples : subsets drawn per N.

    Returns
    -------
    DataFrame, one row per N: n_configs, on_test, honest, optimism (means over the subsets), optimism_low and
    optimism_high (its 5 % and 95 % quantiles over the subsets), n_resamples.
    """
    val, test = _check_pair(val_acc, test_acc)
    m = len(val)
    sizes = [int(n) for n in n_configs]
    if not sizes or any(not 1 <= n <= m for n in sizes):
        raise ValueError(f"The 'n_configs' parameter must hold sizes in the range [1, {m}] (the number of configs). "
                         f"Got {list(n_configs)!r} instead.")
    if not (isinstance(n_resamples, int) and 1 <= n_resamples <= 1_000_000):
        raise ValueError(f"The 'n_resamples' parameter must be an int in the range [1, 1000000]. Got {n_resamples!r} instead.")
    rows = []
    for n in sizes:
        # The n smallest of M random keys, for each resample: a uniform (R, n) draw without replacement.
        keys = rng.random((n_resamples, m))
        subsets = keys.argsort(axis=1)[:, :n] if n == m else np.argpartition(keys, n - 1, axis=1)[:, :n]
        sub_val, sub_test = val[subsets], test[subsets]                          # (R, n)
        on_test = sub_test.max(axis=1)                                           # (R,)
        best_val = sub_val == sub_val.max(axis=1, keepdims=True)                 # (R, n) ties counted evenly
        honest = (sub_test * best_val).sum(axis=1) / best_val.sum(axis=1)        # (R,)
        optimism = on_test - honest
        rows.append({"n_configs": n, "on_test": on_test.mean(), "honest": honest.mean(),
                     "optimism": optimism.mean(), "optimism_low": np.quantile(optimism, 0.05),
                     "optimism_high": np.quantile(optimism, 0.95), "n_resamples": n_resamples})
    return pd.DataFrame(rows)


def accuracies_from_runs(runs: pd.DataFrame, *, by_group: bool = False, val_column: str = VAL_COLUMN,
                         test_column: str = TEST_COLUMN) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(M,) validation and (M,) test accuracies of the runs in a ``ResultStore.load_runs()`` frame.

    Only complete runs with both accuracies count (runs without a validation split have NaN there). With
    ``by_group`` the runs of one ``group_id`` (same config, other seeds) become one config: their mean accuracies.
    """
    missing = [c for c in ("status", "group_id", val_column, test_column) if c not in runs.columns]
    if missing:
        raise ValueError(f"The runs frame lacks the column(s) {', '.join(map(repr, missing))}.")
    usable = runs[(runs["status"] == "complete") & runs[val_column].notna() & runs[test_column].notna()]
    if by_group:
        usable = usable.groupby("group_id", sort=True)[[val_column, test_column]].mean()
    return usable[val_column].to_numpy(np.float64), usable[test_column].to_numpy(np.float64)
