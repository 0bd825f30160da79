from __future__ import annotations

import dataclasses
import json

import pytest

from core.config import ConfigError
from core.search import BOOK_BASE, Param, SearchSpace, SearchSpec, check_search_id


def test_book_defaults():
    spec = SearchSpec()
    assert (spec.strategy, spec.n_trials, spec.n_epochs, spec.early_stop) == ("random", 100, 50, False)
    base = spec.base
    assert (base.n_train, base.n_val, base.n_test, base.hidden_sizes, base.optimizer, base.batch_size) == \
        (400, 100, 1000, (100,) * 6, "sgd", 100)


def test_a_search_without_validation_data_is_refused():
    with pytest.raises(ValueError) as info:
        SearchSpec(base=dataclasses.replace(BOOK_BASE, n_val=0))
    message = str(info.value)
    assert "validation data, never on test" in message and "n_val" in message


@pytest.mark.parametrize("kwargs, message", [
    (dict(strategy="hyperband"), "'strategy'"),
    (dict(n_trials=0), "'n_trials'"),
    (dict(rounds=2), "Only the 'coarse-to-fine' strategy has rounds"),
    (dict(strategy="coarse-to-fine", n_trials=3, rounds=4), "at most n_trials"),
    (dict(seeds=0), "'seeds'"),
    (dict(early_stop=True, min_epochs=50), "room for a rung"),
    (dict(early_stop=True, min_epochs=30), r"30 x 2 = 60. Lower min_epochs to at most 25"),
    (dict(early_stop=True, min_epochs=20, eta=3), r"20 x 3 = 60. Lower min_epochs to at most 16"),
    (dict(eta=1), "'eta'"),
    (dict(rung_metric="val_accuracy"), "'rung_metric'"),
    (dict(top_fraction=0.0), "'top_fraction'"),
    (dict(margin=-0.1), "'margin'"),
    (dict(search_id="../etc"), "Not a search id"),
    (dict(box={"lr": (1e-7, 1e-3)}), "inside the search space"),
])
def test_invalid_specs_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        SearchSpec(**kwargs)


def test_space_ends_must_make_valid_configs():
    with pytest.raises(ConfigError, match="'dropout'"):
        SearchSpec(space=SearchSpace((Param("dropout", 0.0, 1.0),)))


def test_json_round_trip_keeps_everything():
    spec = SearchSpec(strategy="coarse-to-fine", rounds=3, n_trials=30, early_stop=True, min_epochs=2, seeds=2,
                      rung_metric="val_acc", seed=5, repeat=1, box={"lr": (1e-5, 1e-3)}, parent="abc/0",
                      space=SearchSpace((*SearchSpace.book().params, Param("batch_size", 20, 100, "int"),
                                         Param("dropout", scale="choice", choices=(0.0, 0.2))))).with_id()
    again = SearchSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec
    assert spec.to_dict()["early_stop"]["rungs"] == [2, 4, 8, 16]  # eta 2 by default
    assert spec.to_dict()["early_stop"]["metric"] == "val_acc"


def test_rungs_rank_on_validation_loss_unless_an_older_spec_says_otherwise():
    assert SearchSpec().rung_metric == "val_loss"
    old = SearchSpec(early_stop=True).to_dict()
    del old["early_stop"]["metric"]  # written before the choice existed, when rungs ranked on accuracy
    assert SearchSpec.from_dict(old).rung_metric == "val_acc"


def test_trial_seeds_are_independent_streams_fixed_by_seed_and_repeat():
    spec = SearchSpec(seeds=3)
    assert spec.trial_seeds(0) == SearchSpec(seeds=3).trial_seeds(0)
    assert len(set(spec.trial_seeds(0))) == 3
    assert spec.trial_seeds(0) != spec.trial_seeds(1)
    assert spec.trial_seeds(0) != SearchSpec(seeds=3, repeat=1).trial_seeds(0)
    assert all(0 <= s < 2**32 for s in spec.trial_seeds(7))


@pytest.mark.parametrize("bad", ["", "../x", "a/b", "a b", "-abc", "x" * 65, "a.json", None, 5])
def test_malformed_search_ids_are_refused(bad):
    with pytest.raises(ValueError, match="Not a search id"):
        check_search_id(bad)


def test_trials_split_over_rounds():
    assert SearchSpec(strategy="coarse-to-fine", n_trials=100, rounds=3).trials_per_round() == [33, 33, 34]
