"""The GP surrogate of a finished search as a map over lr x weight_decay, for the Search page's heatmap.

Above both ``bayes`` (the GP) and ``storage`` (the search view), so the sampler never imports the search files.
"""
from __future__ import annotations

import numpy as np

from .bayes import fit_gp
from .storage import SearchView


def surrogate_grid(view: SearchView, n: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The GP mean over lr x weight_decay, fitted to a search's trials, for a heatmap under the scatter.

    Other parameters of the space are held at the best trial's values.

    Returns
    -------
    lr_values : (n,) log-spaced over the space's lr range
    wd_values : (n,) log-spaced over its weight_decay range
    mean : (n, n) predicted validation accuracy; rows follow ``wd_values`` (y), columns ``lr_values`` (x)
    """
    space = view.spec.space
    if not {"lr", "weight_decay"} <= set(space.names):
        raise ValueError(f"The surrogate map needs lr and weight_decay in the search space. Got {', '.join(space.names)}.")
    trials = view.trials
    trials = trials[np.isfinite(trials["value"].astype(float))] if len(trials) else trials
    if len(trials) < 2:
        raise ValueError(f"The surrogate map needs at least 2 finished trials. Got {len(trials)}.")
    per_trial = trials.groupby("trial").agg({**{p: "first" for p in space.names}, "value": "mean"})
    rows = per_trial[list(space.names)].to_dict("records")
    x, y = space.to_unit(rows), per_trial["value"].to_numpy(float)
    gp = fit_gp(x, y, seed=0)
    grid = np.linspace(0.0, 1.0, n)
    u_lr, u_wd = np.meshgrid(grid, grid)  # (n, n): rows wd, columns lr
    points = np.tile(x[int(np.argmax(y))], (n * n, 1))
    points[:, space.names.index("lr")] = u_lr.ravel()
    points[:, space.names.index("weight_decay")] = u_wd.ravel()
    mean = gp.predict(points).reshape(n, n)
    lr_values = space["lr"].from_unit(grid)
    wd_values = space["weight_decay"].from_unit(grid)
    return lr_values, wd_values, mean
