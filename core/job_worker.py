"""The worker side of a job: what runs in a pool process (or the driver's thread) to train one config.

``train_one`` trains, writes the run's progress file under ``.jobs/<job_id>/`` (``core/job_files.py``) and returns
the record; the driver publishes it with ``publish_runs`` (one batch with the runs that finished meanwhile, then
the final progress files) and learns its ``RunOutcome`` without reading the store. ``run_one`` does both in one call
(tests, and anyone training one run).
"""
from __future__ import annotations

import concurrent.futures as cf
import functools
import importlib
import os
import threading
import time
from pathlib import Path
from typing import Any, Mapping

from .config import RunConfig
from .job_files import JOBS_DIR, now, progress_metrics, write_progress
from .outcome import RunOutcome
from .record import METRICS, RunRecord, RunStatus

PROGRESS_EVERY_S = 0.25   # a worker rewrites its progress file at most this often (the driver writes the last one)
RUN_BLAS_THREADS = 1      # every run trains with this many BLAS threads, whatever the pool size: the same run_id
                          # gives bit-identical curves with 1 or N workers (BLAS results depend on the thread count)
PARENT_POLL_S = 0.5       # a pool worker checks this often that its driver process is still alive


class JobCancelled(Exception):
    """Raised inside a worker when its job was cancelled."""



def limit_blas_threads(n_threads: int) -> None:
    """Set the BLAS threads of this process (workers sharing the cores must not each start a full set)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(n_threads)


@functools.lru_cache(maxsize=1)
def _blas_controller() -> Any:
    """This process's threadpool controller, built once (after numpy is loaded): building one looks up every loaded
    library, about 1.3 ms, which ``threadpool_limits`` paid at every run of a worker."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _exit_with_parent(parent_pid: int, poll_s: float) -> None:
    while True:
        time.sleep(poll_s)
        if os.getppid() != parent_pid:  # reparented: the driver is gone (kill -9 included)
            os._exit(3)


def init_worker(n_threads: int, parent_pid: int, poll_s: float = PARENT_POLL_S) -> None:
    """Pool initializer: fixed BLAS threads, and a watcher that ends this worker within ``poll_s`` of its driver.

    Without it, a driver killed with SIGKILL leaves its workers training and publishing queued runs. (Not
    PR_SET_PDEATHSIG: it fires when the *thread* that spawned the worker ends, and pool workers outlive the job
    thread that happened to start them.)
    """
    limit_blas_threads(n_threads)
    if os.getppid() != parent_pid:
        os._exit(3)
    threading.Thread(target=_exit_with_parent, args=(parent_pid, poll_s), name="exit-with-parent",
                     daemon=True).start()


def start_pool(max_workers: int, *, warm: bool = False) -> cf.ProcessPoolExecutor:
    """The process pool a ``JobManager`` trains in: ``max_workers`` spawned workers (``init_worker``).

    spawn, not fork: the owner may be a multi-threaded server (Streamlit), where fork is unsafe. ``warm``: spawn
    the workers now, each importing what training needs (``warm_up``), instead of at the first run. A command
    starts its pool this way before it imports pandas and pyarrow, so the workers' start-up (numpy and the engine,
    about 0.5 CPU-s each) runs beside the driver's instead of after it (docs/benchmarks.md).
    """
    import multiprocessing

    pool = cf.ProcessPoolExecutor(max_workers, mp_context=multiprocessing.get_context("spawn"),
                                  initializer=init_worker, initargs=(RUN_BLAS_THREADS, os.getpid()))
    if warm:
        for _ in range(max_workers):  # a task per worker: the pool spawns a worker for each while none is idle
            pool.submit(warm_up)
    return pool


def warm_up() -> None:
    """A worker's first task in a warm pool: import the engine, as its first run would."""
    importlib.import_module(".train", __package__)


def train_one(config_json: str, root: str, job_id: str, pruner: Any = None, lanes: int = 1,
              snapshots: bool = True) -> RunRecord | None:
    """Train one config and return its record, or None when its job was cancelled; runs in a worker.

    It writes the run's progress file and nothing else: the driver publishes the record (``publish_runs``) the
    moment it arrives, so a worker's core goes on to the next run instead of waiting for the store's fsyncs. A run
    that raises comes back as a ``failed`` record with the message. ``lanes`` > 1 evaluates in that many threads
    (a run that has the machine: the one run of a command); the record is the same. ``snapshots=False`` skips the
    mechanism snapshots (``train``'s option: a search trial's readers never look at them).
    """
    from .train import train  # imported here so a spawned worker pays for numpy only when it trains

    config = RunConfig.from_json(config_json)
    jobs = Path(root) / JOBS_DIR
    progress_path = jobs / job_id / f"{config.run_id}.json"
    cancel_path = jobs / f"{job_id}.cancel"
    last_write = 0.0

    def on_epoch(epoch: int, metrics: Mapping[str, float]) -> None:
        nonlocal last_write
        if cancel_path.exists():
            raise JobCancelled()
        now = time.monotonic()
        if now - last_write >= PROGRESS_EVERY_S and epoch < config.n_epochs:  # the last: ``final_progress``
            last_write = now
            write_progress(progress_path, {"run_id": config.run_id, "label": config.label(with_seed=True),
                                        "epoch": epoch, "n_epochs": config.n_epochs, "state": "running",
                                        **progress_metrics(metrics)})

    run_pruner = None if pruner is None else (lambda epoch, metrics: pruner(config.run_id, epoch, metrics))
    try:
        with _blas_controller().limit(limits=RUN_BLAS_THREADS):  # whatever the process: the same curves per run_id
            record = train(config, on_epoch=on_epoch, pruner=run_pruner, lanes=lanes, snapshots=snapshots)
    except JobCancelled:
        write_progress(progress_path, {"run_id": config.run_id, "label": config.label(with_seed=True), "epoch": 0,
                                    "n_epochs": config.n_epochs, "state": "cancelled"})
        return None
    except Exception as exc:  # a failed run is recorded, so the UI can say what happened; the job goes on
        record = failed_record(config, f"{type(exc).__name__}: {exc}")
    return record


def publish_run(record: RunRecord, root: str | Path, job_id: str, store: Any = None) -> RunOutcome:
    """Publish a finished run as its own batch, then its final progress file; return its outcome.

    ``store``: the caller's ``ResultStore`` of ``root`` (default: a new one).
    """
    return publish_runs([record], root, job_id, store)[0]


def publish_runs(records: list[RunRecord], root: str | Path, job_id: str, store: Any = None) -> list[RunOutcome]:
    """Publish finished runs as one batch, then each run's final progress file; return their outcomes, in order.

    A driver hands over every run that finished while it was writing the previous ones (a group commit): a batch of
    five runs costs about what a batch of one does (two small parquet files and their fsyncs, 5-13 ms of the
    driver's thread), so short search trials no longer queue behind one write each. ``store``: the caller's
    ``ResultStore`` of ``root`` (default: a new one).
    """
    if store is None:
        from .store import ResultStore

        store = ResultStore(root)
    batch_id = store.write(records)
    for record in records:
        write_final_progress(record, root, job_id)
    return [RunOutcome.from_record(record, batch_id=batch_id) for record in records]


def write_final_progress(record: RunRecord, root: str | Path, job_id: str) -> None:
    """The run's progress file as it ended (``final_progress``), over what its worker last wrote there."""
    write_progress(Path(root) / JOBS_DIR / job_id / f"{record.config.run_id}.json", final_progress(record))


def final_progress(record: RunRecord) -> dict[str, Any]:
    """A finished run's whole progress file: its state, error, last epoch and that epoch's metrics, from the record
    (a worker writes no file at its last epoch: the record that follows at once says it all)."""
    config = record.config
    return {"run_id": config.run_id, "label": config.label(with_seed=True), "epoch": record.stopped_epoch,
            "n_epochs": config.n_epochs, "state": record.status.value, "error": record.error,
            **progress_metrics({m: record.final(m) for m in METRICS})}


def run_one(config_json: str, root: str, job_id: str, pruner: Any = None) -> RunOutcome:
    """Train one config and publish it as one batch (``train_one``, then ``publish_run``); return its outcome.

    A cancelled run publishes nothing: its outcome has status "cancelled" and no batch_id.
    """
    record = train_one(config_json, root, job_id, pruner)
    if record is None:
        return RunOutcome.cancelled(RunConfig.from_json(config_json).run_id)
    return publish_run(record, root, job_id)


def failed_record(config: RunConfig, error: str) -> RunRecord:
    import numpy as np

    empty = {name: np.zeros(0) for name in ("epoch", "train_loss", "train_acc", "val_loss", "val_acc",
                                            "test_loss", "test_acc", "elapsed_s")}
    return RunRecord(config=config, status=RunStatus.FAILED, curves=empty, weight_norms=np.zeros((0, 0)),
                     stopped_epoch=0, data_fingerprint="", created_at=now(), duration_s=0.0, error=error[:2000])
