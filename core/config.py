"""RunConfig: one training run, fully described, validated on construction.

A config is the single source of truth for a run. Its canonical JSON (sorted keys, no whitespace) plus the engine
version hashes to ``run_id``; the same without the seed hashes to ``group_id`` (runs that differ only by seed).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any, Mapping

ENGINE_VERSION = "2"  # bump when a change to the engine changes the numbers a config produces

DATASETS = ("mnist5k", "digits", "idx")
EMBEDDED_SIZES = {"mnist5k": 5000, "digits": 1797}
"""Images in each dataset that ships with the lab: a split asking for more is refused with the config."""
ACTIVATIONS = ("relu", "sigmoid")
INITS = ("std", "xavier", "he")
OPTIMIZERS = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
WEIGHT_DECAY_MODES = ("l2", "decoupled")
DROPOUT_MODES = ("book", "inverted")
SAMPLINGS = ("shuffle", "book")
DTYPES = ("float32", "float64")

MAX_EPOCHS = 100_000
MAX_HIDDEN_UNITS = 10_000
MAX_HIDDEN_LAYERS = 50


class ConfigError(ValueError):
    """An invalid configuration value; the message names the field, the allowed values and what was received."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_real(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


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


def _check_int(name: str, value: Any, low: int, high: int | None = None) -> None:
    upper = "inf" if high is None else str(high)
    if not _is_int(value) or value < low or (high is not None and value > high):
        raise ConfigError(name, f"The '{name}' parameter must be an int in the range [{low}, {upper}]. Got {value!r} instead.")


def _check_real(name: str, value: Any, low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> None:
    ok = _is_real(value) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        interval = f"{'(' if low_open else '['}{low:g}, {'inf' if math.isinf(high) else f'{high:g}'}{')' if high_open else ']'}"
        raise ConfigError(name, f"The '{name}' parameter must be a float in the range {interval}. Got {value!r} instead.")


def _check_choice(name: str, value: Any, options: tuple[str, ...]) -> None:
    if value not in options:
        raise ConfigError(name, f"The '{name}' parameter must be one of {', '.join(map(repr, options))}. Got {value!r} instead.")


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

    def __post_init__(self) -> None:
        # Coerce list -> tuple so JSON round trips and widgets hand in lists freely; frozen needs object.__setattr__.
        if isinstance(self.hidden_sizes, list):
            object.__setattr__(self, "hidden_sizes", tuple(self.hidden_sizes))
        self._validate()
        for name in ("init_std", "dropout", "lr", "momentum", "beta1", "beta2", "rho", "weight_decay"):
            value = getattr(self, name)
            if _is_int(value):  # an int where a float is expected is fine (lr=1); stored as float so run_id agrees
                object.__setattr__(self, name, float(value))

    def _validate(self) -> None:
        _check_choice("dataset", self.dataset, DATASETS)
        if not isinstance(self.data_path, str):
            raise ConfigError("data_path", f"The 'data_path' parameter must be a string. Got {self.data_path!r} instead.")
        if self.dataset == "idx" and not self.data_path:
            raise ConfigError("data_path", "The 'data_path' parameter must name a folder of IDX files when dataset='idx'. Got '' instead.")
        if self.dataset != "idx" and self.data_path:
            raise ConfigError("data_path", f"The 'data_path' parameter is only used with dataset='idx'. Got {self.data_path!r} with dataset={self.dataset!r}.")
        _check_int("n_train", self.n_train, 1)
        _check_int("n_val", self.n_val, 0)
        _check_int("n_test", self.n_test, 0)
        _check_int("data_seed", self.data_seed, 0, 2**32 - 1)
        if self.dataset in EMBEDDED_SIZES:  # an IDX folder's size is known only when it is read (core.data)
            problem = split_size_problem(self.dataset, EMBEDDED_SIZES[self.dataset], self.n_train, self.n_val,
                                         self.n_test)
            if problem:
                raise ConfigError("n_train", problem)
        hs = self.hidden_sizes
        if (not isinstance(hs, tuple) or not 1 <= len(hs) <= MAX_HIDDEN_LAYERS
                or not all(_is_int(h) and 1 <= h <= MAX_HIDDEN_UNITS for h in hs)):
            raise ConfigError("hidden_sizes", f"The 'hidden_sizes' parameter must be 1 to {MAX_HIDDEN_LAYERS} layer sizes, "
                                              f"each an int in the range [1, {MAX_HIDDEN_UNITS}]. Got {hs!r} instead.")
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("init", self.init, INITS)
        _check_real("init_std", self.init_std, 0.0, 10.0, low_open=True)
        if not isinstance(self.batch_norm, bool):
            raise ConfigError("batch_norm", f"The 'batch_norm' parameter must be True or False. Got {self.batch_norm!r} instead.")
        _check_real("dropout", self.dropout, 0.0, 1.0, high_open=True)
        _check_choice("dropout_mode", self.dropout_mode, DROPOUT_MODES)
        _check_choice("optimizer", self.optimizer, OPTIMIZERS)
        _check_real("lr", self.lr, 0.0, 10.0, low_open=True)
        _check_real("momentum", self.momentum, 0.0, 1.0, high_open=True)
        _check_real("beta1", self.beta1, 0.0, 1.0, high_open=True)
        _check_real("beta2", self.beta2, 0.0, 1.0, high_open=True)
        _check_real("rho", self.rho, 0.0, 1.0, high_open=True)
        _check_real("weight_decay", self.weight_decay, 0.0, 100.0)
        _check_choice("weight_decay_mode", self.weight_decay_mode, WEIGHT_DECAY_MODES)
        if self.weight_decay_mode == "decoupled" and self.lr * self.weight_decay >= 1:
            # decoupled decay multiplies W by (1 - lr*lambda) each step: at >= 1 it flips or zeroes the weights
            raise ConfigError("weight_decay", f"With weight_decay_mode='decoupled', lr * weight_decay must be below 1. "
                                              f"Got {self.lr!r} * {self.weight_decay!r} = {self.lr * self.weight_decay:g}.")
        _check_int("n_epochs", self.n_epochs, 1, MAX_EPOCHS)
        _check_int("batch_size", self.batch_size, 1)
        if self.batch_size > self.n_train:
            raise ConfigError("batch_size", f"The 'batch_size' parameter must be at most n_train ({self.n_train}). Got {self.batch_size!r} instead.")
        _check_choice("sampling", self.sampling, SAMPLINGS)
        _check_int("seed", self.seed, 0, 2**32 - 1)
        _check_choice("dtype", self.dtype, DTYPES)

    # ---- identity -------------------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["hidden_sizes"] = list(self.hidden_sizes)
        return d

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, no whitespace; the basis of ``run_id``."""
        return json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))

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

    @property
    def run_id(self) -> str:
        """12 hex digits of sha256(engine version + canonical config)."""
        return _short_hash(ENGINE_VERSION + "|" + self.to_json())

    @property
    def group_id(self) -> str:
        """Like ``run_id`` but blind to ``seed``: the runs of one group differ only by seed."""
        d = self.to_dict()
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
                    raise ConfigError(key, f"The 'hidden_sizes' parameter must be 1 to {MAX_HIDDEN_LAYERS} layers. "
                                           f"Got {raw!r} instead.")
                return key, (int(width),) * int(depth)
            sizes = [v for v in raw.split(",") if v.strip()]
            if len(sizes) > MAX_HIDDEN_LAYERS:
                raise ConfigError(key, f"The 'hidden_sizes' parameter must be 1 to {MAX_HIDDEN_LAYERS} layers. "
                                       f"Got {len(sizes)} instead.")
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
        raise ConfigError(key, f"The '{key}' parameter must be {kind}. Got {raw!r} instead.") from None
    return key, raw


def config_with(base: RunConfig, overrides: Mapping[str, Any]) -> RunConfig:
    """``base`` with ``overrides`` applied (validated again); unknown keys raise ConfigError."""
    unknown = sorted(set(overrides) - set(FIELD_TYPES))
    if unknown:
        raise ConfigError(unknown[0], f"Unknown config field {unknown[0]!r}; known fields: {', '.join(sorted(FIELD_TYPES))}.")
    return dataclasses.replace(base, **dict(overrides))
