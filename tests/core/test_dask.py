"""A real Dask LocalCluster (2 worker processes on 127.0.0.1) runs a small search, a small sweep and a run, and
their results equal a local run's bit for bit; the driver writes the store; errors are one line.

Also: results do not depend on the number of local workers (1 or 2) or the order runs finish in.
"""
from __future__ import annotations

import time

import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from core.config import RunConfig, config_with
from core.executors import ClusterError, DaskCluster
from core.jobs import JobManager, read_job
from core.search import SearchSpec, load_search, run_search, start_search
from core.store import ResultStore
from core.sweep.runner import run_sweep, start_sweep
from core.sweep.spec import make_spec

distributed = pytest.importorskip("distributed")

TINY = RunConfig(n_train=100, n_val=50, n_test=100, hidden_sizes=(10,), n_epochs=3, batch_size=50)
SEARCH = SearchSpec(n_trials=4, base=TINY, seed=3)
SWEEP = make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=2)
CURVE_COLUMNS = ["run_id", "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "test_loss", "test_acc"]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as local:
        yield local


def _curves(root, run_ids) -> pd.DataFrame:
    curves = ResultStore(root).load_curves(sorted(run_ids))[CURVE_COLUMNS]
    return curves.sort_values(["run_id", "epoch"]).reset_index(drop=True)


def _trials(view) -> pd.DataFrame:
    return view.trials.sort_values(["trial", "seed_index"])[["trial", "run_id", "status", "value"]] \
        .reset_index(drop=True)


def test_a_search_on_the_cluster_equals_the_same_search_run_here(cluster, tmp_path):
    manager = JobManager(tmp_path / "dask", dask=cluster.scheduler_address)
    try:
        assert manager.max_workers == 2  # the cluster's threads set the search's batch
        job_id, spec = start_search(manager, SEARCH)
        job = manager.wait(job_id, timeout=300)
    finally:
        manager.shutdown()
    assert job.state == "done", job
    assert (job.n_trials_done, job.n_done, job.n_failed) == (4, 4, 0)
    # the driver relayed each run's progress into the job folder, as a local worker writes it
    assert sorted(r.run_id for r in job.runs) == sorted(job.run_ids or load_search(
        ResultStore(tmp_path / "dask"), spec.search_id).trials["run_id"])
    assert all(r.state == "complete" and r.epoch == TINY.n_epochs for r in job.runs)
    with threadpool_limits(1):
        here = run_search(SEARCH, root=tmp_path / "here")
    there = load_search(ResultStore(tmp_path / "dask"), spec.search_id)
    pd.testing.assert_frame_equal(_trials(there), _trials(here))
    run_ids = set(here.trials["run_id"])
    pd.testing.assert_frame_equal(_curves(tmp_path / "dask", run_ids), _curves(tmp_path / "here", run_ids))


def test_a_sweep_on_the_cluster_equals_the_same_sweep_run_here(cluster, tmp_path):
    manager = JobManager(tmp_path / "dask", dask=cluster.scheduler_address)
    try:
        launch = start_sweep(manager, SWEEP)
        job = manager.wait(launch.job_id, timeout=300)
    finally:
        manager.shutdown()
    assert job.state == "done" and job.n_done == 4, job
    with threadpool_limits(1):
        view = run_sweep(SWEEP, tmp_path / "here")
    run_ids = set(view.run_ids)
    assert len(run_ids) == 4
    pd.testing.assert_frame_equal(_curves(tmp_path / "dask", run_ids), _curves(tmp_path / "here", run_ids))
    # one job leaves one batch: the driver merged the runs it wrote
    assert len([p for p in (tmp_path / "dask").iterdir() if p.suffix == ".parquet" and "runs" in p.name]) == 1


def test_an_unreadable_idx_folder_fails_the_job_in_one_line(cluster, tmp_path):
    config = config_with(TINY, {"dataset": "idx", "data_path": str(tmp_path / "nowhere")})
    manager = JobManager(tmp_path, dask=cluster.scheduler_address)
    try:
        job = manager.wait(manager.submit([config], "idx"), timeout=120)
    finally:
        manager.shutdown()
    assert job.state == "failed"
    assert "is not readable on this worker" in job.error and str(tmp_path / "nowhere") in job.error
    assert "\n" not in job.error
    assert ResultStore(tmp_path).load_runs().empty  # nothing trained, nothing stored


def test_cancelling_stops_the_cluster_runs(cluster, tmp_path):
    long = config_with(TINY, {"n_epochs": 100000})
    manager = JobManager(tmp_path, dask=cluster.scheduler_address)
    try:
        job_id = manager.submit([config_with(long, {"seed": s}) for s in range(3)], "long")
        for _ in range(300):  # until a run reports progress through the driver
            job = read_job(tmp_path, job_id)
            if any(r.epoch > 0 for r in job.runs):
                break
            time.sleep(0.1)
        else:
            pytest.fail("no progress reached the job folder")
        manager.cancel(job_id)
        job = manager.wait(job_id, timeout=60)
    finally:
        manager.shutdown()
    assert job.state == "cancelled"
    assert ResultStore(tmp_path).load_runs().empty  # a cancelled run is not stored
    assert not cluster.scheduler.tasks or all(t.state != "processing" for t in cluster.scheduler.tasks.values())


def test_an_unreachable_scheduler_is_one_line():
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskCluster("tcp://127.0.0.1:9", ".", failed_record=None, timeout=1)


@pytest.mark.parametrize("workers", [1, 2])
def test_local_results_do_not_depend_on_the_number_of_workers(workers, tmp_path, request):
    """The same search through a local pool of 1 or 2 workers gives the same trials and curves as in-process."""
    manager = JobManager(tmp_path / "pool", max_workers=workers)
    try:
        job_id, spec = start_search(manager, SearchSpec(n_trials=4, base=TINY, seed=5))
        assert manager.wait(job_id, timeout=300).state == "done"
    finally:
        manager.shutdown()
    with threadpool_limits(1):
        here = run_search(SearchSpec(n_trials=4, base=TINY, seed=5), root=tmp_path / "here")
    there = load_search(ResultStore(tmp_path / "pool"), spec.search_id)
    pd.testing.assert_frame_equal(_trials(there), _trials(here))
    run_ids = set(here.trials["run_id"])
    pd.testing.assert_frame_equal(_curves(tmp_path / "pool", run_ids), _curves(tmp_path / "here", run_ids))


def test_the_command_line_runs_a_config_on_the_cluster(cluster, tmp_path, capsys):
    from core.cli import main

    args = ["run", "--set", "n_train=100", "--set", "n_test=100", "--set", "hidden_sizes=10", "--set", "n_epochs=3",
            "--seeds", "2", "--quiet"]
    assert main([*args, "--dask", cluster.scheduler_address, "--results", str(tmp_path / "dask")]) == 0
    assert main([*args, "--results", str(tmp_path / "local")]) == 0
    run_ids = set(ResultStore(tmp_path / "local").load_runs()["run_id"])
    assert len(run_ids) == 2
    pd.testing.assert_frame_equal(_curves(tmp_path / "dask", run_ids), _curves(tmp_path / "local", run_ids))


def test_one_cli_run_trains_in_the_commands_own_process_and_still_publishes_its_job(tmp_path):
    import os

    from core.cli import main
    from core.jobs import list_jobs

    assert main(["run", "--set", "n_train=100", "--set", "hidden_sizes=10", "--set", "n_epochs=2", "--quiet",
                 "--results", str(tmp_path)]) == 0
    (job,) = list_jobs(tmp_path)
    assert job.state == "done" and job.n_done == 1
    assert job.pid == os.getpid()  # the driver and the training were this process
    assert [r.state for r in job.runs] == ["complete"]
    assert len(ResultStore(tmp_path).load_runs()) == 1


def test_the_command_line_names_an_unreachable_cluster_in_one_line(tmp_path, capsys, monkeypatch):
    from core.cli import main

    monkeypatch.setattr("core.executors.CONNECT_TIMEOUT_S", 1.0)
    assert main(["search", "--trials", "2", "--epochs", "1", "--dask", "tcp://127.0.0.1:9", "--quiet",
                 "--results", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9") and "\n" not in err


def test_runs_that_finished_together_are_written_as_one_batch(cluster, tmp_path):
    """When the driver falls behind, one write takes every run of the job that has finished meanwhile."""
    import concurrent.futures as cf

    from core.jobs import failed_record

    jobs_dir = tmp_path / ".jobs"
    (jobs_dir / "job-1").mkdir(parents=True)
    remote = DaskCluster(cluster.scheduler_address, jobs_dir, failed_record=failed_record)
    store = ResultStore(tmp_path)
    try:
        configs = [config_with(TINY, {"seed": s}) for s in range(3)]
        futures = [remote.submit(c, "job-1") for c in configs]
        cf.wait(futures)
        outcomes = [remote.collect(f.result(), c, store, "job-1") for f, c in zip(futures, configs)]
    finally:
        remote.close()
    assert [o.run_id for o in outcomes] == [c.run_id for c in configs]
    assert all(o.status == "complete" for o in outcomes) and len({o.batch_id for o in outcomes}) == 1
    runs = store.load_runs()
    assert sorted(runs["run_id"]) == sorted(c.run_id for c in configs)
    assert sorted(p.stem for p in (jobs_dir / "job-1").glob("*.json")) == sorted(c.run_id for c in configs)


def test_short_runs_travel_several_to_a_task_and_long_runs_one_each():
    from core.executors import CHUNK_S, chunk_size

    tiny = [config_with(TINY, {"seed": s}) for s in range(1000)]
    assert chunk_size(tiny, 2) > 1  # a tiny run costs less than a task's overhead
    assert chunk_size(tiny, 2) * chunk_size(tiny, 2) <= 1000  # ... but every thread still gets several tasks
    assert chunk_size(tiny[:24], 2) == 3 and chunk_size(tiny[:7], 2) == 1
    book = config_with(TINY, {"n_train": 400, "n_val": 100, "hidden_sizes": (100,) * 6, "n_epochs": 50})
    assert chunk_size([book] * 1000, 2) == 1  # a trial of the book's search is worth a task of its own
    long = config_with(TINY, {"n_epochs": 100000})
    assert chunk_size([*tiny, long], 2) == 1  # the slowest run decides
    assert CHUNK_S > 0


def test_a_search_of_many_short_trials_on_the_cluster_equals_the_same_search_run_here(cluster, tmp_path):
    """24 tiny trials on 2 threads go 3 to a task (``chunk_size``); trials, curves and the jobs panel are as when
    each trial is a task of its own, and as a search run here."""
    from core.executors import chunk_size

    spec = SearchSpec(n_trials=24, base=TINY, seed=7)
    assert chunk_size([config_with(TINY, {"seed": s}) for s in range(24)], 2) == 3  # the premise
    manager = JobManager(tmp_path / "dask", dask=cluster.scheduler_address)
    try:
        job_id, spec = start_search(manager, spec)
        job = manager.wait(job_id, timeout=300)
    finally:
        manager.shutdown()
    assert job.state == "done" and (job.n_trials_done, job.n_done, job.n_failed) == (24, 24, 0), job
    assert "train_chunk_on_worker" in cluster.scheduler.task_prefixes  # they did travel in chunks
    runs = {r.run_id: r for r in job.runs}
    assert len(runs) == 24 and {(r.state, r.epoch) for r in runs.values()} == {("complete", TINY.n_epochs)}
    with threadpool_limits(1):
        here = run_search(SearchSpec(n_trials=24, base=TINY, seed=7), root=tmp_path / "here")
    there = load_search(ResultStore(tmp_path / "dask"), spec.search_id)
    pd.testing.assert_frame_equal(_trials(there), _trials(here))
    run_ids = set(here.trials["run_id"])
    curves = _curves(tmp_path / "dask", run_ids)
    pd.testing.assert_frame_equal(curves, _curves(tmp_path / "here", run_ids))
    last = curves.groupby("run_id").last()  # the jobs panel's last metrics are each run's last epoch
    assert all(runs[run_id].metric("val_acc") == pytest.approx(row["val_acc"], abs=1e-5)
               for run_id, row in last.iterrows())


def test_cancelling_a_job_of_chunked_runs_stores_none_of_its_cancelled_runs(cluster, tmp_path):
    from core.executors import chunk_size

    configs = [config_with(TINY, {"seed": s, "n_epochs": 200}) for s in range(400)]  # about 8 s of training
    assert chunk_size(configs, 2) > 1  # the premise: several runs a task
    manager = JobManager(tmp_path, dask=cluster.scheduler_address)
    try:
        job_id = manager.submit(configs, "many")
        manager.cancel(job_id)
        job = manager.wait(job_id, timeout=120)
        for _ in range(20):  # the driver's client still holds its futures: the tasks leave the scheduler because
            # they were cancelled, at once, not when their runs would have ended
            if all(t.state != "processing" for t in cluster.scheduler.tasks.values()):
                break
            time.sleep(0.1)
        else:
            pytest.fail("tasks still processing after the cancel")
    finally:
        manager.shutdown()
    assert job.state == "cancelled", job
    runs = ResultStore(tmp_path).load_runs()
    stored = set() if runs.empty else set(runs["run_id"])
    assert len(stored) < len(configs)  # the queued tasks were dropped
    assert all(r.state in ("cancelled", "complete") for r in job.runs)
    assert {r.run_id for r in job.runs if r.state == "complete"} == stored  # what is stored is said complete


def test_a_cancel_that_lands_while_the_runs_are_submitted_stops_them(cluster, tmp_path):
    """A cancel after the job's last look at its flag and before its futures are tracked found nothing to cancel:
    every run was trained and stored, in a job that ended "cancelled" (seen once in CI, with an immediate cancel).
    The cancel is put in that window here: after the cluster's check of the workers, before the submission."""
    configs = [config_with(TINY, {"seed": s, "n_epochs": 200}) for s in range(200)]  # each shorter than a cancel check
    manager = JobManager(tmp_path, dask=cluster.scheduler_address)
    check = manager.cluster.check

    def check_then_cancel(todo):
        check(todo)
        for job_id in manager.active_jobs():
            manager.cancel(job_id)

    manager.cluster.check = check_then_cancel  # the real check, then a real cancel: only the timing is chosen
    try:
        job = manager.wait(manager.submit(configs, "many"), timeout=120)
    finally:
        manager.shutdown()
    assert job.state == "cancelled", job
    runs = ResultStore(tmp_path).load_runs()
    assert runs.empty or len(runs) < len(configs) // 2, len(runs)  # the queued tasks were dropped


def test_a_scheduler_started_as_the_readme_says_runs_a_search_it_cannot_import(tmp_path):
    """`dask scheduler` in a folder without this project, `PYTHONPATH=<project> dask worker`: the scheduler unpickles
    every task it gets, so tasks must not name this project's code (they did: every trial failed with "Error during
    deserialization of the task graph"). The search equals the same search run here."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = str(Path(__file__).resolve().parents[2])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    address_file = tmp_path / "scheduler.json"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    processes = [subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                   "--port", "0", "--no-dashboard", "--scheduler-file", str(address_file)],
                                  cwd=outside, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(300):
            if address_file.exists() and address_file.stat().st_size:
                break
            time.sleep(0.05)
        address = json.loads(address_file.read_text())["address"]
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard"], cwd=outside, env={**env, "PYTHONPATH": repo},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(1, timeout=60)
            assert client.run_on_scheduler(lambda: __import__("importlib").util.find_spec("core") is None)  # premise
        manager = JobManager(tmp_path / "dask", dask=address)
        try:
            job_id, spec = start_search(manager, SEARCH)
            job = manager.wait(job_id, timeout=300)
        finally:
            manager.shutdown()
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
    assert job.state == "done" and (job.n_done, job.n_failed) == (4, 0), job
    with threadpool_limits(1):
        here = run_search(SEARCH, root=tmp_path / "here")
    there = load_search(ResultStore(tmp_path / "dask"), spec.search_id)
    pd.testing.assert_frame_equal(_trials(there), _trials(here))


def test_a_finished_job_leaves_no_results_held_on_the_cluster(cluster, tmp_path):
    """Once the driver has written a job's runs, nothing of it stays in the workers' memory while the dashboard (the
    manager and its client) lives on: each record was held there as long as the manager kept the job's futures."""
    manager = JobManager(tmp_path, dask=cluster.scheduler_address)
    try:
        for n_runs in (40, 3):  # short runs several to a task, then few runs one to a task
            configs = [config_with(TINY, {"seed": 100 * n_runs + s}) for s in range(n_runs)]
            job = manager.wait(manager.submit(configs, f"{n_runs} runs"), timeout=300)
            assert job.state == "done" and job.n_done == n_runs, job
            for _ in range(50):  # the client releases its keys asynchronously
                if not cluster.scheduler.tasks:
                    break
                time.sleep(0.1)
            assert not cluster.scheduler.tasks, sorted(cluster.scheduler.tasks)[:3]
        assert len(ResultStore(tmp_path).load_runs()) == 43  # what the workers held is in the store
    finally:
        manager.shutdown()
