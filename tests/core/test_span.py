"""The first layer kept in the span of the training images (core/span.py) against the dense form.

The two forms are the same algebra, so in float64 every run must agree to summation-order rounding: curves, weight
norms, mechanism snapshots and the final network, across the settings that touch the first layer's neighbours
(dropout, batch norm, both weight-decay modes, both batch samplings, divergence and pruning).
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from core.config import RunConfig
from core.data import load_split
from core.network import MLP
from core.span import FirstLayerSpan, span_pays
from core.train import train

BASE = RunConfig(n_train=120, n_val=40, n_test=200, hidden_sizes=(30, 30, 30), optimizer="sgd", lr=0.05,
                 batch_size=40, n_epochs=6, dtype="float64")


def run_both(config, **kwargs):
    """The same run in both forms; each record with the network it ended with."""
    split = load_split(config)
    runs = {}
    for form in ("dense", "span"):
        nets = []
        record = train(config, split, first_layer=form, on_end=nets.append, **kwargs)
        runs[form] = (record, nets[0])
    return runs


def assert_same_run(runs, rtol=1e-10):
    (dense, dense_net), (span, span_net) = runs["dense"], runs["span"]
    assert span_net.span is not None and dense_net.span is None  # each form was really used
    assert (span.status, span.stopped_epoch) == (dense.status, dense.stopped_epoch)
    for name, values in dense.curves.items():
        if name != "elapsed_s":
            np.testing.assert_allclose(span.curves[name], values, rtol=rtol, atol=1e-12, err_msg=name)
    np.testing.assert_allclose(span.weight_norms, dense.weight_norms, rtol=rtol)
    for a, b in zip(dense.mechanism, span.mechanism):
        assert a.epoch == b.epoch
        np.testing.assert_array_equal(a.act_counts, b.act_counts)
        assert np.abs(a.weight_counts - b.weight_counts).max() <= 1  # a weight on a bin edge may fall either side
    for a, b in zip(dense_net.affines, span_net.affines):  # the network handed out is the trained one, in both
        np.testing.assert_allclose(b.W, a.W, rtol=rtol, atol=1e-12)
        np.testing.assert_allclose(b.b, a.b, rtol=rtol, atol=1e-12)
    if dense_net.idle_W is not None:
        np.testing.assert_allclose(span_net.idle_W, dense_net.idle_W, rtol=rtol)


@pytest.mark.parametrize("change", [
    {},
    {"weight_decay": 0.1},
    {"weight_decay": 0.1, "weight_decay_mode": "decoupled"},
    {"sampling": "book"},                     # batches drawn with replacement: an image may be in a batch twice
    {"dropout": 0.3},
    {"dropout": 0.3, "dropout_mode": "inverted"},
    {"batch_norm": True, "weight_decay": 0.01},
    {"activation": "tanh", "init": "xavier"},
    {"n_val": 0, "test_every": "end"},
])
def test_the_span_form_equals_the_dense_form(change):
    assert_same_run(run_both(dataclasses.replace(BASE, **change)))


def test_a_diverging_run_stops_at_the_same_epoch_in_both_forms():
    runs = run_both(dataclasses.replace(BASE, lr=5.0, hidden_sizes=(100,) * 6, n_epochs=20))
    assert runs["dense"][0].status.value == "diverged"
    assert runs["span"][0].stopped_epoch == runs["dense"][0].stopped_epoch


def test_a_pruned_run_stops_at_the_same_epoch_in_both_forms():
    runs = run_both(BASE, pruner=lambda epoch, metrics: epoch == 3)
    assert runs["span"][0].stopped_epoch == runs["dense"][0].stopped_epoch == 3
    assert_same_run(runs)


def test_float32_span_stays_within_float32_rounding_of_float64():
    config = dataclasses.replace(BASE, weight_decay=0.1, sampling="book")
    split = load_split(config)
    exact = train(config, split, first_layer="dense")
    fast = train(dataclasses.replace(config, dtype="float32"), split, first_layer="span")
    for name in ("train_loss", "val_loss", "test_loss"):
        np.testing.assert_allclose(fast.curves[name], exact.curves[name], rtol=2e-5, err_msg=name)
    np.testing.assert_allclose(fast.weight_norms, exact.weight_norms, rtol=2e-5)


def test_one_step_with_a_repeated_image_counts_it_twice():
    rng = np.random.default_rng(0)
    X, W0 = rng.standard_normal((7, 5)), rng.standard_normal((5, 3))
    span = FirstLayerSpan(W0, None, X)
    rows, delta = np.array([2, 4, 2, 2]), rng.standard_normal((4, 3))
    expected = 0.9 * W0 - 0.1 * X[rows].T @ delta
    span.step(rows, delta.copy(), lr=0.1, shrink=0.9)
    np.testing.assert_allclose(span.weights()[0], expected, rtol=1e-12)
    np.testing.assert_allclose(span.squared_norm(), np.sum(expected ** 2), rtol=1e-12)
    out = np.empty((2, 3))
    np.testing.assert_allclose(span.batch(np.array([2, 0]), out), X[[2, 0]] @ expected, rtol=1e-12)


def test_auto_takes_the_span_for_the_chapters_runs_and_the_dense_form_otherwise():
    def form(**change):
        nets = []
        train(dataclasses.replace(BASE, **{"n_epochs": 20, **change}), on_end=nets.append)
        return "span" if nets[0].span is not None else "dense"

    assert form() == "span"                            # 120 images, far fewer than the used pixels
    assert form(n_epochs=2) == "dense"                 # too few evaluations to pay for the one-off products
    assert form(optimizer="adam") == "dense"           # only plain SGD keeps the weights in the span
    assert form(n_train=1500) == "dense"   # more images than pixels: no saving
    assert not span_pays(n_train=300, n_inputs=663, n_hidden=100, n_other=4700, n_epochs=0, n_steps=3,
                         batch_size=100)               # nothing to amortize the one-off products over
    assert span_pays(n_train=300, n_inputs=663, n_hidden=100, n_other=4700, n_epochs=200, n_steps=3,
                     batch_size=100)


def test_the_span_form_refuses_what_it_cannot_do():
    with pytest.raises(ValueError, match="needs plain SGD"):
        train(dataclasses.replace(BASE, optimizer="momentum"), first_layer="span")
    with pytest.raises(ValueError, match="'first_layer' parameter"):
        train(BASE, first_layer="sparse")
    split = load_split(BASE)
    net = MLP(BASE, split.n_features, split.n_classes, np.random.default_rng(0))
    net.keep_first_layer_in_span(split.x_train)
    with pytest.raises(ValueError, match="loss_and_backward_rows"):
        net.loss_and_backward(split.x_train[:10], split.y_train[:10])


@pytest.mark.parametrize("form", ["dense", "span"])
@pytest.mark.parametrize("case", ["complete", "pruned", "diverged", "test at end"])
def test_two_lanes_give_the_same_record_bit_for_bit(form, case):
    """Two lanes score epoch e on a frozen copy while epoch e + 1 trains; a stop discards the epoch trained ahead."""
    config = dataclasses.replace(BASE, dtype="float32", n_epochs=8, dropout=0.2)
    pruner = None
    if case == "pruned":
        pruner = lambda epoch, metrics: epoch == 3  # noqa: E731
    elif case == "diverged":
        config = dataclasses.replace(config, lr=5.0, hidden_sizes=(100,) * 6, dropout=0.0, n_epochs=20)
    elif case == "test at end":
        config = dataclasses.replace(config, test_every="end")
    split = load_split(config)
    runs = []
    for lanes in (1, 2):
        nets = []
        with threadpool_limits(1):  # as every run trains (core.jobs.RUN_BLAS_THREADS); lanes hold BLAS there too
            record = train(config, split, first_layer=form, lanes=lanes, pruner=pruner, on_end=nets.append)
        runs.append((record, nets[0]))
    (one, one_net), (two, two_net) = runs
    assert (two.status, two.stopped_epoch) == (one.status, one.stopped_epoch)
    if case != "complete":
        assert one.status.value == case.split()[0] or case == "test at end"
    for name, values in one.curves.items():
        if name != "elapsed_s":
            np.testing.assert_array_equal(two.curves[name], values, err_msg=name)
    np.testing.assert_array_equal(two.weight_norms, one.weight_norms)
    for a, b in zip(one.mechanism, two.mechanism, strict=True):
        assert a.epoch == b.epoch
        np.testing.assert_array_equal(a.weight_counts, b.weight_counts)
        np.testing.assert_array_equal(a.act_counts, b.act_counts)
    for a, b in zip(one_net.affines, two_net.affines):  # on_end gets the network of the stopped epoch in both
        np.testing.assert_array_equal(a.W, b.W)


def test_the_gram_memo_tells_training_sets_apart(monkeypatch):
    """K = X @ X.T is reused per process by content: never for other images, never written into."""
    from core import span

    monkeypatch.setattr(span, "_grams", [])
    rng = np.random.default_rng(0)
    X1 = rng.random((50, 30), dtype=np.float32)
    K1 = span.gram(X1)
    np.testing.assert_array_equal(K1, X1 @ X1.T)
    assert span.gram(X1.copy()) is K1                 # the same images elsewhere in memory: reused
    X2 = X1.copy()
    X2[7, 3] += 1.0                                   # one pixel differs: another training set
    K2 = span.gram(X2)
    assert K2 is not K1 and not np.array_equal(K2, K1)
    np.testing.assert_array_equal(K2, X2 @ X2.T)
    assert span.gram(X1.astype(np.float64)) is not K1  # same values, another dtype
    X1[0, 0] += 1.0                                   # the caller's array changed in place: not the kept copy
    np.testing.assert_array_equal(span.gram(X1), X1 @ X1.T)
    assert len(span._grams) == span.GRAM_MEMO
    with pytest.raises(ValueError, match="read-only"):
        K2[0, 0] = 0.0


def test_a_reused_gram_matrix_gives_the_run_it_would_compute_itself(monkeypatch):
    """A search worker's second trial on a split reuses the first one's K: its record is the same bit for bit as
    with K computed for it alone, whatever BLAS threads computed the kept K."""
    from core import span

    config = dataclasses.replace(BASE, dtype="float32", weight_decay=0.01)
    split = load_split(config)
    records = []
    for threads_before in (None, 1, 2):
        monkeypatch.setattr(span, "_grams", [])
        if threads_before is not None:  # another run on the same split fills the memo first
            with threadpool_limits(threads_before):
                train(dataclasses.replace(config, seed=99), split, first_layer="span")
            assert len(span._grams) == 1
        with threadpool_limits(1):
            records.append(train(config, split, first_layer="span"))
        assert len(span._grams) == 1
    fresh, *reused = records
    for record in reused:
        for name, values in fresh.curves.items():
            if name != "elapsed_s":
                np.testing.assert_array_equal(record.curves[name], values, err_msg=name)
        np.testing.assert_array_equal(record.weight_norms, fresh.weight_norms)
