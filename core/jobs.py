"""Background jobs: run configs in worker processes, write each finished run to the store, publish progress as files.

Each run is published the moment it finishes, so a crash loses nothing finished: in one batch with the runs that
finished while the driver wrote the previous batch (a group commit: short search trials would otherwise queue
behind one write each); when every run of a ``JobContext.run`` call is done, their batches are merged into one, so
the folder holds one batch per job (or per search round) rather than one per run, and lists fast.

A job is a driver (a callable taking a ``JobContext``) that runs in a thread of the process that owns the
``JobManager``; the training itself happens in a process pool shared by all jobs of that manager (the bound on
concurrent work). Progress lives beside the results, in ``<results>/.jobs/``, so every viewer reads the same state.

This module is the driver side (``JobContext``, ``JobManager``); the worker side is ``core/job_worker.py`` and the
``.jobs/`` files with their readers are ``core/job_files.py``. Their public names are re-exported here, so
``from core.jobs import read_job, run_one`` keeps working.
"""
from __future__ import annotations

import concurrent.futures as cf
import errno
import json
import logging
import os
import secrets
import threading
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

from .config import RunConfig
from .job_files import (HOST, JOBS_DIR, STALE_AFTER_S, cancel_job, describe_os_error, list_jobs, now, read_job,
                        write_json)
from .job_state import JobState
from .job_worker import (PARENT_POLL_S, PROGRESS_EVERY_S, RUN_BLAS_THREADS, JobCancelled, failed_record, init_worker,
                         limit_blas_threads, publish_run, publish_runs, run_one, start_pool, train_one,
                         write_final_progress)
from .outcome import RunOutcome
from .record import RunRecord
from .store import ResultStore, results_dir

__all__ = ["HEARTBEAT_S", "PUBLISH_EVERY_S", "HOST", "JOBS_DIR", "PARENT_POLL_S", "PROGRESS_EVERY_S", "RUN_BLAS_THREADS", "STALE_AFTER_S",
           "JobCancelled", "JobContext", "JobManager", "cancel_job", "describe_os_error", "failed_record",
           "init_worker", "limit_blas_threads", "list_jobs", "publish_run", "publish_runs", "read_job", "run_one", "train_one"]

HEARTBEAT_S = 20.0        # a waiting job's driver republishes its file this often (well under STALE_AFTER_S)
PUBLISH_EVERY_S = 0.25    # ... and rewrites it at most this often while runs finish (a progress bar polls at 0.2 s)

log = logging.getLogger(__name__)


# ---- driver side ----------------------------------------------------------------------------------------------------

@dataclass
class JobContext:
    """What a job's driver may do: run configs (in the pool), check for cancellation, record its own fields."""

    job_id: str
    root: Path
    store: ResultStore
    _manager: "JobManager"
    _state: dict = field(default_factory=dict)
    _published_at: float = 0.0   # monotonic time of the last publication of the job's file
    _unpublished: bool = False   # the state changed since

    @property
    def cancelled(self) -> bool:
        return (self.root / JOBS_DIR / f"{self.job_id}.cancel").exists()

    def update(self, **fields: Any) -> None:
        """Merge ``fields`` into the job's published state (e.g. a search's current round).

        The file is rewritten at most every ``PUBLISH_EVERY_S``; the end of ``run`` and of the job publish the rest.
        """
        self._state.update(fields)
        self._publish()

    def _publish(self, *, force: bool = False) -> None:
        """Rewrite the job's file, unless it was rewritten less than ``PUBLISH_EVERY_S`` ago (``force``: now)."""
        now = time.monotonic()
        if force or now - self._published_at >= PUBLISH_EVERY_S:
            self._manager._publish(self.job_id, self._state)
            self._published_at, self._unpublished = now, False
        else:
            self._unpublished = True

    def run(self, configs: Sequence[RunConfig], *, pruner: Any = None,
            on_result: Optional[Callable[[RunOutcome], None]] = None, snapshots: bool = True) -> dict[str, RunOutcome]:
        """Run ``configs`` in the pool, skipping those already cached; block until all are done.

        Returns ``{run_id: RunOutcome}``; a cached run's outcome has ``cached=True`` and comes from one read of the
        runs table per call. ``pruner`` must be picklable: ``pruner(run_id, epoch, metrics) -> bool``. Each run is
        stored as it finishes; at the end the batches of the runs of this call are merged into one.
        ``snapshots=False`` trains without the mechanism snapshots (``core.train.train``'s option: search trials).
        """
        unique = list({c.run_id: c for c in configs}.values())
        cached = self.store.cached(c.run_id for c in unique)
        results = self._cached_outcomes(cached)
        todo = [c for c in unique if c.run_id not in cached]
        state = self._state
        state["n_total"] = state.get("n_total", 0) + len(unique)
        state["n_cached"] = state.get("n_cached", 0) + len(cached)
        state["n_done"] = state.get("n_done", 0) + len(cached)
        self._publish(force=True)
        for outcome in results.values():
            if on_result:
                on_result(outcome)
        if self.cancelled:
            return results
        cluster = self._manager.cluster  # a Dask cluster (core/executors.py): records come back, written here
        if cluster is not None:
            cluster.check(todo)
            futures = cluster.submit_all(todo, self.job_id, pruner, snapshots=snapshots)
        else:
            # A run trained in this process has the machine: it evaluates in one lane per core (the same record).
            lanes = (os.cpu_count() or 1) if self._manager.in_process else 1
            pool = self._manager._pool()
            futures = {pool.submit(train_one, c.to_json(), str(self.root), self.job_id, pruner, lanes, snapshots): c
                       for c in todo}
        self._manager._track(self.job_id, futures)
        if self.cancelled:  # cancelled while they were being submitted: cancel() found none of them to cancel
            for future in futures:  # (it writes the flag, then cancels what is tracked; here it is the other way)
                future.cancel()
        batches: list[str] = []
        tail_merged, n_seen = False, 0
        try:
            for done in self._completed(futures):
                for outcome in self._outcomes(done, futures, cluster):
                    if outcome.batch_id and outcome.batch_id not in batches[-1:]:
                        batches.append(outcome.batch_id)
                    results[outcome.run_id] = outcome
                    state["n_done"] += 1
                    if outcome.status == "failed":
                        state["n_failed"] = state.get("n_failed", 0) + 1
                    if on_result:
                        on_result(outcome)
                self._publish()
                n_seen += len(done)
                if not tail_merged and 0 < len(futures) - n_seen < self._manager.max_workers:
                    # A worker has nothing left to do: merge what is stored so far on its core now, so the end
                    # of the call merges that batch and the last few runs instead of every run's batch.
                    tail_merged, batches = True, self._merge(batches)
        finally:
            if self._unpublished:
                self._publish(force=True)
            self._merge(batches)
            # done with: a future kept would keep its record (in this process, or on a Dask worker) as long as the
            # manager lives, which is the dashboard's life. A job's driver runs one call at a time, so what is
            # tracked for the job now is this call's.
            self._manager._untrack(self.job_id)
            if cluster is not None:
                cluster.forget(self.job_id)
        return results

    def _outcomes(self, done: list[cf.Future], futures: Mapping[cf.Future, RunConfig],
                  cluster: Any) -> list[RunOutcome]:
        """The outcomes of finished futures, in the order they were submitted; the records trained in the pool are
        stored as one batch (``publish_runs``): every run that finished while the last batch was being written."""
        outcomes: dict[cf.Future, RunOutcome] = {}
        arrived: dict[cf.Future, RunRecord] = {}
        for future in done:
            config = futures[future]
            try:
                result = future.result()
                if cluster is not None:
                    outcomes[future] = cluster.collect(result, config, self.store, self.job_id)
                elif result is None:  # the job was cancelled while the run trained
                    outcomes[future] = RunOutcome.cancelled(config.run_id)
                else:  # published below, as it arrives: the worker has already started its next run
                    arrived[future] = result
            except cf.CancelledError:
                outcomes[future] = RunOutcome.cancelled(config.run_id)
            except Exception as exc:  # the worker process itself died
                outcomes[future] = self._failed(config, exc)
        if arrived:
            try:
                outcomes.update(zip(arrived, publish_runs(list(arrived.values()), self.root, self.job_id,
                                                          self.store)))
            except Exception as together:  # not stored together: each alone, so a run the store refuses fails alone
                for future, record in arrived.items():
                    reason: Exception = together
                    if len(arrived) > 1:
                        try:
                            outcomes[future] = publish_runs([record], self.root, self.job_id, self.store)[0]
                            continue
                        except Exception as alone:  # noqa: BLE001 - this run's own reason
                            reason = alone
                    outcomes[future] = self._failed(futures[future], reason)
        return [outcomes[future] for future in done]

    def _failed(self, config: RunConfig, exc: Exception) -> RunOutcome:
        """A run whose worker died or whose record could not be stored, stored as ``failed`` with the reason."""
        reason = describe_os_error(exc, self.root)
        if reason.startswith("no space left"):
            raise OSError(errno.ENOSPC, reason) from exc  # storing a failed record would fail too
        record = failed_record(config, f"worker failed: {reason}")
        outcome = RunOutcome.from_record(record, batch_id=self.store.write([record]))
        try:
            write_final_progress(record, self.root, self.job_id)  # the jobs panel says failed, not running
        except OSError:
            pass  # the failed record is stored; the run's line in the jobs panel keeps its last state
        return outcome

    def _cached_outcomes(self, run_ids: set[str]) -> dict[str, RunOutcome]:
        if not run_ids:
            return {}
        runs = self.store.load_runs()
        hits = runs["run_id"].isin(run_ids) & runs["status"].isin(("complete", "diverged"))  # what cached() counts
        rows = runs[hits].drop_duplicates("run_id", keep="first")
        return {row["run_id"]: RunOutcome.from_row(row, cached=True) for row in rows.to_dict("records")}

    def _completed(self, futures: Mapping[cf.Future, RunConfig]) -> Iterator[list[cf.Future]]:
        """The futures that have finished since the last look, in the order they were submitted; meanwhile the job
        file is republished every HEARTBEAT_S, so readers can tell a job waiting for a free worker from one whose
        process died (``read_job`` calls a silent job interrupted), and a change held back by ``_publish`` goes out
        ``PUBLISH_EVERY_S`` later: two runs that finished together used to leave the jobs panel one behind until the
        next run ended."""
        place = {future: k for k, future in enumerate(futures)}
        pending = set(futures)
        while pending:
            wait_s = PUBLISH_EVERY_S if self._unpublished else HEARTBEAT_S
            done, pending = cf.wait(pending, timeout=wait_s, return_when=cf.FIRST_COMPLETED)
            if not done:
                self._publish(force=True)
                continue
            yield sorted(done, key=place.__getitem__)

    def _merge(self, batches: list[str]) -> list[str]:
        """Merge the batches of a ``run`` call into one; return the batches left (on failure they stay as they
        are, still valid)."""
        if len(batches) < 2:
            return batches
        try:
            merged = self.store.merge(batches)
        except Exception:
            log.warning("job %s: could not merge %d batches; they stay as they are", self.job_id, len(batches),
                        exc_info=True)
            return batches
        return [merged] if merged else []


class JobManager:
    """Runs jobs for one results folder: drivers in threads, training in a shared process pool.

    Parameters
    ----------
    root : path, optional
        The results folder (default: ``results_dir()``).
    max_workers : int
        Size of the process pool: the bound on runs training at once (default: the machine's cores).
    max_jobs : int
        Jobs accepted at once (queued or running); ``submit`` refuses beyond it.
    dask : str, optional
        A Dask scheduler address (``tcp://host:8786``): runs train on its workers, which return records that this
        process writes (``core/executors.DaskCluster``); ``max_workers`` becomes the cluster's thread count.
        Raises ``executors.ClusterError`` (one line) when the scheduler cannot be reached.
    in_process : bool
        Train in the driver's thread instead of a worker process (``executors.InlineExecutor``): for one run,
        where a spawned worker only adds its start-up.
    pool : ProcessPoolExecutor, optional
        A pool of ``max_workers`` workers started earlier (``job_worker.start_pool(n, warm=True)``); the manager
        owns it from then on (``shutdown``). Not with ``dask`` or ``in_process``.
    """

    def __init__(self, root: str | Path | None = None, *, max_workers: int | None = None, max_jobs: int = 8,
                 dask: str | None = None, in_process: bool = False, pool: Optional[cf.ProcessPoolExecutor] = None):
        if pool is not None and (dask is not None or in_process):
            raise ValueError("A started pool cannot be combined with dask or in_process.")
        self.root = results_dir(root)
        self.max_workers = max(1, max_workers or os.cpu_count() or 1)
        self.in_process = in_process and dask is None
        self.cluster = None
        if dask is not None:
            from .executors import DaskCluster

            self.cluster = DaskCluster(dask, self.root / JOBS_DIR, failed_record=failed_record,
                                       progress_every_s=PROGRESS_EVERY_S)
            self.max_workers = self.cluster.n_threads()
        self.max_jobs = max_jobs
        self._lock = threading.Lock()
        self._executor: Optional[cf.Executor] = pool
        self._threads: dict[str, threading.Thread] = {}
        self._futures: dict[str, dict] = {}
        self._final: dict[str, JobState] = {}  # each ended job's last state, even when its file could not be written

    def _pool(self) -> cf.ProcessPoolExecutor:
        with self._lock:
            if self._executor is None and self.in_process:
                from .executors import InlineExecutor

                self._executor = InlineExecutor()
            if self._executor is None:
                self._executor = start_pool(self.max_workers)
            return self._executor

    def _track(self, job_id: str, futures: dict) -> None:
        with self._lock:
            self._futures.setdefault(job_id, {}).update(futures)

    def _untrack(self, job_id: str) -> None:
        with self._lock:
            self._futures.pop(job_id, None)

    def _publish(self, job_id: str, state: Mapping[str, Any]) -> None:
        write_json(self.root / JOBS_DIR / f"{job_id}.json",
                    {**state, "updated": now(), "pid": os.getpid(), "host": HOST})

    def _end(self, job_id: str, state: dict) -> None:
        """Publish a job's last state; when the file cannot be written (a full disk), keep it in memory and leave
        a job file that says "failed" if any write still succeeds, so no reader waits on "running" for ever."""
        try:
            self._publish(job_id, state)
        except BaseException as exc:  # noqa: BLE001 - the thread must not die silently
            if state["state"] != "failed":
                state["state"] = "failed"
                state["error"] = describe_os_error(exc, self.root)
            try:  # a smaller file may still fit: no traceback, no extra fields
                path = self.root / JOBS_DIR / f"{job_id}.json"
                path.write_text(json.dumps({k: state.get(k) for k in ("id", "name", "kind", "state", "error",
                                                                         "created", "finished")}))
            except BaseException:  # noqa: BLE001
                log.warning("job %s: could not write its final state (%s)", job_id, state["error"])
        with self._lock:
            self._final[job_id] = JobState.from_dict({**state, "pid": os.getpid(), "host": HOST})

    def final_state(self, job_id: str) -> Optional[JobState]:
        """The last state of a job of this manager that has ended (from memory), or None while it runs."""
        with self._lock:
            return self._final.get(job_id)

    def active_jobs(self) -> list[str]:
        with self._lock:
            return [jid for jid, t in self._threads.items() if t.is_alive()]

    def start(self, name: str, driver: Callable[[JobContext], Any], *, kind: str = "runs",
              meta: Optional[Mapping[str, Any]] = None) -> str:
        """Start ``driver(ctx)`` in the background; return the job id at once."""
        if len(self.active_jobs()) >= self.max_jobs:
            raise RuntimeError(f"Too many jobs at once: {self.max_jobs} are running; wait for one to finish.")
        job_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        state = {"id": job_id, "name": name, "kind": kind, "state": "running", "created": now(),
                 "n_total": 0, "n_done": 0, "n_cached": 0, "n_failed": 0, "error": "", **(meta or {})}
        ctx = JobContext(job_id, self.root, ResultStore(self.root), self, state)
        self._publish(job_id, state)

        def body() -> None:
            try:
                driver(ctx)
                state["state"] = "cancelled" if ctx.cancelled else "done"
            except BaseException as exc:  # noqa: BLE001 - whatever ends the driver ends the job, with its reason
                state["state"], state["error"] = "failed", describe_os_error(exc, self.root)
                state["traceback"] = traceback.format_exc(limit=5)
            state["finished"] = now()
            self._end(job_id, state)

        thread = threading.Thread(target=body, name=f"job-{job_id}", daemon=True)
        with self._lock:
            self._threads[job_id] = thread
        thread.start()
        return job_id

    def submit(self, configs: Sequence[RunConfig], name: str, *, kind: str = "runs",
               meta: Optional[Mapping[str, Any]] = None) -> str:
        """A job that runs ``configs`` (cached ones are skipped)."""
        configs = list(configs)
        return self.start(name, lambda ctx: ctx.run(configs), kind=kind,
                          meta={"run_ids": [c.run_id for c in configs], **(meta or {})})

    def cancel(self, job_id: str) -> None:
        """Ask a job to stop: queued runs are dropped, running ones stop at their next epoch."""
        cancel_job(self.root, job_id)
        if self.cluster is not None:
            self.cluster.cancel(job_id)
        with self._lock:
            for future in self._futures.get(job_id, {}):
                future.cancel()

    def wait(self, job_id: str, timeout: float | None = None) -> Optional[JobState]:
        """Block until the job's driver finishes; return its final state (None for an unknown job)."""
        self.join(job_id, timeout)
        return read_job(self.root, job_id)

    def join(self, job_id: str, timeout: float) -> bool:
        """Wait up to ``timeout`` for the job's driver to end, reading no file; True once it has ended.

        A job this manager does not run (another process's) is waited for by sleeping ``timeout``: False.
        """
        thread = self._threads.get(job_id)
        if thread is None:
            time.sleep(timeout)
            return False
        thread.join(timeout)
        return not thread.is_alive()

    def shutdown(self) -> None:
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None
