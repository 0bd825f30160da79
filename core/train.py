"""One training run: config (+ data) in, RunRecord out. No I/O, no printing; progress through callbacks."""
from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from typing import Callable, Mapping, Optional

import numpy as np

from .config import RunConfig
from .data import Split, load_split
from .network import MLP
from .optim import build_optimizer
from .record import METRICS, RunRecord, RunStatus

EpochCallback = Callable[[int, Mapping[str, float]], None]
"""Called after each evaluation with (epoch, metrics); may raise to abort the run (e.g. a cancelled job)."""

Pruner = Callable[[int, Mapping[str, float]], bool]
"""Called after each epoch >= 1 with (epoch, metrics: each name in METRICS -> its value at that epoch); returning
True stops the run as PRUNED."""


def iterations_per_epoch(config: RunConfig) -> int:
    """Minibatch updates in one epoch: ceil(n_train / batch_size) (the book's 300/100 gives 3)."""
    return math.ceil(config.n_train / config.batch_size)


def _batches(config: RunConfig, rng: np.random.Generator):
    """Index arrays for one epoch's minibatches, per the config's sampling scheme."""
    n, size = config.n_train, config.batch_size
    if config.sampling == "book":  # the book's trainer: each batch drawn with replacement, independently
        for _ in range(iterations_per_epoch(config)):
            yield rng.integers(0, n, size)
    else:  # shuffle: every image once per epoch; the last batch may be smaller
        order = rng.permutation(n)
        for start in range(0, n, size):
            yield order[start:start + size]


def train(
    config: RunConfig,
    split: Optional[Split] = None,
    *,
    on_epoch: Optional[EpochCallback] = None,
    pruner: Optional[Pruner] = None,
    on_end: Optional[Callable[[MLP], None]] = None,
) -> RunRecord:
    """Train the MLP described by ``config`` and return its record.

    Parameters
    ----------
    config : RunConfig
    split : Split, optional
        The data; loaded from ``config`` when omitted (cached per process).
    on_epoch : callable, optional
        Progress callback ``(epoch, metrics)``, called after every evaluation including epoch 0.
    pruner : callable, optional
        ``(epoch, metrics) -> bool`` (metrics as ``on_epoch`` gets them); True stops the run early with status
        PRUNED.
    on_end : callable, optional
        Called once with the network as it ended (after its last evaluation, however the run stopped), e.g. by a
        lesson that needs its predictions; the record does not keep networks.

    Returns
    -------
    RunRecord
        Curves hold one entry per evaluated epoch: 0 (before any update) through ``stopped_epoch``.
        A run whose loss turns NaN/inf stops with status DIVERGED instead of raising.
    """
    started = time.perf_counter()
    if split is None:
        split = load_split(config)
    dtype = np.dtype(config.dtype)
    x_train, x_val, x_test = (np.asarray(a, dtype=dtype) for a in (split.x_train, split.x_val, split.x_test))
    y_train, y_val, y_test = split.y_train, split.y_val, split.y_test

    # Independent streams: changing e.g. dropout must not change the initial weights or the batch order.
    init_seq, batch_seq = np.random.SeedSequence(config.seed).spawn(2)
    net = MLP(config, split.n_features, split.n_classes, np.random.default_rng(init_seq))
    batch_rng = np.random.default_rng(batch_seq)
    optimizer = build_optimizer(config, net.params, net.decay_mask)

    history: dict[str, list[float]] = {name: [] for name in ("epoch", *METRICS, "elapsed_s")}
    norms: list[np.ndarray] = []
    nan = float("nan")

    def evaluate(epoch: int) -> bool:
        """Record one evaluation; return False when a loss is not finite."""
        train_loss, train_acc = net.evaluate(x_train, y_train)
        val_loss, val_acc = net.evaluate(x_val, y_val) if len(y_val) else (nan, nan)
        test_loss, test_acc = net.evaluate(x_test, y_test) if len(y_test) else (nan, nan)
        values = (epoch, train_loss, train_acc, val_loss, val_acc, test_loss, test_acc, time.perf_counter() - started)
        for name, value in zip(history, values):
            history[name].append(value)
        norms.append(net.weight_norms())
        if on_epoch is not None:
            on_epoch(epoch, {name: history[name][-1] for name in METRICS})
        present = (train_loss, *((val_loss,) if len(y_val) else ()), *((test_loss,) if len(y_test) else ()))
        return all(math.isfinite(v) for v in present)

    status, stopped = RunStatus.COMPLETE, config.n_epochs
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is detected, not warned about
        evaluate(0)
        for epoch in range(1, config.n_epochs + 1):
            finite = True
            for batch in _batches(config, batch_rng):
                loss = net.loss_and_backward(x_train[batch], y_train[batch])
                if not math.isfinite(loss):
                    finite = False
                    break
                optimizer.step(net.grads)
            finite = evaluate(epoch) and finite
            if not finite:
                status, stopped = RunStatus.DIVERGED, epoch
                break
            if pruner is not None and pruner(epoch, {name: history[name][-1] for name in METRICS}):
                status, stopped = RunStatus.PRUNED, epoch
                break
    if on_end is not None:
        on_end(net)

    curves = {name: np.asarray(values, dtype=np.int32 if name == "epoch" else np.float64)
              for name, values in history.items()}
    return RunRecord(
        config=config,
        status=status,
        curves=curves,
        weight_norms=np.asarray(norms, dtype=np.float64),
        stopped_epoch=stopped,
        data_fingerprint=split.fingerprint,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        duration_s=time.perf_counter() - started,
    )
