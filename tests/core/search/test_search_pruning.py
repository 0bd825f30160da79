from __future__ import annotations

import pickle

import numpy as np
import pytest

from core.search import RungPruner, SearchSpec, promotable, run_search, rung_epochs
from synthetic import curve_objective


def test_rungs_sit_at_min_epochs_times_powers_of_eta_below_n_epochs():
    assert rung_epochs(5, 3, 50) == (5, 15)
    assert rung_epochs(1, 3, 50) == (1, 3, 9)
    assert rung_epochs(2, 2, 8) == (2, 4)
    assert rung_epochs(10, 3, 10) == ()


def test_promotion_rule_is_optunas_top_one_over_eta():
    # fewer than eta competitors: only the best so far goes on
    assert promotable(0.5, np.array([0.5]), 3)
    assert not promotable(0.4, np.array([0.5, 0.4]), 3)
    # 9 competitors, eta=3: the top 3 go on
    values = np.arange(9) / 10.0
    assert [promotable(v, values, 3) for v in values] == [False] * 6 + [True] * 3
    assert not promotable(float("nan"), values, 3)


def _simulate(folder, seed: int, n: int = 300, eta: int = 3, metric: str = "val_acc"):
    """n trials with monotone curves arrive in random order; returns (pruner, reached, kept, decisions).

    A trial's accuracy rises towards its final value and its loss is ``1 - accuracy``, so both metrics rank the
    trials the same way and ``decisions`` holds the accuracy rule whichever metric the pruner reads.
    """
    pruner = RungPruner(folder, min_epochs=1, eta=eta, n_epochs=30, metric=metric)
    rng = np.random.default_rng(seed)
    finals = rng.random(n)
    reached = {epoch: 0 for epoch in pruner.rungs}
    kept = {epoch: 0 for epoch in pruner.rungs}
    seen: dict[int, list[float]] = {epoch: [] for epoch in pruner.rungs}
    decisions = []  # (pruned by the pruner, pruned by the rule computed here)
    for i in rng.permutation(n):
        for epoch in range(1, 30):
            value = finals[i] * (1 - np.exp(-epoch / 5))
            stop = pruner(f"run{i:04d}", epoch, {"val_acc": value, "val_loss": 1.0 - value})
            if epoch in seen:
                reached[epoch] += 1
                seen[epoch].append(value)
                top = sorted(seen[epoch], reverse=True)[:max(1, len(seen[epoch]) // eta)]
                decisions.append((stop, value < top[-1]))
                kept[epoch] += not stop
            if stop:
                break
    return pruner, reached, kept, decisions


@pytest.mark.parametrize("metric", ["val_acc", "val_loss"])
def test_successive_halving_applies_the_top_one_over_eta_rule_at_every_rung(tmp_path, metric):
    # At each rung a trial goes on iff it is in the best max(1, m // eta) of the m values recorded there so far
    # (highest accuracy, or lowest loss).
    pruner, reached, kept, decisions = _simulate(tmp_path, seed=0, metric=metric)
    assert pruner.rungs == (1, 3, 9)
    assert len(decisions) == sum(reached.values()) > 300
    assert all(stop == expected for stop, expected in decisions)
    # every rung file is one (rung, run) pair: the runs recorded at rung 3 are exactly those kept at rung 1
    assert len(pruner.values(3)) == kept[1] == reached[3]


def test_successive_halving_keeps_the_stated_fraction(tmp_path):
    # Asynchronous arrivals make the kept fraction random; its expectation over 300 arrivals is 0.331 for eta=3.
    # Averaged over 5 orders, the first rung keeps 1/eta within 0.04 (a rule keeping 1/2 or 1/4 fails this).
    fractions = []
    for seed in range(5):
        _, reached, kept, _ = _simulate(tmp_path / str(seed), seed=seed)
        fractions.append(kept[1] / reached[1])
    assert abs(np.mean(fractions) - 1 / 3) <= 0.04, fractions


def test_pruner_is_picklable_and_shares_rungs_through_its_folder(tmp_path):
    pruner = RungPruner(tmp_path, min_epochs=2, eta=2, n_epochs=10, metric="val_acc")
    clone = pickle.loads(pickle.dumps(pruner))  # as a worker process receives it
    assert clone("a" * 12, 2, {"val_acc": 0.9}) is False
    assert pruner("b" * 12, 2, {"val_acc": 0.1}) is True  # the clone's result is seen through the files
    assert set(pruner.values(2)) == {"a" * 12, "b" * 12}
    assert pruner.bind("c" * 12)(3, {"val_acc": 0.0}) is False  # not a rung
    (tmp_path / "rung-2" / ".tmp-123-x").write_text("1.0")  # a write in progress is ignored
    (tmp_path / "rung-2" / "broken").write_text("not a number")  # and a broken file too
    assert set(pruner.values(2)) == {"a" * 12, "b" * 12}


def test_loss_rungs_keep_the_lowest_loss_and_rank_a_diverged_trial_last(tmp_path):
    pruner = RungPruner(tmp_path, min_epochs=1, eta=2, n_epochs=4)  # default metric: validation loss
    assert pruner.metric == "val_loss"
    assert pruner("a" * 12, 1, {"val_loss": 2.0, "val_acc": 0.5}) is False  # the only one so far
    assert pruner("b" * 12, 1, {"val_loss": 1.0, "val_acc": 0.1}) is False  # lower loss goes on, whatever its acc
    assert pruner("c" * 12, 1, {"val_loss": 3.0, "val_acc": 0.9}) is True
    assert pruner("d" * 12, 1, {"val_loss": float("nan"), "val_acc": 0.9}) is True  # diverged
    assert pruner("e" * 12, 1, {"val_acc": 0.9}) is True                          # no loss reported
    assert pruner.values(1)["b" * 12] == 1.0  # the files hold the metric itself, not its sign-flipped score


@pytest.mark.parametrize("kwargs, message", [
    (dict(min_epochs=0, eta=3, n_epochs=10), "'min_epochs'"),
    (dict(min_epochs=2, eta=1, n_epochs=10), "'eta'"),
    (dict(min_epochs=10, eta=3, n_epochs=10), "room for a rung"),
    (dict(min_epochs=5, eta=3, n_epochs=10), r"5 x 3 = 15. Lower min_epochs to at most 3"),
    (dict(min_epochs=1, eta=3, n_epochs=2), r"1 x 3 = 3. Train for at least 3 epochs"),
    (dict(min_epochs=2, eta=3, n_epochs=10, metric="test_acc"), "'rung_metric'.*'val_loss', 'val_acc'"),
])
def test_invalid_pruner_settings_are_refused(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        RungPruner(tmp_path, **kwargs)


def test_early_stopping_in_a_search_records_pruned_trials_and_saves_epochs():
    spec = SearchSpec(strategy="random", n_trials=60, early_stop=True, min_epochs=2, eta=3,
                      base=SearchSpec().base.__class__(**{**SearchSpec().base.to_dict(), "n_epochs": 30,
                                                          "hidden_sizes": (100,) * 6}))
    plain = run_search(SearchSpec(strategy="random", n_trials=60, base=spec.base), curve_objective)
    stopped = run_search(spec, curve_objective)
    trials = stopped.trials
    assert set(trials["status"]) == {"complete", "pruned"}
    pruned = trials[trials["status"] == "pruned"]
    assert set(pruned["stopped_epoch"]) <= {2, 6}
    assert trials["stopped_epoch"].sum() < plain.trials["stopped_epoch"].sum() / 3
    # same proposals (same seed): early stopping still finds the best trial, which is never pruned
    assert trials["value"].max() == pytest.approx(plain.trials["value"].max())
    assert trials.loc[trials["value"].idxmax(), "status"] == "complete"


def test_a_worker_unpickling_a_pruner_loads_neither_pandas_nor_the_store(tmp_path):
    # A pool worker unpickles the search's RungPruner before its first trial: that must not import the search's
    # runner (pandas, pyarrow, the store): core.search loads its names lazily. In a fresh interpreter, as a worker.
    import subprocess
    import sys
    from pathlib import Path

    heavy = ("pandas", "pyarrow", "core.store", "core.search.runner", "core.search.storage")
    code = ("import pickle, sys; pruner = pickle.loads(sys.stdin.buffer.read()); "
            f"print(type(pruner).__name__, [m for m in {heavy!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], input=pickle.dumps(RungPruner(tmp_path, n_epochs=50)),
                          capture_output=True, cwd=Path(__file__).resolve().parents[3], timeout=120)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    assert done.stdout.decode().split(None, 1) == ["RungPruner", "[]\n"]


def test_every_public_name_of_core_search_resolves_to_its_module():
    import importlib

    import core.search

    for name in core.search.__all__:
        module = importlib.import_module(f"core.search.{core.search._MODULE_OF[name]}")
        assert getattr(core.search, name) is getattr(module, name)
    assert set(core.search.__all__) == set(core.search._MODULE_OF)
    with pytest.raises(AttributeError, match="no_such_name"):
        core.search.no_such_name  # noqa: B018


# ---- ordered decisions: the same trials stop whatever the workers and whoever reaches a rung first ----------------
def _decide(pruner, run_id, value, out):
    out[run_id] = pruner(run_id, 1, {"val_loss": value})


def test_a_rung_decides_as_if_the_batch_arrived_in_order_whoever_gets_there_first(tmp_path):
    import threading

    values = {"a": 0.5, "b": 0.3, "c": 0.9, "d": 0.2}  # losses: lower is better
    in_order = RungPruner(tmp_path / "in-order", min_epochs=1, eta=3, n_epochs=3)
    in_order.order = {run_id: k for k, run_id in enumerate(values)}
    expected = {}
    for run_id, value in values.items():
        _decide(in_order, run_id, value, expected)
    assert expected == {"a": False, "b": False, "c": True, "d": False}  # False = goes on
    reverse = RungPruner(tmp_path / "reverse", min_epochs=1, eta=3, n_epochs=3)
    reverse.order = dict(in_order.order)
    got: dict[str, bool] = {}
    threads = [threading.Thread(target=_decide, args=(reverse, run_id, values[run_id], got)) for run_id in "dcb"]
    for thread in threads:  # the last trials of the batch get to the rung first; each waits for those before it
        thread.start()
    _decide(reverse, "a", values["a"], got)
    for thread in threads:
        thread.join(timeout=30)
    assert got == expected


def test_a_trial_that_ended_before_the_rung_is_not_waited_for(tmp_path):
    import time

    pruner = RungPruner(tmp_path, min_epochs=1, eta=3, n_epochs=3)
    pruner.order = {"gone": 0, "here": 1}
    pruner.ended("gone")  # stopped (or diverged) before epoch 1: no value there, ever
    start = time.monotonic()
    assert pruner("here", 1, {"val_loss": 0.4}) is False  # alone at the rung: it goes on
    assert time.monotonic() - start < 5


def test_a_later_trial_of_the_batch_is_left_out_of_an_earlier_ones_ranking(tmp_path):
    pruner = RungPruner(tmp_path, min_epochs=1, eta=3, n_epochs=3)
    pruner.order = {"first": 0, "second": 1}
    pruner.record("second", 1, 0.1)  # the second trial got there first, with a better loss
    assert "second" not in pruner.ranked_against("first", 1)
    assert pruner("first", 1, {"val_loss": 0.5}) is False  # ranked as if alone: it goes on, as it would in order


ES_ARGS = ["search", "--strategy", "random", "--trials", "12", "--epochs", "9", "--early-stop", "--min-epochs", "1",
           "--eta", "3", "--seed", "5", "--quiet", "--set", "hidden_sizes=20x2", "--set", "n_train=100",
           "--set", "n_val=50", "--set", "n_test=100", "--set", "batch_size=50"]


def _stops(root) -> list[tuple[int, str, int]]:
    from core.search import list_searches, load_search
    from core.store import ResultStore

    search_id = list_searches(root).loc[0, "search_id"]
    trials = load_search(ResultStore(root), search_id).trials.sort_values("trial")
    return list(zip(trials["trial"].astype(int), trials["status"], trials["stopped_epoch"].astype(int)))


def test_an_early_stopping_search_stops_the_same_trials_with_one_worker_or_two(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[3]
    stops = {}
    for workers in (1, 2):
        root = tmp_path / f"w{workers}"
        proc = subprocess.run([sys.executable, "-m", "core", "--results", str(root), *ES_ARGS, "--workers",
                               str(workers)], cwd=repo, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        stops[workers] = _stops(root)
    assert len(stops[1]) == 12 and any(status == "pruned" for _, status, _ in stops[1])
    assert stops[1] == stops[2]


def test_a_rerun_that_finds_trials_in_the_cache_stops_the_same_trials(tmp_path):
    import dataclasses

    from core.config import RunConfig

    base = RunConfig(hidden_sizes=(20, 20), n_train=100, n_val=50, n_test=100, batch_size=50)
    spec = SearchSpec(strategy="random", n_trials=10, base=dataclasses.replace(base, n_epochs=9), early_stop=True,
                      min_epochs=1, eta=3, seed=2)
    first = run_search(spec, root=tmp_path)
    again = run_search(spec, root=tmp_path)  # the finished trials come from the cache now
    assert again.trials["cached"].any()
    key = ["trial", "status", "stopped_epoch"]
    assert first.trials.sort_values("trial")[key].values.tolist() == again.trials.sort_values("trial")[key].values.tolist()


def test_replaying_the_rule_on_a_full_searchs_curves_stops_the_trials_a_search_with_early_stopping_stops(tmp_path):
    """``bench/replay_early_stop.py`` judges early-stopping settings (the default eta among them) by replaying them
    on full searches' stored curves; the replay must give what the search itself gives with early stopping."""
    import subprocess
    import sys
    from pathlib import Path

    from bench.replay_early_stop import replay, trials_of

    repo = Path(__file__).resolve().parents[3]
    plain = [arg for arg in ES_ARGS if arg != "--early-stop"]
    for root, args in ((tmp_path / "es", ES_ARGS), (tmp_path / "full", plain)):
        proc = subprocess.run([sys.executable, "-m", "core", "--results", str(root), *args, "--workers", "2"],
                              cwd=repo, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
    stops = _stops(tmp_path / "es")
    assert any(status == "pruned" for _, status, _ in stops)
    from core.search import list_searches, load_search
    from core.store import ResultStore

    search_id = list_searches(tmp_path / "es").loc[0, "search_id"]
    best = float(load_search(ResultStore(tmp_path / "es"), search_id).trials["value"].max())
    assert replay(trials_of(tmp_path / "full"), 1, 3, "val_loss") == (best, [epoch for _, _, epoch in stops])
