"""Optimizers: two steps against the formulas written out by hand, validation, weight decay, PyTorch reference."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core.config import OPTIMIZERS, RunConfig
from core.network import MLP
from core.optim import OPTIMIZER_CLASSES, SGD, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSprop, build_optimizer

LR = 0.1
W0 = np.array([[1.0, -2.0], [0.5, 3.0]])
B0 = np.array([0.25, -0.75])
GRADS = [  # two steps: (dW, db)
    (np.array([[0.2, -0.4], [1.0, 0.0]]), np.array([0.5, -0.1])),
    (np.array([[-0.3, 0.1], [0.6, 2.0]]), np.array([0.2, 0.3])),
]


def run_two_steps(optimizer_class: type[Optimizer], **kwargs) -> list[np.ndarray]:
    params = [W0.copy(), B0.copy()]
    optimizer = optimizer_class(params, lr=LR, decay_mask=[True, False], **kwargs)
    for dW, db in GRADS:
        optimizer.step([dW, db])
    return params


def by_hand(update) -> list[np.ndarray]:
    """Apply ``update(p, g, state, step) -> p`` to W and b for both steps; state is a dict per parameter."""
    results = []
    for i, p in enumerate((W0.copy(), B0.copy())):
        state: dict = {}
        for step, grads in enumerate(GRADS, start=1):
            p = update(p, grads[i], state, step)
        results.append(p)
    return results


def test_sgd_two_steps():
    expected = [W0 - LR * GRADS[0][0] - LR * GRADS[1][0], B0 - LR * GRADS[0][1] - LR * GRADS[1][1]]
    assert expected[0][0, 0] == pytest.approx(1.0 - 0.02 + 0.03)  # one entry written out: 1 - 0.1*0.2 - 0.1*(-0.3)
    for got, want in zip(run_two_steps(SGD), expected):
        assert np.allclose(got, want, rtol=1e-14)


def test_momentum_two_steps():
    mu = 0.8

    def update(p, g, state, step):
        v = mu * state.get("v", 0.0) - LR * g
        state["v"] = v
        return p + v

    for got, want in zip(run_two_steps(Momentum, momentum=mu), by_hand(update)):
        assert np.allclose(got, want, rtol=1e-14)
    # step 2 by hand for W[0, 0]: v1 = -0.02, v2 = 0.8*(-0.02) + 0.03 = 0.014, p = 1 - 0.02 + 0.014
    assert run_two_steps(Momentum, momentum=mu)[0][0, 0] == pytest.approx(0.994)


def test_nesterov_two_steps_follow_the_book():
    mu = 0.8

    def update(p, g, state, step):
        v = mu * state.get("v", 0.0) - LR * g
        state["v"] = v
        return p + mu * mu * v - (1 + mu) * LR * g

    for got, want in zip(run_two_steps(Nesterov, momentum=mu), by_hand(update)):
        assert np.allclose(got, want, rtol=1e-14)


def test_adagrad_two_steps():
    def update(p, g, state, step):
        h = state.get("h", 0.0) + g * g
        state["h"] = h
        return p - LR * g / (np.sqrt(h) + 1e-7)

    for got, want in zip(run_two_steps(AdaGrad), by_hand(update)):
        assert np.allclose(got, want, rtol=1e-14)


def test_rmsprop_two_steps():
    rho = 0.9

    def update(p, g, state, step):
        h = rho * state.get("h", 0.0) + (1 - rho) * g * g
        state["h"] = h
        return p - LR * g / (np.sqrt(h) + 1e-7)

    for got, want in zip(run_two_steps(RMSprop, rho=rho), by_hand(update)):
        assert np.allclose(got, want, rtol=1e-14)


def test_adam_two_steps_in_the_books_form():
    beta1, beta2 = 0.8, 0.95

    def update(p, g, state, step):
        m = state.get("m", 0.0) + (1 - beta1) * (g - state.get("m", 0.0))
        v = state.get("v", 0.0) + (1 - beta2) * (g * g - state.get("v", 0.0))
        state.update(m=m, v=v)
        lr_t = LR * math.sqrt(1 - beta2 ** step) / (1 - beta1 ** step)
        return p - lr_t * m / (np.sqrt(v) + 1e-7)

    for got, want in zip(run_two_steps(Adam, beta1=beta1, beta2=beta2), by_hand(update)):
        assert np.allclose(got, want, rtol=1e-14)
    # Adam's first step moves every parameter with a nonzero gradient by about lr, whatever the gradient's size.
    params = [W0.copy(), B0.copy()]
    Adam(params, lr=LR, decay_mask=[True, False], beta1=beta1, beta2=beta2).step(list(GRADS[0]))
    moved = np.abs(params[0] - W0)[GRADS[0][0] != 0]
    assert np.allclose(moved, LR, rtol=1e-5)


# ---- decoupled weight decay -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer_class", [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam])
def test_decoupled_decay_shrinks_weights_but_not_biases(optimizer_class):
    params = [W0.copy(), B0.copy()]
    optimizer = optimizer_class(params, lr=LR, decay_mask=[True, False], decoupled_weight_decay=0.5)
    optimizer.step([np.zeros_like(W0), np.zeros_like(B0)])  # zero gradient: only the decay acts
    assert np.allclose(params[0], W0 * (1 - LR * 0.5), rtol=1e-14)
    assert np.array_equal(params[1], B0)


def test_decoupled_decay_comes_before_the_update():
    params = [W0.copy(), B0.copy()]
    SGD(params, lr=LR, decay_mask=[True, False], decoupled_weight_decay=0.5).step(list(GRADS[0]))
    assert np.allclose(params[0], W0 - LR * 0.5 * W0 - LR * GRADS[0][0], rtol=1e-14)
    assert np.allclose(params[1], B0 - LR * GRADS[0][1], rtol=1e-14)


# ---- validation -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer_class, kwargs, message", [
    (Momentum, {"momentum": 1.5}, "The 'momentum' parameter must be a float in the range [0, 1). Got 1.5 instead."),
    (Nesterov, {"momentum": -0.1}, "The 'momentum' parameter must be a float in the range [0, 1). Got -0.1 instead."),
    (SGD, {"lr": 0.0}, "The 'lr' parameter must be a float in the range (0, inf). Got 0.0 instead."),
    (SGD, {"lr": -1}, "The 'lr' parameter must be a float in the range (0, inf). Got -1 instead."),
    (SGD, {"lr": math.nan}, "The 'lr' parameter must be a float in the range (0, inf). Got nan instead."),
    (SGD, {"lr": "0.1"}, "The 'lr' parameter must be a float in the range (0, inf). Got '0.1' instead."),
    (SGD, {"lr": True}, "The 'lr' parameter must be a float in the range (0, inf). Got True instead."),
    (SGD, {"decoupled_weight_decay": -0.5},
     "The 'decoupled_weight_decay' parameter must be a float in the range [0, inf). Got -0.5 instead."),
    (RMSprop, {"rho": 1.0}, "The 'rho' parameter must be a float in the range [0, 1). Got 1.0 instead."),
    (AdaGrad, {"eps": 0.0}, "The 'eps' parameter must be a float in the range (0, inf). Got 0.0 instead."),
    (Adam, {"beta1": 1.0}, "The 'beta1' parameter must be a float in the range [0, 1). Got 1.0 instead."),
    (Adam, {"beta2": 2}, "The 'beta2' parameter must be a float in the range [0, 1). Got 2 instead."),
])
def test_invalid_parameters_raise_with_a_message(optimizer_class, kwargs, message):
    arguments = {"lr": LR, **kwargs}
    with pytest.raises(ValueError) as error:
        optimizer_class([W0.copy()], decay_mask=[True], **arguments)
    assert str(error.value) == message


def test_decay_mask_and_gradients_must_match_params():
    with pytest.raises(ValueError, match="decay_mask"):
        SGD([W0.copy(), B0.copy()], lr=LR, decay_mask=[True])
    optimizer = SGD([W0.copy(), B0.copy()], lr=LR, decay_mask=[True, False])
    with pytest.raises(ValueError, match="gradients"):
        optimizer.step([W0])


# ---- build_optimizer --------------------------------------------------------------------------------------------------

def test_registry_covers_every_config_optimizer():
    assert set(OPTIMIZER_CLASSES) == set(OPTIMIZERS)


@pytest.mark.parametrize("name, expected_class, expected_settings", [
    ("sgd", SGD, {}),
    ("momentum", Momentum, {"momentum": 0.7}),
    ("nesterov", Nesterov, {"momentum": 0.7}),
    ("adagrad", AdaGrad, {}),
    ("rmsprop", RMSprop, {"rho": 0.8}),
    ("adam", Adam, {"beta1": 0.6, "beta2": 0.9}),
])
@pytest.mark.parametrize("mode", ["l2", "decoupled"])
def test_build_optimizer_takes_settings_from_config(name, expected_class, expected_settings, mode):
    config = RunConfig(optimizer=name, lr=0.3, momentum=0.7, rho=0.8, beta1=0.6, beta2=0.9,
                       weight_decay=0.2, weight_decay_mode=mode)
    params = [W0.copy(), B0.copy()]
    optimizer = build_optimizer(config, params, [True, False])
    assert type(optimizer) is expected_class
    assert optimizer.params[0] is params[0]
    settings = optimizer.hyperparameters
    assert settings["lr"] == 0.3
    assert settings["decoupled_weight_decay"] == (0.2 if mode == "decoupled" else 0.0)
    assert {key: settings[key] for key in expected_settings} == expected_settings


# ---- in place, float32, training --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", OPTIMIZERS)
def test_steps_update_in_place_and_keep_float32(name):
    rng = np.random.default_rng(0)
    params = [rng.standard_normal((4, 3)).astype(np.float32), np.zeros(3, np.float32)]
    originals = [p.copy() for p in params]
    optimizer = build_optimizer(RunConfig(optimizer=name, weight_decay=0.1, weight_decay_mode="decoupled"), params,
                                [True, False])
    ids = [id(p) for p in params]
    for _ in range(3):
        optimizer.step([rng.standard_normal(p.shape).astype(np.float32) for p in params])
    assert [id(p) for p in optimizer.params] == ids
    assert all(p.dtype == np.float32 for p in params)
    assert all(not np.array_equal(p, p0) for p, p0 in zip(params, originals))


@pytest.mark.parametrize("name, lr", [("sgd", 0.5), ("momentum", 0.1), ("nesterov", 0.1), ("adagrad", 0.1),
                                      ("rmsprop", 0.01), ("adam", 0.01)])
def test_each_optimizer_fits_a_small_problem(name, lr):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((40, 5))
    t = (x @ rng.standard_normal((5, 3))).argmax(axis=1)  # linearly separable labels
    config = RunConfig(hidden_sizes=(16,), optimizer=name, lr=lr, dtype="float64", n_train=40, batch_size=40)
    net = MLP(config, 5, 3, rng)
    optimizer = build_optimizer(config, net.params, net.decay_mask)
    first = net.loss_and_backward(x, t)
    for _ in range(200):
        optimizer.step(net.grads)
        last = net.loss_and_backward(x, t)
    assert last < 0.25 * first


# ---- PyTorch reference ------------------------------------------------------------------------------------------------

def torch_reference_cases():
    """(our optimizer and settings, torch optimizer and settings) pairs whose formulations agree exactly."""
    return [
        pytest.param(SGD, {}, "SGD", {}, id="sgd"),
        pytest.param(SGD, {"decoupled_weight_decay": 0.3}, "SGD", {"weight_decay": 0.3}, id="sgd-decay"),
        # book: v = mu v - lr g; torch: buf = mu buf + g, p -= lr buf. Equal for a constant lr (v = -lr buf).
        pytest.param(Momentum, {"momentum": 0.9}, "SGD", {"momentum": 0.9}, id="momentum"),
        pytest.param(AdaGrad, {}, "Adagrad", {"eps": 1e-7}, id="adagrad"),
        pytest.param(RMSprop, {"rho": 0.9}, "RMSprop", {"alpha": 0.9, "eps": 1e-7}, id="rmsprop"),
        # The book's Adam and torch's place eps differently; with a negligible eps they agree.
        pytest.param(Adam, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-14}, "Adam",
                     {"betas": (0.8, 0.99), "eps": 1e-14}, id="adam"),
        pytest.param(Adam, {"beta1": 0.8, "beta2": 0.99, "eps": 1e-14, "decoupled_weight_decay": 0.3}, "AdamW",
                     {"betas": (0.8, 0.99), "eps": 1e-14, "weight_decay": 0.3}, id="adamw"),
    ]


@pytest.mark.parametrize("ours, our_settings, theirs, their_settings", torch_reference_cases())
def test_steps_match_torch_optim(ours, our_settings, theirs, their_settings):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    W, b = rng.standard_normal((4, 3)), rng.standard_normal(3)
    params = [W.copy(), b.copy()]
    optimizer = ours(params, lr=LR, decay_mask=[True, False], **our_settings)
    torch_W = torch.tensor(W, requires_grad=True)
    torch_b = torch.tensor(b, requires_grad=True)
    their_settings = dict(their_settings)  # the parametrize dict is shared between runs
    weight_decay = their_settings.pop("weight_decay", 0.0)
    torch_optimizer = getattr(torch.optim, theirs)(
        [{"params": [torch_W], "weight_decay": weight_decay}, {"params": [torch_b], "weight_decay": 0.0}],
        lr=LR, **their_settings)
    for _ in range(5):
        grads = [rng.standard_normal(W.shape), rng.standard_normal(b.shape)]
        optimizer.step(grads)
        torch_W.grad, torch_b.grad = torch.tensor(grads[0]), torch.tensor(grads[1])
        torch_optimizer.step()
    assert np.allclose(params[0], torch_W.detach().numpy(), rtol=1e-10, atol=1e-12)
    assert np.allclose(params[1], torch_b.detach().numpy(), rtol=1e-10, atol=1e-12)


def test_books_nesterov_differs_from_torchs():
    """Documents a known difference (see Nesterov's docstring), so nobody 'fixes' one to match the other silently."""
    torch = pytest.importorskip("torch")
    params = [W0.copy(), B0.copy()]
    optimizer = Nesterov(params, lr=LR, decay_mask=[True, False], momentum=0.9)
    torch_W = torch.tensor(W0, requires_grad=True)
    torch_optimizer = torch.optim.SGD([torch_W], lr=LR, momentum=0.9, nesterov=True)
    for dW, db in GRADS:
        optimizer.step([dW, db])
        torch_W.grad = torch.tensor(dW)
        torch_optimizer.step()
    assert not np.allclose(params[0], torch_W.detach().numpy())


def _packed(arrays):
    """Views of one 1-D array holding ``arrays`` back to back (as ``MLP`` keeps its parameters)."""
    store = np.concatenate([a.reshape(-1) for a in arrays])
    views, offset = [], 0
    for a in arrays:
        views.append(store[offset:offset + a.size].reshape(a.shape))
        offset += a.size
    return views


def test_contiguous_whole_finds_only_back_to_back_views():
    from core.optim import contiguous_whole
    parts = _packed([np.ones((2, 3)), np.zeros(3), np.full((3, 2), 2.0)])
    whole = contiguous_whole(parts)
    assert whole is not None and whole.shape == (15,) and np.shares_memory(whole, parts[0])
    assert contiguous_whole(parts[1:]).shape == (9,)           # a tail of the store qualifies
    assert contiguous_whole([parts[0], parts[2]]) is None       # a gap
    assert contiguous_whole([parts[1], parts[0]]) is None       # out of order
    assert contiguous_whole([np.ones(3), np.ones(3)]) is None   # separate arrays
    assert contiguous_whole([parts[0].T]) is None               # not C-contiguous


@pytest.mark.parametrize("name", sorted(OPTIMIZER_CLASSES))
@pytest.mark.parametrize("decoupled", [0.0, 0.1])
def test_packed_parameters_update_exactly_as_separate_ones(name, decoupled):
    """One update over the packed array is the per-parameter arithmetic, element by element: same bits."""
    cls = OPTIMIZER_CLASSES[name][0]
    rng = np.random.default_rng(3)
    shapes = [(4, 3), (3,), (3, 2), (2,)]
    start = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(3)]
    mask = [True, False, True, False]
    separate = [p.copy() for p in start]
    packed = _packed(start)
    a = cls(separate, lr=0.05, decay_mask=mask, decoupled_weight_decay=decoupled)
    b = cls(packed, lr=0.05, decay_mask=mask, decoupled_weight_decay=decoupled)
    assert len(b.slots) == 1 and len(a.slots) == 4
    packed_grads = _packed(grads[0])
    for step in grads:
        a.step(step)
        for view, g in zip(packed_grads, step):
            view[...] = g
        b.step(packed_grads)
    assert all(np.array_equal(p, q) for p, q in zip(separate, packed))
    c = cls(_packed(start), lr=0.05, decay_mask=mask, decoupled_weight_decay=decoupled)
    for step in grads:  # gradients kept elsewhere than back to back: still the same update
        c.step(step)
    assert all(np.array_equal(p, q) for p, q in zip(separate, c.params))


def test_network_parameters_are_packed_for_the_optimizer():
    net = MLP(RunConfig(hidden_sizes=(5, 4), batch_norm=True), 6, 3, np.random.default_rng(0))
    optimizer = build_optimizer(net.config, net.params, net.decay_mask)
    assert len(optimizer.slots) == 1 and optimizer.slots[0].size == sum(p.size for p in net.params)
    assert all(np.shares_memory(p, optimizer.slots[0]) for p in net.params)


@pytest.mark.parametrize("name, first_layer", [*((name, "dense") for name in sorted(OPTIMIZER_CLASSES)),
                                              ("sgd", "span")])  # the span form is plain SGD's
def test_l2_added_by_the_optimizer_is_the_networks_l2_bit_for_bit(name, first_layer):
    """``leave_decay_to_optimizer`` + ``l2_here``: the same parameters after every step as the gradients carrying
    ``lambda * W`` (idle first-layer columns included); the network's gradients are left as computed."""
    config = RunConfig(hidden_sizes=(6, 5), optimizer=name, lr=0.05, weight_decay=0.3, dtype="float32")
    rng = np.random.default_rng(1)
    x = rng.random((12, 8)).astype(np.float32)
    x[:, 0] = 0.0  # an unused input column: its weights live in idle_W
    t = rng.integers(0, 3, 12)
    nets = [MLP(config, 8, 3, np.random.default_rng(2), input_columns=np.arange(1, 8)) for _ in range(2)]
    nets[1].leave_decay_to_optimizer()
    if first_layer == "span":
        for net in nets:
            net.keep_first_layer_in_span(net.select_inputs(x))
    optimizers = [build_optimizer(config, nets[0].params, nets[0].decay_mask),
                  build_optimizer(config, nets[1].params, nets[1].decay_mask, l2_here=True)]
    assert optimizers[1].l2_weight_decay == 0.3 and optimizers[0].l2_weight_decay == 0.0
    for step in range(4):
        rows = np.arange(step, step + 6) % 12
        for net, optimizer in zip(nets, optimizers):
            if first_layer == "span":
                net.loss_and_backward_rows(rows, t[rows])
            else:
                net.loss_and_backward(x[rows], t[rows])
            before = [g.copy() for g in net.grads]
            optimizer.step(net.grads)
            assert all(np.array_equal(g, b) for g, b in zip(net.grads, before))
            if first_layer == "span":
                net.span_step(lr=config.lr, shrink=1 - config.lr * config.weight_decay)
    for net in nets:
        net.materialize()
    assert all(np.array_equal(p, q) for p, q in zip(nets[0].params, nets[1].params))
    assert np.array_equal(nets[0].affines[0].W, nets[1].affines[0].W)
    assert not np.array_equal(nets[0].affines[1].W, MLP(config, 8, 3, np.random.default_rng(2)).affines[1].W)


def test_l2_here_with_decoupled_mode_adds_nothing():
    config = RunConfig(weight_decay=0.1, weight_decay_mode="decoupled")
    net = MLP(config, 4, 3, np.random.default_rng(0))
    optimizer = build_optimizer(config, net.params, net.decay_mask, l2_here=True)
    assert optimizer.l2_weight_decay == 0.0 and optimizer.decoupled_weight_decay == 0.1
