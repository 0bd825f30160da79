"""MLP: structure, initialisation, whole-network gradient check, weight decay, evaluation, dtype, PyTorch reference."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from core.config import RunConfig
from core.layers import Affine, BatchNorm, Dropout, ReLU, Sigmoid
from core.evaluation import Evaluation
from core.network import MLP, used_columns
from gradcheck import GRAD_TOLERANCE, numerical_gradient, relative_error

N_INPUTS, N_CLASSES, N_ROWS = 5, 4, 8


def small_config(**overrides) -> RunConfig:
    base = RunConfig(hidden_sizes=(7, 6), dtype="float64", n_train=N_ROWS, batch_size=N_ROWS)
    return dataclasses.replace(base, **overrides)


def batch(seed: int = 0, n: int = N_ROWS, n_inputs: int = N_INPUTS, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_inputs)).astype(dtype), rng.integers(0, N_CLASSES, n)


def freeze_dropout_masks(net: MLP, x: np.ndarray) -> None:
    """Draw one mask per dropout layer with a training forward, then hold it fixed."""
    net.forward(x, training=True)
    for layer in net.layers:
        if isinstance(layer, Dropout):
            layer.fixed_mask = layer.mask.copy()


# ---- structure --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("overrides, expected", [
    ({}, [Affine, ReLU, Affine, ReLU, Affine]),
    ({"activation": "sigmoid"}, [Affine, Sigmoid, Affine, Sigmoid, Affine]),
    ({"batch_norm": True, "dropout": 0.2},
     [Affine, BatchNorm, ReLU, Dropout, Affine, BatchNorm, ReLU, Dropout, Affine]),
])
def test_layer_order(overrides, expected):
    net = MLP(small_config(**overrides), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    assert [type(layer) for layer in net.layers] == expected


def test_params_grads_and_decay_mask_line_up():
    net = MLP(small_config(batch_norm=True, dropout=0.2), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    shapes = [(5, 7), (7,), (7,), (7,), (7, 6), (6,), (6,), (6,), (6, 4), (4,)]
    assert [p.shape for p in net.params] == shapes
    assert [g.shape for g in net.grads] == shapes
    assert net.decay_mask == [True, False, False, False, True, False, False, False, True, False]
    assert [p is a.W for p, a in zip(net.params[::4], net.affines)] == [True] * 3


def test_grads_are_the_layers_arrays_and_are_updated_in_place():
    net = MLP(small_config(batch_norm=True), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    grads_before = list(net.grads)
    x, t = batch()
    net.loss_and_backward(x, t)
    assert all(g is g0 for g, g0 in zip(net.grads, grads_before))
    assert net.grads[0] is net.affines[0].dW and net.grads[2] is net.layers[1].dgamma
    first = [g.copy() for g in net.grads]
    net.loss_and_backward(*batch(seed=1))
    assert all(not np.array_equal(g, g0) for g, g0 in zip(net.grads, first))


# ---- initialisation ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("init, expected_std", [("he", np.sqrt(2 / 400)), ("xavier", np.sqrt(1 / 400)), ("std", 0.05)])
def test_initial_weight_scale(init, expected_std):
    config = RunConfig(hidden_sizes=(500,), init=init, init_std=0.05, batch_norm=True)
    net = MLP(config, 400, 10, np.random.default_rng(0))
    W = net.affines[0].W
    assert W.std() == pytest.approx(expected_std, rel=0.02)   # 200,000 draws: sd of the estimate 0.16 %
    assert abs(W.mean()) < 0.01 * expected_std
    last_std = {"he": np.sqrt(2 / 500), "xavier": np.sqrt(1 / 500), "std": 0.05}[init]  # the book scales the output layer too
    assert net.affines[1].W.std() == pytest.approx(last_std, rel=0.05)
    assert all(not a.b.any() for a in net.affines)
    assert np.all(net.layers[1].gamma == 1) and not net.layers[1].beta.any()


def test_same_seed_same_network_different_seed_different_network():
    config = small_config(dropout=0.3)
    x, t = batch()
    a, b, c = (MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(seed)) for seed in (5, 5, 6))
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    assert a.loss_and_backward(x, t) == b.loss_and_backward(x, t)  # same dropout masks too
    assert not np.array_equal(a.params[0], c.params[0])


# ---- gradients --------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation, dropout_mode", [("relu", "book"), ("relu", "inverted"), ("sigmoid", "book")])
def test_whole_network_gradient_check(activation, dropout_mode):
    config = small_config(activation=activation, batch_norm=True, dropout=0.3, dropout_mode=dropout_mode,
                          weight_decay=0.1, weight_decay_mode="l2")
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    x, t = batch()
    freeze_dropout_masks(net, x)
    assert any(not layer.fixed_mask.all() for layer in net.layers if isinstance(layer, Dropout))  # something is dropped
    net.loss_and_backward(x, t)
    analytic = [g.copy() for g in net.grads]
    biases_before_batch_norm = [a.b for a in net.affines[:-1]]
    for param, grad in zip(net.params, analytic):
        numeric = numerical_gradient(lambda: net.loss_and_backward(x, t), param)
        if any(param is b for b in biases_before_batch_norm):
            # Batch norm subtracts the batch mean, so these biases have no effect: both gradients are rounding noise.
            assert np.abs(grad).max() < 1e-12 and np.abs(numeric).max() < 1e-8
        else:
            assert relative_error(grad, numeric) < GRAD_TOLERANCE, param.shape


def test_l2_mode_adds_penalty_to_loss_and_lambda_w_to_gradient():
    x, t = batch()
    plain = MLP(small_config(), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    l2 = MLP(small_config(weight_decay=0.1), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    data_loss = plain.loss_and_backward(x, t)
    penalty = 0.5 * 0.1 * sum(np.sum(a.W ** 2) for a in plain.affines)
    assert l2.l2_penalty() == pytest.approx(penalty)
    assert l2.loss_and_backward(x, t) == pytest.approx(data_loss + penalty)
    for g_l2, g_plain, p, decay in zip(l2.grads, plain.grads, l2.params, l2.decay_mask):
        assert np.allclose(g_l2, g_plain + (0.1 * p if decay else 0.0))


def test_decoupled_mode_leaves_loss_and_gradient_alone():
    x, t = batch()
    plain = MLP(small_config(), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    decoupled = MLP(small_config(weight_decay=0.1, weight_decay_mode="decoupled"), N_INPUTS, N_CLASSES,
                    np.random.default_rng(0))
    assert decoupled.loss_and_backward(x, t) == plain.loss_and_backward(x, t)
    assert decoupled.l2_penalty() == 0.0
    assert all(np.array_equal(g, h) for g, h in zip(decoupled.grads, plain.grads))


# ---- evaluation -------------------------------------------------------------------------------------------------------

def reference_loss_and_accuracy(scores: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    scores = scores.astype(np.float64)
    log_probs = scores - np.log(np.exp(scores - scores.max(1, keepdims=True)).sum(1, keepdims=True)) - scores.max(1, keepdims=True)
    return -log_probs[np.arange(len(t)), t].mean(), (scores.argmax(1) == t).mean()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_evaluate_matches_inference_forward_and_ignores_chunking(dtype):
    config = small_config(dtype=dtype, batch_norm=True, dropout=0.5, weight_decay=0.5)
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    for seed in range(3):  # move the running statistics away from their start
        net.loss_and_backward(*batch(seed, dtype=np.dtype(dtype)))
    x, t = batch(seed=10, n=103, dtype=np.dtype(dtype))
    running_mean = net.layers[1].running_mean.copy()
    expected_loss, expected_acc = reference_loss_and_accuracy(net.forward(x, training=False), t)
    for batch_size in (7, 50, 1000):
        (loss, acc), = Evaluation(net, [(x, t)], block_rows=batch_size)()
        assert isinstance(loss, float) and isinstance(acc, float)
        assert loss == pytest.approx(expected_loss, rel=1e-5)  # no penalty in it, although weight_decay > 0
        assert acc == expected_acc
    assert np.array_equal(net.layers[1].running_mean, running_mean)


def test_inference_forward_is_deterministic_and_uses_test_time_dropout():
    net = MLP(small_config(dropout=0.5), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    x, _ = batch()
    assert np.array_equal(net.forward(x, training=False), net.forward(x, training=False))
    assert not np.array_equal(net.forward(x, training=True), net.forward(x, training=True))


def test_weight_norms():
    net = MLP(small_config(dtype="float32"), N_INPUTS, N_CLASSES, np.random.default_rng(0))
    norms = net.weight_norms()
    assert norms.dtype == np.float64 and norms.shape == (3,)
    assert np.allclose(norms, [np.linalg.norm(a.W.astype(np.float64)) for a in net.affines], rtol=1e-6)


# ---- dtype ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_network_keeps_its_dtype(dtype):
    config = small_config(dtype=dtype, batch_norm=True, dropout=0.2, weight_decay=0.1)
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    x, t = batch(dtype=np.float64)  # float64 data into a float32 network is cast, not upcast
    loss = net.loss_and_backward(x, t)
    assert isinstance(loss, float) and np.isfinite(loss)
    assert net.forward(x, training=False).dtype == dtype
    assert all(p.dtype == dtype for p in net.params)
    assert all(g.dtype == dtype for g in net.grads)
    assert all(layer.running_var.dtype == dtype for layer in net.layers if isinstance(layer, BatchNorm))


# ---- PyTorch reference ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("activation, batch_norm", [("relu", False), ("sigmoid", False), ("relu", True)])
def test_gradients_match_pytorch_autograd(activation, batch_norm):
    torch = pytest.importorskip("torch")
    config = small_config(activation=activation, batch_norm=batch_norm, dropout=0.3 if batch_norm else 0.0,
                          dropout_mode="inverted", weight_decay=0.1)
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    x, t = batch()
    freeze_dropout_masks(net, x)
    loss = net.loss_and_backward(x, t)

    params = [torch.tensor(p, requires_grad=True) for p in net.params]
    h = torch.tensor(x)
    remaining = list(params)
    masks = [torch.tensor(layer.fixed_mask) for layer in net.layers if isinstance(layer, Dropout)]
    n_hidden = len(config.hidden_sizes)
    for i in range(n_hidden + 1):
        W, b = remaining.pop(0), remaining.pop(0)
        h = h @ W + b
        if i == n_hidden:
            break
        if batch_norm:
            gamma, beta = remaining.pop(0), remaining.pop(0)
            h = torch.nn.functional.batch_norm(h, None, None, gamma, beta, training=True, eps=net.layers[1].eps)
        h = torch.relu(h) if activation == "relu" else torch.sigmoid(h)
        if masks:
            h = h * masks.pop(0) / (1 - config.dropout)
    torch_loss = torch.nn.functional.cross_entropy(h, torch.tensor(t))
    torch_loss = torch_loss + 0.5 * 0.1 * sum((p ** 2).sum() for p, decay in zip(params, net.decay_mask) if decay)
    torch_loss.backward()

    assert loss == pytest.approx(torch_loss.item(), rel=1e-12)
    for grad, param in zip(net.grads, params):
        assert np.allclose(grad, param.grad.numpy(), rtol=1e-10, atol=1e-12)


# ---- the hot path: dropped columns, reused buffers, one-pass evaluation ---------------------------------------------

def sparse_batch(seed: int = 0, n: int = N_ROWS):
    """Inputs whose columns 1 and 3 are zero in every row, as MNIST's border pixels."""
    x, t = batch(seed, n)
    x[:, [1, 3]] = 0.0
    return x, t


def test_used_columns():
    x, _ = sparse_batch()
    assert list(used_columns(x)) == [0, 2, 4]
    y = np.zeros_like(x)
    y[0, 3] = 1.0
    assert list(used_columns(x, y)) == [0, 2, 3, 4]
    assert used_columns(batch()[0]) is None


@pytest.mark.parametrize("columns", [[2, 1], [0, 5], [], [[0, 1]]])
def test_bad_input_columns_are_refused(columns):
    with pytest.raises(ValueError, match="input_columns"):
        MLP(small_config(), N_INPUTS, N_CLASSES, np.random.default_rng(0), input_columns=np.array(columns, dtype=int))


@pytest.mark.parametrize("mode", ["l2", "decoupled"])
def test_dropping_all_zero_columns_changes_nothing_but_the_layout(mode):
    config = small_config(weight_decay=0.1, weight_decay_mode=mode, batch_norm=True)
    x, t = sparse_batch()
    full = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    lean = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0), input_columns=used_columns(x))
    assert lean.affines[0].W.shape == (3, 7) and lean.idle_W.shape == (2, 7) and lean.params[-1] is lean.idle_W
    assert lean.decay_mask[-1] and lean.grads[-1] is lean.idle_dW
    np.testing.assert_array_equal(lean.affines[0].W, full.affines[0].W[[0, 2, 4]])  # the same initial weights
    np.testing.assert_array_equal(lean.idle_W, full.affines[0].W[[1, 3]])
    assert lean.loss_and_backward(x, t) == pytest.approx(full.loss_and_backward(x, t), rel=1e-13)
    np.testing.assert_allclose(lean.affines[0].dW, full.affines[0].dW[[0, 2, 4]], rtol=1e-12)
    np.testing.assert_allclose(lean.idle_dW, full.affines[0].dW[[1, 3]], rtol=1e-12)  # lambda * W in l2 mode, else 0
    for a, b in zip(lean.grads[2:-1], full.grads[2:]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(lean.weight_norms(), full.weight_norms(), rtol=1e-14)
    assert lean.l2_penalty() == pytest.approx(full.l2_penalty(), rel=1e-14)
    assert Evaluation(lean, [(x, t)])() == pytest.approx(Evaluation(full, [(x, t)])(), rel=1e-13)


def test_gradient_check_with_dropped_columns():
    config = small_config(activation="sigmoid", weight_decay=0.1, dropout=0.3)  # smooth: no ReLU kink to straddle
    x, t = sparse_batch()
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0), input_columns=used_columns(x))
    freeze_dropout_masks(net, x)
    net.loss_and_backward(x, t)
    for param, grad in zip(net.params, [g.copy() for g in net.grads]):
        numeric = numerical_gradient(lambda: net.loss_and_backward(x, t), param)
        assert relative_error(grad, numeric) < GRAD_TOLERANCE, param.shape


def test_training_buffers_are_reused_and_do_not_leak_between_steps():
    """A step through the reused arrays gives what a fresh network gives, whatever ran before it."""
    config = small_config(activation="sigmoid", dropout=0.2, batch_norm=True)
    x, t = batch(seed=3)
    warm = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    cold = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    freeze_dropout_masks(warm, x)
    freeze_dropout_masks(cold, x)
    warm.loss_and_backward(*batch(seed=4))  # fills the buffers with another batch (running statistics do not matter)
    cold_loss, warm_loss = cold.loss_and_backward(x, t), warm.loss_and_backward(x, t)
    assert warm_loss == cold_loss
    assert all(np.array_equal(a, b) for a, b in zip(warm.grads, cold.grads))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_one_pass_evaluation_equals_evaluating_each_part(dtype):
    config = small_config(dtype=dtype, batch_norm=True, dropout=0.5)
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0))
    net.loss_and_backward(*batch(seed=1))
    parts = [batch(seed=10, n=37), batch(seed=11, n=0), batch(seed=12, n=101)]
    for block_rows in (1, 16, 1000):
        results = Evaluation(net, parts, block_rows=block_rows)()
        assert len(results) == 3 and all(np.isnan(results[1]))
        for (x, t), (loss, acc) in zip(parts[::2], results[::2]):
            expected_loss, expected_acc = reference_loss_and_accuracy(net.forward(x, training=False), t)
            assert isinstance(loss, float) and isinstance(acc, float)
            assert loss == pytest.approx(expected_loss, rel=1e-6 if dtype == "float32" else 1e-12)
            assert acc == expected_acc
    assert Evaluation(net, parts).part(2).shape == (101, N_INPUTS)


def test_evaluation_matches_pytorch():
    torch = pytest.importorskip("torch")
    config = small_config(dtype="float32", hidden_sizes=(30, 20))
    x, t = sparse_batch(seed=5, n=300)
    x = x.astype(np.float32)
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(0), input_columns=used_columns(x))
    for seed in range(3):
        net.loss_and_backward(*sparse_batch(seed))
        for p, g in zip(net.params, net.grads):
            p -= 0.5 * g
    (loss, acc), = Evaluation(net, [(x, t)], block_rows=64)()
    h = torch.from_numpy(x)[:, torch.from_numpy(net.input_columns)]
    for i, affine in enumerate(net.affines):
        h = h @ torch.from_numpy(affine.W) + torch.from_numpy(affine.b)
        if i < len(net.affines) - 1:
            h = torch.relu(h)
    expected = torch.nn.functional.cross_entropy(h.double(), torch.from_numpy(t)).item()
    assert loss == pytest.approx(expected, rel=1e-6)
    assert acc == (h.argmax(1).numpy() == t).mean()


def test_initial_weights_from_the_memo_equal_fresh_draws_and_leave_the_generator_where_draws_would():
    """A repeat (the trials of a search share their seed) copies the kept draws and moves the generator past them,
    so the dropout masks drawn next are the same too; changing a copy leaves the memo alone."""
    from core.network import _INITIAL_MEMO, initial_weights
    sizes = [7, 5, 3]
    _INITIAL_MEMO.clear()
    first_rng, second_rng, fresh_rng = (np.random.default_rng(11) for _ in range(3))
    first = initial_weights(first_rng, sizes, "he", 0.01, np.dtype(np.float32))
    first[0][...] = 99.0  # a network trains its own copy
    second = initial_weights(second_rng, sizes, "he", 0.01, np.dtype(np.float32))  # from the memo
    _INITIAL_MEMO.clear()
    fresh = initial_weights(fresh_rng, sizes, "he", 0.01, np.dtype(np.float32))     # drawn again
    assert all(np.array_equal(a, b) for a, b in zip(second, fresh))
    assert np.array_equal(second_rng.random(4), fresh_rng.random(4))
    other = initial_weights(np.random.default_rng(12), sizes, "he", 0.01, np.dtype(np.float32))
    assert not np.array_equal(other[0], fresh[0])  # another seed is another draw, not the memo's


def test_used_columns_and_packed_inputs_are_kept_only_for_read_only_arrays():
    from core.evaluation import packed_inputs
    x = np.zeros((4, 6), dtype=np.float32)
    x[:, 2:5] = 1.0
    x.flags.writeable = False
    columns = used_columns(x)
    assert columns.tolist() == [2, 3, 4] and used_columns(x) is columns and not columns.flags.writeable
    writable = x.copy()
    assert used_columns(writable) is not used_columns(writable)  # may change between calls: computed each time
    net = MLP(RunConfig(hidden_sizes=(3,)), 6, 2, np.random.default_rng(0), input_columns=columns)
    head = x[:2]
    packed = packed_inputs(net, [x, head])
    assert packed.shape == (6, 3) and not packed.flags.writeable
    assert np.array_equal(packed, np.concatenate([x, head])[:, 2:5])
    assert packed_inputs(net, [x, head]) is packed
    assert packed_inputs(net, [x, x[:2]]) is not packed  # another view of the same rows is another source
    assert np.array_equal(packed_inputs(net, [writable]), writable[:, 2:5]) and packed_inputs(net, [writable]).flags.writeable
