"""MLP: the book's ``MultiLayerNetExtend`` (chapter 6), built from a ``RunConfig``.

Layout per hidden size h: Affine -> [BatchNorm] -> ReLU | Sigmoid | Tanh -> [Dropout]; then a last Affine to the classes and a
softmax cross-entropy loss. Parameters live in the layers; ``params`` / ``grads`` list them in one fixed order and
stay valid for the life of the network because every backward writes its gradients in place.

The hot path (a training step, an evaluation block) runs through arrays allocated once per batch size: each affine
writes into an array of its own and the other layers work in place over it. ``Evaluation`` scores the train,
validation and test parts in one pass over one packed array (``core/evaluation.py``).
"""
from __future__ import annotations

import copy
import math
from typing import Sequence

import numpy as np
import numpy.typing as npt

from .config import RunConfig
from .layers import (Affine, BatchNorm, Dropout, FloatArray, IntArray, Layer, ReLU, Sigmoid, SoftmaxCrossEntropy,
                     Tanh)
from .span import FirstLayerSpan

ACTIVATION_LAYERS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}
_MAX_CACHED_BATCH_SIZES = 4  # training buffers are kept for this many batch sizes (a run uses one or two)


def init_std(init: str, n_in: int, std: float) -> float:
    """Standard deviation of the initial weights of a layer with ``n_in`` inputs (the book's convention)."""
    if init == "he":
        return math.sqrt(2.0 / n_in)
    if init == "xavier":
        return math.sqrt(1.0 / n_in)
    return std


_INITIAL_MEMO: list[tuple[tuple, list[FloatArray], dict]] = []  # (key, weights, the generator's state after them)


def initial_weights(rng: np.random.Generator, sizes: Sequence[int], init: str, std: float,
                    dtype: np.dtype) -> list[FloatArray]:
    """Each layer's initial (n_in, n_out) weights drawn from ``rng`` (float64 normals times ``init_std``, then cast:
    the same start in both dtypes), in new arrays; ``rng`` moves past the draws.

    The trials of a search share their seed, so a worker would draw the same weights for every trial: the last draws
    are kept, keyed by the generator's state and the shapes, and a repeat copies them and sets the generator to the
    state the draws left it in (the dropout masks come next from it), which is the same as drawing again.
    """
    key = (repr(rng.bit_generator.state), tuple(sizes), init, float(std), np.dtype(dtype).str)
    for seen, weights, after in _INITIAL_MEMO:
        if seen == key:
            rng.bit_generator.state = after
            return [w.copy() for w in weights]
    weights = [(rng.standard_normal((n_in, n_out)) * init_std(init, n_in, std)).astype(dtype)
               for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    _INITIAL_MEMO.insert(0, (key, [w.copy() for w in weights], rng.bit_generator.state))
    del _INITIAL_MEMO[2:]
    return weights


class ReadOnlyMemo:
    """The last ``size`` results computed from read-only arrays (a ``Split``'s), found again by those arrays' identity
    and a key. The memo holds the arrays, so no other array can take their place, and read-only arrays cannot have
    changed in between; writable ones are never kept. For what every trial of a search's worker would otherwise
    recompute from the same split."""

    def __init__(self, size: int):
        self.size = size
        self._entries: list[tuple[list[FloatArray], tuple, object]] = []  # (sources, key, result), newest first

    def get(self, xs: Sequence[FloatArray], key: tuple, compute):
        """The kept result for ``xs`` and ``key``, or ``compute()``'s, kept when every array of ``xs`` is read-only (a
        kept array result is made read-only: every caller shares it)."""
        if not all(isinstance(x, np.ndarray) and not x.flags.writeable for x in xs):
            return compute()
        for sources, seen, result in self._entries:
            if seen == key and len(sources) == len(xs) and all(a is b for a, b in zip(sources, xs)):
                return result
        result = compute()
        if isinstance(result, np.ndarray):
            result.flags.writeable = False
        self._entries.insert(0, (list(xs), key, result))
        del self._entries[self.size:]
        return result


_USED_COLUMNS = ReadOnlyMemo(2)


def used_columns(*xs: FloatArray) -> IntArray | None:
    """Indices of the columns that are non-zero in some row of some array, or None when every column is.

    A column that is zero in every image (MNIST's border pixels: 121 of 784 in mnist5k) adds nothing to ``x @ W``.
    The answer for read-only arrays (a ``Split``'s) is kept (``ReadOnlyMemo``), read-only.
    """
    def compute() -> IntArray | None:
        used = np.zeros(xs[0].shape[1], dtype=bool)
        for x in xs:
            used |= np.any(x != 0, axis=0)
        return None if used.all() else np.flatnonzero(used)

    return _USED_COLUMNS.get(xs, (), compute)


class MLP:
    """Multi-layer perceptron described by ``config``.

    Parameters
    ----------
    config : the run's settings; uses hidden_sizes, activation, init, init_std, batch_norm, dropout, dropout_mode,
        weight_decay, weight_decay_mode and dtype.
    n_inputs, n_classes : D and C.
    rng : draws the initial weights, then the dropout masks.
    input_columns : sorted indices of the input columns the first layer reads, e.g. ``used_columns(...)`` of the
        data; None (default) reads all. The weights of the other columns never meet a non-zero input, so they are
        kept apart in ``idle_W`` (the last parameter), where only weight decay moves them. Initial weights, norms and
        the L2 penalty are those of the full (D, H) first layer.

    Attributes
    ----------
    layers : the layers in forward order.
    params, grads : parameter arrays and their gradient arrays, same order (per layer: W, b or gamma, beta; then
        ``idle_W`` when some columns are unused): views, back to back, of one array of parameters and one of
        gradients (``_pack``).
    decay_mask : True exactly for the affine weights; weight decay never touches biases or batch-norm parameters.
    span : None, or the first layer's weights kept as ``c * W0 + X.T @ A`` (``keep_first_layer_in_span``); then the
        first layer's W and ``idle_W`` are left out of ``params``, trained by ``span_step`` and written back into
        their arrays by ``materialize`` when something reads them.
    """

    def __init__(self, config: RunConfig, n_inputs: int, n_classes: int, rng: np.random.Generator, *,
                 input_columns: IntArray | None = None):
        self.config = config
        self.dtype = np.dtype(config.dtype)
        self.n_inputs, self.n_classes = n_inputs, n_classes
        self.input_columns = _checked_columns(input_columns, n_inputs)
        self.weight_decay = config.weight_decay if config.weight_decay_mode == "l2" else 0.0  # lambda of the loss term
        self._gradient_decay = self.weight_decay  # the lambda that training steps put in the loss and the gradients
        self.layers: list[Layer] = []
        self.affines: list[Affine] = []
        self.idle_W: FloatArray | None = None  # (D - D_used, H) first-layer weights of the unused columns
        sizes = [n_inputs, *config.hidden_sizes, n_classes]
        initial = initial_weights(rng, sizes, config.init, config.init_std, self.dtype)
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = initial[i]
            if i == 0 and self.input_columns is not None:
                idle = np.ones(n_in, dtype=bool)
                idle[self.input_columns] = False
                W, self.idle_W = W[self.input_columns], W[idle]
            affine = Affine(W, np.zeros(n_out, dtype=self.dtype), input_grad=i > 0)  # the data needs no gradient
            self.affines.append(affine)
            self.layers.append(affine)
            if i == len(sizes) - 2:
                break
            if config.batch_norm:
                self.layers.append(BatchNorm(n_out, dtype=self.dtype))
            self.layers.append(ACTIVATION_LAYERS[config.activation]())
            if config.dropout > 0:
                self.layers.append(Dropout(config.dropout, config.dropout_mode, rng))
        self.loss_layer = SoftmaxCrossEntropy()

        self.idle_dW: FloatArray | None = None
        self.params, self.grads, self.decay_mask = self._pack()
        self._step_buffers: dict[int, tuple[list[FloatArray], list[FloatArray | None]]] = {}
        self.span: FirstLayerSpan | None = None
        self._span_rows: IntArray | None = None      # the last step's batch and the gradient at the first layer's
        self._span_delta: FloatArray | None = None   # output, for span_step
        self._stale = False                          # the first layer's arrays lag behind the span

    def _pack(self) -> tuple[list[FloatArray], list[FloatArray], list[bool]]:
        """Move every parameter into one array, and every gradient into another, in ``params`` order; the layers keep
        views. An optimizer then updates them as one array (``core.optim.contiguous_whole``): a step makes two or
        three NumPy calls instead of two or three per parameter. Returns (params, grads, decay_mask)."""
        slots: list[tuple[object, str, str]] = []  # (owner, parameter attribute, gradient attribute)
        for layer in self.layers:
            if isinstance(layer, Affine):
                slots += [(layer, "W", "dW"), (layer, "b", "db")]
            elif isinstance(layer, BatchNorm):
                slots += [(layer, "gamma", "dgamma"), (layer, "beta", "dbeta")]
        if self.idle_W is not None:
            slots.append((self, "idle_W", "idle_dW"))
        sizes = [getattr(owner, name).size for owner, name, _ in slots]
        values, gradients = np.empty(sum(sizes), dtype=self.dtype), np.zeros(sum(sizes), dtype=self.dtype)
        offset = 0
        for (owner, name, grad_name), size in zip(slots, sizes):
            shape = getattr(owner, name).shape
            view = values[offset:offset + size].reshape(shape)
            view[...] = getattr(owner, name)
            setattr(owner, name, view)
            setattr(owner, grad_name, gradients[offset:offset + size].reshape(shape))
            offset += size
        return ([getattr(owner, name) for owner, name, _ in slots], [getattr(owner, g) for owner, _, g in slots],
                [name in ("W", "idle_W") for _, name, _ in slots])

    def keep_first_layer_in_span(self, x_train: FloatArray) -> None:
        """From now on keep the first layer as ``c * W0 + x_train.T @ A`` and train it with ``loss_and_backward_rows``
        and ``span_step`` (plain SGD only: the caller's optimizer must not see it, so build it after this call).

        x_train : (N, D_used) the training images in the network's dtype; batch rows index into it.
        """
        first = self.affines[0]
        self.span = FirstLayerSpan(first.W, self.idle_W, x_train)
        skip = {id(first.W), id(first.dW)} | ({id(self.idle_W), id(self.idle_dW)} if self.idle_W is not None else set())
        kept = [(p, g, d) for p, g, d in zip(self.params, self.grads, self.decay_mask) if id(p) not in skip]
        self.params, self.grads, self.decay_mask = (list(column) for column in zip(*kept))

    def leave_decay_to_optimizer(self) -> None:
        """From now on training steps leave the L2 term out of the loss and the gradients, for an optimizer built with
        ``l2_weight_decay`` to add ``lambda * W`` to the weights' gradients: the same numbers, added in one pass over
        the packed parameters, with no penalty to sum at every step (the step's loss only says whether it is finite).
        The first layer kept in the span is not the optimizer's: ``span_step`` shrinks it as before."""
        self._gradient_decay = 0.0

    def materialize(self) -> None:
        """Write the span's current first-layer weights into the layer's W and ``idle_W`` (no-op without a span)."""
        if self.span is not None and self._stale:
            W, idle = self.span.weights()
            self.affines[0].W[...] = W
            if idle is not None:
                self.idle_W[...] = idle
            self._stale = False

    def frozen(self) -> MLP:
        """A copy of the network as it is now, for inference only: its own parameter and running-statistics arrays,
        sharing everything that never changes (the data in the span, buffers). Training it is not allowed."""
        twin = copy.copy(self)
        twin.layers = []
        for layer in self.layers:
            layer = copy.copy(layer)
            for name in ("W", "b", "gamma", "beta", "running_mean", "running_var"):
                if isinstance(getattr(layer, name, None), np.ndarray):
                    setattr(layer, name, getattr(layer, name).copy())
            twin.layers.append(layer)
        twin.affines = [layer for layer in twin.layers if isinstance(layer, Affine)]
        twin.idle_W = None if self.idle_W is None else self.idle_W.copy()
        twin.span = None if self.span is None else self.span.frozen()
        twin.params, twin.grads, twin.decay_mask = [], [], []
        return twin

    def select_inputs(self, x: FloatArray) -> FloatArray:
        """(N, D) or (N, D_used) inputs -> (N, D_used) in the network's dtype (no copy when nothing changes)."""
        x = np.asarray(x, dtype=self.dtype)
        if self.input_columns is not None and x.shape[1] == self.n_inputs:
            x = np.take(x, self.input_columns, axis=1)
        return x

    def forward(self, x: FloatArray, *, training: bool) -> FloatArray:
        """(N, D) inputs -> (N, C) scores, in new arrays. Inputs of another dtype are cast to the network's."""
        self.materialize()
        out = self.select_inputs(x)
        for layer in self.layers:
            out = layer.forward(out, training=training)
        return out

    def forward_into(self, x: FloatArray, outs: Sequence[FloatArray], *, start: int = 0) -> FloatArray:
        """Forward through ``outs``, one output array per layer (see ``forward_buffers``); returns the scores.

        ``start`` > 0 begins at that layer: ``x`` is then the previous layer's output and ``outs`` the arrays of the
        layers from ``start`` on. From layer 0 the first layer's weights must be current (``materialize``).
        """
        out = x
        for layer, buffer in zip(self.layers[start:], outs):
            out = layer.forward(out, training=False, out=buffer)
        return out

    def forward_buffers(self, rows: int, *, training: bool) -> list[FloatArray]:
        """One output array per layer for ``rows`` inputs: each affine writes into its own array and the other layers
        work in place over their input, except in training right after a layer that keeps its output for backward.
        In inference nothing is kept, so the affines take turns between two arrays.
        """
        widths = [layer.W.shape[1] if isinstance(layer, Affine) else 0 for layer in self.layers]
        turns = [] if training else [np.empty(rows * max(widths), dtype=self.dtype) for _ in range(2)]
        outs: list[FloatArray] = []
        width = 0
        for i, layer in enumerate(self.layers):
            if isinstance(layer, Affine):
                width = widths[i]
                if training:
                    outs.append(np.empty((rows, width), dtype=self.dtype))
                else:  # a contiguous (rows, width) view of the array the previous affine did not write
                    turns.reverse()
                    outs.append(turns[0][:rows * width].reshape(rows, width))
            elif training and self.layers[i - 1].keeps_output:
                outs.append(np.empty((rows, width), dtype=self.dtype))
            else:
                outs.append(outs[-1])
        return outs

    def loss_and_backward(self, x: FloatArray, t: IntArray) -> float:
        """Training forward and backward on one batch; fills ``grads``. Returns data loss + L2 penalty (if any).

        In "l2" weight-decay mode the loss has ``0.5 * lambda * sum(W**2)`` and each ``dW`` gets ``lambda * W``
        (the book), unless ``leave_decay_to_optimizer`` was called; in "decoupled" mode the optimizer shrinks the
        weights and the loss is the data loss alone.
        """
        if self.span is not None:
            raise ValueError("The first layer is kept in the span of the training images: train it with "
                             "loss_and_backward_rows.")
        x = self.select_inputs(x)
        outs, dxs = self._buffers_for_step(len(x))
        return self._loss_and_backward(self.layers[0].forward(x, training=True, out=outs[0]), t, outs, dxs)

    def loss_and_backward_rows(self, rows: IntArray, t: IntArray) -> float:
        """``loss_and_backward`` of the training images ``rows`` (B,) with the first layer kept in span; the first
        layer's gradient stays with the network for ``span_step``."""
        outs, dxs = self._buffers_for_step(len(rows))
        first = self.affines[0]
        z = self.span.batch(rows, out=outs[0])  # (B, H)
        z += first.b
        loss = self._loss_and_backward(z, t, outs, dxs)
        self._span_rows = rows
        return loss

    def span_step(self, *, lr: float, shrink: float) -> None:
        """Apply the last ``loss_and_backward_rows``'s SGD update to the span: ``W = shrink * W - lr * dW``."""
        self.span.step(self._span_rows, self._span_delta, lr=lr, shrink=shrink)
        self._stale = True

    def _loss_and_backward(self, first_out: FloatArray, t: IntArray, outs: list[FloatArray],
                           dxs: list[FloatArray | None]) -> float:
        """The rest of a training step after the first affine's output ``first_out`` (in ``outs[0]``)."""
        scores = first_out
        for layer, buffer in zip(self.layers[1:], outs[1:]):
            scores = layer.forward(scores, training=True, out=buffer)
        loss = self.loss_layer.forward(scores, t)
        dout = self.loss_layer.backward()
        for layer, dx in zip(reversed(self.layers[1:]), reversed(dxs[1:])):
            dout = layer.backward(dout, out=dout if dx is None else dx)  # None: in place over dout
        first = self.affines[0]
        if self.span is None:
            first.backward(dout)
        else:
            first.bias_grad(dout)  # the span takes dout itself: no (D, H) gradient is formed
            self._span_delta = dout
        if self._gradient_decay:
            loss += self.l2_penalty()
            for affine in self.affines[1:] if self.span is not None else self.affines:
                affine.dW += self.weight_decay * affine.W
            if self.idle_W is not None and self.span is None:
                np.multiply(self.idle_W, self.weight_decay, out=self.idle_dW)
        return loss

    def _buffers_for_step(self, rows: int) -> tuple[list[FloatArray], list[FloatArray | None]]:
        """Forward outputs and affine input-gradient arrays for a training batch of ``rows``, made once per size."""
        if rows not in self._step_buffers:
            if len(self._step_buffers) >= _MAX_CACHED_BATCH_SIZES:
                self._step_buffers.clear()
            dxs = [np.empty((rows, layer.W.shape[0]), dtype=self.dtype)
                   if isinstance(layer, Affine) and layer.input_grad else None for layer in self.layers]
            self._step_buffers[rows] = (self.forward_buffers(rows, training=True), dxs)
        return self._step_buffers[rows]

    def l2_penalty(self) -> float:
        """``0.5 * lambda * sum(W**2)`` over the affine weights; 0 unless weight_decay_mode is "l2"."""
        if not self.weight_decay:
            return 0.0
        return 0.5 * self.weight_decay * sum(self._squared_norms())

    def weight_norms(self) -> npt.NDArray[np.float64]:
        """Frobenius norm of each affine layer's W (the first one's with ``idle_W``), in layer order."""
        return np.sqrt(np.array(self._squared_norms(), dtype=np.float64))

    def _squared_norms(self) -> list[float]:
        if self.span is not None:
            return [self.span.squared_norm(), *(float(np.vdot(a.W, a.W)) for a in self.affines[1:])]
        squares = [float(np.vdot(a.W, a.W)) for a in self.affines]
        if self.idle_W is not None:
            squares[0] += float(np.vdot(self.idle_W, self.idle_W))
        return squares


def _checked_columns(columns: IntArray | None, n_inputs: int) -> IntArray | None:
    """``columns`` as a sorted index array (None when it covers every input); a ValueError says what is wrong."""
    if columns is None:
        return None
    columns = np.asarray(columns, dtype=np.intp)
    if columns.ndim != 1 or len(columns) == 0 or np.any(np.diff(columns) <= 0) or columns[0] < 0 \
            or columns[-1] >= n_inputs:
        raise ValueError(f"input_columns must be strictly increasing indices in [0, {n_inputs}). Got {columns!r}.")
    return None if len(columns) == n_inputs else columns
