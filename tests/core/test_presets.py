from __future__ import annotations

import pytest

from core.presets import HEADLINE, PRESETS, get_preset


def test_the_book_setups():
    overfit = get_preset("overfit").configs[0]
    assert (overfit.n_train, overfit.hidden_sizes, overfit.optimizer, overfit.lr, overfit.batch_size, overfit.n_epochs) \
        == (300, (100,) * 6, "sgd", 0.01, 100, 200)
    assert overfit.weight_decay == 0 and overfit.dropout == 0
    assert [c.weight_decay for c in get_preset("weight-decay").configs] == [0.1]
    assert sorted(c.dropout for c in get_preset("dropout").configs) == [0.15, 0.2]
    assert {c.n_epochs for c in get_preset("dropout").configs} == {300}
    assert [c.optimizer for c in get_preset("optimizers").configs] == ["sgd", "momentum", "adagrad", "adam"]
    assert [c.init for c in get_preset("init").configs] == ["std", "xavier", "he"]
    assert sorted(c.batch_norm for c in get_preset("batchnorm").configs) == [False, True]
    assert set(HEADLINE) <= set(PRESETS)


def test_seeds_multiply_configs_and_differ_only_by_seed():
    configs = get_preset("dropout").configs_for_seeds(3)
    assert len(configs) == 6 and len({c.run_id for c in configs}) == 6 and len({c.group_id for c in configs}) == 2
    assert [c.seed for c in get_preset("overfit").configs_for_seeds(2, first_seed=5)] == [5, 6]


def test_unknown_preset_and_bad_seed_count():
    with pytest.raises(KeyError, match="Unknown preset 'dropuot'; known presets: overfit"):
        get_preset("dropuot")
    with pytest.raises(ValueError, match="'seeds' parameter must be an int in the range \\[1, 1000\\]. Got 0"):
        get_preset("overfit").configs_for_seeds(0)
