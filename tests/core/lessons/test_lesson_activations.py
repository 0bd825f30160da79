"""Activation histograms: structure, determinism, and the book's findings for each initial weight scale."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.lessons.activations import ACTIVATIONS, INITS, N_BINS, activation_histograms, layer_activations


@pytest.fixture(scope="module")
def result():
    return activation_histograms(np.random.default_rng(0))


def stat(result, activation: str, init: str, column: str) -> np.ndarray:
    """(5,) values of ``column`` by layer."""
    s = result.summary
    return s[(s["activation"] == activation) & (s["init"] == init)].sort_values("layer")[column].to_numpy()


def test_structure(result):
    n_combinations = len(ACTIVATIONS) * len(INITS)
    assert len(result.summary) == n_combinations * 5
    assert len(result.histograms) == n_combinations * 5 * N_BINS
    h = result.histograms
    sig = h[h["activation"] == "sigmoid"]
    assert sig["bin_left"].min() == 0.0 and sig["bin_right"].max() == 1.0
    tanh = h[h["activation"] == "tanh"]
    assert tanh["bin_left"].min() == -1.0 and tanh["bin_right"].max() == 1.0


def test_counts_cover_every_output_and_relu_counts_the_positive_ones(result):
    totals = result.histograms.groupby(["activation", "init", "layer"], sort=False)["count"].sum()
    summary = result.summary.set_index(["activation", "init", "layer"])
    n_outputs = 1000 * 100
    for key, total in totals.items():
        expected = n_outputs if key[0] != "relu" else round(n_outputs * (1 - summary.loc[key, "zero_fraction"]))
        assert total == expected, key


def test_summary_matches_the_layer_outputs():
    """Recompute one combination by hand with the same stream layout and compare its summary row."""
    rng = np.random.default_rng(5)
    result = activation_histograms(rng, activations=("sigmoid",), inits=("std=1",), n_samples=50, n_units=20)
    rng = np.random.default_rng(5)
    x = rng.standard_normal((50, 100))
    streams = rng.spawn(3 * len(INITS))  # the full grid: relu, sigmoid, tanh × the four inits, in that order
    outputs = layer_activations(x, "sigmoid", "std", 1.0, 5, 20, streams[len(INITS)])
    a = outputs[2]
    row = result.summary.iloc[2]
    assert row["mean"] == pytest.approx(a.mean()) and row["std"] == pytest.approx(a.std())
    assert row["saturated_fraction"] == pytest.approx(np.mean((a <= 0.05) | (a >= 0.95)))


def test_deterministic_given_the_generator_and_a_subset_changes_nothing(result):
    again = activation_histograms(np.random.default_rng(0), activations=("tanh",), inits=("xavier",))
    full = result.summary[(result.summary["activation"] == "tanh") & (result.summary["init"] == "xavier")]
    pd.testing.assert_frame_equal(again.summary, full.reset_index(drop=True))
    other = activation_histograms(np.random.default_rng(1), activations=("tanh",), inits=("xavier",))
    assert not np.allclose(other.summary["std"], again.summary["std"])


def test_sigmoid_saturates_with_std_1_and_collapses_with_std_001(result):
    assert np.all(stat(result, "sigmoid", "std=1", "saturated_fraction") > 0.5)     # outputs pile at 0 and 1
    assert np.all(stat(result, "sigmoid", "std=0.01", "centre_fraction")[1:] > 0.9)  # ... or all near 0.5
    assert np.all(stat(result, "sigmoid", "xavier", "saturated_fraction") < 0.05)   # Xavier: spread, neither
    assert np.all(stat(result, "sigmoid", "xavier", "centre_fraction") < 0.5)


def test_tanh_with_xavier_stays_spread_and_std_001_vanishes(result):
    assert np.all(stat(result, "tanh", "std=1", "saturated_fraction") > 0.5)
    assert stat(result, "tanh", "std=0.01", "std")[-1] < 1e-3
    xavier = stat(result, "tanh", "xavier", "std")
    assert np.all(xavier > 0.2) and np.all(stat(result, "tanh", "xavier", "saturated_fraction") < 0.1)


def test_relu_keeps_its_spread_only_with_he(result):
    he = stat(result, "relu", "he", "std")
    assert 0.5 < he[-1] / he[0] < 2.0
    xavier = stat(result, "relu", "xavier", "std")
    assert xavier[-1] < xavier[0] / 2
    assert stat(result, "relu", "std=0.01", "std")[-1] < 1e-4
    assert np.all(np.abs(stat(result, "relu", "he", "zero_fraction") - 0.5) < 0.1)  # half the units are off


@pytest.mark.parametrize("kwargs, words", [({"activations": ("softplus",)}, "'activations'"),
                                           ({"inits": ("lecun",)}, "'inits'"), ({"n_layers": 0}, "'n_layers'")])
def test_bad_arguments_are_refused(kwargs, words):
    with pytest.raises(ValueError, match=words):
        activation_histograms(np.random.default_rng(0), **kwargs)
