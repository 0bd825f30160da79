"""RunOutcome: what a job worker hands back about one run, so a driver never re-reads the store to learn it."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from .record import RunRecord

NAN = float("nan")


@dataclass(frozen=True)
class RunOutcome:
    """One run as it ended: its status, where it was stored and its final metrics (NaN where none were measured).

    ``status`` is a ``RunStatus`` value ("complete", "diverged", "pruned", "failed") or "cancelled" (nothing
    stored, ``batch_id`` empty). ``cached`` marks a run found in the store instead of trained.
    """

    run_id: str
    status: str
    batch_id: str = ""
    cached: bool = False
    stopped_epoch: int = 0            # epochs trained (where a pruned or diverged run stopped)
    final_train_acc: float = NAN
    final_val_acc: float = NAN
    best_val_acc: float = NAN
    final_val_loss: float = NAN
    best_val_loss: float = NAN
    final_test_acc: float = NAN
    duration_s: float = 0.0           # wall time of the training
    error: str = ""

    @classmethod
    def from_record(cls, record: RunRecord, *, batch_id: str = "", cached: bool = False) -> "RunOutcome":
        curves = record.curves
        return cls(record.run_id, record.status.value, batch_id, cached, record.stopped_epoch,
                   record.final("train_acc"), record.final("val_acc"), _best(curves["val_acc"], max),
                   record.final("val_loss"), _best(curves["val_loss"], min), record.final("test_acc"),
                   float(record.duration_s), record.error)

    @classmethod
    def from_row(cls, row: Mapping[str, Any], *, cached: bool = True) -> "RunOutcome":
        """From a row of ``ResultStore.load_runs()`` (a run found in the store)."""
        def number(name: str) -> float:
            value = row.get(name, NAN)
            return NAN if value is None else float(value)
        return cls(str(row["run_id"]), str(row["status"]), str(row.get("batch_id", "") or ""), cached,
                   int(row.get("stopped_epoch", 0) or 0), number("final_train_acc"), number("final_val_acc"),
                   number("best_val_acc"), number("final_val_loss"), number("best_val_loss"),
                   number("final_test_acc"), number("duration_s"), str(row.get("error", "") or ""))

    @classmethod
    def cancelled(cls, run_id: str) -> "RunOutcome":
        return cls(run_id, "cancelled")


def _best(values: Any, pick: Any) -> float:
    finite = [float(v) for v in values if math.isfinite(float(v))]
    return pick(finite) if finite else NAN
