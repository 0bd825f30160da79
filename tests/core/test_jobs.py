from __future__ import annotations

import dataclasses
import json
import math
import os
import time

import pytest

from core.config import RunConfig
from core.jobs import HEARTBEAT_S, JOBS_DIR, JobManager, cancel_job, list_jobs, publish_run, read_job, run_one, train_one
from core.record import METRICS
from core.store import ResultStore

TINY = RunConfig(n_train=100, n_test=200, hidden_sizes=(16,), n_epochs=3, batch_size=50)


@pytest.fixture
def manager(tmp_path):
    m = JobManager(tmp_path, max_workers=2)
    yield m
    m.shutdown()


def test_job_runs_configs_publishes_results_and_progress(manager, tmp_path):
    configs = [dataclasses.replace(TINY, seed=s) for s in range(3)]
    job_id = manager.submit(configs, "three seeds")
    job = manager.wait(job_id, timeout=120)
    assert job.state == "done", job
    assert (job.n_total, job.n_done, job.n_cached) == (3, 3, 0)
    assert {r.state for r in job.runs} == {"complete"}
    assert all(r.epoch == TINY.n_epochs for r in job.runs)
    assert ResultStore(tmp_path).cached(c.run_id for c in configs) == {c.run_id for c in configs}
    # a second viewer (no manager) sees the same job
    assert [j.id for j in list_jobs(tmp_path)] == [job_id]


def test_a_job_of_several_runs_leaves_one_batch(manager, tmp_path):
    configs = [dataclasses.replace(TINY, seed=s) for s in range(4)]
    job = manager.wait(manager.submit(configs, "four seeds"), timeout=120)
    assert job.state == "done", job
    assert len(list(tmp_path.glob("*.runs.parquet"))) == 1 and len(list(tmp_path.glob("*.curves.parquet"))) == 1
    store = ResultStore(tmp_path)
    runs = store.load_runs()
    assert set(runs["run_id"]) == {c.run_id for c in configs}
    assert 1 <= runs["batch_id"].nunique() <= 4  # each run keeps the batch it was first published in
    assert (store.load_curves(runs["run_id"]).groupby("run_id").size() == TINY.n_epochs + 1).all()


def _runs_trained(manager) -> int:
    """Runs whose worker has returned its record (the driver may not have stored it yet)."""
    return sum(future.done() for futures in list(manager._futures.values()) for future in list(futures))


def test_a_progress_write_in_flight_is_not_read_as_a_second_run(manager, tmp_path):
    job = manager.wait(manager.submit([TINY], "one run"), timeout=120)
    folder = tmp_path / JOBS_DIR / job.id
    (progress,) = folder.glob(f"{TINY.run_id}.json")
    (folder / f".tmp-0123456789ab-{progress.name}").write_text(progress.read_text())  # atomic.temporary_name
    assert [run.run_id for run in read_job(tmp_path, job.id).runs] == [TINY.run_id]


def test_runs_that_finish_while_the_driver_writes_are_stored_together(manager, tmp_path, monkeypatch):
    """A group commit: the driver stores every run that finished during its last write in one batch, so short runs
    do not queue behind one write each. The first write is held up until the other runs have all finished."""
    configs = [dataclasses.replace(TINY, seed=s) for s in range(5)]
    written: list[list[str]] = []
    real_write = ResultStore.write

    def slow_first_write(self, records):
        written.append([r.config.run_id for r in records])
        if len(written) == 1:  # the others finish meanwhile (each trains in well under a second)
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _runs_trained(manager) < len(configs):
                time.sleep(0.05)
            time.sleep(0.5)
        return real_write(self, records)

    monkeypatch.setattr(ResultStore, "write", slow_first_write)
    job = manager.wait(manager.submit(configs, "five seeds"), timeout=120)
    assert job.state == "done", job
    assert sorted(run_id for batch in written for run_id in batch) == sorted(c.run_id for c in configs)
    assert len(written) == 2, written  # the runs that finished during the first write, in one
    order = [c.run_id for c in configs]
    assert written[1] == sorted(written[1], key=order.index)  # in the order they were submitted
    runs = ResultStore(tmp_path).load_runs()
    assert set(runs["run_id"]) == set(order) and runs["batch_id"].nunique() == 2
    assert {r.state for r in job.runs} == {"complete"}


def test_a_failed_merge_leaves_the_runs_in_their_own_batches(manager, tmp_path, monkeypatch, caplog):
    def broken_merge(self, batch_ids):
        raise OSError("disk full")

    monkeypatch.setattr(ResultStore, "merge", broken_merge)
    # far apart in length, so they finish apart and are published in two batches (runs finishing together share one)
    configs = [dataclasses.replace(TINY, seed=0), dataclasses.replace(TINY, seed=1, n_epochs=300)]
    job = manager.wait(manager.submit(configs, "two seeds"), timeout=120)
    assert job.state == "done", job
    assert len(list(tmp_path.glob("*.runs.parquet"))) == 2
    assert ResultStore(tmp_path).cached(c.run_id for c in configs) == {c.run_id for c in configs}
    assert "could not merge 2 batches" in caplog.text


def test_run_one_returns_the_batch_it_published(tmp_path):
    outcome = run_one(TINY.to_json(), str(tmp_path), "20260101T000000-abcdef")
    batch = outcome.batch_id
    assert (outcome.run_id, outcome.status, outcome.cached, outcome.stopped_epoch) == (TINY.run_id, "complete", False,
                                                                                     TINY.n_epochs)
    row = ResultStore(tmp_path).load_runs().iloc[0]
    assert (outcome.final_val_acc, outcome.best_val_acc, outcome.final_test_acc) == pytest.approx(
        (row["final_val_acc"], row["best_val_acc"], row["final_test_acc"]), nan_ok=True)
    assert ResultStore(tmp_path).load_runs()["batch_id"].tolist() == [batch]
    assert (tmp_path / f"{batch}.runs.parquet").exists()


def test_a_pool_worker_only_trains_and_the_driver_publishes(tmp_path):
    """train_one (what a pool worker runs) writes progress, never the store; publish_run stores it and ends its
    progress file, so a worker's core never waits for the store's fsyncs."""
    job_id = "20260101T000000-abcdef"
    record = train_one(TINY.to_json(), str(tmp_path), job_id)
    assert record.status.value == "complete" and ResultStore(tmp_path).load_runs().empty
    assert read_job(tmp_path, job_id) is None  # no job file: only the run's progress was written
    progress = json.loads((tmp_path / JOBS_DIR / job_id / f"{TINY.run_id}.json").read_text())
    # the worker wrote its first epoch (the jobs panel sees the run start) and, in a run this short, nothing after
    # it: not even the last epoch, which the record that follows says
    assert progress["state"] == "running" and progress["epoch"] == 0
    outcome = publish_run(record, tmp_path, job_id)
    assert ResultStore(tmp_path).load_runs()["batch_id"].tolist() == [outcome.batch_id]
    progress = json.loads((tmp_path / JOBS_DIR / job_id / f"{TINY.run_id}.json").read_text())
    assert (progress["state"], progress["epoch"]) == ("complete", TINY.n_epochs)
    last = {m: record.final(m) for m in METRICS}  # the last epoch's metrics, as the worker used to write them
    assert {m: progress[m] for m in METRICS} == {m: None if math.isnan(v) else round(v, 5) for m, v in last.items()}


def test_cached_configs_are_not_recomputed(manager, tmp_path):
    manager.wait(manager.submit([TINY], "first"), timeout=120)
    n_files = len(list(tmp_path.glob("*.runs.parquet")))
    job = manager.wait(manager.submit([TINY, TINY], "again"), timeout=120)
    assert (job.n_total, job.n_cached) == (1, 1)
    assert len(list(tmp_path.glob("*.runs.parquet"))) == n_files


def test_cancel_stops_a_running_job_and_keeps_nothing_half_done(manager, tmp_path):
    long = dataclasses.replace(TINY, n_epochs=100_000)
    job_id = manager.submit([long], "long")
    deadline = time.time() + 60
    while time.time() < deadline:  # wait until the worker is really training
        job = read_job(tmp_path, job_id)
        if job and job.runs:
            break
        time.sleep(0.1)
    manager.cancel(job_id)
    job = manager.wait(job_id, timeout=60)
    assert job.state == "cancelled"
    assert ResultStore(tmp_path).load_runs().empty


def test_a_change_held_back_by_the_throttle_is_published_while_a_long_run_trains(manager, tmp_path):
    """The job file is rewritten at most every PUBLISH_EVERY_S. A change made just after a rewrite (the second of two
    runs that finished together, a search's trial count) stayed unpublished until the next run ended: the jobs panel
    was one behind for as long as that took."""
    short, long = TINY, dataclasses.replace(TINY, n_epochs=100_000)

    def driver(ctx):
        def on_result(outcome):
            ctx.update(step=1)
            ctx.update(step=2)  # at once: held back by the throttle

        ctx.run([short, long], on_result=on_result)

    job_id = manager.start("held back", driver)
    try:
        # The long run trains all along, so nothing else publishes: not its end, nor the heartbeat (HEARTBEAT_S).
        deadline, job = time.time() + min(10.0, HEARTBEAT_S / 2), None
        while time.time() < deadline:
            job = json.loads((tmp_path / JOBS_DIR / f"{job_id}.json").read_text())
            if job.get("step") == 2:
                break
            time.sleep(0.05)
        assert job.get("step") == 2 and job["n_done"] == 1 and job["state"] == "running", job
    finally:
        manager.cancel(job_id)
        manager.wait(job_id, timeout=60)


def test_failed_run_is_recorded_and_the_job_goes_on(manager, tmp_path):
    bad = dataclasses.replace(TINY, dataset="idx", data_path=str(tmp_path / "no-such-folder"))
    job = manager.wait(manager.submit([bad, TINY], "one bad"), timeout=120)
    assert job.state == "done" and job.n_failed == 1
    runs = ResultStore(tmp_path).load_runs().set_index("run_id")
    assert runs.loc[bad.run_id, "status"] == "failed" and "no-such-folder" in runs.loc[bad.run_id, "error"]
    assert runs.loc[TINY.run_id, "status"] == "complete"
    assert ResultStore(tmp_path).cached([bad.run_id]) == set()  # a failure is retried, not served from cache


def test_a_failing_driver_marks_the_job_failed(manager, tmp_path):
    def driver(ctx):
        raise RuntimeError("boom")

    job = manager.wait(manager.start("broken", driver), timeout=30)
    assert job.state == "failed" and "boom" in job.error


def test_readers_reject_strange_ids_and_mark_silent_jobs_interrupted(tmp_path):
    assert read_job(tmp_path, "../../etc/passwd") is None
    with pytest.raises(ValueError):
        cancel_job(tmp_path, "../x")
    jobs = tmp_path / JOBS_DIR
    jobs.mkdir()
    path = jobs / "20260101T000000-abcdef.json"
    path.write_text(json.dumps({"id": "20260101T000000-abcdef", "state": "running", "name": "old"}))
    old = time.time() - 3600
    os.utime(path, (old, old))
    assert read_job(tmp_path, "20260101T000000-abcdef").state == "interrupted"
    (jobs / "garbage.json").write_text("{not json")
    assert [j.id for j in list_jobs(tmp_path)] == ["20260101T000000-abcdef"]


def test_a_job_read_without_its_runs_still_counts_their_files_as_signs_of_life(tmp_path):
    """``runs=False`` (a search's progress bar) skips the runs' files, except to tell a stale job from a busy one."""
    jobs = tmp_path / JOBS_DIR
    (jobs / "20260101T000000-abcdef").mkdir(parents=True)
    path = jobs / "20260101T000000-abcdef.json"
    path.write_text(json.dumps({"id": "20260101T000000-abcdef", "state": "running", "n_trials_done": 3}))
    old = time.time() - 3600
    os.utime(path, (old, old))
    run = jobs / "20260101T000000-abcdef" / "r1.json"
    run.write_text(json.dumps({"run_id": "r1", "epoch": 2, "n_epochs": 5, "state": "running"}))  # moving now
    full, light = read_job(tmp_path, path.stem), read_job(tmp_path, path.stem, runs=False)
    assert [r.run_id for r in full.runs] == ["r1"] and light.runs == ()
    assert full.state == light.state == "running" and light.n_trials_done == 3
    os.utime(run, (old, old))  # the run stopped moving too
    assert read_job(tmp_path, path.stem, runs=False).state == "interrupted"


def test_a_job_waiting_for_a_worker_is_not_called_interrupted(tmp_path, monkeypatch):
    import core.job_files as job_files
    import core.jobs as jobs

    monkeypatch.setattr(job_files, "STALE_AFTER_S", 1.5)  # read_job's limit (the reader side) ...
    monkeypatch.setattr(jobs, "HEARTBEAT_S", 0.3)          # ... and the driver's heartbeat
    manager = JobManager(tmp_path, max_workers=1)
    try:
        first = manager.submit([dataclasses.replace(TINY, n_epochs=100_000)], "long")
        deadline = time.monotonic() + 60  # the long run holds the only worker before the second job asks for it
        while not any(r.state == "running" for r in getattr(read_job(tmp_path, first), "runs", ())):
            assert time.monotonic() < deadline, "the long run never started"
            time.sleep(0.05)
        waiting = manager.submit([TINY], "waits for the only worker")
        time.sleep(3.0)  # twice the stale limit, while the second job has nothing of its own to write
        assert read_job(tmp_path, waiting).state == "running"
        manager.cancel(first)
        assert manager.wait(waiting, timeout=120).state == "done"
    finally:
        manager.shutdown()


def test_a_manager_adopts_a_pool_whose_workers_started_before_any_job(tmp_path):
    """A command starts its workers (``start_pool(warm=True)``) before it imports pandas; the manager then trains
    in them and shuts them down."""
    import multiprocessing

    from core.job_worker import start_pool

    before = set(multiprocessing.active_children())
    pool = start_pool(2, warm=True)
    workers = set(multiprocessing.active_children()) - before
    assert len([p for p in workers if p.name.startswith("SpawnProcess")]) == 2  # spawned now, not at the first run
    manager = JobManager(tmp_path, max_workers=2, pool=pool)
    try:
        configs = [dataclasses.replace(TINY, seed=s) for s in range(3)]
        job = manager.wait(manager.submit(configs, "warm"), timeout=120)
        assert job.state == "done" and job.n_done == 3, job
        assert ResultStore(tmp_path).cached(c.run_id for c in configs) == {c.run_id for c in configs}
    finally:
        manager.shutdown()
    assert not any(p.is_alive() for p in workers)
    with pytest.raises(ValueError, match="started pool"):
        JobManager(tmp_path, pool=pool, in_process=True)


def test_a_run_the_store_refuses_fails_alone_when_it_finished_with_others(manager, tmp_path, monkeypatch):
    """Runs that finish together are stored as one batch; when the store refuses that batch because of one record,
    the others are stored one by one and only that run is recorded as failed."""
    configs = [dataclasses.replace(TINY, seed=s) for s in range(4)]
    refused = configs[2].run_id
    writes: list[list[str]] = []
    real_write = ResultStore.write

    def picky_write(self, records):
        ids = [r.config.run_id for r in records]
        writes.append(ids)
        if len(writes) == 1:  # hold the first write until the other runs have finished, so they arrive together
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and _runs_trained(manager) < len(configs):
                time.sleep(0.05)
            time.sleep(0.5)
        if refused in ids and all(r.status.value == "complete" for r in records):  # its failed record is taken
            raise ValueError(f"refusing run {refused}")
        return real_write(self, records)

    monkeypatch.setattr(ResultStore, "write", picky_write)
    job = manager.wait(manager.submit(configs, "one refused"), timeout=120)
    assert job.state == "done", job
    assert any(len(ids) > 1 for ids in writes), writes  # some runs did arrive together
    states = {r.run_id: r.state for r in job.runs}
    assert states[refused] == "failed" and all(state == "complete" for run_id, state in states.items()
                                               if run_id != refused), states
    runs = ResultStore(tmp_path).load_runs().set_index("run_id")["status"].to_dict()
    assert runs[refused] == "failed" and all(runs[c.run_id] == "complete" for c in configs if c.run_id != refused)
