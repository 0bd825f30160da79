from __future__ import annotations

import dataclasses
import json

import pytest

from core.config import ConfigError, RunConfig, config_with, parse_override

# (field, invalid value, words the message must contain): one row per RunConfig field.
INVALID = [
    ("dataset", "cifar", "must be one of 'mnist5k', 'digits', 'idx'. Got 'cifar'"),
    ("data_path", 3, "must be a string. Got 3"),
    ("n_train", 0, "'n_train' parameter must be an int in the range [1, inf). Got 0"),
    ("n_val", -1, "'n_val' parameter must be an int in the range [0, inf). Got -1"),
    ("n_test", 2.5, "'n_test' parameter must be an int in the range [0, inf). Got 2.5"),
    ("data_seed", -3, "'data_seed' parameter must be an int in the range [0, 4294967295]. Got -3"),
    ("hidden_sizes", (100, 0), "'hidden_sizes' parameter must be 1 to 50 layer sizes"),
    ("activation", "softsign", "'activation' parameter must be one of 'relu', 'sigmoid', 'tanh'. Got 'softsign'"),
    ("init", "lecun", "'init' parameter must be one of 'std', 'xavier', 'he'. Got 'lecun'"),
    ("init_std", 0.0, "'init_std' parameter must be a float in the range (0, 10]. Got 0.0"),
    ("batch_norm", "yes", "'batch_norm' parameter must be True or False. Got 'yes'"),
    ("dropout", 1.0, "'dropout' parameter must be a float in the range [0, 1). Got 1.0"),
    ("dropout_mode", "gaussian", "'dropout_mode' parameter must be one of 'book', 'inverted'. Got 'gaussian'"),
    ("optimizer", "lbfgs", "'optimizer' parameter must be one of 'sgd', 'momentum', 'nesterov', 'adagrad'"),
    ("lr", -1, "'lr' parameter must be a float in the range (0, 10]. Got -1"),
    ("momentum", 1.5, "'momentum' parameter must be a float in the range [0, 1). Got 1.5"),
    ("beta1", float("nan"), "'beta1' parameter must be a float in the range [0, 1). Got nan"),
    ("beta2", 1.0, "'beta2' parameter must be a float in the range [0, 1). Got 1.0"),
    ("rho", -0.1, "'rho' parameter must be a float in the range [0, 1). Got -0.1"),
    ("weight_decay", -0.1, "'weight_decay' parameter must be a float in the range [0, 100]. Got -0.1"),
    ("weight_decay_mode", "l1", "'weight_decay_mode' parameter must be one of 'l2', 'decoupled'. Got 'l1'"),
    ("n_epochs", 0, "'n_epochs' parameter must be an int in the range [1, 100000]. Got 0"),
    ("batch_size", 301, "'batch_size' parameter must be at most n_train (300). Got 301"),
    ("sampling", "stratified", "'sampling' parameter must be one of 'shuffle', 'book'. Got 'stratified'"),
    ("seed", True, "'seed' parameter must be an int in the range [0, 4294967295]. Got True"),
    ("dtype", "float16", "'dtype' parameter must be one of 'float32', 'float64'. Got 'float16'"),
    ("test_every", "never", "'test_every' parameter must be one of 'epoch', 'end'. Got 'never'"),
]


def test_every_field_has_an_invalid_value_case():
    assert {name for name, _, _ in INVALID} == {f.name for f in dataclasses.fields(RunConfig)}


@pytest.mark.parametrize(("name", "value", "words"), INVALID, ids=[row[0] for row in INVALID])
def test_invalid_value_names_field_range_and_value(name, value, words):
    with pytest.raises(ConfigError) as info:
        RunConfig(**{name: value})
    assert words in str(info.value)
    assert info.value.field == name


def test_replace_validates_again():
    with pytest.raises(ConfigError, match="'lr'"):
        dataclasses.replace(RunConfig(), lr=0.0)


def test_idx_needs_a_path_and_only_idx_takes_one():
    with pytest.raises(ConfigError, match="must be the path of a folder"):
        RunConfig(dataset="idx")
    with pytest.raises(ConfigError, match="only used with dataset='idx'"):
        RunConfig(data_path="/tmp/x")
    assert RunConfig(dataset="idx", data_path="/data/mnist").data_path == "/data/mnist"


def test_json_round_trip_and_canonical_form():
    config = RunConfig(hidden_sizes=(50, 20), weight_decay=0.1, dropout=0.2, seed=7)
    again = RunConfig.from_json(config.to_json())
    assert again == config and again.run_id == config.run_id
    assert json.loads(config.to_json())["hidden_sizes"] == [50, 20]
    assert " " not in config.to_json()


def test_from_json_errors_are_config_errors():
    with pytest.raises(ConfigError, match="not valid JSON"):
        RunConfig.from_json("{")
    with pytest.raises(ConfigError, match="Unknown config field 'learning_rate'"):
        RunConfig.from_json('{"learning_rate": 0.1}')


def test_run_id_and_group_id():
    a, b = RunConfig(seed=0), RunConfig(seed=1)
    assert a.run_id != b.run_id and a.group_id == b.group_id
    assert RunConfig(lr=0.1).group_id != a.group_id
    assert len(a.run_id) == 12 and int(a.run_id, 16) >= 0
    assert RunConfig(lr=1).run_id == RunConfig(lr=1.0).run_id  # int and float spell the same config


def test_label_names_the_regularisation():
    assert RunConfig(weight_decay=0.1, dropout=0.2).label() == "wd=0.1 · dropout=0.2 · 6×100 · sgd lr=0.01"
    assert RunConfig().label().startswith("no reg.")
    assert "seed=3" in RunConfig(seed=3).label(with_seed=True)


def test_parse_override_types():
    assert parse_override("lr=0.1") == ("lr", 0.1)
    assert parse_override("hidden_sizes=100x3") == ("hidden_sizes", (100, 100, 100))
    assert parse_override("hidden_sizes=50,20") == ("hidden_sizes", (50, 20))
    assert parse_override("batch_norm=true") == ("batch_norm", True)
    assert parse_override("n_epochs=5") == ("n_epochs", 5)
    with pytest.raises(ConfigError, match="'n_epochs' parameter must be int. Got 'five'"):
        parse_override("n_epochs=five")
    with pytest.raises(ConfigError, match="Unknown config field 'epochs'"):
        parse_override("epochs=5")
    with pytest.raises(ConfigError, match="Expected key=value"):
        parse_override("lr")


def test_config_with_rejects_unknown_keys():
    with pytest.raises(ConfigError, match="Unknown config field 'wd'"):
        config_with(RunConfig(), {"wd": 0.1})


def test_layer_counts_are_refused_before_the_tuple_is_built():
    # "1x999999999" would be an 8 GB tuple; it must fail on the count, at once
    with pytest.raises(ConfigError, match="must be 1 to 50 layers. Got '1x999999999'"):
        parse_override("hidden_sizes=1x999999999")
    with pytest.raises(ConfigError, match="must be 1 to 50 layers. Got 51"):
        parse_override("hidden_sizes=" + ",".join(["10"] * 51))


def test_decoupled_decay_must_shrink_not_flip():
    with pytest.raises(ConfigError, match="lr \\* weight_decay must be below 1. Got 0.5 \\* 4.0 = 2"):
        RunConfig(weight_decay_mode="decoupled", lr=0.5, weight_decay=4.0)
    assert RunConfig(weight_decay_mode="decoupled", lr=0.5, weight_decay=1.0).weight_decay == 1.0
