"""RunRecord: the immutable result of one run (config + per-epoch curves + status)."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from .config import ENGINE_VERSION, RunConfig

# Per-epoch metric columns, in this order, in every record and in the curves parquet. Epoch 0 is before any update.
METRICS = ("train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc")
SPLITS = ("train", "val", "test")


class RunStatus(str, enum.Enum):
    """How a run ended. Only COMPLETE and DIVERGED runs answer a cache lookup for a full run."""

    COMPLETE = "complete"   # all n_epochs trained
    DIVERGED = "diverged"   # loss became NaN/inf; curves stop at `stopped_epoch`
    PRUNED = "pruned"       # stopped early by a search's pruner at `stopped_epoch`
    FAILED = "failed"       # an error in the run (message in `error`); kept so the UI can say what happened


@dataclass(frozen=True)
class MechanismSnapshot:
    """What the "why" views need at one epoch: per-layer weight histograms and, on a fixed probe batch, per hidden
    layer activation histograms and the fraction of active (> 0) units. Counts are int32 over ``HIST_BINS`` equal
    bins between each row's (low, high); values outside land in the end bins (see ``core/mechanism.py``).
    """

    epoch: int
    weight_counts: np.ndarray     # (n_layers, bins) int32
    weight_ranges: np.ndarray     # (n_layers, 2) float64: low, high
    act_counts: np.ndarray        # (n_hidden, bins) int32
    act_ranges: np.ndarray        # (n_hidden, 2) float64
    active_fraction: np.ndarray   # (n_hidden,) float64


@dataclass(frozen=True)
class RunRecord:
    """Everything one run produced.

    ``curves`` maps each name in ``METRICS`` plus ``"epoch"`` and ``"elapsed_s"`` to a 1-D array of length
    ``n_evals`` (= stopped_epoch + 1); ``weight_norms`` is (n_evals, n_layers): the Frobenius norm of each affine
    layer's W. Val metrics are NaN when the config has no validation split.
    """

    config: RunConfig
    status: RunStatus
    curves: Mapping[str, np.ndarray]
    weight_norms: np.ndarray          # (n_evals, n_layers)
    stopped_epoch: int                # last evaluated epoch (== n_epochs when complete)
    data_fingerprint: str
    created_at: str                   # UTC ISO-8601, when the run finished
    duration_s: float
    engine_version: str = ENGINE_VERSION
    error: str = ""
    mechanism: tuple[MechanismSnapshot, ...] = ()  # a few recorded epochs, in order; empty in older stored runs

    @property
    def run_id(self) -> str:
        return self.config.run_id

    @property
    def group_id(self) -> str:
        return self.config.group_id

    @property
    def n_evals(self) -> int:
        return len(self.curves["epoch"])

    def final(self, metric: str) -> float:
        """Value of ``metric`` at the last evaluated epoch (NaN if absent)."""
        values = self.curves[metric]
        return float(values[-1]) if len(values) else float("nan")

    def best(self, metric: str) -> float:
        """Best value over epochs: max for accuracies, min for losses (NaN-aware)."""
        values = np.asarray(self.curves[metric], dtype=float)
        if not len(values) or np.all(np.isnan(values)):
            return float("nan")
        return float(np.nanmax(values) if metric.endswith("_acc") else np.nanmin(values))
