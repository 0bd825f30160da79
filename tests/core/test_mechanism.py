"""The mechanism snapshots (weight and activation histograms, active ReLU fraction), their storage, and test_every."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.config import RunConfig
from core.data import load_split
from core.mechanism import (HIST_BINS, MECHANISM_COLUMNS, PROBE_ROWS, WEIGHT_RANGE_STDS, active_frame, histogram_frame,
                            mechanism_epochs, norms_frame, snapshot_epochs)
from core.network import MLP, init_std
from core.store import ResultStore
from core.train import random_streams, train

CONFIG = RunConfig(n_train=200, n_val=300, n_test=500, hidden_sizes=(40, 30, 20), n_epochs=8, lr=0.1)


pytestmark = pytest.mark.usefixtures("private_cache")  # tests/core/conftest.py


@pytest.fixture(scope="module")
def trained():
    kept = {}
    record = train(CONFIG, on_end=lambda net: kept.setdefault("net", net))
    return record, kept["net"]


def numpy_weight_histograms(weights: list[np.ndarray], config: RunConfig, n_inputs: int, n_classes: int):
    sizes = [n_inputs, *config.hidden_sizes, n_classes]
    out = []
    for w, n_in in zip(weights, sizes[:-1]):
        limit = WEIGHT_RANGE_STDS * init_std(config.init, n_in, config.init_std)
        out.append(np.histogram(np.clip(w, -limit, limit), bins=HIST_BINS, range=(-limit, limit))[0])
    return np.array(out)


def full_weights(net: MLP) -> list[np.ndarray]:
    first = net.affines[0].W.ravel()
    if net.idle_W is not None:
        first = np.concatenate([first, net.idle_W.ravel()])
    return [first, *(a.W for a in net.affines[1:])]


def test_snapshots_are_taken_at_start_quarter_half_and_end():
    assert mechanism_epochs(200) == [0, 50, 100, 200]
    assert mechanism_epochs(1) == [0, 1]


def test_final_weight_histograms_equal_numpys_of_the_trained_network(trained):
    record, net = trained
    assert [s.epoch for s in record.mechanism] == mechanism_epochs(CONFIG.n_epochs)
    final = record.mechanism[-1]
    expected = numpy_weight_histograms(full_weights(net), CONFIG, net.n_inputs, net.n_classes)
    np.testing.assert_array_equal(final.weight_counts, expected)
    assert final.weight_counts.dtype == np.int32
    assert final.weight_counts[0].sum() == net.n_inputs * CONFIG.hidden_sizes[0]  # the idle columns are counted


def test_epoch_zero_weight_histograms_equal_numpys_of_the_initial_weights(trained):
    record, _ = trained
    split = load_split(CONFIG)
    init_rng, _ = random_streams(CONFIG)
    net = MLP(CONFIG, split.n_features, split.n_classes, init_rng)
    expected = numpy_weight_histograms([a.W for a in net.affines], CONFIG, split.n_features, split.n_classes)
    np.testing.assert_array_equal(record.mechanism[0].weight_counts, expected)
    assert not np.array_equal(record.mechanism[0].weight_counts, record.mechanism[-1].weight_counts)


def test_active_fraction_and_activation_histograms_equal_a_direct_count(trained):
    record, net = trained
    split = load_split(CONFIG)
    h = split.x_val[:PROBE_ROWS].astype(np.float64)
    W1 = np.zeros((net.n_inputs, CONFIG.hidden_sizes[0]))
    W1[net.input_columns if net.input_columns is not None else slice(None)] = net.affines[0].W
    if net.idle_W is not None:
        idle = np.setdiff1d(np.arange(net.n_inputs), net.input_columns)
        W1[idle] = net.idle_W
    weights = [W1, *(a.W for a in net.affines[1:])]
    final = record.mechanism[-1]
    for layer, (W, affine) in enumerate(zip(weights[:-1], net.affines[:-1])):
        h = np.maximum(h @ W + affine.b, 0)
        assert final.active_fraction[layer] == pytest.approx(np.count_nonzero(h > 0) / h.size, abs=1 / h.size)
        low, high = final.act_ranges[layer]
        counts = np.histogram(np.clip(h, low, high), bins=HIST_BINS, range=(low, high))[0]
        assert abs(counts - final.act_counts[layer]).sum() <= 2  # float32 vs float64 at a bin edge
        assert final.act_counts[layer].sum() == PROBE_ROWS * CONFIG.hidden_sizes[layer]
    assert final.act_ranges[0][0] == 0 and final.act_ranges[0][1] > 0


def test_test_every_end_scores_test_only_at_the_last_epoch_and_keeps_everything_else(trained):
    record, _ = trained
    at_end = train(dataclasses.replace(CONFIG, test_every="end"))
    assert np.isnan(at_end.curves["test_acc"][:-1]).all() and np.isnan(at_end.curves["test_loss"][:-1]).all()
    assert at_end.final("test_acc") == record.final("test_acc")
    assert at_end.final("test_loss") == pytest.approx(record.final("test_loss"), rel=1e-6)
    np.testing.assert_array_equal(at_end.curves["val_acc"], record.curves["val_acc"])
    np.testing.assert_array_equal(at_end.curves["train_loss"], record.curves["train_loss"])


def test_a_pruned_run_at_end_gets_its_test_scores_and_a_snapshot_at_the_stopping_epoch():
    config = dataclasses.replace(CONFIG, test_every="end")
    record = train(config, pruner=lambda epoch, metrics: epoch == 3)
    assert record.stopped_epoch == 3 and not np.isnan(record.final("test_acc"))
    assert np.isnan(record.curves["test_acc"][:-1]).all()
    assert [s.epoch for s in record.mechanism] == [0, 2, 3]



@pytest.mark.parametrize("stop_at", [None, 3])
def test_without_snapshots_the_record_is_the_same_but_holds_none(tmp_path, trained, stop_at):
    """``train(snapshots=False)`` (search trials) changes nothing but the snapshots, which it says it did not take."""
    config = dataclasses.replace(CONFIG, test_every="end")
    pruner = None if stop_at is None else (lambda epoch, metrics: epoch == stop_at)
    taken = train(config, pruner=pruner)
    lean = train(config, pruner=pruner, snapshots=False)
    assert taken.mechanism and lean.mechanism == ()
    assert lean.stopped_epoch == taken.stopped_epoch == (stop_at or CONFIG.n_epochs)
    for name in taken.curves:
        if name != "elapsed_s":
            np.testing.assert_array_equal(lean.curves[name], taken.curves[name])
    np.testing.assert_array_equal(lean.weight_norms, taken.weight_norms)
    store = ResultStore(tmp_path)
    store.write([lean])
    assert ResultStore(tmp_path).get(lean.run_id).mechanism == ()
    curves = store.load_curves([lean.run_id])
    assert snapshot_epochs(curves) == [] and len(norms_frame(curves)) > 0  # the weight norms are still there

def test_test_every_keeps_the_run_ids_of_configs_written_before_it():
    assert RunConfig().run_id == "4b59a01b66cd"  # the id stored for the default config before test_every existed
    assert "test_every" not in RunConfig().to_json()
    changed = dataclasses.replace(RunConfig(), test_every="end")
    assert changed.run_id != RunConfig().run_id and changed.group_id != RunConfig().group_id
    assert RunConfig.from_json(changed.to_json()) == changed
    with pytest.raises(ValueError, match="test_every"):
        RunConfig(test_every="never")


def test_snapshots_round_trip_through_parquet_and_shape_into_tidy_tables(tmp_path, trained):
    record, net = trained
    at_end = train(dataclasses.replace(CONFIG, test_every="end"))
    store = ResultStore(tmp_path)
    store.write([record, at_end])
    back = ResultStore(tmp_path).get(record.run_id)
    assert len(back.mechanism) == len(record.mechanism)
    for a, b in zip(back.mechanism, record.mechanism):
        assert a.epoch == b.epoch
        for name in ("weight_counts", "weight_ranges", "act_counts", "act_ranges", "active_fraction"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    runs = store.load_runs().set_index("run_id")
    assert runs.loc[at_end.run_id, "test_every"] == "end"
    assert runs.loc[at_end.run_id, "final_test_acc"] == at_end.final("test_acc")

    curves = store.load_curves([record.run_id, at_end.run_id])
    assert snapshot_epochs(curves) == mechanism_epochs(CONFIG.n_epochs)
    weights = histogram_frame(curves, "weight", epochs=[CONFIG.n_epochs], labels={record.run_id: "A"})
    per_layer = weights[weights["run_id"] == record.run_id].groupby("layer")["count"].sum()
    assert per_layer.tolist() == [w.size for w in full_weights(net)]
    assert set(weights.loc[weights["run_id"] == record.run_id, "label"]) == {"A"}
    acts = histogram_frame(curves, "act")
    assert acts.groupby(["run_id", "epoch", "layer"])["share"].sum().round(9).eq(1).all()
    active = active_frame(curves)
    assert len(active) == 2 * len(mechanism_epochs(CONFIG.n_epochs)) * len(CONFIG.hidden_sizes)
    norms = norms_frame(curves)
    assert len(norms) == 2 * (CONFIG.n_epochs + 1) * (len(CONFIG.hidden_sizes) + 1)


def test_files_written_before_the_mechanism_columns_still_load(tmp_path, trained):
    record, _ = trained
    store = ResultStore(tmp_path)
    store.write([record])
    for path in tmp_path.glob("*.parquet"):  # rewrite as schema_version 1 wrote them: without the new columns
        table = pq.read_table(path)
        old = table.drop_columns([c for c in (*MECHANISM_COLUMNS, "test_every") if c in table.column_names])
        if "schema_version" in old.column_names:

            old = old.set_column(0, "schema_version", pa.array([1] * old.num_rows, pa.int64()))
        old = old.replace_schema_metadata({b"overfit_lab.schema_version": b"1"})
        pq.write_table(old, path)
    fresh = ResultStore(tmp_path)
    assert fresh.problems() == []
    runs = fresh.load_runs()
    assert runs["test_every"].tolist() == ["epoch"] and runs["run_id"].tolist() == [record.run_id]
    back = fresh.get(record.run_id)
    assert back.mechanism == () and back.final("test_acc") == record.final("test_acc")
    curves = fresh.load_curves([record.run_id])
    assert curves["weight_hist"].isna().all()
    assert histogram_frame(curves, "weight").empty and active_frame(curves).empty and snapshot_epochs(curves) == []


def test_histogram_frame_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="'kind'"):
        histogram_frame(pd.DataFrame(), "bias")
