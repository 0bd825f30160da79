"""Early stopping of bad trials: asynchronous successive halving (ASHA) on a validation metric.

Rungs sit at ``min_epochs * eta**k`` epochs (below ``n_epochs``). A trial reaching a rung records its validation
loss (or accuracy) there and goes on only if that value is among the best ``1/eta`` of every value recorded at that
rung so far (Optuna's ``SuccessiveHalvingPruner`` rule: while fewer than ``eta`` trials have reached a rung, only the
best so far goes on).

Why validation loss by default, while trials are ranked on validation accuracy: a rung comes early, when most
trials are still near chance. On the book's 100 validation images, accuracy then moves in 1 % steps and mostly
measures which digit an untrained network happens to favour; cross-entropy is continuous and falls as soon as a
trial learns anything. On the book's search (docs/benchmarks.md) ranking the rungs on accuracy pruned the eventual
best trial in 2 of 10 repeats; on loss, in 1 of 10.

Why eta = 2 by default (rungs at 5, 10 and 20 of 50 epochs, each keeping the better half), not the usual 3 (5 and 15,
the best third): the book's learning rates go up to 1e-2, where SGD starts late, and with eta = 3 the 15-epoch rung
stopped such a late starter that would have been its search's best (seed 4: 0.69 instead of 0.71). Replayed on the
stored curves of 15 full 100-trial searches (seeds 0-14), eta = 2 never loses the best trial and trains 30 % of the
trial-epochs (eta = 3: 26 %, and loses it once); docs/benchmarks.md.

The pruner runs inside worker processes, so the rungs are shared through files, one per (rung, run):
``<folder>/rung-<epoch>/<run_id>`` holding the value as text. Each is written to a dot-prefixed temporary name and
published with ``os.replace``, so no locking is needed and a reader never sees half a value.

Ordered decisions: a trial at a rung is ranked against the trials before it in its batch (``order``, the order the
search proposed them) and every earlier batch, never against those after it, and it waits until each trial before
it has reported a value at that rung or ended (``<folder>/ended/<run_id>``, which the search's driver writes as
each run's outcome arrives). So which trials stop does not depend on the number of workers or on which of them got
to the rung first: with one worker the trials before it have all ended. A pool takes trials in order, so the wait is
short (the trial before it started earlier); after ``WAIT_S`` it decides on what is there.
"""
from __future__ import annotations

import functools
import math
import os
import time
from pathlib import Path
from typing import Callable, Mapping

import numpy as np

from ..atomic import publish_text
from ..validation import check_choice, check_int


WAIT_S = 60.0  # the longest a trial waits at a rung for the trials before it in its batch, then it decides

RUNG_METRICS = {"val_loss": -1.0, "val_acc": 1.0}
"""The metrics a rung can rank on, with their sign: a rung keeps the highest ``sign * value``."""


def rung_epochs(min_epochs: int, eta: int, n_epochs: int) -> tuple[int, ...]:
    """Epochs of the rungs: r, r*eta, r*eta^2, ... while ``rung * eta <= n_epochs``.

    A rung needs eta times its epochs of room above it, as in successive halving's geometric schedule: a rung at 45
    of 50 epochs would cut two thirds of the surviving (good) trials to save a tenth of their training.
    """
    rungs, epoch = [], min_epochs
    while epoch * eta <= n_epochs:
        rungs.append(epoch)
        epoch *= eta
    return tuple(rungs)


def rung_problem(min_epochs: int, eta: int, n_epochs: int) -> str | None:
    """Why ``min_epochs`` and ``eta`` leave no rung in ``n_epochs``-epoch trials, or None when they leave one."""
    if rung_epochs(min_epochs, eta, n_epochs):
        return None
    fix = (f"Lower min_epochs to at most {n_epochs // eta} or train longer." if n_epochs // eta >= 1
           else f"Train for at least {eta} epochs.")
    return (f"Early stopping needs room for a rung: its first rung (min_epochs={min_epochs}) times eta ({eta}) must "
            f"be at most the trials' {n_epochs} epochs; {min_epochs} x {eta} = {min_epochs * eta}. {fix}")


def promotable(value: float, competing: np.ndarray, eta: int) -> bool:
    """Whether ``value`` is in the top 1/eta of ``competing`` (which includes ``value`` itself)."""
    if not math.isfinite(value):
        return False
    ranked = np.sort(competing[np.isfinite(competing)])[::-1]  # best first
    index = max(len(competing) // eta - 1, 0)                   # the last promoted place
    return bool(value >= ranked[min(index, len(ranked) - 1)])


def check_rung_metric(metric: object) -> str:
    return str(check_choice("rung_metric", metric, tuple(RUNG_METRICS)))


class RungPruner:
    """A picklable pruner ``pruner(run_id, epoch, metrics) -> bool`` whose rungs live in ``folder``.

    Parameters
    ----------
    folder : path
        Where the rung files go (one folder per search: the rungs compare the trials of that search only).
    min_epochs : int
        The first rung (default 5).
    eta : int
        Reduction factor: a rung keeps the top 1/eta (default 2: the module's docstring says why).
    n_epochs : int
        The trials' length; rungs lie strictly below it.
    metric : {"val_loss", "val_acc"}
        What a rung ranks on (default validation loss: lower is better; see the module's docstring).
    """

    def __init__(self, folder: str | os.PathLike[str], *, min_epochs: int = 5, eta: int = 2, n_epochs: int,
                 metric: str = "val_loss"):
        check_int("min_epochs", min_epochs, 1)
        check_int("eta", eta, 2)
        problem = rung_problem(min_epochs, eta, n_epochs)
        if problem:
            raise ValueError(problem)
        self.metric = check_rung_metric(metric)
        self.folder = str(folder)
        self.min_epochs = min_epochs
        self.eta = eta
        self.n_epochs = n_epochs
        self.rungs = rung_epochs(min_epochs, eta, n_epochs)
        self.order: dict[str, int] = {}  # run_id -> its place in the batch now running (the search sets it)
        self._cache: dict[int, dict[str, float]] = {}
        self._ended: set[str] = set()

    def __repr__(self) -> str:
        return f"RungPruner({self.folder!r}, rungs={self.rungs}, eta={self.eta}, metric={self.metric!r})"

    def _rung_dir(self, epoch: int) -> Path:
        return Path(self.folder) / f"rung-{epoch}"

    def record(self, run_id: str, epoch: int, value: float) -> None:
        """Publish ``value`` (the metric) of ``run_id`` at rung ``epoch`` (atomic; a second call replaces the first)."""
        publish_text(self._rung_dir(epoch) / run_id, repr(float(value)), fsync=False)

    def values(self, epoch: int) -> dict[str, float]:
        """Every value recorded at rung ``epoch``: run_id -> metric value (unreadable files are skipped).

        Values already read are cached: a run's value at a rung never changes (a config is deterministic, so a
        rerun of the same run id writes the same value), so only new names are read.
        """
        folder = self._rung_dir(epoch)
        known = self._cache.setdefault(epoch, {})
        if not folder.is_dir():
            return dict(known)
        for entry in os.scandir(folder):
            if entry.name.startswith(".") or entry.name in known:
                continue  # a write in progress, or read before
            try:
                known[entry.name] = float(Path(entry.path).read_text())
            except (OSError, ValueError):
                continue
        return dict(known)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_cache": {}, "_ended": set()}  # a worker starts with empty caches

    def __call__(self, run_id: str, epoch: int, metrics: Mapping[str, float]) -> bool:
        """True = stop this run now (it is not in the best 1/eta at this rung).

        ``metrics`` is the epoch's evaluation (``core.record.METRICS`` -> value); a missing or non-finite value
        (a diverged trial) ranks last.
        """
        if epoch not in self.rungs:
            return False
        value = metrics.get(self.metric)
        value = float(value) if value is not None and math.isfinite(value) else float("nan")
        self.record(run_id, epoch, value)
        sign = RUNG_METRICS[self.metric]
        competing = sign * np.array(list(self.ranked_against(run_id, epoch).values()), dtype=float)
        return not promotable(sign * value, competing, self.eta)

    def ranked_against(self, run_id: str, epoch: int) -> dict[str, float]:
        """The values ``run_id`` is ranked against at rung ``epoch`` (its own included): every value recorded there
        but those of the trials after it in its batch, once each trial before it has recorded one or ended."""
        place = self.order.get(run_id)
        if place is None:
            return self.values(epoch)
        before = [other for other, k in self.order.items() if k < place]
        deadline, pause = time.monotonic() + WAIT_S, 0.002
        while True:
            values = self.values(epoch)
            if all(other in values or self.has_ended(other) for other in before) or time.monotonic() > deadline:
                break
            time.sleep(pause)
            pause = min(2 * pause, 0.05)
        return {other: v for other, v in values.items() if self.order.get(other, -1) <= place}

    def ended(self, run_id: str) -> None:
        """Say that ``run_id`` trains no more (finished, stopped, failed or found in the cache): trials after it
        stop waiting for its value at rungs it did not reach."""
        publish_text(Path(self.folder) / "ended" / run_id, "", fsync=False)

    def has_ended(self, run_id: str) -> bool:
        if run_id not in self._ended and (Path(self.folder) / "ended" / run_id).exists():
            self._ended.add(run_id)
        return run_id in self._ended

    def bind(self, run_id: str) -> Callable[[int, Mapping[str, float]], bool]:
        """The ``(epoch, metrics) -> bool`` form that ``core.train.train`` takes, for one run."""
        return functools.partial(self, run_id)
