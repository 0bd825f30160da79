"""The evaluation's own mechanics: ReLU thresholds instead of biases, the cut into blocks, lanes and cancelling."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, strategies as st
from threadpoolctl import threadpool_limits

from core.config import RunConfig
from core.evaluation import Evaluation, consecutive_rows, cut_blocks, fold_relu_network
from core.network import MLP

N_INPUTS, N_CLASSES = 12, 4
BASE = RunConfig(hidden_sizes=(9, 7, 8), dtype="float64", n_train=64, batch_size=64, lr=0.3)


def data(seed: int, n: int, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, N_INPUTS)).astype(dtype), rng.integers(0, N_CLASSES, n)


def trained(config: RunConfig, steps: int = 5) -> MLP:
    """A network a few SGD steps from its start, so that every bias is away from zero."""
    net = MLP(config, N_INPUTS, N_CLASSES, np.random.default_rng(1))
    for step in range(steps):
        net.loss_and_backward(*data(100 + step, config.batch_size))
        for p, g in zip(net.params, net.grads):
            p -= config.lr * g
    assert all(np.abs(a.b).min() > 0 for a in net.affines)
    return net


def reference(net: MLP, x: np.ndarray, t: np.ndarray) -> tuple[float, float]:
    """Mean cross-entropy and accuracy from the layers' own inference forward, in float64."""
    scores = net.forward(x, training=False).astype(np.float64)
    shifted = scores - scores.max(1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
    return -log_probs[np.arange(len(t)), t].mean(), (scores.argmax(1) == t).mean()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("dropout", [{}, {"dropout": 0.4, "dropout_mode": "book"},
                                     {"dropout": 0.4, "dropout_mode": "inverted"}])
def test_relu_thresholds_score_like_the_layers(dtype, dropout):
    config = dataclasses.replace(BASE, dtype=dtype, **dropout)
    net = trained(config)
    assert fold_relu_network(net) is not None  # this network takes the threshold form
    parts = [data(2, 50), data(3, 0), data(4, 77)]
    for block_rows in (1, 16, 500):
        results = Evaluation(net, parts, block_rows=block_rows)()
        assert all(np.isnan(results[1]))
        for (x, t), (loss, acc) in zip(parts[::2], results[::2]):
            expected_loss, expected_acc = reference(net, x, t)
            assert loss == pytest.approx(expected_loss, rel=1e-12 if dtype == "float64" else 1e-5)
            assert acc == expected_acc


def test_thresholds_repeated_over_a_blocks_rows_score_the_same_bit_for_bit():
    """With two blocks or more the thresholds and the last bias are repeated over a block's rows (a faster pass);
    every block, the short last one included, must get the scores a row of thresholds gives."""
    net = trained(dataclasses.replace(BASE, dtype="float32"))
    parts = [data(2, 45, np.float32)]
    tiled, plain = Evaluation(net, parts, block_rows=16), Evaluation(net, parts, block_rows=16)
    plain._tiled = lambda folded: folded  # the rows of thresholds as fold_relu_network gives them
    for change in (0.0, 0.25):  # the repeated rows follow the network's biases from call to call
        for affine in net.affines:
            affine.b += change
        tiled(), plain()
        assert len(tiled._tiles) == len(net.affines) and all(tile.shape[0] == 16 for tile in tiled._tiles)
        assert np.array_equal(tiled.scores, plain.scores) and np.array_equal(tiled.losses, plain.losses)


@pytest.mark.parametrize("overrides", [{"batch_norm": True}, {"activation": "sigmoid"}, {"activation": "tanh"}])
def test_other_networks_keep_their_biases(overrides):
    net = trained(dataclasses.replace(BASE, **overrides), steps=1)
    assert fold_relu_network(net) is None
    x, t = data(5, 40)
    loss, acc = Evaluation(net, [(x, t)], block_rows=16)()[0]
    assert (loss, acc) == pytest.approx(reference(net, x, t), rel=1e-12)


@pytest.mark.parametrize("where", ["bias", "weights"])
def test_a_nan_in_the_network_shows_as_a_nan_loss(where):
    net = trained(BASE)
    layer = net.affines[2]
    if where == "bias":
        layer.b[3] = np.nan
    else:
        layer.W[0, 0] = np.nan
    loss, _ = Evaluation(net, [data(6, 30)])()[0]
    assert np.isnan(loss)


@given(n=st.integers(0, 5000), rows=st.integers(1, 700))
def test_blocks_cover_every_row_once_in_order(n, rows):
    blocks = cut_blocks(n, rows)
    assert [start for start, _ in blocks] == ([0, *(stop for _, stop in blocks[:-1])] if n else [])
    assert (blocks[-1][1] if blocks else 0) == n
    assert all(0 < stop - start <= rows for start, stop in blocks)
    assert all(stop - start == rows for start, stop in blocks[:-1])  # only the last may be shorter


@pytest.mark.parametrize("through_span", [False, True])
def test_lanes_give_the_same_scores_bit_for_bit(through_span):
    config = dataclasses.replace(BASE, dtype="float32", n_train=40, batch_size=40)
    net = trained(config)
    x_train, t_train = data(7, 40, np.float32)
    if through_span:
        net.keep_first_layer_in_span(x_train)
    parts = [(x_train, t_train), data(8, 300, np.float32)]
    scores = []
    with threadpool_limits(1):
        for lanes in (1, 2, 3):
            evaluation = Evaluation(net, parts, block_rows=16, through_span=through_span, lanes=lanes)
            assert len(evaluation._blocks) > 20 and evaluation._blocks[-1][1] - evaluation._blocks[-1][0] < 16  # short
            results = [evaluation() for _ in range(2)]  # the second call runs with the span's products in place
            assert results[0] == results[1]
            scores.append((results[0], evaluation.scores.copy(), evaluation.losses.copy()))
    for results, s, losses in scores[1:]:
        assert results == scores[0][0]
        np.testing.assert_array_equal(s, scores[0][1])
        np.testing.assert_array_equal(losses, scores[0][2])


def test_a_cancelled_scoring_stops_and_the_next_one_is_whole():
    net = trained(dataclasses.replace(BASE, dtype="float32"))
    parts = [data(9, 2000, np.float32)]
    with threadpool_limits(1):
        expected = Evaluation(net, parts, block_rows=8)()
        evaluation = Evaluation(net, parts, block_rows=8, lanes=2)
        evaluation.start()
        assert evaluation.scoring is net
        futures = list(evaluation._helpers)
        evaluation.cancel()
        assert evaluation.scoring is None and futures and all(future.done() for future in futures)
        evaluation.cancel()  # nothing under way: a no-op
        assert evaluation() == expected


# ---- reading a split's parts where they are --------------------------------------------------------------------------
def test_a_splits_parts_follow_each_other_in_one_array():
    from core.data import load_split

    split = load_split(RunConfig(n_train=300, n_val=50, n_test=200, dtype="float32"))
    joined = consecutive_rows([split.x_train, split.x_val, split.x_test], np.dtype(np.float32))
    assert joined is not None and not joined.flags.writeable
    assert all(np.shares_memory(joined, x) for x in (split.x_train, split.x_val, split.x_test))
    np.testing.assert_array_equal(joined, np.concatenate([split.x_train, split.x_val, split.x_test]))
    assert consecutive_rows([split.x_train, split.x_test], np.dtype(np.float32)) is None     # a gap (x_val)
    assert consecutive_rows([split.x_val, split.x_train], np.dtype(np.float32)) is None     # out of order
    assert consecutive_rows([split.x_train, split.x_val], np.dtype(np.float64)) is None     # another dtype
    assert consecutive_rows([split.x_train.copy(), split.x_val], np.dtype(np.float32)) is None  # not one array


def test_an_evaluation_reads_the_splits_rows_in_place_and_scores_as_from_a_copy():
    """With every pixel column used, the packed inputs are the split's own rows (no second copy of the images,
    190 MB for full MNIST); the scores are those of an evaluation of copies, bit for bit."""
    from core.data import load_split

    config = RunConfig(n_train=300, n_val=50, n_test=200, dtype="float32", hidden_sizes=(20, 20))
    split = load_split(config)
    parts = [(split.x_train, split.y_train), (split.x_val, split.y_val), (split.x_test, split.y_test)]
    net = MLP(config, split.n_features, split.n_classes, np.random.default_rng(0))  # every column: no selection
    in_place = Evaluation(net, parts)
    assert in_place.x.base is split.x_train.base and np.shares_memory(in_place.x, split.x_test)
    copied = Evaluation(net, [(x.copy(), t) for x, t in parts])  # writable copies: packed into an array of its own
    assert not np.shares_memory(copied.x, split.x_train)
    assert in_place() == copied()
    # a network that reads only some columns packs them (a copy), as before
    some = MLP(config, split.n_features, split.n_classes, np.random.default_rng(0), input_columns=np.arange(0, 784, 2))
    assert not np.shares_memory(Evaluation(some, parts).x, split.x_train)
