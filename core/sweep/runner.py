"""Running a sweep: publish its files (or open the stored one), then train only the runs the store lacks.

- ``start_sweep(manager, spec)`` runs them as a background job (kind "sweep", ``meta.sweep_id``): they train in the
  manager's process pool, progress goes to the job file, and the dashboard or the command line follows it.
- ``run_sweep(spec, root)`` trains them here, one after another, for tests and notebooks.

A sweep's runs are ordinary cached runs: a config it shares with another sweep, a search or a preset is computed
once, and launching a sweep whose runs are all stored starts no job at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Optional

from ..config import RunConfig
from ..job_state import JobState
from ..jobs import list_jobs
from .spec import SweepSpec
from .storage import SweepView, load_sweep, open_or_write

if TYPE_CHECKING:
    from ..jobs import JobManager
    from ..store import ResultStore

JOB_KIND = "sweep"


@dataclass(frozen=True)
class SweepLaunch:
    """What launching a sweep did."""

    spec: SweepSpec               # as stored (with its ``created`` stamp)
    job_id: Optional[str]         # None when nothing needed training
    n_runs: int                   # runs of the sweep
    n_cached: int                 # of which already in the store
    new: bool                     # False: the same sweep was stored before and is opened again

    @property
    def sweep_id(self) -> str:
        return self.spec.sweep_id

    @property
    def n_todo(self) -> int:
        return self.n_runs - self.n_cached


def sweep_job(root: str | Path, sweep_id: str) -> Optional[JobState]:
    """The newest job that trained runs of ``sweep_id`` (its state and progress, as ``read_job``), or None."""
    return next((job for job in list_jobs(root) if job.kind == JOB_KIND and job.sweep_id == sweep_id), None)


def plan_sweep(store: "ResultStore", spec: SweepSpec) -> tuple[SweepSpec, list[RunConfig], int, bool]:
    """Open or publish the sweep; return (stored spec, configs still to train, runs already cached, new?)."""
    stored, new = open_or_write(store.root, spec)
    configs = [config for _, _, config in stored.configs()]
    cached = store.cached(c.run_id for c in configs)
    return stored, [c for c in configs if c.run_id not in cached], len(cached), new


def start_sweep(manager: "JobManager", spec: SweepSpec) -> SweepLaunch:
    """Publish (or open) the sweep and start a background job for the runs not cached; return at once.

    When a job of this sweep is still running, no second one starts: the launch follows it (``job_id``).
    """
    from ..store import ResultStore

    from ..limits import check_count, check_job

    check_count("seeds", spec.seeds)
    stored, todo, n_cached, new = plan_sweep(ResultStore(manager.root), spec)
    check_job(todo)  # before any run is queued: the runs limit and each point's model (a hidden_width sweep)
    job_id = None
    running = sweep_job(manager.root, stored.sweep_id) if todo else None
    if running is not None and running.active:
        job_id = running.id  # launched twice (two clicks, two tabs): follow the job that trains these runs
    elif todo:
        job_id = manager.submit(todo, f"sweep {stored.sweep_id}", kind=JOB_KIND,
                                meta={"sweep_id": stored.sweep_id, "n_points": stored.n_points,
                                      "n_runs": stored.n_runs, "n_sweep_cached": n_cached,
                                      "subject": {"kind": "sweep", "sweep_id": stored.sweep_id}})
    return SweepLaunch(stored, job_id, stored.n_runs, n_cached, new)


def run_sweep(spec: SweepSpec, root: str | Path, *, progress: Optional[Callable[[int, int], None]] = None,
              cancelled: Callable[[], bool] = lambda: False) -> SweepView:
    """Run a sweep here, synchronously: train each run the store at ``root`` lacks, store it; return the view.

    ``progress(n_done, n_total)`` is called after each run (cached runs count as done from the start). The runs of
    this call are merged into one batch at the end, as a job does.
    """
    from ..store import ResultStore
    from ..train import train

    store = ResultStore(root)
    stored, todo, n_cached, _ = plan_sweep(store, spec)
    batches = []
    try:
        for i, config in enumerate(todo):
            if cancelled():
                break
            batches.append(store.write([train(config)]))
            if progress is not None:
                progress(n_cached + i + 1, stored.n_runs)
    finally:
        if len(batches) > 1:
            store.merge(batches)
    return load_sweep(store.root, stored.sweep_id, store.load_runs())
