"""The book's optimizer comparison (figure 6-8): four optimizers on f(x, y) = x²/20 + y², run by the project's classes.

The function is 20 times steeper in y than in x, so the gradient does not point at the minimum (0, 0): plain SGD
zig-zags across the valley, Momentum rolls like a ball, AdaGrad shrinks the step of the steep y axis, Adam does both.
The optimizers are ``core.optim``'s own, stepped on one (2,) array holding (x, y).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..optim import SGD, AdaGrad, Adam, Momentum, Optimizer

START = (-7.0, 2.0)     # the book's init_pos
N_STEPS = 30            # the book's 30 updates
BOOK_LEARNING_RATES = {"SGD": 0.95, "Momentum": 0.1, "AdaGrad": 1.5, "Adam": 0.3}  # optimizer_compare_naive.py
OPTIMIZERS: dict[str, type[Optimizer]] = {"SGD": SGD, "Momentum": Momentum, "AdaGrad": AdaGrad, "Adam": Adam}


def f(x: npt.ArrayLike, y: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """f(x, y) = x²/20 + y², elementwise."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return x * x / 20.0 + y * y


def gradient(point: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """(2,) gradient (x/10, 2y) of f at the (2,) point (x, y)."""
    return np.array([point[0] / 10.0, 2.0 * point[1]])


@dataclass(frozen=True)
class OptimizerPaths:
    """The result of :func:`optimizer_paths`.

    Attributes
    ----------
    paths : long DataFrame, one row per optimizer and step, columns optimizer, step (0 = start .. n_steps), x, y, f.
    grid_x : (G,) x coordinates of the contour grid.
    grid_y : (H,) y coordinates of the contour grid.
    grid_f : (H, G) values f(grid_x[j], grid_y[i]) at row i, column j (plotly's contour layout).
    """

    paths: pd.DataFrame
    grid_x: npt.NDArray[np.float64]
    grid_y: npt.NDArray[np.float64]
    grid_f: npt.NDArray[np.float64]

    def final_distances(self) -> pd.Series:
        """Distance of each optimizer's last point to the minimum (0, 0), indexed by optimizer."""
        last = self.paths.groupby("optimizer", sort=False).tail(1).set_index("optimizer")
        return np.hypot(last["x"], last["y"]).rename("distance")


def optimizer_path(name: str, lr: float, *, start: tuple[float, float] = START, n_steps: int = N_STEPS
                   ) -> npt.NDArray[np.float64]:
    """(n_steps + 1, 2) points (x, y) visited by optimizer ``name`` from ``start``: row 0 is the start.

    Other hyperparameters are the classes' defaults, which are the book's (momentum 0.9, Adam's betas 0.9 / 0.999).
    """
    if name not in OPTIMIZERS:
        raise ValueError(f"The 'name' parameter must be one of {', '.join(map(repr, OPTIMIZERS))}. Got {name!r} instead.")
    if not (isinstance(n_steps, int) and 1 <= n_steps <= 10_000):
        raise ValueError(f"The 'n_steps' parameter must be an int in the range [1, 10000]. Got {n_steps!r} instead.")
    point = np.array(start, dtype=np.float64)  # (2,), updated in place by the optimizer
    optimizer = OPTIMIZERS[name]([point], lr=lr, decay_mask=[False])
    path = np.empty((n_steps + 1, 2))
    path[0] = point
    for step in range(1, n_steps + 1):
        optimizer.step([gradient(point)])
        path[step] = point
    return path


def optimizer_paths(learning_rates: dict[str, float] | None = None, *, start: tuple[float, float] = START,
                    n_steps: int = N_STEPS, grid_size: int = 101) -> OptimizerPaths:
    """The paths of several optimizers on f and f on a grid for the contour behind them.

    Parameters
    ----------
    learning_rates : optimizer name -> lr; default the book's (SGD 0.95, Momentum 0.1, AdaGrad 1.5, Adam 0.3).
    start : the starting point; default the book's (-7, 2).
    n_steps : updates per optimizer; default 30.
    grid_size : points per axis of the contour grid over the book's window x in [-10, 10], y in [-5, 5].
    """
    rates = BOOK_LEARNING_RATES if learning_rates is None else learning_rates
    frames = []
    for name, lr in rates.items():
        path = optimizer_path(name, lr, start=start, n_steps=n_steps)
        frames.append(pd.DataFrame({"optimizer": name, "step": np.arange(n_steps + 1), "x": path[:, 0],
                                    "y": path[:, 1], "f": f(path[:, 0], path[:, 1])}))
    grid_x, grid_y = np.linspace(-10.0, 10.0, grid_size), np.linspace(-5.0, 5.0, grid_size)
    grid_f = f(grid_x[None, :], grid_y[:, None])  # (H, G)
    return OptimizerPaths(pd.concat(frames, ignore_index=True), grid_x, grid_y, grid_f)
