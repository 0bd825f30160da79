from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest

from core.jobs import JobManager, read_job
from core.search import SearchSpec, SearchView, list_searches, load_search, run_search, start_search, trial_epochs
from core.store import ResultStore
from synthetic import TINY, bump_objective


def test_trials_get_the_base_config_the_params_and_their_own_seeds():
    seen = []

    def objective(config, pruner):
        seen.append(config)
        return bump_objective(config, pruner)

    spec = SearchSpec(n_trials=6, seeds=2, base=TINY)
    view = run_search(spec, objective)
    assert len(seen) == 12 and len(view.trials) == 12
    assert all(c.test_every == "end" for c in seen)  # a search never reads test before the end
    assert all(dataclasses.replace(c, lr=TINY.lr, weight_decay=TINY.weight_decay, seed=TINY.seed, test_every=TINY.test_every) == TINY
               for c in seen)
    assert len({c.seed for c in seen}) == 12
    per_trial = view.trials.groupby("trial")
    assert (per_trial["lr"].nunique() == 1).all() and (per_trial["seed_index"].apply(list) == [[0, 1]] * 6).all()
    best = view.best(1)
    assert best["value"].iloc[0] == pytest.approx(per_trial["value"].mean().max())
    # the same spec proposes the same trials; another repeat proposes others
    again = run_search(spec, bump_objective)
    assert again.trials["run_id"].tolist() == view.trials["run_id"].tolist()
    other = run_search(dataclasses.replace(spec, repeat=1), bump_objective)
    assert not set(other.trials["run_id"]) & set(view.trials["run_id"])


def test_cancelled_search_stops_between_runs():
    calls = []

    def objective(config, pruner):
        calls.append(1)
        return 0.5

    view = run_search(SearchSpec(n_trials=50), objective, cancelled=lambda: len(calls) >= 5)
    assert len(calls) == 5 and len(view.trials) == 5


def test_progress_reports_rounds_and_trials():
    updates = []
    run_search(SearchSpec(strategy="coarse-to-fine", n_trials=10, rounds=2), bump_objective,
               progress=lambda **fields: updates.append(fields))
    # one report per finished run, with the round it belongs to
    assert [u["round"] for u in updates] == [0] * 5 + [1] * 5
    assert [u["n_trials_done"] for u in updates] == list(range(1, 11))
    assert updates[-1]["best_val_acc"] > 0.1
    assert all(a["best_val_acc"] <= b["best_val_acc"] for a, b in zip(updates, updates[1:]))


def test_bayes_batches_follow_the_batch_size():
    sizes = []

    def objective(config, pruner):
        return bump_objective(config, pruner)

    from core.search import runner

    original = runner.SearchLoop.run

    def spy(self, run_batch, **kwargs):
        return original(self, lambda configs, pruner, on: (sizes.append(len(configs)), run_batch(configs, pruner, on)),
                        **kwargs)

    runner.SearchLoop.run = spy
    try:
        run_search(SearchSpec(strategy="bayes", n_trials=14, n_startup=10, n_candidates=200), objective, batch=4)
    finally:
        runner.SearchLoop.run = original
    assert sizes == [4, 4, 4, 2]


def test_in_process_search_with_the_real_trainer_fills_and_reuses_the_store(tmp_path):
    spec = SearchSpec(n_trials=3, base=TINY, seed=4)
    view = run_search(spec, root=tmp_path)
    runs = ResultStore(tmp_path).load_runs()
    assert set(view.trials["run_id"]) == set(runs["run_id"])
    assert (view.trials["status"] == "complete").all() and not view.trials["cached"].any()
    merged = view.trials.merge(runs, on="run_id", suffixes=("", "_store"))
    assert np.allclose(merged["final_val_acc"], merged["final_val_acc_store"])
    assert view.trials["best_val_acc"].notna().all()  # joined from the runs table
    # the test split is scored once, at the end: the final test accuracy is there, the earlier epochs hold NaN
    assert (runs["test_every"] == "end").all() and runs["final_test_acc"].notna().all()
    assert view.trials["final_test_acc"].notna().all()
    curves = ResultStore(tmp_path).load_curves(runs["run_id"])
    last = curves.groupby("run_id")["epoch"].transform("max") == curves["epoch"]
    assert curves.loc[last, "test_acc"].notna().all() and curves.loc[~last, "test_acc"].isna().all()
    assert curves["val_acc"].notna().all()
    assert curves["weight_hist"].isna().all()  # trials take no mechanism snapshots: nothing of a search reads them
    again = run_search(spec, root=tmp_path)
    assert again.trials["cached"].all() and len(ResultStore(tmp_path).load_runs()) == 3


def test_a_pruned_run_is_not_a_cache_hit_for_a_full_run(tmp_path):
    base = dataclasses.replace(TINY, n_epochs=6)
    stopped = run_search(SearchSpec(n_trials=6, base=base, early_stop=True, min_epochs=1, eta=3, seed=2),
                         root=tmp_path)
    pruned = set(stopped.trials.loc[stopped.trials["status"] == "pruned", "run_id"])
    assert pruned
    full = run_search(SearchSpec(n_trials=6, base=base, seed=2), root=tmp_path)  # same proposals, no pruning
    assert full.trials["run_id"].tolist() == stopped.trials["run_id"].tolist()
    rows = full.trials.set_index("run_id")
    assert not rows.loc[list(pruned), "cached"].any()            # recomputed in full
    assert (rows.loc[list(pruned), "status"] == "complete").all()
    assert rows.drop(index=list(pruned))["cached"].all()          # the complete ones came from the cache
    assert trial_epochs(full.trials) == 6 * 6


def test_search_through_the_job_manager_end_to_end(tmp_path):
    manager = JobManager(tmp_path, max_workers=2)
    try:
        spec = SearchSpec(strategy="bayes", n_trials=4, n_startup=2, n_candidates=200, base=TINY, seed=1)
        job_id, spec = start_search(manager, spec)
        job = manager.wait(job_id, timeout=180)
        plain = manager.wait(manager.submit([dataclasses.replace(TINY, seed=12345)], "plain"), timeout=180)
    finally:
        manager.shutdown()
    assert job.state == "done", job
    assert plain.state == "done", plain
    assert (job.kind, job.search_id, job.n_trials_done, job.n_trials) == ("search", spec.search_id, 4, 4)
    view = load_search(ResultStore(tmp_path), spec.search_id)
    assert isinstance(view, SearchView) and view.trials["trial"].tolist() == [0, 1, 2, 3]
    runs = ResultStore(tmp_path).load_runs()
    assert set(view.trials["run_id"]) <= set(runs["run_id"])
    assert (view.trials["stopped_epoch"] == TINY.n_epochs).all()
    # batches 0 and 1 (2 trials each, as the 2 workers) were merged into batch 2 when the search ended
    files = sorted(p.name for p in (tmp_path / "searches").glob(f"{spec.search_id}.trials-*.parquet"))
    assert files == [f"{spec.search_id}.trials-000002.parquet"]
    assert list_searches(tmp_path)["search_id"].tolist() == [spec.search_id]
    # trials take no mechanism snapshots (the weight norms stay); a plain job's run in the same pool does
    curves = ResultStore(tmp_path).load_curves(view.trials["run_id"])
    assert curves["weight_hist"].isna().all() and curves["weight_norms"].notna().all()
    assert ResultStore(tmp_path).load_curves(plain.run_ids)["weight_hist"].notna().any()


def test_cancelling_a_search_job_keeps_finished_trials_only(tmp_path):
    manager = JobManager(tmp_path, max_workers=1)
    try:
        long = dataclasses.replace(TINY, n_epochs=100_000)
        job_id, spec = start_search(manager, SearchSpec(n_trials=3, base=long))
        deadline = time.time() + 60
        while time.time() < deadline and not getattr(read_job(tmp_path, job_id), "runs", ()):
            time.sleep(0.1)
        manager.cancel(job_id)
        job = manager.wait(job_id, timeout=60)
    finally:
        manager.shutdown()
    assert job.state == "cancelled"
    assert load_search(ResultStore(tmp_path), spec.search_id).trials.empty


@pytest.mark.parametrize("interval_s, n_files", [(0.0, 5), (3600.0, 2)])
def test_a_search_job_publishes_trials_files_at_most_every_interval(tmp_path, interval_s, n_files):
    """Within a batch a trials file waits for ``publish_interval_s``: the first two runs go at once, the other
    eight with the end of the (one, random) batch."""
    from core.search.runner import Outcome, SearchLoop
    from core.search.storage import trial_files, write_spec

    spec = SearchSpec(n_trials=10, base=TINY).with_id()
    write_spec(tmp_path, spec)
    loop = SearchLoop(spec, tmp_path, batch=2, publish_interval_s=interval_s)

    def run_batch(configs, pruner, on_outcome):
        for config in configs:
            on_outcome(config.run_id, Outcome("complete", bump_objective(config, None)))

    rows = loop.run(run_batch)
    assert len(rows) == 10 and len(trial_files(tmp_path, spec.search_id)) == n_files
    assert load_search(ResultStore(tmp_path), spec.search_id).trials["trial"].tolist() == list(range(10))
