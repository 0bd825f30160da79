"""Bayesian optimisation: a Gaussian-process surrogate with expected improvement (Snoek, Larochelle & Adams 2012).

The GP models validation accuracy over the unit coordinates of the space (log-scaled parameters in log space).
Expected improvement is maximised over many random candidates; a batch of ``k`` proposals is built with the
"kriging believer": each chosen point is added to the data with the surrogate's own mean as its value, so the next
point goes elsewhere and parallel workers stay busy.
"""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np

from .samplers import RandomSampler
from .space import Box, SearchSpace
from .trial import FrozenTrial

if TYPE_CHECKING:  # scikit-learn and scipy.stats take ~1 s to import: only the functions that fit a GP load them
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import Kernel

XI = 0.01               # EI's exploration margin, in accuracy units (1 percentage point)
N_LOCAL = 500           # extra candidates drawn near the best trials, where the optimum usually is
LOCAL_SD = 0.05         # their spread, in unit coordinates
N_RESTARTS = 2          # restarts of the kernel's hyperparameter fit


def make_kernel(n_dims: int) -> Kernel:
    """Matern(nu=2.5) * Constant + White noise (the brief's surrogate), with a starting point for its fit."""
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    return (ConstantKernel(1.0, (1e-3, 1e3))
            * Matern(length_scale=np.full(n_dims, 0.3), length_scale_bounds=(1e-2, 1e1), nu=2.5)
            + WhiteKernel(1e-3, (1e-6, 1e-1)))


def fit_gp(x: np.ndarray, y: np.ndarray, seed: int = 0, *, kernel: Optional[Kernel] = None,
           n_restarts: int = N_RESTARTS, optimize: bool = True) -> GaussianProcessRegressor:
    """Fit the surrogate (normalised targets) to unit coordinates ``x`` (n, d) and values ``y`` (n,).

    ``kernel`` is the starting point of the hyperparameter fit (e.g. the previous fit's, so refits are cheap);
    ``optimize=False`` keeps it as it is.
    """
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.gaussian_process import GaussianProcessRegressor

    gp = GaussianProcessRegressor(kernel if kernel is not None else make_kernel(x.shape[1]), normalize_y=True,
                                  n_restarts_optimizer=n_restarts if optimize else 0, random_state=seed,
                                  optimizer="fmin_l_bfgs_b" if optimize else None)
    with warnings.catch_warnings():  # bounds hit on tiny data sets are expected, not news
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp.fit(x, y)
    return gp


def expected_improvement(mean: np.ndarray, sd: np.ndarray, best: float, xi: float = XI) -> np.ndarray:
    """EI for maximisation: E[max(f - best - xi, 0)] under N(mean, sd^2), (n,)."""
    from scipy.stats import norm

    sd = np.maximum(sd, 1e-12)
    z = (mean - best - xi) / sd
    return (mean - best - xi) * norm.cdf(z) + sd * norm.pdf(z)


class BayesSampler:
    """GP + expected improvement over random candidates; the first ``n_startup`` trials are random.

    Diverged trials enter with the chance value (their ``FrozenTrial.value``); failed ones are left out.
    """

    name = "bayes"

    def __init__(self, space: SearchSpace, rng: np.random.Generator, *, box: Optional[Box] = None,
                 n_startup: int = 10, n_candidates: int = 2000):
        self.space = space
        self.rng = rng
        self.random = RandomSampler(space, rng, box)
        self.n_startup = n_startup
        self.n_candidates = n_candidates
        self._kernel: Optional[Kernel] = None  # the last fitted kernel, the next fit's starting point

    def _candidates(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        lows, highs = self.random.lows, self.random.highs
        uniform = self.random.sample_unit(self.n_candidates)
        top = x[np.argsort(-y)[:5]]
        local = top[self.rng.integers(0, len(top), N_LOCAL)] + self.rng.normal(0, LOCAL_SD, (N_LOCAL, x.shape[1]))
        return np.vstack([uniform, np.clip(local, lows, np.maximum(lows, highs - 1e-12))])

    def propose(self, trials: Sequence[FrozenTrial], k: int) -> list[dict[str, float]]:
        usable = [t for t in trials if t.usable]
        if len(usable) < self.n_startup:
            return self.random.propose(trials, k)
        x = self.space.to_unit([t.params for t in usable])  # (n, d)
        y = np.array([t.value for t in usable])             # (n,)
        candidates = self._candidates(x, y)                 # (m, d)
        # Warm start from the previous fit: one local optimisation instead of several restarts.
        gp = fit_gp(x, y, seed=int(self.rng.integers(2**31)), kernel=self._kernel,
                    n_restarts=N_RESTARTS if self._kernel is None else 0)
        self._kernel = gp.kernel_
        chosen: list[np.ndarray] = []
        best = float(y.max())
        for _ in range(k):
            mean, sd = gp.predict(candidates, return_std=True)
            pick = int(np.argmax(expected_improvement(mean, sd, best)))
            chosen.append(candidates[pick])
            if len(chosen) == k:
                break
            # Kriging believer: pretend the pick returned the surrogate's mean; keep the fitted kernel.
            x, y = np.vstack([x, candidates[pick]]), np.append(y, mean[pick])
            candidates = np.delete(candidates, pick, axis=0)
            gp = fit_gp(x, y, kernel=self._kernel, optimize=False)
        return self.space.from_unit(np.array(chosen))
