"""Pure summaries of searches for figures and benchmarks: best-so-far curves with bands over repeats."""
from __future__ import annotations

import os
from typing import Iterable

import numpy as np
import pandas as pd

from .storage import load_search


def per_trial(trials: pd.DataFrame) -> pd.DataFrame:
    """One row per (search, trial): the mean value over seeds and the trial's epochs, in trial order."""
    keys = [c for c in ("strategy", "search_id") if c in trials.columns]
    grouped = trials.groupby([*keys, "trial"], sort=True, dropna=False)
    out = grouped.agg(value=("value", "mean"),
                      **({"epochs": ("stopped_epoch", "sum")} if "stopped_epoch" in trials.columns else {}))
    return out.reset_index()


def best_so_far(trials: pd.DataFrame) -> pd.DataFrame:
    """Best value after each number of trials, per strategy (in order of appearance), spread over repeats.

    Parameters
    ----------
    trials : DataFrame
        One row per run with ``strategy``, ``search_id`` (one per repeat), ``trial`` and ``value``.

    Returns
    -------
    DataFrame
        ``strategy, n_trials, mean, low, high, n_searches``: the mean, min and max over searches of the best value
        among their first ``n_trials`` trials (failed trials count as nothing found yet).
    """
    columns = ["strategy", "n_trials", "mean", "low", "high", "n_searches"]
    if trials.empty:
        return pd.DataFrame(columns=columns)
    rows = []
    table = per_trial(trials)
    for strategy in dict.fromkeys(trials["strategy"]):  # strategies in order of first appearance
        part = table[table["strategy"] == strategy]
        curves = []
        for _, search in part.groupby("search_id", sort=False):
            values = search.sort_values("trial")["value"].to_numpy(float)
            curves.append(np.maximum.accumulate(np.where(np.isfinite(values), values, -np.inf)))
        length = max(len(c) for c in curves)
        stacked = np.full((len(curves), length), np.nan)  # (n_searches, n_trials); shorter searches stop early
        for i, curve in enumerate(curves):
            stacked[i, :len(curve)] = np.where(np.isfinite(curve), curve, np.nan)
        for j in range(length):
            column = stacked[:, j][np.isfinite(stacked[:, j])]
            if len(column):
                rows.append((strategy, j + 1, column.mean(), column.min(), column.max(), len(column)))
    return pd.DataFrame(rows, columns=columns)


def comparison_trials(root: str | os.PathLike[str], search_ids: Iterable[str]) -> pd.DataFrame:
    """The trials of several searches in one frame, ``strategy`` labelled "+ early stopping" where it applies."""
    frames = []
    for search_id in search_ids:
        view = load_search(root, search_id)
        label = view.spec.strategy + (" + early stopping" if view.spec.early_stop else "")
        frames.append(view.trials.assign(strategy=label))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
