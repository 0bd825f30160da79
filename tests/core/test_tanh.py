"""Tanh: numerical gradient check, dtype, the config/network wiring, and PyTorch as an independent reference."""
from __future__ import annotations

import numpy as np
import pytest

from core.config import ConfigError, RunConfig
from core.layers import Affine, Tanh
from core.network import MLP
from gradcheck import GRAD_TOLERANCE, check_layer_gradients, numerical_gradient, relative_error


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(2024)


def test_tanh_gradients(rng):
    errors = check_layer_gradients(Tanh(), 2 * rng.standard_normal((4, 6)), rng)
    assert errors["x"] < GRAD_TOLERANCE, errors


def test_tanh_forward_is_odd_bounded_and_keeps_float32(rng):
    x = (5 * rng.standard_normal((6, 7))).astype(np.float32)
    layer = Tanh()
    out = layer.forward(x, training=True)  # training keeps the output its backward needs
    assert out.dtype == np.float32
    assert layer.backward(np.ones_like(out)).dtype == np.float32
    assert np.allclose(layer.forward(-x, training=False), -out)
    assert np.all(np.abs(out) <= 1.0)
    with np.errstate(all="raise"):  # no overflow at extreme inputs
        assert np.array_equal(Tanh().forward(np.array([-1e4, 1e4]), training=True), [-1.0, 1.0])


def test_config_accepts_tanh_and_still_refuses_unknown_activations():
    assert RunConfig(activation="tanh", init="xavier").activation == "tanh"
    with pytest.raises(ConfigError, match="'activation'.*'tanh'"):
        RunConfig(activation="softsign")


def test_tanh_network_builds_tanh_layers_and_passes_a_gradient_check():
    config = RunConfig(hidden_sizes=(6, 5), activation="tanh", init="xavier", dtype="float64", n_train=8, batch_size=8)
    net = MLP(config, 4, 3, np.random.default_rng(0))
    assert [type(layer).__name__ for layer in net.layers] == ["Affine", "Tanh", "Affine", "Tanh", "Affine"]
    data_rng = np.random.default_rng(1)
    x, t = data_rng.standard_normal((8, 4)), data_rng.integers(0, 3, 8)
    net.loss_and_backward(x, t)
    analytic = [g.copy() for g in net.grads]
    for param, grad in zip(net.params, analytic):
        numeric = numerical_gradient(lambda: net.loss_and_backward(x, t), param)
        assert relative_error(grad, numeric) < GRAD_TOLERANCE


def test_tanh_matches_pytorch(rng):
    """Forward values and the gradients of a small Affine -> Tanh -> Affine chain against torch autograd."""
    torch = pytest.importorskip("torch")
    W1, W2 = rng.standard_normal((5, 4)), rng.standard_normal((4, 3))
    x, dout = 2 * rng.standard_normal((6, 5)), rng.standard_normal((6, 3))
    layers = [Affine(W1.copy(), np.zeros(4)), Tanh(), Affine(W2.copy(), np.zeros(3))]
    h = x
    for layer in layers:
        h = layer.forward(h, training=True)
    g = dout
    for layer in reversed(layers):
        g = layer.backward(g)

    tx = torch.tensor(x, requires_grad=True)
    tW1, tW2 = torch.tensor(W1, requires_grad=True), torch.tensor(W2, requires_grad=True)
    th = torch.tanh(tx @ tW1) @ tW2
    (th * torch.tensor(dout)).sum().backward()
    assert np.allclose(h, th.detach().numpy(), rtol=1e-12, atol=1e-12)
    assert np.allclose(g, tx.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert np.allclose(layers[0].dW, tW1.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert np.allclose(layers[2].dW, tW2.grad.numpy(), rtol=1e-10, atol=1e-12)
