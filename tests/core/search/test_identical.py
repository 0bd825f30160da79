"""An identical search (same strategy, space, base, trials, seeds, search seed, early stopping) is found, whatever
its created time; any of those fields changed makes another search."""
from __future__ import annotations

import dataclasses

import pytest

from core.config import RunConfig
from core.search import SearchSpec, find_identical, run_search, search_members, write_spec
from core.search.storage import spec_identity

BASE = RunConfig(n_train=60, n_val=30, n_test=60, hidden_sizes=(8,), n_epochs=1, batch_size=30)


def test_identity_ignores_the_id_the_created_time_and_unused_early_stop_settings():
    spec = SearchSpec(strategy="random", n_trials=3, base=BASE).with_id()
    again = dataclasses.replace(spec, search_id="", created="2030-01-01T00:00:00+00:00")
    assert spec_identity(spec) == spec_identity(again)
    assert spec_identity(dataclasses.replace(spec, min_epochs=2)) == spec_identity(spec)  # early stop is off
    on = dataclasses.replace(spec, base=dataclasses.replace(BASE, n_epochs=9), early_stop=True, min_epochs=1)
    assert spec_identity(dataclasses.replace(on, min_epochs=3)) != spec_identity(on)


@pytest.mark.parametrize("change", [{"n_trials": 4}, {"seeds": 2}, {"seed": 1}, {"repeat": 1}, {"strategy": "grid"},
                                    {"base": dataclasses.replace(BASE, n_epochs=2)}, {"min_epochs": 2}])
def test_find_identical_finds_the_stored_search_and_nothing_for_another(tmp_path, change):
    view = run_search(SearchSpec(strategy="random", n_trials=3, base=BASE), root=tmp_path)
    relaunch = dataclasses.replace(view.spec, search_id="", created="")
    found, n_done = find_identical(tmp_path, relaunch)
    assert found.search_id == view.search_id and n_done == 3
    assert find_identical(tmp_path, view.spec) is None  # a search is not a copy of itself
    other = dataclasses.replace(relaunch, **change)
    assert find_identical(tmp_path, other) is None or change == {"min_epochs": 2}  # unused while early stop is off
    if change == {"min_epochs": 2}:
        assert find_identical(tmp_path, other)[0].search_id == view.search_id


def test_search_members_lists_each_trials_run(tmp_path):
    view = run_search(SearchSpec(strategy="random", n_trials=3, base=BASE), root=tmp_path)
    write_spec(tmp_path, SearchSpec(strategy="random", n_trials=2, base=BASE).with_id())  # a search with no trial yet
    members = search_members(tmp_path)
    assert set(members["run_id"]) == set(view.trials["run_id"]) and set(members["search_id"]) == {view.search_id}
    assert sorted(members["trial"]) == [0, 1, 2]
