"""Parameter checks with one message format, scikit-learn style, for configs, optimizers, layers and searches.

Every message reads "The '<name>' parameter must be <constraint>. Got <value> instead.", with intervals written the
same way everywhere: "[0, 1)", "(0, 10]", "[1, inf)" (infinity is always open). Each check raises
``ParameterError`` (a ValueError that names the parameter in ``.field``) or the subclass a caller passes in ``error``
(``RunConfig`` passes ``ConfigError``, so a form can show the message beside its field).
"""
from __future__ import annotations

import math
import re
from typing import Any, Sequence

SEARCH_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
"""A search id (and any id that comes from a URL): a plain name, never a path. The UI checks URL values with it too."""


class ParameterError(ValueError):
    """An invalid parameter value; ``field`` names the parameter, the message the constraint and the value."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


def is_int(value: Any) -> bool:
    """A Python int that is not a bool (numpy integers do not count: a config must serialize to JSON)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_real(value: Any) -> bool:
    """A Python int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def interval(low: float, high: float, *, low_open: bool = False, high_open: bool = False) -> str:
    """``[low, high]`` with open ends as parentheses; an infinite end is always open: ``[0, inf)``."""
    def end(v: float) -> str:
        if isinstance(v, int):
            return str(v)
        return ("-inf" if v < 0 else "inf") if math.isinf(v) else f"{v:g}"
    left = "(" if low_open or math.isinf(low) else "["
    right = ")" if high_open or math.isinf(high) else "]"
    return f"{left}{end(low)}, {end(high)}{right}"


def fail(name: str, constraint: str, value: Any, *, error: type[ParameterError] = ParameterError) -> None:
    """Raise ``error`` with the house message: "The 'name' parameter must be <constraint>. Got <value> instead."."""
    raise error(name, f"The '{name}' parameter must be {constraint}. Got {value!r} instead.")


def check_int(name: str, value: Any, low: int, high: float = math.inf, *,
              error: type[ParameterError] = ParameterError) -> int:
    """``value`` as an int when ``low <= value <= high``; raises ``error`` otherwise."""
    if not is_int(value) or not low <= value <= high:
        fail(name, f"an int in the range {interval(low, high)}", value, error=error)
    return int(value)


def check_float(name: str, value: Any, low: float, high: float = math.inf, *, low_open: bool = False,
                high_open: bool = False, error: type[ParameterError] = ParameterError) -> float:
    """``value`` as a float when finite and inside the interval; raises ``error`` otherwise (an int is accepted)."""
    ok = is_real(value) and math.isfinite(value)
    if ok:
        ok = (value > low if low_open else value >= low) and (value < high if high_open else value <= high)
    if not ok:
        fail(name, f"a float in the range {interval(low, high, low_open=low_open, high_open=high_open)}", value,
             error=error)
    return float(value)


def check_choice(name: str, value: Any, options: Sequence[Any], *,
                 error: type[ParameterError] = ParameterError) -> Any:
    """``value`` when it is one of ``options``; raises ``error`` otherwise."""
    if value not in tuple(options):
        fail(name, "one of " + ", ".join(map(repr, options)), value, error=error)
    return value


def check_bool(name: str, value: Any, *, error: type[ParameterError] = ParameterError) -> bool:
    """``value`` when it is True or False; raises ``error`` otherwise."""
    if not isinstance(value, bool):
        fail(name, "True or False", value, error=error)
    return value


def check_string(name: str, value: Any, max_len: int | None = None, *,
                 error: type[ParameterError] = ParameterError) -> str:
    """``value`` when it is a string (of at most ``max_len`` characters); raises ``error`` otherwise."""
    if not isinstance(value, str) or (max_len is not None and len(value) > max_len):
        fail(name, "a string" if max_len is None else f"a string of at most {max_len} characters", value, error=error)
    return value


def check_instance(name: str, value: Any, kind: type, *, error: type[ParameterError] = ParameterError) -> Any:
    """``value`` when it is a ``kind``; raises ``error`` naming the type received otherwise."""
    if not isinstance(value, kind):
        raise error(name, f"The '{name}' parameter must be a {kind.__name__}. Got {type(value).__name__} instead.")
    return value


def check_layer_sizes(name: str, value: Any, max_len: int, max_size: int, *,
                error: type[ParameterError] = ParameterError) -> tuple[int, ...]:
    """``value`` when it is a tuple of 1 to ``max_len`` ints, each in [1, max_size]; raises ``error`` otherwise."""
    if (not isinstance(value, tuple) or not 1 <= len(value) <= max_len
            or not all(is_int(v) and 1 <= v <= max_size for v in value)):
        fail(name, f"1 to {max_len} layer sizes, each an int in the range {interval(1, max_size)}", value, error=error)
    return value
