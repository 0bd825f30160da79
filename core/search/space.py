"""Search spaces: validated parameter ranges over numeric ``RunConfig`` fields, and boxes inside them.

Every parameter maps to the unit interval ("unit coordinates"): log-scaled parameters through their logarithm, so
that sampling, narrowing a box and fitting a surrogate all happen where the book says the scale lives.
A *box* is a ``dict`` name -> (low, high) inside the space; choice parameters have no box (all choices stay open).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from ..config import RunConfig

SCALES = ("log", "linear", "int", "choice")
# Numeric RunConfig fields a search may tune; seeds and split sizes are not hyperparameters (and n_val/n_test
# would change the data the search is judged on).
SEARCHABLE = tuple(
    name for name, value in RunConfig().to_dict().items()
    if isinstance(value, (int, float)) and not isinstance(value, bool)
    and name not in ("seed", "data_seed", "n_val", "n_test")
)

Box = dict[str, tuple[float, float]]

# The book's search (section 6.5): 500 images with 20% validation, 6x100, SGD, 50 epochs. A smaller test part keeps
# trials fast; test accuracy is recorded but never used for ranking.
BOOK_BASE = RunConfig(n_train=400, n_val=100, n_test=1000, hidden_sizes=(100,) * 6, optimizer="sgd",
                      n_epochs=50, batch_size=100)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


@dataclass(frozen=True)
class Param:
    """One searched parameter: a numeric ``RunConfig`` field and its range.

    Parameters
    ----------
    name : str
        A numeric RunConfig field (``lr``, ``weight_decay``, ``dropout``, ``momentum``, ``batch_size`` ...).
    low, high : float
        The closed range; ``low > 0`` for scale="log"; integers for scale="int". Ignored for scale="choice".
    scale : {"log", "linear", "int", "choice"}
        log: uniform in log space; linear: uniform; int: uniform over the integers of [low, high];
        choice: one of ``choices``.
    choices : tuple of numbers
        The options for scale="choice".
    """

    name: str
    low: float = 0.0
    high: float = 1.0
    scale: str = "linear"
    choices: tuple[float, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.name not in SEARCHABLE:
            raise ValueError(f"The 'name' of a search parameter must be a numeric RunConfig field, one of "
                             f"{', '.join(SEARCHABLE)}. Got {self.name!r} instead.")
        if self.scale not in SCALES:
            raise ValueError(f"The 'scale' of {self.name!r} must be one of {', '.join(map(repr, SCALES))}. "
                             f"Got {self.scale!r} instead.")
        if self.scale == "choice":
            choices = tuple(self.choices)
            if not choices or not all(_is_real(c) and math.isfinite(c) for c in choices):
                raise ValueError(f"`choices` must be a non-empty tuple of finite numbers for scale='choice'. "
                                 f"Got {self.choices!r} for {self.name!r}.")
            if len(set(choices)) != len(choices):
                raise ValueError(f"`choices` must not repeat a value. Got {self.choices!r} for {self.name!r}.")
            object.__setattr__(self, "choices", choices)
            object.__setattr__(self, "low", float(min(choices)))
            object.__setattr__(self, "high", float(max(choices)))
            return
        if self.choices:
            raise ValueError(f"`choices` is only used with scale='choice'. Got scale={self.scale!r} for {self.name!r}.")
        for bound in ("low", "high"):
            value = getattr(self, bound)
            if not _is_real(value) or not math.isfinite(value):
                raise ValueError(f"`{bound}` must be a finite number. Got {bound}={value!r} for {self.name!r}.")
        if self.low > self.high:
            raise ValueError(f"`low <= high` must hold. Got low={self.low:g} and high={self.high:g} for {self.name!r}.")
        if self.scale == "log" and self.low <= 0:
            raise ValueError(f"`low > 0` must hold for scale='log'. Got low={self.low:g} for {self.name!r}.")
        if self.scale == "int":
            if float(self.low) != int(self.low) or float(self.high) != int(self.high):
                raise ValueError(f"`low` and `high` must be integers for scale='int'. "
                                 f"Got low={self.low!r} and high={self.high!r} for {self.name!r}.")
            object.__setattr__(self, "low", int(self.low))
            object.__setattr__(self, "high", int(self.high))
        else:
            object.__setattr__(self, "low", float(self.low))
            object.__setattr__(self, "high", float(self.high))

    # ---- unit coordinates -----------------------------------------------------------------------------------------
    def _ends(self) -> tuple[float, float]:
        if self.scale == "log":
            return math.log(self.low), math.log(self.high)
        if self.scale == "int":  # each integer owns a cell of width 1, so uniform u gives uniform integers
            return self.low - 0.5, self.high + 0.5
        if self.scale == "choice":
            return -0.5, len(self.choices) - 0.5
        return float(self.low), float(self.high)

    def to_unit(self, values: npt.ArrayLike) -> np.ndarray:
        """Values -> [0, 1] (log for scale="log"; a choice maps to the middle of its cell)."""
        v = np.asarray(values, dtype=float)
        if self.scale == "choice":
            v = np.array([self.choices.index(float(x)) if float(x) in self.choices else np.nan
                          for x in np.ravel(v)]).reshape(v.shape)
        elif self.scale == "log":
            v = np.log(v)
        a, b = self._ends()
        return np.zeros_like(v) + 0.5 if b == a else (v - a) / (b - a)

    def from_unit(self, u: npt.ArrayLike) -> np.ndarray:
        """[0, 1] -> values of this parameter (rounded to integers / snapped to a choice where needed)."""
        u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
        a, b = self._ends()
        v = a + u * (b - a)
        if self.scale == "log":
            return np.clip(np.exp(v), self.low, self.high)
        if self.scale == "int":
            return np.clip(np.floor(v + 0.5), self.low, self.high)
        if self.scale == "choice":
            index = np.clip(np.floor(v + 0.5), 0, len(self.choices) - 1).astype(int)
            return np.asarray(self.choices, dtype=float)[index]
        return np.clip(v, self.low, self.high)

    def unit_range(self, low: float, high: float) -> tuple[float, float]:
        """A value range -> its ends in unit coordinates; an integer range covers its integers' whole cells."""
        if self.scale == "int":
            a, b = self._ends()
            return (max(0.0, (low - 0.5 - a) / (b - a)), min(1.0, (high + 0.5 - a) / (b - a)))
        ul, uh = (float(u) for u in self.to_unit([low, high]))
        return max(0.0, ul), min(1.0, uh)

    def value_range(self, ul: float, uh: float) -> tuple[float, float]:
        """Unit ends -> a value range (for integers: those whose cell centre lies inside, at least one)."""
        if self.scale == "int":
            a, b = self._ends()
            edge_low, edge_high = a + ul * (b - a), a + uh * (b - a)
            low, high = math.ceil(edge_low - 1e-9), math.floor(edge_high + 1e-9)
            if low > high:
                low = high = int(self.from_unit([(ul + uh) / 2])[0])
            return float(max(self.low, low)), float(min(self.high, high))
        low, high = (float(v) for v in self.from_unit([ul, uh]))
        return low, high

    def python_value(self, value: float) -> float | int:
        """A config-ready value: int for integer fields, float otherwise."""
        if isinstance(getattr(BOOK_BASE, self.name), int):
            return int(round(value))
        return float(value)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "low": self.low, "high": self.high, "scale": self.scale}
        if self.scale == "choice":
            d["choices"] = list(self.choices)
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Param":
        return cls(name=d["name"], low=d.get("low", 0.0), high=d.get("high", 1.0), scale=d.get("scale", "linear"),
                   choices=tuple(d.get("choices", ())))


@dataclass(frozen=True)
class SearchSpace:
    """An ordered set of ``Param``; ``SearchSpace.book()`` is the book's lr x weight-decay space."""

    params: tuple[Param, ...]

    def __post_init__(self) -> None:
        params = tuple(self.params)
        if not params or not all(isinstance(p, Param) for p in params):
            raise ValueError(f"A search space needs at least one Param. Got {self.params!r} instead.")
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise ValueError(f"A search space names each parameter once. Got {names} instead.")
        object.__setattr__(self, "params", params)

    @classmethod
    def book(cls) -> "SearchSpace":
        """lr log-uniform in [1e-6, 1e-2] and weight_decay log-uniform in [1e-8, 1e-4] (section 6.5)."""
        return cls((Param("lr", 1e-6, 1e-2, "log"), Param("weight_decay", 1e-8, 1e-4, "log")))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def __getitem__(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"No parameter {name!r} in this search space; it has {', '.join(self.names)}.")

    def full_box(self) -> Box:
        """The whole space as a box (choice parameters have no box)."""
        return {p.name: (p.low, p.high) for p in self.params if p.scale != "choice"}

    def check_box(self, box: Mapping[str, Sequence[float]]) -> Box:
        """``box`` validated: known, non-choice names; low <= high; inside the space. Missing names get the full range."""
        checked = self.full_box()
        for name, bounds in box.items():
            p = self[name]
            if p.scale == "choice":
                raise ValueError(f"A box has no range for the choice parameter {name!r}.")
            if len(bounds) != 2 or not all(_is_real(b) and math.isfinite(b) for b in bounds):
                raise ValueError(f"A box gives (low, high) for {name!r}. Got {bounds!r} instead.")
            low, high = float(bounds[0]), float(bounds[1])
            if low > high:
                raise ValueError(f"`low <= high` must hold in a box. Got low={low:g} and high={high:g} for {name!r}.")
            tolerance = 1e-9 * max(abs(p.low), abs(p.high), 1e-300)
            if low < p.low - tolerance or high > p.high + tolerance:
                raise ValueError(f"A box must lie inside the search space: {name!r} is in [{p.low:g}, {p.high:g}]. "
                                 f"Got [{low:g}, {high:g}] instead.")
            checked[name] = (max(low, p.low), min(high, p.high))
        return checked

    def to_unit(self, rows: Sequence[Mapping[str, float]]) -> np.ndarray:
        """Parameter dicts -> unit coordinates, (n, d)."""
        if not rows:
            return np.zeros((0, len(self.params)))
        return np.column_stack([p.to_unit([r[p.name] for r in rows]) for p in self.params])

    def from_unit(self, u: np.ndarray) -> list[dict[str, float | int]]:
        """Unit coordinates (n, d) -> parameter dicts with config-ready values."""
        columns = [p.from_unit(u[:, j]) for j, p in enumerate(self.params)]
        return [{p.name: p.python_value(col[i]) for p, col in zip(self.params, columns)} for i in range(len(u))]

    def box_to_unit(self, box: Mapping[str, tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        """A box -> its (low, high) corners in unit coordinates, each (d,); choice parameters span [0, 1]."""
        lows, highs = np.zeros(len(self.params)), np.ones(len(self.params))
        for j, p in enumerate(self.params):
            if p.name in box and p.scale != "choice":
                lows[j], highs[j] = p.unit_range(*box[p.name])
        return lows, highs

    def box_from_unit(self, lows: np.ndarray, highs: np.ndarray) -> Box:
        """Unit corners -> a box in parameter values (an integer box keeps the integers whose cells it covers)."""
        return {p.name: p.value_range(float(lows[j]), float(highs[j]))
                for j, p in enumerate(self.params) if p.scale != "choice"}

    def to_list(self) -> list[dict[str, Any]]:
        return [p.to_dict() for p in self.params]

    @classmethod
    def from_list(cls, items: Sequence[Mapping[str, Any]]) -> "SearchSpace":
        return cls(tuple(Param.from_dict(d) for d in items))


def box_volume(space: SearchSpace, box: Mapping[str, tuple[float, float]]) -> float:
    """The fraction of the space (in unit coordinates) a box covers."""
    lows, highs = space.box_to_unit(box)
    return float(np.prod(highs - lows))
