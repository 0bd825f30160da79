"""The optimised engine against a plain float64 reference: same initial weights, same batches, curves and norms.

The reference below is the book's algorithm written the obvious way (float64, every pixel column, a fresh array for
every intermediate, train and test evaluated separately), so it shares none of the engine's shortcuts: buffers,
in-place activations, skipped input gradient, dropped all-zero columns, one-pass evaluation.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.config import RunConfig
from core.data import load_split
from core.network import MLP
from core.train import epoch_batches, random_streams, train

# The weight-decay experiment's network and loop, shortened: 20 epochs = 60 updates and 21 evaluations.
CONFIG = RunConfig(n_train=300, n_test=1000, hidden_sizes=(100,) * 6, optimizer="sgd", lr=0.01, batch_size=100,
                   n_epochs=20, sampling="book", weight_decay=0.1)


def reference_run(config: RunConfig, split) -> dict[str, np.ndarray]:
    """The book's loop in float64 from the engine's initial weights and batches: curves and weight norms."""
    init_rng, batch_rng = random_streams(config)
    net = MLP(dataclasses.replace(config, dtype="float64"), split.n_features, split.n_classes, init_rng)
    weights = [a.W.copy() for a in net.affines]
    biases = [np.zeros(w.shape[1]) for w in weights]
    x_train, y_train = split.x_train.astype(np.float64), split.y_train
    x_test, y_test = split.x_test.astype(np.float64), split.y_test

    def forward(x):
        acts = [x]
        for i, (w, b) in enumerate(zip(weights, biases)):
            x = x @ w + b
            if i < len(weights) - 1:
                x = np.maximum(x, 0)
            acts.append(x)
        return acts

    def loss_and_accuracy(x, t):
        scores = forward(x)[-1]
        log_probs = scores - scores.max(1, keepdims=True)
        log_probs -= np.log(np.exp(log_probs).sum(1, keepdims=True))
        return -log_probs[np.arange(len(t)), t].mean(), np.mean(scores.argmax(1) == t)

    curves = {name: [] for name in ("train_loss", "train_acc", "test_loss", "test_acc", "norms")}
    for epoch in range(config.n_epochs + 1):
        if epoch > 0:
            for idx in epoch_batches(config, batch_rng):
                acts = forward(x_train[idx])
                scores = acts[-1]
                dout = np.exp(scores - scores.max(1, keepdims=True))
                dout /= dout.sum(1, keepdims=True)
                dout[np.arange(len(idx)), y_train[idx]] -= 1
                dout /= len(idx)
                for i in reversed(range(len(weights))):
                    dW = acts[i].T @ dout + config.weight_decay * weights[i]
                    db = dout.sum(0)
                    dout = (dout @ weights[i].T) * (acts[i] > 0)
                    weights[i] -= config.lr * dW
                    biases[i] -= config.lr * db
        for part, (x, t) in (("train", (x_train, y_train)), ("test", (x_test, y_test))):
            loss, acc = loss_and_accuracy(x, t)
            curves[f"{part}_loss"].append(loss)
            curves[f"{part}_acc"].append(acc)
        curves["norms"].append([np.linalg.norm(w) for w in weights])
    return {name: np.array(values) for name, values in curves.items()}


@pytest.fixture(scope="module")
def split():
    return load_split(CONFIG)


@pytest.fixture(scope="module")
def reference(split):
    return reference_run(CONFIG, split)


def test_the_split_has_all_zero_columns_so_the_shortcut_is_exercised(split):
    x = np.concatenate([split.x_train, split.x_test])
    assert 50 < np.count_nonzero(~x.any(axis=0)) < 200


def test_float64_engine_equals_the_reference(split, reference):
    """In float64 the shortcuts change nothing but rounding: 1e-12 leaves room only for summation order."""
    record = train(dataclasses.replace(CONFIG, dtype="float64"), split)
    for name in ("train_loss", "test_loss", "train_acc", "test_acc"):
        np.testing.assert_allclose(record.curves[name], reference[name], rtol=1e-12, atol=0, err_msg=name)
    np.testing.assert_allclose(record.weight_norms, reference["norms"], rtol=1e-12)


def test_float32_engine_stays_within_float32_rounding_of_the_reference(split, reference):
    """Measured: losses within 2e-8 and norms within 1e-7 (relative) after 60 updates; the bounds leave 10-50x."""
    record = train(CONFIG, split)
    for name in ("train_loss", "test_loss"):
        np.testing.assert_allclose(record.curves[name], reference[name], rtol=1e-6, err_msg=name)
    np.testing.assert_allclose(record.weight_norms, reference["norms"], rtol=1e-6)
    for name, n in (("train_acc", len(split.y_train)), ("test_acc", len(split.y_test))):
        # a prediction may flip only where two scores tie to float32 rounding: at most one image per evaluation
        assert np.abs(record.curves[name] - reference[name]).max() <= 1 / n, name
    assert reference["test_acc"][-1] > reference["test_acc"][0] + 0.2  # the run learns: the comparison means something
