from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.config import RunConfig
from core.data import load_split
from core.record import METRICS, RunStatus
from core.train import iterations_per_epoch, train

SMALL = RunConfig(n_train=200, n_val=50, n_test=300, hidden_sizes=(32, 32), n_epochs=4, batch_size=50, lr=0.1)


def test_same_config_gives_identical_curves():
    a, b = train(SMALL), train(SMALL)
    for name in ("epoch", *METRICS):
        np.testing.assert_array_equal(a.curves[name], b.curves[name], err_msg=name)
    np.testing.assert_array_equal(a.weight_norms, b.weight_norms)
    assert a.run_id == b.run_id and a.data_fingerprint == b.data_fingerprint


def test_other_seed_gives_other_curves_on_the_same_data():
    a, b = train(SMALL), train(dataclasses.replace(SMALL, seed=1))
    assert a.data_fingerprint == b.data_fingerprint
    assert not np.array_equal(a.curves["train_loss"], b.curves["train_loss"])


def test_record_shape_and_epoch_zero_before_any_update():
    seen = []
    record = train(SMALL, on_epoch=lambda epoch, metrics: seen.append((epoch, dict(metrics))))
    assert record.status is RunStatus.COMPLETE and record.stopped_epoch == SMALL.n_epochs
    assert list(record.curves["epoch"]) == list(range(SMALL.n_epochs + 1))
    assert [e for e, _ in seen] == list(range(SMALL.n_epochs + 1))
    assert set(seen[0][1]) == set(METRICS)
    assert record.weight_norms.shape == (SMALL.n_epochs + 1, len(SMALL.hidden_sizes) + 1)
    # an untrained 10-class network is near chance; training moves it
    assert record.curves["train_acc"][0] < 0.3 < record.curves["train_acc"][-1]
    assert np.all(np.diff(record.curves["elapsed_s"]) >= 0)


def test_validation_metrics_are_nan_without_a_validation_split():
    record = train(dataclasses.replace(SMALL, n_val=0, n_epochs=1))
    assert np.all(np.isnan(record.curves["val_acc"])) and np.all(np.isfinite(record.curves["test_acc"]))


def test_diverged_run_is_recorded_not_raised():
    config = dataclasses.replace(SMALL, lr=5.0, hidden_sizes=(100,) * 6, n_epochs=20)
    record = train(config)
    assert record.status is RunStatus.DIVERGED
    assert record.stopped_epoch < config.n_epochs
    assert len(record.curves["epoch"]) == record.stopped_epoch + 1


def test_pruner_stops_the_run_and_sees_the_epochs_metrics():
    seen = []

    def pruner(epoch, metrics):
        seen.append((epoch, dict(metrics)))
        return epoch == 3

    record = train(dataclasses.replace(SMALL, n_epochs=10), pruner=pruner)
    assert record.status is RunStatus.PRUNED and record.stopped_epoch == 3
    assert len(record.curves["val_acc"]) == 4
    assert [epoch for epoch, _ in seen] == [1, 2, 3]
    for epoch, metrics in seen:  # the pruner gets exactly what the record holds for that epoch
        assert set(metrics) == set(METRICS)
        assert all(metrics[name] == record.curves[name][epoch] for name in METRICS)


def test_on_epoch_may_abort_by_raising():
    class Stop(Exception):
        pass

    def on_epoch(epoch, metrics):
        if epoch == 2:
            raise Stop

    with pytest.raises(Stop):
        train(SMALL, on_epoch=on_epoch)


def test_dropout_changes_neither_initial_weights_nor_batch_order():
    plain, dropped = train(dataclasses.replace(SMALL, n_epochs=1)), train(dataclasses.replace(SMALL, n_epochs=1, dropout=0.5))
    np.testing.assert_array_equal(plain.weight_norms[0], dropped.weight_norms[0])


def test_iterations_per_epoch():
    assert iterations_per_epoch(RunConfig()) == 3  # the book: 300 images / batch 100
    assert iterations_per_epoch(RunConfig(n_train=250, batch_size=100)) == 3


def test_book_sampling_and_float64_run():
    record = train(dataclasses.replace(SMALL, sampling="book", dtype="float64", n_epochs=2))
    assert record.status is RunStatus.COMPLETE and np.isfinite(record.curves["train_loss"]).all()


def test_explicit_split_is_used():
    split = load_split(SMALL)
    assert train(SMALL, split).data_fingerprint == split.fingerprint
