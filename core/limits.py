"""Size limits, checked before anything is allocated or computed: one place for the CLI, the dashboard and the search.

A config, a job or a file that would exceed a limit is refused with one line naming the value, the limit and the
setting that changes it, e.g. ``hidden_sizes=10000x50 needs 4.9e+09 parameters; the limit is 2.0e+07
(OVERFIT_LAB_MAX_PARAMS)``. The defaults protect a shared machine of about 24 GB; each is an environment setting:

==================================  ==========================================  ==========================
setting                             what it bounds                              default (dashboard)
==================================  ==========================================  ==========================
``OVERFIT_LAB_MAX_PARAMS``          parameters of one model                     20,000,000
``OVERFIT_LAB_MAX_ACTIVATION_MB``   activation memory of one batch / eval block 1024 MB
``OVERFIT_LAB_MAX_EPOCHS``          epochs of one run                           100,000 (1,000)
``OVERFIT_LAB_MAX_SEEDS``           seeds per config, sweep point or trial      100 (10)
``OVERFIT_LAB_MAX_TRIALS``          trials of one search                        1,000
``OVERFIT_LAB_MAX_RUNS``            runs of one job (configs x seeds, a grid)   1,000
``OVERFIT_LAB_MAX_WORKERS``         worker processes of one job                 32
``OVERFIT_LAB_MAX_CONFIG_KB``       a ``--config`` file                         1024 kB
``OVERFIT_LAB_MAX_IDX_MB``          one IDX file, decompressed                  1024 MB
==================================  ==========================================  ==========================

Pure: reads the environment only in ``current_limits``; no numpy, no allocation.
"""
from __future__ import annotations

import dataclasses
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from .validation import ParameterError

ENV_PREFIX = "OVERFIT_LAB_MAX_"
N_CLASSES = 10
FEATURES = {"mnist5k": 784, "digits": 64}   # an IDX folder's width is read from its header (``core.data``)
DEFAULT_FEATURES = 784
EVAL_BLOCK_ROWS = 1024  # rows per inference block (``core.evaluation``, which takes it from here). Measured on the
# weight-decay run, 2 cores (Intel Xeon, session 12): the hidden layers cost 0.89 us a row in blocks of 512 and 0.82
# in blocks of 1,024 with one lane, but 1.13 and 0.98 with two lanes side by side (a run's lanes slow each other down
# per block, and less with fewer blocks); the whole run took 1.33 s in blocks of 512 and 1.24 s of 1,024 (5,000
# rows), 0.65 and 0.61 s (1,300 rows). Twice the rows also doubles the activations ``check_config`` counts.
BUFFERS_PER_UNIT = 4                        # affine output, activation output, mask, batch-norm / dropout buffer


class LimitError(ParameterError):
    """A value beyond a limit; ``field`` names it, the message the value, the limit and its setting."""


@dataclass(frozen=True)
class Limits:
    """The limits in force. ``current_limits()`` reads them from the environment."""

    params: int = 20_000_000
    activation_mb: int = 1024
    epochs: int = 100_000
    seeds: int = 100
    trials: int = 1000
    runs: int = 1000
    workers: int = 32
    config_kb: int = 1024
    idx_mb: int = 1024

    @staticmethod
    def env_name(name: str) -> str:
        return ENV_PREFIX + name.upper()

    def items(self) -> list[tuple[str, int, str]]:
        """(field, value, setting) of every limit, for the dashboard's help and the docs."""
        return [(f.name, getattr(self, f.name), self.env_name(f.name)) for f in dataclasses.fields(self)]


DASHBOARD_DEFAULTS = {"epochs": 1000, "seeds": 10}
"""Stricter defaults for a dashboard server, which strangers may use (a setting still overrides them)."""


def _env_int(name: str, default: int, environ: Mapping[str, str]) -> int:
    raw = environ.get(name, "").strip().replace("_", "")
    try:
        value = int(float(raw)) if raw else default
    except (ValueError, OverflowError):
        return default
    return value if value >= 1 else default


def current_limits(*, dashboard: bool = False, environ: Mapping[str, str] | None = None) -> Limits:
    """The limits from the ``OVERFIT_LAB_MAX_*`` settings (an unreadable or non-positive one keeps its default)."""
    environ = os.environ if environ is None else environ
    values = {}
    for f in dataclasses.fields(Limits):
        default = DASHBOARD_DEFAULTS.get(f.name, f.default) if dashboard else f.default
        values[f.name] = _env_int(Limits.env_name(f.name), default, environ)
    return Limits(**values)


def _sci(value: float) -> str:
    return f"{value:.1e}"


def refuse(field: str, value_text: str, needs: str, limit_text: str, setting: str) -> None:
    raise LimitError(field, f"{value_text} {needs}; the limit is {limit_text} ({setting})")


# ---- models ---------------------------------------------------------------------------------------------------------
def n_parameters(hidden_sizes: Iterable[int], n_features: int = DEFAULT_FEATURES, *, batch_norm: bool = False,
                 n_classes: int = N_CLASSES) -> int:
    """Weights and biases of the MLP (plus gamma and beta per hidden unit with batch norm), exact, in Python ints."""
    sizes = [int(n_features), *(int(h) for h in hidden_sizes), int(n_classes)]
    total = sum((a + 1) * b for a, b in zip(sizes, sizes[1:]))
    return total + (2 * sum(sizes[1:-1]) if batch_norm else 0)


def activation_bytes(hidden_sizes: Iterable[int], rows: int, itemsize: int, n_features: int = DEFAULT_FEATURES,
                     n_classes: int = N_CLASSES) -> int:
    """Memory of the arrays one forward/backward pass over ``rows`` rows keeps (an upper estimate)."""
    units = int(n_features) + BUFFERS_PER_UNIT * sum(int(h) for h in hidden_sizes) + 3 * int(n_classes)
    return int(rows) * units * int(itemsize)


def _layers_text(hidden_sizes: tuple[int, ...]) -> str:
    hs = tuple(hidden_sizes)
    return f"{hs[0]}x{len(hs)}" if hs and len(set(hs)) == 1 else ",".join(map(str, hs))


def check_config(config: Any, limits: Limits | None = None, *, n_features: int | None = None) -> None:
    """Raise LimitError when one run of ``config`` (a RunConfig) would exceed the model or memory limits."""
    limits = limits or current_limits()
    features = n_features or FEATURES.get(config.dataset, DEFAULT_FEATURES)
    hidden = tuple(config.hidden_sizes)
    params = n_parameters(hidden, features, batch_norm=config.batch_norm)
    if params > limits.params:
        refuse("hidden_sizes", f"hidden_sizes={_layers_text(hidden)}", f"needs {_sci(params)} parameters",
               _sci(limits.params), Limits.env_name("params"))
    if config.n_epochs > limits.epochs:
        refuse("n_epochs", f"n_epochs={config.n_epochs}", "is too many", str(limits.epochs), Limits.env_name("epochs"))
    itemsize = 8 if config.dtype == "float64" else 4
    budget = limits.activation_mb * 2**20
    for field, rows in (("batch_size", config.batch_size), ("hidden_sizes", EVAL_BLOCK_ROWS)):
        need = activation_bytes(hidden, rows, itemsize, features)
        if need > budget:
            what = f"batch_size={rows}" if field == "batch_size" else f"an evaluation block of {rows} rows"
            refuse(field, f"{what} with hidden_sizes={_layers_text(hidden)}",
                   f"needs {need / 2**20:.0f} MB of activations", f"{limits.activation_mb} MB",
                   Limits.env_name("activation_mb"))


def check_count(name: str, value: Any, limits: Limits | None = None, *, field: str | None = None) -> int:
    """``value`` when it is an int in [1, limit of ``name``] (seeds, trials, runs, workers, epochs)."""
    limits = limits or current_limits()
    limit = getattr(limits, name)
    label = field or name
    if isinstance(value, bool) or not isinstance(value, int):
        raise LimitError(label, f"{label} must be a whole number; got {value!r}")
    if value < 1:
        raise LimitError(label, f"{label}={value} must be at least 1")
    if value > limit:
        refuse(label, f"{label}={value}", "is too many", f"{limit}", Limits.env_name(name))
    return value


def check_job(configs: Iterable[Any], limits: Limits | None = None) -> None:
    """Every config of a job within the model limits, and the job within the runs limit (before any is built)."""
    limits = limits or current_limits()
    configs = list(configs)
    if len(configs) > limits.runs:
        refuse("runs", f"{len(configs)} runs", "are too many for one job", str(limits.runs), Limits.env_name("runs"))
    seen = set()
    for config in configs:
        key = (config.dataset, tuple(config.hidden_sizes), config.batch_norm, config.batch_size, config.dtype,
               config.n_epochs)
        if key not in seen:
            seen.add(key)
            check_config(config, limits)


# ---- files ------------------------------------------------------------------------------------------------------------
def read_small_file(path: str | Path, *, limit_bytes: int | None = None, what: str = "config file") -> str:
    """The text of a regular file of at most ``limit_bytes`` (default: the config-file limit), read without blocking.

    Refuses (LimitError, one line) devices, FIFOs, folders and files over the limit before reading a byte; a FIFO is
    opened with O_NONBLOCK, so naming one never hangs.
    """
    limits = current_limits()
    limit = limits.config_kb * 1024 if limit_bytes is None else limit_bytes
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise LimitError("config", f"cannot read {what} {path}: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitError("config", f"{what} {path} is not a regular file")
        if info.st_size > limit:
            refuse("config", f"{what} {path}", f"has {info.st_size} bytes", f"{limit} bytes",
                   Limits.env_name("config_kb"))
        data = os.read(fd, limit + 1)
        if len(data) > limit:  # grew while we looked
            refuse("config", f"{what} {path}", f"has more than {limit} bytes", f"{limit} bytes",
                   Limits.env_name("config_kb"))
    finally:
        os.close(fd)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise LimitError("config", f"{what} {path} is not UTF-8 text") from None


def idx_limit_bytes(limits: Limits | None = None) -> int:
    return (limits or current_limits()).idx_mb * 2**20


def describe(limits: Limits) -> list[str]:
    """One line per limit, ``name = value (SETTING)``, for help texts."""
    return [f"{name} = {value:,} ({env})" for name, value, env in limits.items()]


__all__ = ["LimitError", "Limits", "current_limits", "check_config", "check_count", "check_job", "read_small_file",
           "n_parameters", "activation_bytes", "idx_limit_bytes", "describe", "DASHBOARD_DEFAULTS"]
