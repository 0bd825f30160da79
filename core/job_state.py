"""JobState: a job as any process reads it from ``<results>/.jobs/`` (``list_jobs`` / ``read_job``).

The job's driver publishes its fields as JSON; ``JobState.from_dict`` reads them back, tolerating older files (a
missing field takes its default, an unknown one is kept in ``extra``), so readers use attributes, never keys.

A job says what it is twice: ``name``, a fixed English string that pages match on ("search <id>", "book
experiments"), and ``subject``, the same as data for a reader to word in its own language: ``{"kind": <one of
SUBJECT_KINDS>, <that kind's parameters>}``. A file written before ``subject`` existed has only its name.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

ACTIVE_STATES = ("running", "cancelling")
FINISHED_STATES = ("done", "failed", "cancelled", "interrupted")
SUBJECT_KINDS = {  # a job's subject kind -> the parameters it carries (strings)
    "book": (),                  # the book's headline experiments (Home)
    "preset": ("preset",),       # a preset by name (core.presets)
    "config": ("label",),        # runs of one config: its RunConfig.label(), in English
    "lesson": ("lesson",),       # the runs a lesson page lacks, by the lesson's name
    "search": ("search_id",),
    "sweep": ("sweep_id",),
    "ensemble": ("key",),        # the dropout lesson's ensemble comparison, by its setup's key
}


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _float(value: Any) -> Optional[float]:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class RunProgress:
    """One run of a job as its worker last published it (``.jobs/<job_id>/<run_id>.json``)."""

    run_id: str = ""
    label: str = ""
    state: str = ""                       # running | complete | diverged | pruned | failed | cancelled
    epoch: int = 0
    n_epochs: int = 0
    error: str = ""
    metrics: Mapping[str, Optional[float]] = field(default_factory=dict)  # the last epoch's, e.g. train_acc

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunProgress":
        known = {"run_id", "label", "state", "epoch", "n_epochs", "error"}
        return cls(str(data.get("run_id") or ""), str(data.get("label") or ""), str(data.get("state") or ""),
                   _int(data.get("epoch")), _int(data.get("n_epochs")), str(data.get("error") or ""),
                   {k: _float(v) for k, v in data.items() if k not in known})

    def metric(self, name: str) -> Optional[float]:
        return self.metrics.get(name)


@dataclass(frozen=True)
class JobState:
    """A job's published state: who, what, how far, how it ended; with its runs' progress."""

    id: str
    name: str = ""
    kind: str = "runs"                    # runs | search | ...
    state: str = "running"                # running | cancelling | done | failed | cancelled | interrupted
    created: str = ""
    updated: str = ""
    finished: str = ""
    pid: int = 0
    n_total: int = 0                      # runs asked for
    n_done: int = 0                       # runs finished (cached ones included)
    n_cached: int = 0
    n_failed: int = 0
    error: str = ""
    traceback: str = ""
    run_ids: tuple[str, ...] = ()
    search_id: str = ""                   # a search job's fields
    strategy: str = ""
    n_trials: int = 0
    n_trials_done: int = 0
    round: int = 0
    n_rounds: int = 0
    best_val_acc: Optional[float] = None
    sweep_id: str = ""                    # a sweep job's sweep
    subject: Mapping[str, str] = field(default_factory=dict)  # what the job is, as data: {"kind": ..., parameters}
    runs: tuple[RunProgress, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # fields this version does not know (kept, not read)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def running_runs(self) -> list[RunProgress]:
        return [r for r in self.runs if r.state == "running"]

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "JobState":
        fields = {f.name for f in dataclasses.fields(cls)}
        ints = ("pid", "n_total", "n_done", "n_cached", "n_failed", "n_trials", "n_trials_done", "round", "n_rounds")
        strings = ("name", "kind", "state", "created", "updated", "finished", "error", "traceback", "search_id", "sweep_id",
                   "strategy")
        values: dict[str, Any] = {"id": str(data.get("id") or "")}
        values.update({k: _int(data[k]) for k in ints if k in data})
        values.update({k: str(data[k] or "") for k in strings if k in data})
        if "best_val_acc" in data:
            values["best_val_acc"] = _float(data["best_val_acc"])
        subject = data.get("subject")
        if isinstance(subject, Mapping):
            values["subject"] = {str(k): str(v) for k, v in subject.items() if isinstance(v, (str, int, float))}
        run_ids = data.get("run_ids")
        values["run_ids"] = tuple(str(r) for r in run_ids) if isinstance(run_ids, (list, tuple)) else ()
        runs = data.get("runs")
        values["runs"] = tuple(RunProgress.from_dict(r) for r in runs if isinstance(r, Mapping)) \
            if isinstance(runs, (list, tuple)) else ()
        values["extra"] = {k: v for k, v in data.items() if k not in fields}
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; ``from_dict(to_dict())`` gives the same state back."""
        d = dataclasses.asdict(self)
        extra = d.pop("extra")
        d["run_ids"] = list(self.run_ids)
        d["runs"] = [{"run_id": r.run_id, "label": r.label, "state": r.state, "epoch": r.epoch,
                      "n_epochs": r.n_epochs, "error": r.error, **dict(r.metrics)} for r in self.runs]
        return {**extra, **d}

    def with_state(self, state: str) -> "JobState":
        return dataclasses.replace(self, state=state)
