"""Coarse to fine: each round's box is the bounding box of the previous round's best trials, with a margin.

Boxes are computed in unit coordinates (log space for log parameters), so "a margin of 10%" means a tenth of the
parent box's width in decades for lr and weight decay, as the book narrows its ranges.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

import numpy as np

from .space import Box, SearchSpace
from .trial import FrozenTrial

MIN_WIDTH = 0.02  # a box never gets narrower than this fraction of the space per parameter (unit coordinates)


@dataclass(frozen=True)
class RoundBox:
    """One round of a search: its box, where the box came from, and how many trials it ran."""

    round: int
    box: Box
    parent_round: int = -1        # -1: the first round (whole space or a user's box)
    n_trials: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"round": self.round, "parent_round": self.parent_round, "n_trials": self.n_trials,
                "box": {k: list(v) for k, v in self.box.items()}}


def top_trials(trials: Sequence[FrozenTrial], top_fraction: float) -> list[FrozenTrial]:
    """The best ``ceil(top_fraction * n)`` usable trials (at least one), best first."""
    usable = sorted((t for t in trials if t.usable), key=lambda t: -t.value)
    return usable[:max(1, math.ceil(top_fraction * len(usable)))]


def narrow_box(space: SearchSpace, parent_box: Mapping[str, tuple[float, float]], trials: Sequence[FrozenTrial], *,
               top_fraction: float = 0.2, margin: float = 0.1) -> Box:
    """The next round's box: bounding box of the top trials, widened by ``margin`` x the parent's width per side.

    Clipped to the whole space (not to the parent: the best trials may sit at the parent's edge, and the optimum
    beyond it). With no usable trial the parent box is kept.
    """
    best = top_trials(trials, top_fraction)
    if not best or not any(t.usable for t in best):
        return dict(space.check_box(parent_box))
    points = space.to_unit([t.params for t in best])  # (n_top, d)
    parent_low, parent_high = space.box_to_unit(space.check_box(parent_box))
    pad = margin * (parent_high - parent_low)
    low = np.clip(points.min(axis=0) - pad, 0.0, 1.0)
    high = np.clip(points.max(axis=0) + pad, 0.0, 1.0)
    # Keep a minimal width so that one lucky trial does not collapse the box to a point.
    short = (high - low) < MIN_WIDTH
    centre = (low + high) / 2
    low = np.where(short, np.clip(centre - MIN_WIDTH / 2, 0.0, 1.0 - MIN_WIDTH), low)
    high = np.where(short, low + MIN_WIDTH, high)
    return space.box_from_unit(low, high)


def round_box(space: SearchSpace, round_index: int, previous: Sequence[FrozenTrial],
              parent: Optional[RoundBox], first_box: Optional[Box], *, top_fraction: float, margin: float) -> RoundBox:
    """The box of round ``round_index``: the user's (or the whole space) first, then narrowed from ``previous``."""
    if round_index == 0 or parent is None:
        return RoundBox(round_index, space.check_box(first_box or {}), -1)
    return RoundBox(round_index, narrow_box(space, parent.box, previous, top_fraction=top_fraction, margin=margin),
                    parent.round)
