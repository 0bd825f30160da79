"""The sampler contract and the two plain samplers, random and grid.

A sampler proposes a batch of ``k`` parameter dicts, given the trials finished so far (Optuna's contract, batched so
that parallel workers stay busy). Each sampler owns its ``np.random.Generator``; none touches the global state.
It samples inside a *box* of its space (the whole space unless a coarse-to-fine round narrowed it).
"""
from __future__ import annotations

import itertools
import math
from typing import Mapping, Optional, Protocol, Sequence

import numpy as np

from .space import Box, SearchSpace
from .trial import FrozenTrial

class Sampler(Protocol):
    """Propose ``k`` parameter dicts (fewer only when the sampler is exhausted, e.g. a finished grid)."""

    name: str

    def propose(self, trials: Sequence[FrozenTrial], k: int) -> list[dict[str, float]]: ...


def _unit_box(space: SearchSpace, box: Optional[Mapping[str, tuple[float, float]]]) -> tuple[np.ndarray, np.ndarray]:
    return space.box_to_unit(space.check_box(box or {}))


class RandomSampler:
    """Independent draws, uniform in unit coordinates: log-uniform for scale="log" (the book's method)."""

    name = "random"

    def __init__(self, space: SearchSpace, rng: np.random.Generator, box: Optional[Box] = None):
        self.space = space
        self.rng = rng
        self.lows, self.highs = _unit_box(space, box)

    def sample_unit(self, n: int) -> np.ndarray:
        """``n`` points of the box in unit coordinates, (n, d)."""
        return self.lows + self.rng.random((n, len(self.space.params))) * (self.highs - self.lows)

    def propose(self, trials: Sequence[FrozenTrial], k: int) -> list[dict[str, float]]:
        return self.space.from_unit(self.sample_unit(k))


def grid_shape(space: SearchSpace, n_trials: int) -> tuple[int, ...]:
    """Points per parameter so that the grid has at most ``n_trials`` points (choices keep all their options)."""
    fixed = math.prod(len(p.choices) for p in space.params if p.scale == "choice")
    free = [p for p in space.params if p.scale != "choice"]
    per_axis = int(math.floor((n_trials / fixed) ** (1 / len(free)) + 1e-9)) if free else 1
    shape = []
    for p in space.params:
        if p.scale == "choice":
            shape.append(len(p.choices))
        elif p.scale == "int":
            shape.append(max(1, min(per_axis, int(p.high - p.low + 1))))
        else:
            shape.append(max(1, per_axis))
    return tuple(shape)


class GridSampler:
    """A regular grid over the box (evenly spaced in unit coordinates, ends included), in a shuffled order.

    The order is shuffled with the sampler's generator so that a search stopped early has still covered the box.
    """

    name = "grid"

    def __init__(self, space: SearchSpace, rng: np.random.Generator, n_trials: int, box: Optional[Box] = None):
        self.space = space
        lows, highs = _unit_box(space, box)
        axes = []
        for j, (p, n) in enumerate(zip(space.params, grid_shape(space, n_trials))):
            if p.scale == "choice":
                axes.append((np.arange(n) + 0.5) / n)  # the centre of each choice's cell
            elif n == 1:
                axes.append(np.array([(lows[j] + highs[j]) / 2]))
            else:
                axes.append(np.linspace(lows[j], highs[j] - 1e-12, n))
        points = np.array(list(itertools.product(*axes)))  # (n_points, d)
        self.points = points[rng.permutation(len(points))]
        self._next = 0

    def propose(self, trials: Sequence[FrozenTrial], k: int) -> list[dict[str, float]]:
        chosen = self.points[self._next:self._next + k]
        self._next += len(chosen)
        return self.space.from_unit(chosen)

    @property
    def size(self) -> int:
        return len(self.points)
