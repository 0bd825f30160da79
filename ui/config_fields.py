"""The config form's pure side: which widget each RunConfig field gets, its value as text, and the config back.

No streamlit here (the widgets are in ``ui/run_page.py``), so the round trip and the error messages are unit-tested.
"""
from __future__ import annotations

from typing import Any, Mapping

from core import config as cfg
from core.config import ConfigError, RunConfig, parse_override

CHOICES = {"dataset": cfg.DATASETS, "activation": cfg.ACTIVATIONS, "init": cfg.INITS, "dropout_mode": cfg.DROPOUT_MODES,
           "optimizer": cfg.OPTIMIZERS, "weight_decay_mode": cfg.WEIGHT_DECAY_MODES, "sampling": cfg.SAMPLINGS,
           "dtype": cfg.DTYPES, "test_every": cfg.TEST_EVERY}
FLOATS = ("init_std", "dropout", "lr", "momentum", "beta1", "beta2", "rho", "weight_decay")
TEXTS = (*FLOATS, "hidden_sizes", "data_path")  # fields typed as text: read as the command line's --set reads them
SECTIONS = {  # section -> (fields always shown, fields under "more settings")
    "form.data": (("dataset", "n_train", "n_test"), ("data_path", "n_val", "data_seed")),
    "form.model": (("hidden_sizes", "activation", "init"), ("init_std", "batch_norm", "dtype")),
    "form.regularization": (("weight_decay", "dropout"), ("weight_decay_mode", "dropout_mode")),
    "form.optimizer": (("optimizer", "lr"), ("momentum", "beta1", "beta2", "rho")),
    "form.training": (("n_epochs", "batch_size", "seed"), ("sampling", "test_every")),
}


def widget_value(name: str, value: Any) -> Any:
    """What the form's widget for field ``name`` holds for ``value`` (text for floats and layer sizes)."""
    if name == "hidden_sizes":
        value = tuple(value)
        return f"{value[0]}x{len(value)}" if len(set(value)) == 1 else ",".join(map(str, value))
    return f"{value:g}" if name in FLOATS else value


def form_value(config: RunConfig, name: str) -> Any:
    """The widget value of field ``name`` of ``config``."""
    return widget_value(name, getattr(config, name))


def limit_errors(config: RunConfig, limits: Any = None) -> dict[str, str]:
    """{field: message} when ``config`` exceeds the size limits (``core.limits``) or names unreadable IDX data."""
    from core.data import DataError, check_data
    from core.limits import LimitError, check_config

    try:
        check_config(config, limits)
    except LimitError as exc:
        return {exc.field: str(exc)}
    try:
        check_data(config.dataset, config.data_path)
    except DataError as exc:
        return {"data_path": str(exc)}
    return {}


def build_config(raw: Mapping[str, Any]) -> tuple[RunConfig | None, dict[str, str]]:
    """A RunConfig from widget values (text for floats and layer sizes), or every field's error message."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        if name in (*FLOATS, "hidden_sizes"):
            try:
                values[name] = parse_override(f"{name}={value}")[1]
            except ConfigError as exc:
                errors[name] = str(exc)
        elif isinstance(value, float) and value.is_integer() and name not in FLOATS:
            values[name] = int(value)
        else:
            values[name] = value
    default = RunConfig()
    for name in errors:  # try the rest with defaults in place of unparsable fields, to report everything at once
        values[name] = getattr(default, name)
    for _ in range(len(cfg.FIELD_TYPES)):
        try:
            config = RunConfig(**values)
        except ConfigError as exc:
            if exc.field in errors or exc.field not in values:
                errors.setdefault(exc.field, str(exc))
                return None, errors
            errors[exc.field] = str(exc)
            values[exc.field] = getattr(default, exc.field)
            continue
        return (None, errors) if errors else (config, errors)
    return None, errors
