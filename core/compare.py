"""Pure aggregation for the dashboard: seed bands, smoothing, generalization gaps, summaries against λ / dropout.

Inputs are the store's two tables: ``runs`` (one row per run: run_id, group_id, label, status, seed, config fields,
final_/best_ metrics, final_gap, ...) and ``curves`` (one row per run and epoch: run_id, epoch, train_acc, ...).
A *key* is what one line of a chart stands for: a ``group_id`` (the runs that differ only by seed, aggregated) or a
``run_id``. Keys keep the order in which they first appear in ``runs``, so the caller decides colours and rows.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from .record import SPLITS, RunStatus
from .regularizer_effect import (FINAL_MEANS_COLUMNS, compared_with, final_means, means_at_epoch,  # noqa: F401
                                regularizer_effect)  # (re-exported)
from .validation import check_choice, check_int

METRIC_KINDS = ("acc", "loss")
BAND_SPLITS = (*SPLITS, "gap")               # the order of splits in every bands frame
BAND_COLUMNS = ("key", "label", "split", "epoch", "mean", "std", "n")
SUMMARY_PARAMS = ("weight_decay", "dropout")
# Config fields that can tell two groups apart, in the order a label shows them (seed is what a group averages over).
CONFIG_FIELDS = ("weight_decay", "weight_decay_mode", "dropout", "dropout_mode", "batch_norm", "hidden_sizes",
                 "activation", "init", "init_std", "optimizer", "lr", "momentum", "beta1", "beta2", "rho", "n_epochs",
                 "batch_size", "sampling", "dataset", "data_path", "n_train", "n_val", "n_test", "data_seed", "dtype")
# The gap is "how much worse on test than on train": positive when overfitting, for either metric.
GAP_SIGN = {"acc": ("train", "test"), "loss": ("test", "train")}
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


def differing_fields(runs: pd.DataFrame, fields: Sequence[str] = CONFIG_FIELDS) -> list[str]:
    """The ``fields`` (in their order) whose values differ among the rows of ``runs``; absent columns are skipped.

    Two groups always differ in at least one of ``CONFIG_FIELDS`` (their group_ids hash those fields), so labels built
    from the differing fields tell every shown group apart.
    """
    present = [f for f in fields if f in runs.columns]
    if runs.empty:
        return []
    return [f for f in present if runs[f].astype(str).nunique(dropna=False) > 1]


def has_split(runs: pd.DataFrame, split: str) -> bool:
    """Whether any run of ``runs`` has values for ``split`` (val has none when ``n_val = 0``)."""
    check_choice("split", split, SPLITS)
    column = f"final_{split}_acc"
    return bool(column in runs.columns and np.isfinite(runs[column].to_numpy(dtype=float)).any())


# ---- bands --------------------------------------------------------------------------------------------------------
def _empty_bands() -> pd.DataFrame:
    return pd.DataFrame({"key": pd.Series(dtype=str), "label": pd.Series(dtype=str), "split": pd.Series(dtype=str),
                         "epoch": pd.Series(dtype="int64"), "mean": pd.Series(dtype=float),
                         "std": pd.Series(dtype=float), "n": pd.Series(dtype="int64")})


def _labels_for(runs: pd.DataFrame, by: str, labels: Mapping[str, str] | None) -> pd.Series:
    """The caller's ``labels`` (key -> text) where given, else the stored labels made unique; in key order."""
    stored = _key_labels(runs, by)
    if not labels:
        return stored
    return stored.index.to_series().map(lambda k: labels.get(k)).fillna(stored).astype(str)


def _joined(curves: pd.DataFrame, runs: pd.DataFrame, by: str, columns: Iterable[str],
            labels: Mapping[str, str] | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Curves rows of the runs in ``runs`` with their key, sorted by key order, run and epoch."""
    check_choice("by", by, tuple(_KEY_COLUMN))
    runs = runs.drop_duplicates("run_id")
    runs = runs[runs["run_id"].isin(curves["run_id"])]
    labels = _labels_for(runs, by, labels)
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
               splits: Sequence[str] = ("train", "test"), by: str = "group", smoothing: int = 1,
               labels: Mapping[str, str] | None = None) -> pd.DataFrame:
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
    labels : mapping, optional
        key -> label to show instead of the stored one (e.g. only the fields that differ among the shown keys).

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
    frame, labels = _joined(curves, runs, by, columns, labels)
    parts = []
    for column in columns:
        split = column.split("_")[0]
        parts.append(frame[["key_order", "key", "epoch"]].assign(
            split=split, split_order=BAND_SPLITS.index(split), value=_smoothed(frame, column, smoothing)))
    if not parts:
        return _empty_bands()
    return _aggregate(pd.concat(parts, ignore_index=True), labels)


def gap_bands(curves: pd.DataFrame, runs: pd.DataFrame, *, metric: str = "acc", by: str = "group",
              smoothing: int = 1, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Mean ± std over seeds of the generalization gap per key and epoch (split = "gap").

    The gap is positive when the network does worse on test than on train: ``train − test`` accuracy, and
    ``test − train`` loss (``GAP_SIGN``). It is computed per run and epoch, smoothed per run, then aggregated as in
    :func:`seed_bands`, whose parameters and columns it shares.
    """
    check_choice("metric", metric, METRIC_KINDS)
    _check_window(smoothing)
    frame, labels = _joined(curves, runs, by, [f"train_{metric}", f"test_{metric}"], labels)
    high, low = GAP_SIGN[metric]
    frame["gap"] = frame[f"{high}_{metric}"] - frame[f"{low}_{metric}"]
    long = frame[["key_order", "key", "epoch"]].assign(
        split="gap", split_order=BAND_SPLITS.index("gap"), value=_smoothed(frame, "gap", smoothing))
    return _aggregate(long, labels)


# ---- tables -------------------------------------------------------------------------------------------------------
def _status_summary(counts: Mapping[str, int]) -> str:
    """``"3 complete"`` or ``"2 complete, 1 diverged"`` (most frequent first, ties in order of appearance)."""
    ordered = sorted(counts.items(), key=lambda item: -item[1])  # sorted() is stable
    return ", ".join(f"{count} {status}" for status, count in ordered)


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
    seeds: dict[str, list[int]] = {}
    statuses: dict[str, dict[str, int]] = {}  # status -> count, in order of first appearance
    for group, seed, status in zip(runs["group_id"], runs["seed"].astype("int64"), runs["status"]):
        seeds.setdefault(group, []).append(int(seed))  # a plain loop: a pandas aggregation per group costs 100x
        counts = statuses.setdefault(group, {})
        counts[status] = counts.get(status, 0) + 1
    options = pd.DataFrame({
        "group_id": labels.index.to_numpy(),
        "label": labels.to_numpy(),
        "n_seeds": np.array([len(seeds[g]) for g in labels.index], dtype="int64"),
        "seeds": [",".join(map(str, sorted(seeds[g]))) for g in labels.index],
        "statuses": [_status_summary(statuses[g]) for g in labels.index],
    })
    return options.sort_values(["label", "group_id"], kind="stable").reset_index(drop=True)


def _series_ids(firsts: pd.DataFrame, fields: Sequence[str]) -> pd.Series:
    """Per row: 12 hex digits of the values of ``fields``; rows equal in all of them share an id."""
    values = firsts[list(fields)].astype(str).to_dict("records")
    return pd.Series([hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:12] for v in values],
                     index=firsts.index)


def summary_against(runs: pd.DataFrame, param: str, *, metric: str = "acc",
                    labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Final validation and test value and final gap of each config group against ``param``, like with like.

    Groups are joined into one *series* (one line of the summary) only when they differ in ``param`` alone; groups
    that differ in anything else (epochs, data size, the other regularizer, ...) form series of their own.

    Parameters
    ----------
    runs : DataFrame
        The store's runs table; only rows with status "complete" count.
    param : {"weight_decay", "dropout"}
    metric : {"acc", "loss"}
        What the values and the gap measure. The gap is positive when overfitting (``GAP_SIGN``).
    labels : mapping, optional
        group_id -> label to show instead of the stored one.

    Returns
    -------
    DataFrame
        Columns series (an id shared by the groups of one line), group_id, label, ``<param>``, n, val_mean, val_std,
        test_mean, test_std, gap_mean, gap_std (std over seeds, ddof=0; val NaN without a validation split), chosen
        (True for the point of each series with the best validation value, when the series has validation values and
        two points or more: the choice is never made on test data). Sorted by series (order of first appearance in
        ``runs``), then ``param``.
    """
    check_choice("param", param, SUMMARY_PARAMS)
    check_choice("metric", metric, METRIC_KINDS)
    complete = runs[runs["status"] == COMPLETE].drop_duplicates("run_id")
    columns = ["series", "group_id", "label", param, "n", "val_mean", "val_std", "test_mean", "test_std",
               "gap_mean", "gap_std", "chosen"]
    if complete.empty:
        dtypes = {"series": str, "group_id": str, "label": str, "n": "int64", "chosen": bool}
        return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, float)) for c in columns})
    high, low = GAP_SIGN[metric]
    complete = complete.assign(_gap=complete[f"final_{high}_{metric}"] - complete[f"final_{low}_{metric}"])
    grouped = complete.groupby("group_id", sort=False)
    firsts = grouped.first()
    others = [f for f in CONFIG_FIELDS if f != param and f in complete.columns]
    summary = pd.DataFrame({
        "series": _series_ids(firsts, others),
        "label": _labels_for(complete, "group", labels),
        param: firsts[param].astype(float),
        "n": grouped.size().astype("int64"),
    })
    for name, column in (("val", f"final_val_{metric}"), ("test", f"final_test_{metric}"), ("gap", "_gap")):
        summary[f"{name}_mean"] = grouped[column].mean()
        summary[f"{name}_std"] = grouped[column].std(ddof=0)
    summary = summary.rename_axis("group_id").reset_index()
    order = {s: i for i, s in enumerate(dict.fromkeys(summary["series"]))}
    summary = summary.assign(_order=summary["series"].map(order)).sort_values(["_order", param, "label"],
                                                                             kind="stable")
    summary["chosen"] = False
    for _, part in summary.groupby("series", sort=False):
        values = part["val_mean"].dropna()
        if len(part) >= 2 and len(values):
            summary.loc[values.idxmax() if metric == "acc" else values.idxmin(), "chosen"] = True
    return summary.reset_index(drop=True)[columns]


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


TABLE_METRICS = ("final_train_acc", "final_val_acc", "final_test_acc", "final_gap")
TABLE_VAL_COLUMNS = ("final_val_acc", "best_val_acc", "best_val_epoch", "test_acc_at_best_val")


def _test_at_best_val(runs: pd.DataFrame, curves: pd.DataFrame | None) -> pd.Series:
    """Per run (index = run_id): test accuracy at the epoch of its best validation accuracy (NaN without one)."""
    if curves is None or "best_val_epoch" not in runs.columns:
        return pd.Series(np.nan, index=runs["run_id"])
    wanted = pd.DataFrame({"run_id": runs["run_id"].to_numpy(), "epoch": runs["best_val_epoch"].to_numpy()})
    found = wanted.merge(curves[["run_id", "epoch", "test_acc"]], on=["run_id", "epoch"], how="left")
    return found.set_index("run_id")["test_acc"]


def final_table(runs: pd.DataFrame, keys: Sequence[str], *, by: str = "group",
                labels: Mapping[str, str] | None = None, curves: pd.DataFrame | None = None) -> pd.DataFrame:
    """A readable table of final metrics, one row per key, for the Compare page; validation first.

    Parameters
    ----------
    runs : DataFrame
        The store's runs table (every status counts; the "status" column says how the runs ended).
    keys : sequence of str
        group_ids (``by="group"``) or run_ids (``by="run"``); unknown keys are skipped.
    by : {"group", "run"}
    labels : mapping, optional
        key -> label to show instead of the stored one.
    curves : DataFrame, optional
        The curves of these runs: with them, the test accuracy at each run's best validation epoch.

    Returns
    -------
    DataFrame
        Columns id, config, seeds, status, final_train_acc, final_val_acc, final_test_acc, final_gap, best_val_acc,
        best_val_epoch, test_acc_at_best_val, epochs, duration_s; metrics as ``"mean ± std"`` strings over seeds
        (``"—"`` where there is no value). When some run has a validation split, rows are ranked by mean final
        validation accuracy (best first); otherwise they follow ``keys`` and the validation columns are left out, and
        no best epoch is chosen at all (choosing it on test data would flatter the test score).
    """
    check_choice("by", by, tuple(_KEY_COLUMN))
    key_column = _KEY_COLUMN[by]
    runs = runs.drop_duplicates("run_id")
    wanted = list(dict.fromkeys(k for k in keys if k in set(runs[key_column])))
    selected = runs[runs[key_column].isin(wanted)]
    shown = _labels_for(selected, by, labels) if not selected.empty else pd.Series(dtype=str)
    with_val = has_split(selected, "val") if not selected.empty else False
    at_best = _test_at_best_val(selected, curves)
    rows, rank = [], []
    for key in wanted:
        part = selected[selected[key_column] == key]
        row = {"id": key, "config": shown[key], "seeds": len(part), "status": _status_summary(Counter(part["status"]))}
        for column in TABLE_METRICS:
            row[column] = _mean_pm_std(part[column])
        row["best_val_acc"] = _mean_pm_std(part["best_val_acc"])
        epochs = part["best_val_epoch"][part["best_val_epoch"] >= 0] if "best_val_epoch" in part else part.iloc[0:0]
        row["best_val_epoch"] = _epochs(epochs) if len(epochs) else "—"
        row["test_acc_at_best_val"] = _mean_pm_std(at_best.reindex(part["run_id"]).reset_index(drop=True))
        row["epochs"] = _epochs(part["stopped_epoch"])
        row["duration_s"] = round(float(part["duration_s"].mean()), 1)
        rows.append(row)
        rank.append(float(part["final_val_acc"].mean()) if with_val else 0.0)
    columns = ["id", "config", "seeds", "status", *TABLE_METRICS, "best_val_acc", "best_val_epoch",
               "test_acc_at_best_val", "epochs", "duration_s"]
    table = pd.DataFrame(rows, columns=columns)
    if with_val:
        order = np.argsort(-np.nan_to_num(np.array(rank), nan=-np.inf), kind="stable")
        return table.iloc[order].reset_index(drop=True)
    return table.drop(columns=list(TABLE_VAL_COLUMNS))
