"""Numerical gradients by central differences, to check the analytic backward passes (float64 only)."""
from __future__ import annotations

from typing import Callable

import numpy as np
import numpy.typing as npt

GRAD_TOLERANCE = 1e-6  # relative error; central differences in float64 typically reach 1e-9 .. 1e-11


def numerical_gradient(f: Callable[[], float], x: npt.NDArray[np.float64], h: float = 1e-5) -> npt.NDArray[np.float64]:
    """d f() / d x, where ``f`` reads ``x`` (perturbed in place, then restored)."""
    if x.dtype != np.float64:
        raise TypeError(f"numerical gradients need float64; got {x.dtype}")
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)  # views: x must be contiguous
    assert np.shares_memory(flat_x, x)
    for i in range(flat_x.size):
        original = flat_x[i]
        flat_x[i] = original + h
        f_plus = f()
        flat_x[i] = original - h
        f_minus = f()
        flat_x[i] = original
        flat_grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(analytic: np.ndarray, numeric: np.ndarray) -> float:
    """``|a - n| / (|a| + |n|)`` over the whole array (Euclidean norms); 0 when both are 0."""
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if denominator == 0 else float(np.linalg.norm(analytic - numeric) / denominator)


def check_layer_gradients(layer, x: npt.NDArray[np.float64], rng: np.random.Generator,
                          params: dict[str, str] | None = None) -> dict[str, float]:
    """Relative errors of ``layer``'s backward, for the input and each parameter (``{"W": "dW", ...}``).

    The scalar checked is ``sum(forward(x) * dout)`` for a fixed random ``dout``, so backward(dout) is its gradient.
    """
    dout = rng.standard_normal(layer.forward(x, training=True).shape)

    def f() -> float:
        return float(np.sum(layer.forward(x, training=True) * dout))

    layer.forward(x, training=True)
    errors = {"x": relative_error(layer.backward(dout), numerical_gradient(f, x))}
    for name, grad_name in (params or {}).items():
        analytic = getattr(layer, grad_name).copy()
        errors[name] = relative_error(analytic, numerical_gradient(f, getattr(layer, name)))
    return errors
