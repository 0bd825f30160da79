"""core.compare against frames built here with pandas, in the store's schema; expectations computed with numpy."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.compare import (CONFIG_FIELDS, compared_with, differing_fields, final_means, final_table, gap_bands, group_options,
                          has_split, regularizer_effect, seed_bands, smooth, summary_against)
from core.config import RunConfig
from core.record import METRICS

N_EPOCHS = 6


def make_frames(specs, *, seed=0):
    """(runs, curves) in the store's schema. ``specs``: (config, status, n_evals) triples; curves are random."""
    rng = np.random.default_rng(seed)
    run_rows, curve_rows = [], []
    for config, status, n_evals in specs:
        values = {m: rng.uniform(0.1, 1.0, n_evals) for m in METRICS}
        if config.n_val == 0:
            values["val_loss"][:] = values["val_acc"][:] = np.nan
        row = {"run_id": config.run_id, "group_id": config.group_id, "label": config.label(), "status": status,
               "stopped_epoch": n_evals - 1, "created_at": "2025-01-01T00:00:00+00:00", "duration_s": 2.0 + config.seed}
        for name, value in config.to_dict().items():
            row[name] = ",".join(map(str, value)) if name == "hidden_sizes" else value
        row["architecture"] = config.architecture
        for m in METRICS:
            row[f"final_{m}"] = values[m][-1]
            row[f"best_{m}"] = np.nan if np.all(np.isnan(values[m])) else (
                np.nanmax(values[m]) if m.endswith("acc") else np.nanmin(values[m]))
        row["best_val_epoch"] = -1
        row["final_gap"] = row["final_train_acc"] - row["final_test_acc"]
        run_rows.append(row)
        for epoch in range(n_evals):
            curve_rows.append({"run_id": config.run_id, "epoch": epoch, **{m: values[m][epoch] for m in METRICS},
                               "elapsed_s": 0.1 * epoch, "weight_norms": [1.0, 2.0]})
    return pd.DataFrame(run_rows), pd.DataFrame(curve_rows)


def seeds_of(config, seeds, status="complete", n_evals=N_EPOCHS + 1):
    return [(RunConfig(**{**config.to_dict(), "seed": s}), status, n_evals) for s in seeds]


PLAIN = RunConfig(n_epochs=N_EPOCHS)
DECAY = RunConfig(n_epochs=N_EPOCHS, weight_decay=0.1)


def curve_matrix(curves, configs, column):
    """(n_runs, n_epochs) of ``column``, NaN where a run has no row."""
    table = curves.pivot(index="run_id", columns="epoch", values=column)
    return table.reindex([c.run_id for c in configs]).to_numpy(dtype=float)


# ---- smooth -------------------------------------------------------------------------------------------------------
def test_smooth_is_a_trailing_mean_that_skips_nan():
    x = np.array([1.0, 3.0, np.nan, 5.0, 7.0, 9.0])
    np.testing.assert_array_equal(smooth(x, 1), x)
    expected = [1.0, 2.0, np.nan, np.mean([3.0, 5.0]), np.mean([5.0, 7.0]), np.mean([5.0, 7.0, 9.0])]
    np.testing.assert_allclose(smooth(x, 3), expected)
    np.testing.assert_allclose(smooth(np.arange(4.0), 10), [0.0, 0.5, 1.0, 1.5])  # window longer than the curve
    assert smooth(np.array([]), 3).shape == (0,)
    with pytest.raises(ValueError, match="'window' parameter must be an int in the range \\[1, inf\\). Got 0"):
        smooth(x, 0)


# ---- seed bands ---------------------------------------------------------------------------------------------------
def test_band_is_mean_and_std_over_seeds():
    specs = seeds_of(PLAIN, [0, 1, 2]) + seeds_of(DECAY, [0, 1])
    runs, curves = make_frames(specs)
    bands = seed_bands(curves, runs, metric="acc", splits=("train", "test"))
    assert list(bands.columns) == ["key", "label", "split", "epoch", "mean", "std", "n"]
    assert list(dict.fromkeys(bands["key"])) == [PLAIN.group_id, DECAY.group_id]
    assert set(bands["label"]) == {PLAIN.label(), DECAY.label()}  # the group label has no seed
    for config, seeds in ((PLAIN, [0, 1, 2]), (DECAY, [0, 1])):
        members = [c for c, _, _ in seeds_of(config, seeds)]
        for split in ("train", "test"):
            values = curve_matrix(curves, members, f"{split}_acc")
            part = bands[(bands["key"] == config.group_id) & (bands["split"] == split)]
            np.testing.assert_array_equal(part["epoch"], np.arange(N_EPOCHS + 1))
            np.testing.assert_allclose(part["mean"], values.mean(axis=0))
            np.testing.assert_allclose(part["std"], values.std(axis=0))  # ddof=0
            assert (part["n"] == len(seeds)).all()
    assert list(dict.fromkeys(bands["split"])) == ["train", "test"]


def test_loss_metric_reads_loss_columns():
    specs = seeds_of(PLAIN, [0, 1])
    runs, curves = make_frames(specs)
    bands = seed_bands(curves, runs, metric="loss", splits=("test",))
    values = curve_matrix(curves, [c for c, _, _ in specs], "test_loss")
    np.testing.assert_allclose(bands["mean"], values.mean(axis=0))


def test_smoothing_is_applied_per_run_before_aggregating():
    specs = seeds_of(PLAIN, [0, 1, 2])
    runs, curves = make_frames(specs)
    bands = seed_bands(curves, runs, splits=("test",), smoothing=3)
    smoothed = np.array([smooth(row, 3) for row in curve_matrix(curves, [c for c, _, _ in specs], "test_acc")])
    np.testing.assert_allclose(bands["mean"], smoothed.mean(axis=0))
    np.testing.assert_allclose(bands["std"], smoothed.std(axis=0))
    assert not np.allclose(bands["mean"], seed_bands(curves, runs, splits=("test",))["mean"])


def test_run_that_stopped_early_counts_only_where_it_has_values():
    specs = seeds_of(PLAIN, [0, 1]) + [(RunConfig(**{**PLAIN.to_dict(), "seed": 2}), "diverged", 3)]
    runs, curves = make_frames(specs)
    bands = seed_bands(curves, runs, splits=("train",))
    np.testing.assert_array_equal(bands["n"], [3, 3, 3, 2, 2, 2, 2])
    values = curve_matrix(curves, [c for c, _, _ in specs], "train_acc")  # NaN after the diverged run stopped
    np.testing.assert_allclose(bands["mean"], np.nanmean(values, axis=0))
    np.testing.assert_allclose(bands["std"], np.nanstd(values, axis=0))
    curves.loc[(curves["run_id"] == specs[2][0].run_id) & (curves["epoch"] == 2), "train_loss"] = np.inf
    loss = seed_bands(curves, runs, metric="loss", splits=("train",))  # a diverged loss counts as no value
    np.testing.assert_array_equal(loss["n"], [3, 3, 2, 2, 2, 2, 2])
    assert np.isfinite(loss["mean"]).all()


def test_split_without_values_is_dropped_and_a_split_with_values_kept():
    with_val = RunConfig(n_epochs=N_EPOCHS, n_val=50)
    runs, curves = make_frames(seeds_of(PLAIN, [0, 1]))
    bands = seed_bands(curves, runs, splits=("train", "val", "test"))
    assert list(dict.fromkeys(bands["split"])) == ["train", "test"]
    runs, curves = make_frames(seeds_of(PLAIN, [0]) + seeds_of(with_val, [0]))
    bands = seed_bands(curves, runs, splits=("val",))
    assert set(bands["key"]) == {with_val.group_id}


def test_by_run_gives_one_key_per_run_with_the_seed_in_its_label():
    specs = seeds_of(PLAIN, [0, 1])
    runs, curves = make_frames(specs)
    bands = seed_bands(curves, runs, splits=("test",), by="run")
    assert list(dict.fromkeys(bands["key"])) == [c.run_id for c, _, _ in specs]
    assert list(dict.fromkeys(bands["label"])) == [f"{PLAIN.label()} · seed=0", f"{PLAIN.label()} · seed=1"]
    assert (bands["n"] == 1).all() and (bands["std"] == 0).all()
    first = bands[bands["key"] == specs[0][0].run_id]
    np.testing.assert_allclose(first["mean"], curve_matrix(curves, [specs[0][0]], "test_acc")[0])


def test_curves_of_runs_not_in_the_runs_table_are_ignored_and_bad_arguments_named():
    runs, curves = make_frames(seeds_of(PLAIN, [0, 1]) + seeds_of(DECAY, [0]))
    bands = seed_bands(curves, runs[runs["group_id"] == DECAY.group_id])
    assert set(bands["key"]) == {DECAY.group_id}
    assert seed_bands(curves.iloc[0:0], runs).empty
    with pytest.raises(ValueError, match="'metric' parameter must be one of 'acc', 'loss'. Got 'accuracy'"):
        seed_bands(curves, runs, metric="accuracy")
    with pytest.raises(ValueError, match="'splits' parameter must be one of 'train', 'val', 'test'. Got 'valid'"):
        seed_bands(curves, runs, splits=("valid",))
    with pytest.raises(ValueError, match="'by' parameter must be one of 'group', 'run'. Got 'seed'"):
        seed_bands(curves, runs, by="seed")


def test_gap_is_train_minus_test_per_run_then_aggregated():
    specs = seeds_of(PLAIN, [0, 1, 2])
    runs, curves = make_frames(specs)
    configs = [c for c, _, _ in specs]
    gaps = curve_matrix(curves, configs, "train_acc") - curve_matrix(curves, configs, "test_acc")
    bands = gap_bands(curves, runs)
    assert set(bands["split"]) == {"gap"}
    np.testing.assert_allclose(bands["mean"], gaps.mean(axis=0))
    np.testing.assert_allclose(bands["std"], gaps.std(axis=0))
    smoothed = np.array([smooth(row, 2) for row in gaps])
    np.testing.assert_allclose(gap_bands(curves, runs, smoothing=2)["mean"], smoothed.mean(axis=0))


def test_loss_gap_is_test_minus_train_so_overfitting_is_positive_in_both_metrics():
    runs, curves = make_frames(seeds_of(PLAIN, [0, 1]))
    configs = [RunConfig(**{**PLAIN.to_dict(), "seed": s}) for s in (0, 1)]
    gaps = curve_matrix(curves, configs, "test_loss") - curve_matrix(curves, configs, "train_loss")
    np.testing.assert_allclose(gap_bands(curves, runs, metric="loss")["mean"], gaps.mean(axis=0))


# ---- tables -------------------------------------------------------------------------------------------------------
def test_summary_is_sorted_by_the_param_with_std_over_complete_seeds():
    big = RunConfig(n_epochs=N_EPOCHS, weight_decay=1.0)
    specs = seeds_of(big, [0, 1]) + seeds_of(PLAIN, [0, 1, 2]) + seeds_of(DECAY, [0, 1]) \
        + seeds_of(DECAY, [7], status="diverged")
    runs, _ = make_frames(specs)
    summary = summary_against(runs, "weight_decay")
    assert list(summary.columns) == ["series", "group_id", "label", "weight_decay", "n", "val_mean", "val_std",
                                     "test_mean", "test_std", "gap_mean", "gap_std", "chosen"]
    assert list(summary["weight_decay"]) == [0.0, 0.1, 1.0] and summary["series"].nunique() == 1
    assert list(summary["n"]) == [3, 2, 2]  # the diverged seed does not count
    decay = runs[(runs["group_id"] == DECAY.group_id) & (runs["status"] == "complete")]
    row = summary.iloc[1]
    assert row["group_id"] == DECAY.group_id and row["label"] == DECAY.label()
    assert row["test_mean"] == pytest.approx(np.mean(decay["final_test_acc"]))
    assert row["test_std"] == pytest.approx(np.std(decay["final_test_acc"]))
    assert row["gap_std"] == pytest.approx(np.std(decay["final_train_acc"] - decay["final_test_acc"]))
    assert summary["val_mean"].isna().all() and not summary["chosen"].any()  # no validation data: nothing chosen
    loss = summary_against(runs, "weight_decay", metric="loss").set_index("group_id")
    assert loss.loc[DECAY.group_id, "gap_mean"] == pytest.approx(np.mean(decay["final_test_loss"]
                                                                         - decay["final_train_loss"]))
    assert loss.loc[DECAY.group_id, "test_mean"] == pytest.approx(np.mean(decay["final_test_loss"]))
    with pytest.raises(ValueError, match="'param' parameter must be one of 'weight_decay', 'dropout'. Got 'lr'"):
        summary_against(runs, "lr")


def test_summary_joins_only_groups_that_differ_in_the_plotted_variable():
    long = RunConfig(n_epochs=4 * N_EPOCHS)
    long_decay = RunConfig(n_epochs=4 * N_EPOCHS, weight_decay=0.1)
    half = RunConfig(n_epochs=N_EPOCHS, weight_decay=0.05)
    drop = RunConfig(n_epochs=N_EPOCHS, dropout=0.2)
    runs, _ = make_frames(seeds_of(half, [0]) + seeds_of(long, [0]) + seeds_of(long_decay, [0])
                          + seeds_of(drop, [0]))
    summary = summary_against(runs, "weight_decay")
    series = summary.groupby("series", sort=False)["group_id"].agg(list).tolist()
    assert series == [[half.group_id], [long.group_id, long_decay.group_id], [drop.group_id]]
    by_dropout = summary_against(runs, "dropout")  # against dropout, the λ groups are lines of their own
    assert by_dropout["series"].nunique() == 4
    assert differing_fields(runs) == ["weight_decay", "dropout", "n_epochs"]
    assert differing_fields(runs.iloc[:1]) == [] and set(differing_fields(runs, CONFIG_FIELDS)) <= set(CONFIG_FIELDS)


def test_summary_chooses_on_validation_never_on_test():
    configs = [RunConfig(n_epochs=N_EPOCHS, n_val=100, weight_decay=wd) for wd in (0.0, 0.01, 0.1)]
    runs, _ = make_frames([s for c in configs for s in seeds_of(c, [0, 1])], seed=3)
    summary = summary_against(runs, "weight_decay")
    best = summary["val_mean"].idxmax()
    assert summary["chosen"].tolist() == [i == best for i in range(3)]
    runs.loc[runs["group_id"] == configs[best].group_id, "final_test_acc"] = 0.0  # test cannot move the choice
    assert summary_against(runs, "weight_decay")["chosen"].tolist() == summary["chosen"].tolist()
    loss = summary_against(runs, "weight_decay", metric="loss")
    assert loss["chosen"].tolist() == [i == loss["val_mean"].idxmin() for i in range(3)]
    assert has_split(runs, "val") and not has_split(make_frames(seeds_of(PLAIN, [0]))[0], "val")


def test_group_options_have_unique_labels():
    # batch_size is not in the label: two groups, one label
    other_batch = RunConfig(n_epochs=N_EPOCHS, batch_size=50)
    specs = seeds_of(PLAIN, [0, 1]) + seeds_of(other_batch, [0]) + seeds_of(DECAY, [0], status="diverged") \
        + seeds_of(DECAY, [1])
    runs, _ = make_frames(specs)
    options = group_options(runs)
    assert list(options.columns) == ["group_id", "label", "n_seeds", "seeds", "statuses"]
    assert options["label"].is_unique and len(options) == 3
    by_group = options.set_index("group_id")
    assert by_group.loc[PLAIN.group_id, "label"] == f"{PLAIN.label()} [{PLAIN.group_id[:6]}]"
    assert by_group.loc[other_batch.group_id, "label"] == f"{PLAIN.label()} [{other_batch.group_id[:6]}]"
    assert by_group.loc[DECAY.group_id, "label"] == DECAY.label()  # an unshared label is left alone
    assert by_group.loc[DECAY.group_id, "statuses"] == "1 diverged, 1 complete"
    assert by_group.loc[PLAIN.group_id, ["n_seeds", "seeds"]].tolist() == [2, "0,1"]
    # the same disambiguation reaches the chart labels
    _, curves = make_frames(specs)
    assert seed_bands(curves, runs)["label"].nunique() == 3


def test_final_table_rows_follow_the_keys_without_validation_and_choose_no_epoch():
    specs = seeds_of(PLAIN, [0, 1, 2]) + seeds_of(DECAY, [0])
    runs, curves = make_frames(specs)
    table = final_table(runs, [DECAY.group_id, "unknown", PLAIN.group_id], curves=curves)
    assert list(table["id"]) == [DECAY.group_id, PLAIN.group_id]
    assert not {"final_val_acc", "best_val_acc", "best_val_epoch", "test_acc_at_best_val"} & set(table.columns)
    assert "best_test_acc" not in table.columns  # an epoch chosen on test would flatter the test score
    plain = runs[runs["group_id"] == PLAIN.group_id]
    row = table.iloc[1]
    acc = plain["final_test_acc"]
    assert row["final_test_acc"] == f"{np.mean(acc):.3f} ± {np.std(acc):.3f}"
    assert (row["config"], row["seeds"], row["status"], row["epochs"]) == (PLAIN.label(), 3, "3 complete", "6")
    assert row["duration_s"] == pytest.approx(np.mean(plain["duration_s"]))
    one_seed = runs.loc[runs["group_id"] == DECAY.group_id, "final_test_acc"].iloc[0]
    assert table.iloc[0]["final_test_acc"] == f"{one_seed:.3f}"  # no "± 0.000" for a single seed
    by_run = final_table(runs, [specs[1][0].run_id], by="run", labels={specs[1][0].run_id: "mine"})
    assert by_run.iloc[0]["config"] == "mine" and by_run.iloc[0]["seeds"] == 1


def test_final_table_with_validation_is_ranked_on_it_and_reports_test_at_the_best_val_epoch():
    configs = [RunConfig(n_epochs=N_EPOCHS, n_val=100, weight_decay=wd) for wd in (0.0, 0.01, 0.1)]
    runs, curves = make_frames([s for c in configs for s in seeds_of(c, [0, 1])], seed=5)
    best_epoch = curves.loc[curves.groupby("run_id")["val_acc"].idxmax(), ["run_id", "epoch", "test_acc"]]
    runs["best_val_epoch"] = runs["run_id"].map(best_epoch.set_index("run_id")["epoch"])
    table = final_table(runs, [c.group_id for c in configs], curves=curves)
    val_means = runs.groupby("group_id")["final_val_acc"].mean()
    assert list(table["id"]) == list(val_means.sort_values(ascending=False).index)
    first = table.iloc[0]["id"]
    at_best = best_epoch.set_index("run_id").loc[runs.loc[runs["group_id"] == first, "run_id"], "test_acc"]
    assert table.iloc[0]["test_acc_at_best_val"] == f"{at_best.mean():.3f} ± {at_best.std(ddof=0):.3f}"
    assert "final_val_acc" in table.columns and "best_val_epoch" in table.columns


def test_final_means_and_the_effect_of_a_regularizer_come_from_the_numbers():
    runs, _ = make_frames(seeds_of(PLAIN, [0, 1]) + seeds_of(DECAY, [0, 1]) + seeds_of(DECAY, [2], "diverged"))
    means = final_means(runs, [PLAIN.group_id, DECAY.group_id, "missing"])
    assert list(means.index) == [PLAIN.group_id, DECAY.group_id] and list(means["n"]) == [2, 2]
    decay = runs[(runs["group_id"] == DECAY.group_id) & (runs["status"] == "complete")]
    assert means.loc[DECAY.group_id, "test"] == pytest.approx(decay["final_test_acc"].mean())
    assert means.loc[DECAY.group_id, "gap"] == pytest.approx(decay["final_gap"].mean())
    base = {"train": 1.0, "test": 0.80, "gap": 0.20}
    assert regularizer_effect(base, {"train": 0.88, "test": 0.76, "gap": 0.12}) == \
        {"gap": "narrows", "train": "down", "test": "down", "main": "train"}
    assert regularizer_effect(base, {"train": 0.99, "test": 0.87, "gap": 0.12})["main"] == "test"
    assert regularizer_effect(base, {"train": 1.0, "test": 0.75, "gap": 0.25}) == \
        {"gap": "widens", "train": "same", "test": "down", "main": None}
    assert regularizer_effect(base, {"train": 1.0, "test": 0.805, "gap": 0.195})["gap"] == "same"


def test_a_regularizer_trained_longer_is_compared_at_the_last_epoch_both_trained():
    """The book's dropout runs 300 epochs and its plain network 200: Home compared their own last epochs, so dropout
    had half as long again to learn. A group as long as the base is compared at the end; a longer one at the base's
    last epoch, from the curves; a group without complete runs is left out."""
    longer = RunConfig(n_epochs=2 * N_EPOCHS, dropout=0.2)
    runs, curves = make_frames(seeds_of(PLAIN, [0, 1]) + seeds_of(DECAY, [0, 1])
                               + seeds_of(longer, [0, 1], n_evals=2 * N_EPOCHS + 1) + seeds_of(DECAY, [2], "diverged"))
    pairs = compared_with(runs, curves, PLAIN.group_id, [PLAIN.group_id, DECAY.group_id, longer.group_id, "missing"])
    assert [(group, epoch) for group, epoch, _, _ in pairs] == [(DECAY.group_id, None), (longer.group_id, N_EPOCHS)]
    finals = final_means(runs, [PLAIN.group_id, DECAY.group_id])
    assert pairs[0][2].equals(finals.loc[PLAIN.group_id]) and pairs[0][3].equals(finals.loc[DECAY.group_id])
    at = curves[curves["epoch"] == N_EPOCHS].set_index("run_id")
    for means, config in ((pairs[1][2], PLAIN), (pairs[1][3], longer)):
        ids = [c.run_id for c, _, _ in seeds_of(config, [0, 1])]
        assert means["n"] == 2
        assert means["test"] == pytest.approx(at.loc[ids, "test_acc"].mean())
        assert means["gap"] == pytest.approx((at.loc[ids, "train_acc"] - at.loc[ids, "test_acc"]).mean())
    assert means["test"] != pytest.approx(runs.loc[runs["group_id"] == longer.group_id, "final_test_acc"].mean())
