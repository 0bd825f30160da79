"""Pure summaries of searches for figures and benchmarks: best-so-far curves with bands over repeats."""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..validation import check_choice
from .spec import strategy_label

__all__ = ["X_AXES", "best_so_far", "per_trial", "strategy_label"]


def per_trial(trials: pd.DataFrame) -> pd.DataFrame:
    """One row per (search, trial): the mean value over seeds and the trial's epochs, in trial order."""
    keys = [c for c in ("strategy", "search_id") if c in trials.columns]
    grouped = trials.groupby([*keys, "trial"], sort=True, dropna=False)
    out = grouped.agg(value=("value", "mean"),
                      **({"epochs": ("stopped_epoch", "sum")} if "stopped_epoch" in trials.columns else {}))
    return out.reset_index()


X_AXES = ("trials", "epochs")
"""What a best-so-far curve is drawn against: trials done, or compute (trial-epochs, where early stopping saves)."""


def best_so_far(trials: pd.DataFrame, x: str = "trials") -> pd.DataFrame:
    """Best value after each number of trials (or trial-epochs), per strategy, spread over repeats.

    Parameters
    ----------
    trials : DataFrame
        One row per run with ``strategy``, ``search_id`` (one per repeat), ``trial`` and ``value``; for
        ``x="epochs"`` also ``stopped_epoch``.
    x : {"trials", "epochs"}
        ``"trials"``: after the first n trials (in trial order). ``"epochs"``: after n trial-epochs of compute, a
        trial counting once all its epochs are spent (a pruned trial's up to where it stopped).

    Returns
    -------
    DataFrame
        ``strategy, x, mean, low, high, n_searches``: the mean, min and max over searches of the best value found
        within ``x`` (failed trials count as nothing found yet). A search that ended below ``x`` counts with its
        final best: it found that within the budget, so a line never falls when a shorter repeat ends.
    """
    check_choice("x", x, X_AXES)
    columns = ["strategy", "x", "mean", "low", "high", "n_searches"]
    if trials.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    table = per_trial(trials)
    for strategy in dict.fromkeys(trials["strategy"]):  # strategies in order of first appearance
        part = table[table["strategy"] == strategy]
        steps = []  # per search: (x at which each trial's value is known, best so far there)
        for _, search in part.groupby("search_id", sort=False):
            search = search.sort_values("trial")
            values = search["value"].to_numpy(float)
            best = np.maximum.accumulate(np.where(np.isfinite(values), values, -np.inf))
            at = np.arange(1, len(values) + 1) if x == "trials" else np.cumsum(search["epochs"].to_numpy(np.int64))
            steps.append((at, np.where(np.isfinite(best), best, np.nan)))
        grid = np.unique(np.concatenate([at for at, _ in steps]))
        stacked = np.full((len(steps), len(grid)), np.nan)  # (n_searches, len(grid)); NaN before a first value
        for i, (at, best) in enumerate(steps):
            known = np.searchsorted(at, grid, side="right") - 1  # the last trial known at each grid point
            stacked[i, known >= 0] = best[known[known >= 0]]
        for j, point in enumerate(grid):
            column = stacked[:, j][np.isfinite(stacked[:, j])]
            if len(column):
                rows.append((strategy, int(point), column.mean(), column.min(), column.max(), len(column)))
    return pd.DataFrame(rows, columns=columns)
