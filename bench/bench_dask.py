"""A search of many tiny trials through a 2-worker Dask LocalCluster against the local process pool of 2 workers.

Both go through the same ``JobManager`` and search driver; only the executor differs (``core/executors.py``): the
local pool's workers write their runs themselves, the cluster's workers return records that the driver writes.
Trials are tiny on purpose (hidden 10, 2 epochs, 100 training images) so the per-trial overhead shows. Each side
starts from an empty results folder (nothing cached), and the pool's / cluster's start-up is outside the timing
(both are started once and warmed with one trial). Sides alternate over ``--repeats`` pairs; the median is reported.

Printed: wall time per side, the overhead per trial of the cluster against the pool, and the ratio (target ≤ 1.10).

Run: python -m bench.bench_dask [--trials 1000 --repeats 1]
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

from core.config import RunConfig
from core.jobs import JobManager
from core.search import SearchSpec, start_search
from core.store import ResultStore

TINY = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(10,), n_epochs=2, batch_size=50)


def timed_search(manager: JobManager, n_trials: int, seed: int) -> tuple[float, float]:
    """(wall seconds of a search of ``n_trials``, sum of the trials' own training seconds)."""
    start = time.perf_counter()
    job_id, spec = start_search(manager, SearchSpec(n_trials=n_trials, base=TINY, seed=seed))
    job = manager.wait(job_id)
    wall = time.perf_counter() - start
    if job is None or job.state != "done":
        raise SystemExit(f"the search did not finish: {job}")
    runs = ResultStore(manager.root).load_runs()
    return wall, float(runs["duration_s"].sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=1, help="alternating (pool, cluster) pairs")
    args = parser.parse_args()
    from distributed import LocalCluster

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
          f"load average at start {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as scratch, \
            LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=None) as cluster:
        times: dict[str, list[float]] = {"pool": [], "cluster": []}
        compute: dict[str, list[float]] = {"pool": [], "cluster": []}
        for repeat in range(args.repeats + 1):  # repeat 0 warms both (worker imports, data), untimed
            for side in (("pool", "cluster") if repeat % 2 else ("cluster", "pool")):
                root = Path(scratch) / f"{side}-{repeat}"
                dask = cluster.scheduler_address if side == "cluster" else None
                manager = JobManager(root, max_workers=2, dask=dask)
                if side == "pool":
                    manager._pool().submit(int).result()  # the pool's processes start outside the timing
                try:
                    wall, trained = timed_search(manager, 2 if repeat == 0 else args.trials, seed=repeat)
                finally:
                    manager.shutdown()
                if repeat:
                    times[side].append(wall)
                    compute[side].append(trained)
                    print(f"  repeat {repeat} {side:<7}: {wall:6.1f} s wall, {trained:6.1f} s of training "
                          f"({wall / args.trials * 1000:.1f} ms per trial)")
    pool, dask = statistics.median(times["pool"]), statistics.median(times["cluster"])
    overhead = (dask - pool) / args.trials
    print(f"\n{args.trials} trials, median of {args.repeats}: local pool {pool:.1f} s, Dask LocalCluster {dask:.1f} s")
    print(f"cluster overhead per trial against the pool: {overhead * 1000:+.1f} ms; ratio cluster / pool = "
          f"{dask / pool:.3f} (target <= 1.10)")
    print(f"load average at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
