from __future__ import annotations

import os
from pathlib import Path

from core.jobs import JobManager
from core.store import ResultStore
from core.sweep import load_sweep, make_spec, run_sweep, start_sweep, sweep_job

from sweep_tiny import TINY


def _batches(root: Path) -> list[str]:
    return sorted(p.name for p in Path(root).glob("*.parquet"))


def test_in_process_sweep_stores_each_run_once_and_a_second_launch_trains_nothing(tmp_path):
    spec = make_spec(TINY, {"dropout": "0,0.2"}, seeds=2)
    view = run_sweep(spec, tmp_path)
    assert view.sweep_id == spec.sweep_id and set(view.members["status"]) == {"complete"}
    assert len(_batches(tmp_path)) == 2  # the four runs merged into one batch (runs + curves)
    runs = ResultStore(tmp_path).load_runs()
    assert sorted(runs["run_id"]) == sorted(view.run_ids)
    assert sorted(runs["dropout"].unique()) == [0.0, 0.2] and (runs["n_val"] == 100).all()
    before = {p: os.stat(tmp_path / p).st_mtime_ns for p in _batches(tmp_path)}
    progress = []
    again = run_sweep(make_spec(TINY, {"dropout": "0,0.2"}, seeds=2), tmp_path, progress=lambda *a: progress.append(a))
    assert again.sweep_id == spec.sweep_id and progress == []
    assert {p: os.stat(tmp_path / p).st_mtime_ns for p in _batches(tmp_path)} == before


def test_a_config_shared_with_another_sweep_is_computed_once(tmp_path):
    run_sweep(make_spec(TINY, {"weight_decay": "0,0.1"}, seeds=2), tmp_path)
    done = []
    wider = run_sweep(make_spec(TINY, {"weight_decay": "0,0.1,1"}, seeds=2), tmp_path,
                      progress=lambda n_done, n_total: done.append((n_done, n_total)))
    assert done == [(5, 6), (6, 6)]  # four runs came from the first sweep
    runs = ResultStore(tmp_path).load_runs()
    assert len(runs) == 6 and runs["run_id"].is_unique and set(wider.run_ids) == set(runs["run_id"])


def test_sweep_through_the_job_manager_then_a_pure_cache_hit(tmp_path):
    spec = make_spec(TINY, {"weight_decay": "0,1"}, seeds=2)
    manager = JobManager(tmp_path, max_workers=2)
    try:
        launch = start_sweep(manager, spec)
        assert launch.new and launch.n_runs == 4 and launch.n_cached == 0 and launch.job_id
        twice = start_sweep(manager, spec)  # a second click while the runs train: the same job, no second one
        assert twice.job_id == launch.job_id and not twice.new
        job = manager.wait(launch.job_id, timeout=120)
        assert job.state == "done" and job.kind == "sweep" and job.sweep_id == spec.sweep_id
        assert job.n_total == 4 and job.n_done == 4
        assert sweep_job(tmp_path, spec.sweep_id).id == launch.job_id and sweep_job(tmp_path, "other-1") is None
        view = load_sweep(tmp_path, spec.sweep_id)
        assert set(view.members["status"]) == {"complete"}
        files = _batches(tmp_path)
        again = start_sweep(manager, make_spec(TINY, {"weight_decay": "0,1"}, seeds=2))
        assert again.sweep_id == launch.sweep_id and not again.new
        assert again.job_id is None and again.n_cached == 4 and again.n_todo == 0
        assert _batches(tmp_path) == files
    finally:
        manager.shutdown()
