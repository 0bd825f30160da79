"""Sweep grids: which fields a sweep may vary, and the one text syntax for their values.

A grid is a comma-separated list of items; an item is one number or a range::

    0,1e-4..1x9log       0 and 9 log-spaced values from 1e-4 to 1 (both ends included): 10 values
    0,0.1,0.2,0.3        four values
    100..1000x4          4 evenly spaced values from 100 to 1000
    50,100..400x4log     50 and 4 log-spaced values from 100 to 400, rounded to integers (n_train is an int)

Values are sorted ascending; range values are rounded to 12 significant digits (so ``1e-4..1x5log`` gives exactly
0.001 and 0.1, the values one types by hand, and shares their cached runs) and, for integer fields, to integers.
Every message follows the house format ("The 'x' parameter must be ... Got ... instead.") and names the field, so a
page can show it beside the field's input.
"""
from __future__ import annotations

import math
import re
from typing import Any, Sequence

import numpy as np

from ..config import MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS, ConfigError, RunConfig
from ..validation import ParameterError, check_int, fail, interval

MAX_AXIS_POINTS = 50      # values of one swept field
MAX_GRID_CHARS = 500      # a grid's text (it may come from a URL)

# Sweepable fields: a RunConfig field, or hidden_width / hidden_depth (all hidden layers share one width).
FLOAT_FIELDS = ("weight_decay", "dropout", "lr")
INT_FIELDS = ("n_train", "hidden_width", "hidden_depth")
SWEEP_FIELDS = FLOAT_FIELDS + INT_FIELDS
ALIASES = {"dropout_ratio": "dropout", "lambda": "weight_decay", "width": "hidden_width", "depth": "hidden_depth"}
_INT_BOUNDS = {"n_train": (1, None), "hidden_width": (1, MAX_HIDDEN_UNITS), "hidden_depth": (1, MAX_HIDDEN_LAYERS)}
_NUMBER = r"[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE_RE = re.compile(rf"(?P<low>{_NUMBER})\.\.(?P<high>{_NUMBER})x(?P<n>\d+)(?P<log>log)?")

GRID_HELP = ("values and ranges separated by commas: 0,0.1,0.2 or LOW..HIGHxN (N evenly spaced values) or "
             "LOW..HIGHxNlog (N log-spaced values), e.g. 0,1e-4..1x9log")


class SweepError(ParameterError):
    """A sweep that cannot be built; ``field`` names the input the message is about (a field, "seeds", "vary")."""


def sweep_field(name: Any) -> str:
    """The canonical name of a sweepable field (aliases: dropout_ratio, lambda, width, depth); SweepError if none."""
    name = ALIASES.get(name, name) if isinstance(name, str) else name
    if name not in SWEEP_FIELDS:
        raise SweepError("vary", f"The 'vary' parameter must name one of {', '.join(map(repr, SWEEP_FIELDS))}. "
                                 f"Got {str(name)[:80]!r} instead.")
    return name


def _number(field: str, text: str, grid: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SweepError(field, f"The '{field}' grid must be {GRID_HELP}. Got {grid!r} instead.") from None
    if not math.isfinite(value):
        raise SweepError(field, f"The '{field}' parameter must be a finite number. Got {text.strip()!r} instead.")
    return value


def _range(field: str, low: float, high: float, n: int, log: bool, grid: str) -> list[float]:
    if not 2 <= n <= MAX_AXIS_POINTS:  # before anything is allocated: "0..1x999999999" must not build an array
        raise SweepError(field, f"The '{field}' range must have a count in the range [2, {MAX_AXIS_POINTS}]. "
                                f"Got {n} instead.")
    if not low < high:
        raise SweepError(field, f"The '{field}' range must go from a low to a higher value. Got {low:g}..{high:g} "
                                f"instead.")
    if log and low <= 0:
        raise SweepError(field, f"The '{field}' log range must have both ends above 0. Got {low:g}..{high:g} instead "
                                f"(write 0 as its own value: 0,1e-4..1x9log).")
    values = np.logspace(math.log10(low), math.log10(high), n) if log else np.linspace(low, high, n)
    return [float(f"{v:.12g}") for v in values]


def _check_value(field: str, value: float, from_range: bool) -> float | int:
    if field in INT_FIELDS:
        low, high = _INT_BOUNDS[field]
        high = math.inf if high is None else high
        if from_range:
            value = float(round(value))
        if value != int(value):
            fail(field, f"an int in the range {interval(low, high)}", value, error=SweepError)
        return check_int(field, int(value), low, high, error=SweepError)
    try:  # the field's own range, with RunConfig's message (n_train needs the dataset: checked with the sweep)
        RunConfig(**{field: float(value)})
    except ConfigError as exc:
        raise SweepError(field, str(exc)) from None
    return float(value)


def parse_grid(field: str, text: Any) -> tuple[float | int, ...]:
    """The sorted values a grid text describes, for ``field``; SweepError (one line, naming the field) when bad.

    >>> parse_grid("weight_decay", "0,1e-4..1x5log")
    (0.0, 0.0001, 0.001, 0.01, 0.1, 1.0)
    """
    field = sweep_field(field)
    if not isinstance(text, str):
        raise SweepError(field, f"The '{field}' grid must be a string of {GRID_HELP}. Got {text!r} instead.")
    if len(text) > MAX_GRID_CHARS:
        raise SweepError(field, f"The '{field}' grid must be at most {MAX_GRID_CHARS} characters. "
                                f"Got {len(text)} instead.")
    grid = text.strip()
    items = [item.strip() for item in grid.split(",")] if grid else []
    if not items or not all(items):
        raise SweepError(field, f"The '{field}' grid must hold at least one value, and no empty item between "
                                f"commas. Got {grid!r} instead.")
    values: list[float | int] = []
    for item in items:
        match = None if "..." in item else _RANGE_RE.fullmatch(item.replace(" ", ""))
        if match:
            low, high = _number(field, match["low"], grid), _number(field, match["high"], grid)
            values += [_check_value(field, v, True) for v in _range(field, low, high, int(match["n"]),
                                                                    bool(match["log"]), grid)]
        elif ".." in item or "x" in item.lower():
            raise SweepError(field, f"The '{field}' grid must be {GRID_HELP}. Got {item!r} instead.")
        else:
            values.append(_check_value(field, _number(field, item, grid), False))
        if len(values) > MAX_AXIS_POINTS:
            break
    return check_values(field, values)


def check_values(field: str, values: Sequence[Any]) -> tuple[float | int, ...]:
    """``values`` of ``field`` sorted, typed and checked: not empty, no repeats, at most MAX_AXIS_POINTS."""
    field = sweep_field(field)
    if not isinstance(values, (list, tuple)) or not values:
        raise SweepError(field, f"The '{field}' grid must hold at least one value. Got {values!r} instead.")
    if len(values) > MAX_AXIS_POINTS:
        raise SweepError(field, f"The '{field}' grid must hold at most {MAX_AXIS_POINTS} values. "
                                f"Got {len(values)} or more instead.")
    checked = []
    for v in values:
        if not isinstance(v, (int, float, np.integer, np.floating)) or isinstance(v, bool):
            raise SweepError(field, f"The '{field}' parameter must be a number. Got {v!r} instead.")
        if not math.isfinite(v):
            raise SweepError(field, f"The '{field}' parameter must be a finite number. Got {v!r} instead.")
        checked.append(_check_value(field, float(v), False))
    repeated = sorted({v for v in checked if checked.count(v) > 1})
    if repeated:
        raise SweepError(field, f"The '{field}' grid must not repeat a value. Got {repeated[0]:g} more than once "
                                f"instead.")
    return tuple(sorted(checked))


def format_value(field: str, value: float | int) -> str:
    """A swept value as tables and labels show it: ints as they are, floats in short engineering form (1e-06)."""
    return str(int(value)) if field in INT_FIELDS else f"{value:.3g}"
