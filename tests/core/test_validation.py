from __future__ import annotations

import math

import numpy as np
import pytest

from core.config import ConfigError, RunConfig
from core.optim import SGD
from core.search import SearchSpec
from core.validation import (ParameterError, check_choice, check_float, check_int, check_layer_sizes, check_string,
                             interval)


@pytest.mark.parametrize(("args", "kwargs", "text"), [
    ((0, math.inf), {}, "[0, inf)"),
    ((0, math.inf), {"low_open": True}, "(0, inf)"),
    ((0.0, 1.0), {"high_open": True}, "[0, 1)"),
    ((0.0, 10.0), {"low_open": True}, "(0, 10]"),
    ((1, 4294967295), {}, "[1, 4294967295]"),
    ((-math.inf, 0.5), {}, "(-inf, 0.5]"),
])
def test_interval_notation_is_one_and_infinity_is_open(args, kwargs, text):
    assert interval(*args, **kwargs) == text


@pytest.mark.parametrize(("call", "message"), [
    (lambda: check_float("weight_decay", -1, 0.0), "The 'weight_decay' parameter must be a float in the range "
                                                    "[0, inf). Got -1 instead."),
    (lambda: check_float("lr", math.nan, 0.0, low_open=True), "must be a float in the range (0, inf). Got nan"),
    (lambda: check_int("eta", 1, 2), "The 'eta' parameter must be an int in the range [2, inf). Got 1 instead."),
    (lambda: check_int("n", True, 0), "Got True instead."),
    (lambda: check_int("n", np.int64(3), 0), "must be an int"),  # not JSON-serializable in a config
    (lambda: check_choice("x", "b", ("a", "c")), "The 'x' parameter must be one of 'a', 'c'. Got 'b' instead."),
    (lambda: check_string("parent", "p" * 3, 2), "must be a string of at most 2 characters. Got 'ppp' instead."),
    (lambda: check_layer_sizes("h", (1, 0), 50, 10), "must be 1 to 50 layer sizes, each an int in the range [1, 10]"),
])
def test_each_check_says_name_constraint_and_value(call, message):
    with pytest.raises(ParameterError) as info:
        call()
    assert message in str(info.value) and isinstance(info.value, ValueError)


def test_config_optimizer_and_search_spec_speak_the_same_message():
    messages = []
    for build in (lambda: RunConfig(lr=-1.0), lambda: SGD([np.zeros(2)], lr=-1.0, decay_mask=[True]),
                  lambda: SearchSpec(n_trials=0)):
        with pytest.raises(ParameterError) as info:
            build()
        messages.append(str(info.value))
    assert messages[0] == "The 'lr' parameter must be a float in the range (0, 10]. Got -1.0 instead."
    assert messages[1] == "The 'lr' parameter must be a float in the range (0, inf). Got -1.0 instead."
    assert messages[2] == "The 'n_trials' parameter must be an int in the range [1, inf). Got 0 instead."


def test_a_config_error_still_names_its_field():
    with pytest.raises(ConfigError) as info:
        RunConfig(dropout=1.0)
    assert info.value.field == "dropout" and "[0, 1)" in str(info.value)
