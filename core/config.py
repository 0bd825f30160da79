"""RunConfig: one training run, fully described, validated on construction.

A config is the single source of truth for a run. Its canonical JSON (sorted keys, no whitespace) plus the engine
version hashes to ``run_id``; the same without the seed hashes to ``group_id`` (runs that differ only by seed).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Mapping

from .validation import (ParameterError, check_bool, check_choice, check_float, check_int, check_layer_sizes,
                         check_string, fail, is_int)

ENGINE_VERSION = "2"  # bump when a change to the engine changes the numbers a config produces

DATASETS = ("mnist5k", "digits", "idx")
EMBEDDED_SIZES = {"mnist5k": 5000, "digits": 1797}
"""Images in each dataset that ships with the lab: a split asking for more is refused with the config."""
ACTIVATIONS = ("relu", "sigmoid", "tanh")
INITS = ("std", "xavier", "he")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
WEIGHT_DECAY_MODES = ("l2", "decoupled")
DROPOUT_MODES = ("book", "inverted")
SAMPLINGS = ("shuffle", "book")
DTYPES = ("float32", "float64")
TEST_EVERY = ("epoch", "end")

LATE_DEFAULTS: dict[str, Any] = {"test_every": "epoch"}
"""Fields added after run ids were first published, with the value every config had before them. A field at this
value is left out of the canonical JSON, so configs written before it existed keep their ``run_id``."""

MAX_EPOCHS = 100_000
MAX_HIDDEN_UNITS = 10_000
MAX_HIDDEN_LAYERS = 50


class ConfigError(ParameterError):
    """An invalid configuration value; ``field`` names it, the message the allowed values and what was received."""


def split_size_problem(dataset: str, n_images: int, n_train: int, n_val: int, n_test: int) -> str | None:
    """Why the split cannot be cut from ``n_images`` images (``n_test=0`` = all the rest), or None when it can."""
    requested = n_train + n_val + n_test
    if requested > n_images:
        return (f"n_train + n_val + n_test = {n_train} + {n_val} + {n_test} = {requested} exceeds the "
                f"{n_images} images of dataset {dataset!r}.")
    if n_test == 0 and requested == n_images:
        return (f"n_train + n_val = {n_train} + {n_val} uses all {n_images} images of dataset {dataset!r}; "
                f"none are left for the test part.")
    return None


@dataclass(frozen=True)
class RunConfig:
    """Every setting of one training run. Change one with ``dataclasses.replace`` (validates again)."""

    # data
    dataset: str = "mnist5k"             # embedded 5,000-image MNIST subset; "digits" (8x8) or "idx" (a folder of IDX files)
    data_path: str = ""                  # folder of IDX files, only for dataset="idx"
    n_train: int = 300                   # the book's overfitting setup: 300 images
    n_val: int = 0                       # 0 for plain runs; searches need a validation split
    n_test: int = 0                      # 0 = every remaining image
    data_seed: int = 0                   # the split has its own seed, so runs differing only in `seed` see the same data
    # model
    hidden_sizes: tuple[int, ...] = (100,) * 6  # the book's 6x100 MLP
    activation: str = "relu"
    init: str = "he"                     # the book's MultiLayerNet default ('relu' -> He)
    init_std: float = 0.01               # only for init="std"
    batch_norm: bool = False
    dropout: float = 0.0                 # probability of dropping a hidden unit in training
    dropout_mode: str = "book"           # book: scale by (1 - ratio) at test time; inverted: by 1/(1 - ratio) in training
    # optimisation
    optimizer: str = "sgd"
    lr: float = 0.01
    momentum: float = 0.9                # momentum and nesterov
    beta1: float = 0.9                   # adam
    beta2: float = 0.999                 # adam
    rho: float = 0.99                    # rmsprop decay rate (the book's value)
    weight_decay: float = 0.0            # lambda; the book's regularised run uses 0.1
    weight_decay_mode: str = "l2"        # l2: 0.5*lambda*sum(W^2) in the loss (the book); decoupled: W -= lr*lambda*W
    n_epochs: int = 200                  # evaluations happen at epoch 0 (before any update) and after each epoch
    batch_size: int = 100
    sampling: str = "shuffle"            # shuffle: a permutation per epoch; book: draws with replacement, as the book's trainer
    seed: int = 0
    dtype: str = "float32"               # float64 for gradient checks
    test_every: str = "epoch"            # epoch: test scored at every evaluation; end: only at the last (searches)

    def __post_init__(self) -> None:
        # Coerce list -> tuple so JSON round trips and widgets hand in lists freely; frozen needs object.__setattr__.
        if isinstance(self.hidden_sizes, list):
            object.__setattr__(self, "hidden_sizes", tuple(self.hidden_sizes))
        self._validate()
        for name in ("init_std", "dropout", "lr", "momentum", "beta1", "beta2", "rho", "weight_decay"):
            value = getattr(self, name)
            if is_int(value):  # an int where a float is expected is fine (lr=1); stored as float so run_id agrees
                object.__setattr__(self, name, float(value))

    def _validate(self) -> None:
        check_choice("dataset", self.dataset, DATASETS, error=ConfigError)
        check_string("data_path", self.data_path, error=ConfigError)
        if self.dataset == "idx" and not self.data_path:
            fail("data_path", "the path of a folder of IDX files when dataset='idx'", self.data_path, error=ConfigError)
        if self.dataset != "idx" and self.data_path:
            raise ConfigError("data_path", f"The 'data_path' parameter is only used with dataset='idx'. Got {self.data_path!r} with dataset={self.dataset!r}.")
        check_int("n_train", self.n_train, 1, error=ConfigError)
        check_int("n_val", self.n_val, 0, error=ConfigError)
        check_int("n_test", self.n_test, 0, error=ConfigError)
        check_int("data_seed", self.data_seed, 0, 2**32 - 1, error=ConfigError)
        if self.dataset in EMBEDDED_SIZES:  # an IDX folder's size is known only when it is read (core.data)
            problem = split_size_problem(self.dataset, EMBEDDED_SIZES[self.dataset], self.n_train, self.n_val,
                                         self.n_test)
            if problem:
                raise ConfigError("n_train", problem)
        check_layer_sizes("hidden_sizes", self.hidden_sizes, MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS, error=ConfigError)
        check_choice("activation", self.activation, ACTIVATIONS, error=ConfigError)
        check_choice("init", self.init, INITS, error=ConfigError)
        check_float("init_std", self.init_std, 0.0, 10.0, low_open=True, error=ConfigError)
        check_bool("batch_norm", self.batch_norm, error=ConfigError)
        check_float("dropout", self.dropout, 0.0, 1.0, high_open=True, error=ConfigError)
        check_choice("dropout_mode", self.dropout_mode, DROPOUT_MODES, error=ConfigError)
        check_choice("optimizer", self.optimizer, OPTIMIZERS, error=ConfigError)
        check_float("lr", self.lr, 0.0, 10.0, low_open=True, error=ConfigError)
        check_float("momentum", self.momentum, 0.0, 1.0, high_open=True, error=ConfigError)
        check_float("beta1", self.beta1, 0.0, 1.0, high_open=True, error=ConfigError)
        check_float("beta2", self.beta2, 0.0, 1.0, high_open=True, error=ConfigError)
        check_float("rho", self.rho, 0.0, 1.0, high_open=True, error=ConfigError)
        check_float("weight_decay", self.weight_decay, 0.0, 100.0, error=ConfigError)
        check_choice("weight_decay_mode", self.weight_decay_mode, WEIGHT_DECAY_MODES, error=ConfigError)
        if self.weight_decay_mode == "decoupled" and self.lr * self.weight_decay >= 1:
            # decoupled decay multiplies W by (1 - lr*lambda) each step: at >= 1 it flips or zeroes the weights
            raise ConfigError("weight_decay", f"With weight_decay_mode='decoupled', lr * weight_decay must be below 1. "
                                              f"Got {self.lr!r} * {self.weight_decay!r} = {self.lr * self.weight_decay:g}.")
        check_int("n_epochs", self.n_epochs, 1, MAX_EPOCHS, error=ConfigError)
        check_int("batch_size", self.batch_size, 1, error=ConfigError)
        if self.batch_size > self.n_train:
            fail("batch_size", f"at most n_train ({self.n_train})", self.batch_size, error=ConfigError)
        check_choice("sampling", self.sampling, SAMPLINGS, error=ConfigError)
        check_int("seed", self.seed, 0, 2**32 - 1, error=ConfigError)
        check_choice("dtype", self.dtype, DTYPES, error=ConfigError)
        check_choice("test_every", self.test_every, TEST_EVERY, error=ConfigError)

    # ---- identity -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar or a tuple of ints: no deep copy needed (dataclasses.asdict's took ~1 ms, paid for
        # every run a job's driver stores).
        d = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        d["hidden_sizes"] = list(self.hidden_sizes)
        return d

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no whitespace, late fields at their default left out; the basis of
        ``run_id``."""
        return json.dumps(identity_fields(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunConfig":
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(unknown[0], f"Unknown config field {unknown[0]!r}; known fields: {', '.join(sorted(known))}.")
        return cls(**dict(data))

    @classmethod
    def from_json(cls, text: str) -> "RunConfig":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError("json", f"The config is not valid JSON: {exc}.") from None
        if not isinstance(data, dict):
            raise ConfigError("json", f"The config JSON must be an object. Got {type(data).__name__} instead.")
        return cls.from_dict(data)

    @functools.cached_property  # the config is frozen; a search's worker asked for it at every epoch (~2 % of a trial)
    def run_id(self) -> str:
        """12 hex digits of sha256(engine version + canonical config)."""
        return _short_hash(ENGINE_VERSION + "|" + self.to_json())

    @property
    def group_id(self) -> str:
        """Like ``run_id`` but blind to ``seed``: the runs of one group differ only by seed."""
        d = identity_fields(self)
        del d["seed"]
        return _short_hash(ENGINE_VERSION + "|" + json.dumps(d, sort_keys=True, separators=(",", ":")))

    # ---- presentation ---------------------------------------------------------------------------------------------
    @property
    def architecture(self) -> str:
        hs = self.hidden_sizes
        return f"{len(hs)}×{hs[0]}" if len(set(hs)) == 1 else "-".join(map(str, hs))

    def label(self, *, with_seed: bool = False) -> str:
        """A short human label for charts, e.g. ``wd=0.1 · dropout=0.2 · 6×100 · sgd lr=0.01``."""
        default = RunConfig()
        parts: list[str] = []
        if self.weight_decay:
            parts.append(f"wd={self.weight_decay:g}" + (" (decoupled)" if self.weight_decay_mode == "decoupled" else ""))
        if self.dropout:
            parts.append(f"dropout={self.dropout:g}" + (" (inverted)" if self.dropout_mode == "inverted" else ""))
        if not parts:
            parts.append("no reg.")
        if self.batch_norm:
            parts.append("batchnorm")
        arch = self.architecture
        if self.activation != "relu":
            arch += f" {self.activation}"
        if self.init != default.init:
            arch += f" {self.init}" + (f"={self.init_std:g}" if self.init == "std" else "")
        parts.append(arch)
        parts.append(f"{self.optimizer} lr={self.lr:g}")
        if self.dataset != default.dataset:
            parts.append(self.dataset)
        if self.n_train != default.n_train:
            parts.append(f"n={self.n_train}")
        if with_seed:
            parts.append(f"seed={self.seed}")
        return " · ".join(parts)


def identity_fields(config: RunConfig) -> dict[str, Any]:
    """The fields that make a config's identity: every field, except a late one (``LATE_DEFAULTS``) at its default."""
    return {f.name: value for f in dataclasses.fields(config)
            if LATE_DEFAULTS.get(f.name, _NO_DEFAULT) != (value := getattr(config, f.name))}


_NO_DEFAULT = object()


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


FIELD_TYPES: dict[str, type] = {f.name: f.type for f in dataclasses.fields(RunConfig)}  # type: ignore[misc]


def parse_override(text: str) -> tuple[str, Any]:
    """Parse one ``key=value`` option from the command line into a typed pair.

    Values are read as the field's type: ``hidden_sizes=100,100`` or ``100x6``; booleans as true/false/1/0.
    """
    if "=" not in text:
        raise ConfigError("set", f"Expected key=value, got {text!r}.")
    key, raw = (s.strip() for s in text.split("=", 1))
    defaults = RunConfig()
    if key not in FIELD_TYPES:
        raise ConfigError(key, f"Unknown config field {key!r}; known fields: {', '.join(sorted(FIELD_TYPES))}.")
    current = getattr(defaults, key)
    try:
        if key == "hidden_sizes":
            if "x" in raw.lower():
                width, depth = raw.lower().split("x")
                if not 1 <= int(depth) <= MAX_HIDDEN_LAYERS:  # refuse before building: "1x999999999" is 8 GB
                    fail(key, f"1 to {MAX_HIDDEN_LAYERS} layers", raw, error=ConfigError)
                return key, (int(width),) * int(depth)
            sizes = [v for v in raw.split(",") if v.strip()]
            if len(sizes) > MAX_HIDDEN_LAYERS:
                fail(key, f"1 to {MAX_HIDDEN_LAYERS} layers", len(sizes), error=ConfigError)
            return key, tuple(int(v) for v in sizes)
        if isinstance(current, bool):
            if raw.lower() in ("true", "1", "yes", "on"):
                return key, True
            if raw.lower() in ("false", "0", "no", "off"):
                return key, False
            raise ValueError(raw)
        if isinstance(current, int):
            return key, int(raw)
        if isinstance(current, float):
            return key, float(raw)
    except ConfigError:
        raise
    except ValueError:
        kind = "layer sizes like 100,100 or 100x6" if key == "hidden_sizes" else type(current).__name__
        fail(key, kind, raw, error=ConfigError)
    return key, raw


def config_with(base: RunConfig, overrides: Mapping[str, Any]) -> RunConfig:
    """``base`` with ``overrides`` applied (validated again); unknown keys raise ConfigError."""
    unknown = sorted(set(overrides) - set(FIELD_TYPES))
    if unknown:
        raise ConfigError(unknown[0], f"Unknown config field {unknown[0]!r}; known fields: {', '.join(sorted(FIELD_TYPES))}.")
    return dataclasses.replace(base, **dict(overrides))
