"""Pure summaries of one sweep for its views: per run, per point over seeds, paired against the baseline, the point
chosen on validation, and the 2-D grid. Inputs are a ``SweepView`` (members joined with the store's runs) and, for
the best-epoch view, the store's curves of its runs; nothing here reads files.

Only complete runs count: a diverged, failed or missing run leaves its metrics NaN and is left out of the means
(``n`` counts the runs that do count). Seed bands use ``std`` with ddof=0, as the dashboard's other bands; the paired
interval uses the sample standard deviation (ddof=1) and Student's t.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional, Sequence

import numpy as np
import pandas as pd

from ..record import RunStatus
from ..validation import check_choice, check_float
from .storage import SweepView

AT = ("final", "best")          # final: the last epoch; best: the epoch of best validation accuracy (per run)
METRICS = ("val_acc", "test_acc", "train_acc", "gap")   # gap = train - test accuracy
STATS = ("mean", "std", "min", "max")
COMPLETE = RunStatus.COMPLETE.value


def run_metrics(view: SweepView, curves: Optional[pd.DataFrame] = None, *, at: str = "final") -> pd.DataFrame:
    """One row per run of the sweep with the accuracies it is judged by.

    Parameters
    ----------
    view : SweepView
    curves : DataFrame, optional
        The store's curves of ``view.run_ids`` (run_id, epoch, train_acc, val_acc, test_acc); needed for at="best".
    at : {"final", "best"}
        "final": the last epoch; "best": each run's epoch of best validation accuracy (test accuracy read there,
        never used to choose it).

    Returns
    -------
    DataFrame
        point, the swept fields, seed_index, seed, run_id, status, epoch, val_acc, test_acc, train_acc, gap;
        metrics NaN unless the run is complete. Point-major, as the members.
    """
    check_choice("at", at, AT)
    m = view.members
    out = m[["point", *view.spec.fields, "seed_index", "seed", "run_id", "status"]].copy()
    complete = (m["status"] == COMPLETE).to_numpy()
    if at == "final":
        out["epoch"] = m["stopped_epoch"]
        values = {"val_acc": m["final_val_acc"], "test_acc": m["final_test_acc"], "train_acc": m["final_train_acc"]}
    else:
        if curves is None:
            raise ValueError("The best-epoch view needs the runs' curves: pass curves=store.load_curves(view.run_ids).")
        out["epoch"] = m["best_val_epoch"]
        at_best = m[["run_id", "best_val_epoch"]].rename(columns={"best_val_epoch": "epoch"}).merge(
            curves[["run_id", "epoch", "val_acc", "test_acc", "train_acc"]].drop_duplicates(["run_id", "epoch"]),
            on=["run_id", "epoch"], how="left")
        values = {name: at_best[name] for name in ("val_acc", "test_acc", "train_acc")}
    for name, column in values.items():
        out[name] = np.where(complete, pd.to_numeric(column, errors="coerce").to_numpy(dtype=float), np.nan)
    out["gap"] = out["train_acc"] - out["test_acc"]
    out["epoch"] = pd.to_numeric(out["epoch"], errors="coerce").astype("Int64")
    return out.reset_index(drop=True)


def point_summary(per_run: pd.DataFrame, fields: Sequence[str]) -> pd.DataFrame:
    """One row per point: its swept values, ``n_runs``, ``n`` (complete runs), ``n_diverged``, ``<metric>_<stat>`` for each metric
    (val_acc, test_acc, train_acc, gap) and stat (mean, std ddof=0, min, max over seeds), and ``chosen``: the point
    with the best mean validation accuracy (ties: the first point)."""
    grouped = per_run.groupby("point", sort=True)
    points = grouped[list(fields)].first()
    points["n_runs"] = grouped.size().astype("int64")
    points["n"] = grouped["val_acc"].count().astype("int64")
    points["n_diverged"] = grouped["status"].agg(lambda s: int((s == RunStatus.DIVERGED.value).sum())).astype("int64")
    for metric in METRICS:
        column = grouped[metric]
        points[f"{metric}_mean"] = column.mean()
        points[f"{metric}_std"] = column.std(ddof=0)
        points[f"{metric}_min"] = column.min()
        points[f"{metric}_max"] = column.max()
    points = points.reset_index()
    means = points["val_acc_mean"].to_numpy(dtype=float)
    points["chosen"] = False
    if np.isfinite(means).any():
        points.loc[int(np.nanargmax(means)), "chosen"] = True  # nanargmax returns the first of equal maxima
    return points


def chosen_point(points: pd.DataFrame) -> Optional[pd.Series]:
    """The row of ``point_summary`` chosen on validation (its test accuracy is ``test_acc_mean``), or None."""
    chosen = points[points["chosen"]]
    return None if chosen.empty else chosen.iloc[0]


def t_interval(differences: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """(mean, low, high): the mean of paired differences and its Student-t interval; NaN bounds for n < 2."""
    d = np.asarray(differences, dtype=float)
    d = d[np.isfinite(d)]
    if len(d) == 0:
        return float("nan"), float("nan"), float("nan")
    mean = float(d.mean())
    if len(d) < 2:
        return mean, float("nan"), float("nan")
    from scipy import stats  # here: scipy takes a while to import, and only this needs it

    half = float(stats.t.ppf(0.5 + level / 2, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
    return mean, mean - half, mean + half


def paired_difference(per_run: pd.DataFrame, baseline: Mapping[str, float | int], *, metric: str = "test_acc",
                      level: float = 0.95) -> pd.DataFrame:
    """Each point minus the baseline point, seed by seed (same seed, same data, same initial draw but for the
    swept field): mean of the per-seed differences and its ``level`` t-interval.

    Parameters
    ----------
    per_run : DataFrame
        From ``run_metrics``.
    baseline : mapping
        The baseline point's swept values (``spec.baseline()``: λ = 0, dropout 0, else the base config's value).
    metric : {"val_acc", "test_acc", "train_acc", "gap"}

    Returns
    -------
    DataFrame
        One row per point other than the baseline: point, the swept fields, n_pairs (seeds complete in both),
        diff_mean, diff_std (ddof=1), ci_low, ci_high (NaN when n_pairs < 2), baseline_point.
    """
    check_choice("metric", metric, METRICS)
    check_float("level", level, 0, 1, low_open=True, high_open=True)
    fields = list(baseline)
    is_base = np.logical_and.reduce([per_run[f].to_numpy() == v for f, v in baseline.items()])
    base_points = per_run.loc[is_base, "point"].unique()
    columns = ["point", *fields, "n_pairs", "diff_mean", "diff_std", "ci_low", "ci_high", "baseline_point"]
    if len(base_points) != 1:
        raise ValueError(f"The baseline {dict(baseline)} is not one point of the sweep.")
    base_point = int(base_points[0])
    base = per_run.loc[is_base].set_index("seed")[metric]
    rows = []
    for point, group in per_run[~is_base].groupby("point", sort=True):
        diffs = (group.set_index("seed")[metric] - base.reindex(group["seed"]).to_numpy()).dropna()
        mean, low, high = t_interval(diffs.to_numpy(), level)
        rows.append({"point": int(point), **{f: group[f].iloc[0] for f in fields}, "n_pairs": len(diffs),
                     "diff_mean": mean, "diff_std": float(diffs.std(ddof=1)) if len(diffs) > 1 else float("nan"),
                     "ci_low": low, "ci_high": high, "baseline_point": base_point})
    return pd.DataFrame(rows, columns=columns)


def grid_table(points: pd.DataFrame, fields: Sequence[str], value: str = "val_acc_mean") -> pd.DataFrame:
    """A 2-D sweep's ``value`` (a column of ``point_summary``) as a table: rows the first field's values,
    columns the second's."""
    if len(fields) != 2:
        raise ValueError(f"A grid needs a sweep of two fields. Got {len(fields)} ({', '.join(fields)}).")
    if value not in points.columns:
        raise ValueError(f"The 'value' parameter must be a column of the point summary. Got {value!r} instead.")
    return points.pivot(index=fields[0], columns=fields[1], values=value)


@dataclass(frozen=True)
class SweepSummary:
    """Everything the sweep views draw: ``per_run``, ``points``, ``paired`` (against ``baseline``), ``chosen``."""

    at: str
    metric: str
    per_run: pd.DataFrame
    points: pd.DataFrame
    paired: pd.DataFrame
    baseline: dict
    chosen: Optional[pd.Series]


def summarize(view: SweepView, curves: Optional[pd.DataFrame] = None, *, at: str = "final",
              metric: str = "test_acc") -> SweepSummary:
    """``run_metrics`` → ``point_summary`` → ``paired_difference`` (on ``metric``) → ``chosen_point`` in one call."""
    per_run = run_metrics(view, curves, at=at)
    points = point_summary(per_run, view.spec.fields)
    baseline = view.spec.baseline()
    paired = paired_difference(per_run, baseline, metric=metric)
    return SweepSummary(at, metric, per_run, points, paired, baseline, chosen_point(points))
