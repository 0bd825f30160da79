"""The book's activation-histogram experiment (figures 6-10 to 6-14): how the initial weight scale shapes activations.

1,000 standard-normal inputs of 100 features go through 5 hidden layers of 100 units (no biases, no training):
``a = activation(a @ W)`` with W drawn at the scale of each initialisation. With std 1, sigmoid outputs pile up at 0
and 1 (saturated: vanishing gradients); with std 0.01 they collapse near 0.5 (every unit says the same thing); Xavier
keeps them spread. For ReLU, He's sqrt(2/n) keeps the spread layer after layer, where Xavier and std 0.01 let it shrink.

The layers are ``core.layers``' own (``Affine`` and the activation layers of ``core.network``), and the scale of each
initialisation is ``core.network.init_std``.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..layers import Affine
from ..network import ACTIVATION_LAYERS, init_std

INITS: dict[str, tuple[str, float]] = {  # label -> (RunConfig.init, init_std): the four scales the chapter compares
    "std=1": ("std", 1.0),
    "std=0.01": ("std", 0.01),
    "xavier": ("xavier", 0.0),
    "he": ("he", 0.0),
}
ACTIVATIONS = ("sigmoid", "tanh", "relu")
SATURATION_MARGIN = 0.05   # an output within this of a bound of sigmoid (0, 1) or tanh (-1, 1) counts as saturated
CENTRE_MARGIN = 0.05       # ... and within this of the centre (0.5, 0) counts as collapsed
N_BINS = 30                # the book's 30 bins

BOUNDS = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # fixed histogram ranges; ReLU's range is [0, max] of the run
CENTRES = {"sigmoid": 0.5, "tanh": 0.0}


@dataclass(frozen=True)
class ActivationHistograms:
    """The result of :func:`activation_histograms`.

    Attributes
    ----------
    histograms : long DataFrame, one row per (activation, init, layer, bin), columns activation, init, layer (1..L),
        bin_left, bin_right, count. Sigmoid bins span [0, 1], tanh [-1, 1]; ReLU bins span [0, the largest output of
        that activation and init over all layers] and count only the positive outputs (the zeros, about half, would
        dwarf the rest; their share is ``zero_fraction`` in the summary).
    summary : one row per (activation, init, layer), columns activation, init, layer, mean, std,
        saturated_fraction (outputs within 0.05 of a bound; NaN for ReLU, which has no upper bound),
        centre_fraction (outputs within 0.05 of the centre 0.5 / 0; NaN for ReLU),
        zero_fraction (outputs exactly 0), dead_unit_fraction (units that are 0 for every input).
    """

    histograms: pd.DataFrame
    summary: pd.DataFrame


def layer_activations(x: npt.NDArray[np.float64], activation: str, init: str, init_scale: float, n_layers: int,
                      n_units: int, rng: np.random.Generator) -> list[npt.NDArray[np.float64]]:
    """The (N, n_units) outputs of each of ``n_layers`` hidden layers for (N, D) inputs ``x``.

    Weights are drawn from ``rng`` as standard normals times ``init_std(init, n_in, init_scale)``; biases are 0.
    """
    outputs = []
    a = x
    for _ in range(n_layers):
        n_in = a.shape[1]
        W = rng.standard_normal((n_in, n_units)) * init_std(init, n_in, init_scale)  # (D, H)
        z = Affine(W, np.zeros(n_units)).forward(a, training=False)                 # (N, H)
        a = ACTIVATION_LAYERS[activation]().forward(z, training=False)
        outputs.append(a)
    return outputs


def _summary_row(a: npt.NDArray[np.float64], activation: str) -> dict[str, float]:
    row = {"mean": float(a.mean()), "std": float(a.std()), "zero_fraction": float(np.mean(a == 0.0)),
           "dead_unit_fraction": float(np.mean(np.all(a == 0.0, axis=0)))}
    if activation in BOUNDS:
        low, high = BOUNDS[activation]
        row["saturated_fraction"] = float(np.mean((a <= low + SATURATION_MARGIN) | (a >= high - SATURATION_MARGIN)))
        row["centre_fraction"] = float(np.mean(np.abs(a - CENTRES[activation]) <= CENTRE_MARGIN))
    else:
        row["saturated_fraction"] = row["centre_fraction"] = float("nan")
    return row


def activation_histograms(rng: np.random.Generator, *, activations: tuple[str, ...] = ACTIVATIONS,
                          inits: tuple[str, ...] = tuple(INITS), n_samples: int = 1000, n_features: int = 100,
                          n_layers: int = 5, n_units: int = 100, n_bins: int = N_BINS) -> ActivationHistograms:
    """Per-layer histograms and summary numbers for every activation × initialisation (the book's defaults).

    The same (n_samples, n_features) standard-normal input feeds every combination; each combination then draws its
    weights from a generator of its own, spawned from ``rng`` at that combination's place in the full grid (every
    activation of ``core.network`` × every label of ``INITS``), so asking for fewer combinations does not change the
    numbers of the others.
    """
    for name in activations:
        if name not in ACTIVATION_LAYERS:
            raise ValueError(f"The 'activations' parameter must hold names among {', '.join(map(repr, ACTIVATION_LAYERS))}. "
                             f"Got {name!r} instead.")
    for label in inits:
        if label not in INITS:
            raise ValueError(f"The 'inits' parameter must hold names among {', '.join(map(repr, INITS))}. "
                             f"Got {label!r} instead.")
    for name, value, high in (("n_samples", n_samples, 100_000), ("n_features", n_features, 10_000),
                              ("n_layers", n_layers, 50), ("n_units", n_units, 10_000), ("n_bins", n_bins, 1_000)):
        if not (isinstance(value, int) and 1 <= value <= high):
            raise ValueError(f"The '{name}' parameter must be an int in the range [1, {high}]. Got {value!r} instead.")

    x = rng.standard_normal((n_samples, n_features))  # (N, D)
    grid = [(a, i) for a in ACTIVATION_LAYERS for i in INITS]
    streams = dict(zip(grid, rng.spawn(len(grid))))
    histogram_rows, summary_rows = [], []
    for activation, label in ((a, i) for a in activations for i in inits):
        init, scale = INITS[label]
        outputs = layer_activations(x, activation, init, scale, n_layers, n_units, streams[activation, label])
        if activation in BOUNDS:
            low, high = BOUNDS[activation]
        else:  # ReLU: one range for all layers of the run, so growth and shrinkage across layers stay visible
            low, high = 0.0, max(float(a.max()) for a in outputs) or 1.0
        edges = np.linspace(low, high, n_bins + 1)
        for layer, a in enumerate(outputs, start=1):
            values = a[a > 0] if activation not in BOUNDS else a
            counts, _ = np.histogram(values, bins=n_bins, range=(low, high))  # equal bins: no sort needed
            histogram_rows.append(pd.DataFrame({"activation": activation, "init": label, "layer": layer,
                                                "bin_left": edges[:-1], "bin_right": edges[1:], "count": counts}))
            summary_rows.append({"activation": activation, "init": label, "layer": layer,
                                 **_summary_row(a, activation)})
    summary = pd.DataFrame(summary_rows, columns=["activation", "init", "layer", "mean", "std", "saturated_fraction",
                                                  "centre_fraction", "zero_fraction", "dead_unit_fraction"])
    return ActivationHistograms(pd.concat(histogram_rows, ignore_index=True), summary)
