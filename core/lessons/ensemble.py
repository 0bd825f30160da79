"""Dropout as an ensemble (section 6.4.3): one dropout network next to the averaged predictions of k networks.

Training with dropout trains a different thinned network at every step; the test-time scaling (1 - r) approximates
averaging all of them. The lesson sets beside it the explicit version: k networks without dropout, each trained from
its own seed with the same loop as every run (``core.train.train``), whose softmax probabilities are averaged.
It also averages k thinned versions of the trained dropout network (masks sampled at test time), which is what the
(1 - r) scaling stands in for.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..config import RunConfig
from ..data import Split, load_split
from ..layers import Dropout, log_softmax
from ..evaluation import EVAL_BLOCK_ROWS
from ..network import MLP
from ..record import RunRecord
from ..train import train

ProgressCallback = Callable[[int, int], None]
"""Called with (networks trained so far, networks in all) after each training run."""

BOOK_SETUP = RunConfig(n_train=300, dropout=0.0, n_epochs=200)  # the chapter's 300-image, 6x100 overfitting setup


def predict_proba(net: MLP, x: npt.NDArray[np.floating], *, masks_rng: Optional[np.random.Generator] = None
                  ) -> npt.NDArray[np.float64]:
    """(N, C) softmax probabilities of ``net`` on (N, D) inputs, in inference mode.

    With ``masks_rng``, dropout layers instead drop units as in training, with masks drawn from it: each row goes
    through a thinned network of its own. Every other layer stays in inference mode.
    """
    probs = np.empty((len(x), net.n_classes))
    for start in range(0, len(x), EVAL_BLOCK_ROWS):
        out = net.select_inputs(x[start:start + EVAL_BLOCK_ROWS])  # the columns the first layer uses
        for layer in net.layers:
            thinned = masks_rng is not None and isinstance(layer, Dropout)
            if thinned:
                layer.rng = masks_rng  # the lesson owns this trained network; its own mask stream is spent
            out = layer.forward(out, training=thinned)
        probs[start:start + EVAL_BLOCK_ROWS] = np.exp(log_softmax(out.astype(np.float64)))
    return probs


def train_network(config: RunConfig, split: Split) -> tuple[MLP, RunRecord]:
    """Train ``config`` on ``split`` with the project's training loop; return the final network and its record."""
    kept: list[MLP] = []
    record = train(config, split, on_end=kept.append)
    return kept[0], record


def _accuracy(probs: npt.NDArray[np.float64], labels: npt.NDArray[np.integer]) -> float:
    return float(np.mean(probs.argmax(axis=1) == labels))


@dataclass(frozen=True)
class EnsembleComparison:
    """The result of :func:`ensemble_vs_dropout`.

    Attributes
    ----------
    curve : one row per k = 1..K, columns k, seed (of the k-th member), member_train_acc, member_test_acc (the
        k-th network alone), ensemble_train_acc, ensemble_test_acc (mean probabilities of the first k members),
        thinned_test_acc (mean probabilities of k thinned copies of the dropout network).
    dropout_train_acc, dropout_test_acc : the dropout network with the test-time scaling.
    member_probs : (K, N_test, C) test probabilities of the members.
    dropout_probs : (N_test, C) test probabilities of the dropout network.
    y_test : (N_test,) labels.
    dropout, dropout_mode : the dropout network's setting.
    """

    curve: pd.DataFrame
    dropout_train_acc: float
    dropout_test_acc: float
    member_probs: npt.NDArray[np.float64]
    dropout_probs: npt.NDArray[np.float64]
    y_test: npt.NDArray[np.int64]
    dropout: float
    dropout_mode: str


def ensemble_vs_dropout(base: RunConfig = BOOK_SETUP, *, seeds: Sequence[int] = range(5), dropout: float = 0.2,
                        masks_rng: Optional[np.random.Generator] = None, split: Optional[Split] = None,
                        on_progress: Optional[ProgressCallback] = None) -> EnsembleComparison:
    """Train K = len(seeds) networks without dropout and one with, and compare their test accuracies.

    Parameters
    ----------
    base : the shared setup (data, architecture, optimizer, epochs); its dropout and seed are replaced.
    seeds : one seed per ensemble member; the dropout network takes the first.
    dropout : the dropout network's ratio, in (0, 1).
    masks_rng : draws the thinned networks' masks; default ``np.random.default_rng(base.seed)``.
    split : the data; loaded from ``base`` when omitted.
    on_progress : ``(done, total)`` after each of the K + 1 trainings.
    """
    seeds = [int(s) for s in seeds]
    if not 1 <= len(seeds) <= 100:
        raise ValueError(f"The 'seeds' parameter must hold 1 to 100 seeds. Got {len(seeds)} instead.")
    if not 0.0 < dropout < 1.0:
        raise ValueError(f"The 'dropout' parameter must be a float in the range (0, 1). Got {dropout!r} instead.")
    members_config = dataclasses.replace(base, dropout=0.0)  # validates each seed below
    dropout_config = dataclasses.replace(base, dropout=dropout, seed=seeds[0])
    if split is None:
        split = load_split(base)
    masks_rng = np.random.default_rng(base.seed) if masks_rng is None else masks_rng
    total = len(seeds) + 1

    member_probs, member_train_probs = [], []
    for i, seed in enumerate(seeds):
        net, _ = train_network(dataclasses.replace(members_config, seed=seed), split)
        member_probs.append(predict_proba(net, split.x_test))
        member_train_probs.append(predict_proba(net, split.x_train))
        if on_progress is not None:
            on_progress(i + 1, total)
    dropout_net, _ = train_network(dropout_config, split)
    dropout_probs = predict_proba(dropout_net, split.x_test)
    dropout_train_acc = _accuracy(predict_proba(dropout_net, split.x_train), split.y_train)
    if on_progress is not None:
        on_progress(total, total)

    probs = np.stack(member_probs)                                      # (K, N, C)
    train_probs = np.stack(member_train_probs)                          # (K, N_train, C)
    k = np.arange(1, len(seeds) + 1)
    ensemble_test = np.cumsum(probs, axis=0) / k[:, None, None]         # (K, N, C): mean of the first k
    ensemble_train = np.cumsum(train_probs, axis=0) / k[:, None, None]
    thinned = np.cumsum([predict_proba(dropout_net, split.x_test, masks_rng=masks_rng) for _ in seeds], axis=0)
    y_test, y_train = split.y_test, split.y_train
    curve = pd.DataFrame({
        "k": k,
        "seed": seeds,
        "member_train_acc": [_accuracy(p, y_train) for p in train_probs],
        "member_test_acc": [_accuracy(p, y_test) for p in probs],
        "ensemble_train_acc": [_accuracy(p, y_train) for p in ensemble_train],
        "ensemble_test_acc": [_accuracy(p, y_test) for p in ensemble_test],
        "thinned_test_acc": [_accuracy(p, y_test) for p in thinned],  # argmax of a sum = argmax of the mean
    })
    return EnsembleComparison(curve, dropout_train_acc, _accuracy(dropout_probs, y_test), probs, dropout_probs,
                              np.asarray(y_test), dropout, dropout_config.dropout_mode)
