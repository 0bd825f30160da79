"""Layers: numerical gradient checks (float64), dropout behaviour, batch-norm statistics, dtype preservation."""
from __future__ import annotations

import numpy as np
import pytest

from core.layers import Affine, BatchNorm, Dropout, ReLU, Sigmoid, SoftmaxCrossEntropy, log_softmax, row_cross_entropy
from gradcheck import GRAD_TOLERANCE, check_layer_gradients, numerical_gradient, relative_error


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(1234)


def away_from_zero(x: np.ndarray) -> np.ndarray:
    """Push values at least 0.1 from 0, so a finite difference never straddles the ReLU kink."""
    return np.sign(x) * (np.abs(x) + 0.1)


# ---- numerical gradient checks --------------------------------------------------------------------------------------

def test_affine_gradients(rng):
    layer = Affine(rng.standard_normal((5, 4)), rng.standard_normal(4))
    errors = check_layer_gradients(layer, rng.standard_normal((3, 5)), rng, {"W": "dW", "b": "db"})
    assert max(errors.values()) < GRAD_TOLERANCE, errors


def test_relu_gradients(rng):
    errors = check_layer_gradients(ReLU(), away_from_zero(rng.standard_normal((4, 6))), rng)
    assert errors["x"] < GRAD_TOLERANCE, errors


def test_sigmoid_gradients(rng):
    errors = check_layer_gradients(Sigmoid(), 3 * rng.standard_normal((4, 6)), rng)
    assert errors["x"] < GRAD_TOLERANCE, errors


@pytest.mark.parametrize("mode", ["book", "inverted"])
def test_dropout_gradients_with_fixed_mask(rng, mode):
    layer = Dropout(0.4, mode, rng)
    layer.fixed_mask = rng.random((4, 6)) >= 0.4
    errors = check_layer_gradients(layer, rng.standard_normal((4, 6)), rng)
    assert errors["x"] < GRAD_TOLERANCE, errors


def test_batchnorm_gradients_in_training_mode(rng):
    layer = BatchNorm(5, dtype=np.float64)
    layer.gamma[:] = rng.uniform(0.5, 1.5, 5)
    layer.beta[:] = rng.standard_normal(5)
    x = 2 * rng.standard_normal((6, 5)) + 1
    errors = check_layer_gradients(layer, x, rng, {"gamma": "dgamma", "beta": "dbeta"})
    assert max(errors.values()) < GRAD_TOLERANCE, errors


def test_softmax_cross_entropy_gradients(rng):
    layer = SoftmaxCrossEntropy()
    scores = 3 * rng.standard_normal((5, 4))
    labels = rng.integers(0, 4, 5)
    layer.forward(scores, labels)
    analytic = layer.backward()
    numeric = numerical_gradient(lambda: layer.forward(scores, labels), scores)
    assert relative_error(analytic, numeric) < GRAD_TOLERANCE


def test_gradient_check_catches_a_wrong_backward(rng):
    """The checker itself can fail: halve ReLU's backward and it must notice."""

    class HalfReLU(ReLU):
        def backward(self, dout):
            return 0.5 * super().backward(dout)

    errors = check_layer_gradients(HalfReLU(), away_from_zero(rng.standard_normal((4, 6))), rng)
    assert errors["x"] > 0.1


# ---- forward values ---------------------------------------------------------------------------------------------------

def test_softmax_cross_entropy_value_is_stable_and_correct():
    scores = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    labels = np.array([0, 2])
    expected_row2 = -np.log(np.exp(3.0) / np.exp([1.0, 2.0, 3.0]).sum())
    loss = SoftmaxCrossEntropy().forward(scores, labels)
    assert np.isfinite(loss)
    assert loss == pytest.approx((0.0 + expected_row2) / 2)
    assert np.allclose(np.exp(log_softmax(scores)).sum(axis=1), 1.0)


def test_sigmoid_matches_formula_and_does_not_overflow():
    x = np.array([-200.0, -3.0, 0.0, 2.0, 200.0], dtype=np.float32)
    with np.errstate(all="raise"):
        out = Sigmoid().forward(x, training=True)
    assert np.allclose(out, 1 / (1 + np.exp(-x.astype(np.float64))), atol=1e-7)


# ---- dropout ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["book", "inverted"])
def test_dropout_training_drops_with_probability_ratio_and_scales_kept_units(rng, mode):
    ratio = 0.3
    layer = Dropout(ratio, mode, rng)
    x = rng.uniform(1, 2, (200, 100))
    out = layer.forward(x, training=True)
    dropped = out == 0
    assert dropped.mean() == pytest.approx(ratio, abs=0.01)  # 20,000 draws: sd 0.0032
    scale = 1.0 if mode == "book" else 1 / (1 - ratio)
    assert np.allclose(out[~dropped], x[~dropped] * scale)
    assert np.array_equal(~dropped, layer.mask)


@pytest.mark.parametrize("mode, test_scale", [("book", 0.7), ("inverted", 1.0)])
def test_dropout_test_time_output(rng, mode, test_scale):
    x = rng.standard_normal((3, 4))
    assert np.allclose(Dropout(0.3, mode, rng).forward(x, training=False), x * test_scale)


@pytest.mark.parametrize("mode", ["book", "inverted"])
def test_dropout_expected_training_output_equals_test_output(mode):
    """Averaged over many masks, a training forward gives the test-time output (the point of the scaling)."""
    rng = np.random.default_rng(7)
    ratio, n_masks = 0.4, 40_000
    x = rng.uniform(0.5, 2.0, 8)
    layer = Dropout(ratio, mode, rng)
    train_mean = layer.forward(np.tile(x, (n_masks, 1)), training=True).mean(axis=0)
    test_out = layer.forward(x[None, :], training=False)[0]
    keep_scale = 1.0 if mode == "book" else 1 / (1 - ratio)
    standard_error = x * keep_scale * np.sqrt(ratio * (1 - ratio) / n_masks)
    assert np.all(np.abs(train_mean - test_out) < 5 * standard_error)


def test_dropout_draws_a_fresh_mask_each_forward_and_is_reproducible():
    x = np.ones((20, 30))
    first, second = Dropout(0.5, "book", np.random.default_rng(3)), Dropout(0.5, "book", np.random.default_rng(3))
    mask_a = first.forward(x, training=True) != 0
    mask_b = first.forward(x, training=True) != 0
    assert not np.array_equal(mask_a, mask_b)
    assert np.array_equal(second.forward(x, training=True) != 0, mask_a)  # same seed, same first mask


@pytest.mark.parametrize("mode", ["book", "inverted"])
def test_dropout_backward_is_zero_where_dropped(rng, mode):
    layer = Dropout(0.5, mode, rng)
    layer.forward(rng.standard_normal((10, 10)), training=True)
    dout = rng.uniform(1, 2, (10, 10))
    dx = layer.backward(dout)
    assert np.all(dx[~layer.mask] == 0)
    scale = 1.0 if mode == "book" else 2.0
    assert np.allclose(dx[layer.mask], dout[layer.mask] * scale)


def test_dropout_fixed_mask_is_used(rng):
    layer = Dropout(0.5, "book", rng)
    layer.fixed_mask = np.eye(3, dtype=bool)
    x = rng.uniform(1, 2, (3, 3))
    assert np.array_equal(layer.forward(x, training=True), x * np.eye(3))
    layer.fixed_mask = np.ones((2, 2), dtype=bool)
    with pytest.raises(ValueError, match="fixed_mask"):
        layer.forward(x, training=True)


def test_dropout_ratio_zero_is_identity(rng):
    x = rng.standard_normal((3, 4))
    layer = Dropout(0.0, "inverted", rng)
    assert np.array_equal(layer.forward(x, training=True), x)
    assert np.array_equal(layer.backward(x), x)


@pytest.mark.parametrize("ratio, mode", [(1.0, "book"), (-0.1, "book"), (0.5, "bogus")])
def test_dropout_rejects_invalid_parameters(rng, ratio, mode):
    with pytest.raises(ValueError, match="'ratio'|'mode'"):
        Dropout(ratio, mode, rng)


# ---- batch norm ---------------------------------------------------------------------------------------------------------

def test_batchnorm_training_normalises_and_moves_running_statistics(rng):
    layer = BatchNorm(3, momentum=0.9, dtype=np.float64)
    x = rng.standard_normal((50, 3)) * [1.0, 2.0, 3.0] + [5.0, -1.0, 0.0]
    out = layer.forward(x, training=True)
    assert np.allclose(out.mean(axis=0), 0, atol=1e-12)
    assert np.allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + layer.eps))
    assert np.allclose(layer.running_mean, 0.1 * x.mean(axis=0))
    assert np.allclose(layer.running_var, 0.9 * 1.0 + 0.1 * x.var(axis=0))
    x2 = rng.standard_normal((50, 3)) + 2.0
    layer.forward(x2, training=True)
    assert np.allclose(layer.running_mean, 0.9 * 0.1 * x.mean(axis=0) + 0.1 * x2.mean(axis=0))
    assert np.allclose(layer.running_var, 0.9 * (0.9 + 0.1 * x.var(axis=0)) + 0.1 * x2.var(axis=0))


def test_batchnorm_inference_uses_running_statistics(rng):
    layer = BatchNorm(3, dtype=np.float64)
    layer.running_mean[:] = [1.0, 2.0, 3.0]
    layer.running_var[:] = [4.0, 1.0, 0.25]
    layer.gamma[:] = [2.0, 1.0, 1.0]
    layer.beta[:] = [0.0, 0.0, 1.0]
    x = rng.standard_normal((4, 3))
    expected = layer.gamma * (x - layer.running_mean) / np.sqrt(layer.running_var + layer.eps) + layer.beta
    before = layer.running_mean.copy()
    assert np.allclose(layer.forward(x, training=False), expected)
    assert np.array_equal(layer.running_mean, before)  # inference never moves the statistics


# ---- dtype --------------------------------------------------------------------------------------------------------------

def make_float32_layers(rng):
    dropout = Dropout(0.3, "inverted", rng)
    return [
        Affine(rng.standard_normal((6, 6)).astype(np.float32), np.zeros(6, np.float32)),
        ReLU(), Sigmoid(), dropout, Dropout(0.3, "book", rng), BatchNorm(6, dtype=np.float32),
    ]


@pytest.mark.parametrize("training", [True, False])
def test_float32_in_float32_out(rng, training):
    for layer in make_float32_layers(rng):
        x = rng.standard_normal((5, 6)).astype(np.float32)
        out = layer.forward(x, training=training)
        assert out.dtype == np.float32, type(layer).__name__
        if training:
            assert layer.backward(np.ones_like(out)).dtype == np.float32, type(layer).__name__
            for grad in ("dW", "db", "dgamma", "dbeta"):
                if hasattr(layer, grad):
                    assert getattr(layer, grad).dtype == np.float32
    loss_layer = SoftmaxCrossEntropy()
    loss_layer.forward(rng.standard_normal((5, 3)).astype(np.float32), np.array([0, 1, 2, 0, 1]))
    assert loss_layer.backward().dtype == np.float32


def test_affine_backward_writes_gradients_in_place(rng):
    layer = Affine(rng.standard_normal((3, 2)), np.zeros(2))
    dW, db = layer.dW, layer.db
    layer.forward(rng.standard_normal((4, 3)), training=True)
    layer.backward(np.ones((4, 2)))
    assert layer.dW is dW and layer.db is db
    assert np.allclose(db, 4.0)


# ---- out= and in-place use ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("training", [True, False])
def test_forward_and_backward_into_out_equal_the_allocating_calls(rng, training):
    """Writing into ``out`` (the input itself for shape-keeping layers) gives the same values as a fresh array."""
    for make in (lambda: Affine(rng.standard_normal((6, 4)), rng.standard_normal(4)), ReLU, Sigmoid,
                 lambda: Dropout(0.3, "book", np.random.default_rng(5)),
                 lambda: Dropout(0.3, "inverted", np.random.default_rng(5)), lambda: BatchNorm(6, dtype=np.float64)):
        fresh, reused = make(), make()
        if isinstance(fresh, Affine):
            reused.W, reused.b = fresh.W, fresh.b
        x = rng.standard_normal((5, 6))
        expected = fresh.forward(x, training=training)
        x_copy = x.copy()
        out = x_copy if expected.shape == x.shape else np.empty_like(expected)
        got = reused.forward(x_copy, training=training, out=out)
        assert got is out and np.array_equal(got, expected), type(fresh).__name__
        if training:
            dout = rng.standard_normal(expected.shape)
            expected_dx = fresh.backward(dout)
            dout_copy = dout.copy()
            buffer = dout_copy if expected_dx.shape == dout.shape else np.empty_like(expected_dx)
            got_dx = reused.backward(dout_copy, out=buffer)
            assert got_dx is buffer and np.array_equal(got_dx, expected_dx), type(fresh).__name__


def test_keeps_output_marks_the_layers_whose_backward_reads_their_output():
    assert ReLU.keeps_output and Sigmoid.keeps_output
    assert not (Affine.keeps_output or Dropout.keeps_output or BatchNorm.keeps_output)


def test_affine_without_input_grad_returns_none_but_fills_its_gradients(rng):
    x, dout = rng.standard_normal((4, 3)), rng.standard_normal((4, 2))
    with_grad = Affine(rng.standard_normal((3, 2)), np.zeros(2))
    without = Affine(with_grad.W, with_grad.b, input_grad=False)
    for layer in (with_grad, without):
        layer.forward(x, training=True)
    assert with_grad.backward(dout).shape == (4, 3)
    assert without.backward(dout) is None
    assert np.array_equal(without.dW, with_grad.dW) and np.array_equal(without.db, with_grad.db)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_cross_entropy_equals_minus_log_softmax_of_the_label(rng, dtype):
    scores = (30 * rng.standard_normal((50, 10))).astype(dtype)
    scores[0] = [1000.0] + [0.0] * 9  # would overflow exp without the shift
    labels = rng.integers(0, 10, 50)
    expected = -log_softmax(scores.astype(np.float64))[np.arange(50), labels]
    got = row_cross_entropy(scores, labels, scratch=np.empty_like(scores))
    assert got.dtype == dtype and np.all(np.isfinite(got))
    np.testing.assert_allclose(got, expected, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-5)
