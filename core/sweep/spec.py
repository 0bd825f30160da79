"""SweepSpec: a base config, one or two swept fields and seeds, validated on construction (saved as ``<id>.json``).

A sweep's points are the values of its field (1-D) or the cartesian grid of its two fields (2-D, the first field
outer); each point runs for seeds ``first_seed .. first_seed + seeds - 1``. The runs are ordinary configs: plain
seeds (not a spawned stream, as searches use) so a point shares its cached runs with a preset or another sweep.

The id is derived from the content (fields + a hash of base, values, seeds and the engine version): launching the
same sweep again opens the same sweep, whoever launches it and whenever.
"""
from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, Mapping

from ..config import ENGINE_VERSION, ConfigError, RunConfig, config_with
from ..validation import SEARCH_ID_RE, check_instance, check_int
from .grid import FLOAT_FIELDS, SweepError, check_values, format_value, sweep_field

SPEC_VERSION = 1
MAX_SWEEP_RUNS = 1000     # points x seeds; the limits helper will centralise this later
MAX_SEEDS = 100
DEFAULT_N_VAL = 100       # the validation split a sweep adds to a base config without one
SWEEP_ID_RE = SEARCH_ID_RE  # as search ids: a plain name, never a path
NATURAL_BASELINE = {"weight_decay": 0.0, "dropout": 0.0}  # "no regularization": the baseline when in the grid


def with_validation(base: RunConfig, n_val: int = DEFAULT_N_VAL) -> RunConfig:
    """``base`` with ``n_val`` validation images when it has none (taken from the images no other part uses)."""
    if base.n_val:
        return base
    try:
        return config_with(base, {"n_val": n_val})
    except ConfigError as exc:
        raise SweepError("n_val", f"A sweep needs a validation split and {n_val} more images do not fit: {exc}") from None


def point_config(base: RunConfig, values: Mapping[str, float | int]) -> RunConfig:
    """``base`` with the swept ``values`` (hidden_width / hidden_depth set every hidden layer); ConfigError when bad."""
    overrides: dict[str, Any] = {k: v for k, v in values.items() if k in FLOAT_FIELDS or k == "n_train"}
    if "hidden_width" in values or "hidden_depth" in values:
        sizes = base.hidden_sizes
        if len(set(sizes)) != 1:
            raise SweepError(next(k for k in values if k.startswith("hidden_")),
                             f"Sweeping the hidden width or depth needs a base config whose hidden layers share one "
                             f"width. Got hidden_sizes={list(sizes)} instead.")
        overrides["hidden_sizes"] = (int(values.get("hidden_width", sizes[0])),) * int(values.get("hidden_depth",
                                                                                                  len(sizes)))
    return config_with(base, overrides)


def base_value(base: RunConfig, name: str) -> float | int:
    """The value of a sweep field in ``base``."""
    if name == "hidden_width":
        return base.hidden_sizes[0]
    if name == "hidden_depth":
        return len(base.hidden_sizes)
    return getattr(base, name)


@dataclass(frozen=True)
class Axis:
    """One swept field and its values (sorted, distinct)."""

    name: str
    values: tuple[float | int, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", sweep_field(self.name))
        object.__setattr__(self, "values", check_values(self.name, list(self.values)))

    def label(self, value: float | int) -> str:
        return f"{self.name}={format_value(self.name, value)}"


@dataclass(frozen=True)
class SweepSpec:
    """Every setting of one sweep.

    Parameters
    ----------
    base : RunConfig
        The config every point starts from; it needs a validation split (``with_validation(base)`` adds one).
    axes : tuple of Axis
        One or two swept fields (distinct); two make the cartesian grid.
    seeds : int
        Training seeds per point: ``first_seed .. first_seed + seeds - 1``.
    grids : tuple of str
        The grid texts as typed, per axis, for display only (not part of the sweep's identity).
    """

    base: RunConfig
    axes: tuple[Axis, ...]
    seeds: int = 5
    first_seed: int = 0
    grids: tuple[str, ...] = field(default=(), compare=False)
    created: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        check_instance("base", self.base, RunConfig, error=SweepError)
        if isinstance(self.axes, Axis):
            object.__setattr__(self, "axes", (self.axes,))
        object.__setattr__(self, "axes", tuple(self.axes))
        if not 1 <= len(self.axes) <= 2 or not all(isinstance(a, Axis) for a in self.axes):
            raise SweepError("vary", f"The 'vary' parameter must give one or two fields. Got {len(self.axes)} "
                                     f"instead.")
        if len({a.name for a in self.axes}) != len(self.axes):
            raise SweepError("vary", f"The 'vary' parameter must give two different fields. Got "
                                     f"{self.axes[0].name!r} twice instead.")
        check_int("seeds", self.seeds, 1, MAX_SEEDS, error=SweepError)
        check_int("first_seed", self.first_seed, 0, 2**32 - 1 - self.seeds, error=SweepError)
        if self.base.n_val == 0:
            raise SweepError("n_val", "A sweep chooses its point on validation data, never on test data, and the "
                                      "base config has no validation split (n_val=0). Set n_val, e.g. n_val=100.")
        n_runs = self.n_points * self.seeds
        if n_runs > MAX_SWEEP_RUNS:
            shape = " × ".join(str(len(a.values)) for a in self.axes)
            raise SweepError("vary", f"The sweep must have at most {MAX_SWEEP_RUNS} runs (points × seeds). Got "
                                     f"{shape} × {self.seeds} = {n_runs} instead.")
        for values in self.point_values():  # every point must make a valid config (n_train fits the dataset ...)
            try:
                point_config(self.base, values)
            except ConfigError as exc:
                name = exc.field if exc.field in values else next(iter(values))
                raise SweepError(name, f"{', '.join(f'{k}={v:g}' for k, v in values.items())}: {exc}") from None
        if not isinstance(self.grids, tuple) or not all(isinstance(g, str) and len(g) <= 500 for g in self.grids):
            raise SweepError("grids", f"The 'grids' parameter must be a tuple of short strings. Got {self.grids!r}.")

    # ---- derived ----------------------------------------------------------------------------------------------
    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.axes)

    @property
    def n_points(self) -> int:
        n = 1
        for axis in self.axes:
            n *= len(axis.values)
        return n

    @property
    def n_runs(self) -> int:
        return self.n_points * self.seeds

    @property
    def seed_values(self) -> tuple[int, ...]:
        return tuple(range(self.first_seed, self.first_seed + self.seeds))

    def point_values(self) -> list[dict[str, float | int]]:
        """The swept values of each point, in point order (the first field outer)."""
        return [dict(zip(self.fields, combo)) for combo in itertools.product(*(a.values for a in self.axes))]

    def configs(self) -> list[tuple[int, int, RunConfig]]:
        """(point, seed_index, config) of every run, point-major."""
        out = []
        for point, values in enumerate(self.point_values()):
            config = point_config(self.base, values)
            for seed_index, seed in enumerate(self.seed_values):
                out.append((point, seed_index, config_with(config, {"seed": seed})))
        return out

    def baseline(self) -> dict[str, float | int]:
        """The baseline point's values: per field, 0 for λ and dropout when in the grid, else the base config's value
        when in the grid, else the smallest value."""
        chosen = {}
        for axis in self.axes:
            natural = NATURAL_BASELINE.get(axis.name)
            own = base_value(self.base, axis.name)
            chosen[axis.name] = next((v for v in (natural, own) if v is not None and v in axis.values), axis.values[0])
        return chosen

    @property
    def key(self) -> str:
        """sha256 of the sweep's identity: the base, the values, the seeds and the engine version."""
        identity = {"base": self.base.to_dict(), "axes": [[a.name, list(a.values)] for a in self.axes],
                    "seeds": self.seeds, "first_seed": self.first_seed, "engine": ENGINE_VERSION}
        return hashlib.sha256(json.dumps(identity, sort_keys=True, separators=(",", ":")).encode()).hexdigest()

    @property
    def sweep_id(self) -> str:
        """``<field>[-<field>]-<10 hex of key>``, e.g. ``weight_decay-3fa2c1d2e4``: a plain name, safe in URLs."""
        return "-".join(self.fields) + "-" + self.key[:10]

    def title(self) -> str:
        """``weight_decay (10) × 5 seeds``, for lists and job names."""
        return " × ".join(f"{a.name} ({len(a.values)})" for a in self.axes) + f" × {self.seeds} seeds"

    # ---- JSON -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {"spec_version": SPEC_VERSION, "sweep_id": self.sweep_id, "key": self.key, "created": self.created,
                "engine_version": ENGINE_VERSION, "base": self.base.to_dict(),
                "axes": [{"name": a.name, "values": list(a.values),
                          "grid": self.grids[i] if i < len(self.grids) else ""} for i, a in enumerate(self.axes)],
                "seeds": self.seeds, "first_seed": self.first_seed}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "SweepSpec":
        """The inverse of ``to_dict``; ValueError / KeyError / TypeError when malformed."""
        if d.get("spec_version") != SPEC_VERSION:
            raise ValueError(f"Unknown sweep spec version {d.get('spec_version')!r} (this code reads {SPEC_VERSION}).")
        axes = tuple(Axis(a["name"], tuple(a["values"])) for a in d["axes"])
        spec = cls(base=RunConfig.from_dict(d["base"]), axes=axes, seeds=d["seeds"],
                   first_seed=d.get("first_seed", 0), grids=tuple(a.get("grid", "") for a in d["axes"]),
                   created=d.get("created", ""))
        if d.get("engine_version", ENGINE_VERSION) == ENGINE_VERSION and d.get("key", spec.key) != spec.key:
            raise ValueError("The sweep file's key does not match its content.")
        return spec


def make_spec(base: RunConfig, vary: Mapping[str, str], *, seeds: int = 5, first_seed: int = 0,
              add_validation: bool = True) -> SweepSpec:
    """A spec from grid texts, e.g. ``make_spec(OVERFIT, {"weight_decay": "0,1e-4..1x9log"}, seeds=5)``.

    A base without a validation split gets ``DEFAULT_N_VAL`` images of validation (``with_validation``), unless
    ``add_validation`` is False (the user asked for n_val=0: the spec then refuses it).
    """
    from .grid import parse_grid

    axes = tuple(Axis(sweep_field(name), parse_grid(name, text)) for name, text in vary.items())
    return SweepSpec(with_validation(base) if add_validation else base, axes, seeds=seeds, first_seed=first_seed,
                     grids=tuple(str(t).strip() for t in vary.values()))


def check_sweep_id(sweep_id: Any) -> str:
    """``sweep_id`` if it is a plain name (ids come from URLs, so never a path); ValueError otherwise."""
    if not isinstance(sweep_id, str) or not SWEEP_ID_RE.fullmatch(sweep_id):
        raise ValueError(f"Not a sweep id: {str(sweep_id)[:80]!r}. A sweep id has 1 to 64 letters, digits, '-' or "
                         f"'_', and starts with a letter or digit.")
    return sweep_id

