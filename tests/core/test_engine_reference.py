"""The optimised engine against a plain float64 reference: same initial weights, same batches, curves and norms.

The reference is the benchmark's book-style loop (``bench.bench_train.book_style``): the book's algorithm written
the obvious way (float64, every pixel column, a fresh array for every intermediate, train and test evaluated
separately), so it shares none of the engine's shortcuts: buffers, in-place activations, skipped input gradient,
dropped all-zero columns, one-pass evaluation.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from bench import bench_step_floor
from bench.bench_train import book_style, same_start
from core.config import RunConfig
from core.data import load_split
from core.search.space import BOOK_BASE
from core.train import train

# The weight-decay experiment's network and loop, shortened: 20 epochs = 60 updates and 21 evaluations.
CONFIG = RunConfig(n_train=300, n_test=1000, hidden_sizes=(100,) * 6, optimizer="sgd", lr=0.01, batch_size=100,
                   n_epochs=20, sampling="book", weight_decay=0.1)


@pytest.fixture(scope="module")
def split():
    return load_split(CONFIG)


@pytest.fixture(scope="module")
def reference(split):
    return book_style(CONFIG, split, *same_start(CONFIG, split))


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


def test_the_step_floor_benchmark_times_the_engines_arithmetic():
    """``bench.bench_step_floor`` times the engine against a lean step for the book's search network; the lean step
    must compute what the engine computes (else its speed means nothing), and the check must see a 1 % change."""
    config = dataclasses.replace(BOOK_BASE, lr=bench_step_floor.LR, weight_decay=bench_step_floor.WEIGHT_DECAY)
    split = load_split(config)
    assert bench_step_floor.agreement(config, split) < bench_step_floor.CHECK_RTOL
    with pytest.raises(ValueError, match="other arithmetic"):
        bench_step_floor.agreement(config, split, lean_lr=config.lr * 1.01)
