"""Trial records: how a trial ended (``TrialState``) and the immutable ``FrozenTrial`` a sampler learns from.

Shared by the samplers, the rounds, the runner and the search files, so it sits below all of them (as Optuna keeps
``FrozenTrial`` in ``trial/_frozen.py``, not in a sampler).
"""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Mapping

CHANCE_ACC = 0.1  # a diverged trial counts as chance accuracy on the 10 digit classes, never as "missing"


class TrialState(str, enum.Enum):
    """How a trial ended (the statuses of ``RunStatus``, as a search sees them)."""

    COMPLETE = "complete"
    PRUNED = "pruned"
    DIVERGED = "diverged"
    FAILED = "failed"


@dataclass(frozen=True)
class FrozenTrial:
    """A finished trial: its parameters and the value it reached (mean over its seeds).

    ``value`` is the final validation accuracy (the last one for a pruned trial, ``CHANCE_ACC`` for a diverged one,
    NaN for a failed one, which samplers ignore).
    """

    trial: int
    params: Mapping[str, float]
    value: float
    state: TrialState = TrialState.COMPLETE
    round: int = 0
    stopped_epoch: int = 0

    @property
    def usable(self) -> bool:
        return math.isfinite(self.value)
