"""The mechanism views' data: what a run records about its weights and activations, and tidy tables of it.

Recording (used by ``core/train.py``): at a few epochs (``mechanism_epochs``: 0, 25 %, 50 % and the end, plus the
epoch an early stop ended on) a ``Probe`` takes a ``MechanismSnapshot``:

- per affine layer, the counts of its weights in ``HIST_BINS`` equal bins over ±``WEIGHT_RANGE_STDS`` × the
  layer's initial standard deviation (fixed for the run, so epochs compare bin for bin);
- per hidden layer, the counts of its activations (after the activation function, in inference mode) on a fixed
  probe batch, the first ``PROBE_ROWS`` validation images (test images when there is no validation split), over a
  fixed range: [0, 1] for sigmoid, [-1, 1] for tanh, and for ReLU [0, 4 × the root mean square of that layer's
  activations at epoch 0];
- per hidden layer, the fraction of active units (output > 0: for ReLU, the non-zero ones) on the probe batch.

Values outside a range are counted in its end bins; non-finite values (a diverged run) are not counted.

Shaping (used by the figures): ``norms_frame``, ``histogram_frame``, ``active_frame`` turn curves rows as
``ResultStore.load_curves`` returns them into tidy DataFrames.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from typing import Iterable, Mapping

import numpy as np

from .config import RunConfig
from .layers import FloatArray, ReLU, Sigmoid, Tanh
from .network import MLP, init_std
from .record import MechanismSnapshot

if TYPE_CHECKING:  # pandas only for the frames the pages draw: a worker that trains never loads it
    import pandas as pd

HIST_BINS = 41
WEIGHT_RANGE_STDS = 4.0
PROBE_ROWS = 256
ACTIVATION_CLASSES = (ReLU, Sigmoid, Tanh)
MECHANISM_COLUMNS = ("weight_hist", "weight_hist_range", "act_hist", "act_hist_range", "active_fraction")
"""The curves columns that hold a snapshot (null on the epochs without one)."""


def mechanism_epochs(n_epochs: int) -> list[int]:
    """The epochs a run of ``n_epochs`` records a snapshot at: 0, 25 %, 50 % and the end (rounded, distinct)."""
    return sorted({0, round(n_epochs / 4), round(n_epochs / 2), n_epochs})


def bin_counts(values: FloatArray, low: float, high: float, bins: int = HIST_BINS) -> np.ndarray:
    """int32 counts of the finite ``values`` in ``bins`` equal bins over [low, high], outside values in the end
    bins: ``np.histogram(np.clip(values, low, high), bins, (low, high))`` without the NaNs."""
    values = np.asarray(values, dtype=np.float64).ravel()
    values = np.clip(values[np.isfinite(values)], low, high)
    counts, _ = np.histogram(values, bins=bins, range=(low, high))
    return counts.astype(np.int32)


def weight_ranges(config: RunConfig, n_inputs: int, n_classes: int) -> np.ndarray:
    """(n_layers, 2): ±WEIGHT_RANGE_STDS × each affine layer's initial standard deviation."""
    sizes = [n_inputs, *config.hidden_sizes, n_classes]
    limits = [WEIGHT_RANGE_STDS * init_std(config.init, n_in, config.init_std) for n_in in sizes[:-1]]
    return np.array([[-limit, limit] for limit in limits], dtype=np.float64)


class Probe:
    """Takes a run's snapshots: the network, and the probe rows (already in the network's used columns)."""

    def __init__(self, net: MLP, config: RunConfig, rows: FloatArray):
        self.net = net
        self.x = rows[:PROBE_ROWS]
        self.weight_ranges = weight_ranges(config, net.n_inputs, net.n_classes)
        self.activation = config.activation
        self.act_ranges: np.ndarray | None = None  # fixed at the first snapshot

    def activations(self, net: MLP) -> list[np.ndarray]:
        """Each hidden layer's outputs on the probe rows, in inference mode (new arrays; the network is unchanged)."""
        out, hidden = self.x, []
        for layer in net.layers:
            out = layer.forward(out, training=False)
            if isinstance(layer, ACTIVATION_CLASSES):
                hidden.append(out.copy())
        return hidden

    def layer_weights(self, net: MLP) -> list[np.ndarray]:
        """Each affine layer's W (the first with its idle columns' weights)."""
        weights = [affine.W for affine in net.affines]
        if net.idle_W is not None:
            weights[0] = np.concatenate([weights[0].ravel(), net.idle_W.ravel()])
        return weights

    def snapshot(self, epoch: int, net: MLP | None = None) -> MechanismSnapshot:
        """The snapshot of ``net`` (default: the probe's own network, e.g. a ``frozen()`` copy of it) at ``epoch``."""
        net = self.net if net is None else net
        net.materialize()
        hidden = self.activations(net)
        if self.act_ranges is None:
            self.act_ranges = np.array([_activation_range(self.activation, h) for h in hidden], dtype=np.float64)
        weights = self.layer_weights(net)
        n_rows = max(len(self.x), 1)
        return MechanismSnapshot(
            epoch=int(epoch),
            weight_counts=np.array([bin_counts(w, lo, hi) for w, (lo, hi) in zip(weights, self.weight_ranges)],
                                   dtype=np.int32).reshape(len(weights), HIST_BINS),
            weight_ranges=self.weight_ranges,
            act_counts=np.array([bin_counts(h, lo, hi) for h, (lo, hi) in zip(hidden, self.act_ranges)],
                                dtype=np.int32).reshape(len(hidden), HIST_BINS),
            act_ranges=self.act_ranges,
            active_fraction=np.array([np.count_nonzero(h > 0) / (n_rows * max(h.shape[1], 1)) if h.size else np.nan
                                      for h in hidden], dtype=np.float64),
        )


def _activation_range(activation: str, h: np.ndarray) -> tuple[float, float]:
    if activation == "sigmoid":
        return 0.0, 1.0
    if activation == "tanh":
        return -1.0, 1.0
    finite = h[np.isfinite(h)]
    rms = float(np.sqrt(np.mean(np.square(finite, dtype=np.float64)))) if finite.size else 0.0
    return 0.0, 4.0 * rms if rms > 0 else 1.0


# ---- tidy tables for the figures -----------------------------------------------------------------------------------
def _labelled(frame: pd.DataFrame, labels: Mapping[str, str] | None) -> pd.DataFrame:
    names = dict(labels or {})
    frame["label"] = [names.get(run_id, run_id) for run_id in frame["run_id"]]
    return frame


def norms_frame(curves: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Columns run_id, label, epoch, layer (1-based), norm: one row per run, epoch and affine layer."""
    import pandas as pd

    rows = [(run_id, epoch, layer, float(norm))
            for run_id, epoch, norms in zip(curves["run_id"], curves["epoch"], curves["weight_norms"])
            if norms is not None for layer, norm in enumerate(norms, start=1)]
    return _labelled(pd.DataFrame(rows, columns=["run_id", "epoch", "layer", "norm"]), labels)


def _snapshot_rows(curves: pd.DataFrame) -> pd.DataFrame:
    if "weight_hist" not in curves.columns:
        return curves.iloc[0:0]
    return curves[curves["weight_hist"].notna()]


def snapshot_epochs(curves: pd.DataFrame) -> list[int]:
    """The epochs some run recorded a snapshot at, sorted."""
    return sorted({int(e) for e in _snapshot_rows(curves)["epoch"]})


def histogram_frame(curves: pd.DataFrame, kind: str, epochs: Iterable[int] | None = None,
                    labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Columns run_id, label, epoch, layer (1-based), low, high, center, count, share (count / layer total).

    ``kind`` is "weight" (per affine layer) or "act" (per hidden layer, on the probe batch); ``epochs`` keeps
    only those epochs (None: every recorded one).
    """
    import pandas as pd

    if kind not in ("weight", "act"):
        raise ValueError(f"The 'kind' parameter must be 'weight' or 'act'. Got {kind!r} instead.")
    snaps = _snapshot_rows(curves)
    if epochs is not None:
        snaps = snaps[snaps["epoch"].isin(list(epochs))]
    parts = []
    for run_id, epoch, counts, ranges in zip(snaps["run_id"], snaps["epoch"], snaps[f"{kind}_hist"],
                                             snaps[f"{kind}_hist_range"]):
        for layer, (row, (low, high)) in enumerate(zip(counts, ranges), start=1):
            row = np.asarray(row, dtype=np.int64)
            edges = np.linspace(low, high, len(row) + 1)
            total = row.sum()
            parts.append(pd.DataFrame({
                "run_id": run_id, "epoch": int(epoch), "layer": layer, "low": edges[:-1], "high": edges[1:],
                "center": (edges[:-1] + edges[1:]) / 2, "count": row,
                "share": row / total if total else np.zeros(len(row)),
            }))
    columns = ["run_id", "epoch", "layer", "low", "high", "center", "count", "share"]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)
    return _labelled(frame, labels)


def active_frame(curves: pd.DataFrame, labels: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Columns run_id, label, epoch, layer (1-based hidden layer), active_fraction."""
    import pandas as pd

    snaps = _snapshot_rows(curves)
    rows = [(run_id, int(epoch), layer, float(value))
            for run_id, epoch, values in zip(snaps["run_id"], snaps["epoch"], snaps["active_fraction"])
            for layer, value in enumerate(values, start=1)]
    return _labelled(pd.DataFrame(rows, columns=["run_id", "epoch", "layer", "active_fraction"]), labels)
