"""Helpers of the search tests: a synthetic objective with a known optimum, a tiny real config."""
from __future__ import annotations

import numpy as np

from core.config import RunConfig
from core.search import Outcome

OPTIMUM = (-3.0, -6.0)  # log10 lr, log10 weight decay of the bump's peak
PEAK = 1.0


def bump(lr: float, weight_decay: float) -> float:
    """A smooth bump in log-lr / log-wd space: 1.0 at the optimum, 0.1 far away (chance)."""
    u, v = np.log10(lr) - OPTIMUM[0], np.log10(weight_decay) - OPTIMUM[1]
    return float(0.1 + 0.9 * np.exp(-(u ** 2 / 0.5 + v ** 2 / 2.0)))


def bump_objective(config: RunConfig, pruner) -> float:
    return bump(config.lr, config.weight_decay)


def curve_objective(config: RunConfig, pruner) -> Outcome:
    """A synthetic learning curve rising towards the bump's value; honours the pruner like ``train`` does."""
    final = bump(config.lr, config.weight_decay)
    val = final
    for epoch in range(1, config.n_epochs + 1):
        val = 0.1 + (final - 0.1) * (1 - np.exp(-epoch / 4))
        if pruner is not None and pruner(epoch, {"val_acc": val, "val_loss": -np.log(val)}):
            return Outcome("pruned", val, val, epoch)
    return Outcome("complete", val, val, config.n_epochs)


TINY = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(20, 20), n_epochs=3, batch_size=50)
