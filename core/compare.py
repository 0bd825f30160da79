"""Pure aggregation for the dashboard: seed bands, smoothing, generalization gaps, summaries against λ / dropout.

Inputs are the store's two tables: ``runs`` (one row per run: run_id, group_id, label, status, seed, config fields,
final_/best_ metrics, final_gap, ...) and ``curves`` (one row per run and epoch: run_id, epoch, train_acc, ...).
A *key* is what one line of a chart stands for: a ``group_id`` (the runs that differ only by seed, aggregated) or a
``run_id``. Keys keep the order in which they first appear in ``runs``, so the caller decides colours and rows.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from .record import SPLITS, RunStatus
from .validation import check_choice, check_int

METRIC_KINDS = ("acc", "loss")
BAND_SPLITS = (*SPLITS, "gap")               # the order of splits in every bands frame
BAND_COLUMNS = ("key", "label", "split", "epoch", "mean", "std", "n")
SUMMARY_PARAMS = ("weight_decay", "dropout")
_KEY_COLUMN = {"group": "group_id", "run": "run_id"}
COMPLETE = RunStatus.COMPLETE.value


def _check_window(window: object) -> int:
    """A smoothing window: numpy integers (from a DataFrame) count as ints."""
    return check_int("window", int(window) if isinstance(window, np.integer) else window, 1)


# ---- smoothing ----------------------------------------------------------------------------------------------------
def smooth(values: npt.ArrayLike, window: int) -> np.ndarray:
    """Trailing moving average over ``window`` epochs.

    Parameters
    ----------
    values : array_like, shape (n_epochs,)
        One run's curve, in epoch order.
    window : int
        Number of epochs averaged, the current one included; 1 returns the values unchanged.

    Returns
    -------
    ndarray of float, shape (n_epochs,)
        Point ``i`` is the mean of the finite values among ``values[i - window + 1 : i + 1]``; the first points average
        what exists. Non-finite inputs (NaN, or the inf of a diverged loss) stay where they are and are left out of
        their neighbours' means.
    """
    _check_window(window)
    x = np.asarray(values, dtype=float)
    if x.ndim != 1:
        raise ValueError(f"smooth() takes a 1-D array. Got shape {x.shape} instead.")
    if window == 1 or x.size == 0:
        return x.copy()
    finite = np.isfinite(x)
    sums = np.concatenate([[0.0], np.cumsum(np.where(finite, x, 0.0))])
    counts = np.concatenate([[0], np.cumsum(finite)])
    stop = np.arange(1, x.size + 1)
    start = np.maximum(stop - window, 0)
    window_counts = counts[stop] - counts[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        out = (sums[stop] - sums[start]) / window_counts
    return np.where(finite, out, x)  # a point without a value keeps its NaN/inf rather than borrowing its neighbours'


# ---- labels -------------------------------------------------------------------------------------------------------
def unique_labels(labels: pd.Series) -> pd.Series:
    """``labels`` (indexed by key) made unique: a label shared by several keys gets `` [<key's first 6 chars>]``."""
    labels = labels.astype(str)
    shared = labels.duplicated(keep=False)
    suffixed = labels.where(~shared, labels + " [" + labels.index.to_series().astype(str).str[:6] + "]")
    still_shared = suffixed.duplicated(keep=False)  # 6 hex digits of two ids agree: fall back to the whole id
    return suffixed.where(~still_shared, labels + " [" + labels.index.to_series().astype(str) + "]")


def _key_labels(runs: pd.DataFrame, by: str) -> pd.Series:
    """Readable, unique label per key (index = key, in order of first appearance in ``runs``)."""
    key = _KEY_COLUMN[by]
    first = runs.drop_duplicates(key).set_index(key)
    labels = first["label"].astype(str)
    if by == "run":
        labels = labels + " · seed=" + first["seed"].astype("int64").astype(str)
    return unique_labels(labels)


# ---- bands --------------------------------------------------------------------------------------------------------
def _empty_bands() -> pd.DataFrame:
    return pd.DataFrame({"key": pd.Series(dtype=str), "label": pd.Series(dtype=str), "split": pd.Series(dtype=str),
                         "epoch": pd.Series(dtype="int64"), "mean": pd.Series(dtype=float),
                         "std": pd.Series(dtype=float), "n": pd.Series(dtype="int64")})


def _joined(curves: pd.DataFrame, runs: pd.DataFrame, by: str,
            columns: Iterable[str]) -> tuple[pd.DataFrame, pd.Series]:
    """Curves rows of the runs in ``runs`` with their key, sorted by key order, run and epoch."""
    check_choice("by", by, tuple(_KEY_COLUMN))
    runs = runs.drop_duplicates("run_id")
    runs = runs[runs["run_id"].isin(curves["run_id"])]
    labels = _key_labels(runs, by)
    meta = pd.DataFrame({"run_id": runs["run_id"].to_numpy(), "key": runs[_KEY_COLUMN[by]].to_numpy()})
    frame = curves[["run_id", "epoch", *columns]].merge(meta, on="run_id", how="inner")
    frame["key_order"] = frame["key"].map(pd.Series(np.arange(len(labels)), index=labels.index))
    frame = frame.sort_values(["key_order", "run_id", "epoch"], kind="stable").reset_index(drop=True)
    return frame, labels


def _smoothed(frame: pd.DataFrame, column: str, smoothing: int) -> pd.Series:
    """``smooth`` applied to each run of ``frame`` (sorted by run and epoch), vectorised over runs."""
    values = frame[column].astype(float)
    if smoothing == 1:
        return values
    finite = np.isfinite(values.to_numpy())
    run = frame["run_id"].to_numpy()
    sums = pd.Series(np.where(finite, values, 0.0)).groupby(run, sort=False).cumsum()
    counts = pd.Series(finite.astype("int64")).groupby(run, sort=False).cumsum()
    sums_before = sums.groupby(run, sort=False).shift(smoothing, fill_value=0.0)     # sum up to epoch i - window
    counts_before = counts.groupby(run, sort=False).shift(smoothing, fill_value=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = ((sums - sums_before) / (counts - counts_before)).to_numpy()
    return pd.Series(np.where(finite, means, values), index=frame.index)


def _aggregate(long: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    """Per (key, split, epoch): mean, std (ddof=0) and n of the finite values; rows without any value are dropped."""
    long = long[np.isfinite(long["value"].to_numpy(dtype=float))]
    if long.empty:
        return _empty_bands()
    grouped = long.groupby(["key_order", "key", "split_order", "split", "epoch"], sort=True)["value"]
    bands = grouped.agg(mean="mean", n="count").join(grouped.std(ddof=0).rename("std")).reset_index()
    bands["label"] = bands["key"].map(labels)
    bands["epoch"] = bands["epoch"].astype("int64")
    bands["n"] = bands["n"].astype("int64")
    return bands[list(BAND_COLUMNS)].reset_index(drop=True)


def seed_bands(curves: pd.DataFrame, runs: pd.DataFrame, *, metric: str = "acc",
               splits: Sequence[str] = ("train", "test"), by: str = "group", smoothing: int = 1) -> pd.DataFrame:
    """Mean ± std over seeds of a metric, per key, split and epoch.

    Parameters
    ----------
    curves : DataFrame
        The store's curves table (run_id, epoch, ``<split>_<metric>`` columns); rows of runs missing from ``runs``
        are ignored.
    runs : DataFrame
        The store's runs table, restricted to what should be drawn; its row order gives the key order.
    metric : {"acc", "loss"}
    splits : sequence of {"train", "val", "test"}
        A split whose values are all NaN (val when ``n_val=0``) is dropped from the result.
    by : {"group", "run"}
        "group" aggregates the runs of a group_id (same config, different seeds); "run" gives one key per run (n=1),
        labelled ``"<label> · seed=N"``.
    smoothing : int, default 1
        Trailing moving-average window, applied to each run before aggregating (1 = none).

    Returns
    -------
    DataFrame
        Columns key, label, split, epoch, mean, std, n; sorted by key (order of first appearance in ``runs``), split
        (train, val, test) and epoch. ``std`` uses ddof=0 (0 for one seed); ``n`` counts the runs with a value at that
        epoch, so a run that stopped early (diverged, pruned) only counts where it has values.
    """
    check_choice("metric", metric, METRIC_KINDS)
    for split in splits:
        check_choice("splits", split, SPLITS)
    _check_window(smoothing)
    columns = [f"{split}_{metric}" for split in SPLITS if split in splits]
    frame, labels = _joined(curves, runs, by, columns)
    parts = []
    for column in columns:
        split = column.split("_")[0]
        parts.append(frame[["key_order", "key", "epoch"]].assign(
            split=split, split_order=BAND_SPLITS.index(split), value=_smoothed(frame, column, smoothing)))
    if not parts:
        return _empty_bands()
    return _aggregate(pd.concat(parts, ignore_index=True), labels)


def gap_bands(curves: pd.DataFrame, runs: pd.DataFrame, *, metric: str = "acc", by: str = "group",
              smoothing: int = 1) -> pd.DataFrame:
    """Mean ± std over seeds of the generalization gap ``train − test`` per key and epoch (split = "gap").

    The gap is computed per run and epoch, smoothed per run, then aggregated as in :func:`seed_bands`, whose
    parameters and columns it shares.
    """
    check_choice("metric", metric, METRIC_KINDS)
    _check_window(smoothing)
    frame, labels = _joined(curves, runs, by, [f"train_{metric}", f"test_{metric}"])
    frame["gap"] = frame[f"train_{metric}"] - frame[f"test_{metric}"]
    long = frame[["key_order", "key", "epoch"]].assign(
        split="gap", split_order=BAND_SPLITS.index("gap"), value=_smoothed(frame, "gap", smoothing))
    return _aggregate(long, labels)


# ---- tables -------------------------------------------------------------------------------------------------------
def _status_summary(statuses: pd.Series) -> str:
    """``"3 complete"`` or ``"2 complete, 1 diverged"`` (most frequent first)."""
    counts = statuses.value_counts(sort=False)
    counts = counts.sort_values(ascending=False, kind="stable")
    return ", ".join(f"{count} {status}" for status, count in counts.items())


def group_options(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per config group, for choosing groups by readable label.

    Returns
    -------
    DataFrame
        Columns group_id, label (unique: a label shared by groups whose configs differ in a field the label does not
        show gets `` [<group_id[:6]>]``), n_seeds, seeds (e.g. ``"0,1,2"``), statuses (e.g. ``"3 complete"``);
        sorted by label.
    """
    if runs.empty:
        return pd.DataFrame({"group_id": pd.Series(dtype=str), "label": pd.Series(dtype=str),
                             "n_seeds": pd.Series(dtype="int64"), "seeds": pd.Series(dtype=str),
                             "statuses": pd.Series(dtype=str)})
    runs = runs.drop_duplicates("run_id")
    labels = _key_labels(runs, "group")
    grouped = runs.groupby("group_id", sort=False)
    options = pd.DataFrame({
        "group_id": labels.index.to_numpy(),
        "label": labels.to_numpy(),
        "n_seeds": grouped.size().reindex(labels.index).to_numpy().astype("int64"),
        "seeds": grouped["seed"].agg(lambda s: ",".join(map(str, sorted(s.astype("int64"))))).reindex(labels.index)
                 .to_numpy(),
        "statuses": grouped["status"].agg(_status_summary).reindex(labels.index).to_numpy(),
    })
    return options.sort_values(["label", "group_id"], kind="stable").reset_index(drop=True)


def summary_against(runs: pd.DataFrame, param: str) -> pd.DataFrame:
    """Final test accuracy and final gap of each config group against ``param``, over its complete runs.

    Only groups without the other regularizer count: against weight decay, a dropout group would otherwise sit at
    λ = 0 beside the plain baseline (and against dropout, a weight-decay group at ratio 0).

    Parameters
    ----------
    runs : DataFrame
        The store's runs table; only rows with status "complete" count.
    param : {"weight_decay", "dropout"}

    Returns
    -------
    DataFrame
        Columns group_id, label, ``<param>``, n, test_acc_mean, test_acc_std, gap_mean, gap_std (std over seeds,
        ddof=0); sorted by ``param`` then label.
    """
    check_choice("param", param, SUMMARY_PARAMS)
    complete = runs[(runs["status"] == COMPLETE) & ~_uses_other_regularizer(runs, param)].drop_duplicates("run_id")
    columns = ["group_id", "label", param, "n", "test_acc_mean", "test_acc_std", "gap_mean", "gap_std"]
    if complete.empty:
        dtypes = {"group_id": str, "label": str, "n": "int64"}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, float)) for c in columns})
    labels = _key_labels(complete, "group")
    grouped = complete.groupby("group_id", sort=False)
    summary = pd.DataFrame({
        "label": labels,
        param: grouped[param].first().astype(float),
        "n": grouped.size().astype("int64"),
        "test_acc_mean": grouped["final_test_acc"].mean(),
        "test_acc_std": grouped["final_test_acc"].std(ddof=0),
        "gap_mean": grouped["final_gap"].mean(),
        "gap_std": grouped["final_gap"].std(ddof=0),
    }).rename_axis("group_id").reset_index()
    return summary.sort_values([param, "label"], kind="stable").reset_index(drop=True)[columns]


def summary_left_out(runs: pd.DataFrame, param: str) -> int:
    """How many config groups ``summary_against(runs, param)`` leaves out for using the other regularizer."""
    check_choice("param", param, SUMMARY_PARAMS)
    return int(runs.loc[_uses_other_regularizer(runs, param), "group_id"].nunique())


def _uses_other_regularizer(runs: pd.DataFrame, param: str) -> pd.Series:
    """Rows whose other summary parameter (dropout for weight decay, and back) is not 0."""
    others = [other for other in SUMMARY_PARAMS if other != param]
    return (runs[others] != 0).any(axis=1)


def _mean_pm_std(values: pd.Series, digits: int = 3) -> str:
    """``"0.912 ± 0.004"``; one value alone as ``"0.912"``; no value as ``"—"``."""
    values = values[np.isfinite(values.to_numpy(dtype=float))]
    if values.empty:
        return "—"
    if len(values) == 1:
        return f"{values.iloc[0]:.{digits}f}"
    return f"{values.mean():.{digits}f} ± {values.std(ddof=0):.{digits}f}"


def _epochs(values: pd.Series) -> str:
    low, high = int(values.min()), int(values.max())
    return str(low) if low == high else f"{low}–{high}"


FINAL_TABLE_METRICS = {  # column title -> runs column
    "final train acc": "final_train_acc", "final val acc": "final_val_acc", "final test acc": "final_test_acc",
    "best train acc": "best_train_acc", "best val acc": "best_val_acc", "best test acc": "best_test_acc",
    "final gap": "final_gap",
}


def final_table(runs: pd.DataFrame, keys: Sequence[str], *, by: str = "group") -> pd.DataFrame:
    """A readable table of final and best metrics, one row per key, for the Compare page.

    Parameters
    ----------
    runs : DataFrame
        The store's runs table (every status counts; the "status" column says how the runs ended).
    keys : sequence of str
        group_ids (``by="group"``) or run_ids (``by="run"``), in the order of the rows; unknown keys are skipped.
    by : {"group", "run"}

    Returns
    -------
    DataFrame
        Columns id, config, seeds, status, the metrics of ``FINAL_TABLE_METRICS`` as ``"mean ± std"`` strings over
        seeds (``"—"`` where there is no value; the val columns are left out when no run has a val split), epochs
        (the last evaluated epoch, or its range), duration (s) (mean per run).
    """
    check_choice("by", by, tuple(_KEY_COLUMN))
    key_column = _KEY_COLUMN[by]
    runs = runs.drop_duplicates("run_id")
    wanted = list(dict.fromkeys(k for k in keys if k in set(runs[key_column])))
    selected = runs[runs[key_column].isin(wanted)]
    labels = _key_labels(selected, by) if not selected.empty else pd.Series(dtype=str)
    rows = []
    for key in wanted:
        part = selected[selected[key_column] == key]
        row = {"id": key, "config": labels[key], "seeds": len(part), "status": _status_summary(part["status"])}
        for title, column in FINAL_TABLE_METRICS.items():
            row[title] = _mean_pm_std(part[column])
        row["epochs"] = _epochs(part["stopped_epoch"])
        row["duration (s)"] = round(float(part["duration_s"].mean()), 1)
        rows.append(row)
    columns = ["id", "config", "seeds", "status", *FINAL_TABLE_METRICS, "epochs", "duration (s)"]
    table = pd.DataFrame(rows, columns=columns)
    if not selected.empty and selected[["final_val_acc", "best_val_acc"]].isna().all().all():
        table = table.drop(columns=["final val acc", "best val acc"])
    return table
