"""One training run: config (+ data) in, RunRecord out. No I/O, no printing; progress through callbacks."""
from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from typing import Callable, Mapping, Optional

import numpy as np
from threadpoolctl import threadpool_limits

from .config import RunConfig
from .data import Split, load_split
from .mechanism import Probe, mechanism_epochs
from .evaluation import Evaluation
from .network import MLP, used_columns
from .optim import build_optimizer
from .span import TAKE_MODE, span_pays
from .record import METRICS, MechanismSnapshot, RunRecord, RunStatus

EpochCallback = Callable[[int, Mapping[str, float]], None]
"""Called after each evaluation with (epoch, metrics); may raise to abort the run (e.g. a cancelled job)."""

Pruner = Callable[[int, Mapping[str, float]], bool]
"""Called after each epoch >= 1 with (epoch, metrics: each name in METRICS -> its value at that epoch); returning
True stops the run as PRUNED."""


def iterations_per_epoch(config: RunConfig) -> int:
    """Minibatch updates in one epoch: ceil(n_train / batch_size) (the book's 300/100 gives 3)."""
    return math.ceil(config.n_train / config.batch_size)


def random_streams(config: RunConfig) -> tuple[np.random.Generator, np.random.Generator]:
    """The run's two independent generators: (initial weights and dropout masks, batch order).

    Independent, so that changing e.g. dropout changes neither the initial weights nor the batch order.
    """
    init_seq, batch_seq = np.random.SeedSequence(config.seed).spawn(2)
    return np.random.default_rng(init_seq), np.random.default_rng(batch_seq)


def epoch_batches(config: RunConfig, rng: np.random.Generator):
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
    first_layer: str = "auto",
    lanes: int = 1,
    snapshots: bool = True,
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
    first_layer : {"auto", "dense", "span"}
        How the first layer's weights are kept: "dense" as a (D, H) array; "span" as a combination of the training
        images (``core/span.py``; plain SGD only); "auto" (default) takes the span when ``span_pays`` says it needs
        clearly less arithmetic, which holds when there are fewer training images than used pixels (the chapter's
        300). Both give the same run up to rounding.
    lanes : int
        Evaluate in this many threads over contiguous rows, each running BLAS at one thread; the run holds BLAS to
        one thread meanwhile (``threadpoolctl``), so its small training products skip BLAS's thread hand-offs too.
        For a run that has the machine to itself; 1 (default) leaves BLAS's threads as the caller set them. The
        record is the same bit for bit (the rows are cut into the same blocks).
    snapshots : bool
        Take the mechanism snapshots (``core/mechanism.py``: weight and activation histograms at a few epochs);
        False for a run whose readers never look at them (a search trial), whose record then holds none
        (``mechanism`` empty). Everything else in the record is the same either way.

    Returns
    -------
    RunRecord
        Curves hold one entry per evaluated epoch: 0 (before any update) through ``stopped_epoch``.
        A run whose loss turns NaN/inf stops with status DIVERGED instead of raising.
    """
    if lanes < 1:
        raise ValueError(f"The 'lanes' parameter must be an int in the range [1, inf). Got {lanes!r} instead.")
    if lanes == 1:
        return _train(config, split, on_epoch, pruner, on_end, first_layer, lanes, snapshots)
    with threadpool_limits(1):
        return _train(config, split, on_epoch, pruner, on_end, first_layer, lanes, snapshots)


def _train(config: RunConfig, split: Optional[Split], on_epoch: Optional[EpochCallback], pruner: Optional[Pruner],
           on_end: Optional[Callable[[MLP], None]], first_layer: str, lanes: int, snapshots: bool) -> RunRecord:
    started = time.perf_counter()
    if split is None:
        split = load_split(config)
    parts = [(split.x_train, split.y_train), (split.x_val, split.y_val), (split.x_test, split.y_test)]
    present = [len(t) > 0 for _, t in parts]
    test_at_end = config.test_every == "end"  # a search reads the test split only at the end: score it only there
    checked = [present[0], present[1], present[2] and not test_at_end]  # the losses each evaluation must see finite

    if first_layer not in ("auto", "dense", "span"):
        raise ValueError(f"The 'first_layer' parameter must be one of 'auto', 'dense', 'span'. Got {first_layer!r} instead.")
    if first_layer == "span" and config.optimizer != "sgd":
        raise ValueError(f"The span form of the first layer needs plain SGD. Got optimizer={config.optimizer!r}.")

    init_rng, batch_rng = random_streams(config)
    net = MLP(config, split.n_features, split.n_classes, init_rng, input_columns=used_columns(*(x for x, _ in parts)))
    every_epoch = parts[:2] if test_at_end else parts
    evaluation = Evaluation(net, every_epoch, through_span=True, lanes=lanes)
    final_test = Evaluation(net, parts[2:], lanes=lanes) if test_at_end else None
    x_train, y_train = evaluation.part(0), split.y_train  # (N_train, D_used): the packed rows, in the net's dtype
    if first_layer == "span" or (first_layer == "auto" and config.optimizer == "sgd" and span_pays(
            n_train=len(x_train), n_inputs=x_train.shape[1], n_hidden=net.affines[0].W.shape[1],
            n_other=sum(len(t) for _, t in every_epoch[1:]), n_epochs=config.n_epochs,
            n_steps=iterations_per_epoch(config), batch_size=config.batch_size)):
        net.keep_first_layer_in_span(x_train)
    net.leave_decay_to_optimizer()  # the L2 gradient is added by the optimizer, in one pass over the packed weights
    optimizer = build_optimizer(config, net.params, net.decay_mask, l2_here=True)
    shrink = 1.0 - config.lr * config.weight_decay  # plain SGD's weight decay, l2 or decoupled alike
    batch_x = np.empty((config.batch_size, x_train.shape[1]), dtype=x_train.dtype)  # reused by every batch
    probe = Probe(net, config, evaluation.part(1) if present[1] else
                  (final_test.part(0) if final_test else evaluation.part(2))) if snapshots else None
    snapshot_at = set(mechanism_epochs(config.n_epochs)) if snapshots else set()

    history: dict[str, list[float]] = {name: [] for name in ("epoch", *METRICS, "elapsed_s")}
    norms: list[np.ndarray] = []
    taken: list[MechanismSnapshot] = []
    not_scored = (math.nan, math.nan)

    def record(epoch: int, scored: MLP, results: list[tuple[float, float]]) -> bool:
        """Record one evaluation of ``scored`` (the network as it was at ``epoch``); False when a loss is not finite."""
        if test_at_end:
            results.append(not_scored)
        values = (epoch, *(value for result in results for value in result), time.perf_counter() - started)
        for name, value in zip(history, values):
            history[name].append(value)
        norms.append(scored.weight_norms())
        if epoch in snapshot_at:
            taken.append(probe.snapshot(epoch, scored))
        if on_epoch is not None:
            on_epoch(epoch, {name: history[name][-1] for name in METRICS})
        return all(math.isfinite(loss) for (loss, _), used in zip(results, checked) if used)

    def train_epoch() -> bool:
        """One epoch of updates; False when a loss turned NaN/inf (the epoch stops there)."""
        for batch in epoch_batches(config, batch_rng):
            if net.span is None:
                x = x_train.take(batch, axis=0, out=batch_x[:len(batch)], mode=TAKE_MODE)
                loss = net.loss_and_backward(x, y_train[batch])
            else:
                loss = net.loss_and_backward_rows(batch, y_train[batch])
            if not math.isfinite(loss):
                return False
            optimizer.step(net.grads)
            if net.span is not None:
                net.span_step(lr=config.lr, shrink=shrink)
        return True

    # With more than one lane, epoch e is scored on a frozen copy of the network while epoch e + 1 trains (then the
    # trainer joins the lanes), and e + 1's scoring starts before e is recorded: the cores never wait for each other.
    # An epoch trained (and being scored) ahead of a stop is discarded, so the record is the one the plain order
    # gives. With one lane the order is plain: nothing to overlap.
    overlap = lanes > 1
    status, stopped = RunStatus.COMPLETE, config.n_epochs
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # divergence is detected, not warned about
        epoch, scored, epoch_finite = 0, net.frozen() if overlap else net, True
        evaluation.start(scored)
        try:
            while True:
                ahead = overlap and epoch < config.n_epochs
                if ahead:
                    next_finite = train_epoch()  # while the lanes score ``epoch``
                results = evaluation.finish()
                if ahead:  # the epoch just trained, scored while this one is recorded and the next one trains
                    evaluation.start(net.frozen())
                finite = record(epoch, scored, results) and epoch_finite
                if epoch > 0 and not finite:
                    status, stopped = RunStatus.DIVERGED, epoch
                    break
                if epoch > 0 and pruner is not None and pruner(epoch, {name: history[name][-1] for name in METRICS}):
                    status, stopped = RunStatus.PRUNED, epoch
                    break
                if epoch == config.n_epochs:
                    break
                if not overlap:
                    next_finite = train_epoch()
                    evaluation.start(net)
                epoch, scored, epoch_finite = epoch + 1, evaluation.scoring, next_finite
        finally:
            evaluation.cancel()  # the scoring of an epoch ahead of a stop (or of an error), if one is under way
        if final_test is not None and present[2]:  # the last evaluation, however the run stopped, gets its test scores
            history["test_loss"][-1], history["test_acc"][-1] = final_test(scored)[0]
        if probe is not None and taken[-1].epoch != stopped:  # stopped early: the last epoch is recorded too
            taken.append(probe.snapshot(stopped, scored))
    scored.materialize()
    if on_end is not None:
        on_end(scored)

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
        mechanism=tuple(taken),
    )
