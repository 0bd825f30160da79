"""Optimizer paths on f(x, y) = x²/20 + y²: first steps by hand, and the shapes the book's figure 6-8 shows."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core.lessons.optimizer_paths import BOOK_LEARNING_RATES, START, f, optimizer_path, optimizer_paths


@pytest.fixture(scope="module")
def result():
    return optimizer_paths()


def test_sgd_first_step_is_the_hand_formula():
    x0, y0 = START
    lr = BOOK_LEARNING_RATES["SGD"]
    first = optimizer_path("SGD", lr, n_steps=1)[1]
    assert first == pytest.approx([x0 - lr * x0 / 10, y0 - lr * 2 * y0])  # (-6.335, -1.8)


def test_adaptive_first_steps_move_each_coordinate_by_lr():
    """AdaGrad's and Adam's first step is lr * sign(gradient) per coordinate (the gradient over its own size)."""
    for name in ("AdaGrad", "Adam"):
        lr = BOOK_LEARNING_RATES[name]
        assert optimizer_path(name, lr, n_steps=1)[1] == pytest.approx(np.add(START, [lr, -lr]), abs=1e-5)  # eps=1e-7 shifts Adam by ~1e-6


def test_paths_have_start_plus_n_steps_rows_and_f_matches(result):
    paths = result.paths
    assert list(paths["optimizer"].unique()) == list(BOOK_LEARNING_RATES)
    for _, path in paths.groupby("optimizer"):
        assert list(path["step"]) == list(range(31))
        assert (path["x"].iloc[0], path["y"].iloc[0]) == START
    assert np.allclose(paths["f"], paths["x"] ** 2 / 20 + paths["y"] ** 2)
    assert result.grid_f.shape == (len(result.grid_y), len(result.grid_x))
    assert result.grid_f[0, 0] == pytest.approx(f(result.grid_x[0], result.grid_y[0]))


def test_every_path_heads_to_the_minimum(result):
    start_distance = math.hypot(*START)
    distances = result.final_distances()
    assert (distances < start_distance / 5).all(), distances
    for name, path in result.paths.groupby("optimizer"):
        assert path["f"].iloc[-1] < path["f"].iloc[0] / 50, name


def test_the_behaviours_of_figure_6_8(result):
    paths = {name: path for name, path in result.paths.groupby("optimizer")}
    y_sign_changes = {name: int(np.count_nonzero(np.diff(np.sign(p["y"])))) for name, p in paths.items()}
    assert y_sign_changes["SGD"] == 30          # SGD zig-zags across the steep y axis at every step
    assert y_sign_changes["AdaGrad"] == 0       # AdaGrad damps the steep axis: y decays without crossing 0
    assert paths["Momentum"]["x"].max() > 0     # the ball rolls past the minimum along x
    distances = result.final_distances()
    assert distances.idxmin() == "AdaGrad"      # measured: AdaGrad 0.12, Adam 0.35, SGD 0.36, Momentum 0.90
    assert distances.idxmax() == "Momentum"


def test_unknown_optimizer_and_bad_step_count_are_refused():
    with pytest.raises(ValueError, match="'name'.*'Nadam'"):
        optimizer_path("Nadam", 0.1)
    with pytest.raises(ValueError, match="'n_steps'"):
        optimizer_path("SGD", 0.1, n_steps=0)
