"""``make_sampler``: the sampler of each strategy. Above the samplers and bayes, so neither imports the other lazily."""
from __future__ import annotations

from typing import Optional

import numpy as np

from .bayes import BayesSampler
from .samplers import GridSampler, RandomSampler, Sampler
from .space import Box, SearchSpace


def make_sampler(strategy: str, space: SearchSpace, rng: np.random.Generator, *, box: Optional[Box] = None,
                 n_trials: int = 100, n_startup: int = 10, n_candidates: int = 2000) -> Sampler:
    """The sampler of one strategy (coarse-to-fine samples each round at random inside that round's box)."""
    if strategy in ("random", "coarse-to-fine"):
        return RandomSampler(space, rng, box)
    if strategy == "grid":
        return GridSampler(space, rng, n_trials, box)
    if strategy == "bayes":
        return BayesSampler(space, rng, box=box, n_startup=n_startup, n_candidates=n_candidates)
    raise ValueError(f"Unknown strategy {strategy!r}.")
