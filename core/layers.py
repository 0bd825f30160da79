"""Layers of the MLP, after chapters 5-6 of the book: each keeps its forward and backward side by side.

Every layer has ``forward(x, *, training, out=None)`` and ``backward(dout, *, out=None)``, keeps only what its backward
needs, and exposes its parameters and their gradients as attributes (``W``/``dW``, ``gamma``/``dgamma``...). Gradient
arrays are allocated once and overwritten in place by ``backward``, so a network can hand out stable references to them.

``out`` lets a caller that owns its arrays reuse them: the result is written into ``out`` (which may be the input itself
for layers that keep their shape) and returned; without it a new array is returned and the input is left alone. A layer
whose ``keeps_output`` is True holds on to its forward output for its backward, so the next layer must not overwrite it.

All math stays in the dtype of the input: scalars are Python floats (which never widen an array under NumPy 2's
promotion rules) and every array the layers create is built in the input's dtype.
"""
from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

from .config import DROPOUT_MODES
from .validation import check_choice, check_float

FloatArray = npt.NDArray[np.floating]
IntArray = npt.NDArray[np.integer]



class Layer(Protocol):
    """What the network needs of a layer."""

    keeps_output: bool

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray: ...

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray | None: ...


class Affine:
    """Fully connected layer ``x @ W + b``.

    Parameters
    ----------
    W : (D, H) array, the weights; the layer keeps (does not copy) it, so an optimizer can update it in place.
    b : (H,) array, the biases.
    input_grad : False for a first layer: its input is the data, so backward skips ``dout @ W.T`` and returns None.
    """

    keeps_output = False

    def __init__(self, W: FloatArray, b: FloatArray, *, input_grad: bool = True):
        if W.ndim != 2 or b.shape != (W.shape[1],) or W.dtype != b.dtype:
            raise ValueError(f"Affine needs W (D, H) and b (H,) of one dtype. Got W {W.shape} {W.dtype}, b {b.shape} {b.dtype}.")
        self.W = W
        self.b = b
        self.input_grad = input_grad
        self.dW = np.zeros_like(W)
        self.db = np.zeros_like(b)
        self.x: FloatArray | None = None
        self._ones = np.ones(0, dtype=W.dtype)  # (N,) for db = ones @ dout

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        """(N, D) -> (N, H); ``out``, if given, is an (N, H) array other than ``x``."""
        if training:
            self.x = x
        out = np.matmul(x, self.W, out=out)  # (N, H)
        out += self.b                        # in place: no second (N, H) temporary
        return out

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray | None:
        """(N, H) -> (N, D), or None without ``input_grad``; writes dW and db in place."""
        np.matmul(self.x.T, dout, out=self.dW)
        self.bias_grad(dout)
        return np.matmul(dout, self.W.T, out=out) if self.input_grad else None

    def bias_grad(self, dout: FloatArray) -> FloatArray:
        """``db``: the column sums of (N, H) ``dout``, as a product with a row of ones (a third of ``np.sum``'s time
        on the chapter's (100, 100): BLAS against NumPy's strided reduction)."""
        if len(self._ones) != len(dout) or self._ones.dtype != dout.dtype:
            self._ones = np.ones(len(dout), dtype=dout.dtype)
        return np.matmul(self._ones, dout, out=self.db)


class ReLU:
    """``max(x, 0)``; keeps its output, whose sign is the mask backward needs."""

    keeps_output = True

    def __init__(self) -> None:
        self.out: FloatArray | None = None
        self._zeros = np.zeros((0, 0))
        self._mask = np.zeros((0, 0))

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        # NaN stays NaN, so divergence is still seen. Against an array of zeros the shape of x, not the scalar 0 or a
        # broadcast row: NumPy then runs one vector loop over the whole array instead of one per row (2.0 against
        # 3.5 us on (100, 100), 4.5 against 11 us on (512, 100)).
        out = np.maximum(x, full_shape(self, "_zeros", x.shape, x.dtype, 0.0), out=out)
        if training:
            self.out = out
        return out

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray:
        # The mask as 1.0 / 0.0 in dout's dtype, in an array of its own: the product then needs no cast from bool
        # (4.7 against 6.0 us on (100, 100)); the result is the same.
        mask = np.greater(self.out, 0, out=full_shape(self, "_mask", self.out.shape, dout.dtype))
        return np.multiply(dout, mask, out=out)


def full_shape(owner: object, name: str, shape: tuple[int, ...], dtype: np.dtype, fill: float | None = None
               ) -> FloatArray:
    """An array of ``shape`` and ``dtype`` kept as ``owner.<name>``: a view of the first rows of the one kept there,
    which is replaced by a larger one (filled with ``fill``, if given) only when it is too small or of another dtype.
    A layer sees a few row counts (a training batch, evaluation blocks), so it allocates once per size at most."""
    kept = getattr(owner, name)
    if kept.shape == shape and kept.dtype == dtype:  # the usual call: the same batch as last time
        return kept
    if kept.dtype != dtype or kept.shape[1:] != shape[1:] or len(kept) < shape[0]:
        kept = np.empty(shape, dtype=dtype) if fill is None else np.full(shape, fill, dtype=dtype)
        setattr(owner, name, kept)
    return kept[:shape[0]]


class Sigmoid:
    """``1 / (1 + exp(-x))``; keeps its output, since the derivative is ``out * (1 - out)``."""

    keeps_output = True

    def __init__(self) -> None:
        self.out: FloatArray | None = None

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        # The tanh form equals the book's 1/(1+exp(-x)) and cannot overflow (exp(-x) does for x < -88 in float32).
        out = np.multiply(x, 0.5, out=out)
        np.tanh(out, out=out)
        out += 1.0
        out *= 0.5
        if training:
            self.out = out
        return out

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray:
        out = np.multiply(dout, 1.0 - self.out, out=out)
        out *= self.out
        return out


class Tanh:
    """``tanh(x)``; keeps its output, since the derivative is ``1 - out**2``. Xavier init is its natural partner."""

    keeps_output = True

    def __init__(self) -> None:
        self.out: FloatArray | None = None

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        out = np.tanh(x, out=out)
        if training:
            self.out = out
        return out

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray:
        slope = np.square(self.out)
        np.subtract(1.0, slope, out=slope)
        return np.multiply(dout, slope, out=out)  # ``out`` may be ``dout`` itself: it is read before it is written


class Dropout:
    """Drops each unit with probability ``ratio`` in training.

    Parameters
    ----------
    ratio : float in [0, 1), the probability of dropping a unit.
    mode : "book" multiplies by the 0/1 mask in training and by ``1 - ratio`` at test time (the book's layer);
        "inverted" multiplies by ``mask / (1 - ratio)`` in training and is the identity at test time.
        Both give the same expected activation in training as at test time.
    rng : the generator that draws the masks; a fresh mask on every training forward.

    Set ``fixed_mask`` (bool, the shape of the input) to use that mask instead of drawing one, e.g. in gradient checks.
    """

    keeps_output = False

    def __init__(self, ratio: float, mode: str, rng: np.random.Generator):
        self.ratio = check_float("ratio", ratio, 0.0, 1.0, high_open=True)
        self.mode = check_choice("mode", mode, DROPOUT_MODES)
        self.rng = rng
        self.fixed_mask: npt.NDArray[np.bool_] | None = None
        self.mask: npt.NDArray[np.bool_] | None = None    # the last training mask (True = kept)
        self.scale: FloatArray | None = None              # mask as a float factor in x's dtype: what backward multiplies by

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        if self.ratio == 0.0 or (not training and self.mode == "inverted"):
            return _identity(x, out)
        if not training:
            return np.multiply(x, 1.0 - self.ratio, out=out)
        if self.fixed_mask is not None:
            if self.fixed_mask.shape != x.shape:
                raise ValueError(f"fixed_mask has shape {self.fixed_mask.shape}, the input {x.shape}.")
            self.mask = self.fixed_mask
        else:
            # float32 uniforms: half the random bits of float64, and masks do not depend on the network's dtype.
            self.mask = self.rng.random(x.shape, dtype=np.float32) >= self.ratio
        self.scale = self.mask.astype(x.dtype)
        if self.mode == "inverted":
            self.scale *= 1.0 / (1.0 - self.ratio)
        return np.multiply(x, self.scale, out=out)

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray:
        if self.ratio == 0.0:
            return _identity(dout, out)
        return np.multiply(dout, self.scale, out=out)


def _identity(x: FloatArray, out: FloatArray | None) -> FloatArray:
    """``x``, or a copy of it in ``out`` when ``out`` is another array."""
    if out is None or out is x:
        return x
    np.copyto(out, x)
    return out


class BatchNorm:
    """Batch normalisation over the features of (N, D) inputs (the book's ``BatchNormalization``).

    Training normalises with the batch mean and (biased) variance and moves the running statistics,
    ``running = momentum * running + (1 - momentum) * batch``; inference normalises with the running statistics.

    Parameters
    ----------
    n_features : D.
    momentum : weight of the old running statistics; default 0.9 as the book.
    eps : added to the variance; default 1e-6, the book's ``10e-7``.
    dtype : of gamma, beta and the running statistics.

    The running statistics start at mean 0, variance 1 (PyTorch's choice) rather than the book's variance 0, so an
    untrained network evaluated at epoch 0 behaves as if the layer were absent instead of amplifying by 1/sqrt(eps).
    """

    keeps_output = False

    def __init__(self, n_features: int, momentum: float = 0.9, eps: float = 1e-6, dtype: npt.DTypeLike = np.float32):
        self.momentum = check_float("momentum", momentum, 0.0, 1.0, high_open=True)
        self.eps = check_float("eps", eps, 0.0, low_open=True)
        self.gamma = np.ones(n_features, dtype=dtype)
        self.beta = np.zeros(n_features, dtype=dtype)
        self.dgamma = np.zeros_like(self.gamma)
        self.dbeta = np.zeros_like(self.beta)
        self.running_mean = np.zeros(n_features, dtype=dtype)
        self.running_var = np.ones(n_features, dtype=dtype)
        self.x_norm: FloatArray | None = None   # (N, D)
        self.inv_std: FloatArray | None = None  # (D,)

    def forward(self, x: FloatArray, *, training: bool, out: FloatArray | None = None) -> FloatArray:
        if not training:  # gamma * (x - mean) / std + beta as one scale and one shift: two passes over x, not four
            scale = self.gamma / np.sqrt(self.running_var + self.eps)  # (D,)
            out = np.multiply(x, scale, out=out)
            out += self.beta - self.running_mean * scale
            return out
        mean = x.mean(axis=0)                       # (D,)
        x_norm = x - mean                           # (N, D), centred here, normalised below
        var = np.mean(x_norm * x_norm, axis=0)      # (D,) biased, as the book
        inv_std = 1.0 / np.sqrt(var + self.eps)
        x_norm *= inv_std
        self.x_norm, self.inv_std = x_norm, inv_std
        self.running_mean *= self.momentum
        self.running_mean += (1.0 - self.momentum) * mean
        self.running_var *= self.momentum
        self.running_var += (1.0 - self.momentum) * var
        out = np.multiply(x_norm, self.gamma, out=out)
        out += self.beta
        return out

    def backward(self, dout: FloatArray, *, out: FloatArray | None = None) -> FloatArray:
        """The book's chain (dxn -> dxc, dstd -> dvar -> dmu) collapsed into one line; same values."""
        n = dout.shape[0]
        np.sum(dout, axis=0, out=self.dbeta)
        np.sum(dout * self.x_norm, axis=0, out=self.dgamma)
        # dx = gamma/std * (dout - mean(dout) - x_norm * mean(dout * x_norm))
        dx = np.subtract(dout, self.dbeta * (1.0 / n), out=out)
        dx -= self.x_norm * (self.dgamma * (1.0 / n))
        dx *= self.gamma * self.inv_std
        return dx


def log_softmax(scores: FloatArray) -> FloatArray:
    """Row-wise log-softmax of (N, C) scores, shifted by the row maximum so exp cannot overflow."""
    shifted = scores - scores.max(axis=1, keepdims=True)                  # (N, C)
    shifted -= np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return shifted


def row_max(scores: FloatArray) -> FloatArray:
    """(N,) maximum of each row of (N, C) scores. NumPy reduces a short last axis row by row (24 us for (512, 10));
    over the first axis of the transposed copy it is one elementwise pass per class (2 us with the copy)."""
    return np.ascontiguousarray(scores.T).max(axis=0)


def row_sum(values: FloatArray) -> FloatArray:
    """(N,) sum of each row of (N, C) values, as a product with a column of ones (BLAS; a quarter of ``sum(axis=1)``'s
    time on a short last axis)."""
    return values @ np.ones(values.shape[1], dtype=values.dtype)


def pick(scores: FloatArray, labels: IntArray) -> FloatArray:
    """(N,) ``scores[i, labels[i]]`` of (N, C) scores, through flat indices (of a copy, if not C-contiguous)."""
    return scores.reshape(-1)[np.arange(0, scores.size, scores.shape[1]) + labels]


def row_cross_entropy(scores: FloatArray, labels: IntArray, *, scratch: FloatArray | None = None) -> FloatArray:
    """(N,) cross-entropy of each row of (N, C) scores against (N,) labels: ``log(sum(exp(s))) - s[label]``.

    No softmax is formed; ``scratch``, an (N, C) array, takes the shifted exponentials when given.
    """
    top = row_max(scores)                                                  # (N,)
    shifted = np.subtract(scores, top[:, None], out=scratch)               # (N, C)
    np.exp(shifted, out=shifted)
    losses = np.log(row_sum(shifted))
    losses += top - pick(scores, labels)  # >= 0 before the log term: the shift keeps the sum in [1, C]
    return losses


class SoftmaxCrossEntropy:
    """Softmax followed by the mean cross-entropy against integer labels (the book's ``SoftmaxWithLoss``)."""

    def __init__(self) -> None:
        self.probs: FloatArray | None = None  # (N, C) softmax of the last scores, until backward makes it the gradient
        self.labels: IntArray | None = None   # (N,)
        self._rows = np.arange(0)

    def forward(self, scores: FloatArray, labels: IntArray) -> float:
        """Mean cross-entropy of (N, C) scores against (N,) integer labels in [0, C): ``log(sum(exp(s))) - s[label]``
        with the row maximum taken out first, so exp cannot overflow."""
        if len(self._rows) != len(labels):
            self._rows = np.arange(len(labels))
        probs = scores - row_max(scores)[:, None]  # shifted, then exponentiated and normalised in place
        picked = probs[self._rows, labels]
        np.exp(probs, out=probs)
        sums = row_sum(probs)
        loss = (float(np.log(sums).sum()) - float(picked.sum())) / len(labels)
        probs /= sums[:, None]
        self.probs, self.labels = probs, labels
        return loss

    def backward(self, dout: float = 1.0) -> FloatArray:
        """(N, C) gradient of the mean loss: ``(softmax - onehot) / N``, times ``dout``; made from ``probs`` in place
        (once per forward)."""
        dscores = self.probs
        dscores[self._rows, self.labels] -= 1.0
        dscores *= dout / len(self.labels)
        self.probs = None
        return dscores
