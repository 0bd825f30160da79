from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.store import ResultStore
from core.sweep import (chosen_point, grid_table, load_sweep, make_spec, paired_difference, point_summary,
                        run_metrics, summarize, t_interval)
from core.sweep.storage import open_or_write
from sweep_tiny import TINY


def test_t_interval_by_hand():
    # differences 1..5: mean 3, s = sqrt(2.5) = 1.581139, s/sqrt(5) = 0.707107, t(0.975, df=4) = 2.776445
    mean, low, high = t_interval([1, 2, 3, 4, 5])
    assert mean == 3.0
    assert low == pytest.approx(3 - 2.776445 * 0.707107, abs=1e-5) and high == pytest.approx(4.963243, abs=1e-5)
    assert t_interval([0.02]) == (0.02, pytest.approx(float("nan"), nan_ok=True), pytest.approx(float("nan"),
                                                                                                nan_ok=True))
    assert all(math.isnan(v) for v in t_interval([]))


def test_points_are_the_seed_statistics_of_the_stored_runs(stored_sweeps):
    root, one, _ = stored_sweeps
    points = point_summary(run_metrics(one), one.spec.fields)
    runs = ResultStore(root).load_runs()
    runs = runs[runs["run_id"].isin(one.run_ids)]
    by_hand = runs.groupby("weight_decay")
    assert list(points["weight_decay"]) == [0.0, 0.01, 0.1, 1.0] and list(points["n"]) == [3] * 4
    assert list(points["n_diverged"]) == [0] * 4
    np.testing.assert_allclose(points["val_acc_mean"], by_hand["final_val_acc"].mean())
    np.testing.assert_allclose(points["test_acc_std"], by_hand["final_test_acc"].std(ddof=0))
    np.testing.assert_allclose(points["gap_mean"], by_hand["final_gap"].mean())
    np.testing.assert_allclose(points["train_acc_max"], by_hand["final_train_acc"].max())
    assert points["chosen"].sum() == 1
    chosen = chosen_point(points)
    assert chosen["val_acc_mean"] == points["val_acc_mean"].max()
    assert chosen["weight_decay"] == points.loc[points["val_acc_mean"].idxmax(), "weight_decay"]


def test_paired_difference_by_hand(stored_sweeps):
    _, one, _ = stored_sweeps
    per_run = run_metrics(one)
    paired = paired_difference(per_run, one.spec.baseline(), metric="test_acc")
    assert list(paired["weight_decay"]) == [0.01, 0.1, 1.0] and (paired["baseline_point"] == 0).all()
    row = paired.iloc[-1]  # λ = 1 against λ = 0, seed by seed
    base = per_run[per_run["weight_decay"] == 0].set_index("seed")["test_acc"]
    top = per_run[per_run["weight_decay"] == 1].set_index("seed")["test_acc"]
    d = (top - base).to_numpy()
    half = 4.302653 * d.std(ddof=1) / math.sqrt(3)  # t(0.975, df=2)
    assert row["n_pairs"] == 3 and row["diff_mean"] == pytest.approx(d.mean())
    assert row["ci_low"] == pytest.approx(d.mean() - half, abs=1e-6)
    assert row["ci_high"] == pytest.approx(d.mean() + half, abs=1e-6)
    assert row["diff_std"] == pytest.approx(d.std(ddof=1))
    # one seed only: the mean is the difference and there is no interval
    single = paired_difference(per_run[per_run["seed"] == 0], one.spec.baseline())
    assert (single["n_pairs"] == 1).all() and single["ci_low"].isna().all()
    assert single.iloc[-1]["diff_mean"] == pytest.approx(top[0] - base[0])
    # a baseline run that did not complete leaves its seed out of every pair
    broken = per_run.copy()
    broken.loc[(broken["weight_decay"] == 0) & (broken["seed"] == 2), "test_acc"] = np.nan
    assert list(paired_difference(broken, one.spec.baseline())["n_pairs"]) == [2, 2, 2]
    with pytest.raises(ValueError, match="not one point"):
        paired_difference(per_run, {"weight_decay": 0.5})


def test_best_epoch_view_reads_each_run_at_its_best_validation_epoch(stored_sweeps):
    root, one, _ = stored_sweeps
    with pytest.raises(ValueError, match="needs the runs' curves"):
        run_metrics(one, at="best")
    curves = ResultStore(root).load_curves(one.run_ids)
    best = run_metrics(one, curves, at="best")
    runs = ResultStore(root).load_runs().set_index("run_id").loc[best["run_id"]]
    assert list(best["epoch"]) == list(runs["best_val_epoch"])
    np.testing.assert_allclose(best["val_acc"], runs["best_val_acc"])
    at_epoch = curves.set_index(["run_id", "epoch"]).loc[list(zip(best["run_id"], best["epoch"]))]
    np.testing.assert_allclose(best["test_acc"], at_epoch["test_acc"])
    np.testing.assert_allclose(best["gap"], at_epoch["train_acc"].to_numpy() - at_epoch["test_acc"].to_numpy())
    final = run_metrics(one)
    assert (best["val_acc"] >= final["val_acc"]).all()


def test_the_2d_grid_and_its_chosen_cell(stored_sweeps):
    _, _, two = stored_sweeps
    summary = summarize(two)
    fields = two.spec.fields
    grid = grid_table(summary.points, fields, "val_acc_mean")
    gaps = grid_table(summary.points, fields, "gap_mean")
    assert grid.shape == (2, 2) and list(grid.index) == [0.0, 1.0] and list(grid.columns) == [0.0, 0.3]
    assert grid.loc[1.0, 0.3] == summary.points.query("weight_decay == 1 and dropout == 0.3")["val_acc_mean"].item()
    assert gaps.loc[0.0, 0.0] == summary.points.iloc[0]["gap_mean"]
    best = np.unravel_index(np.argmax(grid.to_numpy()), grid.shape)
    chosen = summary.chosen
    assert (chosen["weight_decay"], chosen["dropout"]) == (grid.index[best[0]], grid.columns[best[1]])
    assert summary.baseline == {"weight_decay": 0.0, "dropout": 0.0} and len(summary.paired) == 3
    with pytest.raises(ValueError, match="two fields"):
        grid_table(summary.points, fields[:1])


def test_a_sweep_before_its_runs_has_no_choice(tmp_path):
    spec, _ = open_or_write(tmp_path, make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=2))
    summary = summarize(load_sweep(tmp_path, spec.sweep_id, runs=pd.DataFrame()))
    assert list(summary.points["n"]) == [0, 0] and summary.chosen is None
    assert summary.paired["n_pairs"].tolist() == [0] and summary.paired["diff_mean"].isna().all()


def test_a_diverged_run_is_counted_apart_and_left_out_of_the_means(stored_sweeps):
    _, one, _ = stored_sweeps
    members = one.members.copy()
    members.loc[(members["point"] == 3) & (members["seed"] == 0), "status"] = "diverged"
    view = type(one)(one.spec, members)
    points = point_summary(run_metrics(view), view.spec.fields)
    top = points.iloc[3]
    assert (top["n"], top["n_diverged"], top["n_runs"]) == (2, 1, 3)
    kept = one.members[(one.members["point"] == 3) & (one.members["seed"] != 0)]
    assert top["val_acc_mean"] == pytest.approx(kept["final_val_acc"].mean())
