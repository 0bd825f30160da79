from __future__ import annotations

import dataclasses
import json

import pytest

from core.config import RunConfig
from core.presets import OVERFIT
from core.sweep import DEFAULT_N_VAL, Axis, SweepError, SweepSpec, make_spec


def test_a_base_without_validation_gets_a_validation_split():
    spec = make_spec(OVERFIT, {"weight_decay": "0,0.1"}, seeds=2)
    assert OVERFIT.n_val == 0 and spec.base.n_val == DEFAULT_N_VAL
    assert (spec.base.n_train, spec.base.n_test) == (OVERFIT.n_train, OVERFIT.n_test)  # the 300-image setup
    keep = make_spec(dataclasses.replace(OVERFIT, n_val=50), {"weight_decay": "0,0.1"})
    assert keep.base.n_val == 50


def test_a_spec_without_validation_is_refused():
    with pytest.raises(SweepError, match=r"chooses its point on validation data.*\(n_val=0\)") as caught:
        SweepSpec(OVERFIT, (Axis("weight_decay", (0.0, 0.1)),))
    assert caught.value.field == "n_val"


def test_json_round_trip_and_a_content_id():
    spec = make_spec(OVERFIT, {"weight_decay": "0,1e-4..1x9log", "dropout": "0,0.1"}, seeds=3)
    again = SweepSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec and again.sweep_id == spec.sweep_id and again.grids == ("0,1e-4..1x9log", "0,0.1")
    assert spec.sweep_id.startswith("weight_decay-dropout-") and len(spec.sweep_id) <= 64
    # the id follows the content, not how it was typed or when
    same = make_spec(OVERFIT, {"weight_decay": "1e-4..1x9log,0", "dropout": "0.1,0"}, seeds=3)
    assert same.sweep_id == spec.sweep_id
    assert make_spec(OVERFIT, {"weight_decay": "0,1e-4..1x9log", "dropout": "0,0.1"}, seeds=4).sweep_id != spec.sweep_id
    other_base = make_spec(dataclasses.replace(OVERFIT, n_epochs=100), {"weight_decay": "0,1e-4..1x9log",
                                                                        "dropout": "0,0.1"}, seeds=3)
    assert other_base.sweep_id != spec.sweep_id


def test_a_tampered_file_is_refused():
    data = make_spec(OVERFIT, {"weight_decay": "0,0.1"}).to_dict()
    data["axes"][0]["values"] = [0.0, 0.2]
    with pytest.raises(ValueError, match="key does not match"):
        SweepSpec.from_dict(data)


def test_two_fields_make_the_cartesian_grid_first_field_outer():
    spec = make_spec(OVERFIT, {"weight_decay": "0,0.1,1", "dropout": "0,0.2"}, seeds=2)
    assert spec.n_points == 6 and spec.n_runs == 12
    assert spec.point_values()[:3] == [{"weight_decay": 0.0, "dropout": 0.0}, {"weight_decay": 0.0, "dropout": 0.2},
                                       {"weight_decay": 0.1, "dropout": 0.0}]
    configs = spec.configs()
    assert [(p, i) for p, i, _ in configs[:3]] == [(0, 0), (0, 1), (1, 0)]
    _, _, config = configs[3]
    assert (config.weight_decay, config.dropout, config.seed) == (0.0, 0.2, 1)
    assert len({c.run_id for _, _, c in configs}) == 12


def test_hidden_width_and_depth_set_every_layer():
    spec = make_spec(OVERFIT, {"hidden_width": "50,100", "hidden_depth": "2,6"}, seeds=1)
    sizes = [c.hidden_sizes for _, _, c in spec.configs()]
    assert sizes == [(50, 50), (50,) * 6, (100, 100), (100,) * 6]
    with pytest.raises(SweepError, match=r"share one width\. Got hidden_sizes=\[100, 50\]"):
        make_spec(RunConfig(hidden_sizes=(100, 50), n_val=100), {"hidden_width": "10,20"})


def test_every_point_must_be_a_valid_config():
    base = RunConfig(n_val=100, weight_decay_mode="decoupled", lr=0.5)
    with pytest.raises(SweepError, match=r"^lr=0.5, weight_decay=4: With weight_decay_mode='decoupled'"):
        make_spec(base, {"lr": "0.1,0.5", "weight_decay": "1,4"})


@pytest.mark.parametrize(("vary", "base", "expected"), [
    ({"weight_decay": "0,0.1,1"}, OVERFIT, {"weight_decay": 0.0}),
    ({"dropout": "0.1,0.2"}, dataclasses.replace(OVERFIT, dropout=0.2), {"dropout": 0.2}),  # no 0: the base's value
    ({"lr": "0.001,0.1"}, OVERFIT, {"lr": 0.001}),                                        # neither: the smallest
    ({"hidden_depth": "2,6"}, OVERFIT, {"hidden_depth": 6}),
    ({"weight_decay": "0,1", "dropout": "0,0.5"}, OVERFIT, {"weight_decay": 0.0, "dropout": 0.0}),
])
def test_the_baseline_is_no_regularization_else_the_base_value(vary, base, expected):
    assert make_spec(base, vary).baseline() == expected


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"seeds": 0}, "seeds"), ({"seeds": 101}, "seeds"), ({"first_seed": -1}, "first_seed"),
])
def test_seed_counts_are_checked(kwargs, field):
    with pytest.raises(SweepError, match=rf"The '{field}' parameter must be an int in the range") as caught:
        make_spec(OVERFIT, {"weight_decay": "0,0.1"}, **kwargs)
    assert caught.value.field == field
