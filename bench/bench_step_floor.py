"""The engine's training step against the leanest NumPy step for the book's search network: what any NumPy engine
could still gain on a search trial's updates.

The workload is a trial of the book's search (``BOOK_BASE``: 400 training images, 6x100 ReLU, 10 classes, batch
100, plain SGD, L2 weight decay; lr 5e-3, lambda 1e-6). Both sides start from the same initial weights and train on
the same batches, with BLAS at one thread, as a search's worker runs:

- **engine**: what ``core.train`` runs per batch: ``MLP.loss_and_backward_rows``, the optimizer's ``step``,
  ``MLP.span_step`` (the first layer kept in the span of the training images, ``core/span.py``);
- **lean**: ``LeanStep``, written for this one network and nothing else: no layer objects, every array allocated
  once, the fewest NumPy calls found, and shortcuts an engine cannot always take, each of which makes the lean step
  faster, so its time is a floor, not a target:
  - the softmax without its row-maximum shift (an engine needs it, or a fallback, for scores that overflow);
  - the loss's 1/B and the learning rate folded into one scale of the gradients;
  - L2 weight decay as one per-element shrink of the packed parameters (``p = rate * p - lr * g``);
  - the span's shrink kept as a scalar instead of two passes over its (N, H) arrays;
  - weights transposed once per step so the input gradients use the product orientation BLAS runs fastest.

Before timing, the two are run side by side for ``CHECK_STEPS`` steps and must agree (losses and the first layer's
pre-activations within float32 rounding), so both do the same arithmetic. Then alternating passes over the same
batches; prints the best pass of each in microseconds per step and the ratio lean / engine.

Run: python -m bench.bench_step_floor [--passes 7]
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import time

import numpy as np
from threadpoolctl import threadpool_limits

from bench.bench_search_book import machine
from core.data import load_split
from core.network import MLP, used_columns
from core.optim import build_optimizer
from core.search.space import BOOK_BASE
from core.train import epoch_batches, random_streams

LR, WEIGHT_DECAY = 5e-3, 1e-6  # a trial near the search's best (its best trials have lr 4e-3 to 9e-3)
CHECK_STEPS = 40
CHECK_RTOL = 1e-5  # float32 rounding over 40 steps stays near 1e-7; a learning rate 1 % off gives 6e-4


class LeanStep:
    """One SGD step of ``net``'s shape (first layer in span, ReLU hidden layers, softmax cross-entropy), from a copy of
    ``net``'s current weights; ``net`` itself is not touched."""

    def __init__(self, net: MLP, y: np.ndarray, *, lr: float, weight_decay: float):
        span, affines = net.span, net.affines[1:]
        f = net.dtype
        self.y, self.lr, self.shrink = y, lr, 1.0 - lr * weight_decay
        self.K = span.K
        self.A, self.Z, self.s = span.A.copy(), span.Z.copy(), span.c  # A, Z as the engine's, up to the scalar s
        shapes = [a.W.shape for a in affines]
        sizes = [w[0] * w[1] for w in shapes] + [self.Z.shape[1]] + [w[1] for w in shapes]
        self.params = np.empty(sum(sizes), dtype=f)
        self.grads = np.zeros_like(self.params)
        cuts = np.cumsum(sizes)[:-1]  # weights, then biases, back to back in one array each
        views, grads = np.split(self.params, cuts), np.split(self.grads, cuts)
        k = len(shapes)
        self.W = [views[i].reshape(shapes[i]) for i in range(k)]
        self.dW = [grads[i].reshape(shapes[i]) for i in range(k)]
        self.b, self.db = views[k:], grads[k:]  # b[0] is the first layer's bias
        for W, affine in zip(self.W, affines):
            W[...] = affine.W
        for bias, layer in zip(self.b, net.affines):
            bias[...] = layer.b
        self.Wt = [np.ascontiguousarray(W.T) for W in self.W]
        weights = sum(sizes[:k])
        self.rates = np.concatenate([np.full(weights, self.shrink, dtype=f), np.ones(len(self.params) - weights, f)])
        self.scratch = np.empty_like(self.params)
        self._sized = -1

    def _buffers(self, rows: int) -> None:
        f, h = self.Z.dtype, self.Z.shape[1]
        self.acts = [np.empty((rows, h), dtype=f) for _ in range(len(self.W))]  # each ReLU's output, in place
        self.scores = np.empty((rows, self.W[-1].shape[1]), dtype=f)
        self.dx = [np.empty((rows, h), dtype=f) for _ in range(2)]
        self.mask = np.empty((rows, h), dtype=f)
        self.zeros = np.zeros((rows, h), dtype=f)
        self.ones_b, self.ones_c = np.ones(rows, dtype=f), np.ones(self.scores.shape[1], dtype=f)
        self.k_rows = np.empty((rows, len(self.Z)), dtype=f)
        self.update = np.empty_like(self.Z)
        self.arange = np.arange(rows)
        self._sized = rows

    def __call__(self, rows: np.ndarray) -> float:
        """Train on the batch ``rows``; returns its mean loss before the update."""
        if len(rows) != self._sized:
            self._buffers(len(rows))
        acts, W, Wt, dW, db = self.acts, self.W, self.Wt, self.dW, self.db
        t, batch = self.y[rows], len(rows)
        a = self.Z.take(rows, axis=0, out=acts[0], mode="clip")
        if self.s != 1.0:
            a *= self.s
        a += self.b[0]
        for i in range(len(W) - 1):
            np.maximum(a, self.zeros, out=a)
            a = np.matmul(a, W[i], out=acts[i + 1])
            a += self.b[i + 1]
        np.maximum(a, self.zeros, out=a)
        scores = np.matmul(a, W[-1], out=self.scores)
        scores += self.b[-1]
        np.exp(scores, out=scores)
        sums = scores @ self.ones_c
        loss = float(np.log(sums / scores[self.arange, t]).sum()) / batch
        scores /= sums[:, None]
        scores[self.arange, t] -= 1.0          # the gradient of the summed loss: 1/B goes into the step's scale
        d, out = scores, self.dx[0]
        for i in range(len(W) - 1, -1, -1):
            np.matmul(acts[i].T, d, out=dW[i])
            np.matmul(self.ones_b, d, out=db[i + 1])
            np.matmul(d, Wt[i], out=out)
            np.greater(acts[i], 0, out=self.mask)
            out *= self.mask
            d, out = out, self.dx[i % 2]
        np.matmul(self.ones_b, d, out=db[0])
        scale = self.lr / batch
        np.multiply(self.params, self.rates, out=self.params)  # p = rate * p - lr/B * g
        np.multiply(self.grads, scale, out=self.scratch)
        np.subtract(self.params, self.scratch, out=self.params)
        for W_, Wt_ in zip(W, Wt):
            np.copyto(Wt_, W_.T)
        self.s *= self.shrink                  # the span: A and Z stay scaled by s
        d *= -scale / self.s
        self.A[rows] += d
        self.K.take(rows, axis=0, out=self.k_rows, mode="clip")
        np.add(self.Z, np.matmul(self.k_rows.T, d, out=self.update), out=self.Z)
        return loss

    def pre_activations(self) -> np.ndarray:
        """The training images' first-layer outputs without the bias (the engine's ``span.Z``)."""
        return self.s * self.Z


def build(config, split):
    """The network, its training step (rows -> the batch's loss) and the batches, as ``core.train`` builds them for
    ``config``: the step is the engine's one update."""
    init_rng, batch_rng = random_streams(config)
    net = MLP(config, split.n_features, split.n_classes, init_rng,
              input_columns=used_columns(split.x_train, split.x_val, split.x_test))
    net.keep_first_layer_in_span(net.select_inputs(split.x_train))
    net.leave_decay_to_optimizer()
    optimizer = build_optimizer(config, net.params, net.decay_mask, l2_here=True)
    batches = [b for _ in range(config.n_epochs) for b in epoch_batches(config, batch_rng)]
    y, shrink = split.y_train, 1.0 - config.lr * config.weight_decay

    def step(rows) -> float:
        loss = net.loss_and_backward_rows(rows, y[rows])
        optimizer.step(net.grads)
        net.span_step(lr=config.lr, shrink=shrink)
        return loss

    return net, step, batches


def agreement(config, split, *, steps: int = CHECK_STEPS, lean_lr: float | None = None) -> float:
    """Train ``steps`` batches of ``config`` through the engine and ``LeanStep`` side by side (the lean step at
    ``lean_lr``, default the config's); the largest relative gap of the losses and of the first layer's outputs.
    A ValueError when it is above ``CHECK_RTOL``: the two would not be doing the same arithmetic."""
    net, engine, batches = build(config, split)
    lean = LeanStep(net, split.y_train, lr=config.lr if lean_lr is None else lean_lr, weight_decay=config.weight_decay)
    gap = 0.0
    with threadpool_limits(1), np.errstate(over="raise"):
        for rows in batches[:steps]:
            ours = engine(rows)
            gap = max(gap, abs(lean(rows) - ours) / abs(ours))
    gap = max(gap, float(np.max(np.abs(lean.pre_activations() - net.span.Z)) / np.max(np.abs(net.span.Z))))
    if gap > CHECK_RTOL:
        raise ValueError(f"the lean step does other arithmetic than the engine: relative gap {gap:.2e}")
    return gap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=7, help="alternating passes of each side (default 7)")
    args = parser.parse_args()
    if args.passes < 1:
        parser.error(f"--passes must be at least 1. Got {args.passes}.")
    config = dataclasses.replace(BOOK_BASE, lr=LR, weight_decay=WEIGHT_DECAY)
    split = load_split(config)
    try:
        gap = agreement(config, split)
    except ValueError as error:
        raise SystemExit(str(error)) from None
    net, engine, batches = build(config, split)
    lean = LeanStep(net, split.y_train, lr=config.lr, weight_decay=config.weight_decay)
    times: dict[str, list[float]] = {"engine": [], "lean": []}
    with threadpool_limits(1):
        for _ in range(args.passes):
            for name, step in (("engine", engine), ("lean", lean)):
                start = time.perf_counter()
                for rows in batches:
                    step(rows)
                times[name].append((time.perf_counter() - start) / len(batches) * 1e6)
    engine_us, lean_us = min(times["engine"]), min(times["lean"])
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f}")
    print(f"the book's search trial, {len(batches)} steps per pass, best of {args.passes} alternating passes; "
          f"the two agree over {CHECK_STEPS} steps (largest relative gap {gap:.1e})")
    print(f"engine {engine_us:.0f} µs per step, lean {lean_us:.0f} µs per step: lean / engine {lean_us / engine_us:.3f}")


if __name__ == "__main__":
    main()
